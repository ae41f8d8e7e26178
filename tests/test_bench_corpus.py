"""The graph benchmark's synthetic corpus (scripts/bench_graph.py): valid contract documents
whose files carry what real outputs carry, and whose citations do not depend on the size of
their text."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pipeline.validate import validate_document

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
import bench_graph  # noqa: E402


def _documents(folder: Path) -> dict[str, dict]:
    return {
        f.stem: json.loads(f.read_text(encoding="utf-8")) for f in sorted(folder.glob("*.json"))
    }


def test_every_generated_document_is_valid_and_has_the_other_stages_parts(tmp_path):
    made = bench_graph.generate(tmp_path, docs=150, mentions=1500, text_kb=9.0, seed=5)
    docs = _documents(tmp_path)
    assert made["docs"] == len(docs) == 150
    for name, doc in docs.items():
        assert validate_document(doc) == [], name
        for part in ("sections", "entities", "references", "repairs"):
            assert doc[part], (name, part)
        for e in doc["entities"]:
            assert doc["text"][e["start"] : e["end"]] == e["text"]
    sizes = sorted(len(f.read_bytes()) for f in tmp_path.glob("*.json"))
    assert sizes[len(sizes) // 2] > 20_000  # real outputs' median is 62 kB; the old files, 9.8


def test_the_text_size_leaves_what_cites_what_as_it_is(tmp_path):
    small, large = tmp_path / "small", tmp_path / "large"
    small.mkdir()
    large.mkdir()
    bench_graph.generate(small, docs=120, mentions=1200, text_kb=1.0, seed=6)
    bench_graph.generate(large, docs=120, mentions=1200, text_kb=9.0, seed=6)
    a, b = _documents(small), _documents(large)
    assert a.keys() == b.keys()
    for name in a:
        assert a[name]["metadata"] == b[name]["metadata"]
        cited = [
            [(c["symbol"], c["date"], c["relation"]) for c in d["citations"]]
            for d in (a[name], b[name])
        ]
        assert cited[0] == cited[1]
        assert len(b[name]["text"]) > len(a[name]["text"])
