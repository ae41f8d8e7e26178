"""The README's main command on the project's own samples (data/raw), scored against
data/annotated."""

import json
import subprocess
import sys

from conftest import REPO
from pipeline.evaluate import evaluate
from pipeline.validate import validate_document

RAW = REPO / "data" / "raw"
GOLD = REPO / "data" / "annotated" / "gold"


def test_main_command_on_data_raw(tmp_path):
    out = tmp_path / "raw"
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", str(RAW), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    inputs = sorted(p.stem for p in RAW.iterdir() if p.is_file())
    outputs = sorted(p.stem for p in out.glob("*.json") if p.stem not in ("graph", "manifest"))
    assert outputs == inputs
    for name in outputs:
        assert (
            validate_document(json.loads((out / f"{name}.json").read_text(encoding="utf-8"))) == []
        ), name
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    kinds = {e["format"] for e in manifest["inputs"]}
    assert kinds == {"text", "pdf", "image"}
    # done, and partial exactly where something was repaired or doubtful (a warning)
    assert all(e["status"] == ("partial" if e["warnings"] else "ok") for e in manifest["inputs"])
    scans = [
        e for e in manifest["inputs"] if e["output"] in ("sample_ke_hoach_scan", "sample_page")
    ]
    assert all(e["ocr_pages"] for e in scans)

    summary = evaluate(GOLD, out)["summary"]
    assert summary["citation_mention_F1"] >= 0.98
    assert summary["citation_date_acc"] >= 0.95
    assert summary["section_F1"] >= 0.9
    assert summary["metadata_acc"] >= 0.9

    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    links = {(e["source"], e["target"]) for e in graph["edges"]}
    assert ("7-HD/BTGHU@2024", "45-KH/HU@2024") in links  # the Hướng dẫn cites the Kế hoạch sample
