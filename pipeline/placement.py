"""Placing an undated mention of a number known in several years, by what its context says.

"Quy định 101-QĐ/TW" names two documents: of 2012 (trách nhiệm nêu gương của cán bộ, đảng
viên) and of 2023 (lãnh đạo cơ quan báo chí). A mention that gives no date, no term and no
citing date that rules one out is weighed against what the dated mentions of each candidate
say about it:

- subject: the words of the mention's passage (its sentence or list item, the citation's
  subject) against the subjects the candidate's dated mentions give (or its own title);
- beside: the documents cited next to it against those cited next to the candidate.

Only what tells the candidates apart counts: a phrase or a neighbour that all of them share
says nothing. The mention is placed when one candidate leads by ``MARGIN``; the graph records
the ``confidence`` (the lead, over the most a candidate can score) and the ``evidence``, in
words, on the mention.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Mapping

import regex as re

from . import symbols
from .models import Citation, Document
from .symbols import key as symbol_key

# a passage ends at a sentence's end or a line break, not at a ";": the lists that name several
# documents together are what is read
PASSAGE_END = re.compile(r"[.!?…](?=\s)|\n")
WORD = re.compile(r"\p{L}+")
NOT_WORDS = re.compile(r"[^\p{L}\s]+")  # numbers and punctuation: a word pair never spans one
PASSAGE_MAX = 300  # characters on either side of the mention at most
BESIDE = 250  # characters between two mentions of one passage that count as cited together
SUBJECT_FULL = 3  # shared phrases (word pairs) that make a subject match whole
BESIDE_FULL = 2  # shared neighbours that make the cited-beside match whole
MAX_SCORE = 2.0  # a whole subject match and a whole cited-beside match
MARGIN = 0.5  # the lead over the next candidate that decides
PHRASES_SHOWN = 3


@dataclass
class Known:
    """What the dated mentions of one document (``<symbol>@<year>``) say about it: their
    subjects (and its own title, when it is in the corpus) and, per document cited beside
    it, the citing documents where that was so."""

    subjects: list[str] = field(default_factory=list)
    beside: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _pairs: set[tuple[str, str]] | None = field(default=None, repr=False, compare=False)

    def pairs(self) -> set[tuple[str, str]]:
        """The word pairs of all its subjects, worked out once: a much-cited document has
        thousands of subjects and is a candidate for every undated mention of its number."""
        if self._pairs is None:
            self._pairs = set().union(*map(_pairs, set(self.subjects)))
        return self._pairs


class _Rivals:
    """What the candidates of an undated mention have (their subjects' word pairs, the
    numbers cited beside them) and what they all share, which tells none of them apart."""

    def __init__(self, profiles: list[Known]):
        self.profiles = profiles
        self.subject_pairs = [p.pairs() for p in profiles]
        self.beside = [set(p.beside) for p in profiles]
        self.common_words = set.intersection(*self.subject_pairs)
        self.common_beside = set.intersection(*self.beside)
        # what tells one of them from another at all: the most any passage can match
        self.telling_words = set().union(*self.subject_pairs) - self.common_words
        self.telling_beside = set().union(*self.beside) - self.common_beside


@dataclass
class Placement:
    year: str
    confidence: float
    evidence: list[str]


def year_of(c: Citation) -> str | None:
    """The year a citation names: the one in its number ("40/2017/TT-BTC"), else its date's."""
    return symbols.year(c.symbol) or (c.date[:4] if c.date else None)


def _within(c: Citation, text: str) -> bool:
    """The citation's offsets are a span of the text (documents built in code may lack them)."""
    return c.start is not None and c.end is not None and 0 <= c.start <= c.end <= len(text)


def neighbours(doc: Document) -> list[set[str]]:
    """For each citation of a document, the numbers cited beside it: in the same passage, at
    most ``BESIDE`` characters away (its own number left out)."""
    cs = doc.citations
    found: list[set[str]] = [set() for _ in cs]
    text = doc.text
    spans = sorted((c.start, c.end, i) for i, c in enumerate(cs) if c.symbol and _within(c, text))
    for k, (_, end, i) in enumerate(spans):
        for start2, _, j in spans[k + 1 :]:
            if start2 - end > BESIDE or PASSAGE_END.search(text, end, max(end, start2)):
                break
            a, b = symbol_key(cs[i].symbol), symbol_key(cs[j].symbol)
            if a != b:
                found[i].add(b)
                found[j].add(a)
    return found


def dated_node(c: Citation) -> str | None:
    """``<symbol>@<year>`` of a mention whose number or date gives its year; else None."""
    year = year_of(c) if c.symbol else None
    return f"{symbol_key(c.symbol)}@{year}" if year else None


def known_documents(
    documents: Mapping[str, Document],
    own_ids: Mapping[str, str],
    near: Mapping[str, list],
    dated: Callable[[list[Citation]], list[str | None]] = lambda cs: list(map(dated_node, cs)),
    undated: list[tuple[str, int]] | None = None,
) -> dict[str, Known]:
    """``Known`` for every ``<symbol>@<year>`` that dated mentions or corpus headers name.
    ``near``: each document's ``neighbours``; ``dated``: ``dated_node`` of each of a
    document's citations, or the same answers memoised (the graph asks it of every
    mention). ``undated``: a list to which each mention with a number that gives no year is
    added, (document, position), in order (one pass over the million mentions for both)."""
    known: dict[str, Known] = defaultdict(Known)
    for name, doc in documents.items():
        node = own_ids[name]
        if "@" in node and doc.metadata.title:
            known[node.split("@")[0] + "@" + node.split("@")[1][:4]].subjects.append(
                doc.metadata.title
            )
        for i, (named, c, beside) in enumerate(
            zip(dated(doc.citations), doc.citations, near[name])
        ):
            if not named:
                if undated is not None and c.symbol:
                    undated.append((name, i))
                continue
            one = known[named]
            if c.subject:
                one.subjects.append(c.subject)
            for other in beside:
                one.beside[other].add(node)  # by node id, as date_sources name them
    return known


def _segments(text: str) -> list[list[str]]:
    """The words of a text, lower case, in runs that no number or punctuation breaks into
    two (a word pair never spans a removed symbol)."""
    text = unicodedata.normalize("NFC", text or "").casefold()
    return [WORD.findall(part) for part in NOT_WORDS.split(text)]


@lru_cache(maxsize=1 << 15)  # a much-cited document's dated mentions repeat their subjects
def _pairs(text: str) -> frozenset[tuple[str, str]]:
    return frozenset((w[i], w[i + 1]) for w in _segments(text) for i in range(len(w) - 1))


def passage(doc: Document, c: Citation) -> str:
    """The mention's passage (its sentence or list item, at most ``PASSAGE_MAX`` characters
    either side) with every cited number taken out, and the citation's subject."""
    text = doc.text or ""
    if not _within(c, text):
        return c.subject or ""
    before = None
    for before in PASSAGE_END.finditer(text, max(0, c.start - PASSAGE_MAX), c.start):
        pass
    after = PASSAGE_END.search(text, c.end, c.end + PASSAGE_MAX)
    left = before.end() if before else max(0, c.start - PASSAGE_MAX)
    right = after.start() if after else min(len(text), c.end + PASSAGE_MAX)
    chars = list(text[left:right])
    for other in doc.citations:  # the numbers' letters ("QĐ", "TW") are no subject words
        if not _within(other, text):
            continue
        for k in range(max(other.start, left), min(other.end, right)):
            chars[k - left] = "|"
    return "".join(chars) + " | " + (c.subject or "")


def _phrases(context: str, shared: set[tuple[str, str]]) -> list[str]:
    """The runs of the context's words whose pairs are shared: "trách nhiệm nêu gương"."""
    runs: list[str] = []
    for words in _segments(context):
        run: list[str] = []
        for i in range(len(words) - 1):
            if (words[i], words[i + 1]) in shared:
                run = run or [words[i]]
                run.append(words[i + 1])
            elif run:
                runs.append(" ".join(run))
                run = []
        if run:
            runs.append(" ".join(run))
    return list(dict.fromkeys(runs))


def _score(said: set, next_to: set) -> float:
    """A candidate's score: its subject's word pairs and the numbers cited beside it that the
    passage shares (and not every candidate has), each counting up to 1."""
    return round(min(1.0, len(said) / SUBJECT_FULL) + min(1.0, len(next_to) / BESIDE_FULL), 2)


def place(
    c: Citation,
    context: str,
    beside: set[str],
    candidates: set[str],
    known: Mapping[str, Known],
    ruled_out: list[str],
    rivals: dict | None = None,
) -> Placement | None:
    """The year an undated mention means among ``candidates`` (years its number is known in),
    when the evidence decides; None otherwise. ``context``: its ``passage``; ``beside``: the
    numbers cited beside it; ``ruled_out``: what the term and the citing date already said,
    for the evidence. ``rivals``: a memo, for one ``known``, of what each set of candidates
    has and shares (a much-cited number's undated mentions meet the same few sets)."""
    key = symbol_key(c.symbol)
    years = sorted(candidates)
    if len(years) < 2:
        return None
    these = rivals.get((key, *years)) if rivals is not None else None
    if these is None:
        these = _Rivals([known.get(f"{key}@{y}") or Known() for y in years])
        if rivals is not None:
            rivals[(key, *years)] = these
    profiles, subject_pairs = these.profiles, these.subject_pairs
    common_words, common_beside = these.common_words, these.common_beside
    words = _pairs(context)
    if _score(words & these.telling_words, beside & these.telling_beside) < MARGIN:
        return None  # (no candidate can score the lead that decides: most passages)
    scores, found = [], []
    for pairs, cited_beside in zip(subject_pairs, these.beside):
        said = (words & pairs) - common_words
        next_to = (beside & cited_beside) - common_beside
        scores.append(_score(said, next_to))
        found.append((said, next_to))
    order = sorted(range(len(years)), key=lambda i: -scores[i])
    best, second = order[0], order[1]
    if scores[best] - scores[second] < MARGIN:
        return None
    said, next_to = found[best]
    node = f"{key}@{years[best]}"
    evidence = []
    if said:
        # whole phrases, read with the words all candidates share, that hold a telling pair;
        # the longest few, in the passage's order
        phrases = [p for p in _phrases(context, subject_pairs[best]) if _pairs(p) & said]
        longest = sorted(phrases, key=len, reverse=True)[:PHRASES_SHOWN]
        phrases = [p for p in phrases if p in longest]
        evidence.append(
            f"subject: the passage says {', '.join(repr(p) for p in phrases)}, "
            f"as the dated mentions of {node} do"
        )
    if next_to:
        where = sorted(set().union(*(profiles[best].beside[k] for k in next_to)))
        evidence.append(
            f"cited beside {', '.join(sorted(next_to))}, as {node} is in {', '.join(where[:3])}"
            + (f" and {len(where) - 3} more" if len(where) > 3 else "")
        )
    evidence.append(
        "scores: " + ", ".join(f"{y} {s:g}" for y, s in zip(years, scores)) + f" (of {MAX_SCORE:g})"
    )
    confidence = round((scores[best] - scores[second]) / MAX_SCORE, 2)
    return Placement(years[best], confidence, ruled_out + evidence)
