"""Vietnamese date expressions to ISO dates, found before any tokenizer sees the text."""

from __future__ import annotations

import datetime as _dt

import regex as re

NUMERIC_DATE = r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})(?!\d)"
# "ngày" as typed in a hurry: without its accent, twice, glued to its number ("ngay 27 tháng
# 6", "ngày ngày 01/4/2025", "ngày15/8/2013")
DAY_WORD = r"ng[àa]y(?:\s+ng[àa]y)?"
# "năm" as typed in a hurry or read by OCR: "nám", "nãm", "11năm"
YEAR_WORD = r"n[aăâáàãạ]m"
# (and "tháng" and "năm" each typed for the other: "ngày 27 năm 12 năm 2019", "ngày 15 tháng 9
# tháng 2022"; "09tháng 5"; a comma before the year: "ngày 18 tháng 11, năm 2025")
WORDED = (
    rf"(?P<d2>\d{{1,2}})\s*(?:tháng|{YEAR_WORD}(?=\s*\d{{1,2}}\s*{YEAR_WORD}))\s*(?P<m2>\d{{1,2}})"
    rf"\s*,?\s*(?:{YEAR_WORD}|tháng)\s+(?P<y2>\d{{4}})(?!\d)"
)
WORDED_DATE = rf"(?:{DAY_WORD}\s*)?{WORDED}"
DATE = re.compile(rf"(?:{DAY_WORD}\s*)?(?:{NUMERIC_DATE}|{WORDED_DATE})", re.IGNORECASE)
# a date whose numbers cannot be read as one: a year of five digits ("ngày 09/6/20205"), the
# day or the month left blank to be filled in by hand ("ngày    tháng   năm 2024", "ngày ...
# tháng 3 năm 2024"): no date, but what follows it is still read as what follows a date
UNREADABLE_DATE = re.compile(
    rf"{DAY_WORD}\s*(?:\d{{1,2}}\s*[/.-]\s*\d{{1,2}}\s*[/.-]\s*\d{{5}}"
    rf"|[\s.…_]*tháng[\s.…_]*(?:\d{{1,2}}\s*)?[\s.…_]*{YEAR_WORD}\s+\d{{4}}"
    rf"|\d{{1,2}}[\s.…_]*tháng[\s.…_]*{YEAR_WORD}\s+\d{{4}})(?!\d)",
    re.IGNORECASE,
)

# The header's place and date: "Tuy Phước, ngày 28 tháng 7 năm 2023". The place as a header
# names it; the date as OCR and a hand-filled day may leave it ("ngày   tháng 3 năm 2024").
# A record's opening ("Hôm nay, ngày …") is a date without a place.
# (a sentence that states its grounds is no place: "Căn cứ Luật … ngày 18 tháng 02 năm 2025;")
NOT_A_PLACE = r"(?:Hôm\s+n[aàáả]y|Căn\s+cứ|Theo|Thực\s+hiện|Xét|Trên\s+cơ\s+sở)\b"
# A place is a name: its words capitalised but for a lone lowercase one (a unit's word, "Thành
# phố Hồ Chí Minh"; "Hà nội" as typed in a hurry); two lowercase words in a row are a sentence
# ("Nghị định này có hiệu lực thi hành từ ngày 23 tháng 3 năm 2025")
_NAME_WORD = r"\p{Lu}[\p{L}.'-]*"
_LOWER_WORD = r"\p{Ll}[\p{L}.'-]*(?![ ]+(?!ngày\b)\p{Ll})"
PLACE = rf"(?!{NOT_A_PLACE}){_NAME_WORD}(?:[ ]+(?:{_NAME_WORD}|{_LOWER_WORD}|-)){{0,7}}?"
# (a converter can drop the comma: "Hà Nội ngày 01 tháng 12 năm 2025")
PLACE_DATE = rf"(?P<place>{PLACE})\s*,?\s*(?P<date>ngày\s+.{{6,30}}?\d{{4}})"
# the same as a whole line, its date written out in full: a header line, never a sentence's wrap
PLACE_DATE_LINE = rf"^{PLACE}\s*,\s*ngày\s+\d{{1,2}}\s+tháng\s+\d{{1,2}}\s+năm\s+\d{{4}}\W*$"
# a line opening so, its date maybe wrapped to the next ("Hà Nội, ngày 24 | tháng 11 …")
PLACE_DATE_START = rf"^{PLACE}\s*,\s*ngày\b"
# the same as an entity finder reads the place of a line that opens with it
PLACE_OPENING_DATE = rf"(?m)^(?P<place>{PLACE})\s*,\s*ngày\s+\d{{1,2}}\s+tháng"


def iso_date(match: "re.Match") -> str | None:
    """ISO string for a DATE match, or None when the numbers are not a real date."""
    d = match.group("d") or match.group("d2")
    m = match.group("m") or match.group("m2")
    y = match.group("y") or match.group("y2")
    try:
        return _dt.date(int(y), int(m), int(d)).isoformat()
    except (TypeError, ValueError):
        return None


# A record (Biên bản, NĐ 30/2020 Phụ lục III) dates itself in its opening sentence instead of
# a header line: "Hôm nay, ngày 31 tháng 03 năm 2026", "Vào hồi 9 giờ 00, ngày 08/6/2026".
RECORD_OPENING = re.compile(
    r"^\s*(?:Hôm\s+n[aàáả]y|Vào\s+(?:hồi|lúc)\b[^,]{0,25})\s*,?\s*(?=(?:ngày\s+)?\d)", re.IGNORECASE
)
