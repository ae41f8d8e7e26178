"""The graph's outputs made fast: graph.json written one node or edge a line (graph.write_graph),
PageRank without networkx's matrix conversion (graph.pagerank) and the index built with numpy
(query._build), each checked against what it replaces (the index: tests/index_reference.py)."""

import errno
import hashlib
import json
import os
import random
import sys

import index_reference
import networkx as nx
import numpy as np
import pytest

from conftest import REPO
from pipeline import atomic, query
from pipeline.graph import build_graph, pagerank, set_pagerank, to_node_link, write_graph
from pipeline.models import Document

sys.path.insert(0, str(REPO / "scripts"))
import bench_graph  # noqa: E402  (the synthetic corpus of the graph benchmark)


def _graph() -> nx.DiGraph:
    g = nx.DiGraph(name="vanban")
    g.add_node(
        "28-NQ/TW@2022",
        symbol="28-NQ/TW",
        doc_type="Nghị quyết",
        year="2022",
        level="TW",
        in_corpus=False,
        pagerank=0.12345678,
        dates=["2022-11-17"],
        conflicts=[],
        nested={"a": [1, 2.5, None, True]},
    )
    g.add_node("doc:tệp_\udcff", title='Kế hoạch “tuyên truyền”\n\ttab \\ "quote"', sources=[])
    g.add_node("isolated", mentions=0, ratio=1e-300, big=10**20, neg=-0.0)
    mention = {"section": "I", "start": 3, "end": 9, "text": "Nghị quyết 28", "date": None}
    mention["sentence"] = "Thực hiện Nghị quyết số 28-NQ/TW …"
    g.add_edge(
        "doc:tệp_\udcff", "28-NQ/TW@2022", count=2, relations=["thực hiện"], mentions=[mention]
    )
    g.add_edge("28-NQ/TW@2022", "28-NQ/TW@2022", count=1)  # a self-loop
    return g


def _old_text(g) -> bytes:
    """graph.json as write_json wrote it (indent=1)."""
    text = json.dumps(to_node_link(g), ensure_ascii=False, indent=1) + "\n"
    return text.encode("utf-8", "backslashreplace")


@pytest.mark.parametrize("which", ["full", "no edges", "empty"])
def test_graph_json_reads_back_as_write_json_wrote_it(tmp_path, which):
    g = _graph()
    if which == "no edges":
        g.remove_edges_from(list(g.edges))
    elif which == "empty":
        g = nx.DiGraph()
    write_graph(tmp_path / "graph.json", g)
    data = (tmp_path / "graph.json").read_bytes()
    new, old = json.loads(data), json.loads(_old_text(g))
    assert new == old == json.loads(json.dumps(to_node_link(g)))
    # the order of keys, of nodes and of edges kept too
    assert json.dumps(new, ensure_ascii=False) == json.dumps(old, ensure_ascii=False)
    g2 = nx.node_link_graph(new)
    assert list(g2.nodes(data=True)) == list(g.nodes(data=True))
    assert list(g2.edges(data=True)) == list(g.edges(data=True))
    assert data.decode("utf-8").endswith("}\n")  # valid UTF-8: the lone surrogate escaped


def test_graph_json_has_one_node_or_edge_a_line(tmp_path):
    g = _graph()
    write_graph(tmp_path / "graph.json", g)
    lines = (tmp_path / "graph.json").read_text(encoding="utf-8").splitlines()
    top = ['{"directed": true,', '"multigraph": false,', '"graph": {"name": "vanban"},']
    assert lines[:4] == [*top, '"nodes": [']
    nodes, edges = lines[4 : 4 + len(g)], lines[4 + len(g) + 2 : -1]
    assert lines[4 + len(g) : 4 + len(g) + 2] == ["],", '"edges": ['] and lines[-1] == "]}"
    assert [json.loads(line.rstrip(",")) for line in nodes] == to_node_link(g)["nodes"]
    assert [json.loads(line.rstrip(",")) for line in edges] == to_node_link(g)["edges"]


def test_graph_json_of_many_nodes_crosses_pieces(tmp_path):
    rng = random.Random(0)
    g = nx.gnm_random_graph(5000, 12000, seed=1, directed=True)
    g = nx.relabel_nodes(g, {n: f"{n}-KH/HU@{2000 + n % 25}" for n in g})
    for n, a in g.nodes(data=True):
        a["pagerank"] = rng.random()
    write_graph(tmp_path / "graph.json", g)
    text = (tmp_path / "graph.json").read_bytes()
    assert text != _old_text(g) and json.loads(text) == json.loads(_old_text(g))  # layout only


def test_graph_json_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    g, path = _graph(), tmp_path / "graph.json"
    write_graph(path, g)
    before = path.read_bytes()
    assert path.stat().st_mode & 0o777 == atomic.file_mode()
    g.add_node("new", bad=object())  # not JSON: fails midway through the nodes
    with pytest.raises(TypeError):
        write_graph(path, g)
    assert path.read_bytes() == before and not list(tmp_path.glob("*.tmp"))
    g.remove_node("new")
    g.add_node("new")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(atomic.WriteFailed, match="No space left on device") as exc:
        write_graph(path, g)
    assert str(path) in str(exc.value) and exc.value.errno == errno.ENOSPC
    assert path.read_bytes() == before and not list(tmp_path.glob("*.tmp"))
    assert sorted(os.listdir(tmp_path)) == ["graph.json"]


# --- PageRank -----------------------------------------------------------------------------


def _graphs():
    yield "path", nx.DiGraph(nx.path_graph(5))
    g = nx.gnm_random_graph(400, 1500, seed=3, directed=True)  # dangling nodes among them
    g.add_edges_from([(7, 7), (8, 8), (9, 7)])  # self-loops
    g.add_nodes_from(range(400, 420))  # isolated nodes
    yield "random, self-loops, isolated", g
    star = nx.DiGraph([(i, 0) for i in range(1, 50)])  # everyone cites one: all but it dangle
    yield "star", star
    yield "one self-loop", nx.DiGraph([("a", "a")])
    yield "cycle", nx.DiGraph(nx.cycle_graph(7))
    order = nx.gnm_random_graph(300, 900, seed=5, directed=True)  # nodes not in label order
    yield "shuffled", nx.relabel_nodes(order, {n: f"n{(n * 37) % 300}" for n in order})


@pytest.mark.parametrize("name,g", list(_graphs()), ids=[n for n, _ in _graphs()])
def test_pagerank_is_networkx_pagerank(name, g):
    expected = nx.pagerank(g)
    got = pagerank(g)
    assert len(got) == len(g)
    assert max(abs(expected[n] - r) for n, r in zip(g, got.tolist())) < 1e-9
    assert got.tolist() == pagerank(g.copy()).tolist()  # the same graph, the same floats


def test_set_pagerank_rounds_and_gives_zero_without_citations():
    g = dict(_graphs())["random, self-loops, isolated"]
    expected = nx.pagerank(g)
    set_pagerank(g)
    assert all(abs(g.nodes[n]["pagerank"] - round(expected[n], 8)) <= 1e-8 for n in g)
    g = nx.DiGraph()
    g.add_nodes_from("abc")
    set_pagerank(g)
    assert [a["pagerank"] for _, a in g.nodes(data=True)] == [0.0, 0.0, 0.0]
    empty = nx.DiGraph()
    set_pagerank(empty)
    assert len(pagerank(empty)) == 0 and isinstance(pagerank(empty), np.ndarray)


# --- the index ----------------------------------------------------------------------------


def _same(old, new) -> bool:
    """Equal, and of the same kinds: arrays of the same dtype, lists of the same types."""
    if isinstance(old, query.Postings):
        return old.keys == new.keys and _same(old.ptr, new.ptr) and _same(old.values, new.values)
    if isinstance(old, tuple):
        return isinstance(new, tuple) and len(old) == len(new) and all(map(_same, old, new))
    if isinstance(old, np.ndarray):
        return (
            isinstance(new, np.ndarray)
            and old.dtype == new.dtype
            and old.shape == new.shape
            and bool((old == new).all())
        )
    return type(old) is type(new) and old == new and list(map(type, old)) == list(map(type, new))


def _same_index(g):
    old, new = index_reference.build(g), query._build(g)
    for name in query.COLUMNS:
        assert _same(old[name], new[name]), name


def _odd_graph(seed: int) -> nx.DiGraph:
    """Random documents and citations with what the index must take as it comes: ties of
    rank and citations, units of several members, cues from mentions only, values of odd
    types, words across spaces of every kind, nodes without a date, a level or PageRank."""
    rng = random.Random(seed)
    g = nx.DiGraph()
    titles = [
        "về công tác tuyên truyền",
        "ΟΔΟΣ ΑΣ.Β σ ΣΑΣ",  # a final sigma is decided within a word
        "Kế\u00a0hoạch\tsố  12\u0301 \u0301đổi  mới",  # no-break space, tab, marks after a space
        "QUY ĐỊNH VỀ KIỂM TRA",
        None,
        "",
    ]
    kinds = [
        ("Nghị quyết", "NQ/TW", "TW"),
        ("Kế hoạch", "KH/TU", "TU"),
        ("Kế hoạch", "KH/HU", None),
    ]
    for i in range(80):
        kind, code, level = rng.choice(kinds)
        num, year = rng.randint(1, 9), rng.choice([2012, 2020, 2023])
        node = f"{num}-{code}@{year}" if rng.random() < 0.8 else f"{num}-{code} {i}"
        g.add_node(
            node,
            symbol=f"0{num}-{code}",
            doc_type=rng.choice([kind, kind, None]),
            level=level,
            date=rng.choice([f"{year}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}", None, str(year)]),
            year=rng.choice([str(year), None]),
            issuer=rng.choice(["Ban Chấp hành Trung ương Đảng", "Ban Thường vụ Huyện ủy", None]),
            title=rng.choice(titles),
            in_corpus=rng.choice([True, False, None]),
            pagerank=rng.choice([0.5, 0.25, rng.random()]),  # ties
            conflicts=["dates disagree: x", "y"] if rng.random() < 0.1 else [],
        )
    targets = list(g)
    for i in range(8):  # number-less corpus documents, two of them one cited node
        doc = f"doc:plan{i}" + ("\udcff" if i == 0 else "")
        g.add_node(
            doc, doc_type="Kế hoạch", in_corpus=True, pagerank=0.01, title=rng.choice(titles)
        )
        target = targets[i // 2]
        g.nodes[doc]["same_as"] = target
        g.nodes[target].setdefault("described_by", []).append(doc)
    ids = list(g)
    for _ in range(300):
        a, b = rng.sample(ids, 2)
        cues = sorted(rng.sample(["thực hiện", "căn cứ", "quán triệt"], rng.randint(0, 2)))
        if rng.random() < 0.3:  # the cues from the mentions
            mentions = [{"relation": c} for c in cues] + [{"relation": None}]
            g.add_edge(a, b, count=rng.randint(1, 4), mentions=mentions)
        else:
            g.add_edge(a, b, count=rng.randint(1, 4), relations=cues)
    return g


@pytest.mark.parametrize("seed", range(4))
def test_the_index_is_as_it_was_built_before(seed):
    _same_index(_odd_graph(seed))


def test_the_index_is_as_it_was_built_before_at_the_edges():
    g = _odd_graph(9)
    _same_index(nx.DiGraph())
    bare = nx.DiGraph()
    bare.add_nodes_from(["b", "a"])
    _same_index(bare)  # no attributes, no citations
    for attrs in g.nodes.values():  # a graph.json from before PageRank was stored
        del attrs["pagerank"]
    _same_index(g)
    odd = _odd_graph(10)
    for k, attrs in enumerate(odd.nodes.values()):  # values of types the filters key alike
        attrs["year"] = [2020, 2020.0, True, "2020", None][k % 5]
        attrs["in_corpus"] = [1, 0, "yes", None][k % 4]
    _same_index(odd)


def test_the_index_of_the_benchmark_corpus_is_as_it_was_built_before(tmp_path):
    bench_graph.generate(tmp_path, docs=600, mentions=6000, text_kb=0.3, seed=4)
    documents = {
        f.stem: Document.from_json(json.loads(f.read_text(encoding="utf-8")))
        for f in sorted(tmp_path.glob("doc*.json"))
    }
    _same_index(build_graph(documents).graph)


def test_the_words_of_a_text_are_those_of_its_pieces_between_spaces():
    """What the ``words`` column relies on to find a label's words piece by piece."""
    rng = random.Random(0)
    pool = list("ΣσςΑαβ .'’:-_/()\u00ad\u0301\u0323\u0345\u00a0\t\u2000\u3000\u200bđĐƠơệAz09ǅİẞ")
    for _ in range(20000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 12)))
        pieces = [query._words(piece) for piece in text.split(" ")]
        assert query._words(text) == set().union(*pieces), repr(text)


def test_graph_json_copies_the_edges_it_is_told_are_unchanged(tmp_path):
    rng = random.Random(3)
    g = nx.gnm_random_graph(300, 1500, seed=2, directed=True)
    g = nx.relabel_nodes(g, {n: f"{n}-KH/HU@{2000 + n % 25}" for n in g})
    for u, v, d in g.edges(data=True):
        d.update(
            count=rng.randint(1, 3), mentions=[{"text": f"số {v}", "sentence": "“Đảng” \udcff"}]
        )
    path, fresh = tmp_path / "graph.json", tmp_path / "fresh.json"
    spans = write_graph(path, g)
    text = path.read_bytes()
    for u, (start, length) in spans.items():  # each node's edges, and only they
        links = json.loads(b"[" + text[start : start + length] + b"]")
        assert links == json.loads(
            json.dumps([{**d, "source": u, "target": v} for v, d in g[u].items()])
        )
    # the next graph: nodes added before and after, edges changed, added and removed
    g2 = nx.DiGraph()
    g2.add_node("0-KH/TU@1999", pagerank=0.5)
    g2.add_edge("0-KH/TU@1999", "5-KH/HU@2005", count=1)
    g2.add_nodes_from(g.nodes(data=True))
    g2.add_edges_from(g.edges(data=True))
    g2.add_edge("299-KH/HU@2024", "new", count=7)
    changed = set(rng.sample(sorted(spans), 40))
    for u in changed:
        if g2[u]:
            g2.remove_edge(u, next(iter(g2[u])))
        g2.add_edge(u, "1-KH/HU@2001", count=9)
    kept = {u: span for u, span in spans.items() if u not in changed and u != "299-KH/HU@2024"}
    digest = hashlib.sha256()  # given the bytes written: the file's, copied parts and all
    spans2 = write_graph(path, g2, kept, digest)
    write_graph(fresh, g2)
    assert path.read_bytes() == fresh.read_bytes()
    assert digest.hexdigest() == hashlib.sha256(path.read_bytes()).hexdigest()
    assert json.loads(path.read_bytes()) == json.loads(json.dumps(to_node_link(g2)))
    # the kept text is copied as it was, not made again from the graph
    u = next(iter(kept))
    g2.edges[u, next(iter(g2[u]))]["count"] = 100
    write_graph(path, g2, {u: spans2[u]})
    start, length = spans2[u]
    assert path.read_bytes()[start : start + length] == fresh.read_bytes()[start : start + length]
    assert b'"count": 100' not in path.read_bytes()
