"""Structure: the document header, the numbered section tree, signature and recipients.

Works on the cleaned text, one paragraph per line. Nesting comes from the kinds of
numbering (Phần > Chương > Mục > Điều > I. > 1. > 1.1. > a)) in the order a document
uses them, not from markdown heading levels, which converters get wrong.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, takewhile

import regex as re
from rapidfuzz import fuzz, process

from . import dates, numbering, parts
from .catalogue import (
    SIGNED,
    alternation,
    authority,
    authority_line,
    canonical_type,
    catalogue,
    executing_opening,
    known_body,
    sentence_opener,
    standard_title,
    type_opening,
    type_pattern,
)
from .dates import DATE, iso_date
from .models import CleanText, Metadata, Repair, Section, Signer, Structure
from .numbering import (
    ARABIC_LIKE,
    DASH_NUMBER,
    HEADING_KINDS,
    HEADING_MAX,
    ROMAN_LIKE,
    roman_value,
    to_roman,
)
from .numbering import is_upper as _is_upper
from .spelling import is_syllable
from .symbols import NUMBER_LABEL, WRITTEN, doc_type_of, issuer_of_code


@dataclass
class Line:
    text: str
    start: int
    end: int


THROUGH_DOCUMENT = ("Chương", "Điều")  # numbered through the document, not per parent


def split_lines(text: str) -> list[Line]:
    lines, pos = [], 0
    for raw in text.split("\n"):
        lines.append(Line(raw, pos, pos + len(raw)))
        pos += len(raw) + 1
    return lines


# a short lead ending in ":" that names who or what the item is about, not one that opens a list;
# what follows it may be a form's dash for "none" ("Hình thức xử phạt chính: -."), and OCR's
# dust may stand between ("Hành vi vi phạm thứ nhất: , Không lưu giữ …")
RUN_IN_LEAD = re.compile(
    r"^(\p{Lu}[^.;:!?()]{2,60}?)(?<!\bsau|\bgồm|\blà|\bđây|\bsau đây):\s*"
    r"(?:[,.;]\s*)?(?:\p{Lu}|[-–.]*$)"
)


# what a lead line ends with when it opens a list
LIST_OPENING = re.compile(r"(?:như sau|sau đây|sau|gồm|bao gồm|là|cụ thể)\s*:$")
FOOTNOTE_MARK = re.compile(r"\[\d{1,2}\]")
# "Mục tiêu 1. ", "Bước 2: ", "Hoạt động 3. ": a numbered name the heading opens with
ENUMERATOR = re.compile(r"^\p{Lu}\p{Ll}*(?:\s+\p{Ll}+)?\s+\d{1,2}\s*[.:]\s+")


@lru_cache(maxsize=1)
def _standard_lead() -> "re.Pattern":
    """A title the drafting rules name, then a sentence run into its line."""
    return re.compile(rf"(?i:({standard_title().pattern}))[.:]?\s+(?=\p{{Lu}}\p{{Ll}})")


def _title(kind: str, rest: str, parent: bool = False) -> str | None:
    """Heading text for headings; None for numbered paragraphs and run-in leads. ``parent``:
    items or bullets follow the line, so it heads them even when it is long or ends "." or
    ":" ("6. Công khai danh mục hồ sơ, tài liệu lưu trữ.", then "a) …")."""
    rest = FOOTNOTE_MARK.sub("", rest).strip()  # "… Cam Ranh[5]": a note's mark, no title
    lead = _standard_lead().match(rest) if kind in HEADING_KINDS else None
    if lead and len(lead.group(1).split()) > 2 and not _is_upper(lead.group(1)):
        return lead.group(1)  # "Điều 4. Hiệu lực thi hành Quyết định này …": its text run in
    if kind == "Điều" and (
        executing_opening().match(rest)  # "Điều 3. Các ông (bà): Chánh Văn phòng …; …"
        or (rest.endswith(".") and len(rest.split()) > 8)
        # "Điều 4. Sở Tài chính;": the first of a list (a long title can end so, as written)
        or (rest.endswith((";", ",")) and len(rest.split()) <= 30)
        or re.search(r"\.\s+\p{Lu}", rest)  # "… kể từ ngày ký. Chánh Văn phòng …"
        # "Điều 1. Công bố … trên địa bàn tỉnh, cụ thể:": the sentence that opens its list
        or (rest.endswith(":") and len(rest.split()) > 8)
    ):
        return None  # "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.": the article itself
    if kind in HEADING_KINDS:
        return rest.rstrip(" .:/") or None
    lead = RUN_IN_LEAD.match(rest)
    if lead and not re.search(r"\d$", lead.group(1)):
        # "4. Phòng Văn hóa - Thông tin huyện: Quản lý …": the assignee heads the item
        return lead.group(1).strip()
    words = rest[m.end() :] if (m := ENUMERATOR.match(rest)) else rest
    inside = words.rstrip(" .:")
    if re.search(r"[.;:!?]\s*\S", inside) or rest.endswith((";", ",")):
        return None  # sentences, not a heading
    if parent:
        # one that opens its list ("… như sau:") is a heading line of its own when short
        if len(rest) > (HEADING_MAX if LIST_OPENING.search(rest) else 2 * HEADING_MAX):
            return None
        if len(rest) > HEADING_MAX and rest.endswith("."):
            return None
    elif len(rest) > HEADING_MAX or rest.endswith("."):
        return None  # a sentence, not a heading
    return rest.rstrip(" .:") or None


@dataclass
class Body:
    """The lines a section tree is read from: ``lines[i]`` for start <= its offset < end, but
    for the indices in ``skip`` (quoted provisions, references a wrap broke); ``typed``: no
    OCR read it, so its numbers are as written."""

    lines: list[Line]
    start: int
    end: int
    skip: frozenset | set = frozenset()
    typed: bool = False

    def numbered(self):
        """(index, line) of each line of the body the repairs read."""
        for i, line in enumerate(self.lines):
            if self.start <= line.start < self.end and i not in self.skip:
                yield i, line


def repair_roman_headings(body: Body, warnings: list[str]) -> dict[int, str]:
    """Roman heading numbers misread by OCR, repaired from the sequence they belong to.

    Top-level headings run I, II, III…; a heading line ("IH. NỘI DUNG", an upper-case
    title) whose number is one edit away from the next expected numeral, and is no
    numeral at all or repeats the last one, is read as the expected one. A real
    numeral out of sequence is a gap, left as written. Returns {line index: label}.
    """
    repaired: dict[int, str] = {}
    expected = 1
    for i, line in body.numbered():
        m = ROMAN_LIKE.match(line.text)
        if not m or not _is_upper(m.group("rest")):
            continue
        label, want = m.group("label"), to_roman(expected)
        fused = m.group("fused") is not None
        # a numeral far ahead of the sequence ("L." for 50 where I is due) is a misreading
        valid = (
            not fused
            and re.fullmatch(r"[IVXLC]+", label)
            and to_roman(roman_value(label)) == label
            and roman_value(label) <= expected + 3
        )
        # OCR reads "I" as l, L, 1 or |, and two I's run together as H
        readings = {
            label.replace("H", h).translate(str.maketrans("lL1|", "IIII")) for h in ("II", "I")
        }
        if label == want and not fused:
            expected += 1
        elif fused:
            first = m.group("rest").split()[0]
            if want not in readings or not _fused_numeral(label, first):
                continue  # "LỰC LƯỢNG …", "LUẬN …": a word in capitals, not a numeral and its dot
            warnings.append(f"numbering: '{label}' read as '{want}.' (its dot ran into it)")
            repaired[i] = want
            expected += 1
        elif (label == to_roman(expected - 1) and expected > 1 and not body.typed) or (
            not valid and any(re.fullmatch(f"(?:{want}){{e<=1}}", r) for r in readings)
        ):
            # a repeat of the last numeral (a source that numbers two headings "III.") or no
            # numeral at all one edit from the expected one: the sequence decides
            warnings.append(
                f"numbering: '{label}' read as '{want}' (the sequence of headings calls for it)"
            )
            repaired[i] = want
            expected += 1
        elif valid:
            expected = roman_value(label) + 1  # a real numeral out of sequence (a gap): follow it
    return repaired


def _fused_numeral(label: str, first: str) -> bool:
    """ "LMỤC": a numeral's dot ran into the word after it when "MỤC" is a word and
    "LMỤC" none; "LUẬN" and "LỰC" are words of their own."""
    word = re.match(r"\p{L}+", first)
    return bool(word) and is_syllable(word.group()) and not is_syllable(label[-1] + word.group())


def repair_item_numbers(body: Body, warnings: list[str]) -> dict[int, str]:
    """Arabic item numbers misread by OCR, repaired where their neighbours leave one choice:
    between items 4 and 6 stands item 5, and so does a last item after 4 that reads "9."
    or "o."; a first item that reads "I." before item 2 is item 1; "3," after item 2 is item
    3. Returns {line index: label}."""
    items = []
    commas: dict[int, str] = {}
    letter = None  # the last letter item's label: "l)" after "k)" is the next letter
    for i, line in body.numbered():
        if (m := ARABIC_LIKE.match(line.text)) and not (
            m.group("label") in ("I", "l") and _is_upper(m.group("rest"))
        ):  # ("I. THÀNH PHẦN" is a Roman heading)
            if letter and _next_letter(letter, m.group("label").lower()):
                letter = m.group("label").lower()
                continue
            label = m.group("label")
            if m.group("comma") is not None:  # "3, Công tác …": item 3 only right after 2
                before = items[-1][2] if items else None
                if body.typed or before is None or int(label) != before + 1:
                    continue
                warnings.append(f"numbering: '{label},' read as '{label}.' (it follows {before})")
                commas[i] = label
            items.append((i, label, int(label) if label.isdigit() else None))
        elif (found := numbering.read(line.text)) and found[0] in HEADING_KINDS:
            items.append((i, "", None))  # a heading between them: the next list starts afresh
        elif not found and line.text.rstrip().endswith(":"):
            items.append((i, "", None))  # so does a list a lead opens ("Hồ sơ kèm theo:")
        if found := numbering.read(line.text):
            letter = found[1] if found[0] == "letter" else None
    repaired = dict(commas)
    for (_, _, before), (i, label, value), (_, _, after) in zip(
        items, items[1:], items[2:] + [(0, "", None)]
    ):
        if before is None and label and value is None and after == 2:
            # a list's first item read as a letter ("I. Căn cứ …" before "2. Căn cứ …")
            warnings.append(f"numbering: '{label}' read as '1' (item 2 follows it)")
            repaired[i] = "1"
            continue
        if before is None or not label or value == before + 1 or (body.typed and value is not None):
            continue  # (a typed number is as written: only OCR misreads one digit as another)
        between = after == before + 2  # 4, ?, 6
        # 4, 9 and then the list ends (a new list starts at 1): a gap of five items is a misreading
        last = (after is None or after == 1) and (value is None or value > before + 1)
        if between or last:
            warnings.append(f"numbering: '{label}' read as '{before + 1}' (it follows {before})")
            repaired[i] = str(before + 1)
    return repaired


# a label OCR damaged, after its dust: "--_ 21, Không …" (2.1.), "55, Ban Dân vận …" (2.5.)
DAMAGED_LABEL = re.compile(r"^[\W_]{0,4}?(?P<label>\d{1,2})[.,]\s+(?P<rest>\p{Lu}.*)$")


def repair_decimal_labels(body: Body, warnings: list[str]) -> dict[int, str]:
    """Decimal labels OCR read as a number ("2.1." as "21,", "2.5." as "55,"), repaired where
    their neighbours leave one choice: between 2.4 and 2.6 stands 2.5, and between item 2 and
    2.2 stands 2.1; the number read must end in that label's last digit. Returns {line index:
    label}."""
    if body.typed:
        return {}
    seen: list[tuple[int, str, str]] = []  # (index, kind, label) of numbered and damaged lines
    for i, line in body.numbered():
        if found := numbering.read(line.text):
            seen.append((i, found[0], found[1]))
        elif DAMAGED_LABEL.match(line.text):
            seen.append((i, "damaged", DAMAGED_LABEL.match(line.text).group("label")))
    repaired: dict[int, str] = {}
    for (_, kind0, before), (i, kind, read), (_, kind2, after) in zip(seen, seen[1:], seen[2:]):
        if kind == "decimal1" or not read.isdigit() or kind2 != "decimal1":
            continue
        parent, _, n = after.partition(".")
        want = f"{parent}.{int(n) - 1}"
        # what stands before it: the decimal before it, or its parent item before the first
        fits = (kind0 == "decimal1" and before == f"{parent}.{int(n) - 2}") or (
            kind0 == "arabic" and before == parent and n == "2"
        )
        if fits and int(n) > 1 and read[-1] == want[-1] and read != want:
            warnings.append(f"numbering: '{read}' read as '{want}' (between {before} and {after})")
            repaired[i] = want
    return repaired


def stray_numbers(body: Body, warnings: list[str]) -> set[int]:
    """Lines of an OCR'd document that open with a number that is no item: ink OCR read as
    "6)" before a wrapped line's words ("… các văn bản pháp⏎6) luật khác có liên quan."), out
    of its list's sequence (2, 6, 3) and going on in lower case. Their line is text."""
    if body.typed:
        return set()
    items = []  # (line index, value, whether its words go on in lower case) of arabic items
    for i, line in body.numbered():
        found = numbering.read(line.text)
        if found and found[0] == "arabic":
            items.append((i, int(found[1]), found[2][:1].islower()))
        elif found and found[0] in HEADING_KINDS:
            items.append((i, None, False))  # a heading: the next list starts afresh
    stray = set()
    for (_, before, _), (i, value, lower), (_, after, _) in zip(items, items[1:], items[2:]):
        if lower and before is not None and after == before + 1 and value != before + 1:
            warnings.append(f"numbering: '{value}' between {before} and {after} is no item")
            stray.add(i)
    return stray


# letters OCR takes for one another in an item's label: "c)" read as "e)"
LETTER_LOOKALIKES = {"c": "e", "e": "c"}


def repair_item_letters(body: Body, warnings: list[str]) -> dict[int, str]:
    """Letter items OCR misread as a look-alike letter, repaired where the list calls for it:
    after "b)" the item read "e)" is "c)". Returns {line index: label}. A typed document's
    letters are as written."""
    repaired: dict[int, str] = {}
    if body.typed:
        return repaired
    before = None  # the letter item before, in this list
    for i, line in body.numbered():
        found = numbering.read(line.text)
        if not found:
            continue
        kind, label, _ = found
        if kind != "letter":
            before = None  # another item or heading: a new list of letters may start
            continue
        if before and not _next_letter(before, label):
            alike = LETTER_LOOKALIKES.get(label)
            if alike and _next_letter(before, alike):
                label = alike
                warnings.append(f"numbering: '{found[1]}' read as '{label}' (it follows {before})")
                repaired[i] = label
        before = label
    return repaired


def _next_letter(before: str, label: str) -> bool:
    """``label`` follows letter item ``before`` ("k" -> "l"), with or without "đ"."""
    if not label.isalpha():
        return False
    return (numbering.ordinal(label) or 0) - (numbering.ordinal(before) or 0) == 1 or (
        before == "d" and label == "e"
    )


# what OCR reads of a stamp or a signature's ink after a heading: a quote mark, then a few
# scraps of one or two characters ("1. Nội dung thẩm định "l5; N -")
OCR_TAIL_DUST = re.compile(r"\s+[\"“”'`|_~^]+\S{0,3}(?:\s+\S{1,2})*\s*$")


def parse_sections(
    lines: list[Line], body_start: int, body_end: int, warnings: list[str], typed: bool = False
) -> list[Section]:
    """Numbered lines between body_start and body_end as a tree. The provisions an amending
    document quotes (``quoted_provisions``) are nodes under the item that quotes them,
    numbered in their own scope, and take no part in the repairs of the document's own
    numbers."""
    roots: list[Section] = []
    stack: list[tuple[str, Section]] = []  # (kind, node) from the root down
    last_ordinal: dict[str, int] = {}
    quoted = quoted_provisions(lines, body_start, body_end)
    # a provision quoted as the law in force is not the document's: none of its numbers count
    cited: dict[int, range] = {}
    for i in list(quoted):
        lead = _previous_text_line(lines, i)
        text = lines[lead].text.strip()
        # (a quotation right after a cited one goes on citing: "…"⏎"Điều 19. …")
        if _cites_in_force(text) or any(lead in block for block in cited.values()):
            cited[i] = quoted.pop(i)
    inside = {i for block in [*quoted.values(), *cited.values()] for i in block}
    # "… tại khoản 3⏎Điều 1.": a reference a hard wrap broke, not a heading
    wrapped = {
        i
        for i in range(1, len(lines))
        if (found := numbering.read(lines[i].text))
        and (
            REFERENCE_BROKEN.search(lines[i - 1].text)
            or (found[0] in DIVISIONS and NUMBERS_BROKEN.search(lines[i - 1].text))
            or (found[0] in PARTS and PARTS_BROKEN.search(lines[i - 1].text))
        )
    }
    skip = inside | wrapped
    not_own = {i for block in cited.values() for i in block}
    decimals = repair_decimal_labels(Body(lines, body_start, body_end, skip, typed), warnings)
    body = Body(lines, body_start, body_end, skip | set(decimals), typed)
    roman = repair_roman_headings(body, warnings)
    arabic = repair_item_numbers(body, warnings)
    letters = repair_item_letters(body, warnings)
    stray = stray_numbers(body, warnings)
    rank = _ranks(lines, body_start, body_end, skip)
    last_part = None
    floor, outside, block_end = 0, None, -1  # the quoting item's depth; the state to go back to
    for i, line in enumerate(lines):
        if line.start < body_start or line.start >= body_end or i in not_own:
            continue
        if i > block_end and outside:  # the quotation is over: the document's own numbers go on
            (stack, last_ordinal, last_part), outside, floor = outside, None, 0
        if i in quoted:
            outside = (stack[:], last_ordinal, last_part)
            floor, last_ordinal, block_end = len(stack), {}, quoted[i][-1]
        if i in decimals:
            found = ("decimal1", decimals[i], DAMAGED_LABEL.match(line.text).group("rest").strip())
        elif i in roman:
            found = ("roman", roman[i], ROMAN_LIKE.match(line.text).group("rest").strip())
        elif i in arabic:
            found = ("arabic", arabic[i], ARABIC_LIKE.match(line.text).group("rest").strip())
        elif i in letters:
            found = ("letter", letters[i], numbering.read(line.text)[2])
        elif i in wrapped or i in stray:
            continue
        elif i in quoted:  # its number follows the quotation mark: '"Điều 5. …'
            found = numbering.read(line.text.strip().lstrip(OPENING_QUOTES))
        else:
            found = numbering.read(line.text)
        if not found:
            continue
        kind, label, rest = found
        k = i + 1
        if (
            not rest
            and k < len(lines)
            and _is_upper(lines[k].text)
            and not numbering.read(lines[k].text)
        ):
            rest = lines[k].text  # "Chương I" with its title on the next line
            k += 1
        if kind in HEADING_KINDS and _is_upper(rest):
            # a heading in capitals, wrapped over the lines below it (as many as its length
            # allows: a report's "PHẦN THỨ HAI: KẾ HOẠCH …" runs to four; "Chương V", then
            # "TỔ CHỨC THỰC HIỆN VÀ ĐIỀU", "KHOẢN THI HÀNH"; a law's chapter runs to five)
            longest = (5 if kind in ("Chương", "Mục") else 2) * HEADING_MAX
            while (
                k < len(lines)
                and _is_upper(lines[k].text)
                and not numbering.read(lines[k].text)
                and not parts.APPENDIX_HEAD.match(lines[k].text.strip())
                and len(rest) + len(lines[k].text) <= longest
            ):
                rest = f"{rest} {lines[k].text.strip()}"
                k += 1
        if kind == "roman" and len(label) == 1 and chr(ord(label) - 1) == last_part:
            kind = "part"  # "C." after "B.": the third part, not a hundredth heading
        if kind == "part":
            last_part = label
        ordinal = numbering.ordinal(label)
        while len(stack) > floor and rank(stack[-1][0]) >= rank(kind):
            stack.pop()
        if kind == "roman" and not stack and label in ("C", "L") and not roots:
            continue  # a lone "C." opening a line is more likely a name initial than section 100
        parent_path = stack[-1][1].path if stack else ""
        siblings = stack[-1][1].children if stack else roots
        if (
            kind == "arabic"
            and any(s.label == label for s in siblings)
            and _list_opened_since(lines, i, siblings[-1].start)
        ):
            # numbers starting again after a lead that opens a list inside the last item ("Hồ
            # sơ kèm theo:", then "1.", "2."): that item's own, not its parent's a second time
            stack.append(("arabic", siblings[-1]))
            parent_path = siblings[-1].path
        # Chương and Điều run on through the whole document, across chapters and sections
        # (Luật Ban hành văn bản quy phạm pháp luật); a regulation the document attaches
        # starts its own at 1. Other numbers start again under each parent.
        through = kind in THROUGH_DOCUMENT
        scope = ("", kind) if through else (parent_path, kind)
        expected = last_ordinal.get(str(scope), 0) + 1
        # a quotation may begin anywhere in the amended document's numbers ("Điều 5. …")
        quoting_starts = outside is not None and str(scope) not in last_ordinal
        inserted = numbering.INSERTED.fullmatch(label.split()[-1]) is not None
        if inserted and ordinal == expected - 1:
            expected = ordinal  # "Điều 10a" after Điều 10: in its place
        if (
            ordinal is not None
            and ordinal != expected
            and not (kind == "letter" and label == "e" and expected == 5)  # a list without "đ"
            and not (through and ordinal == 1)
            and not quoting_starts
        ):
            warnings.append(
                f"numbering: {label} after {expected - 1 or 'nothing'} "
                f"under '{parent_path or '(root)'}'"
            )
        last_ordinal[str(scope)] = ordinal or expected
        node = Section(
            label=label,
            path=f"{parent_path}/{label}" if parent_path else label,
            title=_title(
                kind,
                rest if typed else OCR_TAIL_DUST.sub("", rest),
                parent=_opens_items(lines, i, kind, rank),
            ),
            level=len(stack) + 1,
            start=line.start,
            end=body_end,
        )
        (stack[-1][1].children if stack else roots).append(node)
        stack.append((kind, node))
    _close(roots, body_end)
    return roots


def _list_opened_since(lines: list[Line], i: int, start: int) -> bool:
    """Whether a line from offset ``start`` up to line ``i`` ends with ":", opening a list."""
    j = i - 1
    while j >= 0 and lines[j].start >= start:
        if lines[j].text.rstrip().endswith(":"):
            return True
        j -= 1
    return False


def _ranks(lines: list[Line], body_start: int, body_end: int, skip=frozenset()):
    """``numbering.rank``, except that Roman headings that come before the first Điều
    stand above the articles ("I- QUY ĐỊNH CHUNG / Điều 1. …", as a Quy định of the Ban
    Bí thư divides its articles): a document's own order decides."""
    first: dict[str, int] = {}
    for i, line in enumerate(lines):
        if i in skip:
            continue
        if body_start <= line.start < body_end and (found := numbering.read(line.text)):
            first.setdefault(found[0], i)
    above = "roman" in first and "Điều" in first and first["roman"] < first["Điều"]

    def rank(kind: str) -> float:
        if above and kind == "roman":
            return numbering.rank("Điều") - 0.5
        return numbering.rank(kind)

    return rank


# a line ending in a reference that wants its number: "tại khoản 3", "Phụ lục", "điểm c"
REFERENCE_BROKEN = re.compile(
    r"(?:\b(?:khoản|điểm|tiết)\s+(?:\d{1,3}(?:\.\d{1,3})*|[a-zđ])"
    r"|\b(?:Điều|Chương|Mục|Phần|Phụ lục|phụ lục)|\btại"
    # a list of points wrapped before its last: "tại điểm a), b), c),⏎d) khoản 1"
    r"|\b(?:điểm|khoản)\s+(?:[a-zđ]\)?|\d{1,3})(?:\s*,\s*(?:[a-zđ]\)?|\d{1,3}))*\s*(?:,|và))\s*$"
)
# a list of numbers a wrap broke before the division they are in: "có số thứ tự 2, 3, 4⏎Phần I
# ban hành kèm theo …", "tại số thứ tự 1, 2⏎Mục I" (a heading follows a sentence's end; not a
# decimal's comma, "1.815,95"); and before a part, a list going on: "theo Phần 4, Phần 5,⏎Phần
# 6 Tiêu chuẩn …" (not before an article: a preamble's last line ends in "," above Điều 1)
NUMBERS_BROKEN = re.compile(r"(?<![\d.,])\d{1,3}(?:(?:\s*,\s*\d{1,3}){2,}|\s*,\s+\d{1,3})\s*$")
PARTS = ("Phần", "Chương", "Mục")  # the divisions above the articles
DIVISIONS = (*PARTS, "Điều")
PARTS_BROKEN = re.compile(r",\s*$")
QUOTED_MAX = 400  # lines a quoted provision may run to
OPENING_QUOTES, CLOSING_QUOTES = '"“', '"”'
QUOTE_CLOSED = re.compile(r"[\"”]\s*[.;,]?(?:/\.)?$")  # `".`, `”;`, `"./.`


def quoted_provisions(lines: list[Line], body_start: int, body_end: int) -> dict[int, range]:
    """The provisions an amending document quotes, by the index of their first line: a line
    opening with a quote mark right after an instruction ending in ":" ("1. Sửa đổi, bổ sung
    Điều 5 như sau:⏎"Điều 5. …⏎a) …⏎…⏎c) ….""), up to the line where the quotation marks
    balance and close it. One a converter left unclosed ends before the next instruction:
    the one that opens the next quotation, or the quoting item's next number opening with an
    amending verb ("3. Thay thế cụm từ …"); one that runs on to the end is not taken for one."""
    opening = []
    open_from = {}  # a quotation opened at the end of the line before ("… quy định: "Điều 7. …")
    last = ""  # the last non-empty line before i
    for i, line in enumerate(lines):
        text = line.text.strip()
        within = body_start <= line.start < body_end
        if (
            within
            and text
            and text[:1] in OPENING_QUOTES
            # after its lead's ":", after the provision it cites ("- Tại khoản 3 Điều 18 Nghị
            # định số 103/2024/NĐ-CP …."), or right after another quotation
            and (last.endswith(":") or _cites_in_force(last) or QUOTE_CLOSED.search(last))
        ):
            opening.append(i)
        elif within and text and (m := QUOTE_OPENED.search(last)) and _quote_depth(m.group(1)):
            opening.append(i)
            open_from[i] = 1
        last = text or last
    leads = {  # the instructions (not a quotation's last line, another quotation after it)
        k
        for k in (_previous_text_line(lines, i) for i in opening)
        if not QUOTE_CLOSED.search(lines[k].text.strip())
    }
    blocks: dict[int, range] = {}
    taken = -1
    for i in opening:
        if i <= taken:
            continue
        lead = lines[_previous_text_line(lines, i)].text.strip()
        quoting = numbering.read(lead)
        after = (quoting[0], numbering.ordinal(quoting[1]) + 1) if quoting else None
        citing = _cites_in_force(lead)  # (another law quoted ends at the next one's lead)
        depth, end = open_from.get(i, 0), None
        for j in range(i, min(i + QUOTED_MAX, len(lines))):
            text = lines[j].text.strip()
            ends = j in leads or _next_instruction(text, after)
            next_lead = REFERENCE_LEAD.match(text) or re.search(r"\bquy\s+định\s*:$", text)
            if j > i and (ends or (citing and next_lead)):
                end = _previous_text_line(lines, j)  # unclosed: it ends before the instruction
                break
            depth = _quote_depth(text, depth)
            if depth == 0 and QUOTE_CLOSED.search(text):
                end = j
                break
        if end is not None and end >= i:
            blocks[i] = range(i, end + 1)
            taken = end
    return blocks


def _quote_depth(text: str, depth: int = 0) -> int:
    """How many quotations are open after ``text``, ``depth`` open before it."""
    for ch in text:
        if ch == '"':
            depth = 0 if depth else 1
        elif ch == "“":
            depth += 1
        elif ch == "”":
            depth = max(0, depth - 1)
    return depth


# a quotation opened after a lead's ":" on the lead's own line, its provision's first line
QUOTE_OPENED = re.compile(r":\s*([\"“][^\"“”]+)$")
# a lead that quotes a provision in force, not one that amends it: "Tại khoản 2 Điều 257 Luật
# Đất đai năm 2024 quy định:" (a letter answering by the law: the law's numbers are not its own)
CITING_LEAD = re.compile(r"\b(?:quy\s+định|nêu|hướng\s+dẫn)\s*[:.]\s*(?:[\"“].*)?$")
# a lead naming the provision in force it quotes: "- Tại khoản 3 Điều 18 Nghị định số …"
REFERENCE_LEAD = re.compile(
    r"^[-+•*\s]*(?:Tại|Theo|Căn\s+cứ)\s+(?:quy\s+định\s+tại\s+)?(?:tiết|điểm|khoản|Điều|Mục|"
    r"Chương|Phụ\s+lục)\b"
)


def _cites_in_force(lead: str) -> bool:
    """The line before a quotation quotes a provision in force, not one that amends it."""
    return bool(CITING_LEAD.search(lead) or REFERENCE_LEAD.match(lead))


# what an amending document's instructions open with (Luật Ban hành văn bản quy phạm pháp luật)
AMENDING_VERB = re.compile(r"(?:Sửa đổi|Bổ sung|Thay thế|Thay cụm từ|Bãi bỏ|Bỏ|Hủy bỏ|Đình chỉ)\b")


def _next_instruction(text: str, after: tuple | None) -> bool:
    """The line is the quoting item's next one ("3. Thay thế …" after "2. Sửa đổi …:")."""
    found = numbering.read(text) if after else None
    return bool(
        found and (found[0], numbering.ordinal(found[1])) == after and AMENDING_VERB.match(found[2])
    )


def _previous_text_line(lines: list[Line], i: int) -> int:
    """The index of the last non-empty line before line i."""
    j = i - 1
    while j > 0 and not lines[j].text.strip():
        j -= 1
    return j


def _opens_items(lines: list[Line], i: int, kind: str, rank) -> bool:
    """The next line is an item under line i: a bullet, or a number of a lower kind."""
    nxt = next((ln.text.strip() for ln in lines[i + 1 : i + 3] if ln.text.strip()), "")
    if nxt.startswith(("-", "+", "•")):
        return True
    found = numbering.read(nxt)
    return bool(found) and rank(found[0]) > rank(kind)


def _close(nodes: list[Section], end: int) -> None:
    """Each node ends where its next sibling starts (or its parent ends)."""
    for node, nxt in zip(nodes, nodes[1:] + [None]):
        node.end = nxt.start if nxt else end
        _close(node.children, node.end)


# --- header ------------------------------------------------------------------------

SYMBOL_LINE = re.compile(rf"^[\s*]*{NUMBER_LABEL}(?P<symbol>{WRITTEN})", re.IGNORECASE)
# a number line, its number read or not, a scan's few marks before it ("My Số: ¿ 2 8GĐ-BCT")
NUMBER_LABEL_LINE = re.compile(r"^\W*(?:\S{1,3}\s+)?Số\s*[:.]", re.IGNORECASE)
PLACE_DATE = re.compile(rf"{dates.PLACE_DATE}\W*")
# "Hôm nay, ngày D[, tại P], <body> tiến hành …": the body of a record with no letterhead
RECORD_ISSUER = re.compile(
    rf"{dates.RECORD_OPENING.pattern}(?:ngày\s+)?{dates.DATE.pattern}\s*,?\s*"
    r"(?:tại\s+[^,]{1,80},\s*)?"
    r"(?P<issuer>(?:Sở|Ban|Ủy ban|Uỷ ban|UBND|Phòng|Cục|Chi cục|Công an|Đoàn|Bộ|Văn phòng|"
    r"Hội đồng|Trung tâm|Thanh tra|Tổng cục)(?:\s+[\p{L}-]+){0,9}?)\s+"
    r"(?:đã\s+)?(?:tiến hành|tổ chức|phối hợp)\b",
    re.IGNORECASE,
)
# what a conclusion's bodies say before it: "… có ý kiến như sau:", "… kết luận như sau:"
CONCLUDES = re.compile(r"\s+(?:đã\s+)?(?:có ý kiến|kết luận|thống nhất)(?:\s+như sau)?\s*:")
PREAMBLE_ISSUER = re.compile(
    r"(?:^|[,;.:)]\s*)(?P<issuer>"
    # a name with a comma the catalogue knows ("Bộ Văn hóa, Thể thao và Du lịch"), or one read
    # word by word
    + alternation(n for n in catalogue()["organisations"] if "," in n)
    + r"(?![\p{L}])|(?:Ban|Ủy ban|Uỷ ban|UBND|Hội đồng|Tỉnh ủy|Huyện ủy|Thành ủy|Thị ủy|Quận ủy|"
    r"Đảng ủy|Bộ|Văn phòng|Chi bộ|Đảng đoàn|Thường trực)"
    # (not "… đã ban hành": what a body did before is another document, not this one)
    r"(?:\s+(?!(?:đã|đang|vừa|sẽ)\b)[\p{L}-]+){0,7}?)"
    r"(?:\s*\([^()]{1,20}\))?\s+"  # (its abbreviation: "(VHTTDL)")
    r"(?:(?:xây dựng|ban hành|hướng dẫn|thông báo|chỉ thị|yêu cầu|đề nghị|đề ra|triển khai)"
    r"\s+[^.;:]{0,200}?"
    rf"(?:(?i:{type_pattern()})|như sau|sau:)|(?:yêu cầu|đề nghị|chỉ đạo)\s*:)"
)


def _header_over(text: str) -> bool:
    """A line no header reaches: a numbered section, the "Nơi nhận" list's head."""
    return bool(numbering.read(text) or RECIPIENTS_HEAD.match(text.lstrip()))


def _type_line(lines: list[Line], limit: int) -> tuple[int, str, str] | None:
    """(index, type name, what follows the name) of the document-type line near the top:
    "KẾ HOẠCH", "CHƯƠNG TRÌNH HÀNH ĐỘNG", "BIÊN BẢN KIỂM TRA"."""
    for i, line in enumerate(lines[:limit]):
        text = " ".join(line.text.split()).rstrip(" .:")
        opening = type_opening(text)
        if not opening or not (_is_upper(text) or (i < 3 and not opening[1])):
            continue
        name, rest = opening
        if not rest or (len(rest.split()) >= 2 and not numbering.read(text)):
            return i, name, rest
    return None


# a place-and-date line a layout broke before its month and year
# the letterhead's date line cut before its year: "Hà Nội, ngày 18⏎tháng 11 năm 2025",
# "… ngày 19 tháng 11 năm⏎2025"
DATE_CUT = re.compile(
    rf"^{dates.PLACE}\s*,?\s*ngày(?:\s+\d{{1,2}})?(?:\s+tháng\s+\d{{1,2}})?(?:\s+năm)?\s*$"
)
ADDRESSED = re.compile(r"^\s*Kính\s+gửi\b")
THIS_TYPE = re.compile(rf"\b(?P<type>{type_pattern()})\s+này\b")


def _named_by_itself(lines: list[Line]) -> str | None:
    """The type a body calls itself most often ("căn cứ Kết luận này"), where no header names
    it."""
    counts: dict[str, int] = {}
    for line in lines:
        for m in THIS_TYPE.finditer(line.text):
            name = canonical_type(m.group("type"))
            counts[name] = counts.get(name, 0) + 1
    return max(counts, key=counts.get) if counts else None


SUBJECT_LINE = re.compile(rf"^\s*{parts.SUBJECT_LABEL}\s*(?P<subject>\S.*)$")
# the left column of a letter's letterhead flattened into one line: its number, the subject
# under it ("Số:10988/BNV-CQĐP V/v tuyên truyền …", "Số: 5387/CT-CS v/v trả lời …")
# "Về hướng dẫn đánh giá …" on the line under the number: a letter's subject as some write it
ABOUT_LINE = re.compile(r"^\s*(?P<subject>Về\s+\p{Ll}.*)$")
SUBJECT_AFTER_NUMBER = re.compile(r"^\s*Số\b.*?\s(?:V/v|v/v)\s*:?\s*(?P<subject>\S.*)$")


LEVEL_WORDS = "tỉnh|huyện|xã|thành phố|quận|phường|thị xã|thị trấn"
LEVEL_WORD = re.compile(rf"\b({LEVEL_WORDS})\s+(\p{{L}}+(?:\s+\p{{L}}+){{0,3}})$")
# what a state body's name opens with: its type
BODY_TYPE = re.compile(
    r"(?:bộ|tổng cục|cục|vụ|viện|sở|chi cục|trung tâm|học viện|ban|văn phòng|thanh tra)\s+"
)
# a ministry's department names the issuing body alone: "BỘ TÀI CHÍNH / CỤC THUẾ" -> "Cục Thuế"
MINISTRY_DEPARTMENT = re.compile(r"^(?:TỔNG CỤC|CỤC|VỤ)\b")
SUB_BODY = re.compile(
    r"^(?:BAN|VĂN PHÒNG|ỦY BAN|UỶ BAN|ĐẢNG ỦY|ĐẢNG ĐOÀN|CHI BỘ|SỞ|PHÒNG|TỈNH ỦY|HUYỆN ỦY|"
    r"THÀNH ỦY|THỊ ỦY|TRUNG TÂM|CHI CỤC)\b"
)


def readable_name(upper: str, alone: bool = True) -> str:
    """An upper-case letterhead line as the text would write it: "HUYỆN ỦY TUY PHƯỚC" ->
    "Huyện ủy Tuy Phước", "ỦY BAN NHÂN DÂN" -> "Ủy ban nhân dân"; an office before its body
    as the catalogue spells it: "CỤC TRƯỞNG CỤC HÓA CHẤT" -> "Cục trưởng Cục Hóa chất".
    Words that are no known body and no level's place are a place on a line ``alone``
    ("TUY PHƯỚC"), and after an office the rest of its name ("TRƯỞNG BAN CHỈ ĐẠO NHÀ NƯỚC VỀ
    DU LỊCH" -> "Trưởng ban Chỉ đạo nhà nước về du lịch")."""
    upper = " ".join(upper.split())
    office = _office().match(upper)
    if office and office.end() < len(upper):
        spelt = next(w for w in catalogue()["office_holders"]["words"]
                     if w.casefold() == office.group(0).casefold())  # fmt: skip
        return f"{spelt} {readable_name(upper[office.end() :], alone=False)}"
    line = upper.casefold()
    for name in _name_spellings():
        line = re.sub(rf"(?<!\w){re.escape(name.casefold())}(?!\w)", name, line)
    m = LEVEL_WORD.search(line) or re.search(r"(?<=\bủy\s)(\p{Ll}+(?:\s+\p{Ll}+){0,3})$", line)
    # the place after its level word or its committee: "huyện Tuy Phước", "Huyện ủy Tuy Phước"
    if m:
        g = m.lastindex or 0
        line = line[: m.start(g)] + m.group(g).title() + line[m.end(g) :]
    elif m := BODY_TYPE.match(line):
        # a body the catalogue does not know, written as Nghị định 30/2020/NĐ-CP (Phụ lục II)
        # writes one: its type word and the first word of each field it names in capitals
        # ("Cục Hải quan", "Bộ Văn hóa, Thể thao và Du lịch", "Cục Chuyển đổi số quốc gia")
        line = m.group(0).capitalize() + re.sub(
            r"(?:^|(?<=,\s*|\svà\s))(\p{Ll})", lambda w: w.group(1).upper(), line[m.end() :]
        )
    elif alone and not any(c.isupper() for c in line):
        line = line.title()  # a place alone
    if alone or not LEVEL_WORD.match(line):  # (an office's place: "Chủ tịch huyện Tuy Phước")
        line = line[:1].upper() + line[1:]
    # an abbreviation stays in capitals: "PHÒNG QLCN" -> "Phòng QLCN", not "Phòng Qlcn"
    words, written = line.split(" "), upper.split(" ")
    if len(words) == len(written):
        line = " ".join(w if _abbreviation(w) else r for r, w in zip(words, written))
    return line


# the shape of a Vietnamese syllable: onset, vowels, coda (an abbreviation has no such shape:
# "QLCN", "UBND", "KCN")
SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
    r"[aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ]+"
    r"(?:ch|ng|nh|[cmnptk])?",  # ("k": "Đắk Lắk")
    re.IGNORECASE,
)


def _abbreviation(word: str) -> bool:
    """A word in capitals that is no syllable, or joins such ("QLCN", "UBND", "GDNN-GDTX")."""
    runs = re.findall(r"\p{L}+", word)
    return (
        word.upper() == word
        and any(len(r) >= 2 for r in runs)
        and all(not SYLLABLE.fullmatch(r) for r in runs if len(r) >= 2)
    )


@lru_cache(maxsize=1)
def _office() -> "re.Pattern":
    """An office whose holder issues, opening a line, any case ("CỤC TRƯỞNG ", "Bộ trưởng ")."""
    return re.compile(alternation(catalogue()["office_holders"]["words"]) + r"(?=\s)", re.I)


@lru_cache(maxsize=1)
def _name_spellings() -> list[str]:
    """The catalogue's body names and their leading words ("Ban Tuyên giáo" of "Ban Tuyên
    giáo Tỉnh ủy"), longest first: how a letterhead's capitals are written in the text."""
    names = set()
    for name in catalogue()["organisations"]:
        words = name.split()
        names.update(" ".join(words[:k]) for k in range(2, len(words) + 1))
        if len(words) == 1 and name.isupper():
            names.add(name)  # an abbreviation stays one: "UBND", "HĐND"
    return sorted(names, key=len, reverse=True)


WRAPPED_CELL = re.compile(r"(?:\bVÀ|[,–-])\s*$", re.IGNORECASE)
# words that never open a body's name: a line opening with one goes on with the line above
NAME_GOES_ON = re.compile(r"(?:VÀ|VỀ|CỦA|,|–|-)(?!\w)", re.IGNORECASE)
COMMITTEE = re.compile(r"(?:ủy|uỷ)\b", re.IGNORECASE)  # "tỉnh ủy": a body, not a level and place
PLACED_COMMITTEE = re.compile(r"(?:Tỉnh|Huyện|Thành|Thị|Quận|Đảng) (?:ủy|uỷ)\s+\p{Lu}")


def _wrapped(above: str, line: str) -> bool:
    """``line`` is the rest of the name on the letterhead line above, wrapped by the cell
    ("BỘ⏎TÀI CHÍNH", "BỘ TÀI⏎CHÍNH", "BỘ NÔNG NGHIỆP VÀ⏎MÔI TRƯỜNG", "THỂ THAO⏎VÀ DU LỊCH",
    "VIỆN KIỂM SÁT⏎NHÂN DÂN TỐI CAO"), or the place of the body above ("ỦY BAN NHÂN
    DÂN⏎TỈNH LÀO CAI"); not a body of its own ("BỘ TÀI CHÍNH⏎CỤC THUẾ", "ĐẢNG BỘ TỈNH NGHỆ
    AN⏎TỈNH ỦY")."""
    words = line.split()
    if len(above.split()) == 1 or WRAPPED_CELL.search(above) or NAME_GOES_ON.match(line):
        return True
    if UNIT_NAMED_NEXT.search(above):
        return True  # "CỤC TRƯỞNG CỤC⏎HẢI QUAN": the unit's name under its kind
    if len(words) == 1 and not _abbreviation(words[0]):  # a syllable alone names nothing
        return True
    place = LEVEL_WORD.fullmatch(line.casefold())
    if place and not COMMITTEE.match(place.group(2)):
        return True
    # a name the catalogue knows, across the break
    joined = f"{above} {line}"
    return any(m.start() < len(above) < m.end() for m in known_body().finditer(joined))


def _split_motto(texts: list[str]) -> set[int]:
    """The lines of a motto or the Party's name wrapped over consecutive lines ("CỘNG HÒA
    XÃ", "HỘI CHỦ NGHĨA VIỆT NAM": a narrow cell, each line its own paragraph): never the
    issuing body's."""
    lines = [t.strip(" -–*_") for t in texts]
    joined = "\n".join(lines)
    starts = list(accumulate((len(t) + 1 for t in lines), initial=0))
    found: set[int] = set()
    for m in parts.motto().finditer(joined):
        first, last = bisect_right(starts, m.start()) - 1, bisect_right(starts, m.end() - 1) - 1
        if (
            last > first
            and starts[first] == m.start()
            and starts[last] + len(lines[last]) == m.end()
        ):
            found.update(range(first, last + 1))  # lines that hold nothing else
    return found


def header_issuer(issuing: list[str]) -> str:
    """The issuing body from the letterhead's lines: the body on the last line within the
    one above it ("HUYỆN ỦY TUY PHƯỚC / BAN TUYÊN GIÁO" -> "Ban Tuyên giáo Huyện ủy Tuy Phước"),
    or a body and its place ("ỦY BAN NHÂN DÂN / HUYỆN CHÂU THÀNH" -> "Ủy ban nhân dân huyện
    Châu Thành")."""
    # a joint letterhead: the bodies of a joint document side by side, wrapped anywhere
    # ("BỘ CÔNG AN - BỘ QUỐC PHÒNG⏎BỘ Y TẾ - …⏎BỘ TÀI CHÍNH - VIỆN KIỂM SÁT⏎NHÂN DÂN TỐI CAO")
    joined = " ".join(issuing)
    bodies = list(known_body().finditer(joined))
    if len(bodies) >= 3 and not re.sub(r"[\s,–-]", "", known_body().sub("", joined)):
        return " - ".join(readable_name(b.group(0)) for b in bodies)
    # a letterhead cell wrapped after its first word ("BỘ⏎TÀI CHÍNH", "ỦY⏎BAN NHÂN DÂN") or
    # inside a name, after "và", a comma or a dash ("BỘ NÔNG NGHIỆP VÀ⏎MÔI TRƯỜNG")
    lines: list[str] = []
    for line in issuing:
        if lines and _wrapped(lines[-1], line):
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    issuing = lines
    names = [readable_name(line) for line in issuing[-2:]]
    if len(names) == 1:
        return names[0]
    parent, last = names
    if parent.startswith("Bộ ") and MINISTRY_DEPARTMENT.match(issuing[-1].strip()):
        return last
    own_place = LEVEL_WORD.search(last)
    if (own_place and own_place.start() > 0 and not COMMITTEE.match(own_place.group(2))) or (
        PLACED_COMMITTEE.match(last)
    ):
        # the unit names its own place: "CỤC THUẾ / THUẾ TỈNH TÂY NINH", "ĐẢNG BỘ TỈNH BÌNH
        # THUẬN / HUYỆN ỦY TUY PHƯỚC"
        return last
    if re.match(r"(?:Đảng bộ|Đảng ủy)\b", parent) and re.match(
        r"(?:Tỉnh|Huyện|Thành|Thị|Quận) ủy$", last
    ):
        place = LEVEL_WORD.search(parent)
        return f"{last} {place.group(2)}" if place else last  # "ĐẢNG BỘ TỈNH NGHỆ AN / TỈNH ỦY"
    if SUB_BODY.match(issuing[-1].strip()):
        # a department of a province's committee takes the province: "ỦY BAN NHÂN DÂN TỈNH LÀO
        # CAI / SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG" -> "Sở Nông nghiệp và Môi trường tỉnh Lào Cai"
        place = LEVEL_WORD.search(parent)
        if (
            re.match(r"(?:Ủy ban nhân dân|UBND)\b", parent)
            and place
            and last.startswith(("Sở", "Phòng", "Trung tâm", "Chi cục"))
        ):
            return f"{last} {place.group(0)}"
        return f"{last} {parent}"
    return (
        f"{parent} {last[:1].lower() + last[1:]}"
        if LEVEL_WORD.match(last.casefold())
        else f"{parent} {last}"
    )


def parse_header(lines: list[Line], meta: Metadata, spans: dict | None = None) -> int:
    """Fill header metadata; return the index of the first body line. ``spans`` gets the
    (start, end) of the lines each value was read from."""
    spans = {} if spans is None else spans
    # the header ends at the first numbered section or the "Nơi nhận" at the latest: a letter
    # without its header has its body, list and signature next, and an appendix's title
    # after them is not the letter's (Nghị định 30/2020/NĐ-CP, Phụ lục I)
    limit = next(
        (i for i, ln in enumerate(lines[:25]) if _header_over(ln.text)), min(len(lines), 25)
    )
    found = _type_line(lines, limit)
    t, type_name, type_rest = found if found else (None, None, "")
    header_end = t if t is not None else 0
    mottos = [m.upper() for m in catalogue()["mottos"]]
    issuing: list[str] = []
    # a scan's reading order can put the right-hand column (motto, place and date) after the
    # type line
    after_type = []
    if t is not None:
        for line in lines[t + 1 : t + 4]:
            if PLACE_DATE.fullmatch(line.text.strip()) or line.text.strip().upper() in mottos:
                after_type.append(line)
    subject_seen = below_number = False
    header = lines[: (t if t is not None else limit)] + after_type
    split_motto = _split_motto([line.text for line in header])
    for k, line in enumerate(header):
        if k in split_motto:
            continue
        text = line.text.strip()
        if DATE_CUT.search(text) and k + 1 < len(header):
            text = f"{text} {header[k + 1].text.strip()}"  # "Hà Nội, ngày 18⏎tháng 11 năm 2025"
        if t is None and ADDRESSED.match(text):
            break  # a letter's header ends where it names its addressee
        if t is None and SUBJECT_LINE.match(text):
            subject_seen = True
            continue
        if subject_seen and _is_upper(text):
            continue  # below the subject line: not the issuing body
        for motto in mottos:  # two-column letterheads arrive interleaved on one line
            text = re.sub(re.escape(motto), " ", text, flags=re.IGNORECASE).strip(" -–*_")
        if not text:
            continue
        if not meta.symbol and (m := SYMBOL_LINE.match(text)):
            meta.symbol = re.sub(r"\s+", "", m.group("symbol")).rstrip(".,;")
            spans["symbol"] = (line.start, line.end)
            text = text[: m.start()] + text[m.end() :]
        m = PLACE_DATE.search(text)
        # the letterhead's place and date: alone on their line or after the issuing body's
        # capitals, never inside a sentence ("(Công văn số 8011-CV/BTCTW, ngày 27/02/2025)")
        if (
            not meta.date
            and not meta.place
            and m
            and (not text[: m.start()].strip() or _is_upper(text[: m.start()]))
        ):
            dm = DATE.search(m.group("date"))
            meta.place = m.group("place").strip()  # even where the day was left for the pen
            spans["place"] = (line.start, line.end)
            if dm:
                meta.date = iso_date(dm)
                spans["date"] = (line.start, line.end)
            text = text[: m.start()]
        text = text.strip(" -–*")
        # (a body's name opens with a letter: not a number in capitals, "01/2017/QĐ-TA).")
        if text[:1].isalpha() and _is_upper(text) and not below_number:
            issuing.append(text)
            spans["issuer"] = (spans.get("issuer", (line.start,))[0], line.end)
        # the letterhead's left column: the issuing body above its number line, never below
        # (a stamp's letters, a title read out of order: Nghị định 30/2020/NĐ-CP, Phụ lục I)
        below_number = below_number or bool(issuing and NUMBER_LABEL_LINE.match(line.text))
    if issuing:
        meta.issuer = header_issuer(issuing)
    if t is None:
        # no type line (a Công văn): the subject line "V/v …" is the title, the type comes from
        # the code
        meta.doc_type = doc_type_of(meta.symbol)
        for i, line in enumerate(lines[:limit]):
            if m := SUBJECT_LINE.match(line.text) or SUBJECT_AFTER_NUMBER.match(line.text):
                meta.title = m.group("subject").strip(" .")
                # "V/v …" is a letter's subject; a letter's symbol names its office, not a
                # type ("5348/CT-CS": CT is the Cục Thuế)
                meta.doc_type = "Công văn"
                return i + 1
            if (
                (m := ABOUT_LINE.match(line.text))
                and i
                and NUMBER_LABEL_LINE.match(lines[i - 1].text)
            ):
                # "Về hướng dẫn …" under the number: the subject, written without "V/v"
                meta.title = m.group("subject").strip(" .")
                meta.doc_type = meta.doc_type or "Công văn"
                return i + 1
        if any(ADDRESSED.match(line.text) for line in lines[:limit]):
            meta.doc_type = "Công văn"  # a letter with no type line
        elif not (meta.symbol or meta.date or issuing):
            meta.doc_type = _named_by_itself(lines)  # no header at all: a body republished
        return 0
    meta.doc_type = type_name
    spans["doc_type"] = (lines[t].start, lines[t].end)
    # title (trích yếu): the lines after the type line that start lowercase or with "V/v",
    # after what runs on from the type name ("BIÊN BẢN KIỂM TRA")
    title_lines = [type_rest.capitalize()] if type_rest else []
    i = t + 1
    while i < len(lines) and i <= t + 4 + len(after_type) + len(title_lines):
        text = lines[i].text.strip()
        if not text or lines[i] in after_type:
            i += 1
            continue
        first = len(title_lines) == bool(type_rest)
        if (
            text[:1].islower()
            or (not first and _title_runs_on(" ".join(title_lines), text))
            or text.startswith(("V/v", "Về "))
            or (
                first
                and (not sentence_opener("grounds", "preamble").match(text) or _named_task(text))
                and not dates.RECORD_OPENING.match(text)
                and not numbering.read(text)
                and len(text) <= 300
                and not text.endswith(":")
            )
        ):
            title_lines.append(text)  # the trích yếu; a state document may capitalise it
            i += 1
            continue
        break
    if title_lines:
        meta.title = _once(_joined(title_lines).strip(" ."))
        spans["title"] = (lines[t].start, lines[i - 1].end)
        if found := _issuing_authority(lines, i):
            authority, spans["issuer"] = found
            # "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH": the letterhead says which province
            if placeless := _place_left_out(authority, meta.issuer):
                level, place = placeless
                authority = f"{authority[: level.start()]}{meta.issuer[place.start() :]}"
            meta.issuer = authority
    elif found := _promulgated_title(lines[i : i + PREAMBLE_LINES], type_name):
        meta.title, line = found
        spans["title"] = (line.start, line.end)
    if not meta.date and (found := _record_date(lines[i : i + 6])):
        meta.date, line = found
        spans["date"] = (line.start, line.end)
    return max(header_end, i)


PREAMBLE_LINES = 30  # the grounds a legal document lists before its first article, at most


def _joined(lines: list[str]) -> str:
    """Lines read as one text: a space between two, none within a word broken at its hyphen."""
    text = lines[0] if lines else ""
    for line in lines[1:]:
        text += ("" if parts.word_broken(text, line) else " ") + line
    return text


def _promulgated_title(lines: list[Line], type_name: str) -> tuple[str, Line] | None:
    """Where a copy lost the trích yếu under the type line, the one its preamble repeats:
    "Bộ trưởng Bộ Xây dựng ban hành Thông tư sửa đổi, bổ sung …" (Nghị định 30/2020/NĐ-CP,
    Phụ lục I: the grounds end "<authority> ban hành <type> <trích yếu>."); up to the first
    numbered line."""
    said = re.compile(rf"\bban hành\s+{re.escape(type_name)}\s+(?P<title>.+)", re.IGNORECASE)
    for line in lines:
        text = line.text.strip(" *_")
        if numbering.read(text):
            return None
        m = said.search(text)
        title = m.group("title").strip(" .;") if m else ""
        # (not "… ban hành Kế hoạch thực hiện như sau:", which leads into the text)
        if len(title.split()) >= 3 and not title.casefold().startswith("này"):
            if title.endswith(":") or "như sau" in title:
                return None
            return title[:1].upper() + title[1:], line
    return None


def _issuing_authority(lines: list[Line], i: int) -> tuple[str, tuple[int, int]] | None:
    """The authority line under the title, in capitals (Nghị định 30/2020/NĐ-CP, Phụ lục I:
    "thẩm quyền ban hành"): the body or the office that issues the document ("CHỦ TỊCH ỦY
    BAN NHÂN DÂN TỈNH PHÚ THỌ", "CỤC TRƯỞNG CỤC HÓA CHẤT", "THỦ TƯỚNG CHÍNH PHỦ"), wrapped
    as a letterhead wraps; with its span."""
    while i < len(lines) and not lines[i].text.strip():
        i += 1
    if i >= len(lines):
        return None
    text = lines[i].text.strip(" *")
    if not _authority_line(text):
        return None
    end = i
    while end + 1 < len(lines) and _is_upper(more := lines[end + 1].text.strip(" *")):
        if not _wrapped(text, more):
            break
        text, end = f"{text} {more}", end + 1
    return readable_name(text), (lines[i].start, lines[end].end)


TITLE_MAX = 600  # characters: the longest trích yếu runs to five or six lines
# words a title line cannot end with: the next line goes on with it ("… CỦA⏎HỘI ĐỒNG NHÂN DÂN …")
OPEN_ENDING = re.compile(
    r"(?:[,\-–]|\b(?:CỦA|CHO|VÀ|VỚI|VỀ|TẠI|TRÊN|THUỘC|ĐỐI|TỪ|ĐẾN|TRONG|BỞI|THEO|VIỆC))$"
)
LOWER_LETTER = re.compile(r"\p{Ll}")
# "… NGHỊ QUYẾT SỐ⏎16/2023/NQ-HĐND …", "… NĂM⏎2025", "… GIAI ĐOẠN 2026 -⏎2030"
NUMBER_WANTED = re.compile(r"(?:\b(?:SỐ|NGÀY|NĂM|ĐOẠN|KỲ)|[-–])$")


@lru_cache(maxsize=1)
def _authority_opening() -> "re.Pattern":
    """What the line under a state document's title opens with: the authority that issues it
    ("CHÍNH PHỦ", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …", "HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ …",
    Nghị định 30/2020/NĐ-CP, Phụ lục I: "thẩm quyền ban hành") — a body or an office."""
    cat = catalogue()
    names = cat["organisations"] + cat["office_holders"]["words"] + cat["signer_titles"]
    return re.compile(
        r"(?:PHÓ\s+)?" + alternation({n.upper() for n in names}) + r"(?!\w)", re.IGNORECASE
    )


AUTHORITY_REST_WORDS = 3  # words of a deputy's authority a line break may leave below it
AUTHORITY_WORDS = 14  # an authority's line names a body, or an office and its body: no more


def _authority_line(text: str) -> bool:
    """A line in capitals that is an authority's name: a body or an office opening it, short,
    no clause of a title ("QUỐC HỘI TẠI TỔ VÀ HỘI TRƯỜNG; Ý KIẾN …" goes on with a title)."""
    return bool(
        _is_upper(text)
        and _authority_opening().match(text)
        and len(text.split()) <= AUTHORITY_WORDS
        and ";" not in text
        and not numbering.read(text)
    )


# what a preamble goes on to after the document it carries out: who acts, and how (not a
# subject's words: "… về xây dựng Đảng", "… tăng cường sự lãnh đạo, chỉ đạo")
PREAMBLE_GOES_ON = re.compile(r"\b(?:ban hành|như sau|xây dựng (?:kế hoạch|chương trình))\b")


def _named_task(line: str) -> bool:
    """A line under the type line that opens as a preamble does ("Thực hiện Nghị quyết số
    57-NQ/TW …", "Triển khai Nghị quyết …") and is the title: a state plan's trích yếu in
    sentence case names what it carries out and stops there, where a preamble goes on to
    who acts and ends with a mark ("…, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:")."""
    return (
        not sentence_opener("grounds").match(line)
        and len(line) <= 250
        and (line[-1:].isalnum() or line[-1:] in ')"”')
        and not PREAMBLE_GOES_ON.search(line)
    )


def _title_runs_on(title: str, line: str) -> bool:
    """An upper-case trích yếu goes on over the next upper-case line, which converters and
    page layout break it into ("QUY⏎ĐỊNH CHI THU NHẬP …⏎CƠ QUAN NHÀ NƯỚC …"), up to the
    authority's line, a numbered heading or a sentence; a line ending in "CỦA", "VÀ" or ","
    always goes on."""
    # (a first word of one letter is in capitals too: "Ý⏎KIẾN CHỈ ĐẠO …"; a number alone
    # the title asks for: "… NĂM⏎2025")
    wanted = NUMBER_WANTED.search(title) and line[:1].isdigit()
    if not (
        (_is_upper(title) or title.isupper())
        and (_is_upper(line) or (wanted and not LOWER_LETTER.search(line)))
    ):
        return False
    if len(title) + len(line) > TITLE_MAX:
        return False
    if numbering.read(line) or sentence_opener("grounds", "preamble").match(line):
        return False
    return (
        len(title.split()) == 1  # the first word alone on its line
        or bool(OPEN_ENDING.search(title))
        or bool(wanted)
        or not _authority_line(line)
    )


TITLE_REPEAT_MIN = 4  # words of a title printed again that make it a repeat


def _once(title: str) -> str:
    """A title the page prints twice, the second time below the first (a web page's heading,
    then the text's, both read as the trích yếu: "Về việc A Về việc A"), read once; the second
    printing may be cut short. Spaces before punctuation and case aside."""
    words = title.split()

    def compared(ws: list[str]) -> str:
        return re.sub(r"\s+(?=[,.;:])", "", " ".join(ws)).casefold()

    for k in range((len(words) + 1) // 2, len(words) - TITLE_REPEAT_MIN + 1):
        if compared(words[:k]).startswith(compared(words[k:])):
            return " ".join(words[:k])
    return title


def _record_date(lines: list[Line]) -> tuple[str, Line] | None:
    """The date a record (Biên bản) gives in its opening sentence, where the header has none,
    and its line."""
    for line in lines:
        if m := dates.RECORD_OPENING.match(line.text):
            if (dm := DATE.match(line.text, m.end())) and (date := iso_date(dm)):
                return date, line
    return None


# the adoption clause of a body that votes its documents (Quốc hội and its Standing
# Committee, a People's Council), closing the body: "Nghị quyết này được Ủy ban Thường vụ
# Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XV thông qua ngày 16 tháng 6 năm 2025."
# (a converter may glue "khóa XVthông qua")
ADOPTED = re.compile(
    rf"(?P<type>{type_pattern()})\s+này\s+(?:đã\s+)?được\s+(?P<body>[^.;:]{{3,160}}?)\s*"
    rf"thông\s+qua\s+(?:vào\s+)?(?P<date>ngày\s+{dates.WORDED})",
    re.IGNORECASE,
)
# what follows the body's name in the clause: its country, term and sitting
ADOPTED_BODY_END = re.compile(r"\s*(?:,|\bnước\s+Cộng\s+hòa\b|\b[Kk]hóa\b|\b[Kk]ỳ\s+họp\b)")


def _adoption(lines: list[Line], meta: Metadata, spans: dict) -> None:
    """The date and the body of a voted document whose header gives none (a resolution of
    the Ủy ban Thường vụ Quốc hội printed without its letterhead), from its adoption clause:
    the last one naming the document's own type. Where a header gives both, the crawl's 30
    People's Council resolutions agree with their clauses, every one."""
    found = None
    for line in lines:
        for m in ADOPTED.finditer(line.text):
            if canonical_type(m.group("type")) == meta.doc_type:
                if date := iso_date(DATE.match(m.group("date"))):
                    found = m, line, date
    if not found:
        return
    m, line, date = found
    if not meta.date:
        meta.date = date
        spans["date"] = (line.start + m.start("date"), line.start + m.end("date"))
    raw = m.group("body")
    cut = ADOPTED_BODY_END.search(raw)
    body = " ".join(raw[: cut.start() if cut else len(raw)].split())
    if not meta.issuer and body:
        meta.issuer = body
        start = line.start + m.start("body")
        spans["issuer"] = (start, start + (cut.start() if cut else len(raw)))


def _place_left_out(name: str, letterhead: str | None):
    """``name`` ends in a level word whose place it leaves out, and the letterhead names that
    level's place ("… nhân dân tỉnh" and "Ủy ban nhân dân tỉnh Cà Mau"): (the level word in
    ``name``, the level and place in the letterhead, read in lower case); else None."""
    level = re.search(rf"\b({LEVEL_WORDS})$", name, re.IGNORECASE)
    place = LEVEL_WORD.search(letterhead.casefold()) if letterhead and level else None
    if not place or place.group(1) != level.group(1).casefold():
        return None
    return level, place


def _letterhead_completes(letterhead: str | None, named: str) -> bool:
    """The preamble's name is the letterhead's body without its place: "Ủy ban nhân dân", or a
    level word the letterhead goes on after ("UBND tỉnh", "Ủy ban nhân dân Tỉnh" of "Ủy ban
    nhân dân tỉnh Đồng Nai"; a typo "Ủy ban nhân tỉnh" too: the place decides)."""
    if not letterhead:
        return False
    if re.fullmatch(r"(?:Ủy ban nhân dân|Hội đồng nhân dân|UBND|HĐND)", named):
        # "Ủy ban nhân dân ban hành …": every province's has that name
        return letterhead.casefold().startswith(EXPANDED.get(named, named).casefold())
    if not (placeless := _place_left_out(named, letterhead)):
        return False
    level, place = placeless
    # the same body before the level word, written out or not, or with a letter dropped
    body = named[: level.start()].strip()
    body = EXPANDED.get(body, body).casefold()
    return fuzz.ratio(body, letterhead.casefold()[: place.start()].strip()) >= SAME_BODY


SAME_BODY = 80  # rapidfuzz ratio of two spellings of one body's name ("Ủy ban nhân tỉnh")


EXPANDED = {"UBND": "Ủy ban nhân dân", "HĐND": "Hội đồng nhân dân"}


WORKS_WITH = re.compile(r"\bphối\s+hợp(?:\s+với)?\s[^.;:]*$", re.IGNORECASE)


def preamble_issuer(text: str) -> str | None:
    """ "Ban Thường vụ Huyện ủy ban hành Kế hoạch …" names the issuer in the preamble, with
    the bodies listed before it ("Bộ Chính trị, Ban Bí thư yêu cầu …")."""
    # not the words it quotes ("đã giao “Bộ … chủ trì, phối hợp …, Văn phòng Trung ương Đảng
    # ban hành …”"), nor a body another one works with ("phối hợp Bộ Nội vụ ban hành …")
    m = next(
        (
            m
            for m in PREAMBLE_ISSUER.finditer(text)
            if not _quote_depth(text[: m.start("issuer")])
            and not WORKS_WITH.search(text[: m.start("issuer")])
        ),
        None,
    )
    if not m:
        return None
    # (a list at the clause's start, not the bodies another one works with: "phối hợp Bộ
    # Nội vụ, Văn phòng Chính phủ ban hành …")
    listed = [
        b
        for b in known_body().finditer(text)
        if b.end() == m.end("issuer") and re.search(r"(?:^|[,;.:)])\s*$", text[: b.start()])
    ]
    start = min([m.start("issuer"), *(b.start() for b in listed)])
    return " ".join(text[start : m.end("issuer")].split())


def concluding_issuer(text: str) -> str | None:
    """The bodies that conclude, where no letterhead names them: "…, Bộ Chính trị, Ban Bí
    thư có ý kiến như sau:" (a Kết luận republished without its header)."""
    for m in known_body().finditer(text):
        if CONCLUDES.match(text, m.end()):
            return " ".join(m.group(0).split())
    return None


def record_issuer(text: str) -> str | None:
    """A record's body where no letterhead names it: "Hôm nay, ngày 31 tháng 03 năm 2026 Sở
    Công Thương tỉnh Lào Cai tiến hành kiểm tra …" (a Biên bản opens with who holds it)."""
    m = RECORD_ISSUER.match(text)
    return " ".join(m.group("issuer").split()) if m else None


# --- signature and recipients ----------------------------------------------------------

RECIPIENTS_HEAD = parts.RECIPIENTS_HEAD
NAME = re.compile(r"(?:^|[^\p{L}]\s*)(?P<name>(?:\p{Lu}\p{Ll}+\s+){1,5}\p{Lu}\p{Ll}+)$")


# words of titles and bodies, never of a person's name
TITLE_WORDS = frozenset(
    "BAN THƯỜNG VỤ BÍ THƯ TRƯỞNG PHÓ CHỦ TỊCH ỦY UỶ HUYỆN TỈNH ĐẢNG BỘ NHÂN DÂN "
    "GIÁM ĐỐC PHÒNG TRỰC HỘI KT TM".split()
)


def _upper_name(line: str) -> bool:
    words = line.split()
    return (
        2 <= len(words) <= 5
        and _is_upper(line)
        and not any(w.strip(".,") in TITLE_WORDS for w in words)
        and all(w.isalpha() for w in words)
    )


# "(để báo cáo)", "} để b/c", "(để biết)": what the items above are sent for
RECIPIENT_NOTE = re.compile(
    r"^[}\s]*\(?\s*(?:để\s+)?(?:báo\s*cáo|b/c|biết|thực\s+hiện|t/h|phối\s+hợp|chỉ\s+đạo|theo\s+dõi)\s*\)?\s*[,;.]?$",
    re.IGNORECASE,
)


ARCHIVE_ITEM = re.compile(r"(?:Lưu|Như trên)\b", re.IGNORECASE)
# the file copy a "Nơi nhận" list ends with ("- Lưu: VT, TCCV", "- Lưu VPHU"; not "- Lưu ý")
ARCHIVE_LAST = re.compile(r"(?:^|[;,.]\s*)-\s*Lưu\s*(?::|\p{Lu})")
INLINE_ITEM = re.compile(r"(?<=[;,.])\s+(?=-\s*\p{Lu})")  # "- Chính phủ; - Ban Tổ chức Trung ương"
INLINE_NOTE = re.compile(
    r"[\s,;]*(\(\s*(?:để\s[^()]{1,30}|b/c|b/cáo|báo\s+cáo|biết|t/h|t/hiện|thực\s+hiện)\s*\))"
    r"[\s,;.]*$",
    re.IGNORECASE,
)


def _appendix_start(lines: list[Line], start: int) -> int:
    """The index of the first Phụ lục heading from ``start`` on (the document's end if none):
    what comes after it is attached, not the document's closing block."""
    return next(
        (i for i in range(start, len(lines)) if parts.APPENDIX_HEAD.match(lines[i].text)),
        len(lines),
    )


def _headless_recipients(lines: list[Line], start: int) -> int | None:
    """Where a "Nơi nhận" list whose head a page dropped begins (a web page that printed
    the label in a table cell of its own): the last line of the document (its Phụ lục
    aside) that holds the file copy every such list ends with ("- Lưu: VT, …", Nghị định
    30/2020/NĐ-CP), and the items ending in ";" or "," right above it."""
    for i in range(_appendix_start(lines, start) - 1, start - 1, -1):
        text = lines[i].text.strip()
        if text.startswith("-") and ARCHIVE_LAST.search(text):
            while i > start and re.match(r"-.*[;,]$", lines[i - 1].text.strip()):
                i -= 1
            return i
    return None


def _recipients(lines: list[str]) -> list[str]:
    """The "Nơi nhận" items. A wrapped item is one item. A note such as "(để báo cáo)" that
    a brace sets beside several items is attached to each item it covers: the items marked
    with "}" (converters keep the brace as a character), or else the items above it back to
    the previous note; a note written inside an item stays with that item."""
    items: list[list] = []  # [text, braced, note]
    split_note = ""  # "} (để" … "} báo cáo)": a note the brace spreads over two lines

    def attach(note: str, braced_only: bool) -> None:
        note = " ".join(note.replace("}", " ").split()).rstrip(",;.")
        if not note:
            return
        if not (note.startswith("(") and note.endswith(")")):
            note = "(" + note.strip("()") + ")"
        group = []
        for item in reversed(items):
            if item[2] is not None or (braced_only and not item[1]):
                break
            if not ARCHIVE_ITEM.match(item[0]):
                group.append(item)  # the office's own file copy ("Lưu VP") is sent for nothing
        for item in group or items[-1:]:
            item[2] = note

    # an item's dash as OCR may read it: "~ Các đồng chí …", "_ Lưu VP"; items a page ran
    # into one line, each on its own
    lines = [item for line in lines for item in INLINE_ITEM.split(re.sub(r"^[~_—]\s", "- ", line))]
    # a list whose items each write their note after the ";" ("- Văn phòng Chính phủ; (B/c)")
    # gives every such note to its own item, not to the items above as a brace's
    own_notes = sum(bool(re.search(r"[,;]\s*\([^()]+\)[\s,;.]*$", ln)) for ln in lines) > 1
    for k, line in enumerate(lines):
        signature_side = authority_line().match(line) or _signer_title().match(line)
        if signature_side and any(ln.startswith(("-", "+")) for ln in lines[k + 1 : k + 3]):
            continue  # the signature column a side-by-side layout interleaves with the list
        if items and parts.PERSON.match(line) and not line.endswith((",", ";")):
            if lines[k + 1 : k + 2] and lines[k + 1].startswith(("-", "+")):
                continue  # a signer's name the interleaved signature column puts between items
            break  # the signer's name below the list
        if (
            not line
            or authority_line().match(line)
            or SIGNED_LINE.match(line)  # a copy's "(Đã ký)" where the signature stands
            or not re.search(r"[\p{L}+-]", line)  # "* *": an ornament (a lone "-" is an item's)
            or parts.APPENDIX_HEAD.match(line)
            # a title in capitals ends the list; a wrapped item of abbreviations does not
            or (
                _is_upper(line)
                and not line.startswith(("-", "+"))
                and not line.endswith((",", ";"))
            )
        ):
            break
        if RECIPIENT_NOTE.match(line) and items:
            attach(line, braced_only=any(i[1] and i[2] is None for i in items))
        elif (
            line.startswith("+")
            and items
            and k
            and not lines[k - 1].rstrip().endswith((",", ";", ".", ":"))
        ):
            items[-1][0] = f"{items[-1][0]} {line}"  # "Đảng⏎+ Vụ II": "and", an item goes on
        elif line.startswith(("-", "+", "•")):
            # an item can hold others run in: "…tỉnh, - Các huyện…"
            for part in re.split(r"(?<=[,;])\s+[-+]\s+(?=\p{Lu})", line.lstrip("-+• ").strip()):
                text, brace, after = part.partition("}")
                text = text.strip()
                inline = INLINE_NOTE.search(text)
                # "X (để b/c)," is X's own note; "X, (để báo cáo)" a note line the flow ran on,
                # which covers the items above it too
                own = inline is not None and (
                    own_notes or not re.match(r"\s*[,;]", text[inline.start() :])
                )
                items.append(
                    [
                        text[: inline.start()] if inline else text,
                        bool(brace),
                        inline.group(1) if own else None,
                    ]
                )
                if inline and not own:
                    attach(inline.group(1), braced_only=False)
                if brace and after.strip(" ,;."):
                    split_note = f"{split_note} {after}".strip()
                    if split_note.count("(") <= split_note.count(")"):
                        attach(split_note, braced_only=True)
                        split_note = ""
        elif line.startswith("}") and items:
            attach(line, braced_only=True)
        elif items:
            items[-1][0] = f"{items[-1][0]} {line}"
    out = []
    for text, _, note in items:
        text = text.strip(" ,;.")  # ("-⏎Văn phòng Chính phủ": the item after a lone dash)
        if text:
            out.append(f"{text} {note}" if note else text)
    return out


@lru_cache(maxsize=1)
def _signer_title() -> "re.Pattern":
    return re.compile(
        r"^(?:PHÓ\s+)?" + alternation(catalogue()["signer_titles"]) + r"(?:\s+\p{Lu}+)*$"
    )


@lru_cache(maxsize=1)
def _title_forms() -> list[str]:
    """Every signer's title the catalogue knows, and its deputy's ("PHÓ BÍ THƯ")."""
    titles = catalogue()["signer_titles"]
    return [*titles, *(f"PHÓ {t}" for t in titles)]


MISREAD_TITLE = 90  # rapidfuzz ratio of a line in capitals to a known title that is it, misread


def _misread_title(line: str) -> str | None:
    """The known title a line in capitals is, where OCR misread a letter of it ("ĐHÓ BÍ THƯ"
    for "PHÓ BÍ THƯ": a title is one of few): as long, and as alike as ``MISREAD_TITLE``;
    None when none is (a line with more, "Q. TỔNG CỤC TRƯỞNG", is no misreading)."""
    if not _is_upper(line):
        return None
    forms = [t for t in _title_forms() if len(t) == len(line)]
    found = process.extractOne(line, forms, scorer=fuzz.ratio, score_cutoff=MISREAD_TITLE)
    return found[0] if found else None


def _stacked_authority(line: str) -> bool:
    """A second authority line under the first ("KT. CHỦ TỊCH" under "TM. ỦY BAN NHÂN DÂN");
    "Q. TỔNG CỤC TRƯỞNG" is an acting head's title, not an authority."""
    return bool(authority_line().match(line)) and not line.startswith("Q.")


SIGNED_LINE = re.compile(rf"^\s*{SIGNED}")
CLOSING_SPAN = 40  # lines between a Nơi nhận head and its signature at most (a long list)
SIGNATURE_LINES = 15  # authority, title, the name; between them a scan can read a stamp as lines


def _dusted(line: str) -> str:
    """A line of the closing block without the dust OCR reads before it ("_ CỤC TRƯỞNG")."""
    return re.sub(r"^[^\p{L}\d(]+", "", line.strip())


def parse_tail(
    lines: list[Line], start_index: int, meta: Metadata, spans: dict | None = None
) -> int:
    """Signature block and "Nơi nhận"; return the offset where the closing block begins.
    ``spans`` gets the (start, end) of the signer's name line."""
    spans = {} if spans is None else spans
    n = len(lines)
    tail_start = lines[-1].end if lines else 0
    # the closing block is the first one after the body: a Phụ lục's forms and an attached
    # instrument can hold "Nơi nhận" and signatures of their own
    heads = [i for i in range(start_index, n) if RECIPIENTS_HEAD.match(lines[i].text)]
    if not heads and (headless := _headless_recipients(lines, start_index)) is not None:
        heads = [headless]
    auths = [i for i in range(start_index, n) if authority_line().match(lines[i].text.strip())]
    auth = next((a for a in auths if any(abs(a - h) <= CLOSING_SPAN for h in heads)), None)
    if auth is None and auths and heads:
        # none beside a Nơi nhận: the first before the first Nơi nhận or the Phụ lục, not one
        # of a form the Phụ lục holds (a head who signs in their own name, "GIÁM ĐỐC", has no
        # authority line; a form's "Nơi nhận" can be the only one a page kept)
        end = max(heads[0], _appendix_start(lines, start_index))
        auth = next((a for a in auths if a < end), None)
    elif auth is None and auths:
        auth = auths[0]
    if auth is not None:
        near = [h for h in heads if abs(auth - h) <= CLOSING_SPAN]
        head = min(near, key=lambda h: abs(auth - h)) if near else None
    else:
        head = heads[0] if heads else None
    if head is not None:
        tail_start = lines[head].start
        first = RECIPIENTS_HEAD.sub("", lines[head].text).strip()
        pending = [first] if first.startswith(("-", "+")) else []
        meta.recipients = _recipients(pending + [ln.text.strip() for ln in lines[head + 1 :]])
    # signature: authority line, title line(s), then the name
    signs = auth
    if auth is None:
        # a head who signs in their own name has no "T/M" line: "CHỦ TỊCH", then the name,
        # beside the Nơi nhận or among the last lines
        near = range(head, min(n, head + CLOSING_SPAN)) if head is not None else []
        # the last lines of the document itself, before a Phụ lục of tables
        end = _appendix_start(lines, start_index)
        last = range(end - 1, max(start_index, end - 12) - 1, -1)
        signs = next(
            (i for i in [*near, *last] if _signer_title().match(_dusted(lines[i].text))), None
        )
        if signs is None:  # a copy's "(Đã ký)" where it signs, before the name
            signs = next((i for i in [*near, *last] if SIGNED_LINE.match(lines[i].text)), None)
    if signs is not None:
        tail_start = min(tail_start, lines[signs].start)
        # the signature block: a few short lines (authority, title, a scribble, the name);
        # what follows it (a Phụ lục, an attached instrument, footnotes) signs nothing
        # (the Nơi nhận items a two-column layout interleaves with it are not its lines)
        block = [
            t
            for ln in lines[signs:]
            if (t := ln.text.strip()) and not t.startswith(("-", "+", "}", "Nơi nhận"))
        ][:SIGNATURE_LINES]
        block = [part for b in block for part in _glued_title(_dusted(b))]
        if auth is not None and block:
            block[0] = _first_column(block[0])
        # once the name is seen, a line in capitals opens another block: another party's
        # authority or title (a Biên bản's, a Hướng dẫn liên ngành's), an approval box
        named = False

        def goes_on(b: str) -> bool:
            nonlocal named
            if named and (authority_line().match(b) or (_is_upper(b) and not _upper_name(b))):
                return False
            # (a name in capitals is not told from a unit's name: "THUẾ QUỐC TẾ" under "BAN
            # CHÍNH SÁCH,"; only a written name counts)
            named = named or bool(NAME.search(b))
            return (
                len(b) <= 80
                and not RECIPIENTS_HEAD.match(b)
                and not parts.APPENDIX_HEAD.match(b)
                and not re.match(r"\[\w{1,4}\]", b)  # a footnote after it
            )

        block = block[:1] + list(takewhile(goes_on, block[1:]))
        if auth is not None:
            # "TM. ỦY BAN NHÂN DÂN⏎KT. CHỦ TỊCH⏎PHÓ CHỦ TỊCH": authorities stack, the title after
            stacked = 1
            while True:
                if _authority_goes_on(block[stacked - 1], block[stacked : stacked + 2]):
                    # "KT. BỘ TRƯỞNG⏎BỘ QUỐC PHÒNG⏎THỨ TRƯỞNG": a joint document's party names
                    # its body under the authority (Nghị định 30/2020); "KT. TRƯỞNG BAN BAN
                    # CHÍNH SÁCH,⏎THUẾ QUỐC TẾ⏎PHÓ TRƯỞNG BAN", "TM. ỦY BAN⏎NHÂN DÂN": it wraps
                    block[stacked - 1] += " " + block.pop(stacked)
                if stacked < len(block) and _stacked_authority(block[stacked]):
                    stacked += 1
                    continue
                break
            meta.signer.authority = _own_authority(block[stacked - 1])
            block = block[stacked - 1 :]
        else:
            block = [""] + block  # no authority line: the title comes first
        rest = [b for b in block[1:] if not b.startswith(("-", "+", "}", "Nơi nhận"))]
        if not any(_signer_title().match(b) for b in rest):  # (OCR: "ĐHÓ BÍ THƯ")
            rest = [_misread_title(b) or b for b in rest]
        # (an office's words in capitals are no name: "NGƯỜI LẬP PHIẾU TRÌNH")
        titles = [
            b for b in rest if _is_upper(b) and (not _upper_name(b) or _signer_title().match(b))
        ]
        # an authority wrapped onto a second line ("KT. TRƯỞNG BAN BAN CHÍNH SÁCH,⏎THUẾ QUỐC
        # TẾ⏎PHÓ TRƯỞNG BAN") is not the title: an office's title is
        titles = [t for t in titles if _signer_title().match(t)] or titles
        names = [
            f"{above} {m.group('name')}" if _name_split(above, m.group("name")) else m.group("name")
            for above, b in zip([""] + rest, rest)
            if not _is_upper(b) and (m := NAME.search(b))
        ]
        if not names:  # some offices print the name in capitals: "NGUYỄN VĂN AN"
            names = [b for b in rest[1:] if _upper_name(b)]
        if titles:
            meta.signer.title = titles[0]
            at = rest.index(titles[0]) + 1
            below = rest[at] if at < len(rest) else ""
            if (
                (UNIT_NAMED_NEXT.search(titles[0]) or WRAPPED_CELL.search(titles[0]))
                and _is_upper(below)
                and (names or not _upper_name(below))  # (the name in capitals, where none else)
                and not _signer_title().match(below)  # "TRƯỞNG BAN⏎PHÓ THỦ TƯỚNG": two offices
            ):
                # "CỤC TRƯỞNG CỤC⏎CHUYỂN ĐỔI SỐ QUỐC GIA": the office's unit names itself below;
                # "TRƯỞNG BAN BAN CHÍNH SÁCH,⏎THUẾ QUỐC TẾ": a long title wraps
                meta.signer.title = f"{titles[0]} {below}"
        if names:
            meta.signer.name = names[-1]  # the last one: a scan's scribble can come before it
            named = next((ln for ln in lines[signs:] if meta.signer.name in ln.text), None)
            if named:
                spans["signer"] = (named.start, named.end)
    if not (meta.date or meta.place) and signs is not None:
        # documents that date themselves at the signature (a Giấy phép, a Phiếu trình, a
        # Tờ trình of an office's own): "Hà Nội, ngày 30 tháng 5 năm 2025" or "Ngày 20 tháng 5
        # năm 2026" on a line of its own just above it
        for line in lines[max(start_index, signs - 8) : signs + SIGNATURE_LINES]:
            text = line.text.strip()
            if m := PLACE_DATE.fullmatch(text):
                meta.place = m.group("place").strip()
                spans["place"] = (line.start, line.end)
                text = m.group("date")
            if (m := CLOSING_DATE.fullmatch(text)) and (date := iso_date(m)):
                meta.date = date
                spans["date"] = (line.start, line.end)
            if meta.date or meta.place:
                break
    return tail_start


def _name_split(above: str, name: str) -> bool:
    """A family name alone on the line above the rest of the name ("Vũ", "Chiến Thắng": each
    line its own paragraph): one word in title case over a name of one to three words."""
    return bool(re.fullmatch(r"\p{Lu}\p{Ll}+", above.strip())) and len(name.split()) <= 3


def _own_authority(line: str) -> str:
    """The signer's own authority, the last of those that stack: "KT. CHỦ TỊCH" of "TM. ỦY
    BAN NHÂN DÂN⏎KT. CHỦ TỊCH" (as the gold of real S05 reads it), also where a converter
    glued them on one line ("TM. CHÍNH PHỦ KT. THỦ TƯỚNG")."""
    starts = [m.start() for m in re.finditer(rf"(?<!\S){authority()}", line)]
    return line[starts[-1] :] if starts else line


def _first_column(line: str) -> str:
    """An authority line two parties' columns share, read as one ("ĐẠI DIỆN SỞ CÔNG THƯƠNG _
    ĐẠI DIỆN CÔNG TY …", a Biên bản's): the first party's. The same mark again opens the
    other column; another mark stacks on the first ("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH")."""
    first = authority_line().match(line)
    mark = first.group(0)[:-1].strip() if first else ""
    again = (
        re.search(rf"\s+[_|–-]?\s*{re.escape(mark)}\s*\p{{Lu}}", line[len(mark) :])
        if mark
        else None
    )
    return line[: len(mark) + again.start()].rstrip(" _|–-") if again else line


def _authority_goes_on(authority: str, below: list[str]) -> bool:
    """The line under an authority is the rest of it, not the signer's title: in capitals,
    the rest of a name wrapped after "," or "và" or before "về" ("KT. TRƯỞNG BAN BAN CHÍNH
    SÁCH,⏎THUẾ QUỐC TẾ", "KT. TRƯỞNG BAN GIÁM SÁT QUẢN LÝ⏎VỀ HQ") or inside a body's name the
    catalogue knows ("T/M BỘ CHÍNH⏎TRỊ"), or a body's name with the title under it ("KT. BỘ
    TRƯỞNG⏎BỘ QUỐC PHÒNG⏎THỨ TRƯỞNG")."""
    if not below:
        return False
    line = below[0]
    if not _is_upper(line) or authority_line().match(line):
        return False
    if authority.rstrip().endswith(","):
        return True  # "KT. BỘ TRƯỞNG,⏎CHỦ NHIỆM": an office held with another, the title below
    if _signer_title().match(line):
        return False
    if WRAPPED_CELL.search(authority) or NAME_GOES_ON.match(line):
        return True
    # a body's name cut by the line's end ("T/M BỘ CHÍNH⏎TRỊ", "TM. ỦY BAN NHÂN⏎DÂN")
    joined = f"{authority} {line}"
    if any(m.start() < len(authority) < m.end() for m in known_body().finditer(joined)):
        return True
    # (a body's name, or a short rest of a deputy's authority: "KT. TRƯỞNG BAN NGHIỆP VỤ⏎THUẾ
    # HQ⏎PHÓ TRƯỞNG BAN", the title under it as a KT. line's deputy signs)
    rest = BODY_NAME.match(line) or (
        authority.lstrip().startswith("KT.") and len(line.split()) <= AUTHORITY_REST_WORDS
    )
    return len(below) >= 2 and bool(_signer_title().match(below[1]) and rest)


def _glued_title(line: str) -> list[str]:
    """A deputy's title glued to the line above it by a converter, as two lines: "KT. CHỦ
    TỊCH PHÓ CHỦ TỊCH", "VỀ HQ PHÓ TRƯỞNG BAN" (a KT. line's deputy signs: Nghị định
    30/2020/NĐ-CP); a line that is the title alone stays as it is."""
    if not _is_upper(line):
        return [line]
    for m in re.finditer(r"\s+(?=PHÓ\s)", line):
        if _signer_title().match(line[m.end() :]):
            return [line[: m.start()], line[m.end() :]]
    return [line]


# a body's name in capitals: its kind first ("BỘ QUỐC PHÒNG", "VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO")
BODY_NAME = re.compile(
    r"(?:BỘ|VIỆN|TÒA ÁN|ỦY BAN|UỶ BAN|TỔNG CỤC|CỤC|SỞ|BAN|VĂN PHÒNG|HỘI ĐỒNG|KIỂM TOÁN"
    r"|NGÂN HÀNG|THANH TRA|ĐẢNG ỦY|ĐẢNG UỶ|TỈNH ỦY|THÀNH ỦY|HUYỆN ỦY|MẶT TRẬN|TRUNG ƯƠNG)"
    r"\s+\p{Lu}"
)
# a title that ends in its unit's kind, whose name is on the next line
UNIT_NAMED_NEXT = re.compile(r"\b(?:CỤC|VỤ|BAN|SỞ|VIỆN|PHÒNG|TRUNG TÂM|ỦY BAN)$")
CLOSING_DATE = re.compile(rf"(?i:ngày)\s+(?:{dates.NUMERIC_DATE}|{dates.WORDED})\W*")


FORM_HEAD = re.compile(r"^\(?\s*(?:BIỂU|MẪU|Mẫu\s+số)\b")


def attached_parts(lines: list[Line], after: int) -> list[tuple[int, int]]:
    """What the document attaches after its closing block and numbers as its own sections
    (the Quy chế or Kế hoạch a Quyết định issues, a Phụ lục that is a text guidance), as
    (start, end) offsets: from a type line in capitals ("QUY CHẾ", "HƯỚNG DẪN VIỆC …") to the
    next Phụ lục heading. A Phụ lục of tables or forms opens with no type line: not sections."""
    spans: list[tuple[int, int]] = []
    start = None
    since_appendix = None  # lines since the last Phụ lục heading, once one was seen
    form = False  # that heading is a form's ("Mẫu số 01", "BIỂU MẪU")
    written = [ln for ln in lines if ln.start >= after and ln.text.strip()]
    for k, line in enumerate(written):
        text = line.text.strip()
        if since_appendix is not None:
            since_appendix += 1
        before = written[k - 1].text.strip() if k else ""
        # a heading's "MẪU THẺ …" after "QUY ĐỊNH⏎VỀ" goes on with the title, opens no form
        if parts.APPENDIX_HEAD.match(text) and not OPEN_ENDING.search(before):
            if start is not None:
                spans.append((start, line.start))
                start = None
            since_appendix = 0
            form = bool(FORM_HEAD.match(text))
        elif (
            start is None
            and _is_upper(text)
            and parts.TYPE_OPENING.match(text)
            # inside a Phụ lục, only the type line that opens it ("PHỤ LỤC⏎HƯỚNG DẪN …"):
            # a form's title ("KẾ HOẠCH BỒI DƯỠNG …") is part of the form
            and (since_appendix is None or since_appendix <= 2)
            # a form's head ("Mẫu số 01⏎BÁO CÁO XÁC ĐỊNH …") is followed by the form's title
            and not (since_appendix is not None and form)
        ):
            start = line.start
    if start is not None:
        spans.append((start, lines[-1].end))
    return spans


# the letterhead's number line with the number not read (left blank, or handwriting OCR could
# not read): "Số: … /GP-BKHCN", "Số     -KH/HU"; group code
UNREAD_NUMBER = re.compile(
    r"^[\s*]*Số\s*[:.]?\s*(?:…|[^\d\s/-]{1,6})?\s*(?P<code>[/-]\p{Lu}[\w&]*(?:[-/][\w&]+)+)\s*$",
    re.IGNORECASE,
)


def _number_from_caption(
    lines: list[Line], meta: Metadata, spans: dict, cleaned: CleanText
) -> list[Repair]:
    """The own number (and date) the letterhead leaves unread, taken where the document
    prints them again: the caption of what it attaches, "(Ban hành kèm theo Giấy phép số:
    184/GP-BKHCN ngày 31 tháng 5 năm 2024)", when its type and code are the letterhead's.
    Said in ``repairs``."""
    header = next((ln for ln in lines[:25] if UNREAD_NUMBER.match(ln.text)), None)
    if meta.symbol or header is None or not meta.doc_type:
        return []
    code = UNREAD_NUMBER.match(header.text).group("code")
    caption = re.compile(
        rf"kèm\s+theo\s+{re.escape(meta.doc_type)}\s+số\s*:?\s*(?P<symbol>\d{{1,6}}\s*"
        rf"{re.escape(code)})(?:[\s,]*(?P<date>{DATE.pattern}))?",
        re.IGNORECASE,
    )
    for line in lines:
        if not (m := caption.search(line.text)):
            continue
        meta.symbol = re.sub(r"\s+", "", m.group("symbol"))
        spans["symbol"] = (line.start, line.end)
        found = [("own_number", meta.symbol)]
        if not meta.date and m.group("date") and (dm := DATE.search(m.group("date"))):
            if date := iso_date(dm):
                meta.date = date
                spans["date"] = (line.start, line.end)
                found.append(("own_date", m.group("date")))
        return [
            Repair(
                kind, header.text.strip(), after, header.start, cleaned.source_offset(header.start)
            )
            for kind, after in found
        ]
    return []


def read_noisy_labels(lines: list[Line]) -> list[Line]:
    """Section numbers as OCR reads them with dust before them or a comma for a dot ("_1,3.
    Đổi mới", ".2. Nhiệm vụ", "- LMỤC ĐÍCH"), read without them where what is left is a
    section number; the line starts after the dust, so offsets hold."""
    out = []
    for ln in lines:
        m = numbering.LABEL_NOISE.match(ln.text)
        text = ln.text[m.end() :] if m else ln.text
        text = numbering.COMMA_DECIMAL.sub(r"\1.\2", text)
        roman = ROMAN_LIKE.match(text)
        if (
            text != ln.text
            and (
                numbering.read(text)
                # (not "- V, C, HCC;": a list item of units; a comma after a numeral only where
                # the sequence of headings calls for it, in repair_roman_headings)
                or (
                    roman
                    and _is_upper(roman.group("rest"))
                    and text[roman.end("label") : roman.end("label") + 1] != ","
                )
            )
        ):
            ln = Line(text, ln.end - len(text), ln.end)
        out.append(ln)
    return out


def read_dashes_as_dots(lines: list[Line]) -> list[Line]:
    """Lines with "I- " and "1- " numbering read as "I. " and "1. ", for a document that numbers
    that level with dashes only. Where the same level is also numbered with dots, the dashed
    lines are something else: the footnotes of a converter's or a scan's text ("12- Về …")."""
    dotted = {_numbering_kind(ln.text) for ln in lines} - {None}
    out = []
    for ln in lines:
        m = DASH_NUMBER.match(ln.text)
        kind = ("roman" if m.group("label")[0] in "IVXLC" else "arabic") if m else None
        # a Roman heading in capitals is a heading whichever mark follows its numeral
        if kind and (kind not in dotted or (kind == "roman" and _is_upper(ln.text[m.end() :]))):
            # same length: offsets hold
            ln = Line(ln.text[: m.end() - 1] + "." + ln.text[m.end() :], ln.start, ln.end)
        out.append(ln)
    return out


def _numbering_kind(text: str) -> str | None:
    found = numbering.read(text)
    return found[0] if found and found[0] in ("roman", "arabic") else None


def parse(cleaned: CleanText) -> Structure:
    # footnotes gathered after the body are not part of the document's structure
    lines = split_lines(cleaned.text[: cleaned.body_end] if cleaned.body_end >= 0 else cleaned.text)
    lines = read_dashes_as_dots(read_noisy_labels(lines))
    meta = Metadata(signer=Signer())
    warnings: list[str] = []
    spans: dict[str, tuple[int, int]] = {}
    first_body = parse_header(lines, meta, spans)
    body_start = lines[first_body].start if first_body < len(lines) else len(cleaned.text)
    body_end = parse_tail(lines, first_body, meta, spans)
    first_section = next(
        (i for i in range(first_body, len(lines)) if numbering.read(lines[i].text)), len(lines)
    )
    preamble = " ".join(ln.text for ln in lines[first_body : min(first_section, first_body + 8)])
    named = preamble_issuer(preamble)
    # the preamble names the issuer ("Ban Thường vụ Huyện ủy ban hành …") unless its name
    # ends in a level word the letterhead completes ("Ủy ban nhân dân tỉnh" of "… tỉnh Đồng
    # Nai"): a level word needs its place
    if named and not _letterhead_completes(meta.issuer, named):
        meta.issuer = named
        preamble_lines = lines[first_body : min(first_section, first_body + 8)]
        spans["issuer"] = (preamble_lines[0].start, preamble_lines[-1].end)
    if not meta.issuer and (named := record_issuer(preamble)):
        meta.issuer = named
        spans["issuer"] = (lines[first_body].start, lines[first_body].end)
    if not meta.date or not meta.issuer:
        _adoption(lines[first_body:], meta, spans)
    if not meta.issuer and (named := issuer_of_code(meta.symbol)):
        # a page without its letterhead's body: its number names it (no line of its own says
        # it, so its source is "inferred")
        meta.issuer = named
    repairs = _number_from_caption(lines, meta, spans, cleaned)
    # the central letterhead serves the Bộ Chính trị and the Ban Bí thư alike (Hướng dẫn
    # 36-HD/VPTW): "T/M BAN BÍ THƯ" says which one issues
    collective = re.match(r"T/M\s+(?P<body>.+)$", meta.signer.authority or "")
    central = (meta.issuer or "").casefold() in ("", "ban chấp hành trung ương")
    if collective and central and meta.issuer:
        meta.issuer = readable_name(collective.group("body"))
    # … and so do the title ("KẾT LUẬN CỦA BỘ CHÍNH TRỊ, BAN BÍ THƯ VỀ …") and a conclusion's
    # opening ("…, Bộ Chính trị, Ban Bí thư có ý kiến như sau:"), naming both where both
    # conclude and one signs
    if central:
        titled = re.match(r"của\s+", meta.title or "", re.IGNORECASE)
        if titled and (named := known_body().match(meta.title, titled.end())):
            meta.issuer = readable_name(named.group(0))
        elif named := concluding_issuer(preamble):
            meta.issuer = named
    # the body's tree, then each attached instrument's own tree beside it
    sections = [
        node
        for a, b in [(body_start, body_end)] + attached_parts(lines, body_end)
        for node in parse_sections(lines, a, b, warnings, typed=not cleaned.ocr)
    ]
    return Structure(
        metadata=meta,
        spans=spans,
        repairs=repairs,
        sections=sections,
        body_start=body_start,
        body_end=body_end,
        warnings=warnings,
    )
