"""What the graph stage reads of a document, worked out once and kept between runs.

``build_graph`` needs little of a document: its header's fields, its citations, and from
its text only the sentence around each mention, the numbers cited beside each, the passage
of each undated one (for ``placement``) and, for a number-less document, its opening (for
``_unnumbered_copies``). ``Facts`` holds exactly that. Worked out once per document, it lets
a run that adds documents to an output folder build the graph without reading the old
document files again (at 100,000 documents reading them is about 50 s): ``FactsCache``
keeps every document's facts in ``OUT/.cache/graph-facts``, each under the stamp (size,
modification time, inode) of the file it was read from, and with the package's code
stamp, since another version may read a text otherwise. The cache is a memo: a stamp or
code that differs, or a file that cannot be read, means the document is read again.

The file is ``marshal`` data of plain values (no objects, so nothing in it runs code when
it is read), with a format version of its own.
"""

from __future__ import annotations

import marshal
from collections import namedtuple
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path

import regex as re

from . import placement, symbols
from .atomic import write_bytes
from .models import Citation, Document, Metadata
from .symbols import key as symbol_key

FORMAT = 1
# the header fields the graph reads (the rest of a Metadata keeps its defaults)
HEADER = ("doc_type", "symbol", "date", "place", "issuer", "title")
TEXT_OPENING = 3000  # characters of a number-less document's text compared with its copies'
# what the graph reads of a citation: a kept document's citations come back as these tuples,
# which read like a Citation and cost a fifth of one to make
MENTION = (
    "symbol", "doc_type", "code", "date", "issuer", "term", "subject", "relation", "section",
    "start", "end", "text",
)  # fmt: skip
Mention = namedtuple("Mention", MENTION)
_mention_values = attrgetter(*MENTION)


@dataclass
class Facts:
    """One document as the graph reads it. ``targets`` are those its file holds (the build
    compares them with the ones it finds, to write only files whose targets changed);
    ``sentences``, ``beside``, ``passages`` and ``targets`` run parallel to ``citations``."""

    metadata: Metadata
    source_path: str | None
    citations: list[Citation | Mention]
    targets: list[str | None]
    sentences: list[str | None]  # the sentence around each mention (sentence_at)
    beside: list[set[str]]  # the numbers cited beside each (placement.neighbours)
    passages: list[str | None]  # each undated mention's passage (placement.passage)
    opening: str | None  # a number-less document's first TEXT_OPENING characters


_SENTENCE_END = re.compile(r"[.!?;…](?=\s)|\n")
SENTENCE_MAX = 300


def sentence_at(text: str | None, start: int | None, end: int | None) -> str | None:
    """The sentence around a mention: bounded by . ! ? ; or a line break, at most
    SENTENCE_MAX characters around the mention (long lists of documents are cut with "…")."""
    if not text or start is None or end is None or not 0 <= start <= end <= len(text):
        return None
    before = None
    for before in _SENTENCE_END.finditer(text, max(0, start - SENTENCE_MAX), start):
        pass
    after = _SENTENCE_END.search(text, end, end + SENTENCE_MAX)
    # where no bound was found the sentence goes on past the window: a cut
    left = before.end() if before else max(0, start - SENTENCE_MAX)
    right = after.end() if after else min(len(text), end + SENTENCE_MAX)
    cut_left, cut_right = not before and left > 0, not after and right < len(text)
    # keep the mention, share the rest between both sides, cut at spaces
    if right - left > SENTENCE_MAX:
        room = max(0, SENTENCE_MAX - (end - start)) // 2
        if start - left > room:
            left, cut_left = text.find(" ", start - room, start) + 1 or start - room, True
        if right - end > room:
            space = text.rfind(" ", end, end + room)
            right, cut_right = (space if space > 0 else end + room), True
    return ("…" if cut_left else "") + text[left:right].strip() + ("…" if cut_right else "")


def facts_of(doc: Document) -> Facts:
    text = doc.text or ""
    citations = doc.citations
    return Facts(
        metadata=Metadata(**{k: getattr(doc.metadata, k) for k in HEADER}),
        source_path=(doc.source or {}).get("path"),
        citations=list(citations),
        targets=[c.target for c in citations],
        sentences=[sentence_at(text, c.start, c.end) if c.symbol else None for c in citations],
        beside=placement.neighbours(doc),
        # only an undated mention whose number gives no year is ever placed by its passage
        passages=[
            placement.passage(doc, c)
            if c.symbol and not c.date and not symbols.year(symbol_key(c.symbol))
            else None
            for c in citations
        ],
        opening=None if doc.metadata.symbol else text[:TEXT_OPENING],
    )


def _plain(f: Facts, pool: dict) -> tuple:
    """``f`` in plain values, each text that repeats (types, issuers, subjects, numbers,
    dates, section paths) one object taken from ``pool``, which marshal then writes once
    and reads back once: half the objects of a corpus's facts."""
    one = pool.setdefault
    return (
        tuple(v if v is None else one(v, v) for v in map(f.metadata.__getattribute__, HEADER)),
        f.source_path,
        [
            tuple(v if v is None or v.__class__ is int else one(v, v) for v in _mention_values(c))
            for c in f.citations
        ],
        f.targets,
        f.sentences,
        {i: sorted(one(k, k) for k in b) for i, b in enumerate(f.beside) if b},  # most: none
        f.passages,
        f.opening,
    )


NONE_BESIDE: frozenset[str] = frozenset()  # (shared: the graph only reads these sets)


def _typed(plain) -> Facts:
    header, source_path, citations, targets, sentences, some_beside, passages, opening = plain
    beside: list[set[str] | frozenset[str]] = [NONE_BESIDE] * len(citations)
    for i, keys in some_beside.items():
        beside[i] = set(keys)
    return Facts(
        metadata=Metadata(**dict(zip(HEADER, header))),
        source_path=source_path,
        citations=list(map(Mention._make, citations)),
        targets=targets,
        sentences=sentences,
        beside=beside,
        passages=passages,
        opening=opening,
    )


class FactsCache:
    """Every document's ``Facts`` under the stamp of the file they were read from, kept in
    ``path`` (``OUT/.cache/graph-facts``). ``code``: the package's stamp; facts of another
    version are not used."""

    def __init__(self, path: Path, code: str):
        self.path, self.code = path, code
        self._kept: dict[str, tuple[list, tuple]] = {}
        try:
            data = marshal.loads(path.read_bytes())
            if data.get("format") == FORMAT and data.get("code") == code:
                self._kept = data["documents"]
        except (OSError, ValueError, EOFError, TypeError, AttributeError, KeyError):
            pass  # no cache, or not one of this version: every document is read
        self._now: dict[str, tuple[list, tuple]] = {}

    def get(self, name: str, stamp: list) -> Facts | None:
        """The facts kept for the file ``name`` as ``stamp`` says it is now; None if none are."""
        kept = self._kept.get(name)
        if kept is None or list(kept[0]) != list(stamp):
            return None
        try:
            return _typed(kept[1])
        except (TypeError, ValueError, AttributeError, IndexError):  # not ours: read the file
            return None

    def put(self, name: str, facts: Facts) -> None:
        self._now[name] = facts

    def save(self, stamps: dict[str, list]) -> None:
        """Keep the facts of the documents named in ``stamps`` (name -> the stamp of its file
        now), every other one dropped: those put this run, else those kept, stamped anew."""
        documents, pool = {}, {}
        for name, stamp in stamps.items():
            if name in self._now:
                documents[name] = (list(stamp), _plain(self._now[name], pool))
            elif name in self._kept:
                documents[name] = (list(stamp), self._kept[name][1])
        data = {"format": FORMAT, "code": self.code, "documents": documents}
        try:
            write_bytes(self.path, marshal.dumps(data))
        except OSError:  # a memo, not an output
            pass
