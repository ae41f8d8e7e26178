"""The notebooks run on a real batch output: every code cell, in order, as a reader would."""

import contextlib
import io
import json

from conftest import REPO
from pipeline.batch import run_batch


def run_notebook(path, monkeypatch, out) -> str:
    monkeypatch.setenv("VANBAN_OUT", str(out))
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, str(path), "exec"), {"__name__": "__main__"})
    return printed.getvalue()


def test_citation_graph_notebook_runs_on_the_samples(tmp_path, monkeypatch):
    run_batch(
        [
            REPO / "data" / "raw" / "sample_ke_hoach.txt",
            REPO / "data" / "raw" / "sample_huong_dan.md",
        ],
        tmp_path,
        jobs=1,
    )
    printed = run_notebook(REPO / "notebooks" / "citation_graph.ipynb", monkeypatch, tmp_path)
    assert "2 in the corpus" in printed
    assert "['28-NQ/TW@2022'] ['28-NQ/TW@2022']" in printed  # the pasted name and the short one
    # the chain
    assert (
        "\n  45-KH/HU@2024 | Kế hoạch" in printed and "\n    7-HD/BTGHU@2024 | Hướng dẫn" in printed
    )
    assert "view.html" in printed
