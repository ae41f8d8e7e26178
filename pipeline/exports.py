"""The citation graph in the formats other tools read: GraphML and GEXF (Gephi), CSV,
Neo4j (neo4j-admin import CSVs and a LOAD CSV script), and one offline HTML page."""

from __future__ import annotations

import csv
import heapq
import json
import re
from collections import Counter
from pathlib import Path

import networkx as nx

from .query import _cues, index

# characters XML 1.0 cannot hold (control characters such as Word's line break "\x0b", a
# lone surrogate from a non-UTF-8 file name): GraphML and GEXF get a space or U+FFFD
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SURROGATE = re.compile(r"[\ud800-\udfff]")


def _xml_text(value: str) -> str:
    return SURROGATE.sub("\ufffd", NOT_XML.sub(" ", value))


def _flat(g: nx.DiGraph) -> nx.DiGraph:
    """A copy whose attributes are scalars, as GraphML and GEXF require (lists as JSON text),
    and whose text XML can hold."""

    def scalar(v):
        if isinstance(v, (int, float, bool)):
            return v
        return _xml_text(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))

    flat = nx.DiGraph()
    for n, a in g.nodes(data=True):
        flat.add_node(_xml_text(n), **{k: scalar(v) for k, v in a.items() if v is not None})
    for u, v, a in g.edges(data=True):
        flat.add_edge(
            _xml_text(u),
            _xml_text(v),
            count=a.get("count", 0),
            mentions=scalar(a.get("mentions", [])),
        )
    return flat


# a cell a spreadsheet would run as a formula ("=cmd|' /C calc'!A0"): written with a quote
# before it, as OWASP advises for CSV meant to be opened in a spreadsheet
FORMULA = re.compile(r"^[=+\-@\t\r]")


def _cell(value):
    return f"'{value}" if isinstance(value, str) and FORMULA.match(value) else value


def export(g: nx.DiGraph, fmt: str, dest: Path, *, max_nodes: int = 500) -> list[Path]:
    """Write the graph as graphml, gexf, csv (nodes.csv + edges.csv), neo4j (a folder for
    neo4j-admin import or ``cypher-shell -f load.cypher``) or html (one offline page of the
    ``max_nodes`` most cited nodes); return the files written."""
    dest = Path(dest)
    if fmt == "graphml":
        nx.write_graphml(_flat(g), dest)
        return [dest]
    if fmt == "gexf":
        nx.write_gexf(_flat(g), dest)
        return [dest]
    if fmt == "csv":
        dest.mkdir(parents=True, exist_ok=True)
        flat = _flat(g)
        keys = sorted({k for _, a in flat.nodes(data=True) for k in a})
        with open(dest / "nodes.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["id"] + keys)
            for n, a in flat.nodes(data=True):
                w.writerow([_cell(x) for x in [n] + [a.get(k, "") for k in keys]])
        with open(dest / "edges.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["source", "target", "count", "mentions"])
            for u, v, a in flat.edges(data=True):
                w.writerow([_cell(u), _cell(v), a["count"], _cell(a["mentions"])])
        return [dest / "nodes.csv", dest / "edges.csv"]
    if fmt == "neo4j":
        return export_neo4j(g, dest)
    if fmt == "html":
        return [export_html(g, dest, max_nodes=max_nodes)]
    raise ValueError(f"unknown export format {fmt!r} (graphml, gexf, csv, neo4j, html)")


# --- Neo4j -------------------------------------------------------------------------------

# node properties and their neo4j-admin import types; lists go in as JSON text
NEO4J_NODE = [
    ("symbol", "string"),
    ("doc_type", "string"),
    ("number", "string"),
    ("code", "string"),
    ("year", "string"),
    ("date", "string"),
    ("dates", "string[]"),
    ("issuer", "string"),
    ("level", "string"),
    ("subject", "string"),
    ("term", "string"),
    ("title", "string"),
    ("in_corpus", "boolean"),
    ("mentions", "int"),
    ("cited_by", "int"),
    ("pagerank", "float"),
    ("conflicts", "string"),
    ("date_sources", "string"),
    ("outputs", "string"),
    ("same_as", "string"),
    ("same_as_confidence", "float"),
    ("same_as_evidence", "string"),
]
NEO4J_LOAD = "cypher-shell -u neo4j -p PASSWORD -f load.cypher"
NEO4J_IMPORT = (
    "neo4j-admin database import full --nodes=nodes.csv --relationships=edges.csv "
    "--overwrite-destination neo4j"
)


def _neo4j_value(value, kind: str) -> str:
    if value is None or value == [] or value == "":
        return ""
    if kind == "string[]":
        return ";".join(str(v) for v in value)  # neo4j-admin's default array delimiter
    if kind == "boolean":
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    return " ".join(str(value).split())  # one line per record: no multi-line fields to configure


def export_neo4j(g: nx.DiGraph, dest: Path) -> list[Path]:
    """nodes.csv and edges.csv with neo4j-admin import headers (``id:ID``, ``:START_ID``, typed
    properties), and load.cypher, which reads the same files with LOAD CSV into a running
    server. (:Document)-[:CITES {count, relations, mentions}]->(:Document), and
    (:Document)-[:SAME_AS {confidence, evidence}]->(:Document) for a number-less document."""
    dest.mkdir(parents=True, exist_ok=True)
    node_header = (
        ["id:ID"] + [f"{k}:{t}" if t != "string" else k for k, t in NEO4J_NODE] + [":LABEL"]
    )
    with open(dest / "nodes.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(node_header)
        for n, a in g.nodes(data=True):
            w.writerow([n] + [_neo4j_value(a.get(k), t) for k, t in NEO4J_NODE] + ["Document"])
    edge_header = [
        ":START_ID",
        ":END_ID",
        ":TYPE",
        "count:int",
        "relations",
        "mentions",
        "confidence:float",
        "evidence",
    ]
    with open(dest / "edges.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(edge_header)
        for u, v, a in g.edges(data=True):
            w.writerow(
                [
                    u,
                    v,
                    "CITES",
                    a.get("count", 0),
                    _cues(a),
                    _neo4j_value(a.get("mentions"), "json"),
                    "",
                    "",
                ]
            )
        for n, a in g.nodes(data=True):
            if a.get("same_as"):
                w.writerow(
                    [
                        n,
                        a["same_as"],
                        "SAME_AS",
                        "",
                        "",
                        "",
                        a.get("same_as_confidence"),
                        _neo4j_value(a.get("same_as_evidence"), "json"),
                    ]
                )

    def cast(column: str, value: str) -> str:
        kind = column.split(":")[1] if ":" in column else "string"
        return {
            "int": f"toInteger({value})",
            "float": f"toFloat({value})",
            "boolean": f"({value} = 'true')",
            "string[]": f"split({value}, ';')",
        }.get(kind, value)

    def sets(var: str, columns: list[str]) -> str:
        out = []
        for column in columns:
            if column.startswith(":") or column == "id:ID":
                continue
            field = f"row.`{column}`"
            # an empty field is no property (LOAD CSV reads it as "" or null, by version)
            out.append(
                f"{var}.{column.split(':')[0]} = "
                f"CASE WHEN {field} <> '' THEN {cast(column, field)} END"
            )
        return ",\n      ".join(out)

    cites_columns = ["count:int", "relations", "mentions"]
    same_columns = ["confidence:float", "evidence"]
    script = f"""// Load nodes.csv and edges.csv into a running Neo4j (4.4 or 5).
// Copy both files into the server's import folder, then: {NEO4J_LOAD}
// Into an empty, stopped database instead: {NEO4J_IMPORT}
CREATE CONSTRAINT document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE;

LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
CALL {{
  WITH row
  MERGE (d:Document {{id: row.`id:ID`}})
  SET {sets("d", node_header)}
}} IN TRANSACTIONS OF 10000 ROWS;
"""
    for kind, columns in (("CITES", cites_columns), ("SAME_AS", same_columns)):
        script += f"""
LOAD CSV WITH HEADERS FROM 'file:///edges.csv' AS row
WITH row WHERE row.`:TYPE` = '{kind}'
CALL {{
  WITH row
  MATCH (a:Document {{id: row.`:START_ID`}}), (b:Document {{id: row.`:END_ID`}})
  MERGE (a)-[r:{kind}]->(b)
  SET {sets("r", columns)}
}} IN TRANSACTIONS OF 10000 ROWS;
"""
    (dest / "load.cypher").write_text(script, encoding="utf-8")
    return [dest / "nodes.csv", dest / "edges.csv", dest / "load.cypher"]


# --- an offline HTML view ------------------------------------------------------------------

HTML_TEMPLATE = Path(__file__).with_name("data") / "graph_view.html"
HTML_MENTIONS = 20  # mentions kept per edge in the page


def export_html(g: nx.DiGraph, dest: Path, *, max_nodes: int = 500) -> Path:
    """One self-contained page (inline SVG and script, nothing fetched), nodes sized by
    citations, coloured by level; clicking a node lists its mentions (who cites it, with
    cue, section and sentence). A graph larger than ``max_nodes`` shows its most cited half
    and the documents that cite most of those, so the page still has edges to follow."""
    keep = set(g) if len(g) <= max_nodes else set(index(g)["ranked"][: max_nodes // 2])
    if len(keep) < len(g):
        citing = Counter(src for n in keep for src in g.predecessors(n) if src not in keep)
        keep |= {
            n
            for n, _ in heapq.nsmallest(
                max_nodes - len(keep), citing.items(), key=lambda x: (-x[1], x[0])
            )
        }
    nodes = [
        {
            "id": n,
            "label": a.get("symbol") or n,
            "type": a.get("doc_type"),
            "date": a.get("date"),
            "issuer": a.get("issuer"),
            "level": a.get("level"),
            "in_corpus": bool(a.get("in_corpus")),
            "cited_by": g.in_degree(n),
            "same_as": a.get("same_as"),
            "conflicts": a.get("conflicts") or [],
            "title": a.get("title") or a.get("subject"),
        }
        for n, a in g.nodes(data=True)
        if n in keep
    ]
    edges = [
        {
            "source": u,
            "target": v,
            "count": a.get("count", 0),
            "mentions": [
                {k: m.get(k) for k in ("section", "relation", "date", "sentence", "text")}
                for m in a.get("mentions", [])[:HTML_MENTIONS]
            ],
        }
        for u, v, a in g.edges(data=True)
        if u in keep and v in keep
    ]
    data = json.dumps(
        {"nodes": nodes, "edges": edges, "total": {"nodes": len(g), "edges": g.number_of_edges()}},
        ensure_ascii=False,
    )
    # the JSON sits inside a <script> element: no "<" may reach the HTML parser ("</script>",
    # "<!--<script>" would end or blank the page), nor ">" or "&"; JSON reads the escapes back
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    page = HTML_TEMPLATE.read_text(encoding="utf-8").replace("/*DATA*/null", data, 1)
    dest.parent.mkdir(parents=True, exist_ok=True)
    # a lone surrogate (a non-UTF-8 file name) as JSON's \uXXXX escape
    dest.write_bytes(page.encode("utf-8", "backslashreplace"))
    return dest
