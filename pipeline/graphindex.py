"""The index of ``graph.json`` kept beside it, ``OUT/graph.index``: the columns the questions
read (``query.Index``), so that ``vanban graph OUT QUESTION`` answers without parsing
graph.json (16 s at 100,000 documents; the index opens in milliseconds).

``vanban run`` writes it right after graph.json (``write``); ``load`` opens it, or rebuilds
it from graph.json when it is missing, made by another version of this module, damaged, or
stale: made from a graph.json other than the one there now. The graph.json it was made from
is recorded by size, modification time and inode (checked on every open: a rewritten
graph.json is a new file, as every write goes through a rename) and by SHA-256 (checked
when only the first differ, as after a copy of the folder; then the record is renewed).

The file is a zip archive, stored (not compressed), of one member per part of a column:
arrays as ``.npy``, lists as JSON (a list of few distinct texts as the texts and a code
per node), and ``index.json``: the version, the graph.json it was
made from, how each column is stored. Each member is read on first use and its CRC checked
as it is read, so a damaged file is noticed (``Damaged``) rather than read as wrong answers.
Numpy's format and JSON, not pickle: opening an output folder someone sent runs no code.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
import zlib
from pathlib import Path
from typing import Callable

import numpy as np

from . import query
from .atomic import replaced
from .memory import collector_paused
from .models import GRAPH

NAME = "graph.index"
VERSION = 2  # of the format and of what the columns mean: another version is rebuilt
META = "index.json"


class Damaged(Exception):
    """The index file could not be read: it is rebuilt from graph.json."""


class Stale(Exception):
    """The index file is missing, of another version, or made from another graph.json."""


def stamp(st: os.stat_result, sha256: str) -> dict:
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "inode": st.st_ino, "sha256": sha256}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 24):
            digest.update(chunk)
    return digest.hexdigest()


# --- writing -------------------------------------------------------------------------------


def write(out: Path, g, sha256: str | None = None) -> Path:
    """Write the index of ``g`` (a graph or its ``query.Index``), which is what
    ``OUT/graph.json`` holds now, beside it: whole or not at all. ``sha256``: graph.json's,
    where the caller has it (``graph.write_graph`` makes it as it writes); else it is read."""
    path = Path(out) / GRAPH
    return _write(Path(out), query.index(g), lambda: stamp(path.stat(), sha256 or _sha256(path)))


def made_apart(out: Path, g, told) -> Path | None:
    """In a process of its own (``forked``), forked from the graph stage once the graph's
    nodes and edges are made (``graph.build_graph``'s ``made``): the index of ``g``, made
    while the stage sets the graph's last fields and writes graph.json; ``told()`` gives
    those fields (``graph.last_set``) once they are set, then graph.json's SHA-256 once it
    is written, which the index records last."""
    from .graph import set_last  # (here: the questions that read the index need no graph)

    def settled() -> None:  # (the columns that need no PageRank nor same_as are made)
        last = told()
        if last is None:
            raise _NotTold
        set_last(g, last)

    def made_from() -> dict:
        sha256 = told()
        if sha256 is None:
            raise _NotTold
        return stamp((Path(out) / GRAPH).stat(), sha256)

    with collector_paused():
        try:
            ix = query.index(g, settled)
            for name in query.COLUMNS:
                ix[name]
            return _write(Path(out), ix, made_from)
        except _NotTold:
            return None


class _NotTold(Exception):
    """The stage told the index's process nothing: it ended before graph.json was written."""


def _write(out: Path, ix: query.Index, made_from: Callable[[], dict]) -> Path:
    """The index file, its columns first and then what it records of the graph.json it is
    of (``made_from()``, asked last: that file may be being written meanwhile)."""
    dest = out / NAME
    kinds = {}
    with replaced(dest) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as z:
        for name in query.COLUMNS:
            kinds[name] = _put(z, name, ix[name])
        meta = {"version": VERSION, "nodes": ix.nodes, "graph": made_from(), "columns": kinds}
        z.writestr(_member(META), json.dumps(meta))
    return dest


def _put(z: zipfile.ZipFile, name: str, value) -> str:
    """Store a column; returns how, for ``_get``."""
    if isinstance(value, query.Postings):
        _put(z, f"{name}.keys", value.keys)
        _put(z, f"{name}.ptr", value.ptr)
        _put(z, f"{name}.values", value.values)
        return "postings"
    if isinstance(value, tuple):  # CSR: pointers, values
        _put(z, f"{name}.ptr", value[0])
        _put(z, f"{name}.values", value[1])
        return "csr"
    if isinstance(value, np.ndarray):
        buf = io.BytesIO()
        np.save(buf, value, allow_pickle=False)
        z.writestr(_member(f"{name}.npy"), buf.getvalue())
        return "array"
    if len(value) > 1000 and all(
        t is type(None) or issubclass(t, str) for t in set(map(type, value))
    ):
        distinct = set(value)
        if len(distinct) * 8 < len(value):  # types, levels, years, issuers: a few values, coded
            values = sorted(distinct, key=lambda v: (v is not None, v or ""))
            code = {v: i for i, v in enumerate(values)}
            _put(z, f"{name}.names", values)
            codes = np.fromiter(map(code.__getitem__, value), dtype=np.int32, count=len(value))
            _put(z, f"{name}.codes", codes)
            return "coded"
    # surrogatepass: a name made from a file name that is not UTF-8 holds lone surrogates
    text = json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")
    z.writestr(_member(f"{name}.json"), text)
    return "list"


def _member(name: str) -> zipfile.ZipInfo:
    # a fixed date, not the clock's: one graph.json, one index, byte for byte (but the record)
    return zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))


# --- reading -------------------------------------------------------------------------------


def _get(z: zipfile.ZipFile, name: str, kind: str):
    if kind == "postings":
        return query.Postings(
            _get(z, f"{name}.keys", "list"),
            _get(z, f"{name}.ptr", "array"),
            _get(z, f"{name}.values", "array"),
        )
    if kind == "csr":
        return _get(z, f"{name}.ptr", "array"), _get(z, f"{name}.values", "array")
    if kind == "coded":
        names = _get(z, f"{name}.names", "list")
        return [names[c] for c in _get(z, f"{name}.codes", "array").tolist()]
    if kind == "array":
        return _array(z.read(f"{name}.npy"))
    if kind == "list":
        return json.loads(z.read(f"{name}.json").decode("utf-8", "surrogatepass"))
    raise ValueError(f"unknown kind of column {kind!r}")


def _array(data: bytes) -> np.ndarray:
    """An array stored by ``np.save``, read in place from the member's bytes (read-only):
    ``np.load`` would copy them again, a tenth of the largest questions' reading."""
    f = io.BytesIO(data)
    header = {
        (1, 0): np.lib.format.read_array_header_1_0,
        (2, 0): np.lib.format.read_array_header_2_0,
    }.get(np.lib.format.read_magic(f))
    if header is None:
        raise ValueError("an array of another format version")
    shape, fortran, dtype = header(f)
    if dtype.hasobject:
        raise ValueError("an array of objects: not this program's")
    count = int(np.prod(shape, dtype=np.int64))
    array = np.frombuffer(data, dtype=dtype, count=count, offset=f.tell())
    return array.reshape(shape, order="F" if fortran else "C")


_UNREADABLE = (zipfile.BadZipFile, zlib.error, KeyError, ValueError, EOFError, OSError)


def open_index(out: Path) -> query.Index:
    """The index of ``OUT/graph.json``; Stale when there is none of this version made from
    the graph.json there now, Damaged when it cannot be read (then or as a question reads
    a column)."""
    path, graph = Path(out) / NAME, Path(out) / GRAPH
    try:
        z = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise Stale(f"{path} is missing") from None
    except _UNREADABLE as exc:
        raise Damaged(f"{path}: {type(exc).__name__}: {exc}") from None
    try:
        meta = json.loads(z.read(META))
        version, kinds, made_from = meta["version"], meta["columns"], meta["graph"]
        nodes = int(meta["nodes"])
        if not isinstance(kinds, dict) or not isinstance(made_from, dict):
            raise ValueError("index.json is not this program's")
    except (*_UNREADABLE, TypeError) as exc:
        z.close()
        raise Damaged(f"{path}: {type(exc).__name__}: {exc}") from None
    if version != VERSION:
        z.close()
        raise Stale(f"{path} is of another version ({version}, not {VERSION})")
    now = graph.stat()
    if made_from != stamp(now, made_from.get("sha256")):
        # a copy of the folder keeps the text but not the file: the hash tells
        if now.st_size != made_from.get("size") or _sha256(graph) != made_from.get("sha256"):
            z.close()
            raise Stale(f"{graph} changed since {path} was made from it")
        _renew(path, z, stamp(now, made_from["sha256"]))

    def read(_: query.Index, name: str):
        if name not in kinds:
            raise Damaged(f"{path}: no column {name!r}")
        try:
            return _get(z, name, kinds[name])
        except _UNREADABLE as exc:
            raise Damaged(f"{path}: {name}: {type(exc).__name__}: {exc}") from None

    return query.Index(nodes, read)


def _renew(path: Path, z: zipfile.ZipFile, made_from: dict) -> None:
    """Record the graph.json now there (the same text in another file); where the folder
    is read-only, the index is used as it is."""
    meta = json.loads(z.read(META))
    meta["graph"] = made_from
    try:
        with replaced(path) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as copy:
            for info in z.infolist():
                if info.filename != META:
                    copy.writestr(info, z.read(info))
            copy.writestr(_member(META), json.dumps(meta))
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # a member damaged
        raise Damaged(f"{path}: {type(exc).__name__}: {exc}") from None
    except OSError:
        pass


def rebuild(out: Path, warn: Callable[[str], None]):
    """Read graph.json, write its index (where the folder takes it; otherwise ``warn``) and
    return it: the index, or the graph when the index could not be written."""
    graph = Path(out) / GRAPH
    with open(graph, "rb") as f:  # the record is of the very file read
        st = os.fstat(f.fileno())
        data = f.read()
    g = query.parse(data)
    made_from = stamp(st, hashlib.sha256(data).hexdigest())
    del data
    with collector_paused():  # the columns are many lists that live on
        try:
            _write(Path(out), query.index(g), lambda: made_from)
        except OSError as exc:
            warn(f"could not write the index of {graph} ({exc}); answering from graph.json")
    return g


def load(out: Path, warn: Callable[[str], None]):
    """What the questions of ``OUT/graph.json`` read: its index, or, where there is none
    (or it is stale or damaged: then ``warn``), the graph, read once and its index written
    for the next question."""
    try:
        return open_index(out)
    except Damaged as exc:
        warn(f"WARNING the index of the graph is damaged ({exc}); rebuilding it from {GRAPH}")
    except Stale:
        pass
    return rebuild(out, warn)
