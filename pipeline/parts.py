"""The parts of an official document and the lines that open or close them.

Hướng dẫn 36-HD/VPTW (Party documents) and Nghị định 30/2020/NĐ-CP, Phụ lục I (state
documents) lay every document out the same way: a letterhead (the issuing body beside the
Party's name or the national motto, the number, place and date), the type and title, a
body whose last sentence ends "./.", a closing block (Nơi nhận and the signature, side by
side), and after it only what the document attaches (a Phụ lục, the instrument a Quyết
định issues with its "Ban hành kèm theo" caption, footnotes). Whatever stands outside
that frame (a website's banner, metadata table, related-document lists, login notices, a
news site's captions) is not the document: ``extent`` finds the frame from these lines.
"""

from __future__ import annotations

from functools import lru_cache

import regex as re

from . import numbering
from .catalogue import authority_line, catalogue, type_pattern
from .numbering import is_upper
from .symbols import NUMBER_LABEL, WRITTEN

# (OCR may read dust before it, "_Nơi nhận:", or a signature stroke across its first word,
# "\ới nhận:", "J~ nhận:": a damaged word of at most two letters, or with a sign in it)
RECIPIENTS_HEAD = re.compile(
    r"^[\s_.~'`‘’]*(?:Nơi\s+nhận\s*:?|(?:\S{0,3}[^\p{L}\s]\S{0,3}|\p{L}{1,2})\s+nhận\s*:)",
    re.IGNORECASE,
)
# the last sentence of a body: "… tổ chức thực hiện./." (quotes or a bracket may close it)
BODY_END = re.compile(r"\.\s*/\s*\.[\s\"')\]*]*$")
# (a line ending in ";" or "," is a sentence a page wrapped there: "Phụ lục III ban hành kèm
# theo Nghị định số 135/2020/NĐ-CP … quy định về tuổi nghỉ hưu;")
APPENDIX_HEAD = re.compile(r"^(?!.*[;,]\s*$)\(?\s*(?:PHỤ\s+LỤC|Phụ\s+lục|BIỂU|MẪU|Mẫu\s+số)\b")
NOTES_HEAD = re.compile(r"^(?:Ghi\s+chú|GHI\s+CHÚ)\b")  # notes below the signature
# a letter's subject label: "V/v:", "Về việc" (the subject follows it, or the next line)
SUBJECT_LABEL = r"(?:V/v|v/v|Về việc)\s*:?"
# "(Ban hành kèm theo Quyết định số …)", "(Kèm theo Công văn số …)": what the part belongs to
CAPTION = re.compile(
    r"^\s*\(?\s*(?:Ban\s+hành\s+)?(?:kèm|đính\s+kèm)(?:\s+theo\b|\s*$)", re.IGNORECASE
)
# what a news page or a site adds after a document is short; a longer tail is kept unless it
# names the document in a headline
SHORT_TAIL = 12
FOOTNOTE_BODY = re.compile(
    r"^\s*(?:\[\^?\w{1,4}\]|\(\d{1,2}\)|\d{1,2}\s+\p{Lu})"
)  # pandoc's "[^1]:"
SIGNED = re.compile(r"^\(?\s*(?:Đã\s+ký|Ký(?:\s+tên)?[^()]{0,30})\)?$", re.IGNORECASE)
SIGNED_MARK = re.compile(r"^\(\s*(?:Đã\s+ký|đã\s+ký)\s*\)")
# a form's blanks to fill in: "……., ngày … tháng … năm 20…", ".......(1)......."
BLANKS = re.compile(r"\.{3,}|…")
PERSON = re.compile(r"^(?:\p{Lu}\p{Ll}*\.?\s+){0,5}\p{Lu}\p{Ll}+$")
# a line that opens with a document type, any case: "QUY CHẾ", "Hướng dẫn việc …"
TYPE_OPENING = re.compile(rf"(?i:{type_pattern()})\b")
OWN_NUMBER_LINE = re.compile(rf"^[\s*]*{NUMBER_LABEL}(?P<symbol>{WRITTEN})")


@lru_cache(maxsize=1)
def motto() -> "re.Pattern":
    """The Party's name or the national motto in capitals, whatever spaces a converter left
    between its words (the right-hand column of every letterhead)."""
    names = [m for m in catalogue()["mottos"] if is_upper(m)]
    alts = [r"\s+".join(re.escape(w) for w in name.split()) for name in names]
    return re.compile("(?:" + "|".join(alts) + ")")


def headline(own: str) -> "re.Pattern":
    """A line that names the document by its own number and its year or date, within its
    first words: how a site or a news page titles the document it shows ("Kết luận
    212-KL/TW năm 2025 về …", "Circular No. 110/2025/TT-BTC dated …")."""
    number = r"\s*".join(re.escape(c) for c in own) + r"(?![\w/-])"
    return re.compile(
        rf"^(?=\p{{Lu}})(?:(?i:{type_pattern()})\s+(?:số\s+)?{number}"
        rf"|(?:[\p{{L}}.]+\s+){{0,3}}(?:số\s+)?{number}\s+(?:năm\s+\d{{4}}|ngày\s+\d{{1,2}}|dated)\b)"
    )


def _body_like(line: str) -> bool:
    """A line only the document itself writes: its last sentence, a closing block, a
    heading of the section tree."""
    found = numbering.read(line)
    return bool(
        BODY_END.search(line)
        or RECIPIENTS_HEAD.match(line)
        or authority_line().match(line)
        or (found and found[0] in numbering.HEADING_KINDS)
        or APPENDIX_HEAD.match(line)
    )


def runs_on(above: str, line: str) -> bool:
    """A line that goes on with the sentence of the line above it, which a fixed width broke
    after a lower-case word: whatever word it opens with ("Phụ lục Nghị định 99/2022/NĐ-CP
    …", "1. …"), it opens no heading; it may end the body."""
    return bool(re.search(r"\p{Ll}$", above.rstrip())) and not BODY_END.search(line)


def word_broken(above: str, line: str) -> bool:
    """A word a line end broke at its hyphen ("MÊ-HI-" | "CÔ", "Xô-" | "viết"): the two
    lines join without a space."""
    return above.endswith("-") and above[-2:-1].isalpha() and line[:1].isalpha()


def _letterhead_line(line: str) -> bool:
    """A line of a letterhead's left-hand column, above the motto in reading order: the
    issuing body in capitals, the number ("Số 83-KH/HU"), an ornament."""
    text = line.strip(" |*-")
    return not text or is_upper(text) or bool(re.match(rf"{NUMBER_LABEL}(?:\d|[-/]|$)", text))


def _signs(line: str) -> bool:
    """A line only a closing block writes: the signer's name, a recipient item."""
    text = line.strip(" |")
    return bool(PERSON.match(text)) or (text.startswith(("-", "+")) and text.endswith((",", ";")))


def _closing_line(line: str) -> bool:
    """A line of the closing block: Nơi nhận and its items, authority, titles, the signer."""
    text = SIGNED_MARK.sub("", line.strip(" |")).strip()  # "(Đã ký) Lê Thành Long"
    return (
        not re.search(r"[\p{L}\d]", text)  # blank, or an ornament ("* *")
        or text.startswith(("-", "+", "•", "}"))
        or text.endswith((",", ";"))
        or bool(RECIPIENTS_HEAD.match(text) or authority_line().match(text))
        or is_upper(text)
        or bool(SIGNED.match(text) or PERSON.match(text))
        or text.startswith(("Lưu", "(để", "(Để"))
    )


def _attaches(line: str) -> bool:
    """A line that opens a part the document attaches: a Phụ lục, its caption, a footnote,
    the letterhead or type line of an attached instrument."""
    text = line.strip(" |")
    return bool(
        APPENDIX_HEAD.match(text)
        or NOTES_HEAD.match(text)
        or CAPTION.match(text)
        or FOOTNOTE_BODY.match(text)
        or motto().search(text)
        or (is_upper(text) and TYPE_OPENING.match(text))
    )


def _appended(line: str) -> bool:
    """A line only a part the document attaches writes: a Phụ lục heading, its caption, a
    footnote marked as one ("[1] …")."""
    text = line.strip(" |")
    return bool(
        APPENDIX_HEAD.match(text) or CAPTION.match(text) or re.match(r"\[\^?\w{1,4}\]", text)
    )


def _continues(line: str) -> bool:
    """A line after the closing block that the document writes: a heading, a numbered
    item, a last sentence, or a part it attaches."""
    text = line.strip(" |")
    return bool(
        _attaches(text)
        or is_upper(text)
        or BODY_END.search(text)
        or numbering.read(text)
        or BLANKS.search(text)
        or SIGNED.match(text)
    )


def _motto_line(lines: list[str]) -> int | None:
    """The first line the motto or the Party's name starts on, in a letterhead-sized line
    (a converter can wrap it over two)."""
    text = "\n".join(lines)
    for m in motto().finditer(text):
        at = text.count("\n", 0, m.start())
        if len(lines[at]) < 160:
            return at
    return None


def _own_number(lines: list[str]) -> str | None:
    for line in lines:
        if m := OWN_NUMBER_LINE.match(line):
            return re.sub(r"\s+", "", m.group("symbol")).rstrip(".,;")
    return None


def extent(lines: list[str]) -> tuple[int, int]:
    """(first, end): the document is lines[first:end]; what stands before and after it is
    something the document does not write.

    The document starts at its letterhead: the first line with the Party's name or the
    motto, with the issuing body above it, when nothing before it is the document's own
    (a closing block, a heading, a last sentence). It ends after its closing block: after
    the last line that ends a body or opens a closing block, past the closing block's lines,
    at the first line that opens nothing the document attaches; or, after the closing
    block, at a line that names the document by its own number as a headline.
    """
    n = len(lines)
    first = 0
    at = _motto_line(lines)
    if at is not None and not any(
        (_body_like(ln) and not (i and runs_on(lines[i - 1], ln))) or re.match(r"Kính\s+gửi\b", ln)
        for i, ln in enumerate(lines[:at])
    ):
        first = at
        # "Số: 171/2025/NĐ-CP", or after the issuing body in one table cell ("CHÍNH PHỦ_ Số: …")
        number_line = re.compile(rf"(?:[\p{{Lu}}\s_.,-]*[\s_])?(?i:{NUMBER_LABEL})[\d/-]")
        numbered = [i for i in range(max(0, at - 8), at) if number_line.match(lines[i])]
        first = numbered[0] if numbered else at  # the left-hand column came first
        # (eight lines at most, blank ones not counted: a converter that makes each line a
        # paragraph puts one between every two)
        held = 0
        while first > 0 and held < 8 and _letterhead_line(lines[first - 1]):
            first -= 1
            held += bool(lines[first].strip(" |*-"))
        while first < at and not lines[first].strip(" |"):
            first += 1
    own = _own_number(lines[first : first + 30]) if at is not None else None
    anchors = [
        i
        for i in range(first, n)
        if BODY_END.search(lines[i])
        or RECIPIENTS_HEAD.match(lines[i])
        or authority_line().match(lines[i].strip())
    ]
    if not anchors:
        return first, n
    last = anchors[-1]
    k = last + 1
    while k < n and _closing_line(lines[k]) and not _attaches(lines[k]):
        k += 1
    end = n
    if (
        k < n
        and sum(1 for ln in lines[k:] if ln.strip(" |")) <= SHORT_TAIL
        and not _continues(lines[k])
        and not any(_body_like(ln) or _appended(ln) or _signs(ln) for ln in lines[k:])
    ):
        end = k
    elif own:
        # a headline naming the document, with nothing of the document after it
        titled = headline(own)
        end = next(
            (
                i
                for i in range(last + 1, n)
                if titled.match(lines[i].strip())
                and not any(_body_like(ln) or _appended(ln) for ln in lines[i + 1 :])
            ),
            n,
        )
    while end > first and not lines[end - 1].strip():
        end -= 1
    return first, end
