"""The corpus citation graph: one node per real document, one edge per citing pair.

Node ids (canonical: number, code and year; the type is an attribute because the code
already names it, "NQ" = Nghị quyết):
  ``<symbol>@<year>``  a numbered document whose year is known, e.g. "101-QĐ/TW@2012",
                       "30/2020/NĐ-CP@2020";
  ``<symbol>``         a numbered document never cited with a date;
  ``doc:<name>``       a corpus document without its own number (its output name; of
                       several copies of it, the first name: ``_unnumbered_copies``);
  ``<symbol>@<date>``  corpus documents that share a local number and year but not their
                       header dates: each Huyện ủy numbers its own plans (``_shared_numbers``).
  ``<symbol>@<year>@<province>``  a local number given in two or more provinces, each
                       province's (``_by_province``; central numbers never).
The symbol is whitespace-free with leading zeros dropped ("08-QĐi/TW" -> "8-QĐi/TW"),
so the two "Quy định 101-QĐ/TW" of 2012 and 2023 stay two nodes. A state symbol's year
("40/2017/TT-BTC") is its node's, whatever dates its mentions give: those of another year are
conflicts on it, those it cannot have flagged (``_settle_numbered_years``). An undated mention
joins the dated node when only one of the years known for its symbol fits its term and
the citing document's date (``_only_year``), or when its context's evidence decides among
them (``placement``); two different dates in the same year for one symbol are kept as a
flagged conflict on the node.

Node attributes: symbol, number, code, year, doc_type, date (the first date seen; where dates
disagree, the own header's or else the reading of most documents), dates
(all seen, the corpus document's own header included), conflicts and date_sources (which
documents give which date), issuer (its header's, else the first mention's, else the body its
code names: "72/2025/QH15" Quốc hội), level (TW, TU, HU, ĐU or state), subject, term, in_corpus,
mentions, cited_by (in-degree), pagerank (computed once here, so queries need not),
outputs and sources (corpus documents), same_as / same_as_confidence / same_as_evidence
(a number-less corpus document that is a cited node) and described_by (the reverse).
Edge attributes: count, relations (the distinct cues) and mentions (section, start, end, text,
sentence, relation, date; confidence and evidence where the evidence placed an undated one).
"""

from __future__ import annotations

import dataclasses
import os
import unicodedata
from bisect import insort
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Callable, Mapping, NamedTuple

import networkx as nx
import regex as re
from rapidfuzz import fuzz, process

from . import forked, placement, provinces, symbols
from .catalogue import base_type, catalogue
from .graphfacts import Facts, facts_of
from .memory import collector_paused
from .models import Citation, Document, Metadata
from .symbols import key as symbol_key


def _year(date: str | None) -> str | None:
    return date[:4] if date else None


def _symbol_year(key: str | None) -> str | None:
    """The year a state symbol is numbered in ("40/2017/TT-BTC" -> "2017"): it decides the
    node, whatever dates its mentions give."""
    return symbols.year(key)


def _own_id(doc: Facts, name: str) -> str:
    meta = doc.metadata
    if meta.symbol:
        key = symbol_key(meta.symbol)
        year = _symbol_year(key) or _year(meta.date)
        return f"{key}@{year}" if year else key
    return f"doc:{name}"


class _Reading(NamedTuple):
    """What a mention's number and date say alone, whatever the corpus: its symbol's key, the
    year its number gives ("40/2017/TT-BTC"), the year it is of (that, else its date's), its
    node where that year decides it, and whether its number is a local body's."""

    key: str
    numbered: str | None
    year: str | None
    target: str | None
    local: bool


_SYMBOL_DATE = attrgetter("symbol", "date")  # of a mention: what ``_Readings`` are by


class _Readings(dict):
    """``_Reading`` by (symbol, date), worked out once a build: a corpus cites its numbers
    with the same dates again and again, and every pass over the million mentions asks."""

    def __missing__(self, mention: tuple[str, str | None]) -> _Reading:
        symbol, date = mention
        key = symbol_key(symbol)
        numbered = _symbol_year(key)
        year = numbered or _year(date)
        found = self[mention] = _Reading(
            key, numbered, year, f"{key}@{year}" if year else None, _locally_numbered(symbol)
        )
        return found


@dataclass
class CorpusGraph:
    """The graph stage's result: the graph, and for each document (by name) the node each of
    its citations means, in the order of its citations (None for a mention without a symbol),
    its own node, and where the evidence placed its undated mentions (``placement``)."""

    graph: nx.DiGraph
    targets: dict[str, list[str | None]]
    nodes: dict[str, str]
    placements: dict[str, list[placement.Placement | None]]
    # the nodes whose links were made without their mentions (``build_graph``'s ``copied``)
    unmade: set[str] = dataclasses.field(default_factory=set)


def build_graph(
    documents: Mapping[str, Document | Facts],
    *,
    pagerank: bool = True,
    compared: dict[tuple[str, str], bool] | None = None,
    apart: bool = False,
    copied: Callable[[str, str, list[str | None], list], bool] | None = None,
    pointed: Callable[[dict[str, list[str | None]]], None] | None = None,
    made: Callable[[nx.DiGraph], None] | None = None,
    leave: list | None = None,
) -> CorpusGraph:
    """The citation graph of a corpus (output name -> document, or its ``Facts``) and where
    each citation points. The documents are read, never changed. ``compared``: a memo of
    which number-less documents' openings are alike, by pair of names, read and added to
    (``graphfacts.OpeningsCompared`` keeps it between builds). ``apart``: the evidence that
    places undated mentions is weighed in a forked process, on the second core (a large
    corpus: 2 s at 100,000 documents); the graph is the same. ``copied(name, node, targets,
    placements)``: the links of that document, its node's only one, are copied from the last
    graph.json (``graphfacts.LinksKept``), so their mentions are not made (a million dicts
    at 100,000 documents): its node's edges keep their counts and cues, and it is in the
    result's ``unmade``, which ``write_graph`` is to copy. ``pointed(targets)``: told each
    document's targets (the result's) as soon as they are known, before the nodes and edges
    are made: a caller may write them meanwhile. ``made(graph)``: told the graph once its
    nodes and edges are made and every field but ``SET_LAST`` is set (a caller may start
    on it meanwhile: ``last_set`` and ``set_last`` carry those over). ``leave``: a list to
    which the build's working objects are added rather than freed one by one on return (a
    process that exits without freeing them: 0.35-0.46 s of an update at 100,000 documents)."""
    with collector_paused():
        compared = {} if compared is None else compared
        kept = [] if leave is None else leave
        return _build_graph(documents, pagerank, compared, apart, copied, pointed, made, kept)


def release(g: nx.DiGraph) -> None:
    """Drop the views networkx caches on a graph that refer back to it (``g.edges``,
    ``g.in_degree`` …; made again on next use). With them the graph is a cycle, freed only by
    the garbage collector's pass over its millions of objects (a second of an update at
    100,000 documents); without, the moment it is no longer used."""
    for name, view in list(vars(g).items()):
        if getattr(view, "_graph", None) is g:
            del g.__dict__[name]


def _build_graph(
    documents: Mapping[str, Document | Facts],
    pagerank: bool,
    compared: dict[tuple[str, str], bool],
    apart: bool,
    copied: Callable[[str, str, list[str | None], list], bool] | None,
    pointed: Callable[[dict[str, list[str | None]]], None] | None,
    made: Callable[[nx.DiGraph], None] | None,
    leave: list,
) -> CorpusGraph:
    documents = {
        name: doc if isinstance(doc, Facts) else facts_of(doc) for name, doc in documents.items()
    }
    g = nx.DiGraph()
    targets: dict[str, list[str | None]] = {}
    own_ids = {name: _own_id(doc, name) for name, doc in documents.items()}
    _unnumbered_copies(documents, own_ids, compared)
    read = _Readings()
    # every year each symbol is known in: from citations with dates and from corpus documents
    years: dict[str, set[str]] = defaultdict(set)
    for node in own_ids.values():
        if "@" in node:
            key, year = node.split("@")
            years[key].add(year)
    # (each number and date once: a corpus repeats them, and this runs over every mention)
    for symbol, date in {_SYMBOL_DATE(c) for doc in documents.values() for c in doc.citations}:
        if symbol:
            reading = read[symbol, date]  # (every reading a build needs, made now)
            if date:
                years[reading.key].add(reading.year)
    shared = _shared_numbers(documents, own_ids)
    place_of = {own_ids[name]: doc.metadata.place for name, doc in documents.items()}
    near = {name: doc.beside for name, doc in documents.items()}
    # each undated mention the evidence places: weighed in a process of its own (``apart``)
    # while this one points the other mentions, else once they are pointed
    placing = _Placing(documents, own_ids, near, read, years, apart=apart)
    # where each citation points, local numbers of two provinces told apart (own_ids too)
    with placing:
        planned, split, placed_of = _by_province(
            documents, own_ids, years, shared, place_of, placing.result, read
        )
    if pointed is not None:
        pointed(planned)
    # (node, date): who gives that date; and who gives a date the document cannot have
    givers: dict[tuple[str, str], list[str]] = defaultdict(list)
    doubts: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)

    nodes, succ, preds = g._node, g._succ, g._pred  # (the graph's own dicts, filled directly)
    for name, doc in documents.items():
        meta = doc.metadata
        node = own_ids[name]
        attrs = nodes.get(node)
        if attrs is None:  # (g.add_node, without clearing networkx's caches per node)
            attrs = nodes[node] = _new_node(node)
            succ[node], preds[node] = {}, {}
        attrs["in_corpus"] = True
        # the same document in several inputs (a .txt and its .pdf) is one node
        attrs.setdefault("outputs", []).append(name)
        attrs.setdefault("sources", []).append(doc.source_path)
        for field, value in zip(HEADER_FIELDS, _header_values(meta)):
            if value:
                attrs[field] = value
        if meta.date:
            attrs["year"] = _symbol_year(node.split("@")[0]) or _year(meta.date)
            _add_date(attrs, meta.date)  # a citation giving another date disagrees with the header
            givers[node, meta.date].append("its own header")
            if why := _date_doubt(meta.date, node, None):
                doubts[node, meta.date]["its own header"] = why
        if not meta.symbol and symbols.level_of_issuer(meta.issuer):
            attrs["level"] = symbols.level_of_issuer(meta.issuer)  # no code: the issuer's name says

    # a document in several inputs (its text, PDF and scan) counts its mentions once: those of
    # the copy in which the most were found; the others add only what that copy missed
    copies: dict[str, list[str]] = defaultdict(list)
    for name in sorted(documents):
        copies[own_ids[name]].append(name)
    primary = {max(names, key=lambda n: len(documents[n].citations)) for names in copies.values()}
    # each node's counted mentions, in order: (citation, citing node, that one's own date)
    given: dict[str, list[tuple[Citation, str, str | None]]] = defaultdict(list)
    unmade: set[str] = set()
    for name in sorted(documents, key=lambda n: n not in primary):
        doc = documents[name]
        source = own_ids[name]
        cites = succ[source]
        cited_before = set(cites) if name not in primary else set()
        own_date = _own_date(doc, source)
        targets[name] = planned[name]
        told = (  # its links' text is copied: their mentions are not made
            copied is not None
            and len(copies[source]) == 1
            and copied(name, source, planned[name], placed_of[name])
        )
        if told:
            unmade.add(source)
        for c, sentence, target, placed in zip(
            doc.citations, doc.sentences, planned[name], placed_of[name]
        ):
            if not target:
                continue
            attrs = nodes.get(target)
            if attrs is None:
                attrs = nodes[target] = _new_node(target)
                attrs["in_corpus"] = False
                succ[target], preds[target] = {}, {}
                _note_unplaced(attrs, target, years, shared)
            if target in cited_before:
                continue  # counted from the document's fullest copy
            given[target].append((c, source, own_date))
            if target == source:
                continue  # a document naming itself is not a citation edge
            edge = cites.get(target)
            if edge is None:  # (g.add_edge, without its checks and cache clearing per edge)
                edge = cites[target] = preds[target][source] = {
                    "count": 0,
                    "mentions": [],
                    "relations": [],  # the cues of the pair, once, for the questions
                }
            edge["count"] += 1
            if c.relation and c.relation not in edge["relations"]:
                insort(edge["relations"], c.relation)
            if told:
                continue
            mention = {
                "section": c.section,
                "start": c.start,
                "end": c.end,
                "text": c.text,
                "relation": c.relation,
                "date": c.date,
                "sentence": sentence,
            }
            if placed:  # its year is the evidence's reading, not its own
                mention.update(confidence=placed.confidence, evidence=placed.evidence)
            edge["mentions"].append(mention)
    nx._clear_cache(g)  # (what add_edge does, once)
    for node, mentions in given.items():
        _merge_mentions(nodes[node], node, mentions, givers, doubts)
    _name_date_sources(g, givers)
    _note_provinces(g, split)
    _settle_numbered_years(g, givers, doubts)
    cited_by = g._pred
    for node, attrs in g.nodes(data=True):
        attrs["cited_by"] = len(cited_by[node])
        if attrs.get("symbol"):
            numbered, fields = _symbol_fields(attrs["symbol"])
            year = numbered or (node.split("@")[1][:4] if "@" in node else None)
            if year:
                attrs.setdefault("year", year)
            attrs.update(fields)
            if not attrs.get("issuer"):
                # no mention named it: the body the code names, where the name alone is that
                # body ("72/2025/QH15": Quốc hội; Nghị định 30/2020 puts it last)
                attrs["issuer"] = symbols.issuer_of_code(attrs["symbol"])
                if attrs["issuer"] is None:
                    del attrs["issuer"]
    if made is not None:
        made(g)
    # (the fields these set are SET_LAST's)
    link_unnumbered(g, documents, own_ids, targets)
    if pagerank:
        set_pagerank(g)
    leave.append((documents, read, years, shared, near, given, givers, doubts, copies, primary))
    return CorpusGraph(g, targets, own_ids, placed_of, unmade)


# the fields of the nodes that build_graph sets last, after telling ``made``
SET_LAST = ("same_as", "same_as_confidence", "same_as_evidence", "described_by", "pagerank")


def last_set(g: nx.DiGraph) -> tuple[list[float | None], dict[str, dict]]:
    """The ``SET_LAST`` fields of a built graph, for a copy of it as ``made`` saw it: the
    nodes' PageRank in node order, and the other fields by node where it has them."""
    ranks = [attrs.get("pagerank") for attrs in g._node.values()]
    links = {
        node: {k: attrs[k] for k in SET_LAST[:-1] if k in attrs}
        for node, attrs in g._node.items()
        if "same_as" in attrs or "described_by" in attrs
    }
    return ranks, links


def set_last(g: nx.DiGraph, last: tuple[list[float | None], dict[str, dict]]) -> None:
    """Set on a copy of a graph as ``made`` saw it the fields ``last_set`` gave of it."""
    ranks, links = last
    for node, fields in links.items():
        g._node[node].update(fields)
    for attrs, rank in zip(g._node.values(), ranks):
        if rank is not None:
            attrs["pagerank"] = rank


@lru_cache(maxsize=1 << 17)  # asked of every node: a corpus's nodes share their symbols
def _symbol_fields(symbol: str) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """What a symbol says of its node (``symbols.parts``): the year it is numbered in, and
    the other fields in order."""
    parts = symbols.parts(symbol)
    return parts.get("year"), tuple((k, v) for k, v in parts.items() if k != "year")


SAME_TITLE = 90  # rapidfuzz ratio of two titles above which two headers are one document's
SAME_TEXT = 90  # rapidfuzz ratio of two texts' openings above which they are copies of one document


def _unnumbered_copies(
    documents: Mapping[str, Facts], own_ids: dict[str, str], compared: dict[tuple[str, str], bool]
) -> None:
    """One document without a number in several inputs (its text, its PDF, its scan) is one
    node, ``doc:<the first of its names>``: the same type and issuer, titles alike
    (``_titles_alike``) and the texts' openings alike (``SAME_TEXT``: on the shared corpus
    the copies of a document score 99.8 or more, two provinces' plans on one Nghị quyết
    51). ``own_ids`` is updated. A document joins the first earlier one that passes, the
    most alike title first. Titles are grouped by the numbers in them (alike ones have the
    same) and compared once per distinct title, so that a large group of one issuer's
    documents, many under one title, costs little. ``compared``: whether two openings are
    alike, by pair of names, read where known and added to."""
    groups: dict[tuple, list[str]] = defaultdict(list)
    for name in sorted(documents):
        meta = documents[name].metadata
        if own_ids[name].startswith("doc:") and meta.title:
            numbers = tuple(_NUMBER.findall(meta.title.casefold()))
            groups[meta.doc_type, (meta.issuer or "").casefold(), numbers].append(name)
    for names in groups.values():
        titles: list[str] = []  # the distinct titles of the documents found so far
        firsts: list[list[tuple[int, str]]] = []  # under each, (order, first copy) of each
        seen: dict[str, int] = {}  # title -> its place in titles
        for order, name in enumerate(names):
            doc = documents[name]
            title = doc.metadata.title.casefold()
            candidates = sorted(
                (-score, n, first)
                for _, score, k in process.extract(
                    title, titles, scorer=fuzz.ratio, score_cutoff=SAME_TITLE, limit=None
                )
                if _titles_alike(title, titles[k])
                for n, first in firsts[k]
            )
            for _, _, first in candidates:
                alike = compared.get((name, first))
                if alike is None:  # (the cutoff lets rapidfuzz stop early: 0 below it)
                    opening = documents[first].opening
                    score = fuzz.ratio(doc.opening, opening, score_cutoff=SAME_TEXT)
                    alike = compared[name, first] = score >= SAME_TEXT
                if alike:
                    own_ids[name] = own_ids[first]
                    break
            else:
                if title not in seen:
                    seen[title] = len(titles)
                    titles.append(title)
                    firsts.append([])
                firsts[seen[title]].append((order, name))


_NUMBER = re.compile(r"\d+")


def _titles_alike(a: str | None, b: str | None) -> bool:
    """Two readings of one title: alike (``SAME_TITLE``), with the same numbers in them
    ("năm 2023" is not "năm 2024")."""
    if not a or not b:
        return False
    a, b = a.casefold(), b.casefold()
    return fuzz.ratio(a, b) >= SAME_TITLE and _NUMBER.findall(a) == _NUMBER.findall(b)


@lru_cache(maxsize=1 << 14)  # asked of every pair of headers sharing a number: places repeat
def _place_key(place: str | None) -> str | None:
    """A place name without its marks, as two readings of it agree: OCR damages Vietnamese
    marks far more than letters ("An Phủ" for "An Phú"), while districts differ in letters
    ("Châu Thành" and "Châu Thành A" stay two)."""
    if not place:
        return None
    bare = "".join(c for c in unicodedata.normalize("NFD", place) if not unicodedata.combining(c))
    return " ".join(bare.replace("đ", "d").replace("Đ", "D").casefold().split())


def _one_document(a: Metadata, b: Metadata) -> bool:
    """Two headers with one local number and year are one document's (a text, its PDF and its
    scan) when the places agree, where both are read, and the dates agree too, or the titles
    do (one date misread by OCR). A district never gives one number twice on one day, but
    two districts may: then the places differ."""
    places = _place_key(a.place), _place_key(b.place)
    if all(places) and places[0] != places[1]:
        return False
    return a.date == b.date or _titles_alike(a.title, b.title)


@dataclass
class Identity:
    """One of several corpus documents that share a number and year: its node id, the dates
    and the place its headers give."""

    node: str
    dates: set[str]
    place: str | None


def _shared_numbers(
    documents: Mapping[str, Facts], own_ids: dict[str, str]
) -> dict[str, list[Identity]]:
    """Corpus documents that share a local number and year but are different documents
    (each district numbers its own plans; ``_one_document`` tells copies apart) get an id
    each: ``<symbol>@<date>``, or ``<symbol>@<date>@<place>`` where two share the date too
    (``own_ids`` is updated). Returns, per shared ``<symbol>@<year>``, the documents it may
    mean. A central number shared so is more likely a misread date: it stays one node."""
    groups: dict[str, list[str]] = defaultdict(list)
    for name in sorted(documents):
        meta = documents[name].metadata
        if "@" in own_ids[name] and not symbols.numbered_nationally(meta.symbol):
            groups[own_ids[name]].append(name)
    shared = {}
    for node, names in groups.items():
        if len(names) < 2:
            continue  # (most numbers: one document has it)
        metas = [documents[name].metadata for name in names]
        root = list(range(len(names)))  # union-find over the headers

        def find(i: int) -> int:
            while root[i] != i:
                i = root[i]
            return i

        for i in range(len(metas)):
            for j in range(i + 1, len(metas)):
                if find(i) != find(j) and _one_document(metas[i], metas[j]):
                    root[find(i)] = find(j)
        clusters: dict[int, list[int]] = defaultdict(list)
        for i in range(len(names)):
            clusters[find(i)].append(i)
        if len(clusters) < 2:
            continue
        symbol, found = node.split("@")[0], []
        for members in clusters.values():
            dates = [metas[i].date for i in members]
            # most of its headers' (a tie: the earliest)
            date = min(set(dates), key=lambda d: (-dates.count(d), d))
            place = next((metas[i].place for i in members if metas[i].place), None)
            found.append(Identity(date, set(dates), place))
        days = [one.node for one in found]
        for one, members in zip(found, clusters.values()):
            one.node = f"{symbol}@{one.node}" + (
                f"@{one.place or names[members[0]]}" if days.count(one.node) > 1 else ""
            )
            for i in members:
                own_ids[names[i]] = one.node
        shared[node] = found
    return shared


def _which_of(identities: list[Identity], c: Citation, place: str | None) -> str | None:
    """Which of several corpus documents sharing a number a mention means: the one of the date
    it gives, else (or among those of that date) the one of the citing document's place (a
    district cites its own plans); None when neither tells."""
    dated = [one for one in identities if c.date in one.dates] or identities
    if len(dated) == 1 and c.date:
        return dated[0].node
    here = [one for one in dated if place and _place_key(one.place) == _place_key(place)]
    return here[0].node if len(here) == 1 else None


@lru_cache(maxsize=1 << 16)  # asked of every mention: a corpus repeats its numbers
def _locally_numbered(symbol: str | None) -> bool:
    """A number each province's (or district's) body gives its own documents: a Tỉnh ủy's,
    Huyện ủy's, Đảng ủy's or a local UBND's, HĐND's ("45-KH/TU", "24/KH-UBND")."""
    return (
        bool(symbol)
        and not symbols.numbered_nationally(symbol)
        and symbols.parts(symbol).get("level") in symbols.LEVELS
    )


def _local_document(meta: Metadata) -> bool:
    """A document of a province or district body, whose province tells whose local numbers it
    cites (a central body's place is Hà Nội whoever's numbers it cites)."""
    if meta.symbol and symbols.parts(meta.symbol).get("level"):
        return _locally_numbered(meta.symbol)
    level = symbols.level_of_issuer(meta.issuer)
    return level in ("TU", "HU", "ĐU") or provinces.where(None, meta.issuer) is not None


def _by_province(
    documents: Mapping[str, Facts],
    own_ids: dict[str, str],
    years: dict[str, set[str]],
    shared: dict[str, list[Identity]],
    place_of: dict[str, str | None],
    placings: Callable[[], dict[str, dict[int, placement.Placement]]],
    read: _Readings,
) -> tuple[
    dict[str, list[str | None]], dict[str, list[str]], dict[str, list[placement.Placement | None]]
]:
    """Where each citation points (``_target_of``), with a local ``<symbol>@<year>`` given in
    two or more provinces told apart: ``<symbol>@<year>@<province>`` (``provinces.key``) for
    the corpus documents and mentions whose province is known; those whose province is not
    stay on ``<symbol>@<year>``. The province of a mention: the one its own issuer names ("của
    Tỉnh ủy Bình Định"), else the citing document's, where that is a province's or district's
    (a Huyện ủy cites its own and its province's documents). A number given in one province
    only keeps its id. Among corpus documents sharing a number (``_shared_numbers``), a
    mention that neither date nor place placed goes to the one of its province, where one
    is. Returns the targets per document, per split ``<symbol>@<year>`` its provinces, and
    per document where the evidence placed each mention; ``own_ids`` is updated.

    ``placings()`` gives the mentions the evidence places (``_placings``), asked once the
    others are pointed and before ``own_ids`` changes: one the evidence places points
    nowhere without it (no year: ``<symbol>``, no province), so it is pointed then."""
    here: dict[str, provinces.Where | None] = {}
    for name, doc in documents.items():
        meta = doc.metadata
        local = _local_document(meta)
        here[name] = provinces.where(meta.place, meta.issuer) if local else None
    # the province of each corpus document sharing a number, by its id
    identity_of: dict[str, set[str | None]] = defaultdict(set)
    for name, doc in documents.items():
        meta = doc.metadata
        identity_of[own_ids[name]].add(provinces.key(here[name], meta.date, meta.date))
    mention_province: dict[tuple[str, int], str | None] = {}
    seen: dict[str, set[str]] = defaultdict(set)  # <symbol>@<year> -> the provinces giving it
    only_year = _OnlyYear(years)

    def point(name: str, doc: Facts, i: int, c: Citation, placed: str | None) -> str:
        reading = read[c.symbol, c.date]
        target = reading.target
        if target is not None and not reading.local and target not in shared:
            return target  # (most mentions: a dated one, or a state number, not a local one)
        meta = doc.metadata
        target = _target_of(c, reading, only_year, shared, doc, place_of[own_ids[name]], placed)
        if not reading.local or target.count("@") != 1:
            return target
        cited = c.date or target.split("@")[1]
        named = provinces.where(None, c.issuer)
        province = (
            provinces.key(named, c.date, cited)
            if named
            else provinces.key(here[name], meta.date, cited)
        )
        if target in shared:
            ones = [one.node for one in shared[target] if identity_of[one.node] == {province}]
            return ones[0] if province and len(ones) == 1 else target
        mention_province[name, i] = province
        if province:
            seen[target].add(province)
        return target

    # (most mentions: a dated one of a number not local nor shared, whose node ``point`` gives
    # at once; found without a call each, the others pointed one by one)
    fixed = _nodes_by_reading(read, lambda r: not r.local and r.target not in shared)
    targets: dict[str, list[str | None]] = {}
    for name, doc in documents.items():
        cites = doc.citations
        found = targets[name] = fixed(cites)
        for i in [i for i, target in enumerate(found) if target is None]:
            if cites[i].symbol:
                found[i] = point(name, doc, i, cites[i], None)
    placed_of = {name: [None] * len(doc.citations) for name, doc in documents.items()}
    for name, placed in placings().items():
        doc = documents[name]
        for i, where in placed.items():
            placed_of[name][i] = where
            targets[name][i] = point(name, doc, i, doc.citations[i], where.year)
    own_province: dict[str, str] = {}
    for name, doc in documents.items():
        meta = doc.metadata
        node = own_ids[name]
        if node.count("@") == 1 and node not in shared and _locally_numbered(meta.symbol):
            province = provinces.key(here[name], meta.date, meta.date)
            if province:
                own_province[name] = province
                seen[node].add(province)
    split = {node: sorted(found) for node, found in seen.items() if len(found) > 1}
    for name, province in own_province.items():
        if own_ids[name] in split:
            own_ids[name] = f"{own_ids[name]}@{province}"
    for (name, i), province in mention_province.items():
        if province and targets[name][i] in split:
            targets[name][i] = f"{targets[name][i]}@{province}"
    return targets, split, placed_of


def _note_provinces(g: nx.DiGraph, split: dict[str, list[str]]) -> None:
    """Each province's node of a split local number says its province; the node of the
    mentions whose province is not known names the provinces (a "conflict" for researchers)."""
    for node, found in split.items():
        for province in found:
            if f"{node}@{province}" in g:
                g.nodes[f"{node}@{province}"]["province"] = province
        if node in g:
            _note(
                g.nodes[node],
                f"province unknown: {node} is given in {', '.join(found)}; "
                "these mentions' documents name no province",
            )


@lru_cache(maxsize=1)
def _term_years() -> dict[str, tuple[int, int]]:
    """Each Party Congress term's years, first and last (the next term's first: the Congress
    meets early in the year, so a document of that year may be of either term)."""
    starts = {k: v for k, v in catalogue()["party_terms"].items() if isinstance(v, int)}
    return {
        k: (v, min((w for w in starts.values() if w > v), default=v + 5)) for k, v in starts.items()
    }


def _target_of(
    c: Citation,
    reading: _Reading,
    only_year: _OnlyYear,
    shared: dict[str, list[Identity]],
    doc: Facts,
    place: str | None,
    placed: str | None = None,
) -> str:
    """The node a citation (``reading``: what its number and date say) means:
    ``<symbol>@<year>`` (the year its number gives; else its date's; an undated one: the only
    year it can mean, ``_only_year``, or the one the evidence ``placed`` it in), one of the
    corpus documents sharing that number (``_which_of``), or ``<symbol>`` /
    ``<symbol>@<year>`` when nothing tells."""
    target = reading.target
    if target is None:
        key = reading.key
        year = only_year[key, c.term, _year(doc.metadata.date)] or placed
        target = f"{key}@{year}" if year else key
    if target in shared:  # several corpus documents have this number: which one is meant
        target = _which_of(shared[target], c, place) or target
    return target


class _OnlyYear(dict):
    """``_only_year`` by (symbol key, term, citing year), worked out once each: a corpus's
    undated mentions of one number ask it again and again."""

    def __init__(self, years: dict[str, set[str]]):
        super().__init__()
        self.years = years

    def __missing__(self, asked: tuple[str, str | None, str | None]) -> str | None:
        key, term, citing_year = asked
        found = self[asked] = _only_year(self.years[key], term, citing_year)
        return found


def _note_unplaced(
    attrs: dict, node: str, years: dict[str, set[str]], shared: dict[str, list[Identity]]
) -> None:
    """On a node of mentions that could not be placed, say why (a "conflict" for researchers)."""
    key = node.split("@")[0]
    if "@" not in node and len(years[key]) > 1:
        _note(
            attrs,
            f"year unknown: {key} is known in {', '.join(sorted(years[key]))}; "
            "these mentions give no date",
        )
    if node in shared:
        apart = sorted(one.node for one in shared[node])
        _note(
            attrs,
            f"number shared: by {len(apart)} documents of the corpus ({', '.join(apart)}); "
            "these mentions name none of them by date or place",
        )


def _only_year(known: set[str], term: str | None, citing_year: str | None) -> str | None:
    """The one year an undated mention can mean among those its number is known in: the only
    one; else, of several, the only one in the term it names ("(khóa XI)": 2011 to 2016) and
    not after the citing document's own. (A lone year is not vetoed: OCR misreads terms.)"""
    if len(known) == 1:
        return next(iter(known))
    known = _fitting_years(known, term, citing_year)[0]
    return next(iter(known)) if len(known) == 1 else None


def _fitting_years(
    known: set[str], term: str | None, citing_year: str | None
) -> tuple[set[str], list[str]]:
    """The years an undated mention can mean: in the term it names, not after the citing
    document's own; and, in words, what that ruled out."""
    said = []
    if term in _term_years():
        start, end = _term_years()[term]
        out = sorted(y for y in known if not start <= int(y) <= end)
        known = {y for y in known if start <= int(y) <= end}
        if out:
            said.append(f"term: khóa {term} ({start}–{end}) rules out {', '.join(out)}")
    if citing_year:
        out = sorted(y for y in known if y > citing_year)
        known = {y for y in known if y <= citing_year}
        if out:
            said.append(f"citing date: {citing_year} rules out {', '.join(out)}")
    return known, said


def _nodes_by_reading(
    read: _Readings, keep: Callable[[_Reading], bool] = lambda reading: True
) -> Callable[[list[Citation]], list[str | None]]:
    """The node each of a document's citations means by its number and date alone, where
    ``keep`` says of its reading (None: none, or no number): looked up in C, without a call
    per mention. Every reading is made already (``_build_graph``)."""
    node_of = {pair: r.target for pair, r in read.items() if r.target is not None and keep(r)}
    return lambda citations: list(map(node_of.get, map(_SYMBOL_DATE, citations)))


def _placings(
    documents: Mapping[str, Facts],
    own_ids: Mapping[str, str],
    near: Mapping[str, list[set[str]]],
    read: _Readings,
    years: dict[str, set[str]],
) -> dict[str, dict[int, placement.Placement]]:
    """Each undated mention of a number known in several years that what the dated mentions
    say of each year's document places (``placement.place``: its passage and the numbers cited
    beside it, among the years the term and the citing date leave open), by document and
    position."""
    undated: list[tuple[str, int]] = []
    known = placement.known_documents(documents, own_ids, near, _nodes_by_reading(read), undated)
    rivals: dict = {}  # what each number's candidate years share, worked out once
    fits: dict = {}  # the years an undated mention can mean, by number, term and citing year
    found: dict[str, dict[int, placement.Placement]] = {}
    for name, i in undated:
        doc, c = documents[name], documents[name].citations[i]
        reading = read[c.symbol, c.date]
        if len(years[reading.key]) > 1:
            asked = reading.key, c.term, _year(doc.metadata.date)
            fitting = fits.get(asked)
            if fitting is None:
                fitting = fits[asked] = _fitting_years(years[reading.key], *asked[1:])
            candidates, ruled_out = fitting
            placed = placement.place(
                c, doc.passages[i] or "", near[name][i], candidates, known, ruled_out, rivals
            )
            if placed:
                found.setdefault(name, {})[i] = placed
    return found


class _Placing(forked.Maybe):
    """``_placings``, worked out in a process forked now (``apart``: it reads this one's
    memory as it is now, and ``own_ids`` before ``_by_province`` changes them) or here when
    ``result`` is asked."""

    def __init__(self, *args, apart: bool):
        super().__init__(apart, _placings_apart, *args)
        self._args = args

    def result(self) -> dict[str, dict[int, placement.Placement]]:
        return self.answer(lambda: _placings(*self._args))


def _placings_apart(*args) -> dict[str, dict[int, placement.Placement]]:
    *args, _told = args
    return _placings(*args)


def _numbered_in(node: str) -> str | None:
    """The year a node's state number gives it ("77/2025/NĐ-CP@2025" -> "2025"), if any.
    (Asked of every dated mention; memoised by symbol, ``symbols.year``: nodes outnumber
    symbols, and a memo by node missed a third of the time at 100,000 documents.)"""
    return _symbol_year(node.partition("@")[0]) if not node.startswith("doc:") else None


def _date_doubt(date: str, node: str, citing_date: str | None) -> str | None:
    """Why a state document numbered in a year ("77/2025/NĐ-CP") cannot have a date a mention
    gives it: before that year, or after the citing document's own date; None when it can."""
    numbered = _numbered_in(node)
    if not numbered:
        return None
    if date[:4] < numbered:
        return f"before {numbered}, the year of its number"
    if citing_date and date > citing_date:
        return f"after the citing document's own date {citing_date}"
    return None


def _own_date(doc: Facts, node: str) -> str | None:
    """A document's own date, unless its own number rules it out (a header of "9/2025/NĐ-CP"
    dated 2015 is misread): what it cites is not judged by a date it cannot have."""
    date = doc.metadata.date
    return date if date and not _date_doubt(date, node, None) else None


def _settle_numbered_years(
    g: nx.DiGraph,
    givers: dict[tuple[str, str], list[str]],
    doubts: dict[tuple[str, str], dict[str, str]],
) -> None:
    """On a state document whose number gives its year, the dates of other years its mentions
    (or its header) give are conflicts: named with who gives them (``date_sources``), and a
    date it cannot have (``_date_doubt``, doubted by all who give it) is flagged, never its
    ``date``. Its date: its header's, else one of its number's year given by most."""
    for node, attrs in g.nodes(data=True):
        numbered = _numbered_in(node)
        dates = attrs.get("dates") or []
        if not numbered or not dates:
            continue
        sources = {d: list(dict.fromkeys(givers[node, d])) for d in dates}
        bad = {
            d for d in dates if doubts.get((node, d)) and set(doubts[node, d]) >= set(sources[d])
        }
        other = [d for d in dates if d[:4] != numbered and d not in bad]
        if not bad and not other:
            continue
        attrs["date_sources"] = sources
        if other:
            _note(
                attrs,
                f"year differs: {attrs.get('symbol') or node} is numbered in {numbered}; "
                + "; ".join(f"{d} ({_few(sources[d])})" for d in other),
            )
        if bad:
            _note(
                attrs,
                "date impossible: "
                + "; ".join(
                    f"{d} ({', '.join(f'{who}: {why}' for who, why in doubts[node, d].items())})"
                    for d in sorted(bad)
                ),
            )
        trusted = sorted(
            (d for d in dates if d not in bad), key=lambda d: _date_rank(d, sources, numbered)
        )
        if not trusted:
            attrs.pop("date", None)
        elif attrs.get("date") not in trusted or _date_rank(
            trusted[0], sources, numbered
        ) < _date_rank(attrs["date"], sources, numbered):  # (a tie keeps the date it has)
            attrs["date"] = trusted[0]


def _date_rank(date: str, sources: dict[str, list[str]], numbered: str) -> tuple:
    """A date's claim to be a numbered state document's: its own header's, then one of its
    number's year, then given by more documents."""
    return ("its own header" not in sources[date], date[:4] != numbered, -len(sources[date]))


def set_pagerank(g: nx.DiGraph) -> None:
    """PageRank on every node, computed once at build time so that queries only read it."""
    rank = pagerank(g).tolist() if g.number_of_edges() else [0.0] * len(g)
    for (_, attrs), value in zip(g.nodes(data=True), rank):
        attrs["pagerank"] = round(value, 8)


def pagerank(g: nx.DiGraph, alpha: float = 0.85, tol: float = 1.0e-6, max_iter: int = 100):
    """``nx.pagerank(g)``'s values, as an array in node order (``list(g)``): the same power
    iteration (uniform start, personalization and dangling weights; converged when the L1
    change is under ``len(g) * tol``) and the same arithmetic in the same order, on a matrix
    built straight from the edges' positions: networkx's ``to_scipy_sparse_array`` walked
    every edge's attributes in Python, most of ``nx.pagerank``'s time. Every citing pair
    counts once (no edge has a ``weight``, which nx.pagerank would read)."""
    import numpy as np
    from scipy import sparse

    n = len(g)
    if n == 0:
        return np.zeros(0)
    pos = {node: i for i, node in enumerate(g)}
    succ = g._succ.values()
    out = np.fromiter(map(len, succ), dtype=np.int64, count=n)
    cols = np.fromiter((pos[v] for nbrs in succ for v in nbrs), dtype=np.int64, count=out.sum())
    rows = np.repeat(np.arange(n), out)
    # A's rows normalised (nx: Q @ A, Q the diagonal of 1 / out-degree)
    weights = np.ones(n)
    weights[out != 0] = 1.0 / out[out != 0]
    a = sparse.coo_array((weights[rows], (rows, cols)), shape=(n, n)).tocsr()
    x = np.repeat(1.0 / n, n)
    p = np.repeat(1.0 / n, n)
    dangling = np.flatnonzero(out == 0)
    for _ in range(max_iter):
        xlast = x
        # nx sums the dangling nodes' share with Python's sum, left to right: so does cumsum
        share = np.cumsum(x[dangling])[-1] if dangling.size else 0
        x = alpha * (x @ a + share * p) + (1 - alpha) * p
        if np.absolute(x - xlast).sum() < n * tol:
            return x
    raise nx.PowerIterationFailedConvergence(max_iter)


LINK_THRESHOLD = 0.8


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1 << 14)  # issuers' names repeat across a corpus
def _tokens(s: str | None) -> frozenset[str]:
    return frozenset(_WORD.findall((s or "").casefold()))


def link_score(doc: Document | Facts, node: dict) -> tuple[float, list[str]]:
    """How strongly a corpus document without a number is the cited document ``node``:
    (score, evidence)."""
    meta = doc.metadata
    evidence: list[str] = []
    if not meta.doc_type or meta.doc_type != node.get("doc_type"):
        return 0.0, []
    score = 0.3
    evidence.append(f"type: {meta.doc_type}")
    level = symbols.level_of_issuer(meta.issuer)
    if level and node.get("level") and level != node["level"]:
        return 0.0, []
    if level and level == node.get("level"):
        score += 0.2
        evidence.append(f"level: {level}")
    a, b = _tokens(meta.issuer), _tokens(node.get("issuer"))
    if a and b and len(a & b) / len(a | b) >= 0.8:
        score += 0.2
        evidence.append(f"issuer: {node['issuer']}")
    if meta.date and node.get("date") and meta.date != node["date"]:
        return 0.0, []
    # what the cited document is about must be what the document itself cites
    described = _described(node)
    cited = {symbol_key(c.symbol) for c in doc.citations if c.symbol}
    if described:
        if described <= cited:
            score += 0.3
            evidence.append(
                "subject: about " + ", ".join(sorted(described)) + ", which the document cites"
            )
        else:
            score -= 0.5
    return round(score, 2), evidence


def _described(node: dict) -> frozenset[str]:
    """The documents a cited document's subject says it is about ("về thực hiện Nghị quyết
    số 28-NQ/TW")."""
    return _described_in(node.get("subject") or "")


@lru_cache(maxsize=1 << 14)  # asked of every cited node: the nodes of a number repeat its subject
def _described_in(subject: str) -> frozenset[str]:
    return frozenset(symbol_key(s) for s in symbols.find_all(subject))


def link_unnumbered(
    g: nx.DiGraph,
    documents: Mapping[str, Facts],
    own_ids: dict[str, str],
    targets: dict[str, list[str | None]],
) -> None:
    """Link each corpus document without its own number to the cited node that describes it,
    when one candidate clears LINK_THRESHOLD alone; store the evidence and the confidence.

    Without the subject evidence a score stays at 0.7 at most, below the threshold, so the
    only candidates worth scoring are cited nodes whose subject names a document that this
    document cites: an index from those symbols keeps this linear in the corpus size. It is
    by type too: a node of another type scores nothing (``link_score``)."""
    nodes = g._node
    about: dict[tuple[str, str | None], list[str]] = defaultdict(list)
    for other, attrs in nodes.items():
        if not attrs.get("in_corpus") and not other.startswith("doc:"):
            for key in _described(attrs):
                about[key, attrs.get("doc_type")].append(other)
    for name, doc in documents.items():
        node, kind = own_ids[name], doc.metadata.doc_type
        if not node.startswith("doc:") or not kind or nodes[node].get("same_as"):
            continue  # (a copy already linked)
        own_cites = set(targets.get(name, ()))
        candidates = {
            o
            for c in doc.citations
            if c.symbol
            for o in about.get((symbol_key(c.symbol), kind), ())
        }
        scored = []
        for other in sorted(candidates - own_cites):
            score, evidence = link_score(doc, nodes[other])
            if score >= LINK_THRESHOLD:
                scored.append((score, other, evidence))
        scored.sort(key=lambda x: -x[0])
        if scored and (len(scored) == 1 or scored[0][0] > scored[1][0]):
            score, other, evidence = scored[0]
            g.nodes[node].update(same_as=other, same_as_confidence=score, same_as_evidence=evidence)
            g.nodes[other].setdefault("described_by", []).append(node)


def _new_node(node: str) -> dict:
    symbol = node.split("@")[0] if not node.startswith("doc:") else None
    return {"symbol": symbol, "mentions": 0, "dates": [], "conflicts": []}


# what a corpus document's node takes from its header
HEADER_FIELDS = ("doc_type", "symbol", "date", "issuer", "title", "place")
_header_values = attrgetter(*HEADER_FIELDS)
_CITATION = itemgetter(0)  # of a counted mention: (citation, citing node, its own date)
# what a node takes from the first of its mentions that gives it (its header's, if it has
# one): the field, and how a citation's value is read
FIRST_GIVEN = (
    # a document's kind, as the catalogue names it ("Báo cáo thẩm tra số …": a Báo cáo)
    ("doc_type", "doc_type", base_type),
    ("issuer", "issuer", None),
    ("subject", "subject", None),
    ("term", "term", None),
    ("level", "code", symbols.level_of_code),
)


def _merge_mentions(
    attrs: dict,
    node: str,
    given: list[tuple[Citation, str, str | None]],
    givers: dict[tuple[str, str], list[str]],
    doubts: dict[tuple[str, str], dict[str, str]],
) -> None:
    """What a node's counted mentions (each: the citation, the citing node, its own date; in
    order) say of it: their number, each field the first that gives it gives, the dates
    they give (the first its date where its header gives none); and, where the dates are
    several or its number gives its year, who gives each (``givers``) and who gives one it
    cannot have (``doubts``). Node by node rather than mention by mention: a much-cited
    node has all its fields after its first few mentions."""
    attrs["mentions"] = attrs.get("mentions", 0) + len(given)
    for field, source, read in FIRST_GIVEN:
        if attrs.get(field):
            continue
        # the mentions that give it, in order (scanned in C: a much-cited node's may none)
        for value in filter(None, map(attrgetter(source), map(_CITATION, given))):
            attrs[field] = value = read(value) if read else value
            if value:
                break
    dated = [(c.date, source, own_date) for c, source, own_date in given if c.date]
    if not dated:
        return
    attrs["dates"] = sorted({*(attrs.get("dates") or ()), *(date for date, _, _ in dated)})
    attrs.setdefault("date", dated[0][0])
    numbered = _numbered_in(node)
    if len(attrs["dates"]) > 1 or numbered:  # (the only readers of givers and doubts)
        for date, source, own_date in dated:
            givers[node, date].append(source)
            if numbered and (why := _date_doubt(date, node, own_date)):
                doubts[node, date][source] = why


def _add_date(attrs: dict, date: str) -> None:
    """Add a date to the node's ``dates`` (sorted). The note that they disagree is written
    once all are in, with who gives which (``_name_date_sources``)."""
    dates = attrs.setdefault("dates", [])
    if date not in dates:
        insort(dates, date)


def _note(attrs: dict, note: str) -> None:
    """Set the node's conflict note of this kind (the words before the colon), keeping the
    others."""
    kind = note.split(":")[0]
    attrs["conflicts"] = [n for n in attrs.get("conflicts") or [] if n.split(":")[0] != kind] + [
        note
    ]


SOURCES_SHOWN = 3


def _name_date_sources(g: nx.DiGraph, givers: dict[tuple[str, str], list[str]]) -> None:
    """On a node whose dates disagree, say which documents give which date (``date_sources``,
    and in the conflict note), so a researcher can judge the readings: a typing error in one
    citing document, or two documents that share a number. ``givers``: (node, date) -> the
    documents whose counted mentions (or own header) give it."""
    for node, attrs in g.nodes(data=True):
        if len(attrs.get("dates") or ()) < 2:
            continue
        attrs["date_sources"] = {
            d: list(dict.fromkeys(givers[node, d])) for d in attrs["dates"] if (node, d) in givers
        }
        # the node's one date: its own header's, else the reading of most documents (a tie
        # keeps the first seen)
        ranked = sorted(
            attrs["date_sources"].items(), key=lambda x: ("its own header" not in x[1], -len(x[1]))
        )
        if (
            len(ranked) == 1
            or "its own header" in ranked[0][1]
            or len(ranked[0][1]) > len(ranked[1][1])
        ):
            attrs["date"] = ranked[0][0]
        _note(
            attrs,
            "dates disagree: "
            + "; ".join(f"{d} ({_few(names)})" for d, names in attrs["date_sources"].items()),
        )


def _few(names: list[str]) -> str:
    more = len(names) - SOURCES_SHOWN
    return ", ".join(names[:SOURCES_SHOWN]) + (f" and {more} more" if more > 0 else "")


# --- input paths, as the outputs that leave this machine give them -------------------------


def inputs_folder(paths: list[str]) -> str | None:
    """The deepest folder holding every input given by its absolute path (a single file's own
    folder)."""
    folders = [os.path.dirname(p) for p in paths if isinstance(p, str) and os.path.isabs(p)]
    if not folders:
        return None
    try:
        return os.path.commonpath(folders)
    except ValueError:  # paths on different drives
        return None


def relative_path(path: str | None, root: str | None) -> str | None:
    """``path`` below ``root`` (POSIX slashes), for tables and exports that leave this
    machine: an absolute path without a root keeps its file name only."""
    if not path:
        return path
    if root and os.path.isabs(path):
        return Path(os.path.relpath(path, root)).as_posix()
    return Path(path).name if os.path.isabs(path) else path


def to_node_link(g: nx.DiGraph) -> dict:
    """networkx node-link data with networkx's own defaults, so ``nx.node_link_graph(data)``
    loads it."""
    return nx.node_link_data(g)


class KeptTextGone(Exception):
    """Links made without their mentions (``build_graph``'s ``unmade``) whose text could not
    be copied from the last graph.json: nothing was written."""


def write_graph(
    path: Path,
    g: nx.DiGraph,
    kept: Mapping[str, tuple[int, int]] | None = None,
    digest=None,
    unmade: set[str] | None = None,
) -> dict[str, tuple[int, int]]:
    """Write ``to_node_link(g)`` to ``path`` (graph.json) as ``atomic.write_json`` does (whole
    or not at all; a non-UTF-8 name's lone surrogates as \\uXXXX escapes), one node or edge a
    line: each is encoded by json's C encoder (``indent`` would take the pure-Python one, 4x
    slower), and the text goes to the file in pieces rather than as one string of the whole.

    The edges leave each node together. ``kept``: for a node, where the text of its edges is
    in the file now at ``path`` (byte offset, length), when the caller knows them unchanged
    since: that text is copied, not encoded again (most of an update's edges). Returns where
    each node's edges are in the file written. ``digest`` (a ``hashlib`` object) is given
    every byte written: the file's digest without reading it back. ``unmade``: nodes whose
    links have no mentions in ``g``, so their text must be copied: KeptTextGone if it cannot
    be (not in ``kept``, or the file at ``path`` unreadable), before anything is written."""
    from .atomic import write_chunks  # here, not at the top: the rest of the module needs none

    spans: dict[str, tuple[int, int]] = {}
    with collector_paused(), _old_text(path if kept else None) as old:
        if unmade and (old is None or not unmade <= kept.keys()):
            raise KeptTextGone(f"{path}: the links of {len(unmade):,} documents are not there")
        chunks = _node_link_lines(g, kept if old else {}, old, spans)
        if digest is not None:
            chunks = (digest.update(chunk) or chunk for chunk in chunks)
        write_chunks(Path(path), chunks)
    return spans


@contextmanager
def _old_text(path: Path | None):
    """The file at ``path`` mapped into memory (None if there is none, or none is asked)."""
    import mmap

    try:
        f = open(path, "rb") if path else None
    except OSError:
        f = None
    if f is None:
        yield None
        return
    with f:
        try:
            text = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # (an empty file cannot be mapped)
            yield None
            return
        with text:
            yield text


def _node_link_lines(
    g: nx.DiGraph,
    kept: Mapping[str, tuple[int, int]],
    old,
    spans: dict[str, tuple[int, int]],
    per_chunk: int = 2000,
    piece_bytes: int = 1 << 20,
):
    """The text of ``nx.node_link_data(g)`` in UTF-8 pieces: every key of the top level on a
    line of its own, every node and every edge too, in order; the edges of a node in
    ``kept`` are copied from ``old``. ``spans`` is filled with where each node's edges are."""
    import json

    encode = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(x, ensure_ascii=False)

    def utf8(text: str) -> bytes:
        return text.encode("utf-8", "backslashreplace")

    head = {"directed": True, "multigraph": False, "graph": g.graph}
    top = utf8("{" + "".join(f"{encode(k)}: {encode(v)},\n" for k, v in head.items()))
    nodes, attrs = list(g), g._node
    done = 0  # the bytes given so far
    if not nodes:
        pieces = [top, b'"nodes": [],\n']
    else:
        piece = top + b'"nodes": [\n'
        for start in range(0, len(nodes), per_chunk):
            some = nodes[start : start + per_chunk]
            text = ",\n".join([encode({**attrs[n], "id": n}) for n in some])
            piece += utf8(text + (",\n" if start + per_chunk < len(nodes) else "\n"))
            done += len(piece)
            yield piece
            piece = b""
        pieces = [b"],\n"]
    if not g.number_of_edges():
        yield b"".join(pieces) + b'"edges": []}\n'
        return
    pieces.append(b'"edges": [\n')
    held = sum(map(len, pieces))  # the bytes in ``pieces``, not given yet
    first = True
    for u, succ in g._succ.items():
        if not succ:
            continue
        if u in kept:
            start, length = kept[u]
            block = old[start : start + length]
        else:
            links = [encode({**d, "source": u, "target": v}) for v, d in succ.items()]
            block = utf8(",\n".join(links))
        if not first:
            pieces.append(b",\n")
            held += 2
        first = False
        spans[u] = (done + held, len(block))
        pieces.append(block)
        held += len(block)
        if held >= piece_bytes:
            yield b"".join(pieces)
            done, pieces, held = done + held, [], 0
    yield b"".join(pieces) + b"\n]}\n"


def from_node_link(data: dict) -> nx.DiGraph:
    return nx.node_link_graph(data)


LABEL_TITLE = 80  # characters of a number-less document's title in its label


def label(node: str, attrs: Mapping) -> str:
    """A node as a reader names it, never by its file name: "Nghị quyết 28-NQ/TW (2022)"; a
    corpus document without a number by its type and title, or else its issuer and date
    ("Kế hoạch: tuyên truyền thực hiện …", "Kế hoạch, Ban Thường vụ Huyện ủy, 2023-06-22")."""
    kind = attrs.get("doc_type")
    if attrs.get("symbol"):
        # of two local plans sharing a number and year (``<symbol>@<date>``), the date tells
        # (and of a local number of two provinces, ``<symbol>@<year>@<province>``, the province)
        when = node.split("@", 1)[1].replace("@", ", ") if "@" in node else attrs.get("year")
        name = f"{kind} {attrs['symbol']}" if kind else attrs["symbol"]
        return f"{name} ({when})" if when else name
    title = " ".join((attrs.get("title") or attrs.get("subject") or "").split())
    if title.isupper():  # a header set in capitals reads better in sentence case
        title = title[0] + title[1:].lower()
    if len(title) > LABEL_TITLE:
        title = title[: LABEL_TITLE - 1].rsplit(" ", 1)[0] + "…"
    if title:
        return f"{kind}: {title}" if kind else title
    parts = [kind or "Văn bản", attrs.get("issuer"), attrs.get("date")]
    return ", ".join(p for p in parts if p)
