"""Progress on a terminal: a pages bar with its total that moves with each OCR'd page, a
clock that ticks while nothing finishes, and clean final lines above the summary."""

import fcntl
import os
import re
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from PIL import Image

from pipeline import ingest
from pipeline.batch import run_batch

REPO = Path(__file__).resolve().parents[1]
SCAN = REPO / "data" / "raw" / "sample_ke_hoach_scan.pdf"  # two scanned pages, no text layer
ROWS, COLS = 40, 100


def run_on_a_terminal(*args: str) -> bytes:
    """All that ``vanban args`` writes to a pseudo-terminal of ROWS x COLS."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=REPO,
        env={**os.environ, "COLUMNS": str(COLS), "LINES": str(ROWS)},
    )
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    assert proc.wait(timeout=300) == 0, out.decode(errors="replace")
    return out


def frames(raw: bytes, bar: str) -> list[tuple[int, str]]:
    """(position in the output, text) of each drawing of the bar named ``bar``."""
    text = raw.decode("utf-8", errors="replace")
    return [(m.start(), m.group(0)) for m in re.finditer(rf"{bar}:[^\r\n\x1b]*\]", text)]


@pytest.mark.ocr
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs Tesseract")
def test_pages_bar_counts_ocr_pages_as_they_are_done_and_the_clock_ticks(tmp_path):
    pyte = pytest.importorskip("pyte")
    raw = run_on_a_terminal("run", str(SCAN), "--out", str(tmp_path / "out"), "--jobs", "1")

    pages = frames(raw, "pages")
    docs = frames(raw, "documents")
    assert pages and all("/2 [" in t for _, t in pages)  # drawn with its total from the start
    first_page = next(at for at, t in pages if "| 1/2 [" in t)
    document_done = next(at for at, t in docs if "| 1/1 [" in t)
    assert first_page < document_done  # a page counted while its document was still running
    # the clock moved while no document had finished
    assert any(re.search(r"\| 0/1 \[00:0[1-9]", t) for _, t in docs), docs

    screen = pyte.Screen(COLS, ROWS)
    pyte.ByteStream(screen).feed(raw.replace(b"\n", b"\r\n"))
    lines = [ln.rstrip() for ln in screen.display if ln.strip()]
    # each bar once, whole, on its own line, and the summary below them
    assert re.fullmatch(r"documents: 100%\|█+\| 1/1 \[.*\]", lines[0]), lines
    assert re.fullmatch(r"pages: 100%\|█+\| 2/2 \[.*\]", lines[1]), lines
    assert lines[2].startswith("documents ") and lines[2].split()[-1] == "1", lines
    assert lines[-1].startswith("outputs: ")


def test_page_counts_up_front(tmp_path):
    tiff = tmp_path / "three.tiff"
    frames_ = [Image.new("L", (40, 40), shade) for shade in (0, 128, 255)]
    frames_[0].save(tiff, save_all=True, append_images=frames_[1:])
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 nothing else")
    assert ingest.page_count(SCAN) == 2
    assert ingest.page_count(tiff) == 3
    assert ingest.page_count(REPO / "data" / "raw" / "sample_page.png") == 1
    assert ingest.page_count(REPO / "data" / "raw" / "sample_ke_hoach.txt") == 1
    assert ingest.page_count(tmp_path / "broken.pdf") == 1  # reading it will say what is wrong


def test_the_batch_tells_the_pages_to_do_first_and_all_done_last(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("sample_ke_hoach_digital.pdf", "sample_ke_hoach.txt", "sample_huong_dan.md"):
        shutil.copy(REPO / "data" / "raw" / name, src / name)
    (src / "broken.pdf").write_bytes(b"\x07" * 500)  # counted as one page, and fails
    told = []
    result = run_batch([src], tmp_path / "out", jobs=2, on_pages=lambda d, t: told.append((d, t)))
    assert told[0] == (0, 5) and told[-1] == (5, 5)  # 2 + 1 + 1 pages, and the failed one
    assert all(a[0] <= b[0] for a, b in zip(told, told[1:]))  # never back
    assert sum(e.pages for e in result.entries) == 4
