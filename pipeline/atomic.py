"""Atomic writes of the output folder's JSON files (temp file + fsync + rename): a reader never
sees a half-written file, even after kill -9."""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable


def write_json(path: Path, obj, indent: int | None = 1) -> None:
    """Write JSON so that a reader never sees a half-written file, even after kill -9.

    The temporary file's name keeps only the start of the target's, so that it fits where
    the target's does. A string holding what a non-UTF-8 file name decodes to (lone
    surrogates) is written as JSON's \\uXXXX escape, which reads back as the same string.
    ``indent=None``: on one line, for files no one reads by eye (json's C encoder: an
    indented file takes its Python one, 4x slower)."""
    text = json.dumps(obj, ensure_ascii=False, indent=indent) + "\n"
    write_bytes(path, text.encode("utf-8", "backslashreplace"))


def write_bytes(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write a file so that a reader never sees it half-written (see ``write_json``), with
    permissions ``mode`` (default: those open() gives a new file, 0666 less the umask)."""
    write_chunks(path, (data,), mode)


def write_chunks(path: Path, chunks: Iterable[bytes], mode: int | None = None) -> None:
    """``write_bytes`` of a file made piece by piece (a large one need not be held whole):
    the pieces go to the temporary file as they come, and it replaces ``path`` only once the
    last is written; if making a piece fails, ``path`` is left as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, file_mode())
        with os.fdopen(fd, "wb") as f:
            for chunk in chunks:
                f.write(chunk)
            if mode is not None:
                os.fchmod(f.fileno(), mode)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:  # the disk full, the folder gone: say which file, keep the old one
        Path(tmp).unlink(missing_ok=True)
        raise WriteFailed(path, exc) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def file_mode() -> int:
    """The mode open() gives a new file (0666 less the umask). mkstemp makes its files 0600
    and the rename keeps that, so a file written through a temporary one is given this."""
    try:  # Linux 4.7+: read the umask without setting it (os.umask would, for every thread)
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


class WriteFailed(OSError):
    """A file of the output folder could not be written; the one there before is untouched."""

    def __init__(self, path: Path, cause: OSError):
        super().__init__(cause.errno, f"could not write {path}: {cause.strerror or cause}")
        self.path, self._why = path, cause.strerror or str(cause)

    def __reduce__(self):  # pickled as made (a stage run apart sends its errors back)
        return WriteFailed, (self.path, OSError(self.errno, self._why))


def read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


@contextmanager
def replaced(path: Path):
    """Yield a temporary path beside ``path`` for a writer that takes a file name (Parquet,
    CSV, a database); once the block ends, the file replaces ``path`` whole. On an error the
    temporary file goes and ``path`` is left as it was."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    os.unlink(tmp)  # the writer creates it (a database refuses a file that is not one)
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        _remove(tmp)
        raise WriteFailed(path, exc) from exc
    except BaseException:
        _remove(tmp)
        raise


def _remove(tmp: str) -> None:
    for leftover in (tmp, f"{tmp}.wal"):  # DuckDB's write-ahead log beside its database
        Path(leftover).unlink(missing_ok=True)
