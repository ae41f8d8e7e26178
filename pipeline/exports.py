"""The citation graph in the formats other tools read: GraphML and GEXF (Gephi), CSV,
Neo4j (neo4j-admin import CSVs and a LOAD CSV script), and one offline HTML page."""

from __future__ import annotations

import csv
import heapq
import json
import math
import re
from collections import Counter, defaultdict
from contextlib import contextmanager
from pathlib import Path

import networkx as nx

from . import symbols
from .atomic import replaced, write_bytes
from .graph import inputs_folder, label, relative_path
from .query import _cue_set, _year_of, fold, node_words, search_rules
from .symbols import key as symbol_key

# characters XML 1.0 cannot hold (control characters such as Word's line break "\x0b", a
# lone surrogate from a non-UTF-8 file name): GraphML and GEXF get a space or U+FFFD
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SURROGATE = re.compile(r"[\ud800-\udfff]")


def _xml_text(value: str) -> str:
    return SURROGATE.sub("\ufffd", NOT_XML.sub(" ", value))


# the level colours of the HTML view (graph_view.html), as GEXF's viz colours
LEVEL_RGB = {
    "TW": (192, 57, 43),
    "state": (142, 68, 173),
    "TU": (36, 113, 163),
    "HU": (34, 153, 84),
    "ĐU": (214, 137, 16),
    None: (127, 140, 141),
}


def _size(cited_by: int) -> float:
    return 5 + 3 * math.sqrt(cited_by)  # the HTML view's radius: area grows with citations


def _flat(g: nx.DiGraph, *, viz: bool = False) -> nx.DiGraph:
    """A copy whose attributes are scalars, as GraphML and GEXF require (lists as JSON text),
    and whose text XML can hold; each node with its ``label``, each edge with ``weight`` (its
    mention count, as Gephi reads it), ``relations`` (its cues, "; " between them) and
    ``mention_list`` (JSON text; a node's ``mentions`` is how often it is mentioned). With
    ``viz``, GEXF's size and colour of each node."""

    # input files relative to the folder holding them all: an export leaves this machine
    root = inputs_folder([p for _, a in g.nodes(data=True) for p in a.get("sources") or ()])

    def scalar(v):
        if isinstance(v, (int, float, bool)):
            return v
        return _xml_text(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))

    flat = nx.DiGraph()
    for n, a in g.nodes(data=True):
        attrs = {k: scalar(v) for k, v in a.items() if v is not None}
        attrs["label"] = _xml_text(label(n, a))
        if a.get("sources"):
            attrs["sources"] = scalar([relative_path(p, root) for p in a["sources"]])
        if viz:
            r, gr, b = LEVEL_RGB.get(a.get("level"), LEVEL_RGB[None])
            attrs["viz"] = {
                "size": _size(g.in_degree(n)),
                "color": {"r": r, "g": gr, "b": b, "a": 1.0},
            }
        flat.add_node(_xml_text(n), **attrs)
    for u, v, a in g.edges(data=True):
        flat.add_edge(
            _xml_text(u),
            _xml_text(v),
            weight=a.get("count", 0),
            relations=_xml_text(RELATIONS_JOIN.join(_cue_set(a))),
            mention_list=scalar(a.get("mentions", [])),
        )
    return flat


RELATIONS_JOIN = "; "


# a cell a spreadsheet would run as a formula ("=cmd|' /C calc'!A0"): written with a quote
# before it, as OWASP advises for CSV meant to be opened in a spreadsheet
FORMULA = re.compile(r"^[=+\-@\t\r]")


def _cell(value):
    return f"'{value}" if isinstance(value, str) and FORMULA.match(value) else value


@contextmanager
def _csv_file(path: Path):
    """A CSV file opened for writing that replaces ``path`` whole when the block ends: a
    failed export (a full disk) leaves the earlier file, never half of one."""
    with replaced(path) as tmp, open(tmp, "w", newline="", encoding="utf-8") as f:
        yield f


def export(g: nx.DiGraph, fmt: str, dest: Path, *, max_nodes: int = 500) -> list[Path]:
    """Write the graph as graphml, gexf, csv (nodes.csv + edges.csv), neo4j (a folder for
    neo4j-admin import or ``cypher-shell -f load.cypher``) or html (one offline page of the
    ``max_nodes`` most cited nodes); return the files written."""
    dest = Path(dest)
    if fmt == "graphml":
        with replaced(dest) as tmp:
            nx.write_graphml(_flat(g), tmp)
        return [dest]
    if fmt == "gexf":
        with replaced(dest) as tmp:
            nx.write_gexf(_flat(g, viz=True), tmp)
        return [dest]
    if fmt == "csv":
        dest.mkdir(parents=True, exist_ok=True)
        flat = _flat(g)
        keys = ["label"] + sorted({k for _, a in flat.nodes(data=True) for k in a} - {"label"})
        edge_keys = ["weight", "relations", "mention_list"]
        with _csv_file(dest / "nodes.csv") as f:
            w = csv.writer(f)
            w.writerow(["id"] + keys)
            for n, a in flat.nodes(data=True):
                w.writerow([_cell(x) for x in [n] + [a.get(k, "") for k in keys]])
        with _csv_file(dest / "edges.csv") as f:
            w = csv.writer(f)
            w.writerow(["source", "target"] + edge_keys)
            for u, v, a in flat.edges(data=True):
                w.writerow([_cell(x) for x in [u, v] + [a[k] for k in edge_keys]])
        return [dest / "nodes.csv", dest / "edges.csv"]
    if fmt == "neo4j":
        return export_neo4j(g, dest)
    if fmt == "html":
        return [export_html(g, dest, max_nodes=max_nodes)]
    raise ValueError(f"unknown export format {fmt!r} (graphml, gexf, csv, neo4j, html)")


# --- Neo4j -------------------------------------------------------------------------------

# node properties and their neo4j-admin import types; lists of text as string[] (";" between
# items, the tool's default array delimiter), other lists and mappings as JSON text
NEO4J_NODE = [
    ("label", "string"),
    ("symbol", "string"),
    ("doc_type", "string"),
    ("number", "int"),
    ("code", "string"),
    ("year", "int"),
    ("date", "date"),
    ("dates", "date[]"),
    ("issuer", "string"),
    ("level", "string"),
    ("province", "string"),
    ("subject", "string"),
    ("term", "string"),
    ("title", "string"),
    ("in_corpus", "boolean"),
    ("mentions", "int"),
    ("cited_by", "int"),
    ("pagerank", "float"),
    ("conflicts", "string[]"),
    ("date_sources", "string"),
    ("outputs", "string[]"),
    ("same_as", "string"),
    ("same_as_confidence", "float"),
    ("same_as_evidence", "string[]"),
]
NEO4J_EDGE = [
    ("count", "int"),
    ("relations", "string[]"),
    ("mention_list", "string"),
    ("confidence", "float"),
    ("evidence", "string[]"),
]
NEO4J_LOAD = "cypher-shell -u neo4j -p PASSWORD -f load.cypher"
NEO4J_IMPORT = (
    "neo4j-admin database import full --nodes=nodes.csv --relationships=edges.csv "
    "--overwrite-destination neo4j"
)


ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")


def _neo4j_value(value, kind: str) -> str:
    """A field as neo4j-admin reads its type; a value the type cannot hold (a number "1.5"
    as int, a partial date) is left out rather than failing the whole import."""
    if value is None:
        return ""
    if value == [] or value == "":
        return ""
    if kind[-1] == "]":
        items = [_neo4j_value(v, kind[:-2]) for v in value]
        # ";" separates the items: inside one it becomes ","
        return ";".join(v.replace(";", ",") for v in items if v)
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "int":
        return str(value) if str(value).isdigit() else ""
    if kind == "date":
        return value if ISO_DATE.fullmatch(str(value)) else ""
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    return " ".join(str(value).split())  # one line per record: no multi-line fields to configure


def _header(properties: list[tuple[str, str]]) -> list[str]:
    return [f"{k}:{t}" if t != "string" else k for k, t in properties]


def export_neo4j(g: nx.DiGraph, dest: Path) -> list[Path]:
    """nodes.csv and edges.csv with neo4j-admin import headers (``id:ID``, ``:START_ID``, typed
    properties: ``year:int``, ``date:date``, ``relations:string[]``, ...), and load.cypher,
    which reads the same files with LOAD CSV into a running server, cast alike.
    (:Document)-[:CITES {count, relations, mention_list}]->(:Document), and
    (:Document)-[:SAME_AS {confidence, evidence}]->(:Document) for a number-less document."""
    dest.mkdir(parents=True, exist_ok=True)
    node_header = ["id:ID"] + _header(NEO4J_NODE) + [":LABEL"]
    with _csv_file(dest / "nodes.csv") as f:
        w = csv.writer(f)
        w.writerow(node_header)
        for n, a in g.nodes(data=True):
            values = {**a, "label": label(n, a)}
            w.writerow([n] + [_neo4j_value(values.get(k), t) for k, t in NEO4J_NODE] + ["Document"])
    edge_header = [":START_ID", ":END_ID", ":TYPE"] + _header(NEO4J_EDGE)
    with _csv_file(dest / "edges.csv") as f:
        w = csv.writer(f)
        w.writerow(edge_header)
        # a citing pair: count, its cues (";" between them) and its mentions as JSON text
        for u, v, a in g.edges(data=True):
            cues = ";".join(c.replace(";", ",") for c in _cue_set(a))
            mentions = _neo4j_value(a.get("mentions"), "string")
            w.writerow([u, v, "CITES", a.get("count", 0), cues, mentions, "", ""])
        for n, a in g.nodes(data=True):
            if a.get("same_as"):
                values = {"confidence": a.get("same_as_confidence")}
                values["evidence"] = a.get("same_as_evidence")
                w.writerow(
                    [n, a["same_as"], "SAME_AS"]
                    + [_neo4j_value(values.get(k), t) for k, t in NEO4J_EDGE]
                )

    def cast(column: str, value: str) -> str:
        kind = column.split(":")[1] if ":" in column else "string"
        return {
            "int": f"toInteger({value})",
            "float": f"toFloat({value})",
            "boolean": f"({value} = 'true')",
            "date": f"date({value})",
            "string[]": f"split({value}, ';')",
            "date[]": f"[x IN split({value}, ';') | date(x)]",
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

    cites_columns = _header(NEO4J_EDGE[:3])
    same_columns = _header(NEO4J_EDGE[3:])
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
    write_bytes(dest / "load.cypher", script.encode("utf-8"))
    return [dest / "nodes.csv", dest / "edges.csv", dest / "load.cypher"]


# --- an offline HTML view ------------------------------------------------------------------

HTML_TEMPLATE = Path(__file__).with_name("data") / "graph_view.html"
HTML_MENTIONS = 20  # mentions kept per edge in the page
SHORT_LABEL = 28  # characters of a number-less document's label beside its node


def _view(g: nx.DiGraph, max_nodes: int) -> tuple[nx.DiGraph, dict[str, list[str]], dict]:
    """The part of the graph the page draws, and for each node the ids merged into it, and
    the whole's size. A number-less corpus document and the cited node it is (``same_as``)
    are one node, under the cited node's id, with the citations of both. Of a graph larger
    than ``max_nodes``: its most cited half, then the documents that cite most of those (so
    the page has edges to follow), then the next most cited. Each drawn edge lists the
    graph's edges it stands for (``parts``), so that only the mentions shown are read."""
    same = {n: a["same_as"] for n, a in g.nodes(data=True) if a.get("same_as") in g}
    members: dict[str, list[str]] = defaultdict(list)
    for n, target in same.items():
        members[target].append(n)
    if same:  # who cites each node, between merged nodes
        pairs = {(same.get(u, u), same.get(v, v)) for u, v in g.edges()}
        citers: dict[str, list[str]] = defaultdict(list)
        for u, v in pairs:
            if u != v:
                citers[v].append(u)
        edges = sum(map(len, citers.values()))
    else:
        citers, edges = g.pred, g.number_of_edges()
    units = [n for n in g if n not in same]
    keep = set(units)
    if len(units) > max_nodes:
        rank = {n: (-len(citers.get(n, ())), -(g.nodes[n].get("pagerank") or 0), n) for n in units}
        ranked = sorted(units, key=rank.__getitem__)
        keep = set(ranked[: max_nodes // 2])
        citing = Counter(src for n in keep for src in citers.get(n, ()) if src not in keep)
        keep |= {
            n
            for n, _ in heapq.nsmallest(
                max_nodes - len(keep), citing.items(), key=lambda x: (-x[1], x[0])
            )
        }
        for n in ranked:
            if len(keep) >= max_nodes:
                break
            keep.add(n)
    view = nx.DiGraph()
    keep = [
        n for n in units if n in keep
    ]  # in the graph's order, so the page is the same each time
    for n in keep:
        attrs = dict(g.nodes[n])
        for m in members.get(n, ()):
            other = g.nodes[m]
            attrs["in_corpus"] = attrs.get("in_corpus") or other.get("in_corpus")
            for k in ("doc_type", "title", "subject", "issuer", "date", "level"):
                if attrs.get(k) is None and other.get(k) is not None:
                    attrs[k] = other[k]
        view.add_node(n, **attrs)
    for n in keep:
        for m in [n, *members.get(n, ())]:
            for v in g.succ[m]:
                t = same.get(v, v)
                if t in view and t != n:
                    if not view.has_edge(n, t):
                        view.add_edge(n, t, parts=[])
                    view.edges[n, t]["parts"].append((m, v))
    cited_by = {n: len(citers.get(n, ())) for n in keep}
    return view, members, {"nodes": len(units), "edges": edges, "cited_by": cited_by}


def _marked(sentence: str | None, text: str | None) -> list[int] | None:
    """Where the mention's own words are in its sentence ([start, end]), for the view to mark
    them; the sentence may space them otherwise ("28 - NQ/TW")."""
    if not sentence or not text:
        return None
    at = sentence.find(text)
    if at >= 0:
        return [at, at + len(text)]
    loose = r"\s*".join(re.escape(c) for c in "".join(text.split()))
    m = re.search(loose, sentence)
    return [m.start(), m.end()] if m else None


def export_html(g: nx.DiGraph, dest: Path, *, max_nodes: int = 500) -> Path:
    """One self-contained page (inline SVG and script, nothing fetched), nodes sized by
    citations, coloured by level, each named by its label (``graph.label``); a number-less
    corpus document and the cited node it is are one node. Clicking a node lists its
    mentions (who cites it, with cue, section and the sentence, the mention marked) and puts
    its id in the address (``view.html#28-NQ%2FTW%402022``), which opens it again. The
    search box reads a loose name by ``query.resolve``'s rules, title words included. A
    graph larger than ``max_nodes`` shows its most cited half and the documents that cite
    most of those, so the page still has edges to follow."""
    view, members, whole = _view(g, max_nodes)
    keep = set(view)
    # the graph's short name of a node: its symbol, with the year where two shown share it
    symbol_count = Counter(view.nodes[n].get("symbol") for n in keep)
    nodes = []
    for n, a in view.nodes(data=True):
        if n not in keep:
            continue
        full = label(n, a)
        year = _year_of(a)
        if a.get("symbol"):
            shared = symbol_count[a["symbol"]] > 1 and year
            short = f"{a['symbol']} ({year})" if shared else a["symbol"]
        else:
            short = full if len(full) <= SHORT_LABEL else full[: SHORT_LABEL - 1] + "…"
        words = node_words(view, n)
        for m in members.get(n, []):
            words |= node_words(g, m)
        head = symbols.head(a["symbol"]) if a.get("symbol") else None
        key = symbol_key(a["symbol"]) if a.get("symbol") else None
        nodes.append(
            {
                "id": n,
                "label": full,
                "short": short,
                "type": a.get("doc_type"),
                "symbol": a.get("symbol"),
                "date": a.get("date"),
                "issuer": a.get("issuer"),
                "level": a.get("level"),
                "in_corpus": bool(a.get("in_corpus")),
                "cited_by": whole["cited_by"][n],
                "members": [{"id": m, "label": label(m, g.nodes[m])} for m in members.get(n, [])],
                "conflicts": a.get("conflicts") or [],
                "title": a.get("title") or a.get("subject"),
                # what the search box matches, as query.resolve reads a name
                "find": {
                    "key": key.casefold() if key else None,
                    "fkey": fold(key) if key else None,
                    "num": head[0] if head else None,
                    "code": fold(head[1]) if head else None,
                    "type": fold(a.get("doc_type") or ""),
                    "year": year,
                    "words": sorted(words),
                },
            }
        )
    edges = []
    for u, v, a in view.edges(data=True):
        if u not in keep or v not in keep:
            continue
        parts = [g.edges[p] for p in a["parts"]]
        mentions = []
        for m in [m for e in parts for m in e.get("mentions", [])][:HTML_MENTIONS]:
            row = {k: m.get(k) for k in ("section", "relation", "date", "sentence", "text")}
            row["mark"] = _marked(m.get("sentence"), m.get("text"))
            mentions.append(row)
        edges.append(
            {
                "source": u,
                "target": v,
                "count": sum(e.get("count", 0) for e in parts),
                "relations": sorted({r for e in parts for r in _cue_set(e)}),
                "mentions": mentions,
            }
        )
    data = json.dumps(
        {
            "nodes": nodes,
            "edges": edges,
            "total": {"nodes": whole["nodes"], "edges": whole["edges"]},
            "search": search_rules(),
        },
        ensure_ascii=False,
    )
    # the JSON sits inside a <script> element: no "<" may reach the HTML parser ("</script>",
    # "<!--<script>" would end or blank the page), nor ">" or "&"; JSON reads the escapes back
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    page = HTML_TEMPLATE.read_text(encoding="utf-8").replace("/*DATA*/null", data, 1)
    dest.parent.mkdir(parents=True, exist_ok=True)
    # a lone surrogate (a non-UTF-8 file name) as JSON's \uXXXX escape
    write_bytes(dest, page.encode("utf-8", "backslashreplace"))
    return dest
