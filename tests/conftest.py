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


def graph_of(documents: dict[str, dict]):
    """The graph stage over documents written as contract JSON (partial ones welcome), with
    each citation's target set in the JSON as the batch writes it; returns the graph."""
    from pipeline.graph import build_graph
    from pipeline.models import Document

    result = build_graph({name: Document.from_json(doc) for name, doc in documents.items()})
    for name, doc in documents.items():
        for citation, target in zip(doc.get("citations") or [], result.targets[name]):
            citation["target"] = target
    return result.graph
