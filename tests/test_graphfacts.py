"""The graph's facts kept between builds: a build that adds a few documents writes only them."""

from pipeline.graphfacts import SEGMENTS_MAX, FactsCache, OpeningsCompared, facts_of, plain
from pipeline.models import Document


def _facts(n: int):
    text = f"Thực hiện Nghị quyết số {n}-NQ/TW của Bộ Chính trị."
    doc = {
        "text": text,
        "metadata": {"doc_type": "Kế hoạch", "symbol": f"{n}-KH/TU", "title": f"KẾ HOẠCH {n}"},
        "citations": [{"symbol": f"{n}-NQ/TW", "start": 24, "end": text.index(" của")}],
    }
    return facts_of(Document.from_json(doc))


def _stamp(n: int, version: int = 0) -> list:
    return [False, 100 + n, version, n]


def _same(kept, n: int) -> bool:
    """Facts read back from the cache are those kept (a citation comes back as a Mention)."""
    return kept is not None and plain(kept, {}) == plain(_facts(n), {})


def test_a_build_adding_documents_writes_a_segment_not_the_whole(tmp_path):
    path = tmp_path / "graph-facts"
    cache = FactsCache(path, "v1")
    for n in range(20):
        cache.put(f"d{n:02}", _facts(n))
    cache.save({f"d{n:02}": _stamp(n) for n in range(20)})
    whole = path.stat()
    # two documents added, one rewritten (a new stamp), one gone
    cache = FactsCache(path, "v1")
    stamps = {f"d{n:02}": _stamp(n) for n in range(1, 22)}
    stamps["d05"] = _stamp(5, version=1)
    for n in (20, 21):
        cache.put(f"d{n:02}", _facts(n))
    cache.save(stamps)
    assert path.stat().st_mtime_ns == whole.st_mtime_ns and path.stat().st_ino == whole.st_ino
    assert path.with_name("graph-facts.1").exists()
    kept = FactsCache(path, "v1")
    assert kept._kept.keys() == stamps.keys()
    assert kept.get("d05", _stamp(5)) is None and _same(kept.get("d05", stamps["d05"]), 5)
    assert _same(kept.get("d21", stamps["d21"]), 21) and kept.get("d00", _stamp(0)) is None
    # a damaged segment ends them: what it held is not kept, the rest is
    path.with_name("graph-facts.1").write_bytes(b"\x00not marshal")
    kept = FactsCache(path, "v1")
    assert kept.get("d21", stamps["d21"]) is None and _same(kept.get("d03", _stamp(3)), 3)


def test_segments_are_folded_into_the_whole_before_they_grow_many(tmp_path):
    path = tmp_path / "graph-facts"
    cache = FactsCache(path, "v1")
    stamps = {}
    for n in range(200):
        cache.put(f"d{n:03}", _facts(n))
        stamps[f"d{n:03}"] = _stamp(n)
    cache.save(stamps)
    for n in range(200, 200 + SEGMENTS_MAX + 3):  # one document added per build
        cache = FactsCache(path, "v1")
        cache.put(f"d{n:03}", _facts(n))
        stamps[f"d{n:03}"] = _stamp(n)
        cache.save(stamps)
        segments = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("graph-facts."))
        assert len(segments) <= SEGMENTS_MAX
        kept = FactsCache(path, "v1")
        assert kept._kept.keys() == stamps.keys()
        assert _same(kept.get(f"d{n:03}", stamps[f"d{n:03}"]), n)
    # another version's facts are none, segments included, and writing anew removes them
    assert path.with_name("graph-facts.1").exists()
    assert FactsCache(path, "v2")._kept == {}
    cache = FactsCache(path, "v2")
    cache.put("d000", _facts(0))
    cache.save({"d000": _stamp(0)})
    assert not path.with_name("graph-facts.1").exists()
    assert FactsCache(path, "v2")._kept.keys() == {"d000"}


def test_openings_compared_are_kept_while_both_files_are_as_they_were(tmp_path):
    path = tmp_path / "graph-openings"
    stamps = {name: _stamp(n) for n, name in enumerate("abcd")}
    memo = OpeningsCompared(path, "v1", stamps)
    assert memo.pairs == {}
    memo.pairs.update({("b", "a"): True, ("c", "a"): False, ("d", "c"): False})
    memo.save(stamps)
    assert OpeningsCompared(path, "v1", stamps).pairs == memo.pairs
    # c rewritten: its pairs are compared again; another version keeps none
    changed = {**stamps, "c": _stamp(2, version=1)}
    assert OpeningsCompared(path, "v1", changed).pairs == {("b", "a"): True}
    assert OpeningsCompared(path, "v2", stamps).pairs == {}
    # a document gone: its pairs are not kept; a damaged memo is none
    memo.save({k: v for k, v in stamps.items() if k != "a"})
    assert OpeningsCompared(path, "v1", stamps).pairs == {("d", "c"): False}
    path.write_bytes(b"\x00not marshal")
    assert OpeningsCompared(path, "v1", stamps).pairs == {}
