"""The graph's outputs made fast: graph.json written one node or edge a line (graph.write_graph)
and PageRank without networkx's matrix conversion (graph.pagerank), each checked against what
it replaces."""

import errno
import json
import os
import random

import networkx as nx
import numpy as np
import pytest

from pipeline import atomic
from pipeline.graph import pagerank, set_pagerank, to_node_link, write_graph


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
