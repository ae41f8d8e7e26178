"""Questions researchers ask of the citation graph.

Every question reads an ``Index``: columns over the nodes (by position in id order), the
citations as integer arrays, and lists of positions by name, rank, filter and date. It is
built from the networkx graph of ``graph.json`` (``index(g)``, what ``load`` returns) or read
from the file beside it (``graphindex``: what the command line asks, without parsing
graph.json). Every question takes either, and returns plain rows (dicts), which the CLI
prints as a table or JSON.
"""

from __future__ import annotations

import json
import unicodedata
import weakref
from bisect import bisect_left, bisect_right
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain as _chain
from itertools import islice, repeat
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Union

import numpy as np
import regex as re

from . import symbols
from .catalogue import canonical_type, catalogue
from .memory import collector_paused
from .models import GRAPH
from .symbols import key as symbol_key

if TYPE_CHECKING:  # networkx is imported where a graph is read, not for questions of the index
    import networkx as nx


def load(out: Path) -> "nx.DiGraph":
    """The graph of ``OUT/graph.json``, its index built."""
    return parse((Path(out) / GRAPH).read_bytes())


def parse(data: bytes) -> "nx.DiGraph":
    """The graph of the text of a graph.json, its index built."""
    from .graph import from_node_link

    # parsing makes millions of containers that all live on: the garbage collector's passes
    # over them as they come are wasted work. One full pass at the end moves them all to the
    # oldest generation, where the passes that questions trigger later do not look.
    with collector_paused(collect_after=True):
        g = from_node_link(json.loads(data.decode("utf-8")))
        index(g)  # built once here, so the first question is as fast as the rest
    return g


# --- the index: what the questions read -------------------------------------------------

LEVEL_ORDER = {level: i for i, level in enumerate(symbols.LEVELS)}


class Postings:
    """Lists of node positions by key: the keys sorted, and the lists one after the other
    (CSR: ``values[ptr[i]:ptr[i + 1]]`` is the list of ``keys[i]``)."""

    def __init__(self, keys: list[str], ptr: np.ndarray, values: np.ndarray):
        self.keys, self.ptr, self.values = keys, ptr, values

    @classmethod
    def of(cls, lists: dict[str, list[int]]) -> "Postings":
        keys = sorted(lists)
        ptr = np.zeros(len(keys) + 1, dtype=np.int64)
        ptr[1:] = np.cumsum([len(lists[k]) for k in keys])
        values = np.fromiter(
            _chain.from_iterable(lists[k] for k in keys), dtype=np.int64, count=int(ptr[-1])
        )
        return cls(keys, ptr, values)

    def array(self, key: str) -> np.ndarray:
        i = bisect_left(self.keys, key)
        if i < len(self.keys) and self.keys[i] == key:
            return self.values[self.ptr[i] : self.ptr[i + 1]]
        return self.values[:0]

    def get(self, key: str) -> list[int]:
        return self.array(key).tolist()

    def items(self) -> Iterator[tuple[str, list[int]]]:
        for i, key in enumerate(self.keys):
            yield key, self.values[self.ptr[i] : self.ptr[i + 1]].tolist()


class Index:
    """The columns the questions read, by name, each made (or read) on first use by
    ``make(index, name)``. Nodes are positions in id order: a list of positions sorted is a
    list of ids sorted. What each column holds is listed in ``COLUMNS``.

    ``make`` is given the index rather than holding it: an index that referred to itself
    would be freed only by the garbage collector's pass over all its columns."""

    def __init__(self, nodes: int, make: Callable[["Index", str], object]):
        self.nodes = nodes
        self._make = make
        self._columns: dict[str, object] = {}

    def __getitem__(self, name: str):
        try:
            return self._columns[name]
        except KeyError:
            column = self._columns[name] = self._make(self, name)
            return column

    def position(self, node: str) -> int | None:
        ids = self["ids"]
        i = bisect_left(ids, node)
        return i if i < len(ids) and ids[i] == node else None


# name: what it holds. Per node, by position: lists of plain values, read into the rows as
# they are; arrays of integers or floats; CSR pairs (pointers, values) of positions.
COLUMNS = {
    "ids": "node ids, sorted",
    "type": "doc_type",
    "symbol": "symbol",
    "date": "date",
    "issuer": "issuer",
    "level": "level",
    "in_corpus": "in_corpus as stored (the filter of missing compares it)",
    "cited_by": "in-degree",
    "year": "the year, or that of the date",
    "rank": "PageRank",
    "conflicts": "the node's conflicts joined by '; ', or None",
    "head_code": "the type code of its symbol ('KH' of '83-KH/HU')",
    "same_as_text": "the documents a node is (described_by), joined by ', '",
    "described_by": "CSR: the number-less corpus documents a node is",
    "ranked": "positions, most cited first (in-degree, then PageRank, then id)",
    "conflicted": "positions with conflicts, in rank order",
    "dated": "positions of dated nodes, by date then id",
    "dates": "the dates of ``dated``",
    "succ": "CSR: whom each node cites",
    "pred": "CSR: who cites each node, in id order",
    "pred_count": "mentions of each entry of pred",
    "pred_cues": "the cues of each entry of pred, as a number into cue_texts",
    "unit": "the unit of each node: the cited node a number-less document is, or itself",
    "unit_succ": "CSR: whom each unit cites",
    "unit_succ_cues": "the cues of each entry of unit_succ, as a number into cue_texts",
    "unit_pred": "CSR: who cites each unit",
    "unit_level": "a unit's most general level, as a rank (TW 0 … ĐU 4, none 5)",
    "unit_order": "a unit's place from the general to the specific (level, then date)",
    "cue_texts": "each distinct set of cues, joined by ', '",
    "by_key": "postings: symbol key, case folded",
    "by_fold": "postings: symbol key without marks",
    "by_number": "postings: the number of a symbol",
    "by_filter": "postings, in rank order: filter_key(level|type|year|in_corpus, value)",
    "words": "postings, sorted: the folded words of type, number, title, subject, issuer, label",
}


def filter_key(name: str, value) -> str:
    return json.dumps([name, value], ensure_ascii=False)


_indexes: "weakref.WeakKeyDictionary[nx.DiGraph, Index]" = weakref.WeakKeyDictionary()

Graph = Union["nx.DiGraph", Index]


def index(g: Graph, settled: Callable[[], None] | None = None) -> Index:
    """The index of a graph (or the index itself), built once per graph object and rebuilt
    when the node count changes; a graph changed in place otherwise needs ``refresh(g)``.
    ``settled``: see ``_build``."""
    if isinstance(g, Index):
        return g
    ix = _indexes.get(g)
    if ix is not None and ix.nodes == len(g):
        return ix
    ix = _indexes[g] = _build(g, settled)
    return ix


def refresh(g: "nx.DiGraph") -> Index:
    _indexes.pop(g, None)
    return index(g)


def _build(g: "nx.DiGraph", settled: Callable[[], None] | None = None) -> Index:
    """Every column of ``COLUMNS`` from the graph; the name postings (``by_fold``, ``words``)
    on first use, as a session may never search by them. ``settled``: where the graph's
    last fields (``graph.SET_LAST``: PageRank and the ``same_as`` links) are still being
    worked out elsewhere, called once every column that needs none of them is made, to
    wait for them (the words are made then too)."""
    with collector_paused():
        return _build_columns(g, settled)


def _build_columns(g: "nx.DiGraph", settled: Callable[[], None] | None = None) -> Index:
    ids = sorted(g)
    n = len(ids)
    pos = {node: i for i, node in enumerate(ids)}
    attrs = [g._node[node] for node in ids]
    cited_by = [len(g._pred[node]) for node in ids]
    types = [a.get("doc_type") for a in attrs]
    levels = [a.get("level") for a in attrs]
    dates = [a.get("date") for a in attrs]
    inside = [a.get("in_corpus") for a in attrs]
    conflicts = [a.get("conflicts") for a in attrs]
    years = [_year_of(a) for a in attrs]
    sym_keys: list[str | None] = [None] * n
    numbers: list[str | None] = [None] * n
    head_code: list[str | None] = [None] * n
    for i, a in enumerate(attrs):
        if a.get("symbol"):
            sym_keys[i] = symbol_key(a["symbol"]).casefold()
            head = symbols.head(a["symbol"])
            if head:
                numbers[i], head_code[i] = head
    dated = sorted((d, i) for i, d in enumerate(dates) if d)
    links = _citation_arrays(g, ids, pos)
    made_first = {}
    if settled is not None:
        made_first["words"] = _postings_of_words(ids, attrs)
        settled()
    rank = [a.get("pagerank") for a in attrs]
    if any(r is None for r in rank):  # a graph.json from before PageRank was stored
        import networkx as nx

        found = nx.pagerank(g) if g.number_of_edges() else {}
        rank = [found.get(node, 0.0) for node in ids]
    # most cited first, then PageRank, then id: positions are in id order, and the sort is
    # stable, so ties stay in it
    ranked = np.lexsort(
        (-np.array(rank, dtype=np.float64), -np.array(cited_by, dtype=np.int64))
    ).astype(np.int64)
    # a unit is a document: a number-less corpus document and the cited node it is (same_as) are one
    same_as = {i: pos[a["same_as"]] for i, a in enumerate(attrs) if a.get("same_as")}
    described = {i: [pos[m] for m in a["described_by"]] for i, a in enumerate(attrs)
                 if a.get("described_by")}  # fmt: skip
    level_rank = [LEVEL_ORDER.get(level, len(LEVEL_ORDER)) for level in levels]
    earliest = [d or "9999" for d in dates]
    for u, members in described.items():  # a unit takes the most general level of its members
        level_rank[u] = min(level_rank[m] for m in (u, *members))
        # and its earliest date
        known = [d for m in (u, *members) if (d := dates[m])]
        earliest[u] = min(known) if known else "9999"
    # general → specific: level, then date, then id (the position: ids are sorted)
    date_order = {d: k for k, d in enumerate(sorted(set(earliest)))}
    by_generality = np.lexsort(
        (
            np.array([date_order[d] for d in earliest], dtype=np.int64),
            np.array(level_rank, dtype=np.int64),
        )
    )
    order = np.empty(n, dtype=np.int64)
    order[by_generality] = np.arange(n, dtype=np.int64)
    columns = {
        "ids": ids,
        "type": types,
        "symbol": [a.get("symbol") for a in attrs],
        "date": dates,
        "issuer": [a.get("issuer") for a in attrs],
        "level": levels,
        "in_corpus": inside,
        "cited_by": cited_by,
        "year": years,
        "rank": rank,
        "conflicts": [("; ".join(c) if c else None) for c in conflicts],
        "head_code": head_code,
        "same_as_text": [
            ", ".join(ids[m] for m in described[i]) if i in described else "" for i in range(n)
        ],
        "described_by": _csr(described, n),
        "ranked": ranked,
        "conflicted": ranked[np.array([bool(c) for c in conflicts], dtype=bool)[ranked]],
        "dated": np.array([i for _, i in dated], dtype=np.int64),
        "dates": [d for d, _ in dated],
        **links.columns,
        **_unit_arrays(links, same_as, n),
        "unit_level": np.array(level_rank, dtype=np.int64),
        "unit_order": order,
        # posting lists in rank order: by symbol, by number, and one per filter value (for
        # most_cited and missing)
        "by_key": _postings([sym_keys], ranked),
        "by_number": _postings([numbers], ranked),
        "by_filter": _postings(
            [
                _filter_keys("level", levels),
                _filter_keys("type", types),
                _filter_keys("year", years),
                _filter_keys("in_corpus", [bool(v) for v in inside]),
            ],
            ranked,
        ),
        **made_first,
    }

    def later(ix: Index, name: str):
        with collector_paused():
            if name == "by_fold":  # the symbol keys without marks: "101-QD/TW"
                folded = defaultdict(list)
                for key, named in ix["by_key"].items():
                    folded[fold(key)] += named
                return Postings.of(folded)
            if name == "words":
                return _postings_of_words(ids, attrs)
        raise KeyError(name)

    ix = Index(n, later)
    ix._columns.update(columns)
    return ix


def _filter_keys(name: str, values: list) -> list[str]:
    """``filter_key(name, value)`` of each value: a few distinct values, each keyed once."""
    if set(map(type, values)) <= {str, bool, type(None)}:
        # texts, bools, None: values equal only if the same (not so of 1, 1.0 and True), so
        # a value can be its key's key
        keyed = {v: filter_key(name, v) for v in set(values)}
        return list(map(keyed.__getitem__, values))
    return [filter_key(name, v) for v in values]


def _postings(columns: list[list], order: np.ndarray) -> Postings:
    """Postings of the positions by key: ``columns`` give each position's key (or None), one
    key per column; each key's list in ``order``. ``Postings.of`` of the lists made by
    walking ``order``, without a Python loop over the entries."""
    keys = sorted({k for column in columns for k in column if k is not None})
    number = {k: c for c, k in enumerate(keys)}
    coded = [  # by position; -1: no key
        np.fromiter(map(number.get, column, repeat(-1)), dtype=np.int64, count=len(column))
        for column in columns
    ]
    codes = np.concatenate([column[order] for column in coded])
    at = np.tile(order, len(columns))
    kept = codes >= 0
    codes, at = codes[kept], at[kept]
    by_key = np.argsort(codes, kind="stable")
    ptr = np.zeros(len(keys) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum(np.bincount(codes, minlength=len(keys)))
    return Postings(keys, ptr, at[by_key].astype(np.int64))


def _postings_of_words(ids: list[str], attrs: list[dict]) -> Postings:
    """The ``words`` column: each node's ``node_words``, the words of a text found once.

    A label is split at its spaces and the words of each piece found once: the words of a
    text are those of its pieces between spaces, as folding does not reach across a space
    (decomposition and the removal of marks work within a character and the marks after
    it, the final sigma of ``lower`` is decided within a word) nor do words."""
    from .graph import label

    known: dict[str, frozenset[str]] = {}  # types, issuers, titles, numbers, years repeat
    found: list[str] = []  # every node's words, node after node
    counts = np.zeros(len(ids), dtype=np.int64)
    for i, (node, a) in enumerate(zip(ids, attrs)):
        texts = label(node, a).split(" ")
        for k in _WORD_FIELDS:
            if a.get(k):
                texts.append(str(a[k]))
        these: set[str] = set()
        for text in texts:
            words = known.get(text)
            if words is None:
                words = known[text] = frozenset(_words(text))
            these |= words
        found += these
        counts[i] = len(these)
    keys = sorted(set(found))
    number = {word: c for c, word in enumerate(keys)}
    codes = np.fromiter(map(number.__getitem__, found), dtype=np.int64, count=len(found))
    # stable: each word's nodes stay in position order
    owners = np.repeat(np.arange(len(ids), dtype=np.int64), counts)[
        np.argsort(codes, kind="stable")
    ]
    ptr = np.zeros(len(keys) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum(np.bincount(codes, minlength=len(keys)))
    return Postings(keys, ptr, owners)


def _csr(lists: dict[int, list[int]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Lists of positions by row (0 … n-1; a row not in ``lists`` is empty) as CSR pointers
    and values."""
    rows = sorted(lists)
    counts = np.zeros(n, dtype=np.int64)
    counts[rows] = [len(lists[i]) for i in rows]
    ptr = np.zeros(n + 1, dtype=np.int64)
    ptr[1:] = np.cumsum(counts)
    values = np.fromiter(
        _chain.from_iterable(lists[i] for i in rows), dtype=np.int64, count=int(ptr[-1])
    )
    return ptr, values


@dataclass
class _Links:
    """The citations between nodes (``_citation_arrays``): the columns made of them, and the
    edges by position, which the units' arrays are made from."""

    columns: dict
    src: np.ndarray
    dst: np.ndarray
    cues: np.ndarray
    edges: list[dict]
    cue_text: "_Numbered"


def _citation_arrays(g: "nx.DiGraph", ids: list[str], pos: dict[str, int]) -> _Links:
    """The citations as compressed rows of positions (CSR: pointers, values): who each node
    cites (``succ``) and who cites it (``pred``, in id order, with each citing pair's mention
    count and cues)."""
    n_ids = len(ids)
    cue_text = _Numbered()
    succ = [g._succ[name] for name in ids]
    src = np.repeat(np.arange(n_ids, dtype=np.int64), [len(s) for s in succ])
    dst = np.fromiter(map(pos.__getitem__, _chain.from_iterable(succ)), np.int64, len(src))
    edges = list(_chain.from_iterable(s.values() for s in succ))
    counts = [edge.get("count", 0) for edge in edges]
    cue_sets = [edge["relations"] if "relations" in edge else _cue_set(edge) for edge in edges]
    cues = np.fromiter(map(cue_text.__getitem__, map(tuple, cue_sets)), np.int64, len(edges))
    # stable: the citing documents of each stay in id order
    by_target = np.argsort(dst, kind="stable")
    columns = {
        "succ": (_pointers(src, n_ids), dst),
        "pred": (_pointers(dst, n_ids), src[by_target]),
        "pred_count": np.array(counts, dtype=np.int64)[by_target],
        "pred_cues": cues[by_target],
    }
    return _Links(columns, src, dst, cues, edges, cue_text)


def _unit_arrays(links: _Links, same_as: dict[int, int], n_ids: int) -> dict:
    """The citations between units (``unit_succ``, ``unit_pred``), where a number-less corpus
    document and the cited node it is are one, for the chain; and the cues' texts (numbered
    as the citations' and the units' cues came)."""
    src, dst, cues, edges, cue_text = links.src, links.dst, links.cues, links.edges, links.cue_text
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
        "unit": unit_of,
        "unit_succ": (_pointers(unit_src, n_ids), unit_dst),
        "unit_succ_cues": pair_cues,
        "unit_pred": (_pointers(unit_dst, n_ids), unit_src[by_unit_target]),
        "cue_texts": [", ".join(cues) for cues in cue_text],  # as the rows show them
    }


class _Numbered(dict):
    """Cue sets numbered as they come: there are few."""

    def __missing__(self, cues: tuple) -> int:
        number = self[cues] = len(self)
        return number


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


def _year_of(a: dict) -> str | None:
    return a.get("year") or (a.get("date") or "")[:4] or None


@dataclass
class Table:
    """An answer as columns: ``keys`` and, per key, one value per row. Questions answer with
    one inside ``answers_in_columns``: the command line prints 50,000 rows from their columns
    in a fraction of the time that making a dict per row and reading it back takes."""

    keys: list[str]
    columns: list[list]

    def __len__(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    def rows(self) -> list[dict]:
        return [dict(zip(self.keys, values)) for values in zip(*self.columns)]


_IN_COLUMNS: ContextVar[bool] = ContextVar("answers_in_columns", default=False)


@contextmanager
def answers_in_columns():
    """Within the block, every question answers with a ``Table``, not a list of dicts."""
    token = _IN_COLUMNS.set(True)
    try:
        yield
    finally:
        _IN_COLUMNS.reset(token)


def _rows(ix: Index, at, of: str | list | None = None, **extra) -> list[dict] | Table:
    """id, type, symbol, date, issuer, level, in_corpus, cited_by of the nodes at these
    positions, after ``of`` (whose answer they are: one for all, or one per row) where given,
    and the question's own columns (each a list, one value per row); a ``Table`` of them in
    ``answers_in_columns``."""
    at = at.tolist() if isinstance(at, np.ndarray) else list(at)
    keys = ["id", "type", "symbol", "date", "issuer", "level", "in_corpus", "cited_by"]
    stored = ["ids", *keys[1:]]  # the index's column of each
    columns = [[column[p] for p in at] for column in map(ix.__getitem__, stored)]
    columns[6] = [bool(v) for v in columns[6]]  # in_corpus as stored, read as a bool
    if of is not None:
        keys.insert(0, "of")
        columns.insert(0, of if isinstance(of, list) else [of] * len(at))
    late = {}  # a column that is not one value per row: set on the rows it reaches
    for name, values in extra.items():
        if len(values) == len(at):
            keys.append(name)
            columns.append(list(values))
        else:
            late[name] = values
    if _IN_COLUMNS.get() and not late:
        return Table(keys, columns)
    rows = Table(keys, columns).rows()
    for name, values in late.items():
        for row, value in zip(rows, values):
            row[name] = value
    return rows


# --- loose names ------------------------------------------------------------------------

# the patterns a loose name is read with; written so that JavaScript's RegExp (flags "iu")
# reads them alike, for the HTML view's search box (``search_rules``)
QUERY_SYMBOL = symbols.LOOSE
QUERY_TYPE_NUMBER = (
    rf"(?<word>.+?)\s+(?:s[ốo]\s+)?(?<num>{symbols.NUMBER})(?<rest>(?:[^\p{{L}}\p{{N}}_].*)?)"
)
QUERY_YEAR = r"(?<!\d)((?:19|20)\d\d)(?!\d)"
QUERY_WORD = r"[\p{L}\p{N}]+"
# "101-QĐ/TW@undated": of the documents a name means, the undated node alone (the node of
# the mentions that give no year, whose id is the bare symbol: that means every year)
UNDATED = "@undated"
QUERY_UNDATED = r"\s*@\s*undated$"
# the id of an undated node: a symbol without "@" (doc:name is a number-less document)
UNDATED_NODE = r"^(?!doc:)[^@]+$"
_QUERY_SYMBOL = re.compile(QUERY_SYMBOL)
_QUERY_UNDATED = re.compile(QUERY_UNDATED, re.IGNORECASE)
_UNDATED_NODE = re.compile(UNDATED_NODE)
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
    takes one; ``candidates`` lists their node ids, and the message the name of each that
    selects it alone (``name_of``: "101-QĐ/TW@undated" for the undated node "101-QĐ/TW")."""

    def __init__(self, name: str, candidates: list[str]):
        self.candidates = candidates
        super().__init__(
            f"{name!r} is {len(candidates)} documents, name one: "
            + ", ".join(map(name_of, candidates))
        )


def name_of(node: str) -> str:
    """The name that selects a node alone: its id, but for an undated node whose id is a
    bare symbol ("101-QĐ/TW", which means every year of that symbol) "101-QĐ/TW@undated"."""
    if "@" in node:  # a dated id (no symbol holds "@"): no need of the pattern
        return node
    return node + UNDATED if _QUERY_SYMBOL.fullmatch(node) else node


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


_WORD_FIELDS = ("doc_type", "symbol", "title", "subject", "issuer")


def node_words(g: "nx.DiGraph", node: str) -> set[str]:
    """The words a search by title finds a node by: its type, number, title, subject, issuer
    and label, folded."""
    from .graph import label

    a = g.nodes[node]
    found = set(_field_words(label(node, a)))
    for k in _WORD_FIELDS:
        if a.get(k):
            found |= _field_words(str(a[k]))
    return found


def _type_codes() -> dict[str, set[str]]:
    """A document type's name, folded -> the codes of its numbers, folded ("nghi quyet" ->
    {"nq"})."""
    return {
        fold(name): {fold(c) for c in codes} for name, codes in catalogue()["doc_types"].items()
    }


def resolve(g: Graph, query: str) -> list[str]:
    """Node ids a loose name means, in id order: "28-NQ/TW", "NQ 28", "Nghị quyết 28",
    "nghị quyết số 28-NQ/TW", "101-QĐ/TW@2012", "Quy định số 101-QĐ/TW, ngày 28/02/2023",
    "Quy định 101 năm 2012", "doc:name"; without marks too ("101-QD/TW", "nghi quyet 28"); or,
    with no number in it, words of the title ("phương thức lãnh đạo": every document whose
    type, title, subject or issuer has all of them). A year or date beside the name keeps
    the documents of that year. A symbol known in several years means each of them: its
    undated node and every dated one; "101-QĐ/TW@undated" (``name_of``) the undated one alone
    ("@undated" after any name keeps its undated node).

    The HTML view's search box reads a name by the same rules (``search_rules``)."""
    ids = index(g)["ids"]
    return [ids[p] for p in _resolve(index(g), query)]


def _resolve(ix: Index, query: str) -> list[int]:
    q = " ".join(query.split())
    # a node's own id, unless it is a bare symbol, which means every year of that symbol
    own = ix.position(q)
    if own is not None and not _QUERY_SYMBOL.fullmatch(q):
        return [own]
    undated = _QUERY_UNDATED.search(q)
    if undated and undated.start():  # "101-QĐ/TW@undated": what the rest means, undated
        rest, ids = q[: undated.start()], ix["ids"]
        own = ix.position(rest)
        if own is not None and _UNDATED_NODE.match(rest):  # an undated node's id: itself
            return [own]
        return [p for p in _resolve(ix, rest) if _UNDATED_NODE.match(ids[p])]
    m = _QUERY_SYMBOL.search(q)
    if m:
        written = symbol_key(m.group(0))
        found = ix["by_key"].get(written.casefold())
        if not found:  # typed without marks: "101-QD/TW"
            found = ix["by_fold"].get(fold(written))
        rest = q[: m.start()] + " " + q[m.end() :]
    elif m := _QUERY_TYPE_NUMBER.fullmatch(q):
        word, num, rest = fold(m.group("word")), m.group("num").lstrip("0"), m.group("rest")
        codes = _type_codes().get(word) or {word}
        head_code, kinds = ix["head_code"], ix["type"]
        found = [
            p
            for p in ix["by_number"].get(num)
            if fold(head_code[p]) in codes or fold(kinds[p] or "") == word
        ]
    else:
        wanted = _words(q)
        if not wanted:
            return []
        words = ix["words"]
        found = None
        for word in sorted(wanted):  # nodes that have every word
            have = words.array(word)
            found = have if found is None else np.intersect1d(found, have, assume_unique=True)
        return sorted(found.tolist())
    year = _QUERY_YEAR.search(rest)
    years = ix["year"]
    return sorted(p for p in found if not year or years[p] == year.group(1))


def nodes(g: Graph, name: str) -> list[str]:
    """The documents a loose name means (``resolve``); NotFound when none."""
    ids = index(g)["ids"]
    return [ids[p] for p in _nodes(index(g), name)]


def _nodes(ix: Index, name: str) -> list[int]:
    found = _resolve(ix, name)
    if not found:
        raise NotFound(f"no document in the graph matches {name!r}")
    return found


def one(g: Graph, name: str) -> str:
    """The one document a loose name means; NotFound when none, Ambiguous (listing them)
    when several, as "101-QĐ/TW" is the Quy định of 2012 and that of 2023."""
    return index(g)["ids"][_one(index(g), name)]


def _one(ix: Index, name: str) -> int:
    found = _nodes(ix, name)
    if len(found) > 1:
        raise Ambiguous(name, [ix["ids"][p] for p in found])
    return found[0]


def search_rules() -> dict:
    """What the HTML view's search box needs to read a loose name as ``resolve`` does: its
    patterns (JavaScript reads them with flags "iu") and the type names' codes."""
    return {
        "symbol": QUERY_SYMBOL,
        "type_number": QUERY_TYPE_NUMBER,
        "year": QUERY_YEAR,
        "word": QUERY_WORD,
        "undated": QUERY_UNDATED,
        "undated_node": UNDATED_NODE,
        "types": {k: sorted(v) for k, v in _type_codes().items()},
    }


def _cue_set(edge: dict) -> list[str]:
    if "relations" in edge:  # stored at build time
        return edge["relations"]
    return sorted({m.get("relation") for m in edge.get("mentions", []) if m.get("relation")})


def _cues(edge: dict) -> str:
    return ", ".join(_cue_set(edge))


def cited_by(g: Graph, name: str, top: int | None = None) -> list[dict]:
    """Documents that cite the document ``name`` means (any name ``resolve`` reads), in id
    order, the first ``top`` of them, with how often and under which cues; ``of`` says which
    document is cited, as a name may mean several (one number in several years): each is
    answered in turn."""
    ix = index(g)
    (ptr, srcs), counts, cues = ix["pred"], ix["pred_count"], ix["pred_cues"]
    texts, ids = ix["cue_texts"], ix["ids"]
    of, at, mentions, relations = [], [], [], []  # each document's answer, one after another
    for p in _nodes(ix, name):
        lo, hi = int(ptr[p]), int(ptr[p + 1])
        if top is not None:
            hi = min(hi, lo + top)
        of += [ids[p]] * (hi - lo)
        at += srcs[lo:hi].tolist()
        mentions += counts[lo:hi].tolist()
        relations += [texts[c] for c in cues[lo:hi].tolist()]
    return _rows(ix, at, of=of, mentions=mentions, relations=relations)


def _reach(csr: tuple[np.ndarray, np.ndarray], start: int, depth: int) -> list[tuple[int, int]]:
    """(steps, position) of every node ``start`` reaches in 1 … ``depth`` steps, fewest
    steps first, then by position."""
    steps = {start: 0}
    frontier, step = np.array([start], dtype=np.int64), 0
    found = []
    while frontier.size and step < depth:
        step += 1
        _, entries = _gather(csr, frontier)
        new = [p for p in np.unique(csr[1][entries]).tolist() if p not in steps]
        steps.update((p, step) for p in new)
        found += [(step, p) for p in new]
        frontier = np.array(new, dtype=np.int64)
    return found


def cites(g: Graph, name: str, depth: int = 1) -> list[dict]:
    """What the document ``name`` means cites, down to ``depth`` steps (depth 2: what those
    cite too); ``of`` says whose citations a row is, as a name may mean several documents."""
    ix = index(g)
    of, at, depths = [], [], []  # each document's answer, one after another
    for p in _nodes(ix, name):
        found = _reach(ix["succ"], p, depth)
        of += [ix["ids"][p]] * len(found)
        at += [q for _, q in found]
        depths += [d for d, _ in found]
    return _rows(ix, at, of=of, depth=depths)


def _filtered(ix: Index, filters: dict, keep) -> Iterator[int]:
    """Positions in rank order that pass the filters, walking the shortest posting list."""
    given = {k: v for k, v in filters.items() if v is not None}
    lists = [ix["by_filter"].array(filter_key(k, v)) for k, v in given.items()]
    walk = min(lists, key=len) if lists else ix["ranked"]
    columns = {k: ix[k] for k in given}
    for p in walk.tolist():
        if all(columns[k][p] == v for k, v in given.items()) and keep(p):
            yield p


def most_cited(
    g: Graph,
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
    issuers = ix["issuer"]
    found = list(
        islice(
            _filtered(
                ix,
                {"level": level, "type": canonical_type(doc_type), "year": year},
                lambda p: not want or want in (issuers[p] or "").casefold(),
            ),
            top,
        )
    )
    rank = ix["rank"]
    return _rows(ix, found, pagerank=[round(rank[p], 5) for p in found])


def missing(g: Graph, top: int | None = None) -> list[dict]:
    """Documents cited but not in the corpus (and not described by a corpus document), most
    cited first."""
    ix = index(g)
    ptr = ix["described_by"][0]
    # compared as stored, so that a node without in_corpus is not taken for a missing one
    found = _filtered(ix, {"in_corpus": False}, lambda p: ptr[p] == ptr[p + 1])
    return _rows(ix, list(islice(found, top)))


def conflicts(g: Graph, top: int | None = None) -> list[dict]:
    """Documents whose mentions disagree (dates, with who gives which), and numbers whose
    mentions could not be placed ("year unknown", "number shared"); most cited first (the
    first ``top``)."""
    ix = index(g)
    found = ix["conflicted"][:top].tolist()
    texts = ix["conflicts"]
    return _rows(ix, found, conflicts=[texts[p] for p in found])


# --- the implementation chain, co-citation, timeline -------------------------------------


def _members(ix: Index, unit: int) -> list[int]:
    """A unit and the number-less corpus documents that are it (``same_as``)."""
    ptr, values = ix["described_by"]
    return [unit] + values[ptr[unit] : ptr[unit + 1]].tolist()


def chain(g: Graph, name: str, depth: int | None = None, top: int | None = None) -> list[dict]:
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
    ix = index(g)
    node = _one(ix, name)
    ids, n = ix["ids"], len(ix["ids"])
    level, key = ix["unit_level"], ix["unit_order"].copy()
    root = int(ix["unit"][node])
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
    cues, texts, same_as = ix["unit_succ_cues"], ix["cue_texts"], ix["same_as_text"]
    cited = cited.tolist()
    parents = parent[at].tolist()
    also = [
        ", ".join([ids[t] for t in cited[a:b] if t != p]) if b - a > 1 else ""
        for p, a, b in zip(parents, first_cited[at].tolist(), last_cited[at].tolist())
    ]
    return _rows(
        ix,
        order,
        depth=depths,
        parent=[None] + [ids[p] for p in parents],
        relations=[""] + [texts[c] for c in cues[parent_edge[at]].tolist()],
        same_as=[same_as[u] for u in order],
        also_cites=[""] + also,
    )


def _spans(owners: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """For values sorted by owner: where each of the n owners' run starts and ends (empty: 0, 0)."""
    first, end = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    starts = _runs(owners)
    first[owners[starts]] = starts
    end[owners[starts]] = np.r_[starts[1:], owners.size]
    return first, end


def co_cited(g: Graph, name: str, top: int | None = 20) -> list[dict]:
    """Documents most often cited together with the document ``name`` means (``one``): in how
    many citing documents both appear."""
    ix = index(g)
    members = _members(ix, int(ix["unit"][_one(ix, name)]))
    ptr, citers = ix["pred"]
    citing = np.unique(np.concatenate([citers[ptr[m] : ptr[m + 1]] for m in members]))
    # everything those documents cite, gathered from the integer arrays in one go
    _, entries = _gather(ix["succ"], citing)
    counts = np.bincount(ix["succ"][1][entries], minlength=ix.nodes)
    counts[members] = 0
    found = np.flatnonzero(counts)
    if top and len(found) > top:  # the top counts first, then ties in id order
        cut = np.partition(counts[found], len(found) - top)[len(found) - top]
        found = found[counts[found] >= cut]
    best = sorted(((int(counts[p]), p) for p in found.tolist()), key=lambda x: (-x[0], x[1]))
    best = best[:top]
    return _rows(ix, [p for _, p in best], together=[k for k, _ in best])


def timeline(
    g: Graph,
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
    dates, levels, kinds, inside = ix["date"], ix["level"], ix["type"], ix["in_corpus"]
    links: dict[int, str] | None = None
    if around:
        unit = _members(ix, int(ix["unit"][_one(ix, around)]))
        links = {m: "itself" for m in unit}
        (pred_ptr, pred), (succ_ptr, succ) = ix["pred"], ix["succ"]
        for m in unit:
            for p in pred[pred_ptr[m] : pred_ptr[m + 1]].tolist():
                links.setdefault(p, "cites it")
            for p in succ[succ_ptr[m] : succ_ptr[m + 1]].tolist():
                links.setdefault(p, "cited by it")
        dated = sorted((dates[p], p) for p in links if dates[p])
        dated = [
            p for d, p in dated if (not start or d >= start) and (not end or d <= end + "\uffff")
        ]
    else:
        lo = bisect_left(ix["dates"], start) if start else 0
        hi = bisect_right(ix["dates"], end + "\uffff") if end else len(ix["dates"])
        dated = ix["dated"][lo:hi].tolist()
    found = []
    for p in dated:
        if (
            (level and levels[p] != level)
            or (kind and kinds[p] != kind)
            or (in_corpus is not None and bool(inside[p]) != in_corpus)
        ):
            continue
        found.append(p)
        if top and len(found) >= top:
            break
    if links is None:
        return _rows(ix, found)
    return _rows(ix, found, link=[links[p] for p in found])
