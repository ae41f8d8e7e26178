"""Text and markdown files, in any encoding a Vietnamese office produces: UTF-8 and UTF-16
(with or without a BOM), the legacy font encodings TCVN3 and VNI (``encodings.py``), and
Windows-1258."""

from __future__ import annotations

import codecs
import unicodedata
from typing import Callable, Optional

from .encodings import detect_legacy  # TCVN3 / VNI font encodings: "tcvn3", "vni"
from .layout import IngestError, Line, Reading
from .ocr import PageOcr

VIETNAMESE_LETTERS = set("àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ")


def read(data: bytes, ocr: PageOcr) -> Reading:
    """One page of lines, as the file writes them."""
    text, encoding = decode_text(data)
    return Reading("text", [[Line(line, {}) for line in text.split("\n")]], encoding=encoding)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode text file bytes; return (NFC text with "\\n" line ends, encoding name).

    Detectors in TEXT_DETECTORS are tried in order, each returning
    (text, encoding) or None; a detector for a legacy Vietnamese font encoding
    (TCVN3, VNI) belongs before the cp1258 fallback.
    """
    for detect in TEXT_DETECTORS:
        found = detect(data)
        if found is not None:
            text, encoding = found
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            return unicodedata.normalize("NFC", text), encoding
    raise IngestError("unknown text encoding")


def _strict(data: bytes, codec: str) -> Optional[str]:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _detect_bom(data: bytes):
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            text = _strict(data, codec)  # the codec drops the BOM
            return (text, codec) if text is not None else None
    return None


def _detect_utf16_without_bom(data: bytes):
    # Vietnamese in UTF-16 still has a zero high byte for every ASCII letter,
    # space and digit, and for à á â ã è é ê ì í ò ó ô õ ù ú ý.
    if len(data) < 2 or len(data) % 2:
        return None
    half = len(data) // 2
    even, odd = data[0::2].count(0), data[1::2].count(0)
    for zeros, others, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros > 0.3 * half and others < 0.05 * half:
            text = _strict(data, codec)
            if text is not None and "\0" not in text:
                return text, codec
    return None


def _detect_utf8(data: bytes):
    if b"\0" in data:  # binary, not text
        return None
    text = _strict(data, "utf-8")
    return (text, "utf-8") if text is not None else None


def _detect_cp1258(data: bytes):
    text = _strict(data, "cp1258")
    if text is None or not _looks_vietnamese(unicodedata.normalize("NFC", text)):
        return None
    return text, "cp1258"


def _looks_vietnamese(text: str) -> bool:
    """No control characters, and the non-ASCII letters are Vietnamese ones."""
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r\f" for c in text):
        return False
    letters = [c.lower() for c in text if ord(c) > 127 and c.isalpha()]
    viet = sum(c in VIETNAMESE_LETTERS for c in letters)
    return viet > 0 and viet >= 0.8 * len(letters)


TEXT_DETECTORS: list[Callable[[bytes], Optional[tuple[str, str]]]] = [
    _detect_bom,
    _detect_utf16_without_bom,
    _detect_utf8,
    detect_legacy,
    _detect_cp1258,
]
