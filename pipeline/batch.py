"""A batch: documents through the stages (``stages.process``) in worker processes, into one
output folder.

A batch writes each document's JSON as soon as it is done, keeps ``manifest.json``
current after every document, and builds the citation graph over every document
file in the output folder at the end. One broken input never stops the batch:
documents run in worker processes (pebble) with a per-document timeout and memory
guard (``Limits``), so a hung, crashing or memory-hungry document is stopped and
recorded while the others go on; ``executor="dask"`` sends the same work to a
Dask cluster instead.
"""

from __future__ import annotations

import fcntl
import hashlib
import marshal
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Mapping, Optional, Union

import numpy as np

from . import __version__, forked, graphindex, ingest
from .atomic import read_json, write_bytes, write_json
from .graph import KeptTextGone, build_graph, last_set, release, write_graph
from .graphfacts import Facts, FactsCache, LinksKept, OpeningsCompared, facts_of, plain, typed
from .ingest import ocr
from .memory import collector_paused
from .models import GRAPH, MANIFEST, SCHEMA_VERSION, Document, Entry
from .stages import STAGE_NAMES, DocumentTimeout, document_version, files_digest, process, warm_up
from .validate import validate_document

LOCK = ".lock"  # held by the run writing into the folder
GRAPH_READS = ("schema_version", "source", "metadata", "text", "citations")  # of a document
RESERVED = {Path(MANIFEST).stem, Path(GRAPH).stem}
# documents done in this run wait here for the graph; each moves to OUT once the graph has
# given its citations their targets, so every document file in OUT is complete
STAGED = ".staged"


@dataclass
class Limits:
    """Per-document guards of a local batch.

    ``timeout``: seconds one document may take (0: no limit); the worker stops the
    document at the stage it is in, and a worker stuck where it cannot be interrupted
    is killed ``TIMEOUT_GRACE`` later. ``max_memory``: MB a worker's address space may
    grow by while it works on a document (0: no limit; ``RLIMIT_AS``).
    """

    timeout: float = 3600.0
    max_memory: int = 4096


TIMEOUT_GRACE = 30.0  # seconds past the timeout before a worker that did not stop is killed


# --- discovery and naming ----------------------------------------------------------------


def discover(inputs: list[Path]) -> tuple[list[tuple[Path, Path]], list[Entry]]:
    """(file, root it was found under) for every supported file; entries for what is skipped."""
    found: list[tuple[Path, Path]] = []
    skipped: list[Entry] = []
    # one spelling for each input, whatever the folder it was named from ("d" and "/work/d"
    # are the same files, to reuse and to name); links keep their own names
    for item in (Path(os.path.abspath(i)) for i in inputs):
        if item.is_dir():
            if item.suffix.lower() in ingest.SUPPORTED_SUFFIXES:
                skipped.append(_folder_named_like_a_file(item))
            for dirpath, dirnames, filenames in os.walk(item, followlinks=False):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for d in dirnames:
                    # "x.pdf/": say why no x.json
                    if Path(d).suffix.lower() in ingest.SUPPORTED_SUFFIXES:
                        skipped.append(_folder_named_like_a_file(Path(dirpath) / d))
                for name in sorted(filenames):
                    p = Path(dirpath) / name
                    if not name.startswith(".") and p.suffix.lower() in ingest.SUPPORTED_SUFFIXES:
                        found.append((p, item))
        elif item.is_file() and item.suffix.lower() in ingest.SUPPORTED_SUFFIXES:
            found.append((item, item.parent))
        elif item.is_symlink() and item.suffix.lower() in ingest.SUPPORTED_SUFFIXES:
            found.append((item, item.parent))  # a broken link or a loop: ingest says which
        elif item.exists():
            skipped.append(
                Entry(
                    path=str(item),
                    output=None,
                    status="skipped",
                    error=f"unsupported file type '{item.suffix}'",
                )
            )
        else:
            skipped.append(
                Entry(
                    path=str(item),
                    output=None,
                    status="failed",
                    error="no such file or folder",
                    stage="ingest",
                )
            )
    return found, skipped


def _folder_named_like_a_file(p: Path) -> Entry:
    return Entry(
        path=str(p),
        output=None,
        status="skipped",
        error="a folder named like a document file: its contents are searched as a folder's",
    )


def output_names(
    files: list[tuple[Path, Path]], taken: frozenset[str] = frozenset()
) -> dict[Path, str]:
    """``<stem>``; where stems collide, the path below the input folder joined with "__"
    (``a/b/x.pdf`` -> ``a__b__x``), and where that still collides, the extension too
    (``x.txt``, ``x.pdf`` -> ``x_txt``, ``x_pdf``). "graph" and "manifest" are never used,
    nor the names in ``taken`` (documents of earlier runs into the same folder)."""

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
            if (
                counts[name] == 1
                and name not in RESERVED
                and name not in taken
                and name not in names.values()
            ):
                names[p] = name
            else:
                left.append((p, root))
        pending = left
    for k, (p, root) in enumerate(pending, 2):  # the same path listed twice: number the rest
        names[p] = f"{levels[-1](p, root)}_{k}"
    return {p: _fitting(name) for p, name in names.items()}


NAME_BYTES = 200  # a folder holds names of up to 255 bytes: "<name>.json" and its temp file fit


def _fitting(name: str) -> str:
    """``name`` cut to NAME_BYTES (at a character), a hash of the whole name after it so that
    two long names stay two."""
    raw = name.encode("utf-8", "surrogateescape")
    if len(raw) <= NAME_BYTES:
        return name
    digest = hashlib.sha1(raw).hexdigest()[:10]
    cut = raw[: NAME_BYTES - 11].decode("utf-8", "ignore")
    return f"{cut}_{digest}"


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
    # files of the output folder that were damaged or not this program's, and what was done
    warnings: list[str] = field(default_factory=list)


Outcome = tuple[Optional[dict], Entry]


def run_batch(
    inputs: list[Path],
    out: Path,
    *,
    jobs: int = 0,
    force: bool = False,
    cache_dir: Optional[Path] = None,
    limits: Optional[Limits] = None,
    executor: str = "local",
    scheduler: Union[str, object, None] = None,
    on_start: Callable[[int, int], None] = lambda total, todo: None,
    on_done: Callable[[Entry, int, int], None] = lambda e, i, n: None,
    on_pages: Optional[Callable[[int, int], None]] = None,
) -> BatchResult:
    """Process ``inputs`` into ``out``; see the module docstring and the README's batch section.

    ``on_start(total, todo)`` is called once the inputs are known (``todo`` of them to be
    processed, the rest reused or skipped), ``on_done(entry, i, total)`` after each input.
    ``on_pages(done, total)``: the pages of the documents to process, counted before they
    start, and how many are done, told as each page is OCR'd (local executor) and as each
    document ends.
    ``executor`` "local" (a process pool of ``jobs`` workers) or "dask" (``scheduler``: an
    address, or a ``distributed.Client``).
    """
    t0 = time.perf_counter()
    jobs = jobs or os.cpu_count() or 1
    limits = limits or Limits()
    out.mkdir(parents=True, exist_ok=True)
    with _only_run_into(out):
        return _run(out, inputs, jobs, force, cache_dir, limits, executor, scheduler,
                    on_start, on_done, on_pages, t0)  # fmt: skip


class OutputBusy(Exception):
    """Another run is writing into the same output folder."""


@contextmanager
def _only_run_into(out: Path):
    """Hold ``out``'s lock for the run: a second run into the same folder is refused with a
    clear message (it would otherwise take the first one's temporary files for a killed
    run's). The lock goes with the process, so a killed run never leaves it held."""
    f = open(out / LOCK, "a+")
    try:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            holder = f.read().strip() or "another process"
            raise OutputBusy(
                f"another vanban run ({holder}) is writing into {out}; wait for it to end, "
                "or give this one another --out"
            ) from None
        f.seek(0)
        f.truncate()
        f.write(f"pid {os.getpid()}")
        f.flush()
        yield
    finally:
        f.close()


def _run(
    out, inputs, jobs, force, cache_dir, limits, executor, scheduler, on_start, on_done, on_pages,
    t0,
):  # fmt: skip
    cache_dir = cache_dir or out / ".cache"
    _remove_stale_temp_files(out, cache_dir)
    ocr.sweep_stale_temp()
    warnings = _clear_the_way(out)
    files, entries = discover(inputs)  # entries: what is skipped; then each input as it is done
    previous = _previous_entries(out)
    checked = _Checked(out)  # document files already found valid, not checked again
    named = {str(p) for p, _ in files}
    # Documents of earlier runs into this folder that this run does not name: kept in the
    # manifest while their output is there, and their names are not given to new inputs.
    kept = [
        Entry(**{k: v for k, v in old.items() if k in Entry.__dataclass_fields__})
        for path, old in previous.items()
        if path not in named
        and old.get("status") in ("ok", "partial")
        and old.get("output")
        and _intact_output(out, old["output"], checked)
    ]
    names = output_names(files, frozenset(e.output for e in kept))

    todo: list[Path] = []
    for p, _ in files:
        old = previous.get(str(p))
        if (
            not force
            and old
            and old.get("status") in ("ok", "partial")
            and old.get("output") == names[p]
            and old.get("pipeline_version") == document_version()  # made by this code
            and old.get("sha256") == _sha256(p)
            and _intact_output(out, names[p], checked)
        ):
            known = {k: v for k, v in old.items() if k in Entry.__dataclass_fields__}
            entries.append(Entry(**{**known, "reused": True}))
            continue  # unchanged since the last run: keep its output
        todo.append(p)
    # Longest first (file size stands for pages), so that no worker is left with a long
    # document at the end while the others idle.
    todo.sort(key=_size, reverse=True)
    total = len(entries) + len(todo)  # skipped, reused and to do
    on_start(total, len(todo))
    tally = _PageTally(todo, on_pages)
    for i, e in enumerate(list(entries), 1):
        on_done(e, i, total)

    def finish(doc: Optional[dict], entry: Entry) -> None:
        entry.output = names[Path(entry.path)]
        if doc is not None:
            staged = out / STAGED / f"{entry.output}.json"
            write_json(staged, doc)
            # checked now, while the workers work: 4 ms a document, 7 minutes at 100,000
            # if left to the graph, which waits for all of them
            checked.problems(staged, doc)
        else:  # no stale output for a failed input
            (out / STAGED / f"{entry.output}.json").unlink(missing_ok=True)
            (out / f"{entry.output}.json").unlink(missing_ok=True)
        entries.append(entry)
        _write_manifest(out, entries + kept)
        tally.finish(entry)
        on_done(entry, len(entries), total)

    if executor == "dask":
        results = _dask_results(todo, scheduler, cache_dir)
    elif executor == "local":
        results = _local_results(todo, jobs, cache_dir, limits, tally)
    else:
        raise ValueError(f"unknown executor {executor!r} (local or dask)")
    try:
        for doc, entry in results:
            finish(doc, entry)
    finally:
        results.close()  # on Ctrl-C or an error here: stop the workers, do not wait for them

    nodes, edges = build_corpus_graph(out, warnings, checked)
    _write_manifest(out, entries + kept)
    return BatchResult(
        entries=_ordered(entries, files),
        graph_nodes=nodes,
        graph_edges=edges,
        seconds=time.perf_counter() - t0,
        warnings=warnings,
    )


def _size(p: Path) -> int:
    try:
        return p.stat().st_size
    except OSError:
        return 0


class _Checked:
    """The document files of an output folder found valid, each by its size, modification
    time and inode (any write through a rename or in place changes one): the schema check
    costs 2-4 ms a file, so a rerun over 100,000 documents would spend minutes re-checking
    files nobody touched. Kept in ``OUT/.cache/checked`` (``_memo``: at 100,000 files read
    in two thirds and written in a quarter of the time JSON took, each update); a file of
    another version or schema, or one that cannot be read, is checked again."""

    def __init__(self, out: Path):
        self.out, self.path = out, out / ".cache" / "checked"
        data = _memo(self.path)
        ok = data.get("version") == [__version__, SCHEMA_VERSION]
        self.stamps = data["files"] if ok and isinstance(data.get("files"), dict) else {}

    @staticmethod
    def _stamp(f: Path) -> list[int]:
        st = f.stat()
        return [st.st_size, st.st_mtime_ns, st.st_ino]

    def problems(self, f: Path, data) -> list[str]:
        """``validate_document``'s answer for the file ``f`` holding ``data``."""
        key = f.relative_to(self.out).as_posix()
        try:
            stamp = self._stamp(f)
        except OSError:
            stamp = None
        if stamp and self.stamps.get(key) == stamp:
            return []
        found = validate_document(data)
        if not found and stamp:
            self.stamps[key] = stamp
        return found

    def trust(self, f: Path) -> None:
        """Take ``f`` as valid without checking it: a document found valid, written again with
        only what the schema cannot refuse changed (its citations' targets, node ids)."""
        try:
            self.stamps[f.relative_to(self.out).as_posix()] = self._stamp(f)
        except OSError:
            pass

    def save(self) -> None:
        """Keep the stamps of files still there (best effort: a memo, not an output)."""
        # (as strings: a path object each for 100,000 names is most of the time)
        folders = {k.rpartition("/")[0] for k in self.stamps}
        there = {d: _files_in(self.out / d) for d in folders}
        here = {k: v for k, v in self.stamps.items() if (p := k.rpartition("/"))[2] in there[p[0]]}
        _keep_memo(self.path, {"version": [__version__, SCHEMA_VERSION], "files": here})
        _old_json(self.path)


def _memo(path: Path) -> dict:
    """A memo kept by ``_keep_memo`` (``marshal`` data: plain values only, nothing in it runs
    code when read); empty where there is none or it cannot be read."""
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return data if isinstance(data, dict) else {}


def _keep_memo(path: Path, data: dict) -> None:
    """Write a memo (best effort: not an output)."""
    try:
        write_bytes(path, marshal.dumps(data))
    except (OSError, ValueError):
        pass


def _old_json(path: Path) -> None:
    """Remove the JSON file a memo was kept in by earlier builds (``<name>.json``: stale)."""
    try:
        path.with_name(path.name + ".json").unlink(missing_ok=True)
    except OSError:
        pass


def _files_in(folder: Path) -> set[str]:
    """The names of the files in a folder (what ``Path.is_file`` says of each, for a folder
    listed once rather than a file stated at a time)."""
    try:
        with os.scandir(folder) as entries:
            return {e.name for e in entries if e.is_file()}
    except OSError:  # gone, or not a folder
        return set()


def _intact_output(out: Path, name: str, checked: _Checked) -> bool:
    """Whether the document file of ``name`` is there and whole (a valid document of this
    version): a truncated or edited one is redone, not reused."""
    for f in (out / STAGED / f"{name}.json", out / f"{name}.json"):
        try:
            data = read_json(f)
        except (OSError, ValueError):
            continue
        if (
            isinstance(data, dict)
            and data.get("schema_version") == SCHEMA_VERSION
            and not checked.problems(f, data)
        ):
            return True
    return False


def _clear_the_way(out: Path) -> list[str]:
    """The run's own files (graph, manifest) where something else stands in their place: a
    folder is moved aside (nothing is deleted), a damaged manifest is kept beside the new
    one. Returns what was done, in words."""
    done = []
    for name in (GRAPH, graphindex.NAME, MANIFEST):
        f = out / name
        if f.is_dir() or (f.exists() and not f.is_file()):
            aside = out / f"{name}.moved-{time.strftime('%Y%m%d-%H%M%S')}"
            f.rename(aside)
            done.append(f"{f} was not a file; moved aside to {aside.name}")
    try:
        data = read_json(out / MANIFEST)
        if not (isinstance(data, dict) and isinstance(data.get("inputs"), list)):
            raise ValueError("not a manifest")
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as exc:
        aside = out / f"{MANIFEST}.damaged-{time.strftime('%Y%m%d-%H%M%S')}"
        (out / MANIFEST).rename(aside)
        done.append(
            f"{out / MANIFEST} could not be read ({exc}); kept as {aside.name}: this run's "
            "inputs are done again, and the graph still reads every document file in the folder"
        )
    return done


def _remove_stale_temp_files(out: Path, cache_dir: Path) -> None:
    """Temporary files a killed run left behind (write_json's and the OCR cache's)."""
    for pattern, folder in (
        (".*.tmp", out),
        (".*.tmp", out / STAGED),
        ("*.tmp", Path(cache_dir) / "ocr"),
    ):
        for f in folder.glob(pattern):
            f.unlink(missing_ok=True)


class _PageTally:
    """The pages of the documents to do, for ``on_pages``: counted before the batch starts,
    advanced by the workers as they OCR pages (one counter per document in shared memory,
    written by the one worker on it, read here) and settled when a document ends."""

    def __init__(self, todo: list[Path], report: Optional[Callable[[int, int], None]]):
        import multiprocessing

        self.report = report
        self.index = {str(p): i for i, p in enumerate(todo)}
        self.last: Optional[tuple[int, int]] = None
        if report is None:
            self.seen = None
            return
        self.expected = np.array([ingest.page_count(p) for p in todo], dtype=np.int64)
        self.seen = multiprocessing.RawArray("i", len(todo))
        # one pass over every document per look, in numpy: a batch of 100,000 stays cheap
        self.counts = np.frombuffer(self.seen, dtype=np.int32)
        self.running = np.ones(len(todo), dtype=bool)
        self.settled = 0
        self.poll()

    def poll(self) -> None:
        if self.report is None:
            return
        running = self.running
        done = self.settled + int(np.minimum(self.counts, self.expected)[running].sum())
        total = self.settled + int(self.expected[running].sum())
        if (done, total) != self.last:
            self.last = (done, total)
            self.report(done, total)

    def finish(self, entry: Entry) -> None:
        i = self.index.get(entry.path)
        if self.report is None or i is None:
            return
        # a failed document's pages are done with too; a count that was off is put right
        self.settled += entry.pages or int(self.expected[i])
        self.running[i] = False
        self.poll()


# --- executors: each yields (document JSON or None, Entry) as documents finish ------------


_stage_slots = None  # in a local worker: one byte per document of the batch, the stage it is in
_page_slots = None  # in a local worker: per document of the batch, the pages OCR'd so far
POLL = 0.5  # seconds between looks at the workers' page counts while no document ends


def _local_results(
    todo: list[Path], jobs: int, cache_dir: Path, limits: Limits, tally: Optional[_PageTally] = None
) -> Iterator[Outcome]:
    """A pebble process pool: a worker that hangs past the timeout or dies (a crash, the
    kernel's OOM killer) is replaced, and only its document is recorded as failed."""
    if not todo:
        return
    import multiprocessing

    from pebble import ProcessExpired, ProcessPool

    warm_up()
    workers = min(jobs, len(todo))
    # Each worker may OCR a document's pages in ``jobs`` processes; the gate keeps the batch
    # at ``jobs`` pages at once, so the cores of a worker with nothing left to start help
    # with the pages of the documents still running.
    ocr_jobs = jobs
    gate = multiprocessing.BoundedSemaphore(jobs) if workers > 1 else None
    hard = limits.timeout + TIMEOUT_GRACE if limits.timeout else None
    # Workers note the stage of each document here (a byte write: no lock, no server process),
    # so that the stage of a worker that had to be killed is known.
    slots = multiprocessing.RawArray("b", len(todo))

    def failure(i: int, error: str) -> Outcome:
        stage = STAGE_NAMES[slots[i] - 1] if slots[i] else None
        return None, Entry(
            path=str(todo[i]),
            output=None,
            stage=stage,
            error=error,
            pipeline_version=document_version(),
        )

    pages = tally.seen if tally is not None else None
    pool = ProcessPool(
        max_workers=workers,
        initializer=_init_worker,
        initargs=(limits.max_memory, slots, gate, pages),
    )
    try:
        futures = {
            pool.schedule(_work, (p, ocr_jobs, cache_dir, limits.timeout, i), timeout=hard): i
            for i, p in enumerate(todo)
        }
        pending = set(futures)
        while pending:
            tick = tally.poll if tally is not None else lambda: None
            for fut in [f for f in pending if f.done()] or [_first_done(pending, tick)]:
                pending.discard(fut)
                i = futures[fut]
                try:
                    yield fut.result()
                except FutureTimeout:
                    yield failure(
                        i,
                        f"timed out: still running {hard:g} s after it started, "
                        "its worker was killed (--timeout)",
                    )
                except ProcessExpired as exc:
                    yield failure(i, f"worker died ({_exit_reason(exc.exitcode)})")
                except Exception as exc:  # pickling, a pool failure: still one document's failure
                    yield failure(i, f"worker failed: {type(exc).__name__}: {exc}")
        pool.close()
    except BaseException:  # Ctrl-C, or the batch gave up (a full disk): stop the workers now
        pool.stop()
        raise
    finally:
        pool.join()


def _first_done(futures: set, tick: Callable[[], None] = lambda: None):
    """The first future to finish; ``tick`` every POLL seconds until one does."""
    from concurrent.futures import FIRST_COMPLETED, wait

    while True:
        done = wait(futures, timeout=POLL, return_when=FIRST_COMPLETED).done
        if done:
            return next(iter(done))
        tick()


def _exit_reason(code: Optional[int]) -> str:
    if code is not None and code < 0:
        name = (
            signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
        )
        hint = ", likely out of memory (the kernel's OOM killer)" if -code == signal.SIGKILL else ""
        return f"killed by {name}{hint}"
    return f"exit code {code}"


def _init_worker(max_memory: int, slots=None, gate=None, pages=None) -> None:
    """Worker start: one OpenMP thread for Tesseract; the address-space guard."""
    global _stage_slots, _page_slots
    _stage_slots, _page_slots = slots, pages
    os.environ["OMP_THREAD_LIMIT"] = "1"
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the batch process's to handle
    ocr.set_gate(gate)
    ocr.die_with_parent()  # kill -9 of the batch process alone takes its workers with it
    if max_memory:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = _address_space() + max_memory * 2**20
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _address_space() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _work(
    path: Path, ocr_jobs: int, cache_dir: Optional[Path], timeout: float, index: int = -1
) -> Outcome:
    """``process`` in a worker, stopped at the stage it is in after ``timeout`` seconds."""

    def note(stage: str) -> None:
        if _stage_slots is not None and index >= 0:
            _stage_slots[index] = STAGE_NAMES.index(stage) + 1

    def page() -> None:  # only this worker writes this document's counter: no lock needed
        _page_slots[index] += 1

    ocr.set_page_hook(page if _page_slots is not None and index >= 0 else None)
    if not timeout or threading.current_thread() is not threading.main_thread():
        return process(path, ocr_jobs=ocr_jobs, cache_dir=cache_dir, on_stage=note)

    def expire(signum, frame):
        raise DocumentTimeout(
            f"timed out: took longer than the per-document timeout of {timeout:g} s (--timeout)"
        )

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        return process(path, ocr_jobs=ocr_jobs, cache_dir=cache_dir, on_stage=note)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _dask_results(todo: list[Path], scheduler, cache_dir: Path) -> Iterator[Outcome]:
    """The same documents as tasks on a Dask cluster; the workers must see the inputs and
    ``cache_dir`` at the same paths (a shared file system). Outputs are written here."""
    if not todo:
        return
    from distributed import Client, as_completed

    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    try:
        futures = {
            client.submit(_work, p, 1, cache_dir, 0.0, key=f"vanban-{i}-{p.name}", pure=False): p
            for i, p in enumerate(todo)
        }
        for fut in as_completed(futures):
            path = futures[fut]
            try:
                yield fut.result()
            except Exception as exc:  # a worker lost (KilledWorker), a task that could not run
                yield (
                    None,
                    Entry(
                        path=str(path),
                        output=None,
                        error=f"dask task failed: {type(exc).__name__}: {exc}",
                        pipeline_version=document_version(),
                    ),
                )
            finally:
                fut.release()
    finally:
        if client is not scheduler:
            client.close()


def build_corpus_graph(
    out: Path,
    warnings: Optional[list[str]] = None,
    checked: Optional[_Checked] = None,
    apart: Optional[bool] = None,
) -> tuple[int, int]:
    """The graph over every document of ``out`` (those of this run wait in ``STAGED``), then
    the document files: each waiting one is written once, with its citations' targets, and
    an earlier one again only where a target changed (a new document dated a number). A
    JSON file that is no document of this version is left out, named in ``warnings``.

    From ``APART`` documents on (``apart`` says either way) the stage runs in a process of
    its own (``forked``): the memory of the run that called it stays as it was, and the
    process ends without freeing the graph's millions of objects one by one."""
    warnings = [] if warnings is None else warnings
    # the collector off: the graph, the facts and the documents are millions of objects that
    # all live on, and its passes over them as they come were a tenth of an update's time
    with collector_paused():
        files = _document_paths(out)
        if apart is None:
            apart = forked.available() and len(files) >= APART
        if not apart:
            return _build_corpus_graph(out, warnings, checked, files)
        with forked.Forked(_graph_stage_apart, out, checked, files) as job:
            counts, said = job.result()
        warnings.extend(said)
        return counts


APART = 20_000  # documents from which the graph stage runs in a process of its own


def _graph_stage_apart(out: Path, checked: Optional[_Checked], files: dict[str, str], _told):
    said: list[str] = []
    counts = _build_corpus_graph(out, said, checked, files, apart=True)
    return counts, said


def _build_corpus_graph(
    out: Path,
    warnings: list[str],
    checked: Optional[_Checked],
    files: dict[str, str],
    apart: bool = False,
) -> tuple[int, int]:
    """``build_corpus_graph`` of the document ``files`` listed (``_document_paths``); ``apart``:
    in a forked process, which exits without freeing the build's objects."""
    checked = checked or _Checked(out)
    stamps = _file_stamps(files)
    built = _GraphBuilt(out)
    if built.unchanged(stamps, len(files)):  # the graph of exactly these files is there
        warnings.extend(built.warnings)
        checked.save()  # what this run's reuse checks found valid
        return built.nodes, built.edges
    # the document files are written by a process of its own where there are many, forked
    # now, while this one is small (``_TargetsWriter``)
    with _TargetsWriter(apart) as writer, _IndexMaker(out, apart) as indexer:
        hold = forked.left_to_exit if apart else None
        return _graph_and_files(out, warnings, checked, files, stamps, built, writer, indexer, hold)


def _graph_and_files(
    out: Path,
    warnings: list[str],
    checked: _Checked,
    files: dict[str, str],
    stamps: dict[str, list],
    built: _GraphBuilt,
    writer: _TargetsWriter,
    indexer: _IndexMaker,
    hold: Optional[list],
) -> tuple[int, int]:
    warned = len(warnings)
    # the files waiting in STAGED are new (or redone): read in a process of their own, where
    # there are many documents, while this one reads the facts kept of the others
    with _StagedReader(files, stamps, checked, apart=hold is not None) as staged:
        # what the graph reads of each document, kept from the last build for the files it
        # left as they are: only new and changed documents are read (graphfacts.py)
        cache = FactsCache(out / ".cache" / "graph-facts", built.code)
        docs = {}
        read: dict[str, dict] = {}  # files read now, kept to be given their targets (a few MB)
        room = KEEP_READ
        for name in sorted(files):
            if name not in stamps:  # gone since it was listed
                continue
            kept = cache.get(name, stamps[name])
            if kept is not None:
                docs[name] = kept
                continue
            facts, why, data = staged.facts(name) or _file_facts(Path(files[name]), checked)
            if why:
                warnings.append(why)
            if facts is None:
                continue
            docs[name] = facts
            cache.put(name, facts)
            if data is not None and stamps[name][1] <= room:
                read[name] = data
                room -= stamps[name][1]
    # which number-less documents' openings were alike, for the files left as they were
    compared = OpeningsCompared(out / ".cache" / "graph-openings", built.code, stamps)
    # the links of documents whose file, node, targets and placings are as the last build
    # found them: graph.json's text of them is copied, not made again (nor their mentions)
    links = LinksKept(out / ".cache" / "graph-links", built.code, out / GRAPH)
    kept: dict[str, tuple[int, int]] = {}

    def copied(name: str, node: str, targets: list, placements: list) -> bool:
        if docs[name].targets == targets:
            span = links.span(name, stamps[name], node, placements)
            if span:
                kept[node] = span
                return True
        return False

    # the files waiting in STAGED, and those whose targets moved (a new document dated a
    # number), written with their targets: by the writer's own process as soon as the graph
    # knows them (while it makes its nodes and edges, on the core that is idle then)
    due: list[tuple[str, Path, bool, list]] = []

    def pointed(targets: dict[str, list[str | None]]) -> None:
        due.extend(
            (name, Path(files[name]), stamps[name][0], targets[name])
            for name, doc in docs.items()
            if stamps[name][0] or doc.targets != targets[name]
        )
        writer.give(due, read)

    result = build_graph(
        docs,
        compared=compared.pairs,
        apart=hold is not None,
        copied=copied,
        pointed=pointed if writer.apart else None,
        made=indexer.made,
        leave=hold,
    )
    indexer.give(result.graph)  # what `vanban graph` reads, made while the rest is written
    if not writer.apart:  # (here: once the graph is built)
        pointed(result.targets)
    digest = hashlib.sha256()  # graph.json's, as it is written: the index records it
    try:  # a node or edge a line
        spans = write_graph(out / GRAPH, result.graph, kept, digest, result.unmade)
    except KeptTextGone:  # (graph.json gone or unreadable since: every link made here)
        whole = build_graph(docs, compared=compared.pairs, apart=hold is not None)
        digest = hashlib.sha256()
        spans = write_graph(out / GRAPH, whole.graph, None, digest)
    indexer.graph_written(digest.hexdigest())
    failed = writer.failed()
    written: list[str] | None = []  # the document files this build wrote
    for name, _, _, targets in due:
        if name in failed:
            warnings.append(
                f"{files[name]}: could not be read again ({failed[name]}); left as it was"
            )
            written = None  # (a staged one stays staged: the folder is listed again below)
            continue
        if written is not None:
            written.append(name)
        checked.trust(out / f"{name}.json")  # a valid document, given node ids as targets
        docs[name].targets = targets
        cache.put(name, docs[name])
    try:
        (out / STAGED).rmdir()
    except OSError:  # not there, or holding a document whose file could not be read
        pass
    checked.save()
    counts = result.graph.number_of_nodes(), result.graph.number_of_edges()
    if written is None:
        stamps = _file_stamps(_document_paths(out, staged=False))
    else:  # the files as they were when read (what the graph is of), those written as they are
        stamps.update(_file_stamps({name: out / f"{name}.json" for name in written}))
    links.save(
        out / GRAPH,
        {
            name: (stamps[name], node, spans[node], result.placements[name])
            for name, node in result.nodes.items()
            if name in stamps and node in spans and _one_copy(result, name)
        },
    )
    compared.save(stamps)
    cache.save({name: stamp for name, stamp in stamps.items() if name in docs})
    indexer.written()
    built.save(stamps, len(stamps), counts, warnings[warned:])  # (graph.index's too)
    if hold is not None:
        hold.extend((docs, read, result, cache, links, compared, stamps, files))
    release(result.graph)  # freed on return, not by the collector's pass over it
    return counts


KEEP_READ = 32 << 20  # bytes of document files read by a build kept to write them again
WRITERS = 4  # document files written at once by the graph stage


class _TargetsWriter(forked.Maybe):
    """Writes the document files the graph gave their targets (``give``: name, file now,
    whether it waits in STAGED, targets), in ``WRITERS`` threads: in a process forked at the
    start of the stage (``apart``), which waits for the list while this one builds the graph
    and then writes graph.json and its index meanwhile (at 100,000 documents, seconds of
    each that no longer wait for the other); else here, at once. ``failed``: the names
    whose file could not be read again, with why. Used as a context manager: left before
    ``failed`` (an error meanwhile), the process is stopped."""

    def __init__(self, apart: bool):
        super().__init__(apart, _write_told)
        self._failed: dict[str, str] = {}

    def give(self, due: list[tuple[str, Path, bool, list]], read: dict[str, dict]) -> None:
        """``read``: files read already, by name (here; the other process reads them again)."""
        self._due, self._read = due, read
        if self.apart:
            self.tell(due)
        else:
            self._failed = _give_targets(due, read)

    def failed(self) -> dict[str, str]:
        if not self.apart:  # (written here, when given)
            return self._failed
        # a process that failed (killed, out of memory): written here, where errors show
        return self.answer(lambda: _give_targets(self._due, self._read, resumed=True))


def _file_facts(f: Path, checked: _Checked) -> tuple[Facts | None, str | None, dict | None]:
    """What the graph reads of a document file (``Facts``), why it is left out of the graph
    (a warning: not a valid document), and the file's data; no facts and no why for a file
    that cannot be read or is no document of this version."""
    try:
        data = read_json(f)
    except (OSError, ValueError):
        return None, None, None
    if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION:
        return None, None, None
    if problems := checked.problems(f, data):
        return None, f"{f}: not a valid document file, left out of the graph ({problems[0]})", None
    # only what the graph reads: typing a document's repairs, entities and sections cost
    # more than the rest of reading it (1.6 ms of 2.9 on the crawl)
    return facts_of(Document.from_json({k: data[k] for k in GRAPH_READS if k in data})), None, data


class _StagedReader(forked.Maybe):
    """The facts of the files waiting in STAGED (``_file_facts``), read in a process forked
    now (``apart``), while this one reads the facts kept of the others (at 100,000
    documents, 2 s of each); ``facts(name)``: what it found of one, None where it read none
    (not staged, not apart, or the process ended without an answer: read here). The files it
    found valid are recorded in ``checked`` here too."""

    def __init__(
        self, files: dict[str, str], stamps: dict[str, list], checked: _Checked, apart: bool
    ):
        staged = sorted(name for name, stamp in stamps.items() if stamp[0])
        paths = [Path(files[n]) for n in staged]
        super().__init__(apart and bool(staged), _staged_facts, paths, checked)
        self._checked, self._found = checked, None

    def facts(self, name: str) -> tuple[Facts | None, str | None, None] | None:
        if self._found is None:
            found, valid = self.answer(lambda: ({}, {}))
            self._checked.stamps.update(valid)
            self._found = found
        plain = self._found.pop(name, None)
        if plain is None:
            return None
        facts, why = plain
        return (typed(facts) if facts is not None else None), why, None


def _staged_facts(files: list[Path], checked: _Checked, _told) -> tuple[dict, dict]:
    """``_file_facts`` of each file, by name, as plain values (``graphfacts.plain``: fast to
    send), and the stamps ``checked`` gained."""
    before, pool = dict(checked.stamps), {}
    found = {}
    for f in files:
        facts, why, _ = _file_facts(f, checked)
        found[f.stem] = (plain(facts, pool) if facts is not None else None, why)
    return found, {k: v for k, v in checked.stamps.items() if before.get(k) != v}


class _IndexMaker:
    """Makes and writes graph.index: in a process forked once the graph's nodes and edges are
    made (``apart``; ``made``, told by ``build_graph``), which makes the index while this
    process sets the graph's last fields and writes graph.json (at 100,000 documents,
    seconds of each), and is told those fields once set (``give``: ``graph.last_set``), so
    that its last columns are made while graph.json is written; else here, once graph.json
    is written. Either way it records graph.json's SHA-256 (``graph_written``);
    ``written`` waits for it. Used as a context manager: left before ``written`` (an error
    meanwhile), the process is stopped."""

    def __init__(self, out: Path, apart: bool):
        self._out, self._apart, self._job = out, apart, None

    def made(self, g) -> None:
        if self._apart and self._job is None:
            self._job = forked.Maybe(True, graphindex.made_apart, self._out, g)

    def give(self, g) -> None:
        """The graph built (the one ``made`` was told of, its last fields set)."""
        self._graph = g
        self.made(g)
        if self._job is not None:  # (the index's last columns made while graph.json is written)
            self._job.tell(last_set(g), more=True)

    def graph_written(self, sha256: str) -> None:
        self._sha256 = sha256
        if self._job is not None:
            self._job.tell(sha256)
        else:
            graphindex.write(self._out, self._graph, sha256)

    def written(self) -> None:
        if self._job is not None:  # a process that failed (killed, out of memory): made here
            self._job.answer(lambda: graphindex.write(self._out, self._graph, self._sha256))

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if self._job is not None:
            self._job.__exit__(*exc)


def _write_told(told) -> dict[str, str]:
    return _give_targets(told() or [], {})


def _give_targets(
    due: list[tuple[str, Path, bool, list]], read: dict[str, dict], resumed: bool = False
) -> dict[str, str]:
    """Each file of ``due`` written whole again with its targets (a staged one to OUT, its
    staged copy removed); returns why, by name, of those that could not be read again.
    ``resumed``: after a writer process failed, a staged file gone was written by it."""

    def one(name: str, f: Path, staged: bool, targets: list) -> str | None:
        if resumed and staged and not f.exists() and (f.parent.parent / f.name).exists():
            return None
        try:
            data = read.pop(name, None) or read_json(f)
        except (OSError, ValueError) as exc:
            return str(exc)
        for c, target in zip(data["citations"], targets):
            c["target"] = target
        write_json(f.parent.parent / f.name if staged else f, data)
        if staged:
            f.unlink()
        return None

    # a few files at once: creating, syncing and renaming them wait on the disk, not the
    # processor (the JSON work between is one at a time)
    with ThreadPoolExecutor(WRITERS) as pool:
        why = pool.map(lambda job: one(*job), due)
        return {job[0]: w for job, w in zip(due, why) if w is not None}


def _one_copy(result, name: str) -> bool:
    """The document is its node's only copy: the node's links are its own."""
    return result.graph._node[result.nodes[name]]["outputs"] == [name]  # (asked 200,000 times)


def _document_paths(out: Path, staged: bool = True) -> dict[str, str]:
    """``models.document_files`` of ``out`` by name, and (``staged``) those waiting in STAGED
    over them (this run's, fresher), as path strings in name order: a path object each was
    a second of an update at 100,000 documents, for files of which a few are opened."""
    found: dict[str, str] = {}
    for folder in (out, out / STAGED) if staged else (out,):
        try:
            with os.scandir(folder) as entries:
                names = [e.name for e in entries if e.name.endswith(".json")]
        except OSError:  # (no STAGED: nothing waits)
            continue
        at = os.path.join(folder, "")
        found.update((n[:-5], at + n) for n in names if n not in (MANIFEST, GRAPH))
    return dict(sorted(found.items()))


def _file_stamps(files: Mapping[str, str | Path]) -> dict[str, list]:
    """Each document file as it is now: staged or not, size, modification time, inode (every
    write goes through a rename, so a rewritten file is a new inode); a file gone since it
    was listed has none."""
    stamps = {}
    waits = f"{os.sep}{STAGED}{os.sep}"  # (the folder of a staged file: <name>.json in it)
    for name, f in files.items():
        try:
            st = os.stat(f)
        except OSError:
            continue
        staged = os.fspath(f).endswith(f"{waits}{name}.json")
        stamps[name] = [staged, st.st_size, st.st_mtime_ns, st.st_ino]
    return stamps


class _GraphBuilt:
    """What the graph in ``OUT`` was built from: the document files by size, modification
    time and inode (every write goes through a rename, so a rewritten file is a new inode),
    the package's code and data (another rule, another graph), graph.json and graph.index
    alike. A rerun that finds all of it as it was keeps the graph: the build is a pure
    function of those files, and at 100,000 documents it takes minutes. Kept in
    ``OUT/.cache/graph-built`` (``_memo``); anything unreadable there means: build."""

    def __init__(self, out: Path):
        self.out, self.path = out, out / ".cache" / "graph-built"
        self.record = _memo(self.path)
        self.nodes, self.edges = self.record.get("counts") or (0, 0)
        self.warnings = self.record.get("warnings") or []
        self.code = _code_stamp()  # the package's, hashed once a build

    def _now(self, stamps: dict[str, list], listed: int) -> dict:
        """``stamps`` of the ``listed`` document files (``_file_stamps``), with the code and
        the outputs; empty if any of them is gone."""
        if len(stamps) != listed:
            return {}
        outputs = {}
        for name in (GRAPH, graphindex.NAME):
            try:
                st = (self.out / name).stat()
            except OSError:
                return {}
            outputs[name] = [st.st_size, st.st_mtime_ns, st.st_ino]
        return {"code": self.code, "files": stamps, "outputs": outputs}

    def unchanged(self, stamps: dict[str, list], listed: int) -> bool:
        now = self._now(stamps, listed)
        return bool(now) and all(self.record.get(k) == v for k, v in now.items())

    def save(
        self, stamps: dict[str, list], listed: int, counts: tuple[int, int], warnings: list[str]
    ) -> None:
        now = self._now(stamps, listed)
        if now:
            _keep_memo(self.path, {**now, "counts": list(counts), "warnings": warnings})
        else:
            try:
                self.path.unlink(missing_ok=True)
            except OSError:
                pass
        _old_json(self.path)


def _code_stamp() -> str:
    """SHA-256 of the package's files (its code and its data: the catalogue, the gazetteer)."""
    here = Path(__file__).parent
    files = [f for f in sorted(here.rglob("*")) if f.is_file() and "__pycache__" not in f.parts]
    return files_digest(files).hexdigest()


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
    write_json(
        out / MANIFEST,
        {
            "pipeline_version": document_version(),
            "schema_version": SCHEMA_VERSION,
            "inputs": [asdict(e) for e in sorted(entries, key=lambda e: e.path)],
        },
    )
