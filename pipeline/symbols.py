"""The grammar of document numbers (số, ký hiệu): the one home every stage reads it from.

Two styles, as the format standards write them:

- Party (Hướng dẫn 36-HD/VPTW): ``<number>-<type code>/<issuer code>``: "28-NQ/TW",
  "08-QĐi/TW", "86-HD/BTGTU", "19197-CV/VPTW".
- State (Nghị định 30/2020/NĐ-CP): ``<number>/<type code>-<issuer code>``: "24/KH-UBND",
  "11296/BC-BNV"; with the year, ``<number>/<year>/<type code>-<issuer code>``:
  "30/2020/NĐ-CP"; a law, ``<number>/<year>/QH<term>``: "20/2023/QH15".

The pieces below are regular-expression sources that the stages compose: cleanup (a
symbol broken across lines, OCR damage to its codes), structure (the header's own
number), extraction (citations), graph (ids, levels) and queries (loose names). What
the codes mean comes from the catalogue (``data/catalogue.json``): the type codes of each
document type, each issuer code's name and level, the words that name a level. So a new
code is an edit to the catalogue, not to a pattern.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex as re

from .catalogue import catalogue

# --- the pieces ----------------------------------------------------------------------------

NUMBER = r"\d{1,6}"  # "5", "28", "2820", "11296", "190197": offices number up to six digits
YEAR = r"\d{4}"
TYPE_CODE = r"\p{Lu}\p{L}{0,5}"  # NQ, QĐi, CTr, TTLT
# a word a converter glued to a number's end ("35/2025/QĐ-TTgcủa", "381/ĐA-CPngày"): never a
# code's letters, and the number ends before it (looked for at a lowercase letter only)
GLUED_WORD = r"(?:của|ngày|về|và|năm|tại|theo|được|đã|với|trong|quy|sửa|thay|hướng|này)"
_NOT_GLUED = rf"(?!{GLUED_WORD}(?![\p{{L}}\d]))"
_ISSUER_PART = rf"\p{{Lu}}(?:\p{{Lu}}|{_NOT_GLUED}\p{{L}}){{0,9}}"
PARTY_ISSUER = rf"{_ISSUER_PART}(?:-{_ISSUER_PART})?"  # TW, BTGTU, ThU-HU
# as cleanup reads a Party issuer for repairs: capitals only ("TW", "BTGTU", "T Ũ" is damage)
PARTY_ISSUER_CAPS = r"\p{Lu}[\p{Lu}Đ]{0,6}"
# KH-UBND, NĐ-CP, QH15, CT-TTg; a joint unit's "&": BNV-CTTN&BĐG, KH-BCA-BNN&MT; a unit's
# number after a dot: CCTKV.XII-NVDTPC.HUE, VPCP-V.I (never a sentence's end: "UBND.Tiếp",
# in capitals whatever flags a pattern built on it has)
_STATE_PART = (
    rf"\p{{Lu}}(?:[\p{{Lu}}\d]|{_NOT_GLUED}\p{{L}}){{0,13}}"
    + r"(?-i:\.[\p{Lu}\d]{1,10}(?![\p{Ll}\d]))?(?:&\p{Lu}{1,5})?"
)
# a joint document's issuers, up to seven ("01/2012/TTLT-BQP-BLĐTBXH-BTC"), and a joint
# type's slash before them ("88/2016/TTLT/BTC-BTNMT", "72/2025/NQLT/UBTVQH15-CP-…")
STATE_CODE = rf"(?:\p{{Lu}}{{1,4}}LT/)?{_STATE_PART}(?:-{_STATE_PART}){{0,7}}"
# a Party code never ends in a digit: digits glued to one are a footnote marker ("28-NQ/TW1")
GLUED_MARKER = r"\d{1,2}(?![\w/-])"
# a number stands alone: not the tail of a date, a word or another symbol, nor the year of a
# technical standard ("QCVN 01:2019/BCT", "TCVN 5574:2018", "TCCS 661: 2018/BVTV" are
# standards, not documents)
ALONE = r"(?<![\w/.-])(?<!\d:)(?<!\d:\s)"

# A Party symbol (groups num, code) and a state symbol (groups snum, scode), as citations
# write them.
PARTY = rf"(?P<num>{NUMBER})-(?P<code>{TYPE_CODE}/{PARTY_ISSUER})(?:{GLUED_MARKER})?"
# a Nghị quyết of the Government numbered as a part of another: "66.2/2025/NQ-CP"
SUB_NUMBER = rf"\.\d{{1,2}}(?=/{YEAR}/)"
STATE = rf"(?P<snum>{NUMBER}(?:{SUB_NUMBER})?)/(?P<scode>(?:{YEAR}/)?{STATE_CODE})"
SYMBOL = rf"{ALONE}(?:{PARTY}|{STATE})(?:(?![\w/-])|(?={GLUED_WORD}(?![\p{{L}}\d])))"
# numbers listed before a symbol share its code: "số 18, 19-NQ/TW", "số 18 và 19-NQ/TW"
# (not a date's year or day before the next symbol: "ngày 17 tháng 10 năm 2025, 8008/BNNMT-ĐCKS")
ENUMERATION = rf"(?P<enum>(?:{ALONE}(?<!\b(?:năm|tháng|ngày)\s{{1,3}}){NUMBER}\s*(?:,|và)\s*)+)"
# the label a header writes before its own number: "Số: 83-KH/HU", "Số 24/KH-UBND"
NUMBER_LABEL = r"Số\s*[:.]?\s*"
# the own number as a header line writes it, spaces and all: "Số: 83 - KH/HU"
WRITTEN = rf"{NUMBER}\s*[-/]\s*\S+"
# a symbol inside a loose name a researcher types: "28-NQ/TW", "08 - qđi/tw", "30/2020/NĐ-CP"
LOOSE = (
    rf"(?<![\p{{L}}\p{{N}}]){NUMBER}\s*(?:-\s*\p{{L}}+\s*/\s*[\p{{L}}\p{{N}}]+"
    rf"|/\s*(?:{YEAR}\s*/\s*)?\p{{L}}[\p{{L}}\p{{N}}]*(?:-[\p{{L}}\p{{N}}]+)+)"
)
# what OCR and converters do to a Party symbol: "28-\n\nNQ/TW", "58- CTr/TU", "101 -QĐ/TW"
# and to a state one: "20/2020/QĐ- TTg", "71/NQ -CP", "01/2026/TT-⏎BCT"; a joint one's
# issuers wrapped in the letterhead's narrow column: "24/HDLN-BCA-BQP-BYT-⏎BCT-BTC-TANDTC"
BROKEN = (
    rf"(?<=\b{NUMBER})[ \t]*-[ \t]*(?:\n[ \t]*)*(?={TYPE_CODE}/\p{{Lu}})"
    rf"|(?<=\b{NUMBER}-{TYPE_CODE})[ \t]*/[ \t]*(?=\p{{Lu}})"
    rf"|(?<=\b{NUMBER}/(?:{YEAR}/)?{TYPE_CODE})(?:[ \t]+-[ \t]*|-[ \t]*(?:\n[ \t]*)*|-[ \t]+)"
    rf"(?=\p{{Lu}}[\p{{L}}\d]*\b)"
    # (a space after a later dash: "146/QĐ-BVTV- KH", "01/2012/TTLT-BQP-BLĐTBXH- BTC")
    rf"|(?<=\b{NUMBER}/(?:{YEAR}/)?{TYPE_CODE}(?:-\p{{Lu}}[\p{{Lu}}\d]*)+)-[ \t]+"
    rf"(?=\p{{Lu}}[\p{{Lu}}\d]+(?![\p{{L}}\d]))"
    rf"|(?<=\b{NUMBER}/(?:{YEAR}/)?{TYPE_CODE}(?:-\p{{Lu}}[\p{{Lu}}\d]*)+)-[ \t]*(?:\n[ \t]*)+"
    # (codes: several, or one alone on its line; not "UBND tỉnh …")
    rf"(?=\p{{Lu}}[\p{{Lu}}\d]+(?:(?:-\p{{Lu}}[\p{{Lu}}\d]*)+(?![\p{{L}}\d])|[ \t]*(?:\n|$)))"
)
# a Party symbol whose codes cleanup may repair (groups num, kind, issuer)
PARTY_PARTS = rf"\b(?P<num>{NUMBER})-(?P<kind>{TYPE_CODE})/(?P<issuer>{PARTY_ISSUER_CAPS})"
PARTY_PLAIN = rf"{NUMBER}-{TYPE_CODE}/{PARTY_ISSUER_CAPS}"
# a state symbol's type code, as cleanup may repair it ("512/QĐĐ-UBND"; group kind), and a
# law's term as OCR reads its digits ("55/2024/QHI5"; group term)
STATE_KIND = rf"\b{NUMBER}/(?:{YEAR}/)?(?P<kind>\p{{Lu}}\p{{L}}{{0,5}})(?=-\p{{Lu}})"
LAW_TERM = rf"\b{NUMBER}/{YEAR}/QH(?P<term>[\dIlOo]{{1,2}})(?![\w-])"
DIGIT_LOOKALIKES = str.maketrans("IlOo", "1100")
NUMBER_THEN_CODE = rf"{NUMBER}-\p{{Lu}}"  # the start of the next Party symbol


# --- reading a symbol ------------------------------------------------------------------------

_LEADING_ZEROS = re.compile(r"0*(\d+)(.*)")
_PARTS = re.compile(
    rf"0*(?P<num>\d+(?:\.\d+)?)(?:-(?P<party>.+)|/(?:(?P<year>{YEAR})/)?(?P<state>.+))"
)


@lru_cache(maxsize=1 << 17)  # the graph asks it of every mention: a corpus repeats its numbers
def key(symbol: str) -> str:
    """The symbol as ids and comparisons use it: no whitespace, no leading zeros
    ("08-QĐi/TW" -> "8-QĐi/TW", "58- CTr/TU" -> "58-CTr/TU")."""
    s = "".join(symbol.split())
    m = _LEADING_ZEROS.match(s)
    return (m[1] + m[2]) if m else s


def parts(symbol: str | None) -> dict:
    """number, code, year written in the symbol, level of its issuer code:
    "08-QĐi/TW" -> 8, QĐi/TW, -, TW; "30/2020/NĐ-CP" -> 30, NĐ-CP, 2020, state."""
    return dict(_parts(symbol))


@lru_cache(maxsize=1 << 16)  # (a tuple: the caller gets its own dict)
def _parts(symbol: str | None) -> tuple[tuple[str, str], ...]:
    m = _PARTS.fullmatch("".join((symbol or "").split()))
    if not m:
        return ()
    code = m["party"] or m["state"]
    fields = (
        ("number", m["num"]),
        ("code", code),
        ("year", m["year"]),
        ("level", level_of_code(code)),
    )
    return tuple((k, v) for k, v in fields if v)


@lru_cache(maxsize=65536)
def year(symbol: str | None) -> str | None:
    """The year written in a state symbol ("30/2020/NĐ-CP" -> "2020"); None for others. (The
    graph asks it of every mention: cached.)"""
    m = _PARTS.fullmatch("".join((symbol or "").split()))
    return m["year"] if m else None


_HEAD = re.compile(rf"0*(\d+)[-/](?:{YEAR}/)?(\p{{L}}+)")


def head(symbol: str) -> tuple[str, str] | None:
    """The number and the type code of a symbol: "083-KH/HU" -> ("83", "KH"),
    "30/2020/NĐ-CP" -> ("30", "NĐ")."""
    m = _HEAD.match("".join(symbol.split()))
    return (m[1], m[2]) if m else None


def doc_type_of(symbol: str | None) -> str | None:
    """ "245-CV/HU" -> "Công văn"; None when the code is missing or names several types (QĐ)."""
    code = (head(symbol) or (None, None))[1] if symbol else None
    types = [name for name, codes in catalogue()["doc_types"].items() if code in codes]
    return types[0] if len(types) == 1 else None


def find_all(text: str) -> list[str]:
    """The Party symbols written in a text ("về thực hiện Nghị quyết số 28-NQ/TW")."""
    return _party_plain().findall(text)


@lru_cache(maxsize=1)
def _party_plain() -> "re.Pattern":
    return re.compile(rf"{NUMBER}-\p{{Lu}}\p{{L}}*/\p{{Lu}}\p{{L}}*")


# --- levels ------------------------------------------------------------------------------------

# from the most general to the most specific: central Party, state, province, district, grassroots
LEVELS = ("TW", "state", "TU", "HU", "ĐU")


def issuer_code(code: str | None) -> str:
    """The issuer's abbreviation a number's code ends with, as the catalogue keys it: its
    last part, without the term's number a Quốc hội body adds ("NQ-UBTVQH15" -> "UBTVQH",
    "QH15" -> "QH", "KH-UBND" -> "UBND", "NQ/TW" -> "TW")."""
    return re.sub(r"(?<=QH)\d+$", "", re.split(r"[/-]", code or "")[-1])


@lru_cache(maxsize=4096)
def level_of_code(code: str | None) -> str | None:
    """Level of the issuing body from a symbol's code, the part after its number (TW, TU, HU,
    ĐU, state): the catalogue's issuer codes; a law's "QH15"; a Party issuer that ends in a
    level's code ("BTGTU"); a state body under the Government ("KH-BCĐCP")."""
    if not code:
        return None
    codes = catalogue()["issuer_codes"]
    tail = issuer_code(code)
    if tail in codes:
        return codes[tail]["level"]
    for suffix in ("TW", "TU", "HU", "ĐU"):
        if tail.endswith(suffix):
            return suffix
    if "/" not in code and re.search(r"(?:TTg|CP)$", code):
        return "state"
    return None


@lru_cache(maxsize=4096)
def issuer_of_code(symbol: str | None) -> str | None:
    """The body a number's code names, where the name alone is that body (Nghị định
    30/2020/NĐ-CP and Hướng dẫn 36-HD/VPTW put the issuer's abbreviation last): a central one
    the catalogue knows ("NĐ-CP" -> Chính phủ, "NQ-UBTVQH15" -> Ủy ban Thường vụ Quốc hội,
    "KL/BCT" -> Bộ Chính trị). None for "TW" (its letterhead serves several central bodies),
    "MTTQ" (a Mặt trận of which level?), a local body's ("Tỉnh ủy" of which province?) and a
    code the catalogue does not know."""
    code = parts(symbol).get("code")
    if not code:
        return None
    tail = issuer_code(code)
    known = catalogue()["issuer_codes"].get(tail)
    if (
        not known
        or tail in ("TW", "MTTQ")
        or known.get("local")
        or known["level"] != ("TW" if "/" in code else "state")
    ):
        return None
    return known["name"]


@lru_cache(maxsize=1 << 14)  # the graph asks it of every document and candidate: names repeat
def level_of_issuer(name: str | None) -> str | None:
    """Level of a body from its name, where no code says it: "Ban Thường vụ Huyện ủy" -> HU,
    "Ban Chấp hành Đảng bộ tỉnh" -> TU (the catalogue's ``level_words``, most general first)."""
    low = (name or "").casefold()
    for level, words in catalogue()["level_words"].items():
        if not level.startswith("_") and any(w in low for w in words):
            return level
    return None


@lru_cache(maxsize=1 << 16)
def numbered_nationally(symbol: str | None) -> bool:
    """A number only one document a year can have: a central Party body's (TW) or a central
    state body's ("30/2020/NĐ-CP"); each Tỉnh ủy, Huyện ủy, UBND or HĐND numbers its own."""
    found = parts(symbol)
    local = catalogue()["issuer_codes"].get(issuer_code(found.get("code")), {}).get("local", False)
    return found.get("level") == "TW" or (found.get("level") == "state" and not local)


# --- OCR damage: cleanup repairs the text, extraction the fields it reads -----------------------


@lru_cache(maxsize=1)
def type_codes() -> frozenset[str]:
    """Every type code the catalogue knows (NQ, QĐ, QĐi, CTr …)."""
    return frozenset(c for codes in catalogue()["doc_types"].values() for c in codes)


def complete_issuer(
    text: str,
    code: str,
    code_end: int,
    match_end: int,
    seen: frozenset = frozenset(),
    number: str = "",
    strays: bool = False,
) -> tuple[str, int]:
    """OCR damage to an issuer code: split ("19-NQ/T W", "117-KH/T Ũ"), with W read as two
    V's ("28-NQ/TVV") or, with ``strays`` (OCR'd text), a stray letter ("28-NQ/TVW",
    "82-KH/TUủ"), or cut short where the
    document writes the same number and type with the whole code elsewhere (``seen``: its
    symbols whose issuer the catalogue knows, ``number`` this one's: "18-NQ/T" beside
    "18-NQ/TW"). When the code's
    issuer is not one the catalogue knows and the repaired one is, take it. Returns the code
    and where the mention now ends."""
    issuers = catalogue()["issuer_codes"]
    kind, issuer = code.split("/", 1)
    if issuer in issuers:
        return code, match_end
    if issuer.replace("VV", "W") in issuers:
        return f"{kind}/{issuer.replace('VV', 'W')}", match_end
    stray = [c for c in issuers if _one_edit(issuer, c) == "insertion"] if strays else []
    if len(stray) == 1:
        return f"{kind}/{stray[0]}", match_end
    elsewhere = [c for c in issuers if _one_edit(issuer, c) and f"{number}-{kind}/{c}" in seen]
    if len(elsewhere) == 1 and not re.match(r" \p{Lu}", text[code_end : code_end + 2]):
        return f"{kind}/{elsewhere[0]}", match_end
    m = re.match(r" (\p{Lu}{1,2})(?!\p{L})", text[code_end : code_end + 4])
    if m:
        letters = unicodedata.normalize("NFD", m.group(1))
        letters = unicodedata.normalize(
            "NFC", "".join(c for c in letters if not unicodedata.combining(c))
        )
        if issuer + letters in issuers:
            return code + letters, code_end + m.end()
    return code, match_end


def _one_edit(written: str, code: str) -> str | None:
    """How ``written`` is one edit from ``code``: "insertion" (a stray letter), "other", or
    None when it is not."""
    m = re.fullmatch(f"(?:{re.escape(code)}){{e<=1}}", written)
    if not m or written == code:
        return None
    subs, ins, dels = m.fuzzy_counts
    return "insertion" if ins == 1 and not subs and not dels else "other"


def repair_state_kind(kind: str) -> str:
    """A state type code whose last letter OCR doubled ("QĐĐ" in "512/QĐĐ-UBND") is the
    code without it. Nothing else: a state symbol's first code can be its office's
    ("11033/STC-CSTH", Sở Tài chính), which no type list holds."""
    if kind not in type_codes() and len(kind) > 2 and kind[-1] == kind[-2]:
        if kind[:-1] in type_codes():
            return kind[:-1]
    return kind


@lru_cache(maxsize=4096)
def repair_code(code: str, doc_type: str | None) -> str:
    """OCR damage to a Party code ("QĐĐ/TW", "QD/TW" for "QĐ/TW"): a type code the catalogue
    does not know, one edit away from exactly one code of the document's type, is that code.
    Known codes and state-style codes are kept as written ("27/CTTg" stays)."""
    if "/" not in code:
        return code
    kind, issuer = code.split("/", 1)
    known = type_codes()
    if kind in known:
        return code
    allowed = catalogue()["doc_types"].get(doc_type or "", []) or sorted(known)
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
