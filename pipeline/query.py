"""Questions researchers ask of the citation graph, and exports other tools read.

Works on the networkx graph of ``graph.json`` (``load``). Every function returns plain
rows (dicts), which the CLI prints as a table or JSON.
"""
from __future__ import annotations

import csv
import heapq
import json
import weakref
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from itertools import islice
from pathlib import Path
from typing import Iterator

import networkx as nx
import numpy as np
import regex as re

from .catalogue import canonical_type, catalogue
from .graph import from_node_link, symbol_key


def load(out: Path) -> nx.DiGraph:
    g = from_node_link(json.loads((Path(out) / "graph.json").read_text(encoding="utf-8")))
    index(g)  # built once here, so the first question is as fast as the rest
    return g


# --- an index over the graph, built once per graph object -------------------------------

LEVEL_ORDER = {"TW": 0, "state": 1, "TU": 2, "HU": 3, "ĐU": 4}
_SYMBOL_HEAD = re.compile(r"0*(\d+)[-/](?:\d{4}/)?(\p{L}+)")
_indexes: "weakref.WeakKeyDictionary[nx.DiGraph, dict]" = weakref.WeakKeyDictionary()


def index(g: nx.DiGraph) -> dict:
    """Lookups the questions need, so none of them scans every node: names, rankings, dates.
    Kept per graph object and rebuilt when the node count changes; a graph changed in
    place otherwise needs ``refresh(g)``."""
    ix = _indexes.get(g)
    if ix is not None and ix["nodes"] == len(g):
        return ix
    rank = {n: a.get("pagerank") for n, a in g.nodes(data=True)}
    if any(r is None for r in rank.values()):  # a graph.json from before PageRank was stored
        rank = nx.pagerank(g) if g.number_of_edges() else {n: 0.0 for n in g}
    by_key, by_number, by_filter, dated = defaultdict(list), defaultdict(list), defaultdict(list), []
    ranked = sorted(g, key=lambda n: (-g.in_degree(n), -rank[n], n))
    for node in ranked:
        a = g.nodes[node]
        if a.get("symbol"):
            by_key[symbol_key(a["symbol"]).casefold()].append(node)
            m = _SYMBOL_HEAD.match(a["symbol"])
            if m:
                by_number[m.group(1)].append((m.group(2), node))
        # posting lists in rank order, one per filter value, for most_cited and missing
        for name, value in (("level", a.get("level")), ("type", a.get("doc_type")), ("year", _year_of(a)),
                            ("in_corpus", bool(a.get("in_corpus")))):
            by_filter[name, value].append(node)
        if a.get("date"):
            dated.append((a["date"], node))
    dated.sort()
    # the fixed part of each node's answer row, and the citations as integer arrays (co-citation)
    base = {n: {"id": n, "type": a.get("doc_type"), "symbol": a.get("symbol"), "date": a.get("date"),
                "issuer": a.get("issuer"), "level": a.get("level"), "in_corpus": bool(a.get("in_corpus"))}
            for n, a in g.nodes(data=True)}
    ids = list(g)
    pos = {n: i for i, n in enumerate(ids)}
    succ_ptr = np.zeros(len(ids) + 1, dtype=np.int64)
    succ_ptr[1:] = np.cumsum([len(g._succ[n]) for n in ids])
    succ_ix = np.fromiter((pos[t] for n in ids for t in g._succ[n]), dtype=np.int64, count=int(succ_ptr[-1]))
    # general → specific (level, then date), a unit taking the most general of its members
    same_as = {n: a["same_as"] for n, a in g.nodes(data=True) if a.get("same_as")}
    described = {n: (n, *a["described_by"]) for n, a in g.nodes(data=True) if a.get("described_by")}
    level_rank = {n: LEVEL_ORDER.get(a.get("level"), len(LEVEL_ORDER)) for n, a in g.nodes(data=True)}
    for u, members in described.items():
        level_rank[u] = min(level_rank[m] for m in members)

    def generality(n):
        dates = [d for m in described.get(n, (n,)) if (d := g._node[m].get("date"))]
        return (level_rank[n], min(dates) if dates else "9999", n)

    order = {n: i for i, n in enumerate(sorted(g, key=generality))}
    ix = {"nodes": len(g), "rank": rank, "ranked": ranked, "by_key": by_key, "by_number": by_number,
          "same_as": same_as, "described_by": described, "level_rank": level_rank, "order": order,
          "base": base, "ids": ids, "pos": pos, "succ_ptr": succ_ptr, "succ_ix": succ_ix,
          "by_filter": by_filter, "dated": dated, "dates": [d for d, _ in dated],
          "conflicts": [n for n in ranked if g.nodes[n].get("conflicts")]}
    _indexes[g] = ix
    return ix


def refresh(g: nx.DiGraph) -> dict:
    _indexes.pop(g, None)
    return index(g)


def _year_of(a: dict) -> str | None:
    return a.get("year") or (a.get("date") or "")[:4] or None


def resolve(g: nx.DiGraph, query: str) -> list[str]:
    """Node ids a loose name means: "28-NQ/TW", "NQ 28", "Nghị quyết 28", "101-QĐ/TW@2012", "doc:name"."""
    q = " ".join(query.split())
    if q in g:
        return [q]
    ix = index(g)
    m = re.fullmatch(r"(\d{1,4})\s*-\s*(\S+)", q) or re.fullmatch(r"(\d{1,4})\s*/\s*(\S+)", q)
    if m:
        return sorted(ix["by_key"].get(symbol_key(q.replace(" ", "")).casefold(), []))
    m = re.fullmatch(r"(?P<word>.+?)\s+(?:số\s+)?(?P<num>\d{1,4})", q, re.IGNORECASE)
    if not m:
        return []
    word, num = m.group("word"), m.group("num").lstrip("0")
    kind = canonical_type(word)
    types = catalogue()["doc_types"]
    codes = set(types.get(kind, [])) or {word.upper()}
    return sorted(node for code, node in ix["by_number"].get(num, [])
                  if code in codes or g.nodes[node].get("doc_type") == kind)


def _row(g: nx.DiGraph, node: str, **extra) -> dict:
    """id, type, symbol, date, issuer, level, in_corpus, cited_by and the question's own columns."""
    return {**index(g)["base"][node], "cited_by": len(g._pred[node]), **extra}


def _cue_set(edge: dict) -> list[str]:
    if "relations" in edge:  # stored at build time
        return edge["relations"]
    return sorted({m.get("relation") for m in edge.get("mentions", []) if m.get("relation")})


def _cues(edge: dict) -> str:
    return ", ".join(_cue_set(edge))


def cited_by(g: nx.DiGraph, node: str) -> list[dict]:
    """Documents that cite ``node``, with how often and under which cues."""
    base, preds, edges = index(g)["base"], g._pred, g._pred[node]
    return [{**base[src], "cited_by": len(preds[src]), "mentions": edges[src].get("count", 0),
             "relations": _cues(edges[src])} for src in sorted(edges)]


def cites(g: nx.DiGraph, node: str, depth: int = 1) -> list[dict]:
    """What ``node`` cites, down to ``depth`` steps (depth 2: what those cite too)."""
    lengths = nx.single_source_shortest_path_length(g, node, cutoff=depth)
    return [_row(g, n, depth=d) for n, d in sorted(lengths.items(), key=lambda x: (x[1], x[0])) if d > 0]


def _filtered(g: nx.DiGraph, ix: dict, filters: dict, keep) -> "Iterator[str]":
    """Nodes in rank order that pass the filters, walking the shortest posting list."""
    lists = [ix["by_filter"].get((k, v), []) for k, v in filters.items() if v is not None]
    walk = min(lists, key=len) if lists else ix["ranked"]
    for node in walk:
        a = g.nodes[node]
        if all(v is None or (_year_of(a) if k == "year" else a.get(k if k != "type" else "doc_type")) == v
               for k, v in filters.items()) and keep(a):
            yield node


def most_cited(g: nx.DiGraph, *, top: int = 20, level: str | None = None, doc_type: str | None = None,
               year: str | None = None, issuer: str | None = None) -> list[dict]:
    """Most cited documents by in-degree, then PageRank (computed at build time), filtered
    by level, type, year and part of the issuer's name."""
    ix = index(g)
    want = issuer.casefold() if issuer else None
    found = _filtered(g, ix, {"level": level, "type": canonical_type(doc_type), "year": year},
                      lambda a: not want or want in (a.get("issuer") or "").casefold())
    return [_row(g, n, pagerank=round(ix["rank"][n], 5)) for n in islice(found, top)]


def missing(g: nx.DiGraph, top: int | None = None) -> list[dict]:
    """Documents cited but not in the corpus (and not described by a corpus document), most cited first."""
    found = _filtered(g, index(g), {"in_corpus": False}, lambda a: not a.get("described_by"))
    return [_row(g, n) for n in islice(found, top)]


def conflicts(g: nx.DiGraph) -> list[dict]:
    """Documents whose mentions disagree (dates), most cited first."""
    return [_row(g, n, conflicts="; ".join(g.nodes[n]["conflicts"])) for n in index(g)["conflicts"]]


# --- the implementation chain, co-citation, timeline -------------------------------------


def _unit(g: nx.DiGraph, node: str) -> str:
    """A number-less corpus document stands for the cited node it is (``same_as``)."""
    return g.nodes[node].get("same_as") or node


def _members(g: nx.DiGraph, unit: str) -> list[str]:
    return [unit] + list(g.nodes[unit].get("described_by") or [])


def chain(g: nx.DiGraph, node: str, depth: int | None = None) -> list[dict]:
    """The implementation chain below ``node``, as a tree read top-down: the documents that
    cite it, then, below each of them, the documents of a more specific level that cite
    it, and so on (down to ``depth`` citing steps).

    Rules. (1) Every document citing ``node`` is in; below that, a citing document comes in
    only from a more general level (TW → state → TU → HU → ĐU): a Huyện ủy plan under a Tỉnh
    ủy programme, not the next Tỉnh ủy plan that happens to cite the programme (provincial
    documents cite each other a lot, and following those would pull in the whole province).
    (2) A number-less corpus document and the cited node it is (``same_as``) are one
    document, so what cites either hangs below both. (3) A document sits under the most
    specific chain document it cites among those more general than itself — lowest level,
    then latest date — so a Huyện ủy plan citing both Nghị quyết 28-NQ/TW and the Tỉnh ủy's
    Chương trình hành động on it sits under the Chương trình; the other chain documents it
    cites are listed in ``also_cites``; ``relations`` are the cues of its mentions of the
    parent. Siblings go from the general to the specific."""
    ix = index(g)
    # the graph's own dicts, not its views: a chain can run over thousands of documents
    pred, succ = g._pred, g._succ
    same_as, described, order, lrank, base = ix["same_as"], ix["described_by"], ix["order"], ix["level_rank"], ix["base"]
    unit = (lambda n: same_as.get(n, n)) if same_as else (lambda n: n)
    of = lambda u: described.get(u) or (u,)  # noqa: E731

    root = unit(node)
    reach, via = {root: 0}, {}  # citing steps from the root; the chain document that brought each in
    frontier, steps = [root], 0
    while frontier and (depth is None or steps < depth):
        steps, nxt = steps + 1, []
        for u in frontier:
            below = -1 if u == root else lrank[u]  # rule (1)
            for m in of(u):
                for src in pred[m]:
                    src = unit(src)
                    if src not in reach and lrank[src] > below:
                        reach[src], via[src] = steps, u
                        nxt.append(src)
        frontier = nxt

    key = {u: order[u] for u in reach}  # general → specific: level, then date
    key[root] = -1
    parent: dict[str, str | None] = {root: None}
    cited: dict[str, list[str]] = {}
    for u in reach:
        if u == root:
            continue
        mine = cited[u] = [t for t in {unit(t) for m in of(u) for t in succ[m]} if t in reach and t != u]
        # the one it came through is always more general (rule 1), so a parent exists and,
        # always pointing to a more general document, the parents form no cycle
        best = via[u]
        for t in mine:
            if key[best] < key[t] < key[u]:
                best = t
        parent[u] = best

    children = defaultdict(list)
    for u, p in parent.items():
        if p is not None:
            children[p].append(u)
    rows = []
    stack = [(root, 0)]
    while stack:
        u, d = stack.pop()
        p = parent[u]
        cues = sorted({c for a in of(u) for b in (of(p) if p else ()) if b in succ[a] for c in _cue_set(succ[a][b])})
        also = [t for t in cited.get(u, ()) if t != p]
        rows.append({**base[u], "cited_by": len(pred[u]), "depth": d, "parent": p, "relations": ", ".join(cues),
                     "same_as": ", ".join(of(u)[1:]),
                     "also_cites": ", ".join(sorted(also, key=key.__getitem__)) if also else ""})
        stack.extend((c, d + 1) for c in sorted(children[u], key=key.__getitem__, reverse=True))
    return rows


def co_cited(g: nx.DiGraph, node: str, top: int | None = 20) -> list[dict]:
    """Documents most often cited together with ``node``: in how many citing documents both appear."""
    ix = index(g)
    members = [ix["pos"][m] for m in _members(g, _unit(g, node))]
    citing = np.unique([ix["pos"][src] for m in members for src in g._pred[ix["ids"][m]]]).astype(np.int64)
    # everything those documents cite, gathered from the integer arrays in one go
    ptr, targets = ix["succ_ptr"], ix["succ_ix"]
    lengths = ptr[citing + 1] - ptr[citing]
    starts = np.repeat(ptr[citing] - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    counts = np.bincount(targets[starts + np.arange(int(lengths.sum()))], minlength=len(ix["ids"]))
    counts[members] = 0
    found = np.flatnonzero(counts)
    if top and len(found) > top:  # the top counts first, then ties in id order
        cut = np.partition(counts[found], len(found) - top)[len(found) - top]
        found = found[counts[found] >= cut]
    best = sorted(((ix["ids"][i], int(counts[i])) for i in found), key=lambda x: (-x[1], x[0]))[:top]
    return [_row(g, n, together=k) for n, k in best]


def timeline(g: nx.DiGraph, around: str | None = None, *, start: str | None = None, end: str | None = None,
             level: str | None = None, doc_type: str | None = None, in_corpus: bool | None = None,
             top: int | None = None) -> list[dict]:
    """Dated documents in date order, between ``start`` and ``end`` (ISO dates or years,
    both included), filtered by level, type, in the corpus or not. ``around`` keeps
    ``node`` and the documents that cite it or that it cites, with the link in ``link``."""
    ix = index(g)
    kind = canonical_type(doc_type)
    lo = bisect_left(ix["dates"], start) if start else 0
    hi = bisect_right(ix["dates"], end + "\uffff") if end else len(ix["dates"])
    links: dict[str, str] | None = None
    if around:
        unit = _unit(g, around)
        links = {m: "itself" for m in _members(g, unit)}
        for m in _members(g, unit):
            links.update({n: "cites it" for n in g.predecessors(m) if n not in links})
            links.update({n: "cited by it" for n in g.successors(m) if n not in links})
        dated = sorted((g.nodes[n]["date"], n) for n in links if g.nodes[n].get("date"))
        dated = [x for x in dated if (not start or x[0] >= start) and (not end or x[0] <= end + "\uffff")]
    else:
        dated = ix["dated"][lo:hi]
    rows = []
    for date, n in dated:
        a = g.nodes[n]
        if (level and a.get("level") != level) or (kind and a.get("doc_type") != kind) or \
                (in_corpus is not None and bool(a.get("in_corpus")) != in_corpus):
            continue
        rows.append(_row(g, n, **({"link": links[n]} if links else {})))
        if top and len(rows) >= top:
            break
    return rows


def _flat(g: nx.DiGraph) -> nx.DiGraph:
    """A copy whose attributes are scalars, as GraphML and GEXF require (lists as JSON text)."""
    flat = nx.DiGraph()
    for n, a in g.nodes(data=True):
        flat.add_node(n, **{k: v if isinstance(v, (str, int, float, bool)) else json.dumps(v, ensure_ascii=False)
                            for k, v in a.items() if v is not None})
    for u, v, a in g.edges(data=True):
        flat.add_edge(u, v, count=a.get("count", 0),
                      mentions=json.dumps(a.get("mentions", []), ensure_ascii=False))
    return flat


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
                w.writerow([n] + [a.get(k, "") for k in keys])
        with open(dest / "edges.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["source", "target", "count", "mentions"])
            for u, v, a in flat.edges(data=True):
                w.writerow([u, v, a["count"], a["mentions"]])
        return [dest / "nodes.csv", dest / "edges.csv"]
    if fmt == "neo4j":
        return export_neo4j(g, dest)
    if fmt == "html":
        return [export_html(g, dest, max_nodes=max_nodes)]
    raise ValueError(f"unknown export format {fmt!r} (graphml, gexf, csv, neo4j, html)")


# --- Neo4j -------------------------------------------------------------------------------

# node properties and their neo4j-admin import types; lists go in as JSON text
NEO4J_NODE = [("symbol", "string"), ("doc_type", "string"), ("number", "string"), ("code", "string"),
              ("year", "string"), ("date", "string"), ("dates", "string[]"), ("issuer", "string"),
              ("level", "string"), ("subject", "string"), ("term", "string"), ("title", "string"),
              ("in_corpus", "boolean"), ("mentions", "int"), ("cited_by", "int"), ("pagerank", "float"),
              ("conflicts", "string"), ("outputs", "string"), ("same_as", "string"),
              ("same_as_confidence", "float"), ("same_as_evidence", "string")]
NEO4J_LOAD = "cypher-shell -u neo4j -p PASSWORD -f load.cypher"
NEO4J_IMPORT = "neo4j-admin database import full --nodes=nodes.csv --relationships=edges.csv --overwrite-destination neo4j"


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
    node_header = ["id:ID"] + [f"{k}:{t}" if t != "string" else k for k, t in NEO4J_NODE] + [":LABEL"]
    with open(dest / "nodes.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(node_header)
        for n, a in g.nodes(data=True):
            w.writerow([n] + [_neo4j_value(a.get(k), t) for k, t in NEO4J_NODE] + ["Document"])
    edge_header = [":START_ID", ":END_ID", ":TYPE", "count:int", "relations", "mentions", "confidence:float",
                   "evidence"]
    with open(dest / "edges.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(edge_header)
        for u, v, a in g.edges(data=True):
            w.writerow([u, v, "CITES", a.get("count", 0), _cues(a),
                        _neo4j_value(a.get("mentions"), "json"), "", ""])
        for n, a in g.nodes(data=True):
            if a.get("same_as"):
                w.writerow([n, a["same_as"], "SAME_AS", "", "", "", a.get("same_as_confidence"),
                            _neo4j_value(a.get("same_as_evidence"), "json")])

    def cast(column: str, value: str) -> str:
        kind = column.split(":")[1] if ":" in column else "string"
        return {"int": f"toInteger({value})", "float": f"toFloat({value})", "boolean": f"({value} = 'true')",
                "string[]": f"split({value}, ';')"}.get(kind, value)

    def sets(var: str, columns: list[str]) -> str:
        out = []
        for column in columns:
            if column.startswith(":") or column == "id:ID":
                continue
            field = f"row.`{column}`"
            # an empty field is no property (LOAD CSV reads it as "" or null depending on the version)
            out.append(f"{var}.{column.split(':')[0]} = CASE WHEN {field} <> '' THEN {cast(column, field)} END")
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
    keep = set(g) if len(g) <= max_nodes else set(index(g)["ranked"][:max_nodes // 2])
    if len(keep) < len(g):
        citing = Counter(src for n in keep for src in g.predecessors(n) if src not in keep)
        keep |= {n for n, _ in heapq.nsmallest(max_nodes - len(keep), citing.items(), key=lambda x: (-x[1], x[0]))}
    nodes = [{"id": n, "label": a.get("symbol") or n, "type": a.get("doc_type"), "date": a.get("date"),
              "issuer": a.get("issuer"), "level": a.get("level"), "in_corpus": bool(a.get("in_corpus")),
              "cited_by": g.in_degree(n), "same_as": a.get("same_as"), "conflicts": a.get("conflicts") or [],
              "title": a.get("title") or a.get("subject")}
             for n, a in g.nodes(data=True) if n in keep]
    edges = [{"source": u, "target": v, "count": a.get("count", 0),
              "mentions": [{k: m.get(k) for k in ("section", "relation", "date", "sentence", "text")}
                           for m in a.get("mentions", [])[:HTML_MENTIONS]]}
             for u, v, a in g.edges(data=True) if u in keep and v in keep]
    data = json.dumps({"nodes": nodes, "edges": edges, "total": {"nodes": len(g), "edges": g.number_of_edges()}},
                      ensure_ascii=False)
    data = data.replace("</", "<\\/")  # the JSON sits inside a <script> element
    page = HTML_TEMPLATE.read_text(encoding="utf-8").replace("/*DATA*/null", data, 1)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(page, encoding="utf-8")
    return dest
