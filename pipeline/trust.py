"""How each metadata value was read, so a user can filter what to trust.

For every value the header and closing block gave, ``sources`` says where it came from:

- ``text``: a text layer or a text file, as written;
- ``ocr``: OCR, with ``confidence`` the mean Tesseract word confidence (0-100) of the
  line(s) it was read from, and the ``page``;
- ``repaired``: cleanup changed that line, or the value was taken where the document
  prints it again (``repairs`` says how), from any kind of input;
- ``inferred``: read from no line of its own (a type taken from the symbol's code, a letter
  typed "Công văn" by its "Kính gửi").

A handwritten number or date that OCR could not read is null, with a warning.
"""

from __future__ import annotations

import bisect

from .models import CleanText, RawDocument, Structure

FIELDS = ("doc_type", "symbol", "date", "place", "issuer", "title", "signer")
FROM_REPAIR = {"own_number": "symbol", "own_date": "date"}


def sources(raw: RawDocument, cleaned: CleanText, parsed: Structure) -> dict[str, dict]:
    meta = parsed.metadata
    values = {name: getattr(meta, name) for name in FIELDS if name != "signer"}
    values["signer"] = meta.signer.name
    repaired = sorted(r.start for r in cleaned.repairs)
    # values taken where the document prints them again (structure's own repairs)
    retaken = {FROM_REPAIR[r.kind] for r in parsed.repairs if r.kind in FROM_REPAIR}
    starts = [box.start for box in raw.lines]
    out: dict[str, dict] = {}
    for name, value in values.items():
        if not value:
            continue
        span = parsed.spans.get(name)
        if span is None:
            out[name] = {"how": "inferred", "confidence": None, "page": None}
            continue
        start, end = span
        a = cleaned.source_offset(start)
        b = max(a, cleaned.source_offset(max(start, end - 1)))
        page = raw.page_of(a)
        boxes = raw.lines[
            max(0, bisect.bisect_right(starts, a) - 1) : bisect.bisect_right(starts, b)
        ]
        confidences = [box.confidence for box in boxes if box.confidence is not None]
        ocr = page in raw.ocr_pages
        confidence = round(sum(confidences) / len(confidences), 1) if ocr and confidences else None
        k = bisect.bisect_left(repaired, start)
        how = (
            "repaired"
            if name in retaken or (k < len(repaired) and repaired[k] < end)
            else "ocr"
            if ocr
            else "text"
        )
        out[name] = {"how": how, "confidence": confidence, "page": page}
    return out
