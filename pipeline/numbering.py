"""The grammar of section numbering: "Phần I", "Chương II", "Điều 3", "I.", "1.", "1.1.", "a)".

Read by cleanup (a numbered line opens a block; a short one is a heading, never joined to
the line before it) and by structure (the section tree). Nesting comes from the kinds of
numbering in the order a document uses them (``rank``), not from markdown heading levels,
which converters get wrong.
"""

from __future__ import annotations

import regex as re

from .catalogue import type_pattern
from .symbols import TYPE_CODE

# a numbered line longer than this is a paragraph, not a heading (ANNOTATION.md: "at most about
# 100 characters"; the gold sets title lines of 101 to 110 in eight documents, none they leave)
HEADING_MAX = 110

# what follows "Điều 40" when the line goes on citing it ("Điều 40 Luật Lưu trữ", "Điều 5
# Thông tư số 05/2025/TT-BNV"): a reference wrapped onto a new line, not an article heading
ARTICLE_REFERENCE = rf"\s+(?:{type_pattern()}|Luật|Bộ\s+luật|Hiến\s+pháp|của|khoản|điểm)\b"

# the words of a named division, as written in a line's case or in capitals ("ĐIỀU 1.", "PHẦN I")
NAMED = r"(?:Phần|Chương|Mục|Điều|PHẦN|CHƯƠNG|MỤC|ĐIỀU)"

NUMBERING = re.compile(
    rf"^(?:(?P<named>{NAMED}\s+(?:[IVXLC]+|\d+[a-zđ]?)\b)(?:[.:]|[ \t]*[-–](?=[ \t])|(?!"
    + ARTICLE_REFERENCE
    + r"))"
    r"|(?P<roman>[IVXLC]{1,6})\s?[.)]"
    r"|(?P<part>[A-HJKM-UWYZĐ])\."
    r"|(?P<decimal>\d{1,2}(?:\.\d{1,2})+)\.?"
    r"|(?P<arabic>\d{1,3})[.)]"  # (a list of communes runs past 100)
    r"|(?P<letter>[a-zđ])(?:\s?\)|\.(?=\s+\p{L})))"  # "đ )": a converter split the bold run
    r"(?:(?:\s+|(?<=[.)])(?=\p{Lu}))(?P<rest>\S.*))?$"  # OCR can drop the space: "I.MỤC ĐÍCH"
)
KIND_RANK = {
    "Phần": 0,
    "Chương": 1,
    "Mục": 2,
    "Điều": 3,
    "part": 3.5,  # "A. ĐÁNH GIÁ …", "B. KẾ HOẠCH …": parts above the Roman headings
    "roman": 4,
    "arabic": 5,
    "decimal": 6,
    "letter": 7,
}
# numbered lines that are always headings
HEADING_KINDS = ("roman", "part", "Phần", "Chương", "Mục", "Điều")

# the numbering a line may open with, as cleanup tells a new block from a wrapped line:
# a list item, a numbered heading or paragraph, an article, "I- MỤC ĐÍCH", "1- Quán triệt"
# (not "28- NQ/TW": a symbol broken after its number)
LINE_NUMBER = (
    r"[-+•–]\s|[IVXLC]{1,6}\s?[.)]\s|\d{1,2}(?:\.\d{1,2})*[.)]\s|\d{1,2}\.\d{1,2}(?:\.\d{1,2})*\s|"
    rf"[a-zđ][.)]\s|[a-zđ]\s\)\s|{NAMED}\s+(?:\d+[a-zđ]|[\dIVXLC]+)\b(?:[.:]|(?!"
    + ARTICLE_REFERENCE
    + r"))|"
    rf"(?:[IVXLC]{{1,6}}|\d{{1,2}})[-–][ \t]+(?!{TYPE_CODE}/)\p{{Lu}}"
)
# a line that starts with a section number (a heading, when it is short)
NUMBERED_LINE = re.compile(
    rf"^(?:[IVXLC]{{1,6}}[.)]|\d{{1,3}}(?:\.\d{{1,2}})*[.)]?|[a-zđ](?:[.)]|\s\))|{NAMED}\s)\s"
)
# "I- MỤC ĐÍCH", "1- Quán triệt …": numbering with a dash, as many Party documents write it
DASH_NUMBER = re.compile(r"^(?P<label>[IVXLC]{1,6}|\d{1,2})[-–](?=[ \t]+\p{Lu})")
# what OCR makes of a Roman heading number: "IL.", "IH.", "Il.", "1I." (letters I and l, H for
# II, 1 and |), "I," with a comma; and "LMỤC ĐÍCH", "IL NỘI DUNG" where the last I and its
# dot ran together into an L (``fused``)
ROMAN_LIKE = re.compile(
    r"^(?P<label>[IVXLCHl1|]{1,6})(?:[.),](?:\s+|(?=\p{Lu}))|(?<=[Ll])(?P<fused>)\s?(?=\p{Lu}{2}))"
    r"(?P<rest>\S.*)$"
)
# what OCR puts before a section number at a line's start: dust read as "_", ".", "~", "'"
# ("_ LMỤC ĐÍCH", ".2. Nhiệm vụ", "_e) Biện pháp", not "- a)"), and a comma for a dot
# ("1,3. Đổi mới")
LABEL_NOISE = re.compile(r"^(?:(?:[-_.~'`‘’]\s?){1,2}(?=[\dIVXLCHl|])|[_~]\s?(?=[a-zđ]\)\s))")
COMMA_DECIMAL = re.compile(r"^(\d{1,2}),(\d{1,2})(?=\.\s)")
# an item number as OCR may read it: "5." as "9.", "o.", "S."; "1." as "I.", "¡.", "11." as "I1.";
# "3." as "3," (``comma``: taken only where the list's sequence calls for that number)
ARABIC_LIKE = re.compile(
    r"^(?P<label>\d{1,2}|[oOSsIl¡]|[Il|]\d|\d[Il|oO])"
    r"(?:[.)]|(?<=^[Il]),|(?<=^\d{1,2})(?P<comma>,))(?:\s+|(?=\p{Lu}))"
    r"(?P<rest>\p{Lu}.*)$"
)


def read(line: str) -> tuple[str, str, str] | None:
    """(kind, label, rest) for a numbered line, else None. Kinds: Phần, Chương, Mục, Điều,
    roman, arabic, decimal1, decimal2 … (by the number of dots), letter."""
    m = NUMBERING.match(line)
    if not m:
        return None
    for kind in ("named", "roman", "part", "decimal", "arabic", "letter"):
        label = m.group(kind)
        if label:
            label = " ".join(label.split())
            if kind == "named":  # (in capitals too: the kind's word as a line writes it)
                kind = label.split()[0].capitalize()
                label = f"{kind} {label.split()[1]}"
            elif kind == "decimal":
                kind = f"decimal{label.count('.')}"
            rest = (m.group("rest") or "").strip()
            if not rest and kind not in HEADING_KINDS:
                return None  # a bare "2." or "a)" line is not a section
            if kind == "part" and not is_upper(rest):
                return None  # "A. Nguyễn …": an initial, not a part heading
            if kind.startswith("decimal") and not line[m.end("decimal") :].startswith("."):
                if not rest[:1].isupper():
                    return None  # a measure a line opens with: "1.82 inch", "2.8 < I <= 4.0"
            return kind, label, rest
    return None


def is_upper(text: str) -> bool:
    """Two letters or more, all capitals: a letterhead line, a type line, a heading."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def rank(kind: str) -> float:
    """How high a kind of numbering stands: Phần above Chương above … above a)."""
    if kind.startswith("decimal"):
        return KIND_RANK["decimal"] + int(kind[7:]) / 10
    return KIND_RANK[kind]


def roman_value(s: str) -> int:
    vals = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for a, b in zip(s, s[1:] + " "):
        v = vals[a]
        total += -v if b != " " and vals.get(b, 0) > v else v
    return total


def to_roman(n: int) -> str:
    out = ""
    for value, digits in (
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out, n = out + digits, n - value
    return out


# an article a later law put in between two ("Điều 10a", "Điều 10b" of a consolidated text)
INSERTED = re.compile(r"(\d+)[a-zđ]")


def ordinal(label: str) -> int | None:
    """The position a label gives: "III" -> 3, "2.4" -> 4, "c" -> 3 (Vietnamese letter order),
    "Điều 10b" -> 10 (inserted after Điều 10)."""
    last = label.split()[-1].split(".")[-1]
    if last.isdigit():
        return int(last)
    if inserted := INSERTED.fullmatch(last):
        return int(inserted.group(1))
    if re.fullmatch(r"[IVXLC]+", last):
        return roman_value(last)
    if len(last) == 1 and last.isalpha():
        return "abcdđeghiklmnopqrstuvxy".find(last) + 1 or None
    return None
