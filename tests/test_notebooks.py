"""The notebook runs as a reader runs it: the README's run command, then Jupyter's nbconvert in
a subprocess (a kernel of this environment's Python, started in the notebook's own folder),
every cell in order; the executed notebook holds the tables, the plots and the answers."""

import base64
import json
import os
import subprocess
import sys

from jupyter_client.manager import KernelManager

from conftest import REPO
from pipeline.batch import run_batch

NOTEBOOK = REPO / "notebooks" / "citation_graph.ipynb"


def execute(dest, out=None) -> dict:
    """The notebook executed by nbconvert into ``dest``; ``out``: VANBAN_OUT (none: its default)."""
    env = {k: v for k, v in os.environ.items() if k != "VANBAN_OUT"}
    if out:
        env["VANBAN_OUT"] = str(out)
    done = subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
         "--output-dir", str(dest), "--output", "executed", str(NOTEBOOK)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads((dest / "executed.ipynb").read_text(encoding="utf-8"))


def outputs(nb: dict) -> tuple[str, str, list[bytes]]:
    """What the cells printed, the HTML they showed (DataFrames) and their PNG images."""
    printed, html, images = [], [], []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", out
            if out["output_type"] == "stream":
                printed.append("".join(out["text"]))
            data = out.get("data", {})
            html.append("".join(data.get("text/html", "")))
            if "image/png" in data:
                images.append(base64.b64decode(data["image/png"]))
    return "".join(printed), "\n".join(html), images


def test_the_kernel_is_this_environments_python():
    # nbconvert starts the notebook's kernel "python3": ipykernel's, whose "python" is the
    # interpreter that runs jupyter, so the kernel sees this environment's packages
    assert KernelManager(kernel_name="python3").format_kernel_cmd()[0] == sys.executable


def test_the_notebook_runs_after_the_readme_run_command_on_its_default_folder(tmp_path):
    # the README's run command, into the checkout's out/raw (git-ignored), as a reader does
    run = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "data/raw", "--out", "out/raw", "--quiet"],
        cwd=REPO, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    printed, html, images = outputs(execute(tmp_path))
    assert "['28-NQ/TW@2022'] ['28-NQ/TW@2022']" in printed  # the pasted name and the short one
    assert "<table" in html and "<td>sample_ke_hoach_scan.pdf</td>" in html  # paths relative
    assert "/out/raw" not in html + printed
    assert len(images) == 2 and all(png.startswith(b"\x89PNG") for png in images)
    assert "tables: ['tables/vanban.duckdb']" in printed and "view.html" in printed


def test_the_notebook_answers_on_a_folder_named_by_vanban_out(tmp_path):
    out = tmp_path / "out"
    run_batch(
        [
            REPO / "data" / "raw" / "sample_ke_hoach.txt",
            REPO / "data" / "raw" / "sample_huong_dan.md",
        ],
        out,
        jobs=1,
    )
    printed, html, images = outputs(execute(tmp_path, out))
    assert "(2 in the corpus)" in printed and "documents 2," in printed
    assert "['28-NQ/TW@2022'] ['28-NQ/TW@2022']" in printed
    # the chain, as text
    assert (
        "\n  45-KH/HU@2024 | Kế hoạch" in printed and "\n    7-HD/BTGHU@2024 | Hướng dẫn" in printed
    )
    # who cites it and in which section: the guide in I/1, the plan in III/2
    assert "<td>sample_huong_dan.md</td>\n      <td>I/1</td>" in html
    assert "<td>III/2</td>\n      <td>Ban Tuyên giáo Huyện ủy</td>" in html
    # citations per year and level: a table with one row per year, and its plot
    assert "<th>2022</th>" in html and "<th>TW</th>" in html
    assert len(images) == 2
