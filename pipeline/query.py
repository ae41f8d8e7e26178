"""Questions researchers ask of the citation graph.

Works on the networkx graph of ``graph.json`` (``load``). Every function returns plain
rows (dicts), which the CLI prints as a table or JSON.
"""

from __future__ import annotations

import gc
import json
import unicodedata
import weakref
from bisect import bisect_left, bisect_right
from collections import defaultdict
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Iterator

import networkx as nx
import numpy as np
import regex as re

from . import symbols
from .catalogue import canonical_type, catalogue
from .graph import from_node_link, label
from .symbols import key as symbol_key


def load(out: Path) -> nx.DiGraph:
    # parsing makes millions of containers that all live on: the garbage collector's passes
    # over them as they come are wasted work. One full pass at the end moves them all to the
    # oldest generation, where the passes that questions trigger later do not look.
    collecting = gc.isenabled()
    gc.disable()
    try:
        g = from_node_link(json.loads((Path(out) / "graph.json").read_text(encoding="utf-8")))
        index(g)  # built once here, so the first question is as fast as the rest
    finally:
        if collecting:
            gc.enable()
            gc.collect()
    return g


# --- an index over the graph, built once per graph object -------------------------------

LEVEL_ORDER = {level: i for i, level in enumerate(symbols.LEVELS)}
_indexes: "weakref.WeakKeyDictionary[nx.DiGraph, dict]" = weakref.WeakKeyDictionary()


def index(g: nx.DiGraph) -> dict:
    """Lookups the questions need, so none of them scans every node: names, rankings, dates,
    and the citations as integer arrays. Kept per graph object and rebuilt when the node
    count changes; a graph changed in place otherwise needs ``refresh(g)``."""
    ix = _indexes.get(g)
    if ix is not None and ix["nodes"] == len(g):
        return ix
    rank = {n: a.get("pagerank") for n, a in g.nodes(data=True)}
    if any(r is None for r in rank.values()):  # a graph.json from before PageRank was stored
        rank = nx.pagerank(g) if g.number_of_edges() else {n: 0.0 for n in g}
    by_key, by_number, by_filter, dated = (
        defaultdict(list),
        defaultdict(list),
        defaultdict(list),
        [],
    )
    ranked = sorted(g, key=lambda n: (-len(g._pred[n]), -rank[n], n))
    for node in ranked:
        a = g._node[node]
        if a.get("symbol"):
            by_key[symbol_key(a["symbol"]).casefold()].append(node)
            head = symbols.head(a["symbol"])
            if head:
                by_number[head[0]].append((head[1], node))
        # posting lists in rank order, one per filter value, for most_cited and missing
        for name, value in (
            ("level", a.get("level")),
            ("type", a.get("doc_type")),
            ("year", _year_of(a)),
            ("in_corpus", bool(a.get("in_corpus"))),
        ):
            by_filter[name, value].append(node)
        if a.get("date"):
            dated.append((a["date"], node))
    dated.sort()
    # nodes by position in id order, so that a list of positions sorted is a list of ids sorted
    ids = sorted(g)
    pos = {n: i for i, n in enumerate(ids)}
    # the fixed part of each node's answer row
    base = {
        n: {
            "id": n,
            "type": a.get("doc_type"),
            "symbol": a.get("symbol"),
            "date": a.get("date"),
            "issuer": a.get("issuer"),
            "level": a.get("level"),
            "in_corpus": bool(a.get("in_corpus")),
            "cited_by": len(g._pred[n]),
        }
        for n in ids
        for a in (g._node[n],)
    }
    # a unit is a document: a number-less corpus document and the cited node it is (same_as) are one
    same_as = {n: a["same_as"] for n, a in g.nodes(data=True) if a.get("same_as")}
    described = {n: (n, *a["described_by"]) for n, a in g.nodes(data=True) if a.get("described_by")}
    level_rank = {
        n: LEVEL_ORDER.get(a.get("level"), len(LEVEL_ORDER)) for n, a in g.nodes(data=True)
    }
    for u, members in described.items():  # a unit takes the most general level of its members
        level_rank[u] = min(level_rank[m] for m in members)

    def generality(n):  # general → specific: level, then date
        dates = [d for m in described.get(n, (n,)) if (d := g._node[m].get("date"))]
        return (level_rank[n], min(dates) if dates else "9999", n)

    order = {n: i for i, n in enumerate(sorted(g, key=generality))}
    ix = {
        "nodes": len(g),
        "rank": rank,
        "ranked": ranked,
        "by_key": by_key,
        "by_number": by_number,
        "same_as": same_as,
        "described_by": described,
        "level_rank": level_rank,
        "order": order,
        "same_as_text": {n: ", ".join(members[1:]) for n, members in described.items()},
        "base": base,
        "base_at": list(base.values()),
        "ids": ids,
        "pos": pos,
        **_citation_arrays(g, ids, pos, same_as),
        "unit_level": np.array([level_rank[n] for n in ids], dtype=np.int64),
        "unit_order": np.array([order[n] for n in ids], dtype=np.int64),
        "by_filter": by_filter,
        "dated": dated,
        "dates": [d for d, _ in dated],
        "conflicts": [n for n in ranked if g._node[n].get("conflicts")],
    }
    _indexes[g] = ix
    return ix


def _citation_arrays(
    g: nx.DiGraph, ids: list[str], pos: dict[str, int], same_as: dict[str, str]
) -> dict:
    """The citations as compressed rows of positions (CSR: pointers, values): who each node
    cites (``succ``) and who cites it (``pred``, in id order, with each citing pair's mention
    count and cues); and the same between units (``unit_succ``, ``unit_pred``), where a
    number-less corpus document and the cited node it is are one, for the chain."""
    n_ids = len(ids)
    cue_text = _Joined()  # one string per distinct set of cues: there are few
    src, dst, counts, cues, edges = [], [], [], [], []
    for i, name in enumerate(ids):
        for target, edge in g._succ[name].items():
            src.append(i)
            dst.append(pos[target])
            counts.append(edge.get("count", 0))
            cues.append(cue_text[tuple(_cue_set(edge))])
            edges.append(edge)
    src, dst = np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64)
    # stable: the citing documents of each stay in id order
    by_target = np.argsort(dst, kind="stable")
    unit_of = np.array(
        [pos[same_as[name]] if name in same_as else i for i, name in enumerate(ids)], dtype=np.int64
    )
    us, vs = unit_of[src], unit_of[dst]
    between = np.flatnonzero(us != vs)
    pairs, first, which = np.unique(
        us[between] * n_ids + vs[between], return_index=True, return_inverse=True
    )
    pair_cues = [cues[e] for e in between[first].tolist()]
    # several members cite one unit: every cue
    for k in np.flatnonzero(np.bincount(which) > 1).tolist():
        pair_cues[k] = cue_text[
            tuple(sorted({c for e in between[which == k].tolist() for c in _cue_set(edges[e])}))
        ]
    unit_src, unit_dst = pairs // n_ids, pairs % n_ids
    by_unit_target = np.argsort(unit_dst, kind="stable")
    return {
        "succ": (_pointers(src, n_ids), dst),
        "pred": (_pointers(dst, n_ids), src[by_target]),
        "pred_count": [counts[e] for e in by_target.tolist()],
        "pred_cues": [cues[e] for e in by_target.tolist()],
        "unit": unit_of,
        "unit_succ": (_pointers(unit_src, n_ids), unit_dst),
        "unit_succ_cues": pair_cues,
        "unit_pred": (_pointers(unit_dst, n_ids), unit_src[by_unit_target]),
    }


class _Joined(dict):
    """Cue sets as the text rows show, each joined once."""

    def __missing__(self, cues: tuple) -> str:
        text = self[cues] = ", ".join(cues)
        return text


def _pointers(rows: np.ndarray, n: int) -> np.ndarray:
    """CSR pointers of values listed row by row (``rows``: the row of each value, in order):
    row i is values[pointers[i]:pointers[i + 1]]."""
    ptr = np.zeros(n + 1, dtype=np.int64)
    ptr[1:] = np.cumsum(np.bincount(rows, minlength=n))
    return ptr


def _gather(csr: tuple[np.ndarray, np.ndarray], rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The entries of several CSR rows at once: (the row each came from, its index in the
    values)."""
    ptr, _ = csr
    lengths = ptr[rows + 1] - ptr[rows]
    owners = np.repeat(rows, lengths)
    starts = np.repeat(ptr[rows] - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return owners, starts + np.arange(int(lengths.sum()))


def _runs(values: np.ndarray) -> np.ndarray:
    """Where each run of equal values starts in a sorted array."""
    return np.flatnonzero(np.r_[True, values[1:] != values[:-1]]) if values.size else values


def refresh(g: nx.DiGraph) -> dict:
    _indexes.pop(g, None)
    return index(g)


def _year_of(a: dict) -> str | None:
    return a.get("year") or (a.get("date") or "")[:4] or None


# --- loose names ------------------------------------------------------------------------

# the patterns a loose name is read with; written so that JavaScript's RegExp (flags "iu")
# reads them alike, for the HTML view's search box (``search_rules``)
QUERY_SYMBOL = symbols.LOOSE
QUERY_TYPE_NUMBER = (
    rf"(?<word>.+?)\s+(?:s[ốo]\s+)?(?<num>{symbols.NUMBER})(?<rest>(?:[^\p{{L}}\p{{N}}_].*)?)"
)
QUERY_YEAR = r"(?<!\d)((?:19|20)\d\d)(?!\d)"
QUERY_WORD = r"[\p{L}\p{N}]+"
_QUERY_SYMBOL = re.compile(QUERY_SYMBOL)
_QUERY_TYPE_NUMBER = re.compile(QUERY_TYPE_NUMBER, re.IGNORECASE)
_QUERY_YEAR = re.compile(QUERY_YEAR)
_QUERY_WORD = re.compile(QUERY_WORD)
_MARKS = re.compile(r"\p{M}")


class NotFound(KeyError):
    """No document in the graph has this name."""

    def __str__(self) -> str:  # the message, not KeyError's quoted repr of it
        return str(self.args[0]) if self.args else ""


class Ambiguous(LookupError):
    """A name that means several documents (one number in several years) where a question
    takes one; ``candidates`` lists them."""

    def __init__(self, name: str, candidates: list[str]):
        self.candidates = candidates
        super().__init__(
            f"{name!r} is {len(candidates)} documents, name one: {', '.join(candidates)}"
        )


def fold(text: str) -> str:
    """Lower case without Vietnamese marks, đ as d: a name typed without Vietnamese keys
    ("101-QD/TW", "nghi quyet 28") finds what it means. The view's search folds alike."""
    return (
        _MARKS.sub("", unicodedata.normalize("NFD", text))
        .replace("đ", "d")
        .replace("Đ", "d")
        .lower()
    )


def _words(text: str | None) -> set[str]:
    return set(_QUERY_WORD.findall(fold(text))) if text else set()


@lru_cache(maxsize=1 << 16)
def _field_words(text: str) -> frozenset[str]:
    """A field's words, folded once: types, issuers and titles repeat across a corpus."""
    return frozenset(_words(text))


def node_words(g: nx.DiGraph, node: str) -> set[str]:
    """The words a search by title finds a node by: its type, number, title, subject, issuer
    and label, folded."""
    a = g.nodes[node]
    found = set(_field_words(label(node, a)))
    for k in ("doc_type", "symbol", "title", "subject", "issuer"):
        if a.get(k):
            found |= _field_words(str(a[k]))
    return found


def _type_codes() -> dict[str, set[str]]:
    """A document type's name, folded -> the codes of its numbers, folded ("nghi quyet" ->
    {"nq"})."""
    return {
        fold(name): {fold(c) for c in codes} for name, codes in catalogue()["doc_types"].items()
    }


def resolve(g: nx.DiGraph, query: str) -> list[str]:
    """Node ids a loose name means, in id order: "28-NQ/TW", "NQ 28", "Nghị quyết 28",
    "nghị quyết số 28-NQ/TW", "101-QĐ/TW@2012", "Quy định số 101-QĐ/TW, ngày 28/02/2023",
    "Quy định 101 năm 2012", "doc:name"; without marks too ("101-QD/TW", "nghi quyet 28"); or,
    with no number in it, words of the title ("phương thức lãnh đạo": every document whose
    type, title, subject or issuer has all of them). A year or date beside the name keeps
    the documents of that year. A symbol known in several years means each of them: its
    undated node and every dated one.

    The HTML view's search box reads a name by the same rules (``search_rules``)."""
    q = " ".join(query.split())
    # a node's own id, unless it is a bare symbol, which means every year of that symbol
    if q in g and not _QUERY_SYMBOL.fullmatch(q):
        return [q]
    ix = index(g)
    m = _QUERY_SYMBOL.search(q)
    if m:
        written = symbol_key(m.group(0))
        found = ix["by_key"].get(written.casefold())
        if not found:  # typed without marks: "101-QD/TW"
            if "by_fold" not in ix:  # built on the first such name only
                ix["by_fold"] = defaultdict(list)
                for key, named in ix["by_key"].items():
                    ix["by_fold"][fold(key)] += named
            found = ix["by_fold"].get(fold(written), [])
        rest = q[: m.start()] + " " + q[m.end() :]
    elif m := _QUERY_TYPE_NUMBER.fullmatch(q):
        word, num, rest = fold(m.group("word")), m.group("num").lstrip("0"), m.group("rest")
        codes = _type_codes().get(word) or {word}
        found = [
            node
            for code, node in ix["by_number"].get(num, [])
            if fold(code) in codes or fold(g.nodes[node].get("doc_type") or "") == word
        ]
    else:
        wanted = _words(q)
        if not wanted:
            return []
        if "words" not in ix:  # built on the first search by words only
            ix["words"] = {n: node_words(g, n) for n in g}
        return sorted(n for n, have in ix["words"].items() if wanted <= have)
    year = _QUERY_YEAR.search(rest)
    return sorted(n for n in found if not year or _year_of(g.nodes[n]) == year.group(1))


def nodes(g: nx.DiGraph, name: str) -> list[str]:
    """The documents a loose name means (``resolve``); NotFound when none."""
    found = resolve(g, name)
    if not found:
        raise NotFound(f"no document in the graph matches {name!r}")
    return found


def one(g: nx.DiGraph, name: str) -> str:
    """The one document a loose name means; NotFound when none, Ambiguous (listing them)
    when several, as "101-QĐ/TW" is the Quy định of 2012 and that of 2023."""
    found = nodes(g, name)
    if len(found) > 1:
        raise Ambiguous(name, found)
    return found[0]


def search_rules() -> dict:
    """What the HTML view's search box needs to read a loose name as ``resolve`` does: its
    patterns (JavaScript reads them with flags "iu") and the type names' codes."""
    return {
        "symbol": QUERY_SYMBOL,
        "type_number": QUERY_TYPE_NUMBER,
        "year": QUERY_YEAR,
        "word": QUERY_WORD,
        "types": {k: sorted(v) for k, v in _type_codes().items()},
    }


def _row(g: nx.DiGraph, node: str, **extra) -> dict:
    """id, type, symbol, date, issuer, level, in_corpus, cited_by and the question's own columns."""
    row = index(g)["base"][node].copy()
    row.update(extra)
    return row


def _cue_set(edge: dict) -> list[str]:
    if "relations" in edge:  # stored at build time
        return edge["relations"]
    return sorted({m.get("relation") for m in edge.get("mentions", []) if m.get("relation")})


def _cues(edge: dict) -> str:
    return ", ".join(_cue_set(edge))


def cited_by(g: nx.DiGraph, name: str, top: int | None = None) -> list[dict]:
    """Documents that cite the document ``name`` means (any name ``resolve`` reads), in id
    order, the first ``top`` of them, with how often and under which cues; ``of`` says which
    document is cited, as a name may mean several (one number in several years): each is
    answered in turn."""
    rows = []
    for node in nodes(g, name):
        rows += [{"of": node, **row} for row in _cited_by(g, node, top)]
    return rows


def _cited_by(g: nx.DiGraph, node: str, top: int | None) -> list[dict]:
    ix = index(g)
    base, (ptr, srcs) = ix["base_at"], ix["pred"]
    i = ix["pos"][node]
    lo, hi = int(ptr[i]), int(ptr[i + 1])
    if top is not None:
        hi = min(hi, lo + top)
    counts, cues = ix["pred_count"], ix["pred_cues"]
    rows = []
    for e, s in zip(range(lo, hi), srcs[lo:hi].tolist()):
        row = base[s].copy()  # a copy of a dict is faster to make than a new one with the same keys
        row["mentions"], row["relations"] = counts[e], cues[e]
        rows.append(row)
    return rows


def cites(g: nx.DiGraph, name: str, depth: int = 1) -> list[dict]:
    """What the document ``name`` means cites, down to ``depth`` steps (depth 2: what those
    cite too); ``of`` says whose citations a row is, as a name may mean several documents."""
    rows = []
    for node in nodes(g, name):
        lengths = nx.single_source_shortest_path_length(g, node, cutoff=depth)
        rows += [
            {"of": node, **_row(g, n, depth=d)}
            for n, d in sorted(lengths.items(), key=lambda x: (x[1], x[0]))
            if d > 0
        ]
    return rows


def _filtered(g: nx.DiGraph, ix: dict, filters: dict, keep) -> "Iterator[str]":
    """Nodes in rank order that pass the filters, walking the shortest posting list."""
    lists = [ix["by_filter"].get((k, v), []) for k, v in filters.items() if v is not None]
    walk = min(lists, key=len) if lists else ix["ranked"]
    for node in walk:
        a = g.nodes[node]
        if all(
            v is None
            or (_year_of(a) if k == "year" else a.get(k if k != "type" else "doc_type")) == v
            for k, v in filters.items()
        ) and keep(a):
            yield node


def most_cited(
    g: nx.DiGraph,
    *,
    top: int = 20,
    level: str | None = None,
    doc_type: str | None = None,
    year: str | None = None,
    issuer: str | None = None,
) -> list[dict]:
    """Most cited documents by in-degree, then PageRank (computed at build time), filtered
    by level, type, year and part of the issuer's name."""
    ix = index(g)
    want = issuer.casefold() if issuer else None
    found = _filtered(
        g,
        ix,
        {"level": level, "type": canonical_type(doc_type), "year": year},
        lambda a: not want or want in (a.get("issuer") or "").casefold(),
    )
    return [_row(g, n, pagerank=round(ix["rank"][n], 5)) for n in islice(found, top)]


def missing(g: nx.DiGraph, top: int | None = None) -> list[dict]:
    """Documents cited but not in the corpus (and not described by a corpus document), most
    cited first."""
    found = _filtered(g, index(g), {"in_corpus": False}, lambda a: not a.get("described_by"))
    return [_row(g, n) for n in islice(found, top)]


def conflicts(g: nx.DiGraph, top: int | None = None) -> list[dict]:
    """Documents whose mentions disagree (dates, with who gives which), and numbers whose
    mentions could not be placed ("year unknown", "number shared"); most cited first (the
    first ``top``)."""
    ix = index(g)
    rows = []
    for n in islice(ix["conflicts"], top):
        row = ix["base"][n].copy()
        row["conflicts"] = "; ".join(g._node[n]["conflicts"])
        rows.append(row)
    return rows


# --- the implementation chain, co-citation, timeline -------------------------------------


def _unit(g: nx.DiGraph, node: str) -> str:
    """A number-less corpus document stands for the cited node it is (``same_as``)."""
    return g.nodes[node].get("same_as") or node


def _members(g: nx.DiGraph, unit: str) -> list[str]:
    return [unit] + list(g.nodes[unit].get("described_by") or [])


def chain(g: nx.DiGraph, name: str, depth: int | None = None, top: int | None = None) -> list[dict]:
    """The implementation chain below the document ``name`` means (``one``: a name meaning
    several documents raises Ambiguous, listing them), as a tree read top-down: the
    documents that cite it, then, below each of them, the documents of a more specific level
    that cite it, and so on (down to ``depth`` citing steps; the first ``top`` rows of the
    tree).

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
    parent. Siblings go from the general to the specific.

    Worked on the index's integer arrays, one citing step at a time for the whole frontier,
    so that the chain of a document cited by a quarter of the corpus stays fast."""
    node = one(g, name)
    ix = index(g)
    ids, n = ix["ids"], len(ix["ids"])
    level, key = ix["unit_level"], ix["unit_order"].copy()
    root = int(ix["unit"][ix["pos"][node]])
    key[root] = -1  # the root is above everything
    steps = np.full(n, -1, dtype=np.int64)  # citing steps from the root; -1: not in the chain
    steps[root] = 0
    frontier, step = np.array([root], dtype=np.int64), 0
    while frontier.size and (depth is None or step < depth):
        step += 1
        owners, entries = _gather(ix["unit_pred"], frontier)
        src = ix["unit_pred"][1][entries]
        floor = np.where(owners == root, -1, level[owners])  # rule (1)
        new = np.zeros(n, dtype=bool)
        new[src[(steps[src] < 0) & (level[src] > floor)]] = True
        frontier = np.flatnonzero(new)
        steps[frontier] = step
    # each chain document's citations of other chain documents, by document, then generality
    members = np.flatnonzero(steps > 0)
    owners, entries = _gather(ix["unit_succ"], members)
    cited = ix["unit_succ"][1][entries]
    inside = (steps[cited] >= 0) & (cited != owners)
    owners, entries, cited = owners[inside], entries[inside], cited[inside]
    by = np.argsort(owners * (n + 1) + key[cited], kind="stable")
    owners, entries, cited = owners[by], entries[by], cited[by]
    # rule (3): the parent is the most specific one cited that is more general than itself.
    # One always exists: a document came in by citing a more general chain document.
    above = np.flatnonzero(key[cited] < key[owners])
    last = above[np.r_[_runs(owners[above])[1:], above.size] - 1] if above.size else above
    parent, parent_edge = np.full(n, -1, dtype=np.int64), np.full(n, -1, dtype=np.int64)
    parent[owners[last]], parent_edge[owners[last]] = cited[last], entries[last]
    # children in generality order, and the span of each document's citations, as row ranges
    kids = members[np.argsort(parent[members] * (n + 1) + key[members], kind="stable")]
    first_kid, last_kid = _spans(parent[kids], n)
    first_cited, last_cited = _spans(owners, n)
    # the tree read top-down (depth first, siblings in order), as positions; then each row's
    # parts gathered in that order, so that building the rows reads memory front to back
    kids, starts, ends = kids.tolist(), first_kid.tolist(), last_kid.tolist()
    order, depths = [], []
    stack = [(iter((root,)), 0)]
    while stack and (top is None or len(order) < top):
        u = next(stack[-1][0], None)
        if u is None:
            stack.pop()
            continue
        order.append(u)
        depths.append(stack[-1][1])
        if starts[u] < ends[u]:
            stack.append((iter(kids[starts[u] : ends[u]]), stack[-1][1] + 1))
    at = np.array(order[1:], dtype=np.int64)
    parts = zip(
        order[1:],
        depths[1:],
        parent[at].tolist(),
        parent_edge[at].tolist(),
        first_cited[at].tolist(),
        last_cited[at].tolist(),
    )
    base, cues, same_as, cited = (
        ix["base_at"],
        ix["unit_succ_cues"],
        ix["same_as_text"],
        cited.tolist(),
    )
    rows = [
        {
            **base[root],
            "depth": 0,
            "parent": None,
            "relations": "",
            "same_as": same_as.get(ids[root], ""),
            "also_cites": "",
        }
    ]
    for u, d, p, e, a, b in parts:
        row = base[u].copy()  # a copy of a dict is faster to make than a new one with the same keys
        row["depth"], row["parent"], row["relations"] = d, ids[p], cues[e]
        row["same_as"] = same_as.get(ids[u], "") if same_as else ""
        row["also_cites"] = ", ".join([ids[t] for t in cited[a:b] if t != p]) if b - a > 1 else ""
        rows.append(row)
    return rows[:top] if top is not None else rows


def _spans(owners: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """For values sorted by owner: where each of the n owners' run starts and ends (empty: 0, 0)."""
    first, end = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    starts = _runs(owners)
    first[owners[starts]] = starts
    end[owners[starts]] = np.r_[starts[1:], owners.size]
    return first, end


def co_cited(g: nx.DiGraph, name: str, top: int | None = 20) -> list[dict]:
    """Documents most often cited together with the document ``name`` means (``one``): in how
    many citing documents both appear."""
    ix = index(g)
    members = [ix["pos"][m] for m in _members(g, _unit(g, one(g, name)))]
    ptr, citers = ix["pred"]
    citing = np.unique(np.concatenate([citers[ptr[m] : ptr[m + 1]] for m in members]))
    # everything those documents cite, gathered from the integer arrays in one go
    _, entries = _gather(ix["succ"], citing)
    counts = np.bincount(ix["succ"][1][entries], minlength=len(ix["ids"]))
    counts[members] = 0
    found = np.flatnonzero(counts)
    if top and len(found) > top:  # the top counts first, then ties in id order
        cut = np.partition(counts[found], len(found) - top)[len(found) - top]
        found = found[counts[found] >= cut]
    best = sorted(((ix["ids"][i], int(counts[i])) for i in found), key=lambda x: (-x[1], x[0]))[
        :top
    ]
    return [_row(g, n, together=k) for n, k in best]


def timeline(
    g: nx.DiGraph,
    around: str | None = None,
    *,
    start: str | None = None,
    end: str | None = None,
    level: str | None = None,
    doc_type: str | None = None,
    in_corpus: bool | None = None,
    top: int | None = None,
) -> list[dict]:
    """Dated documents in date order, between ``start`` and ``end`` (ISO dates or years,
    both included), filtered by level, type, in the corpus or not. ``around`` (a name, read
    by ``one``) keeps that document and the documents that cite it or that it cites, with
    the link in ``link``."""
    ix = index(g)
    kind = canonical_type(doc_type)
    lo = bisect_left(ix["dates"], start) if start else 0
    hi = bisect_right(ix["dates"], end + "\uffff") if end else len(ix["dates"])
    links: dict[str, str] | None = None
    if around:
        unit = _unit(g, one(g, around))
        links = {m: "itself" for m in _members(g, unit)}
        for m in _members(g, unit):
            links.update({n: "cites it" for n in g.predecessors(m) if n not in links})
            links.update({n: "cited by it" for n in g.successors(m) if n not in links})
        dated = sorted((g.nodes[n]["date"], n) for n in links if g.nodes[n].get("date"))
        dated = [
            x for x in dated if (not start or x[0] >= start) and (not end or x[0] <= end + "\uffff")
        ]
    else:
        dated = ix["dated"][lo:hi]
    rows = []
    for date, n in dated:
        a = g.nodes[n]
        if (
            (level and a.get("level") != level)
            or (kind and a.get("doc_type") != kind)
            or (in_corpus is not None and bool(a.get("in_corpus")) != in_corpus)
        ):
            continue
        rows.append(_row(g, n, **({"link": links[n]} if links else {})))
        if top and len(rows) >= top:
            break
    return rows
