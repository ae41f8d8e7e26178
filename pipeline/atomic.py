"""Atomic writes of the output folder's JSON files (temp file + fsync + rename): a reader never
sees a half-written file, even after kill -9."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def write_json(path: Path, obj) -> None:
    """Write JSON so that a reader never sees a half-written file, even after kill -9.

    The temporary file's name keeps only the start of the target's, so that it fits where
    the target's does. A string holding what a non-UTF-8 file name decodes to (lone
    surrogates) is written as JSON's \\uXXXX escape, which reads back as the same string."""
    text = json.dumps(obj, ensure_ascii=False, indent=1) + "\n"
    write_bytes(path, text.encode("utf-8", "backslashreplace"))


def write_bytes(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write a file so that a reader never sees it half-written (see ``write_json``), with
    permissions ``mode`` (default: the temporary file's, readable by its owner alone)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
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


class WriteFailed(OSError):
    """A file of the output folder could not be written; the one there before is untouched."""

    def __init__(self, path: Path, cause: OSError):
        super().__init__(cause.errno, f"could not write {path}: {cause.strerror or cause}")
        self.path = path


def read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))
