import json
import random
import re
import subprocess
import sys

import networkx as nx
import pytest

from conftest import REPO, browser, graph_of
from pipeline import exports, query
from pipeline.cli import main


def _doc(symbol=None, date=None, citations=(), doc_type="Kế hoạch"):
    return {
        "metadata": {"symbol": symbol, "date": date, "doc_type": doc_type},
        "citations": [
            dict(symbol=s, date=d, doc_type=t, code=s.split("-", 1)[-1], issuer=i, relation=r)
            for s, d, t, i, r in citations
        ],
    }


@pytest.fixture
def graph():
    nq = ("28-NQ/TW", "2022-11-17", "Nghị quyết", "Ban Chấp hành Trung ương Đảng", "thực hiện")
    return graph_of(
        {
            "a": _doc("58-CTr/TU", "2023-03-30", [nq], "Chương trình hành động"),
            "b": _doc(
                "132-KH/HU",
                "2023-06-22",
                [nq, ("58-CTr/TU", None, "Chương trình hành động", None, "thực hiện")],
            ),
            "c": _doc(
                citations=[
                    nq,
                    ("132-KH/HU", "2023-06-22", "Kế hoạch", None, "căn cứ"),
                    ("101-QĐ/TW", "2012-06-07", "Quy định", None, None),
                ],
                doc_type="Hướng dẫn",
            ),
        }
    )


def test_loose_names_resolve(graph):
    for q in ("28-NQ/TW", "NQ 28", "Nghị quyết 28", "nghị quyết số 28", "28-NQ/TW@2022"):
        assert query.resolve(graph, q) == ["28-NQ/TW@2022"], q
    assert query.resolve(graph, "Kế hoạch 132") == ["132-KH/HU@2023"]
    assert query.resolve(graph, "Nghị quyết 99") == []
    # as a document writes it, pasted: type word, "số", date; a year or date keeps that year
    for q in (
        "Nghị quyết số 28-NQ/TW",
        "nghị quyết số 28 - NQ/TW, ngày 17/11/2022 của Ban Chấp hành Trung ương",
        "Nghị quyết 28 năm 2022",
        "NQ 28 (2022)",
        "28-NQ/TW 2022-11-17",
    ):
        assert query.resolve(graph, q) == ["28-NQ/TW@2022"], q
    assert query.resolve(graph, "Nghị quyết số 28-NQ/TW, ngày 17/11/2021") == []
    assert query.resolve(graph, "Nghị quyết 28 năm 2021") == []


def test_loose_names_tell_two_years_of_one_number_apart():
    g = graph_of(
        {
            "a": _doc(
                citations=[
                    ("101-QĐ/TW", "2012-06-07", "Quy định", None, None),
                    ("101-QĐ/TW", "2023-02-28", "Quy định", None, None),
                    ("30/2020/NĐ-CP", "2020-03-05", "Nghị định", None, None),
                ]
            )
        }
    )
    assert query.resolve(g, "Quy định 101") == ["101-QĐ/TW@2012", "101-QĐ/TW@2023"]
    assert query.resolve(g, "Quy định số 101-QĐ/TW, ngày 28/02/2023") == ["101-QĐ/TW@2023"]
    assert query.resolve(g, "QĐ 101 năm 2012") == ["101-QĐ/TW@2012"]
    assert query.resolve(g, "Nghị định số 30/2020/NĐ-CP") == ["30/2020/NĐ-CP@2020"]


def test_who_cites_and_what_is_cited(graph):
    assert [r["id"] for r in query.cited_by(graph, "28-NQ/TW@2022")] == [
        "132-KH/HU@2023",
        "58-CTr/TU@2023",
        "doc:c",
    ]
    assert [r["id"] for r in query.cites(graph, "doc:c")] == [
        "101-QĐ/TW@2012",
        "132-KH/HU@2023",
        "28-NQ/TW@2022",
    ]
    deep = {r["id"]: r["depth"] for r in query.cites(graph, "doc:c", depth=3)}
    assert deep["58-CTr/TU@2023"] == 2  # c -> 132-KH/HU -> 58-CTr/TU
    top = query.most_cited(graph, top=1)
    assert top[0]["id"] == "28-NQ/TW@2022" and top[0]["cited_by"] == 3
    assert [r["id"] for r in query.most_cited(graph, level="HU")] == ["132-KH/HU@2023"]
    assert {r["id"] for r in query.missing(graph)} == {"28-NQ/TW@2022", "101-QĐ/TW@2012"}


def test_exports_load_back(graph, tmp_path):
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        (path,) = exports.export(graph, fmt, tmp_path / f"g.{fmt}")
        back = reader(path)
        assert back.number_of_nodes() == graph.number_of_nodes()
        assert back.number_of_edges() == graph.number_of_edges()
    nodes, edges = exports.export(graph, "csv", tmp_path / "csv")
    assert len(nodes.read_text(encoding="utf-8").splitlines()) == graph.number_of_nodes() + 1
    assert len(edges.read_text(encoding="utf-8").splitlines()) == graph.number_of_edges() + 1


def test_load_reads_graph_json_and_leaves_the_collector_as_it_was(tmp_path, graph):
    import gc

    (tmp_path / "graph.json").write_text(
        json.dumps(nx.node_link_data(graph), ensure_ascii=False), encoding="utf-8"
    )
    assert gc.isenabled()
    g = query.load(tmp_path)
    assert gc.isenabled() and set(g) == set(graph) and query.cited_by(g, "28-NQ/TW@2022")
    gc.disable()
    try:
        query.load(tmp_path)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_cli_graph_questions(tmp_path, graph):
    run = _graph_cli(tmp_path, graph)
    proc = run("cited-by", "NQ 28", "--json")
    assert proc.returncode == 0, proc.stderr
    assert {r["id"] for r in json.loads(proc.stdout)} == {
        "132-KH/HU@2023",
        "58-CTr/TU@2023",
        "doc:c",
    }
    assert "28-NQ/TW@2022" in run("top", "-n", "3").stdout
    assert run("cited-by", "Chỉ thị 5").returncode == 1
    chain = json.loads(run("chain", "Nghị quyết 28", "--json").stdout)
    assert [(r["depth"], r["id"]) for r in chain][:2] == [
        (0, "28-NQ/TW@2022"),
        (1, "58-CTr/TU@2023"),
    ]
    assert "    132-KH/HU@2023" in run("chain", "NQ 28").stdout  # the table indents the tree
    assert len(json.loads(run("chain", "NQ 28", "--depth", "1", "--json").stdout)) == 4
    assert [r["id"] for r in json.loads(run("chain", "NQ 28", "-n", "2", "--json").stdout)] == [
        "28-NQ/TW@2022",
        "58-CTr/TU@2023",
    ]  # the first rows of the tree
    assert len(json.loads(run("cited-by", "NQ 28", "-n", "2", "--json").stdout)) == 2
    co = json.loads(run("co-cited", "28-NQ/TW", "--json", "-n", "2").stdout)
    assert [r["together"] for r in co] == [1, 1]
    dates = [r["date"] for r in json.loads(run("timeline", "--from", "2022", "--json").stdout)]
    assert dates == sorted(dates) and dates[0] == "2022-11-17"
    assert json.loads(run("timeline", "KH 132", "--json").stdout)[-1]["link"] == "itself"
    assert run("chain").returncode == 2
    assert run("export", "--format", "html", "--dest", str(tmp_path / "v.html")).returncode == 0
    assert "28-NQ/TW@2022" in (tmp_path / "v.html").read_text(encoding="utf-8")
    listed = run("export", "--format", "neo4j", "--dest", str(tmp_path / "neo4j")).stdout.split()
    assert [p.rsplit("/", 1)[-1] for p in listed] == ["nodes.csv", "edges.csv", "load.cypher"]


def test_chain_goes_down_through_the_most_specific_document_cited(graph):
    rows = query.chain(graph, "28-NQ/TW@2022")
    tree = [(r["depth"], r["id"], r["parent"]) for r in rows]
    # b cites both NQ 28 and the province's programme: it sits under the programme; c likewise under
    # b
    assert tree == [
        (0, "28-NQ/TW@2022", None),
        (1, "58-CTr/TU@2023", "28-NQ/TW@2022"),
        (2, "132-KH/HU@2023", "58-CTr/TU@2023"),
        (3, "doc:c", "132-KH/HU@2023"),
    ]
    by_id = {r["id"]: r for r in rows}
    assert by_id["132-KH/HU@2023"]["relations"] == "thực hiện"
    assert by_id["132-KH/HU@2023"]["also_cites"] == "28-NQ/TW@2022"
    assert by_id["doc:c"]["relations"] == "căn cứ"
    assert [r["id"] for r in query.chain(graph, "28-NQ/TW@2022", depth=1)] == [
        "28-NQ/TW@2022",
        "58-CTr/TU@2023",
        "132-KH/HU@2023",
        "doc:c",
    ]  # all three cite NQ 28 directly
    assert [r["id"] for r in query.chain(graph, "58-CTr/TU@2023", depth=1)] == [
        "58-CTr/TU@2023",
        "132-KH/HU@2023",
    ]


def test_chain_follows_a_numberless_document_to_the_node_it_is_and_only_goes_down_in_level():
    nq = {
        "symbol": "28-NQ/TW",
        "date": "2022-11-17",
        "doc_type": "Nghị quyết",
        "code": "NQ/TW",
        "relation": "thực hiện",
    }
    ctr = {
        "symbol": "58-CTr/TU",
        "date": "2023-03-30",
        "doc_type": "Chương trình hành động",
        "code": "CTr/TU",
        "issuer": "Ban Chấp hành Đảng bộ tỉnh",
        "subject": "về thực hiện Nghị quyết số 28-NQ/TW",
        "relation": "thực hiện",
    }
    g = graph_of(
        {
            "program": {
                "metadata": {
                    "doc_type": "Chương trình hành động",
                    "issuer": "Ban Chấp hành Đảng bộ tỉnh",
                },
                "citations": [nq],
            },
            "guide": {
                "metadata": {"doc_type": "Hướng dẫn", "issuer": "Ban Tuyên giáo Huyện ủy"},
                "citations": [ctr, nq],
            },
            # a district plan on NQ 28, a commune plan on it, and a later district plan citing only
            # the first
            "p1": {
                "metadata": {"symbol": "5-KH/HU", "date": "2023-05-01", "doc_type": "Kế hoạch"},
                "citations": [{"symbol": "6-KH/HU", "date": "2023-06-01", "code": "KH/HU"}, nq],
            },
            "p2": {
                "metadata": {"symbol": "6-KH/HU", "date": "2023-06-01", "doc_type": "Kế hoạch"},
                "citations": [{"symbol": "5-KH/HU", "date": "2023-05-01", "code": "KH/HU"}],
            },
            "p3": {
                "metadata": {"symbol": "2-KH/ĐU", "date": "2023-07-01", "doc_type": "Kế hoạch"},
                "citations": [
                    {
                        "symbol": "5-KH/HU",
                        "date": "2023-05-01",
                        "code": "KH/HU",
                        "relation": "triển khai",
                    }
                ],
            },
        }
    )
    rows = query.chain(g, "28-NQ/TW@2022")
    parent = {r["id"]: r["parent"] for r in rows}
    assert parent == {
        "28-NQ/TW@2022": None,
        "58-CTr/TU@2023": "28-NQ/TW@2022",
        "doc:guide": "58-CTr/TU@2023",
        # not 6-KH/HU: same level
        "5-KH/HU@2023": "28-NQ/TW@2022",
        "2-KH/ĐU@2023": "5-KH/HU@2023",
    }
    assert {r["id"]: r["same_as"] for r in rows}["58-CTr/TU@2023"] == "doc:program"
    assert {r["id"]: r["relations"] for r in rows}["2-KH/ĐU@2023"] == "triển khai"
    assert [r["level"] for r in rows] == ["TW", "TU", "HU", "HU", "ĐU"]
    # the number-less programme asked for by its own id gives the same chain
    assert [r["id"] for r in query.chain(g, "doc:program")] == ["58-CTr/TU@2023", "doc:guide"]
    # but asked for directly, the district plan has every document citing it below it
    assert {r["id"] for r in query.chain(g, "5-KH/HU@2023")} == {
        "5-KH/HU@2023",
        "6-KH/HU@2023",
        "2-KH/ĐU@2023",
    }


def test_co_cited_counts_citing_documents_that_name_both(graph):
    rows = query.co_cited(graph, "28-NQ/TW@2022")
    assert [(r["id"], r["together"]) for r in rows] == [
        ("101-QĐ/TW@2012", 1),
        ("132-KH/HU@2023", 1),
        ("58-CTr/TU@2023", 1),
    ]
    assert [(r["id"], r["together"]) for r in query.co_cited(graph, "132-KH/HU@2023")] == [
        ("101-QĐ/TW@2012", 1),
        ("28-NQ/TW@2022", 1),
    ]
    assert len(query.co_cited(graph, "28-NQ/TW@2022", top=1)) == 1
    assert query.co_cited(graph, "doc:c") == []  # cited by nobody
    assert len(query.co_cited(graph, "28-NQ/TW@2022", top=None)) == 3


def test_timeline_orders_by_date_filters_and_centres_on_a_document(graph):
    assert [r["date"] for r in query.timeline(graph)] == [
        "2012-06-07",
        "2022-11-17",
        "2023-03-30",
        "2023-06-22",
    ]
    assert [r["id"] for r in query.timeline(graph, start="2022-12", end="2023")] == [
        "58-CTr/TU@2023",
        "132-KH/HU@2023",
    ]
    assert [r["id"] for r in query.timeline(graph, level="HU")] == ["132-KH/HU@2023"]
    assert [r["id"] for r in query.timeline(graph, doc_type="quy định")] == ["101-QĐ/TW@2012"]
    assert len(query.timeline(graph, top=2)) == 2
    around = query.timeline(graph, "58-CTr/TU@2023")
    assert [(r["id"], r["link"]) for r in around] == [
        ("28-NQ/TW@2022", "cited by it"),
        ("58-CTr/TU@2023", "itself"),
        ("132-KH/HU@2023", "cites it"),
    ]


def test_most_cited_and_missing_use_the_stored_ranking(graph):
    assert all("pagerank" in a for _, a in graph.nodes(data=True))
    assert [r["id"] for r in query.most_cited(graph, doc_type="Quy định", year="2012")] == [
        "101-QĐ/TW@2012"
    ]
    assert query.most_cited(graph, issuer="trung ương")[0]["id"] == "28-NQ/TW@2022"
    assert query.most_cited(graph, level="ĐU") == []
    assert [r["id"] for r in query.missing(graph, top=1)] == ["28-NQ/TW@2022"]
    # the index follows a graph that grew
    graph.add_node("9-NQ/TW", symbol="9-NQ/TW", doc_type="Nghị quyết", in_corpus=False)
    assert query.resolve(graph, "NQ 9") == ["9-NQ/TW"]


def test_neo4j_export_has_import_headers_and_a_load_script(graph, tmp_path):
    import csv

    nodes, edges, script = exports.export(graph, "neo4j", tmp_path / "neo4j")
    with open(nodes, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["id:ID"] for r in rows} == set(graph)
    assert {"in_corpus:boolean", "cited_by:int", "pagerank:float", ":LABEL"} <= set(rows[0])
    nq = next(r for r in rows if r["id:ID"] == "28-NQ/TW@2022")
    assert (nq["cited_by:int"], nq["in_corpus:boolean"], nq["level"]) == ("3", "false", "TW")
    with open(edges, encoding="utf-8") as f:
        links = list(csv.DictReader(f))
    cites = [r for r in links if r[":TYPE"] == "CITES"]
    assert len(cites) == graph.number_of_edges()
    b_nq = next(
        r for r in cites if (r[":START_ID"], r[":END_ID"]) == ("132-KH/HU@2023", "28-NQ/TW@2022")
    )
    assert (
        b_nq["relations:string[]"] == "thực hiện"
        and json.loads(b_nq["mention_list"])[0]["relation"] == "thực hiện"
    )
    # typed as neo4j-admin reads them: numbers, dates, lists
    header = list(rows[0])
    for column in ("year:int", "number:int", "date:date", "dates:date[]", "label"):
        assert column in header, column
    assert (nq["year:int"], nq["number:int"], nq["date:date"]) == ("2022", "28", "2022-11-17")
    assert nq["label"] == "Nghị quyết 28-NQ/TW (2022)"
    assert {"count:int", "relations:string[]", "evidence:string[]"} <= set(links[0])
    c_row = next(r for r in rows if r["id:ID"] == "doc:c")
    assert c_row["label"] == "Hướng dẫn" and "doc:" not in c_row["label"]
    text = script.read_text(encoding="utf-8")
    assert "LOAD CSV WITH HEADERS FROM 'file:///nodes.csv'" in text and "file:///edges.csv" in text
    assert exports.NEO4J_LOAD in text and exports.NEO4J_IMPORT in text
    assert "MERGE (a)-[r:CITES]->(b)" in text and "d.pagerank = " in text
    assert "d.date = CASE WHEN row.`date:date` <> '' THEN date(row.`date:date`) END" in text
    assert "r.relations = CASE WHEN row.`relations:string[]` <> '' THEN split(" in text


def test_neo4j_export_writes_same_as_links():
    import csv
    import tempfile
    from pathlib import Path

    ctr = {
        "symbol": "58-CTr/TU",
        "date": "2023-03-30",
        "doc_type": "Chương trình hành động",
        "code": "CTr/TU",
        "issuer": "Ban Chấp hành Đảng bộ tỉnh",
        "subject": "về thực hiện Nghị quyết số 28-NQ/TW",
    }
    g = graph_of(
        {
            "plan": {"metadata": {"symbol": "1-KH/HU", "doc_type": "Kế hoạch"}, "citations": [ctr]},
            "program": {
                "metadata": {
                    "doc_type": "Chương trình hành động",
                    "issuer": "Ban Chấp hành Đảng bộ tỉnh",
                },
                "citations": [{"symbol": "28-NQ/TW", "doc_type": "Nghị quyết", "code": "NQ/TW"}],
            },
        }
    )
    with tempfile.TemporaryDirectory() as d:
        _, edges, _ = exports.export(g, "neo4j", Path(d))
        with open(edges, encoding="utf-8") as f:
            same = [r for r in csv.DictReader(f) if r[":TYPE"] == "SAME_AS"]
    assert [(r[":START_ID"], r[":END_ID"], r["confidence:float"]) for r in same] == [
        ("doc:program", "58-CTr/TU@2023", "1.0")
    ]
    evidence = same[0]["evidence:string[]"].split(";")  # one item each, as neo4j-admin splits it
    assert (
        "level: TU" in evidence and "subject: about 28-NQ/TW, which the document cites" in evidence
    )


def test_html_view_is_offline_and_holds_nodes_and_mentions(graph, tmp_path):
    import re

    (page,) = exports.export(graph, "html", tmp_path / "view.html")
    html = page.read_text(encoding="utf-8")
    # nothing is fetched: no external script, stylesheet, image or font
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?(?:https?:)?//", html, re.I)
    assert "<script src" not in html and "<link" not in html
    data = json.loads(
        re.search(r'<script id="data" type="application/json">(.*?)</script>', html, re.S).group(1)
    )
    assert {n["id"] for n in data["nodes"]} == set(graph)
    assert {n["id"]: n["cited_by"] for n in data["nodes"]}["28-NQ/TW@2022"] == 3
    edge = next(
        e for e in data["edges"] if (e["source"], e["target"]) == ("doc:c", "132-KH/HU@2023")
    )
    assert edge["mentions"][0]["relation"] == "căn cứ"


def test_html_view_of_a_large_graph_keeps_the_most_cited_and_their_citers(tmp_path):
    docs = {
        f"d{i}": _doc(
            f"{i}-KH/HU",
            "2023-01-01",
            [
                (f"{i % 7}-NQ/TW", "2020-01-01", "Nghị quyết", None, None),
                (f"{100 + i}-CT/TW", "2021-01-01", "Chỉ thị", None, None),
            ],
        )
        for i in range(60)
    }
    g = graph_of(docs)
    (page,) = exports.export(g, "html", tmp_path / "v.html", max_nodes=20)
    import re

    data = json.loads(
        re.search(
            r'<script id="data" type="application/json">(.*?)</script>',
            page.read_text(encoding="utf-8"),
            re.S,
        ).group(1)
    )
    ids = {n["id"] for n in data["nodes"]}
    assert len(ids) == 20 and {f"{k}-NQ/TW@2020" for k in range(7)} <= ids
    assert data["edges"] and data["total"] == {"nodes": len(g), "edges": g.number_of_edges()}


def test_json_inside_the_page_cannot_close_its_script(tmp_path):
    g = graph_of(
        {
            "x": {
                "metadata": {
                    "doc_type": "Kế hoạch",
                    "title": "a </script><script>alert(1)</script>",
                },
                "citations": [],
            }
        }
    )
    (page,) = exports.export(g, "html", tmp_path / "v.html")
    html = page.read_text(encoding="utf-8")
    assert html.count("</script>") == 2 and "alert(1)" in html


def test_chain_keeps_a_more_general_document_citing_back_out_of_the_tree():
    nq = {"symbol": "28-NQ/TW", "date": "2022-11-17", "code": "NQ/TW"}
    kl = {"symbol": "9-KL/TW", "date": "2024-01-05", "code": "KL/TW"}
    h = {"symbol": "7-KH/HU", "date": "2023-02-01", "code": "KH/HU"}
    g = graph_of(
        {
            "h": {
                "metadata": {"symbol": "7-KH/HU", "date": "2023-02-01", "doc_type": "Kế hoạch"},
                "citations": [nq, kl],
            },
            # a central document citing a district one, which cites it back: a cycle, not an
            # implementation
            "kl": {
                "metadata": {"symbol": "9-KL/TW", "date": "2024-01-05", "doc_type": "Kết luận"},
                "citations": [h],
            },
        }
    )
    rows = query.chain(g, "28-NQ/TW@2022")
    assert [(r["id"], r["parent"]) for r in rows] == [
        ("28-NQ/TW@2022", None),
        ("7-KH/HU@2023", "28-NQ/TW@2022"),
    ]
    assert [(r["id"], r["parent"]) for r in query.chain(g, "9-KL/TW@2024")] == [
        ("9-KL/TW@2024", None),
        ("7-KH/HU@2023", "9-KL/TW@2024"),
    ]


def _plain_chain(g, node, depth=None):
    """The chain rules of ``query.chain`` written the plain way, one node at a time: the oracle
    for the array version."""
    ix = query.index(g)
    level_rank = lambda n: ix["unit_level"][ix.position(n)]  # noqa: E731
    unit = lambda n: g.nodes[n].get("same_as") or n  # noqa: E731
    of = lambda u: [u] + list(g.nodes[u].get("described_by") or [])  # noqa: E731
    root = unit(node)
    reach, frontier, steps = {root: 0}, [root], 0
    while frontier and (depth is None or steps < depth):
        steps, nxt = steps + 1, []
        for u in frontier:
            floor = -1 if u == root else level_rank(u)
            for src in {unit(s) for m in of(u) for s in g.predecessors(m)}:
                if src not in reach and level_rank(src) > floor:
                    reach[src] = steps
                    nxt.append(src)
        frontier = nxt
    key = {u: -1 if u == root else ix["unit_order"][ix.position(u)] for u in reach}
    cited = {
        u: sorted(
            ({unit(t) for m in of(u) for t in g.successors(m)} & set(reach)) - {u}, key=key.get
        )
        for u in reach
    }
    parent = {
        u: max((t for t in cited[u] if key[t] < key[u]), key=key.get) for u in reach if u != root
    }
    rows = []

    def visit(u, d):
        p = parent.get(u)
        cues = sorted(
            {
                c
                for a in of(u)
                for b in (of(p) if p else [])
                if g.has_edge(a, b)
                for c in g.edges[a, b]["relations"]
            }
        )
        rows.append(
            (u, d, p, ", ".join(cues), ", ".join(t for t in cited[u] if t != p) if p else "")
        )
        for c in sorted((c for c in parent if parent[c] == u), key=key.get):
            visit(c, d + 1)

    visit(root, 0)
    return rows


@pytest.mark.parametrize("seed", range(40))
def test_chain_on_random_graphs_follows_its_rules(seed):
    rng = random.Random(seed)
    g = nx.DiGraph()
    levels = ["TW", "state", "TU", "HU", "ĐU", None]
    for i in range(rng.randint(2, 60)):
        g.add_node(
            f"n{i:02d}",
            level=rng.choice(levels),
            date=rng.choice([None, f"20{rng.randint(10, 24)}-01-01"]),
        )
    nodes = list(g)
    for _ in range(rng.randint(1, 200)):
        a, b = rng.sample(nodes, 2)
        g.add_edge(
            a,
            b,
            relations=sorted(
                set(rng.sample(["thực hiện", "căn cứ", "triển khai"], rng.randint(0, 2)))
            ),
        )
    for _ in range(rng.randint(0, 3)):  # number-less corpus documents that are cited nodes
        doc, cited = rng.sample(nodes, 2)
        if (
            not g.nodes[doc].get("described_by")
            and not g.nodes[cited].get("same_as")
            and not g.nodes[doc].get("same_as")
        ):
            g.nodes[doc]["same_as"] = cited
            g.nodes[cited].setdefault("described_by", []).append(doc)
    for node in rng.sample(nodes, min(5, len(nodes))):
        for depth in (None, 1, 2):
            got = [
                (r["id"], r["depth"], r["parent"], r["relations"], r["also_cites"])
                for r in query.chain(g, node, depth=depth)
            ]
            assert got == _plain_chain(g, node, depth), (seed, node, depth)
            for top in (0, 1, 3):
                assert [r["id"] for r in query.chain(g, node, depth=depth, top=top)] == [
                    r[0] for r in got[:top]
                ]


def test_every_export_holds_any_character_a_document_can_hold(graph, tmp_path):
    import re

    hostile = "a\x0bb <!--<script> </script> & \ud800 x"
    g = graph.copy()
    node = "28-NQ/TW@2022"
    g.nodes[node]["subject"] = hostile
    g.nodes["58-CTr/TU@2023"]["subject"] = "=cmd|' /C calc'!A0"
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        (path,) = exports.export(g, fmt, tmp_path / f"g.{fmt}")
        back = reader(path)  # well-formed XML
        assert back.nodes[node]["subject"] == "a b <!--<script> </script> & \ufffd x"
    nodes, _ = exports.export(g, "csv", tmp_path / "csv")
    assert "'=cmd|' /C calc'!A0" in nodes.read_text(encoding="utf-8")  # not a formula
    (page,) = exports.export(g, "html", tmp_path / "v.html")
    html = page.read_text(encoding="utf-8", errors="strict")
    data = re.search(r'<script id="data" type="application/json">(.*?)</script>', html, re.S)
    assert "<" not in data.group(1)  # nothing in the data can change how the page parses
    titles = {n["id"]: n["title"] for n in json.loads(data.group(1))["nodes"]}
    assert titles[node].startswith("a\x0bb <!--<script> </script> &")


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "csv", "neo4j", "html"])
def test_an_export_that_fails_midway_leaves_the_earlier_files_whole(
    graph, tmp_path, fmt, monkeypatch
):
    dest = tmp_path / ("out" if fmt in ("csv", "neo4j") else f"g.{fmt}")
    first = exports.export(graph, fmt, dest)
    before = {f: f.read_bytes() for f in first}

    def full_disk(src, dst):  # the write went through; the rename is refused, as a full disk would
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", full_disk)
    g = graph.copy()
    g.nodes["28-NQ/TW@2022"]["subject"] = "changed"
    with pytest.raises(OSError, match="No space left"):
        exports.export(g, fmt, dest)
    monkeypatch.undo()
    assert {f: f.read_bytes() for f in first} == before  # each file whole, as before
    assert not [f for f in tmp_path.rglob("*.tmp")]  # no temporary file left behind


def test_the_html_view_draws_in_a_browser_whatever_the_documents_say(graph, tmp_path):
    g = graph.copy()
    g.nodes["28-NQ/TW@2022"]["subject"] = "<!--<script> </script> a\x0bb"
    (page,) = exports.export(g, "html", tmp_path / "view.html")
    driver = browser()
    try:
        for address in (
            page.as_uri(),
            page.as_uri() + "#%E0%A4%A",
            page.as_uri() + "#28-NQ%2FTW%402022",
        ):
            driver.get("about:blank")  # a new load: a change of the address' hash alone is none
            driver.get(address)
            circles = driver.find_elements("css selector", "#world circle")
            assert len(circles) == g.number_of_nodes()  # every node drawn
            assert not [
                e for e in driver.get_log("browser") if e["level"] == "SEVERE"
            ]  # no script error
        # the node named in the address is opened, its title shown as text, not markup
        assert "<!--<script>" in driver.find_element("id", "info").text
        driver.save_screenshot(str(tmp_path / "view.png"))
    finally:
        driver.quit()


# --- loose names in every question, exports that keep every field, the view -----------------

VIEW_TEXT = (
    "I. CĂN CỨ\nThực hiện Nghị quyết số 28-NQ/TW ngày 17/11/2022 của Ban Chấp hành Trung ương; "
    "Chương trình hành động số 58-CTr/TU ngày 30/3/2023 của Tỉnh ủy.\n"
    "Căn cứ Quy định số 101-QĐ/TW ngày 07/6/2012 và Quy định số 101 - QĐ/TW ngày 28/02/2023.\n"
)


def _cite(written, symbol, date, doc_type, relation, **extra):
    start = VIEW_TEXT.index(written)
    return dict(
        symbol=symbol,
        date=date,
        doc_type=doc_type,
        code=symbol.split("-", 1)[1],
        relation=relation,
        section="I",
        start=start,
        end=start + len(written),
        text=written,
        **extra,
    )


@pytest.fixture
def years_graph():
    """One Quy định number in 2012, in 2023 and undated; a number-less programme that is the
    cited 58-CTr/TU (same_as); mentions with their sentences."""
    nq = {"symbol": "28-NQ/TW", "date": "2022-11-17", "doc_type": "Nghị quyết", "code": "NQ/TW"}
    return graph_of(
        {
            "plan": {
                "metadata": {
                    "symbol": "1-KH/HU",
                    "date": "2023-05-01",
                    "doc_type": "Kế hoạch",
                    "issuer": "Ban Thường vụ Huyện ủy",
                },
                "text": VIEW_TEXT,
                "citations": [
                    _cite(
                        "Nghị quyết số 28-NQ/TW",
                        "28-NQ/TW",
                        "2022-11-17",
                        "Nghị quyết",
                        "thực hiện",
                    ),
                    _cite(
                        "Chương trình hành động số 58-CTr/TU",
                        "58-CTr/TU",
                        "2023-03-30",
                        "Chương trình hành động",
                        "thực hiện",
                        issuer="Ban Chấp hành Đảng bộ tỉnh",
                        subject="về thực hiện Nghị quyết số 28-NQ/TW",
                    ),
                    _cite("Quy định số 101-QĐ/TW", "101-QĐ/TW", "2012-06-07", "Quy định", "căn cứ"),
                    _cite(
                        "Quy định số 101 - QĐ/TW", "101-QĐ/TW", "2023-02-28", "Quy định", "căn cứ"
                    ),
                ],
            },
            "program": {
                "metadata": {
                    "doc_type": "Chương trình hành động",
                    "issuer": "Ban Chấp hành Đảng bộ tỉnh",
                    "title": "thực hiện Nghị quyết số 28-NQ/TW về phương thức lãnh đạo",
                },
                "citations": [nq],
            },
            "other": {
                "metadata": {"symbol": "2-KH/HU", "date": "2023-06-01", "doc_type": "Kế hoạch"},
                "citations": [nq, {"symbol": "101-QĐ/TW", "doc_type": "Quy định", "code": "QĐ/TW"}],
            },
        }
    )


QD101 = ["101-QĐ/TW", "101-QĐ/TW@2012", "101-QĐ/TW@2023"]
# what an Ambiguous message names them by: each name selects its document alone
QD101_NAMES = ["101-QĐ/TW@undated", "101-QĐ/TW@2012", "101-QĐ/TW@2023"]


def test_a_symbol_of_several_years_means_each_and_marks_do_not_matter(years_graph):
    g = years_graph
    assert g.nodes["doc:program"]["same_as"] == "58-CTr/TU@2023"
    for q in ("101-QĐ/TW", "101-QD/TW", "101-qd/tw", "Quy định 101", "quy dinh so 101"):
        assert query.resolve(g, q) == QD101, q
    assert query.resolve(g, "101-QD/TW 2012") == ["101-QĐ/TW@2012"]
    assert query.resolve(g, "101-QĐ/TW@2023") == ["101-QĐ/TW@2023"]  # an id: itself
    for q in ("nghi quyet 28", "NQ 28", "28-nq/tw"):
        assert query.resolve(g, q) == ["28-NQ/TW@2022"], q
    # no number: title words, marks or not, every one of them
    assert query.resolve(g, "phuong thuc lanh dao") == ["doc:program"]
    assert query.resolve(g, "phương thức lãnh đạo") == ["doc:program"]
    assert query.resolve(g, "phương thức khác") == [] and query.resolve(g, "—") == []


def test_every_question_takes_a_loose_name(years_graph):
    g = years_graph
    rows = query.cited_by(g, "101-QĐ/TW")  # each year answered, ``of`` says which
    assert sorted({(r["of"], r["id"]) for r in rows}) == [
        ("101-QĐ/TW", "2-KH/HU@2023"),
        ("101-QĐ/TW@2012", "1-KH/HU@2023"),
        ("101-QĐ/TW@2023", "1-KH/HU@2023"),
    ]
    assert {r["id"] for r in query.cited_by(g, "28-NQ/TW")} == {
        "1-KH/HU@2023",
        "2-KH/HU@2023",
        "doc:program",
    }
    assert {r["id"] for r in query.cites(g, "KH 1")} == {
        "28-NQ/TW@2022",
        "58-CTr/TU@2023",
        "101-QĐ/TW@2012",
        "101-QĐ/TW@2023",
    }
    assert query.chain(g, "nghi quyet 28")[0]["id"] == "28-NQ/TW@2022"
    assert {r["id"] for r in query.co_cited(g, "NQ 28")} >= {"58-CTr/TU@2023"}
    assert query.timeline(g, "KH 2")[-1]["link"] == "itself"
    # a name of several documents where one is asked: Ambiguous, listing them
    for ask in (query.chain, query.co_cited, query.timeline):
        with pytest.raises(query.Ambiguous) as e:
            ask(g, "101-QĐ/TW")
        assert e.value.candidates == QD101
        assert str(e.value).endswith("name one: " + ", ".join(QD101_NAMES))
    # no such document: NotFound (a KeyError and a LookupError) with a plain message
    for ask in (query.cited_by, query.cites, query.chain, query.co_cited, query.timeline):
        with pytest.raises(query.NotFound) as e:
            ask(g, "Chỉ thị 99")
        assert str(e.value) == "no document in the graph matches 'Chỉ thị 99'"
        assert isinstance(e.value, KeyError) and isinstance(e.value, LookupError)


def test_the_undated_node_has_a_name_that_selects_it_alone(years_graph):
    g = years_graph
    assert "101-QĐ/TW" in g  # the node's id is the bare symbol, as before
    assert query.name_of("101-QĐ/TW") == "101-QĐ/TW@undated"
    for node in ("101-QĐ/TW@2012", "doc:program", "58-CTr/TU@2023"):
        assert query.name_of(node) == node
    # the bare symbol still means every year; "@undated" after a name keeps the undated node
    assert query.resolve(g, "101-QĐ/TW") == QD101
    for q in (
        "101-QĐ/TW@undated",
        "101-QD/TW@undated",
        "101-qđ/tw @ Undated",
        "Quy định 101@undated",
        "quy dinh so 101 @undated",
    ):
        assert query.resolve(g, q) == ["101-QĐ/TW"], q
        assert query.one(g, q) == "101-QĐ/TW", q
    assert query.resolve(g, "28-NQ/TW@undated") == []  # known in 2022 only: no undated node
    with pytest.raises(query.NotFound):
        query.one(g, "28-NQ/TW@undated")
    assert query.resolve(g, "undated") == [] and query.resolve(g, "@undated") == []
    # each name an Ambiguous message gives selects the candidate it stands for
    with pytest.raises(query.Ambiguous) as e:
        query.one(g, "Quy định 101")
    named = str(e.value).split("name one: ")[1].split(", ")
    assert named == QD101_NAMES and e.value.candidates == QD101
    assert [query.one(g, n) for n in named] == QD101
    # every question takes it, and answers with node ids as before
    assert {(r["of"], r["id"]) for r in query.cited_by(g, "101-QĐ/TW@undated")} == {
        ("101-QĐ/TW", "2-KH/HU@2023")
    }
    assert query.cites(g, "101-QĐ/TW@undated") == []
    chain = query.chain(g, "101-QD/TW@undated")
    assert [(r["depth"], r["id"]) for r in chain] == [(0, "101-QĐ/TW"), (1, "2-KH/HU@2023")]
    assert {r["id"] for r in query.co_cited(g, "101-QĐ/TW@undated")} == {"28-NQ/TW@2022"}
    assert {r["link"] for r in query.timeline(g, "101-QĐ/TW@undated")} == {"cites it"}


def _graph_cli(out, g):
    (out / "graph.json").write_text(
        json.dumps(nx.node_link_data(g), ensure_ascii=False), encoding="utf-8"
    )

    def run(*args):
        command = [sys.executable, "-m", "pipeline", "graph", str(out), *args]
        return subprocess.run(command, capture_output=True, text=True, cwd=REPO)

    return run


def test_cli_takes_loose_names_and_says_in_one_line_what_it_cannot(years_graph, tmp_path):
    run = _graph_cli(tmp_path, years_graph)
    for name in ("101-QĐ/TW", "101-QD/TW"):
        proc = run("cited-by", name, "--json")
        assert proc.returncode == 0, proc.stderr
        assert sorted({r["of"] for r in json.loads(proc.stdout)}) == QD101
    proc = run("cites", "101-QD/TW 2012", "--json")
    assert proc.returncode == 0 and json.loads(proc.stdout) == []
    for args, message in (
        (("chain", "101-QĐ/TW"), "'101-QĐ/TW' is 3 documents, name one: " + ", ".join(QD101_NAMES)),
        (
            ("co-cited", "101-QD/TW"),
            "'101-QD/TW' is 3 documents, name one: " + ", ".join(QD101_NAMES),
        ),
        (("cited-by", "Chỉ thị 99"), "no document in the graph matches 'Chỉ thị 99'"),
        (("timeline", "99-XX/TW"), "no document in the graph matches '99-XX/TW'"),
    ):
        proc = run(*args)
        assert (proc.returncode, proc.stderr.strip(), proc.stdout) == (1, message, ""), args


def test_cli_names_the_undated_node_as_it_is_to_be_asked_for(years_graph, tmp_path, capsys):
    run = _graph_cli(tmp_path, years_graph)
    proc = run("chain", "Quy định 101")
    assert proc.returncode == 1
    named = proc.stderr.strip().split("name one: ")[1].split(", ")
    assert named == QD101_NAMES
    # each name it gives is taken (from graph.index, as the command line reads the graph)
    assert run("missing").returncode == 0 and (tmp_path / "graph.index").exists()
    for name, node in zip(named, QD101):
        proc = run("chain", name, "--json")
        assert proc.returncode == 0, (name, proc.stderr)
        assert json.loads(proc.stdout)[0]["id"] == node
    proc = run("cited-by", "101-QD/TW@undated")  # without marks; the table names the nodes
    assert proc.returncode == 0 and proc.stdout.splitlines()[1].split()[:2] == [
        "101-QĐ/TW@undated",
        "2-KH/HU@2023",
    ]
    proc = run("co-cited", "28-NQ/TW@undated")
    assert (proc.returncode, proc.stderr.strip()) == (
        1,
        "no document in the graph matches '28-NQ/TW@undated'",
    )
    # and the help says how to name it
    with pytest.raises(SystemExit):
        main(["graph", "--help"])
    assert "101-QĐ/TW@undated" in " ".join(capsys.readouterr().out.split())


def _table(printed: str) -> list[dict]:
    """A question's table as the command line prints it, read back: columns where the
    header's names start, each cell stripped."""
    header, *lines = printed.splitlines()
    starts = [m.start() for m in re.finditer(r"\S+", header)]
    names = header.split()
    bounds = list(zip(starts, starts[1:] + [None]))
    return [{k: line[a:b].strip() for k, (a, b) in zip(names, bounds)} for line in lines]


def test_cli_tables_name_each_node_as_it_is_typed_back_and_json_keeps_ids(
    years_graph, tmp_path, capsys
):
    g = years_graph
    (tmp_path / "graph.json").write_text(
        json.dumps(nx.node_link_data(g), ensure_ascii=False), encoding="utf-8"
    )
    undated = "101-QĐ/TW"  # the node of the undated mentions; the bare symbol means all three
    assert query.resolve(g, undated) == QD101

    def ask(*args):
        assert main(["graph", str(tmp_path), *args]) == 0
        return capsys.readouterr().out

    shown = set()
    for question in (
        ("cited-by", "101-QĐ/TW"),  # "of": each of the three
        ("cites", "KH 2"),  # "id": what it cites, the undated node among them
        ("chain", "101-QĐ/TW@undated"),  # "id" (indented) and "parent"
        ("chain", "NQ 28"),  # "same_as": the number-less programme
        ("co-cited", "NQ 28"),
        ("timeline", "KH 2"),
        ("top", "-n", "50"),
        ("missing",),
        ("conflicts",),
    ):
        rows = json.loads(ask(*question, "--json"))
        table = _table(ask(*question))
        assert rows and len(table) == len(rows), question
        for row, cells in zip(rows, table):
            for column in ("of", "id", "parent", "also_cites", "same_as"):
                if not row.get(column):
                    continue
                listed = column in ("also_cites", "same_as")
                ids = row[column].split(", ") if listed else [row[column]]
                names = cells[column].split(", ")
                # the JSON keeps the node id; the table shows a name that, typed back into a
                # question, means that node alone
                found = [query.resolve(g, n) for n in names]
                assert found == [[i] for i in ids], (question, column)
                shown.update(zip(ids, names))
    assert (undated, "101-QĐ/TW@undated") in shown
    assert {i for i, _ in shown} >= {undated, *QD101[1:], "doc:program", "28-NQ/TW@2022"}
    # the export (data, as the JSON) keeps the id
    dest = tmp_path / "csv"
    assert main(["graph", str(tmp_path), "export", "--format", "csv", "--dest", str(dest)]) == 0
    capsys.readouterr()
    assert f"\n{undated}," in (dest / "nodes.csv").read_text(encoding="utf-8")


def test_cli_export_html_keeps_max_nodes(tmp_path):
    docs = {
        f"d{i}": _doc(
            f"{i}-KH/HU", "2023-01-01", [(f"{i % 9}-NQ/TW", "2020-01-01", "Nghị quyết", None, None)]
        )
        for i in range(40)
    }
    run = _graph_cli(tmp_path, graph_of(docs))
    for limit, shown in (("12", 12), ("30", 30), ("1000", 49)):
        page = tmp_path / f"v{limit}.html"
        proc = run("export", "--format", "html", "--dest", str(page), "--max-nodes", limit)
        assert proc.returncode == 0, proc.stderr
        assert len(_page_data(page)["nodes"]) == shown, limit


def _page_data(page):
    import re

    html = page.read_text(encoding="utf-8")
    found = re.search(r'<script id="data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_graphml_gexf_and_csv_keep_labels_relations_and_weights(years_graph, tmp_path):
    import csv

    g = years_graph
    edge = ("1-KH/HU@2023", "101-QĐ/TW@2012")
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        (path,) = exports.export(g, fmt, tmp_path / f"g.{fmt}")
        back = reader(path)
        e = back.edges[edge]
        assert (e["weight"], e["relations"]) == (1, "căn cứ"), fmt
        assert (
            isinstance(e["weight"], (int, float))
            and json.loads(e["mention_list"])[0]["section"] == "I"
        )
        assert "mentions" not in e  # an edge's mention list is not named as a node's count
        node = back.nodes["28-NQ/TW@2022"]
        assert node["label"] == "Nghị quyết 28-NQ/TW (2022)" and node["mentions"] == 3, fmt
        assert back.nodes["doc:program"]["label"].startswith("Chương trình hành động: thực hiện")
        assert not any(a["label"].startswith("doc:") for _, a in back.nodes(data=True))
    viz = nx.read_gexf(tmp_path / "g.gexf").nodes["28-NQ/TW@2022"]["viz"]
    assert viz["size"] > 5 and viz["color"] == {"r": 192, "g": 57, "b": 43, "a": 1.0}  # TW red
    nodes, edges = exports.export(g, "csv", tmp_path / "csv")
    with open(nodes, encoding="utf-8") as f:
        node_rows = {r["id"]: r for r in csv.DictReader(f)}
    assert node_rows["101-QĐ/TW@2023"]["label"] == "Quy định 101-QĐ/TW (2023)"
    with open(edges, encoding="utf-8") as f:
        edge_rows = {(r["source"], r["target"]): r for r in csv.DictReader(f)}
    row = edge_rows[edge]
    assert (row["weight"], row["relations"]) == ("1", "căn cứ")
    assert json.loads(row["mention_list"])[0]["text"] == "Quy định số 101-QĐ/TW"


def test_the_view_draws_a_document_and_the_node_it_is_as_one(years_graph, tmp_path):
    (page,) = exports.export(years_graph, "html", tmp_path / "v.html")
    data = _page_data(page)
    ids = {n["id"] for n in data["nodes"]}
    assert "doc:program" not in ids and "58-CTr/TU@2023" in ids
    ctr = next(n for n in data["nodes"] if n["id"] == "58-CTr/TU@2023")
    assert ctr["in_corpus"] and ctr["members"][0]["id"] == "doc:program"
    assert ctr["label"] == "Chương trình hành động 58-CTr/TU (2023)"
    # the programme's citation is the node's: 28-NQ/TW is cited by 1-KH/HU, 2-KH/HU and it
    assert {(e["source"], e["target"]) for e in data["edges"]} >= {
        ("58-CTr/TU@2023", "28-NQ/TW@2022")
    }
    assert next(n for n in data["nodes"] if n["id"] == "28-NQ/TW@2022")["cited_by"] == 3
    assert data["total"]["nodes"] == len(years_graph) - 1
    # the mention's place in its sentence, even spaced otherwise than the mention was read
    spaced = next(e for e in data["edges"] if e["target"] == "101-QĐ/TW@2023")["mentions"][0]
    i, j = spaced["mark"]
    assert spaced["sentence"][i:j] == "Quy định số 101 - QĐ/TW"
    assert not [n["label"] for n in data["nodes"] if "doc:" in n["label"] + n["short"]]


VIEW_QUERIES = (
    "NQ 28",
    "Nghị quyết 28",
    "nghi quyet 28",
    "nghị quyết số 28-NQ/TW, ngày 17/11/2022",
    "quy dinh so 101 nam 2012",
    "101-QĐ/TW",
    "101-QD/TW",
    "101-qd/tw 2023",
    "Quy định 101 năm 2012",
    "KH 2",
    "58-CTr/TU",
    "doc:program",
    "phuong thuc lanh dao",
    "Kế hoạch",
    "Chỉ thị 5",
    "28-NQ/TW@2022",
    "101-QĐ/TW@undated",
    "101-QD/TW @ undated",
    "Quy định 101@undated",
    "28-NQ/TW@undated",
)


def test_the_html_view_clicks_searches_marks_and_shares_its_address(years_graph, tmp_path):
    from selenium.webdriver.common.by import By

    g = years_graph
    (page,) = exports.export(g, "html", tmp_path / "view.html")
    unit = {n: g.nodes[n].get("same_as") or n for n in g}
    driver = browser(1280, 900)

    def panel_title():
        return driver.find_element(By.CSS_SELECTOR, "#info h2").text

    def address():
        return driver.execute_script("return decodeURIComponent(location.hash.slice(1))")

    def circle(node):
        return driver.find_element(By.CSS_SELECTOR, f'#world circle[data-id="{node}"]')

    try:
        driver.get(page.as_uri())
        assert len(driver.find_elements(By.CSS_SELECTOR, "#world circle")) == len(g) - 1
        # a click opens the node's panel and names it in the address
        circle("28-NQ/TW@2022").click()
        assert panel_title() == "Nghị quyết 28-NQ/TW (2022)" and address() == "28-NQ/TW@2022"
        # the mention is marked inside its sentence
        marks = [m.text for m in driver.find_elements(By.CSS_SELECTOR, "#info .m mark")]
        assert "Nghị quyết số 28-NQ/TW" in marks
        sentences = [m.text for m in driver.find_elements(By.CSS_SELECTOR, "#info .m")]
        assert any(
            s.endswith(
                "Thực hiện Nghị quyết số 28-NQ/TW ngày 17/11/2022 của Ban Chấp hành Trung ương;"
            )
            for s in sentences
        )
        circle("101-QĐ/TW@2023").click()
        assert panel_title() == "Quy định 101-QĐ/TW (2023)" and address() == "101-QĐ/TW@2023"
        assert "Quy định số 101 - QĐ/TW" in [
            m.text for m in driver.find_elements(By.CSS_SELECTOR, "#info .m mark")
        ]
        # back and forward go through the picks
        driver.back()
        assert panel_title() == "Nghị quyết 28-NQ/TW (2022)" and address() == "28-NQ/TW@2022"
        driver.forward()
        assert panel_title() == "Quy định 101-QĐ/TW (2023)"
        # a link with a fragment opens that node; the programme's own id opens the node it is
        for fragment, title in (
            ("#58-CTr%2FTU%402023", "Chương trình hành động 58-CTr/TU (2023)"),
            ("#doc%3Aprogram", "Chương trình hành động 58-CTr/TU (2023)"),
        ):
            driver.get("about:blank")
            driver.get(page.as_uri() + fragment)
            assert panel_title() == title, fragment
        assert "in the corpus as" in driver.find_element(By.ID, "info").text
        # nothing on the page is named by a file name
        labels = driver.execute_script(
            "return [...document.querySelectorAll('#world text, #world title')]"
            ".map(t => t.textContent)"
        )
        assert labels and not [x for x in labels if x.startswith("doc:")]
        # the search box finds what query.resolve finds, typed as a researcher types
        box = driver.find_element(By.ID, "search")
        for q, want in (
            ("NQ 28", ["28-NQ/TW@2022"]),
            ("Nghị quyết 28", ["28-NQ/TW@2022"]),
            ("101-QD/TW", QD101),
            ("phuong thuc lanh dao", ["58-CTr/TU@2023"]),
        ):
            box.clear()
            box.send_keys(q)
            hits = [
                li.get_attribute("data-id")
                for li in driver.find_elements(By.CSS_SELECTOR, "#hits li")
            ]
            assert hits == want, q
        assert address() == "58-CTr/TU@2023"  # a single hit is opened
        # each hit is named as it is to be asked for: the undated node by "@undated"
        box.clear()
        box.send_keys("101-QĐ/TW")
        hits = driver.find_elements(By.CSS_SELECTOR, "#hits li")
        assert [li.get_attribute("title") for li in hits] == QD101_NAMES
        box.clear()
        box.send_keys("101-QD/TW@undated")
        assert [
            li.get_attribute("data-id") for li in driver.find_elements(By.CSS_SELECTOR, "#hits li")
        ] == ["101-QĐ/TW"]
        assert address() == "101-QĐ/TW"
        # its panel names it as it is to be asked for, and so does a link to it
        assert driver.find_element(By.CSS_SELECTOR, "#info .id").text == "101-QĐ/TW@undated"
        circle("2-KH/HU@2023").click()
        assert driver.find_element(By.CSS_SELECTOR, "#info .id").text == "2-KH/HU@2023"
        titles = [
            a.get_attribute("title") for a in driver.find_elements(By.CSS_SELECTOR, "#info .link")
        ]
        assert sorted(titles) == ["101-QĐ/TW@undated", "28-NQ/TW@2022"]
        for q in VIEW_QUERIES:
            page_hits = driver.execute_script("return resolve(arguments[0]).map(n => n.id)", q)
            assert page_hits == sorted({unit[n] for n in query.resolve(g, q)}), q
        assert not [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        driver.save_screenshot(str(tmp_path / "view_1280.png"))
        # a narrow window: the graph keeps most of the width, the panel does not cover it
        driver.set_window_size(800, 900)
        view, side = (driver.find_element(By.ID, i).rect for i in ("view", "side"))
        width = driver.execute_script("return window.innerWidth")
        assert view["width"] >= 0.6 * width and view["height"] >= 300
        overlap_x = min(view["x"] + view["width"], side["x"] + side["width"]) - max(
            view["x"], side["x"]
        )
        overlap_y = min(view["y"] + view["height"], side["y"] + side["height"]) - max(
            view["y"], side["y"]
        )
        assert overlap_x <= 0 or overlap_y <= 0
        driver.save_screenshot(str(tmp_path / "view_800.png"))
    finally:
        driver.quit()


def test_exports_name_input_files_below_their_folder_not_by_this_machines_paths(graph, tmp_path):
    g = graph.copy()
    node = "28-NQ/TW@2022"
    g.nodes[node]["sources"] = ["/home/me/corpus/a.txt", "/home/me/corpus/scans/a.pdf"]
    g.nodes["58-CTr/TU@2023"]["sources"] = ["/home/me/corpus/b.md"]
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        (path,) = exports.export(g, fmt, tmp_path / f"g.{fmt}")
        assert json.loads(reader(path).nodes[node]["sources"]) == ["a.txt", "scans/a.pdf"]
        assert "/home/me" not in path.read_text(encoding="utf-8")
    nodes, _ = exports.export(g, "csv", tmp_path / "csv")
    assert "/home/me" not in nodes.read_text(encoding="utf-8")
