"""Run documents through the stages: one document (``process``) and a batch (``run_batch``).

A batch writes each document's JSON as soon as it is done, keeps ``manifest.json``
current after every document, and builds the citation graph over every document
file in the output folder at the end. One broken input never stops the batch.
"""
from __future__ import annotations

import hashlib
import os
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Optional

from . import __version__, clean, extract, ingest, structure, tasks
from .export import read_json, write_json
from .graph import build_graph, to_node_link
from .models import SCHEMA_VERSION, Document, iter_sections

MANIFEST = "manifest.json"
GRAPH = "graph.json"
RESERVED = {Path(MANIFEST).stem, Path(GRAPH).stem}


@dataclass
class Entry:
    """One input's line in the manifest."""

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


def process(path: Path, *, ocr_jobs: int = 1, cache_dir: Optional[Path] = None) -> tuple[Optional[dict], Entry]:
    """All stages for one input; never raises for a bad input: the entry says what went wrong."""
    entry = Entry(path=str(path), output=None)
    stage = "ingest"
    try:
        t = time.perf_counter()
        raw = ingest.load(path, ocr_jobs=ocr_jobs, cache_dir=cache_dir)
        entry.sha256, entry.format, entry.pages, entry.ocr_pages = raw.sha256, raw.format, raw.pages, raw.ocr_pages
        entry.seconds["ingest"] = time.perf_counter() - t

        stage, t = "clean", time.perf_counter()
        cleaned = clean.clean(raw)
        entry.seconds["clean"] = time.perf_counter() - t

        stage, t = "structure", time.perf_counter()
        parsed = structure.parse(cleaned)
        entry.seconds["structure"] = time.perf_counter() - t

        stage, t = "extract", time.perf_counter()
        citations = extract.find_citations(cleaned, parsed)
        entities = extract.find_entities(cleaned, parsed, citations)
        references = extract.find_references(cleaned, parsed, citations)
        assignments = tasks.find_tasks(cleaned, parsed)
        entry.seconds["extract"] = time.perf_counter() - t
    except ingest.IngestError as exc:
        entry.error, entry.stage = str(exc), stage
        return None, entry
    except Exception as exc:  # a bug or an input no stage foresaw: record it, keep the batch going
        entry.error = f"{type(exc).__name__}: {exc}"
        entry.stage = stage
        entry.warnings.append(traceback.format_exc(limit=3))
        return None, entry

    source = {"path": str(path), "sha256": raw.sha256, "format": raw.format, "pages": raw.pages,
              "ocr_pages": raw.ocr_pages}
    if raw.encoding:
        source["encoding"] = raw.encoding
    doc = Document(source=source, metadata=parsed.metadata, text=cleaned.text, sections=parsed.sections,
                   footnotes=cleaned.footnotes, citations=citations, entities=entities, references=references,
                   tasks=assignments, repairs=cleaned.repairs, warnings=raw.warnings + parsed.warnings)
    entry.status = "partial" if raw.warnings else "ok"
    entry.warnings = list(doc.warnings)
    entry.citations = len(citations)
    entry.sections = sum(1 for _ in iter_sections(doc.sections))
    return doc.to_json(), entry


# --- discovery and naming ----------------------------------------------------------------


def discover(inputs: list[Path]) -> tuple[list[tuple[Path, Path]], list[Entry]]:
    """(file, root it was found under) for every supported file; entries for what is skipped."""
    found: list[tuple[Path, Path]] = []
    skipped: list[Entry] = []
    for item in inputs:
        if item.is_dir():
            for dirpath, dirnames, filenames in os.walk(item, followlinks=False):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    p = Path(dirpath) / name
                    if not name.startswith(".") and p.suffix.lower() in ingest.SUPPORTED_SUFFIXES:
                        found.append((p, item))
        elif item.is_file() and item.suffix.lower() in ingest.SUPPORTED_SUFFIXES:
            found.append((item, item.parent))
        elif item.exists():
            skipped.append(Entry(path=str(item), output=None, status="skipped",
                                 error=f"unsupported file type '{item.suffix}'"))
        else:
            skipped.append(Entry(path=str(item), output=None, status="failed", error="no such file or folder",
                                 stage="ingest"))
    return found, skipped


def output_names(files: list[tuple[Path, Path]]) -> dict[Path, str]:
    """``<stem>``; where stems collide, the path below the input folder joined with "__"
    (``a/b/x.pdf`` -> ``a__b__x``), and where that still collides, the extension too
    (``x.txt``, ``x.pdf`` -> ``x_txt``, ``x_pdf``). "graph" and "manifest" are never used."""

    def by_path(p: Path, root: Path) -> str:
        rel = p.relative_to(root) if p.is_relative_to(root) else Path(p.name)
        return "__".join(rel.parent.parts + (rel.stem,))

    levels = [
        lambda p, root: p.stem,
        by_path,
        lambda p, root: f"{by_path(p, root)}_{p.suffix.lstrip('.').lower()}",
    ]
    names: dict[Path, str] = {}
    pending = list(files)
    for level in levels:
        counts: dict[str, int] = {}
        for p, root in pending:
            counts[level(p, root)] = counts.get(level(p, root), 0) + 1
        left = []
        for p, root in pending:
            name = level(p, root)
            if counts[name] == 1 and name not in RESERVED and name not in names.values():
                names[p] = name
            else:
                left.append((p, root))
        pending = left
    for k, (p, root) in enumerate(pending, 2):  # the same path listed twice: number the rest
        names[p] = f"{levels[-1](p, root)}_{k}"
    return names


def _sha256(path: Path) -> Optional[str]:
    try:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()
    except OSError:
        return None


# --- the batch --------------------------------------------------------------------------


@dataclass
class BatchResult:
    entries: list[Entry]
    graph_nodes: int
    graph_edges: int
    seconds: float


def run_batch(inputs: list[Path], out: Path, *, jobs: int = 0, force: bool = False,
              cache_dir: Optional[Path] = None,
              on_done: Callable[[Entry, int, int], None] = lambda e, i, n: None) -> BatchResult:
    t0 = time.perf_counter()
    jobs = jobs or os.cpu_count() or 1
    out.mkdir(parents=True, exist_ok=True)
    cache_dir = cache_dir or out / ".cache"
    files, entries = discover(inputs)
    names = output_names(files)
    previous = _previous_entries(out)

    todo: list[Path] = []
    for p, _ in files:
        old = previous.get(str(p))
        if (not force and old and old.get("status") in ("ok", "partial") and old.get("output") == names[p]
                and old.get("pipeline_version") == __version__ and (out / f"{names[p]}.json").exists()
                and old.get("sha256") == _sha256(p)):
            known = {k: v for k, v in old.items() if k in Entry.__dataclass_fields__}
            entries.append(Entry(**{**known, "reused": True}))
            continue  # unchanged since the last run: keep its output
        todo.append(p)

    def finish(doc: Optional[dict], entry: Entry) -> None:
        entry.output = names[Path(entry.path)]
        if doc is not None:
            write_json(out / f"{entry.output}.json", doc)
        else:
            (out / f"{entry.output}.json").unlink(missing_ok=True)  # no stale output for a failed input
        entries.append(entry)
        _write_manifest(out, entries)
        on_done(entry, len(entries), len(files))

    if jobs == 1 or len(todo) <= 1:
        for p in todo:
            finish(*process(p, ocr_jobs=jobs, cache_dir=cache_dir))
    else:
        with ProcessPoolExecutor(max_workers=min(jobs, len(todo))) as pool:
            futures = {pool.submit(process, p, ocr_jobs=1, cache_dir=cache_dir): p for p in todo}
            for fut in as_completed(futures):
                try:
                    finish(*fut.result())
                except Exception as exc:  # the worker died (out of memory, killed)
                    finish(None, Entry(path=str(futures[fut]), output=None, error=f"worker failed: {exc}"))

    nodes, edges = build_corpus_graph(out)
    _write_manifest(out, entries)
    return BatchResult(entries=_ordered(entries, files), graph_nodes=nodes, graph_edges=edges,
                       seconds=time.perf_counter() - t0)


def build_corpus_graph(out: Path) -> tuple[int, int]:
    """Graph over every document file in ``out``; citations get their ``target`` node id."""
    docs: dict[str, dict] = {}
    for f in sorted(out.glob("*.json")):
        if f.stem in RESERVED:
            continue
        try:
            doc = read_json(f)
        except (OSError, ValueError):
            continue
        if isinstance(doc, dict) and doc.get("schema_version") == SCHEMA_VERSION:
            docs[f.stem] = doc
    before = {name: [c.get("target") for c in d.get("citations", [])] for name, d in docs.items()}
    g = build_graph(docs)
    for name, doc in docs.items():
        if [c.get("target") for c in doc.get("citations", [])] != before[name]:
            write_json(out / f"{name}.json", doc)
    write_json(out / GRAPH, to_node_link(g))
    return g.number_of_nodes(), g.number_of_edges()


def _previous_entries(out: Path) -> dict[str, dict]:
    try:
        data = read_json(out / MANIFEST)
        return {e["path"]: e for e in data.get("inputs", []) if isinstance(e, dict) and "path" in e}
    except (OSError, ValueError, AttributeError):
        return {}


def _ordered(entries: list[Entry], files: list[tuple[Path, Path]]) -> list[Entry]:
    order = {str(p): i for i, (p, _) in enumerate(files)}
    return sorted(entries, key=lambda e: (order.get(e.path, -1), e.path))


def _write_manifest(out: Path, entries: list[Entry]) -> None:
    write_json(out / MANIFEST, {
        "pipeline_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "inputs": [asdict(e) for e in sorted(entries, key=lambda e: e.path)],
    })
