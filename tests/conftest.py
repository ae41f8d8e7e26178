from pathlib import Path

import pytest

from pipeline.models import RawDocument

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def raw_text(text: str) -> RawDocument:
    return RawDocument(path="test.txt", sha256="0" * 64, format="text", text=text)


@pytest.fixture
def shared_corpus() -> Path:
    corpus = SHARED / "corpus"
    if not (corpus / "gold").is_dir():
        pytest.skip("../shared/corpus is not beside this checkout")
    return corpus
