"""One document through the stages: the stage list, declared once.

``STAGES`` is read by ``process`` (which runs them and times each), by ``warm_up`` (which
loads what every stage loads on first use before a batch's workers fork) and by the batch
(which names the stage a worker was in when it had to be stopped). Each stage reads
fields of a ``Work`` that earlier stages set (``needs``) and sets its own (``gives``).
"""

from __future__ import annotations

import ast
import hashlib
import time
import traceback
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Callable, Optional

import regex as re

from . import __version__, clean, extract, ingest, nlp, structure, tasks, trust
from .models import (
    Citation,
    CleanText,
    Document,
    Entity,
    Entry,
    RawDocument,
    Reference,
    Structure,
    Task,
    iter_sections,
)


class DocumentTimeout(Exception):
    """Raised inside a worker when a document runs past its time (``batch.Limits.timeout``)."""


@dataclass
class Work:
    """One document in progress: the input and what each stage made of it."""

    path: Path
    ocr_jobs: int = 1
    cache_dir: Optional[Path] = None
    raw: Optional[RawDocument] = None
    cleaned: Optional[CleanText] = None
    structure: Optional[Structure] = None
    citations: list[Citation] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)

    def document(self) -> Document:
        """The contract's document file of a finished Work."""
        raw, cleaned, parsed = self.raw, self.cleaned, self.structure
        source = {
            "path": str(self.path),
            "sha256": raw.sha256,
            "format": raw.format,
            "pages": raw.pages,
            "ocr_pages": raw.ocr_pages,
        }
        if raw.encoding:
            source["encoding"] = raw.encoding
        return Document(
            source=source,
            metadata=parsed.metadata,
            text=cleaned.text,
            sections=parsed.sections,
            footnotes=cleaned.footnotes,
            citations=self.citations,
            entities=self.entities,
            references=self.references,
            tasks=self.tasks,
            repairs=cleaned.repairs + parsed.repairs,
            warnings=raw.warnings + parsed.warnings,
        )


@dataclass(frozen=True)
class Stage:
    name: str
    run: Callable[[Work], None]
    needs: tuple[str, ...]
    gives: tuple[str, ...]


def _ingest(w: Work) -> None:
    w.raw = ingest.load(w.path, ocr_jobs=w.ocr_jobs, cache_dir=w.cache_dir)


def _clean(w: Work) -> None:
    w.cleaned = clean.clean(w.raw)


def _structure(w: Work) -> None:
    w.structure = structure.parse(w.cleaned)
    w.structure.metadata.sources = trust.sources(w.raw, w.cleaned, w.structure)


def _extract(w: Work) -> None:
    """Citations first, on the text no tokenizer has seen; the rest builds on them."""
    w.citations = extract.find_citations(w.cleaned, w.structure)
    w.references = extract.find_references(w.cleaned, w.structure, w.citations)
    w.entities = nlp.find_entities(w.cleaned.text, w.citations)
    w.tasks = tasks.find_tasks(w.cleaned, w.structure)


STAGES: tuple[Stage, ...] = (
    Stage("ingest", _ingest, needs=("path",), gives=("raw",)),
    Stage("clean", _clean, needs=("raw",), gives=("cleaned",)),
    Stage("structure", _structure, needs=("raw", "cleaned"), gives=("structure",)),
    Stage(
        "extract",
        _extract,
        needs=("cleaned", "structure"),
        gives=("citations", "references", "entities", "tasks"),
    ),
)
STAGE_NAMES = tuple(s.name for s in STAGES)


def process(
    path: Path,
    *,
    ocr_jobs: int = 1,
    cache_dir: Optional[Path] = None,
    on_stage: Callable[[str], None] = lambda stage: None,
) -> tuple[Optional[dict], Entry]:
    """All stages for one input; never raises for a bad input: the entry says what went wrong.

    ``on_stage`` is told each stage as it starts (the batch uses it to name the stage
    of a worker it had to kill)."""
    entry = Entry(path=str(path), output=None, pipeline_version=document_version())
    work = Work(Path(path), ocr_jobs=ocr_jobs, cache_dir=cache_dir)
    stage = STAGES[0]
    try:
        for stage in STAGES:
            on_stage(stage.name)
            t = time.perf_counter()
            stage.run(work)
            entry.seconds[stage.name] = time.perf_counter() - t
            if stage.name == "ingest":
                raw = work.raw
                entry.sha256, entry.format, entry.pages, entry.ocr_pages = (
                    raw.sha256,
                    raw.format,
                    raw.pages,
                    raw.ocr_pages,
                )
    except (ingest.IngestError, DocumentTimeout) as exc:
        entry.error, entry.stage = str(exc), stage.name
        return None, entry
    except MemoryError:
        entry.error, entry.stage = (
            "out of memory: stopped by the per-document memory guard (--max-memory)",
            stage.name,
        )
        return None, entry
    except Exception as exc:  # a bug or an input no stage foresaw: record it, keep the batch going
        entry.error, entry.stage = f"{type(exc).__name__}: {exc}", stage.name
        entry.warnings.append(traceback.format_exc(limit=3))
        return None, entry
    doc = work.document()
    entry.status = "partial" if doc.warnings else "ok"  # README: partial = done with warnings
    entry.warnings = list(doc.warnings)
    entry.citations = len(doc.citations)
    entry.sections = sum(1 for _ in iter_sections(doc.sections))
    return doc.to_json(), entry


WARM_UP_TEXT = """HUYỆN ỦY TUY PHƯỚC
Số 83-KH/HU Tuy Phước, ngày 28 tháng 7 năm 2023
KẾ HOẠCH
I. MỤC ĐÍCH
1. Thực hiện Nghị quyết số 28-NQ/TW, ngày 17/11/2022 của Ban Chấp hành Trung ương Đảng.
II. TỔ CHỨC THỰC HIỆN
1. Ban Tuyên giáo Huyện ủy chủ trì, phối hợp triển khai (hoàn thành trong năm 2024).
"""


def warm_up() -> None:
    """Run every stage after ingest on a small text, so that the word lists and models they
    load on first use are loaded here, before a batch's workers fork: the workers then share
    one copy instead of each loading its own (~1 s each)."""
    work = Work(
        Path("warm-up.txt"),
        raw=RawDocument(path="warm-up.txt", sha256="", format="text", text=WARM_UP_TEXT),
    )
    try:
        for stage in STAGES[1:]:
            stage.run(work)
    except Exception:  # only an optimisation: a document that needs it will say what is wrong
        pass


# the libraries whose models and readers shape a document's output
READERS = ("underthesea", "pyvi", "spacy", "pdfplumber", "pdfminer.six", "pypdfium2", "pytesseract")


@lru_cache(maxsize=1)
def document_version() -> str:
    """What a document's output is made by: the package's version, then a hash of the code the
    stages run (this module and every module of the package it imports, and theirs: the graph,
    the questions and the views are not among them), the data files that code names
    (``data/catalogue.json`` …) and the versions of the libraries that read and tag the text.
    A rerun redoes a document made by another (``batch``), so changing a rule or upgrading
    never leaves outputs of the old code beside those of the new; changing the graph's rules
    rebuilds only the graph."""
    digest = files_digest(stage_files())
    for name in READERS:
        try:
            digest.update(f"{name}=={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} absent".encode())
    try:  # Tesseract and its languages' data come from the system, not from pip
        digest.update(f"tesseract {ingest.ocr.pytesseract.get_tesseract_version()}".encode())
    except Exception:  # not installed: text and digital PDFs need none
        digest.update(b"tesseract absent")
    return f"{__version__}+{digest.hexdigest()[:12]}"


_PACKAGE = Path(__file__).parent


def files_digest(files: list[Path]) -> "hashlib._Hash":
    """SHA-256 over files of the package: each one's path in it and its bytes."""
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.relative_to(_PACKAGE).as_posix().encode() + b"\0" + f.read_bytes())
    return digest


_DATA_NAME = re.compile(r"[\w.-]+\.json")


def stage_files() -> list[Path]:
    """This module's source, the sources of the package's modules it imports (transitively,
    read from their import statements), and the files of ``data/`` they name."""
    todo, seen, data = [Path(__file__)], set(), set()
    while todo:
        f = todo.pop()
        if f in seen:
            continue
        seen.add(f)
        text = f.read_text(encoding="utf-8")
        data.update(n for n in _DATA_NAME.findall(text) if (_PACKAGE / "data" / n).is_file())
        here = f.parent
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = here
                for _ in range(node.level - 1):
                    base = base.parent
                parts = (node.module or "").split(".") if node.module else []
                target = base.joinpath(*parts)
                names = [target] if parts else [target / a.name for a in node.names]
                for t in names:
                    for candidate in (t.with_suffix(".py"), t / "__init__.py"):
                        if candidate.is_file():
                            todo.append(candidate)
                            break
    return sorted(seen) + sorted(_PACKAGE / "data" / n for n in data)
