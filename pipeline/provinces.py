"""Which province a document is of, from its place and issuer ("Tuy Phước", "Huyện ủy Tuy
Phước", "Ủy ban nhân dân tỉnh Bắc Ninh", "Thành ủy Quy Nhơn"), by the gazetteer
``data/provinces.json``: the 63 provinces and their districts before 1 July 2025 and the 34
provinces the reorganisation (Nghị quyết 202/2025/QH15) made of them.

Tỉnh ủy, Huyện ủy and UBND number their own documents, so the graph tells two provinces'
"45-KH/TU" of one year apart by this province (``key``). Names are compared without their
marks (OCR damages marks more than letters) and, where that leaves several, with them; a
name that still means several provinces ("Châu Thành" is a district of ten) tells none.
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex as re

DATA = Path(__file__).with_name("data") / "provinces.json"

# the words before a unit's name, and which kind of unit they name
_DISTRICT = ("huyện ủy", "quận ủy", "thị ủy", "huyện", "quận", "thị xã")
_PROVINCE = ("tỉnh ủy", "đảng bộ tỉnh", "tỉnh")
_EITHER = ("thành ủy", "thành phố", "tp.", "tp")  # a province-level city or a provincial one
_PREFIXES = "|".join(re.escape(p) for p in sorted(_DISTRICT + _PROVINCE + _EITHER, key=len)[::-1])
_PREFIX = re.compile(rf"(?<!\p{{L}})({_PREFIXES})(?!\p{{L}})\s*")
_PREFIX_AT_END = re.compile(rf"(?<!\p{{L}})(?:{_PREFIXES})[\s,]*$")
LONGEST = 5  # words in the longest name ("Bà Rịa - Vũng Tàu" is four and a dash)


def ends_with_prefix(text: str) -> bool:
    """The text ends with a word a unit's name follows ("… trên địa bàn thành phố", "… tỉnh"):
    a place on the next line is that unit's name."""
    return _PREFIX_AT_END.search(text.casefold()) is not None


@lru_cache(maxsize=1)
def gazetteer() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def bare(text: str) -> str:
    """Letters without marks, casefolded, one space between words: "Tuy Phước" -> "tuy phuoc"."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    letters = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", letters).split())


def _exact(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", unicodedata.normalize("NFC", text).casefold()).split())


@lru_cache(maxsize=1)
def _index() -> dict[str, dict[str, list[tuple[str, str]]]]:
    """bare name -> [(name with marks, province before 2025)], for provinces and for districts."""
    g = gazetteer()
    index: dict[str, dict] = {"province": defaultdict(list), "district": defaultdict(list)}
    for name in g["provinces"]:
        index["province"][bare(name)].append((_exact(name), name))
    for alias, name in g["aliases"].items():
        index["province"][bare(alias)].append((_exact(alias), name))
    for name, units in g["districts"].items():
        for unit in units:
            index["district"][bare(name)].append((_exact(name), unit["province"]))
    return index


@dataclass(frozen=True)
class Where:
    """A document's province before the 2025 reorganisation, and whether a district said it
    (districts were abolished in July 2025: a district's document is from before it)."""

    province: str
    by_district: bool


def _lookup(name: str, kinds: tuple[str, ...]) -> tuple[set[str], bool] | None:
    """The provinces a unit's name may mean, trying the kinds in order (the first that knows
    the name), and whether it is a district's name; None for a name no unit has."""
    for kind in kinds:
        found = _index()[kind].get(bare(name), [])
        provinces = {p for _, p in found}
        if len(provinces) > 1:  # marks tell "Thanh Hóa" from "Thạnh Hóa"
            provinces = {p for e, p in found if e == _exact(name)} or provinces
        if provinces:
            return provinces, kind == "district"
    return None


def _kinds(prefix: str | None) -> tuple[str, ...]:
    if prefix in _DISTRICT:
        return ("district",)
    if prefix in _PROVINCE:
        return ("province",)
    return ("province", "district")


def _named_after_prefix(text: str) -> list[tuple[set[str], bool]]:
    """Every unit a text names after a unit word ("tỉnh Bắc Ninh", "Huyện ủy Tuy Phước"): the
    longest name that follows."""
    low = unicodedata.normalize("NFC", text).casefold()
    found = []
    for m in _PREFIX.finditer(low):
        words = re.findall(r"[\w-]+", low[m.end() :])[:LONGEST]
        for n in range(len(words), 0, -1):
            named = _lookup(" ".join(words[:n]), _kinds(m[1]))
            if named:
                found.append(named)
                break
    return found


def unit_names(text: str) -> list[tuple[int, int]]:
    """Where ``text`` names a province or a district after its unit word ("tỉnh Thừa Thiên
    Huế", "THÀNH PHỐ HÀ NỘI"): (start of the unit word, end of the longest name after it)."""
    low = unicodedata.normalize("NFC", text).casefold()
    if len(low) != len(text):  # (offsets into the text are wanted)
        return []
    found = []
    for m in _PREFIX.finditer(low):
        words = list(re.finditer(r"[\w-]+", low[m.end() : m.end() + 80]))[:LONGEST]
        for n in range(len(words), 0, -1):
            if _lookup(low[m.end() : m.end() + words[n - 1].end()], _kinds(m[1])):
                found.append((m.start(), m.end() + words[n - 1].end()))
                break
    return found


def starts_with_unit(text: str) -> bool:
    """Whether ``text`` opens with the name of a province or a district ("Lào Cai quy định …")."""
    words = re.findall(r"[\w-]+", unicodedata.normalize("NFC", text[:80]).casefold())[:LONGEST]
    return any(
        _lookup(" ".join(words[:n]), ("province", "district")) for n in range(1, len(words) + 1)
    )


@lru_cache(maxsize=1 << 14)  # asked of every document and cited issuer: a corpus repeats them
def where(place: str | None, issuer: str | None) -> Where | None:
    """The province a document is of, from its issuer ("Ủy ban nhân dân tỉnh Bắc Ninh",
    "Thành ủy Quy Nhơn", "Huyện ủy Châu Thành, tỉnh Tiền Giang") and its place ("Tuy Phước",
    "Thành phố Hồ Chí Minh"): the one province every unit they name may be of. None when they
    name none (a place that is no unit's name is left aside: "Căn cứ Luật …" read as one),
    disagree, or leave several ("Châu Thành" is ten provinces' district)."""
    found = _named_after_prefix(issuer or "")
    if place:
        m = _PREFIX.match(unicodedata.normalize("NFC", place).casefold())
        named = _lookup(place[m.end() :] if m else place, _kinds(m[1] if m else None))
        if named:
            found.append(named)
    if not found:
        return None
    common = set.intersection(*(provinces for provinces, _ in found))
    if len(common) != 1:
        return None
    province = common.pop()
    return Where(province, any(district for _, district in found))


def key(where: Where | None, citing_date: str | None, cited: str | None) -> str | None:
    """The province a local number of the date or year ``cited`` belongs to, for a document of
    ``where`` dated ``citing_date``: a province before the reorganisation by its name then
    ("Bình Định"); one made by merging, from 1 July 2025, by its name and "(2025)" ("Gia Lai
    (2025)": its Tỉnh ủy numbers anew, apart from the old Gia Lai's); a province the
    reorganisation left whole by its one name. None where it cannot be told: a merged
    province's document after the merger citing a number of before it (which of the merged
    provinces gave it?), or a number of 2025 without a date there."""
    if not where or not cited:
        return None
    g = gazetteer()
    merged_into = g["provinces"][where.province]["from_2025"]
    whole = len(g["provinces_2025"][merged_into]) == 1
    if whole:
        return where.province
    reorganised = g["reorganised"]
    if len(cited) == 4:
        if cited == reorganised[:4]:
            return None  # 2025, before or after the merger: a date would tell
        after = cited > reorganised[:4]
    else:
        after = cited >= reorganised
    if after:
        return f"{merged_into} (2025)"
    if citing_date and citing_date >= reorganised:
        return None
    if not citing_date and not where.by_district:
        return None  # a province's name without a date may be the merged one's
    return where.province
