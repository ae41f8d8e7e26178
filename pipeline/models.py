"""Plain data classes that flow one way through the stages.

ingest -> RawDocument -> clean -> CleanText -> structure -> Structure
       -> extract -> citations, references, entities, tasks -> Document
       -> graph (Documents read back with ``Document.from_json``) -> CorpusGraph

Every span carries character offsets (``start``/``end``, end exclusive) into the
text of the stage that produced it; ``CleanText.source_offset`` maps a cleaned
offset back to the raw (ingested) text, and ``RawDocument.page_of`` maps a raw
offset to its page.
"""

from __future__ import annotations

import bisect
from dataclasses import MISSING, asdict, dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Optional

from . import __version__

SCHEMA_VERSION = "1"
# an output folder: one <name>.json per document, and beside them these two
MANIFEST, GRAPH = "manifest.json", "graph.json"


def document_files(out: Path) -> list[Path]:
    """The document files of an output folder (every JSON file but the manifest and graph),
    in name order; not opened, so a large graph.json is never read to be passed over."""
    # by name: Path comparison is ten times slower (6 s of an update at 100,000 documents)
    files = [f for f in out.glob("*.json") if f.name not in (MANIFEST, GRAPH)]
    return sorted(files, key=lambda f: f.name)


@dataclass
class LineBox:
    """One line of the ingested text with the layout evidence that came with it.

    ``start``/``end`` index ``RawDocument.text``. Coordinates are in PDF points
    (digital PDFs) or pixels (OCR), origin top-left; absent for plain text.
    """

    start: int
    end: int
    page: int
    x0: Optional[float] = None
    top: Optional[float] = None
    x1: Optional[float] = None
    bottom: Optional[float] = None
    font_size: Optional[float] = None
    bold: Optional[bool] = None
    confidence: Optional[float] = None  # mean OCR word confidence, 0-100
    italic: Optional[bool] = None
    word_confidences: Optional[list[float]] = None  # OCR: one per space-separated word of the line


@dataclass
class RawDocument:
    """What ingest read: the text as the pages show it, and where it came from."""

    path: str
    sha256: str
    format: str  # pdf | image | text | docx
    text: str
    pages: int = 1
    ocr_pages: list[int] = field(default_factory=list)  # 1-based page numbers
    # text offset where each page starts
    page_starts: list[int] = field(default_factory=lambda: [0])
    lines: list[LineBox] = field(default_factory=list)
    encoding: Optional[str] = None
    warnings: list[str] = field(default_factory=list)

    def page_of(self, offset: int) -> int:
        """1-based page number of a raw text offset."""
        return max(1, bisect.bisect_right(self.page_starts, offset))


@dataclass
class Repair:
    """One change cleanup made, so a reviewer can audit and reverse it."""

    kind: str
    before: str
    after: str
    start: int  # offset in the cleaned text
    source_start: int  # offset in the raw text


@dataclass
class Footnote:
    marker: str
    text: str
    start: int
    end: int
    ref: Optional[int] = None  # where its marker stood in the body (the marker itself is removed)


@dataclass
class CleanText:
    """Cleaned text plus a piecewise map back to raw offsets.

    ``segments`` holds (clean_start, raw_start, length) for runs copied from the
    raw text in order; a cleaned offset that falls in inserted text maps to the
    raw offset of the preceding copied run's end.
    """

    text: str
    segments: list[tuple[int, int, int]] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    body_end: int = -1  # where the body ends and the footnote appendix begins; -1 = no appendix
    ocr: bool = False  # some of it was read by OCR, which misreads numbers; typed text does not
    _by_raw: Optional[list] = field(default=None, repr=False, compare=False)

    def source_offset(self, offset: int) -> int:
        if not self.segments:
            return offset
        i = bisect.bisect_right(self.segments, (offset, float("inf"), 0)) - 1
        if i < 0:
            return self.segments[0][1]
        cstart, rstart, length = self.segments[i]
        return rstart + min(offset - cstart, length)

    def clean_offset(self, raw_offset: int) -> int:
        """Inverse of ``source_offset``: the cleaned offset of a raw offset (nearest kept char)."""
        # moved text (footnotes gathered at the end) breaks raw order: search in raw order
        if self._by_raw is None or len(self._by_raw) != len(self.segments):
            self._by_raw = sorted((r, c, n) for c, r, n in self.segments)
        by_raw = self._by_raw
        i = bisect.bisect_right(by_raw, (raw_offset, float("inf"), 0)) - 1
        if i < 0:
            return 0
        rstart, cstart, length = by_raw[i]
        return cstart + min(raw_offset - rstart, length)


@dataclass
class Signer:
    name: Optional[str] = None
    title: Optional[str] = None
    authority: Optional[str] = None


@dataclass
class Metadata:
    doc_type: Optional[str] = None
    symbol: Optional[str] = None
    date: Optional[str] = None
    place: Optional[str] = None
    issuer: Optional[str] = None
    title: Optional[str] = None
    signer: Signer = field(default_factory=Signer)
    recipients: list[str] = field(default_factory=list)
    # how each value above was read (pipeline/trust.py): {"symbol": {"how": "ocr",
    # "confidence": 91.5, "page": 1}, …}; how is "text", "ocr", "repaired" or "inferred"
    sources: dict = field(default_factory=dict)


@dataclass
class Section:
    label: str
    path: str
    title: Optional[str]
    level: int
    start: int
    end: int
    children: list["Section"] = field(default_factory=list)


@dataclass
class Structure:
    metadata: Metadata
    sections: list[Section]
    # the cleaned-text (start, end) of the line each metadata value was read from
    spans: dict = field(default_factory=dict)
    # values the header left unread, taken where the document prints them again
    repairs: list[Repair] = field(default_factory=list)
    body_start: int = 0  # first offset after the header block
    body_end: int = 0  # offset where the signature / "Nơi nhận" block begins
    warnings: list[str] = field(default_factory=list)


@dataclass
class Citation:
    symbol: Optional[str]
    doc_type: Optional[str]
    number: Optional[str]
    code: Optional[str]
    date: Optional[str]
    issuer: Optional[str]
    term: Optional[str]
    subject: Optional[str]
    relation: Optional[str]
    section: Optional[str]
    start: int
    end: int
    text: str
    target: Optional[str] = None
    confidence: float = 1.0


@dataclass
class Reference:
    """A mention of a document that carries no number: a short form the text defines
    ("sau đây gọi là Nghị quyết 28"), a later short form ("Nghị quyết 28"), "Kế hoạch
    này", or a document known by name ("Điều lệ Đảng", "Nghị quyết Đại hội XIII").
    ``symbol`` is the numbered document it resolves to, when the text settles it."""

    kind: str  # alias | short | this | self | named
    text: str
    start: int
    end: int
    name: Optional[str] = None
    symbol: Optional[str] = None
    section: Optional[str] = None


@dataclass
class Entity:
    label: str  # PER, ORG, LOC, DATE
    text: str
    start: int
    end: int
    expansion: Optional[str] = None  # what an abbreviation stands for: "UBND" -> "Ủy ban nhân dân"


@dataclass
class Deadline:
    """When a task is due, as written ("hoàn thành trong năm 2024, sau khi có văn bản
    chỉ đạo của Trung ương") and read: kind before | from | within | recurring | after."""

    text: str
    start: int
    end: int
    kind: str
    year: Optional[int] = None  # "từ năm 2023", "trong năm 2024"
    until: Optional[int] = None  # "từ năm 2024 - năm 2026"
    date: Optional[str] = None  # "trước ngày 30/6/2024" (ISO)
    condition: Optional[str] = None  # "có văn bản chỉ đạo của Trung ương"


@dataclass
class Task:
    """One assignment: who (the agency heading or the paragraph's subject), what, by when."""

    assignee: Optional[str]
    text: str
    section: Optional[str]
    start: int
    end: int
    deadlines: list[Deadline] = field(default_factory=list)


@dataclass
class Document:
    source: dict
    metadata: Metadata
    text: str
    sections: list[Section]
    footnotes: list[Footnote]
    citations: list[Citation]
    entities: list[Entity]
    references: list[Reference] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    schema_version: str = SCHEMA_VERSION

    @classmethod
    def from_json(cls, data: dict) -> "Document":
        """A document file read back as typed objects. Fields it lacks take their defaults
        (None where there is none); fields this version does not know are left out."""
        meta = dict(data.get("metadata") or {})
        meta["signer"] = _typed(Signer, meta.get("signer") or {})
        tasks = [
            _typed(
                Task, {**t, "deadlines": [_typed(Deadline, d) for d in t.get("deadlines") or []]}
            )
            for t in data.get("tasks") or []
        ]
        return cls(
            source=dict(data.get("source") or {}),
            metadata=_typed(Metadata, meta),
            text=data.get("text") or "",
            sections=[_section(s) for s in data.get("sections") or []],
            footnotes=[_typed(Footnote, f) for f in data.get("footnotes") or []],
            citations=[_typed(Citation, c) for c in data.get("citations") or []],
            entities=[_typed(Entity, e) for e in data.get("entities") or []],
            references=[_typed(Reference, r) for r in data.get("references") or []],
            tasks=tasks,
            repairs=[_typed(Repair, r) for r in data.get("repairs") or []],
            warnings=list(data.get("warnings") or []),
            schema_version=data.get("schema_version", SCHEMA_VERSION),
        )

    def to_json(self) -> dict:
        """The contract's document file (see ../shared/CONTRACT.md)."""
        return {
            "schema_version": self.schema_version,
            "source": self.source,
            "metadata": asdict(self.metadata),
            "text": self.text,
            "sections": [asdict(s) for s in self.sections],
            "footnotes": [asdict(f) for f in self.footnotes],
            "citations": [asdict(c) for c in self.citations],
            "entities": [asdict(e) for e in self.entities],
            "references": [asdict(r) for r in self.references],
            "tasks": [asdict(t) for t in self.tasks],
            "repairs": [asdict(r) for r in self.repairs],
            "warnings": list(self.warnings),
        }


def _typed(cls, data: dict):
    """An instance of the dataclass ``cls`` from a JSON object: its known fields, the rest
    at their defaults (None where a field has none)."""
    values = {}
    for name, required in _fields_of(cls):
        if name in data:
            values[name] = data[name]
        elif required:
            values[name] = None
    return cls(**values)


@lru_cache(maxsize=None)  # dataclasses.fields() is slow, and a corpus reads millions of objects
def _fields_of(cls) -> tuple[tuple[str, bool], ...]:
    """Each field's name and whether it has no default."""
    return tuple(
        (f.name, f.default is MISSING and f.default_factory is MISSING) for f in fields(cls)
    )


def _section(data: dict) -> Section:
    return _typed(Section, {**data, "children": [_section(c) for c in data.get("children") or []]})


def iter_sections(sections: list[Section]):
    """Depth-first walk over a section tree, in document order."""
    for s in sections:
        yield s
        yield from iter_sections(s.children)


@dataclass
class Entry:
    """One input's line in the batch manifest (``manifest.json``)."""

    path: str
    output: Optional[str]
    sha256: Optional[str] = None
    status: str = "failed"  # ok | partial | failed | skipped
    error: Optional[str] = None
    stage: Optional[str] = None  # the stage that failed
    format: Optional[str] = None
    pages: int = 0
    ocr_pages: list[int] = field(default_factory=list)
    citations: int = 0
    sections: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    pipeline_version: str = __version__
    reused: bool = False  # unchanged since the last run into this folder: output kept, not redone
