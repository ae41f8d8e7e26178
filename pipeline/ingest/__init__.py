"""Ingest: a file in, a ``RawDocument`` out: its text as the pages show it, with the layout
evidence that came with each line and where each page starts.

One reader per format, chosen from ``READERS`` by the file's suffix (each a module here:
``text`` with its encodings, ``word`` for .docx, ``pdf`` for text layers, ``image`` for page
images; ``ocr`` OCRs the pages that need it, for the PDF and image readers). All text is NFC.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable, Optional

from ..models import RawDocument
from . import image, pdf, text, word
from .layout import IngestError, Reading, assemble
from .ocr import PageOcr
from .text import decode_text

__all__ = ["IngestError", "READERS", "SUPPORTED_SUFFIXES", "decode_text", "load", "page_count"]

READERS: dict[str, Callable[[bytes, PageOcr], Reading]] = {
    ".txt": text.read,
    ".md": text.read,
    ".docx": word.read,
    ".pdf": pdf.read,
    ".png": image.read,
    ".jpg": image.read,
    ".jpeg": image.read,
    ".tif": image.read,
    ".tiff": image.read,
}
SUPPORTED_SUFFIXES = frozenset(READERS)


def page_count(path: Path) -> int:
    """The pages ``path`` will have, counted cheaply before it is read (for a batch's
    progress): a PDF's pages, an image's frames; 1 for a text, or for a file that cannot
    be opened (reading it will say why)."""
    suffix = Path(path).suffix.lower()
    try:
        if suffix == ".pdf":
            return pdf.page_count(path)
        if READERS.get(suffix) is image.read:
            return image.frame_count(path)
    except Exception:  # damaged, encrypted, not what its name says: only an estimate is lost
        pass
    return 1


def load(
    path: Path, *, ocr_jobs: int = 1, cache_dir: Optional[Path] = None, ocr_timeout: float = 300
) -> RawDocument:
    """Read one input file. Raises IngestError for input it cannot read.

    ``ocr_jobs`` pages are OCR'd in parallel processes; with ``cache_dir`` each
    page's OCR result is kept under ``cache_dir/ocr/``; ``ocr_timeout`` is in
    seconds per page, and a page that runs out of time is left empty with a
    warning.
    """
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise IngestError(f"unsupported file type {path.suffix.lower()!r}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read file: {exc.strerror or exc}") from exc
    if not data:
        raise IngestError("empty file (0 bytes)")
    # every reader parses these bytes, so sha256 describes exactly what was read
    reading = reader(data, PageOcr(ocr_jobs, cache_dir, ocr_timeout))
    text_, page_starts, boxes = assemble(reading.pages)
    warnings = list(reading.warnings)
    if not text_.strip():
        warnings.append("no text found")
    return RawDocument(
        path=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
        format=reading.format,
        text=text_,
        pages=len(reading.pages),
        ocr_pages=reading.ocr_pages,
        page_starts=page_starts,
        lines=boxes,
        encoding=reading.encoding,
        warnings=warnings,
    )
