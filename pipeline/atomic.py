"""Atomic writes of the output folder's JSON files (temp file + fsync + rename): a reader never
sees a half-written file, even after kill -9."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def write_json(path: Path, obj) -> None:
    """Write JSON so that a reader never sees a half-written file, even after kill -9."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(obj, f, ensure_ascii=False, indent=1)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))
