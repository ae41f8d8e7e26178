import json
import subprocess
import sys

import networkx as nx
import pytest

from conftest import REPO
from pipeline import query
from pipeline.graph import build_graph


def _doc(symbol=None, date=None, citations=(), doc_type="Kế hoạch"):
    return {"metadata": {"symbol": symbol, "date": date, "doc_type": doc_type},
            "citations": [dict(symbol=s, date=d, doc_type=t, code=s.split("-", 1)[-1], issuer=i, relation=r)
                          for s, d, t, i, r in citations]}


@pytest.fixture
def graph():
    nq = ("28-NQ/TW", "2022-11-17", "Nghị quyết", "Ban Chấp hành Trung ương Đảng", "thực hiện")
    return build_graph({
        "a": _doc("58-CTr/TU", "2023-03-30", [nq], "Chương trình hành động"),
        "b": _doc("132-KH/HU", "2023-06-22", [nq, ("58-CTr/TU", None, "Chương trình hành động", None, "thực hiện")]),
        "c": _doc(citations=[nq, ("132-KH/HU", "2023-06-22", "Kế hoạch", None, "căn cứ"),
                             ("101-QĐ/TW", "2012-06-07", "Quy định", None, None)], doc_type="Hướng dẫn"),
    })


def test_loose_names_resolve(graph):
    for q in ("28-NQ/TW", "NQ 28", "Nghị quyết 28", "nghị quyết số 28", "28-NQ/TW@2022"):
        assert query.resolve(graph, q) == ["28-NQ/TW@2022"], q
    assert query.resolve(graph, "Kế hoạch 132") == ["132-KH/HU@2023"]
    assert query.resolve(graph, "Nghị quyết 99") == []


def test_who_cites_and_what_is_cited(graph):
    assert [r["id"] for r in query.cited_by(graph, "28-NQ/TW@2022")] == ["132-KH/HU@2023", "58-CTr/TU@2023", "doc:c"]
    assert [r["id"] for r in query.cites(graph, "doc:c")] == ["101-QĐ/TW@2012", "132-KH/HU@2023", "28-NQ/TW@2022"]
    deep = {r["id"]: r["depth"] for r in query.cites(graph, "doc:c", depth=3)}
    assert deep["58-CTr/TU@2023"] == 2  # c -> 132-KH/HU -> 58-CTr/TU
    top = query.most_cited(graph, top=1)
    assert top[0]["id"] == "28-NQ/TW@2022" and top[0]["cited_by"] == 3
    assert [r["id"] for r in query.most_cited(graph, level="HU")] == ["132-KH/HU@2023"]
    assert {r["id"] for r in query.missing(graph)} == {"28-NQ/TW@2022", "101-QĐ/TW@2012"}


def test_exports_load_back(graph, tmp_path):
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        (path,) = query.export(graph, fmt, tmp_path / f"g.{fmt}")
        back = reader(path)
        assert back.number_of_nodes() == graph.number_of_nodes()
        assert back.number_of_edges() == graph.number_of_edges()
    nodes, edges = query.export(graph, "csv", tmp_path / "csv")
    assert len(nodes.read_text(encoding="utf-8").splitlines()) == graph.number_of_nodes() + 1
    assert len(edges.read_text(encoding="utf-8").splitlines()) == graph.number_of_edges() + 1


def test_cli_graph_questions(tmp_path, graph):
    (tmp_path / "graph.json").write_text(json.dumps(nx.node_link_data(graph), ensure_ascii=False), encoding="utf-8")
    run = lambda *a: subprocess.run([sys.executable, "-m", "pipeline", "graph", str(tmp_path), *a],
                                    capture_output=True, text=True, cwd=REPO)
    proc = run("cited-by", "NQ 28", "--json")
    assert proc.returncode == 0, proc.stderr
    assert {r["id"] for r in json.loads(proc.stdout)} == {"132-KH/HU@2023", "58-CTr/TU@2023", "doc:c"}
    assert "28-NQ/TW@2022" in run("top", "-n", "3").stdout
    assert run("cited-by", "Chỉ thị 5").returncode == 1
    chain = json.loads(run("chain", "Nghị quyết 28", "--json").stdout)
    assert [(r["depth"], r["id"]) for r in chain][:2] == [(0, "28-NQ/TW@2022"), (1, "58-CTr/TU@2023")]
    assert "    132-KH/HU@2023" in run("chain", "NQ 28").stdout  # the table indents the tree
    assert len(json.loads(run("chain", "NQ 28", "--depth", "1", "--json").stdout)) == 4
    co = json.loads(run("co-cited", "28-NQ/TW", "--json", "-n", "2").stdout)
    assert [r["together"] for r in co] == [1, 1]
    dates = [r["date"] for r in json.loads(run("timeline", "--from", "2022", "--json").stdout)]
    assert dates == sorted(dates) and dates[0] == "2022-11-17"
    assert json.loads(run("timeline", "KH 132", "--json").stdout)[-1]["link"] == "itself"
    assert run("chain").returncode == 2


def test_chain_goes_down_through_the_most_specific_document_cited(graph):
    rows = query.chain(graph, "28-NQ/TW@2022")
    tree = [(r["depth"], r["id"], r["parent"]) for r in rows]
    # b cites both NQ 28 and the province's programme: it sits under the programme; c likewise under b
    assert tree == [(0, "28-NQ/TW@2022", None), (1, "58-CTr/TU@2023", "28-NQ/TW@2022"),
                    (2, "132-KH/HU@2023", "58-CTr/TU@2023"), (3, "doc:c", "132-KH/HU@2023")]
    by_id = {r["id"]: r for r in rows}
    assert by_id["132-KH/HU@2023"]["relations"] == "thực hiện"
    assert by_id["132-KH/HU@2023"]["also_cites"] == "28-NQ/TW@2022"
    assert by_id["doc:c"]["relations"] == "căn cứ"
    assert [r["id"] for r in query.chain(graph, "28-NQ/TW@2022", depth=1)] == \
        ["28-NQ/TW@2022", "58-CTr/TU@2023", "132-KH/HU@2023", "doc:c"]  # all three cite NQ 28 directly
    assert [r["id"] for r in query.chain(graph, "58-CTr/TU@2023", depth=1)] == ["58-CTr/TU@2023", "132-KH/HU@2023"]


def test_chain_follows_a_numberless_document_to_the_node_it_is_and_survives_cycles():
    nq = {"symbol": "28-NQ/TW", "date": "2022-11-17", "doc_type": "Nghị quyết", "code": "NQ/TW", "relation": "thực hiện"}
    ctr = {"symbol": "58-CTr/TU", "date": "2023-03-30", "doc_type": "Chương trình hành động", "code": "CTr/TU",
           "issuer": "Ban Chấp hành Đảng bộ tỉnh", "subject": "về thực hiện Nghị quyết số 28-NQ/TW",
           "relation": "thực hiện"}
    g = build_graph({
        "program": {"metadata": {"doc_type": "Chương trình hành động", "issuer": "Ban Chấp hành Đảng bộ tỉnh"},
                    "citations": [nq]},
        "guide": {"metadata": {"doc_type": "Hướng dẫn", "issuer": "Ban Tuyên giáo Huyện ủy"}, "citations": [ctr, nq]},
        # two district plans citing each other and NQ 28 only through each other
        "p1": {"metadata": {"symbol": "5-KH/HU", "date": "2023-05-01", "doc_type": "Kế hoạch"},
               "citations": [{"symbol": "6-KH/HU", "date": "2023-06-01", "code": "KH/HU"}, nq]},
        "p2": {"metadata": {"symbol": "6-KH/HU", "date": "2023-06-01", "doc_type": "Kế hoạch"},
               "citations": [{"symbol": "5-KH/HU", "date": "2023-05-01", "code": "KH/HU"}]},
    })
    rows = query.chain(g, "28-NQ/TW@2022")
    parent = {r["id"]: r["parent"] for r in rows}
    assert parent == {"28-NQ/TW@2022": None, "58-CTr/TU@2023": "28-NQ/TW@2022", "doc:guide": "58-CTr/TU@2023",
                      "5-KH/HU@2023": "28-NQ/TW@2022", "6-KH/HU@2023": "5-KH/HU@2023"}
    assert {r["id"]: r["same_as"] for r in rows}["58-CTr/TU@2023"] == "doc:program"
    assert [r["level"] for r in rows][:3] == ["TW", "TU", "HU"]
    # the number-less programme asked for by its own id gives the same chain
    assert [r["id"] for r in query.chain(g, "doc:program")] == ["58-CTr/TU@2023", "doc:guide"]


def test_co_cited_counts_citing_documents_that_name_both(graph):
    rows = query.co_cited(graph, "28-NQ/TW@2022")
    assert [(r["id"], r["together"]) for r in rows] == [("101-QĐ/TW@2012", 1), ("132-KH/HU@2023", 1),
                                                        ("58-CTr/TU@2023", 1)]
    assert [(r["id"], r["together"]) for r in query.co_cited(graph, "132-KH/HU@2023")] == \
        [("101-QĐ/TW@2012", 1), ("28-NQ/TW@2022", 1)]
    assert len(query.co_cited(graph, "28-NQ/TW@2022", top=1)) == 1


def test_timeline_orders_by_date_filters_and_centres_on_a_document(graph):
    assert [r["date"] for r in query.timeline(graph)] == ["2012-06-07", "2022-11-17", "2023-03-30", "2023-06-22"]
    assert [r["id"] for r in query.timeline(graph, start="2022-12", end="2023")] == ["58-CTr/TU@2023", "132-KH/HU@2023"]
    assert [r["id"] for r in query.timeline(graph, level="HU")] == ["132-KH/HU@2023"]
    assert [r["id"] for r in query.timeline(graph, doc_type="quy định")] == ["101-QĐ/TW@2012"]
    assert len(query.timeline(graph, top=2)) == 2
    around = query.timeline(graph, "58-CTr/TU@2023")
    assert [(r["id"], r["link"]) for r in around] == [("28-NQ/TW@2022", "cited by it"), ("58-CTr/TU@2023", "itself"),
                                                      ("132-KH/HU@2023", "cites it")]


def test_most_cited_and_missing_use_the_stored_ranking(graph):
    assert all("pagerank" in a for _, a in graph.nodes(data=True))
    assert [r["id"] for r in query.most_cited(graph, doc_type="Quy định", year="2012")] == ["101-QĐ/TW@2012"]
    assert query.most_cited(graph, issuer="trung ương")[0]["id"] == "28-NQ/TW@2022"
    assert query.most_cited(graph, level="ĐU") == []
    assert [r["id"] for r in query.missing(graph, top=1)] == ["28-NQ/TW@2022"]
    # the index follows a graph that grew
    graph.add_node("9-NQ/TW", symbol="9-NQ/TW", doc_type="Nghị quyết", in_corpus=False)
    assert query.resolve(graph, "NQ 9") == ["9-NQ/TW"]
