"""The catalogue of document types, symbol codes and issuer abbreviations (data/catalogue.json)."""
from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from pathlib import Path

import regex as re

DATA = Path(__file__).with_name("data") / "catalogue.json"


@lru_cache(maxsize=1)
def catalogue() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def alternation(words) -> str:
    """Regex alternation of catalogue words, longest first, so "có trách nhiệm" wins over "có"."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


@lru_cache(maxsize=1)
def task_verb_opening() -> "re.Pattern":
    """A task verb opening a line or a heading ("Lãnh đạo …", "Ban hành …"), any case."""
    return re.compile(alternation(catalogue()["task_verbs"]) + r"\b", re.IGNORECASE)


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


# --- OCR damage to symbols: cleanup repairs the text, extraction the fields it reads ---

def complete_issuer(text: str, code: str, code_end: int, match_end: int) -> tuple[str, int]:
    """OCR damage to an issuer code: split ("19-NQ/T W", "117-KH/T Ũ") or with W read as two
    V's ("28-NQ/TVV"). When the code's issuer is not one the catalogue knows and the
    repaired one is, take it. Returns the code and where the mention now ends."""
    issuers = catalogue()["issuer_codes"]
    kind, issuer = code.split("/", 1)
    if issuer in issuers:
        return code, match_end
    if issuer.replace("VV", "W") in issuers:
        return f"{kind}/{issuer.replace('VV', 'W')}", match_end
    m = re.match(r" (\p{Lu}{1,2})(?!\p{L})", text[code_end:code_end + 4])
    if m:
        letters = unicodedata.normalize("NFD", m.group(1))
        letters = unicodedata.normalize("NFC", "".join(c for c in letters if not unicodedata.combining(c)))
        if issuer + letters in issuers:
            return code + letters, code_end + m.end()
    return code, match_end


@lru_cache(maxsize=4096)
def repair_code(code: str, doc_type: str | None) -> str:
    """OCR damage to a Party code ("QĐĐ/TW", "QD/TW" for "QĐ/TW"): a type code the catalogue
    does not know, one edit away from exactly one code of the document's type, is that code.
    Known codes and state-style codes are kept as written ("27/CTTg" stays)."""
    if "/" not in code:
        return code
    kind, issuer = code.split("/", 1)
    types = catalogue()["doc_types"]
    known = {c for codes in types.values() for c in codes}
    if kind in known:
        return code
    allowed = types.get(doc_type or "", []) or sorted(known)
    near = []
    for c in allowed:
        m = re.fullmatch(f"(?:{re.escape(c)}){{e<=1}}", kind)
        if m:
            subs, ins, dels = m.fuzzy_counts
            near.append(((subs + ins + dels, subs), c))  # a stray extra letter beats a changed one
    near.sort()
    if near and (len(near) == 1 or near[0][0] < near[1][0]):
        return f"{near[0][1]}/{issuer}"
    return code
