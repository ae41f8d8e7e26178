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
def known_body() -> "re.Pattern":
    """A body of the catalogue, or several joined by commas, after its holder's office if
    the office issued the document: "Bộ trưởng Bộ Công an", "Bộ Chính trị, Ban Bí thư"."""
    cat = catalogue()
    body = alternation(cat["organisations"])
    office = alternation(cat["office_holders"]["words"])
    return re.compile(
        rf"(?:{office}\s+)?(?P<body>{body})(?P<more>(?:\s*,\s*{body})+)?(?!\w)", re.IGNORECASE
    )


@lru_cache(maxsize=1)
def executing_opening() -> "re.Pattern":
    """How the article naming who carries a document out opens ("Chánh Văn phòng …", "Các
    ông (bà) …"), any case: a sentence, never an article's title."""
    return re.compile(alternation(catalogue()["executing_openers"]["words"]) + r"(?!\w)", re.I)


@lru_cache(maxsize=1)
def task_verb_opening() -> "re.Pattern":
    """A task verb opening a line or a heading ("Lãnh đạo …", "Ban hành …"), any case."""
    return re.compile(alternation(catalogue()["task_verbs"]) + r"\b", re.IGNORECASE)


def doc_type_names() -> list[str]:
    """Type names, longest first so "Chương trình hành động" wins over "Chương trình"."""
    return sorted(catalogue()["doc_types"], key=len, reverse=True)


def letters(text: str) -> str:
    """Base letters only, case folded: "GIÁY PHÉP" and "Giấy phép" are both "giay phep".
    OCR drops and swaps Vietnamese marks on capitals; the letters survive."""
    decomposed = unicodedata.normalize("NFD", " ".join(text.split()).replace("Đ", "D"))
    return (
        "".join(c for c in decomposed if not unicodedata.combining(c)).replace("đ", "d").casefold()
    )


def type_opening(line: str) -> tuple[str, str] | None:
    """(type name, the rest) for a line in capitals that opens with a type name, its marks
    read loosely: "BIÊN BẢN KIỂM TRA" -> ("Biên bản", "KIỂM TRA"), "GIÁY PHÉP" ->
    ("Giấy phép", ""). NĐ 30/2020 puts the type name first on its own line; forms such as
    the Biên bản run the subject on after it."""
    words = line.split()
    key = letters(line)
    for name in doc_type_names():
        n = len(name.split())
        if len(words) >= n and letters(" ".join(words[:n])) == letters(name):
            if key.startswith(letters(name)):
                return name, " ".join(words[n:])
    return None


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


@lru_cache(maxsize=1 << 10)
def base_type(written: str | None) -> str | None:
    """The catalogue's type a type as written is of ("Báo cáo thẩm tra", "Giấy phép khai thác
    khoáng sản" -> "Báo cáo", "Giấy phép"; the longest that fits); itself when none fits."""
    if not written:
        return written
    for name in doc_type_names():  # (longest first)
        if written == name or written.startswith(name + " "):
            return name
    return written


@lru_cache(maxsize=4)
def sentence_opener(*groups: str) -> "re.Pattern":
    """Words that open a sentence of the given kinds ("grounds", "preamble", "prose"; all
    when none is named) at the start of a line: "Căn cứ …", "Thực hiện …"."""
    openers = catalogue()["sentence_openers"]
    words = [
        w
        for group, ws in openers.items()
        if not group.startswith("_") and (not groups or group in groups)
        for w in ws
    ]
    return re.compile("^" + alternation(words) + r"\b")


@lru_cache(maxsize=1)
def standard_title() -> "re.Pattern":
    """A heading's whole text that the drafting rules name (``standard_titles``): "Hiệu lực
    thi hành", "Phạm vi điều chỉnh và đối tượng áp dụng"; ``fullmatch`` it, any case."""
    part = alternation(catalogue()["standard_titles"]["parts"])
    return re.compile(rf"{part}(?:\s*(?:,|và)\s*{part})*", re.IGNORECASE)


# "(Đã ký)": where a copy of a document signs, the name after it (Nghị định 30/2020/NĐ-CP)
SIGNED = r"\([ \t]*(?:Đã|đã|ĐÃ)[ \t]+(?:ký|KÝ)[ \t]*\)"


@lru_cache(maxsize=1)
def authority() -> str:
    """Regex source of a signature authority and the capital after it: "T/M BAN", "KT. CHỦ"."""
    marks = catalogue()["signature_authorities"]
    # "T/M", "KT." end in a mark and may touch the next word ("T/MTỈNH ỦY" as OCR reads it);
    # "KT", "TM" need a space, or "KTTH, PL" (a list of units) would be a signature
    marked = [m for m in marks if "/" in m or m.endswith(".")]
    plain = [m for m in marks if m not in marked]
    return rf"(?:{alternation(marked)}\s*|{alternation(plain)}\s+)\p{{Lu}}"


@lru_cache(maxsize=1)
def authority_line() -> "re.Pattern":
    """The line a signature block opens with: "T/M BAN THƯỜNG VỤ", "KT. CHỦ TỊCH"."""
    return re.compile("^" + authority())
