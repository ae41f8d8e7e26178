from pathlib import Path

import pytest

from pipeline.models import LineBox, RawDocument

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def raw_text(text: str) -> RawDocument:
    return RawDocument(path="test.txt", sha256="0" * 64, format="text", text=text)


def ocr_text(text: str, confidence: float = 95.0) -> RawDocument:
    """``text`` as an OCR'd page gives it: each line with a confidence for every word."""
    lines, pos = [], 0
    for i, row in enumerate(text.split("\n")):
        if row:
            confs = [confidence] * len(row.split(" "))
            lines.append(
                LineBox(start=pos, end=pos + len(row), page=1, x0=60, top=40 + 30 * i, x1=540,
                        bottom=60 + 30 * i, confidence=confidence, word_confidences=confs)
            )  # fmt: skip
        pos += len(row) + 1
    return RawDocument(
        path="scan.png", sha256="0" * 64, format="image", text=text, ocr_pages=[1], lines=lines
    )


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


def browser(width: int = 1280, height: int = 900):
    """Headless Chromium through selenium, for the tests of the HTML pages; the test skips
    where chromium, chromium-driver or selenium is not installed."""
    import shutil

    webdriver = pytest.importorskip("selenium.webdriver")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not (chromium and driver_path):
        pytest.skip("chromium and chromium-driver are not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    size = f"--window-size={width},{height}"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", size):
        options.add_argument(arg)
    service = webdriver.ChromeService(executable_path=driver_path)
    return webdriver.Chrome(options=options, service=service)
