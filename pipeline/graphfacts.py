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
it is read), with a format version of its own; a build that adds a few documents writes only
theirs, in a segment beside it.

``LinksKept`` is another memo of an update: where graph.json holds each document's links,
so that the next graph.json copies those that did not change instead of encoding them again.
``OpeningsCompared`` keeps which number-less documents' openings were found alike, so that
an update compares only those of new and changed documents.
"""

from __future__ import annotations

import marshal
import secrets
from collections import namedtuple
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter
from pathlib import Path

import regex as re

from . import placement, symbols
from .atomic import write_bytes
from .models import Citation, Document, Metadata
from .symbols import key as symbol_key

FORMAT = 2  # 2: a whole with an id, and segments that add to it
SEGMENTS_MAX = 16
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
    sentences: Sequence[str | None]  # the sentence around each mention (sentence_at)
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


def plain(f: Facts, pool: dict) -> tuple:
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


class KeptList(Sequence):
    """A list kept as ``marshal`` data, read the first time it is used: a kept document's
    sentences, which the graph reads only where it makes the document's mentions (a few of
    an update's documents). A million of them were a third of the kept facts' reading."""

    __slots__ = ("blob", "_items")

    def __init__(self, blob: bytes):
        self.blob, self._items = blob, None

    def _list(self) -> list:
        if self._items is None:
            self._items = marshal.loads(self.blob)
        return self._items

    def __getitem__(self, i):
        return self._list()[i]

    def __len__(self) -> int:
        return len(self._list())

    def __iter__(self):
        return iter(self._list())

    def __eq__(self, other) -> bool:
        return self._list() == (other._list() if isinstance(other, KeptList) else other)

    __hash__ = None  # type: ignore[assignment]


def _kept_form(values: tuple) -> tuple:
    """``plain``'s values as the cache keeps them: the sentences as one ``marshal`` string."""
    sentences = values[4]
    blob = sentences.blob if isinstance(sentences, KeptList) else marshal.dumps(sentences)
    return (*values[:4], blob, *values[5:])


def typed(values: tuple) -> Facts:
    """The ``Facts`` that ``plain`` gave ``values`` of (or ``_kept_form`` of those)."""
    header, source_path, citations, targets, sentences, some_beside, passages, opening = values
    if isinstance(sentences, bytes):  # (as the cache keeps them: ``_kept_form``)
        sentences = KeptList(sentences)
    beside: list[set[str] | frozenset[str]] = [NONE_BESIDE] * len(citations)
    for i, keys in some_beside.items():
        beside[i] = set(keys)
    return Facts(
        metadata=Metadata(**dict(zip(HEADER, header))),
        source_path=source_path,
        # (tuple.__new__: Mention._make's own work, without a Python call per mention)
        citations=list(map(tuple.__new__, repeat(Mention), citations)),
        targets=targets,
        sentences=sentences,
        beside=beside,
        passages=passages,
        opening=opening,
    )


class FactsCache:
    """Every document's ``Facts`` under the stamp of the file they were read from, kept in
    ``path`` (``OUT/.cache/graph-facts``). ``code``: the package's stamp; facts of another
    version are not used.

    A build that adds a few documents to many writes only what changed: the facts of the new
    and rewritten files, and the names gone, in a segment beside the whole (``path.1``,
    ``path.2``, …; at 100,000 documents the whole is 230 MB, 4–6 s to write). A segment
    names the whole it adds to; once segments hold a quarter as many entries as the whole, or
    ``SEGMENTS_MAX`` of them are there, the whole is written again and they are removed."""

    def __init__(self, path: Path, code: str):
        self.path, self.code = path, code
        self._kept: dict[str, tuple[list, tuple]] = {}
        self._base: str | None = None  # the id of the whole read, if one was
        self._segments = self._entries = 0  # segments read, and the entries they held
        try:
            data = marshal.loads(path.read_bytes())
            if data.get("format") == FORMAT and data.get("code") == code:
                self._kept, self._base = data["documents"], data["id"]
        except (OSError, ValueError, EOFError, TypeError, AttributeError, KeyError):
            pass  # no cache, or not one of this version: every document is read
        while self._base:  # the segments of this whole, in order, up to one that is not
            try:
                data = marshal.loads(self._segment(self._segments + 1).read_bytes())
                mark = data.get("format"), data.get("code"), data.get("base")
                if mark != (FORMAT, code, self._base):
                    break
                changes = dict(data["documents"])
            except (OSError, ValueError, EOFError, TypeError, AttributeError, KeyError):
                break  # (a missing one ends them; entries it held are stamped as files were)
            for name, entry in changes.items():
                if entry is None:
                    self._kept.pop(name, None)
                else:
                    self._kept[name] = entry
            self._segments += 1
            self._entries += len(changes)
        self._now: dict[str, tuple[list, tuple]] = {}

    def _segment(self, n: int) -> Path:
        return self.path.with_name(f"{self.path.name}.{n}")

    def get(self, name: str, stamp: list) -> Facts | None:
        """The facts kept for the file ``name`` as ``stamp`` says it is now; None if none are."""
        kept = self._kept.get(name)
        if kept is None or list(kept[0]) != list(stamp):
            return None
        try:
            return typed(kept[1])
        except (TypeError, ValueError, AttributeError, IndexError):  # not ours: read the file
            return None

    def put(self, name: str, facts: Facts) -> None:
        self._now[name] = facts

    def save(self, stamps: dict[str, list]) -> None:
        """Keep the facts of the documents named in ``stamps`` (name -> the stamp of its file
        now), every other one dropped: those put this run, else those kept, stamped anew."""
        pool: dict = {}
        changes: dict[str, tuple | None] = {name: None for name in self._kept if name not in stamps}
        for name, stamp in stamps.items():
            if name in self._now:
                changes[name] = (list(stamp), _kept_form(plain(self._now[name], pool)))
            elif name in self._kept and list(self._kept[name][0]) != list(stamp):
                changes[name] = (list(stamp), self._kept[name][1])
        try:
            if (
                self._base
                and self._segments < SEGMENTS_MAX
                and (self._entries + len(changes)) * 4 <= len(self._kept)
            ):
                if changes:
                    data = {"format": FORMAT, "code": self.code, "base": self._base}
                    data["documents"] = changes
                    write_bytes(self._segment(self._segments + 1), marshal.dumps(data))
                return
            documents = {}
            for name, stamp in stamps.items():
                entry = changes.get(name) or self._kept.get(name)
                if entry is not None:
                    documents[name] = entry
            data = {"format": FORMAT, "code": self.code, "id": secrets.token_hex(8)}
            data["documents"] = documents
            write_bytes(self.path, marshal.dumps(data))
            n = 1
            while self._segment(n).exists():  # (a segment left of an older whole names it)
                self._segment(n).unlink()
                n += 1
        except OSError:  # a memo, not an output
            pass


class LinksKept:
    """Where graph.json holds each document's links (the edges leaving its node: its
    mentions, one link per document it cites), as the last build wrote them, with what they
    were made from beyond the document's own file: its node and the evidence that placed its
    undated mentions (``placement``). A build that finds a document's file, node, targets and
    placements as they were copies that text into the new graph.json instead of encoding it
    again (``graph.write_graph``): most of an update's links. Only a document that is its
    node's one copy is kept so (the links of a node with several copies mix theirs). Kept in
    ``path`` (``OUT/.cache/graph-links``) under the package's code stamp and graph.json's
    size, modification time and inode: another graph.json means nothing is copied."""

    def __init__(self, path: Path, code: str, graph: Path):
        self.path, self.code = path, code
        self._kept: dict[str, tuple] = {}
        try:
            data = marshal.loads(path.read_bytes())
            mark = data.get("format"), data.get("code"), data.get("graph")
            if mark == (FORMAT, code, _stamp(graph)) and mark[2] is not None:
                self._kept = data["documents"]
        except (OSError, ValueError, EOFError, TypeError, AttributeError, KeyError):
            pass  # none kept, or not for this graph.json: every link is written anew

    def span(
        self, name: str, stamp: list, node: str, placements: list[placement.Placement | None]
    ) -> tuple[int, int] | None:
        """Where graph.json holds the links of document ``name`` (byte offset, length), if its
        file (``stamp``), node and placements are those they were made from; else None. The
        caller checks that its targets are those its file holds."""
        kept = self._kept.get(name)
        if kept is None or kept[0] != list(stamp) or kept[1] != node:
            return None
        if kept[4] != (_placed(placements) if any(placements) else {}):
            return None
        return kept[2], kept[3]

    def save(self, graph: Path, documents: dict[str, tuple]) -> None:
        """Keep, for graph.json as just written, each document's (stamp of its file, node,
        (offset, length) of its links, placements)."""
        data = {"format": FORMAT, "code": self.code, "graph": _stamp(graph)}
        data["documents"] = {
            name: (list(stamp), node, span[0], span[1], _placed(placements))
            for name, (stamp, node, span, placements) in documents.items()
        }
        try:
            write_bytes(self.path, marshal.dumps(data))
        except (OSError, ValueError):  # a memo, not an output
            pass


class OpeningsCompared:
    """Which pairs of number-less documents' openings a build compared, and whether they
    were alike (``graph._unnumbered_copies``: 100 µs a pair, tens of thousands of pairs at
    100,000 documents), kept in ``path`` (``OUT/.cache/graph-openings``) with each
    document's file stamp and the package's code stamp. ``pairs`` holds those whose two
    files are as they were (a text is compared again once either changed); the build adds
    the pairs it compares."""

    def __init__(self, path: Path, code: str, stamps: dict[str, list]):
        self.path, self.code = path, code
        self.pairs: dict[tuple[str, str], bool] = {}
        try:
            data = marshal.loads(path.read_bytes())
            if (data.get("format"), data.get("code")) != (FORMAT, code):
                return
            kept = data["stamps"]
            same = {n for n, stamp in kept.items() if list(stamps.get(n) or ()) == list(stamp)}
            self.pairs = {(a, b): bool(alike) for a, b, alike in data["pairs"] if {a, b} <= same}
        except (OSError, ValueError, EOFError, TypeError, AttributeError, KeyError):
            self.pairs = {}  # none kept: every pair is compared again

    def save(self, stamps: dict[str, list]) -> None:
        """Keep the pairs of documents still there, under their files' ``stamps`` now."""
        pairs = [(a, b, same) for (a, b), same in self.pairs.items() if {a, b} <= stamps.keys()]
        names = {n for a, b, _ in pairs for n in (a, b)}
        data = {"format": FORMAT, "code": self.code, "pairs": pairs}
        data["stamps"] = {n: list(stamps[n]) for n in names}
        try:
            write_bytes(self.path, marshal.dumps(data))
        except (OSError, ValueError):  # a memo, not an output
            pass


def _placed(placements: list[placement.Placement | None]) -> dict[int, tuple]:
    """What the placed mentions' links say of their placing: confidence and evidence."""
    return {i: (p.confidence, list(p.evidence)) for i, p in enumerate(placements) if p is not None}


def _stamp(path: Path) -> list | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]
