"""Questions researchers ask of the citation graph, and exports other tools read.

Works on the networkx graph of ``graph.json`` (``load``). Every function returns plain
rows (dicts), which the CLI prints as a table or JSON.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import regex as re

from .catalogue import canonical_type, catalogue
from .graph import from_node_link, symbol_key


def load(out: Path) -> nx.DiGraph:
    return from_node_link(json.loads((Path(out) / "graph.json").read_text(encoding="utf-8")))


def resolve(g: nx.DiGraph, query: str) -> list[str]:
    """Node ids a loose name means: "28-NQ/TW", "NQ 28", "Nghị quyết 28", "101-QĐ/TW@2012", "doc:name"."""
    q = " ".join(query.split())
    if q in g:
        return [q]
    m = re.fullmatch(r"(\d{1,4})\s*-\s*(\S+)", q) or re.fullmatch(r"(\d{1,4})\s*/\s*(\S+)", q)
    if m:
        key = symbol_key(q.replace(" ", ""))
        return sorted(n for n in g if n.split("@")[0].casefold() == key.casefold())
    m = re.fullmatch(r"(?P<word>.+?)\s+(?:số\s+)?(?P<num>\d{1,4})", q, re.IGNORECASE)
    if not m:
        return []
    word, num = m.group("word"), m.group("num").lstrip("0")
    kind = canonical_type(word)
    types = catalogue()["doc_types"]
    codes = set(types.get(kind, [])) or {word.upper()}
    found = []
    for node, attrs in g.nodes(data=True):
        symbol = attrs.get("symbol") or ""
        sm = re.match(r"0*(\d+)[-/](?:\d{4}/)?(\p{L}+)", symbol)
        if sm and sm.group(1) == num and (sm.group(2) in codes or attrs.get("doc_type") == kind):
            found.append(node)
    return sorted(found)


def _row(g: nx.DiGraph, node: str, **extra) -> dict:
    a = g.nodes[node]
    return {"id": node, "type": a.get("doc_type"), "symbol": a.get("symbol"), "date": a.get("date"),
            "issuer": a.get("issuer"), "level": a.get("level"), "in_corpus": bool(a.get("in_corpus")),
            "cited_by": g.in_degree(node), **extra}


def cited_by(g: nx.DiGraph, node: str) -> list[dict]:
    """Documents that cite ``node``, with how often and under which cues."""
    rows = []
    for src in sorted(g.predecessors(node)):
        e = g.edges[src, node]
        cues = sorted({m.get("relation") for m in e.get("mentions", []) if m.get("relation")})
        rows.append(_row(g, src, mentions=e.get("count", 0), relations=", ".join(cues)))
    return rows


def cites(g: nx.DiGraph, node: str, depth: int = 1) -> list[dict]:
    """What ``node`` cites, down to ``depth`` steps (depth 2: what those cite too)."""
    lengths = nx.single_source_shortest_path_length(g, node, cutoff=depth)
    return [_row(g, n, depth=d) for n, d in sorted(lengths.items(), key=lambda x: (x[1], x[0])) if d > 0]


def most_cited(g: nx.DiGraph, *, top: int = 20, level: str | None = None, doc_type: str | None = None,
               year: str | None = None, issuer: str | None = None) -> list[dict]:
    """Most cited documents by in-degree, with PageRank, filtered by level, type, year, issuer."""
    rank = nx.pagerank(g) if g.number_of_edges() else {n: 0.0 for n in g}
    rows = []
    for node, a in g.nodes(data=True):
        if level and a.get("level") != level:
            continue
        if doc_type and a.get("doc_type") != canonical_type(doc_type):
            continue
        if year and not (a.get("date") or "").startswith(year):
            continue
        if issuer and issuer.casefold() not in (a.get("issuer") or "").casefold():
            continue
        rows.append(_row(g, node, pagerank=round(rank[node], 5)))
    rows.sort(key=lambda r: (-r["cited_by"], -r["pagerank"], r["id"]))
    return rows[:top]


def missing(g: nx.DiGraph) -> list[dict]:
    """Documents cited but not in the corpus (and not described by a corpus document)."""
    rows = [_row(g, n) for n, a in g.nodes(data=True) if not a.get("in_corpus") and not a.get("described_by")]
    return sorted(rows, key=lambda r: (-r["cited_by"], r["id"]))


def conflicts(g: nx.DiGraph) -> list[dict]:
    return [_row(g, n, conflicts="; ".join(a["conflicts"])) for n, a in g.nodes(data=True) if a.get("conflicts")]


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


def export(g: nx.DiGraph, fmt: str, dest: Path) -> list[Path]:
    """Write the graph as graphml, gexf or csv (nodes.csv + edges.csv); return the files written."""
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
    raise ValueError(f"unknown export format {fmt!r} (graphml, gexf, csv)")
