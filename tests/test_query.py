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
