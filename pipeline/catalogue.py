"""The catalogue of document types, symbol codes and issuer abbreviations (data/catalogue.json)."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import regex as re

DATA = Path(__file__).with_name("data") / "catalogue.json"


@lru_cache(maxsize=1)
def catalogue() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def doc_type_names() -> list[str]:
    """Type names, longest first so "Chương trình hành động" wins over "Chương trình"."""
    return sorted(catalogue()["doc_types"], key=len, reverse=True)


def type_pattern() -> str:
    """Regex alternation for type words as written: any case, any whitespace between words."""
    alts = [r"\s+".join(re.escape(w) for w in name.split()) for name in doc_type_names()]
    return "(?:" + "|".join(alts) + ")"


def canonical_type(written: str | None) -> str | None:
    """'CHƯƠNG TRÌNH  hành động' -> 'Chương trình hành động' (as the catalogue spells it)."""
    if not written:
        return None
    key = " ".join(written.split()).casefold()
    for name in catalogue()["doc_types"]:
        if name.casefold() == key:
            return name
    return " ".join(written.split()).capitalize()


def issuer_level(code: str | None) -> str | None:
    """Level of the issuing body from the part of a symbol after the slash or dash (TW, TU, HU, state)."""
    if not code:
        return None
    codes = catalogue()["issuer_codes"]
    tail = re.split(r"[/-]", code)[-1]
    if tail in codes:
        return codes[tail]["level"]
    if re.fullmatch(r"QH\d*", tail):
        return "state"
    for suffix, level in (("TW", "TW"), ("TU", "TU"), ("HU", "HU"), ("ĐU", "ĐU")):
        if tail.endswith(suffix):
            return level
    return None
