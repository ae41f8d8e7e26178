"""The index of a graph as ``query._build`` made it before it was made fast (pipeline/query.py
at 9b5bd1e, the loops as they were): what the fast one must equal, column for column."""

from collections import defaultdict

import numpy as np

from pipeline import symbols
from pipeline.query import (
    LEVEL_ORDER,
    Index,
    Postings,
    _cue_set,
    _Numbered,
    _pointers,
    _year_of,
    filter_key,
    fold,
    node_words,
)
from pipeline.symbols import key as symbol_key


def postings_of(lists: dict[str, list[int]]) -> Postings:
    keys = sorted(lists)
    ptr = np.zeros(len(keys) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(lists[k]) for k in keys])
    values = np.fromiter((p for k in keys for p in lists[k]), dtype=np.int64, count=ptr[-1])
    return Postings(keys, ptr, values)


def build(g) -> Index:
    """Every column of ``COLUMNS`` from the graph; the name postings (``by_fold``, ``words``)
    on first use, as a session may never search by them."""
    ids = sorted(g)
    pos = {n: i for i, n in enumerate(ids)}
    attrs = [g._node[n] for n in ids]
    rank = [a.get("pagerank") for a in attrs]
    if any(r is None for r in rank):  # a graph.json from before PageRank was stored
        import networkx as nx

        found = nx.pagerank(g) if g.number_of_edges() else {}
        rank = [found.get(n, 0.0) for n in ids]
    cited_by = [len(g._pred[n]) for n in ids]
    ranked = sorted(range(len(ids)), key=lambda i: (-cited_by[i], -rank[i], ids[i]))
    by_key, by_number, by_filter, dated = (
        defaultdict(list),
        defaultdict(list),
        defaultdict(list),
        [],
    )
    head_code: list[str | None] = [None] * len(ids)
    for i in ranked:
        a = attrs[i]
        if a.get("symbol"):
            by_key[symbol_key(a["symbol"]).casefold()].append(i)
            head = symbols.head(a["symbol"])
            if head:
                by_number[head[0]].append(i)
                head_code[i] = head[1]
        # posting lists in rank order, one per filter value, for most_cited and missing
        for name, value in (
            ("level", a.get("level")),
            ("type", a.get("doc_type")),
            ("year", _year_of(a)),
            ("in_corpus", bool(a.get("in_corpus"))),
        ):
            by_filter[filter_key(name, value)].append(i)
    dated = sorted((a["date"], i) for i, a in enumerate(attrs) if a.get("date"))
    # a unit is a document: a number-less corpus document and the cited node it is (same_as) are one
    same_as = {i: pos[a["same_as"]] for i, a in enumerate(attrs) if a.get("same_as")}
    described = {i: [pos[m] for m in a["described_by"]] for i, a in enumerate(attrs)
                 if a.get("described_by")}  # fmt: skip
    level_rank = [LEVEL_ORDER.get(a.get("level"), len(LEVEL_ORDER)) for a in attrs]
    for u, members in described.items():  # a unit takes the most general level of its members
        level_rank[u] = min(level_rank[m] for m in (u, *members))

    def generality(i):  # general → specific: level, then date
        dates = [d for m in (i, *described.get(i, ())) if (d := attrs[m].get("date"))]
        return (level_rank[i], min(dates) if dates else "9999", ids[i])

    order = [0] * len(ids)
    for k, i in enumerate(sorted(range(len(ids)), key=generality)):
        order[i] = k
    columns = {
        "ids": ids,
        "type": [a.get("doc_type") for a in attrs],
        "symbol": [a.get("symbol") for a in attrs],
        "date": [a.get("date") for a in attrs],
        "issuer": [a.get("issuer") for a in attrs],
        "level": [a.get("level") for a in attrs],
        "in_corpus": [a.get("in_corpus") for a in attrs],
        "cited_by": cited_by,
        "year": [_year_of(a) for a in attrs],
        "rank": rank,
        "conflicts": [("; ".join(a["conflicts"]) if a.get("conflicts") else None) for a in attrs],
        "head_code": head_code,
        "same_as_text": [
            ", ".join(ids[m] for m in described[i]) if i in described else ""
            for i in range(len(ids))
        ],
        "described_by": _csr({i: described.get(i, []) for i in range(len(ids))}, len(ids)),
        "ranked": np.array(ranked, dtype=np.int64),
        "conflicted": np.array([i for i in ranked if attrs[i].get("conflicts")], dtype=np.int64),
        "dated": np.array([i for _, i in dated], dtype=np.int64),
        "dates": [d for d, _ in dated],
        **_citation_arrays(g, ids, pos, same_as),
        "unit_level": np.array(level_rank, dtype=np.int64),
        "unit_order": np.array(order, dtype=np.int64),
        "by_key": postings_of(by_key),
        "by_number": postings_of(by_number),
        "by_filter": postings_of(by_filter),
    }

    def later(ix: Index, name: str):
        if name == "by_fold":  # the symbol keys without marks: "101-QD/TW"
            folded = defaultdict(list)
            for key, named in ix["by_key"].items():
                folded[fold(key)] += named
            return postings_of(folded)
        if name == "words":
            found = defaultdict(list)
            for i, n in enumerate(ids):
                for word in node_words(g, n):
                    found[word].append(i)
            return postings_of(found)
        raise KeyError(name)

    ix = Index(len(ids), later)
    ix._columns.update(columns)
    return ix


def _csr(lists: dict[int, list[int]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Lists of positions by row (0 … n-1) as CSR pointers and values."""
    ptr = np.zeros(n + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(lists[i]) for i in range(n)])
    values = np.fromiter((p for i in range(n) for p in lists[i]), dtype=np.int64, count=ptr[-1])
    return ptr, values


def _citation_arrays(
    g: object, ids: list[str], pos: dict[str, int], same_as: dict[int, int]
) -> dict:
    """The citations as compressed rows of positions (CSR: pointers, values): who each node
    cites (``succ``) and who cites it (``pred``, in id order, with each citing pair's mention
    count and cues); and the same between units (``unit_succ``, ``unit_pred``), where a
    number-less corpus document and the cited node it is are one, for the chain."""
    n_ids = len(ids)
    cue_text = _Numbered()
    src, dst, counts, cues, edges = [], [], [], [], []
    for i, name in enumerate(ids):
        for target, edge in g._succ[name].items():
            src.append(i)
            dst.append(pos[target])
            counts.append(edge.get("count", 0))
            cues.append(cue_text[tuple(_cue_set(edge))])
            edges.append(edge)
    src, dst = np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64)
    cues = np.array(cues, dtype=np.int64)
    # stable: the citing documents of each stay in id order
    by_target = np.argsort(dst, kind="stable")
    unit_of = np.array([same_as.get(i, i) for i in range(n_ids)], dtype=np.int64)
    us, vs = unit_of[src], unit_of[dst]
    between = np.flatnonzero(us != vs)
    pairs, first, which = np.unique(
        us[between] * n_ids + vs[between], return_index=True, return_inverse=True
    )
    pair_cues = cues[between[first]]
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
        "pred_count": np.array(counts, dtype=np.int64)[by_target],
        "pred_cues": cues[by_target],
        "unit": unit_of,
        "unit_succ": (_pointers(unit_src, n_ids), unit_dst),
        "unit_succ_cues": pair_cues,
        "unit_pred": (_pointers(unit_dst, n_ids), unit_src[by_unit_target]),
        "cue_texts": [", ".join(cues) for cues in cue_text],  # as the rows show them
    }
