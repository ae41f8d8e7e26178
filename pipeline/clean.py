"""Cleanup: from converter and OCR output to the text the author wrote.

``clean`` runs the passes of ``PASSES`` in order over one ``TextEditor`` (``editor.py``),
which keeps the offset map back to the raw text, records a ``Repair`` for each change a
reviewer may want to audit or reverse, and carries the block boundaries the page layout
or markup proves (``TextEditor.breaks``) beside the text. Each pass is a function of the
``Cleanup`` in progress with a docstring saying what it removes or repairs and why.

In short: page furniture and OCR speckle; invisible characters, look-alike letters, one
dash, quote and tone-mark style; markdown and web residue (headings, rules, emphasis,
tables, chrome); page numbers; symbols broken across lines and OCR damage to symbols and
term numerals; footnote bodies out of the body flow; paragraph flow (hard-wrapped lines
joined, headings, list items and signature lines kept apart); OCR spelling repair
(``spelling.py``); footnotes gathered after the body.
"""

from __future__ import annotations

import bisect
import html
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Optional

import regex as re

from . import numbering, parts, provinces, spelling, symbols
from .catalogue import (
    SIGNED,
    alternation,
    authority,
    canonical_type,
    catalogue,
    executing_opening,
    sentence_opener,
    standard_title,
    task_verb_opening,
    type_pattern,
)
from .dates import PLACE
from .dates import PLACE_DATE_LINE as PLACE_DATE_SHAPE
from .dates import PLACE_DATE_START as PLACE_DATE_OPENING
from .editor import TextEditor
from .ingest.handwriting import UNREAD
from .models import CleanText, Footnote, RawDocument
from .numbering import HEADING_MAX, LINE_NUMBER, NUMBERED_LINE
from .symbols import complete_issuer, repair_code

# (raw start, raw end, confidence, line index) of an OCR'd word
OcrWord = tuple[int, int, float, int]


@dataclass
class Cleanup:
    """One document's cleanup in progress: the editor over its text, and what a pass finds
    for a later one (offsets into ``raw.text`` unless said otherwise)."""

    raw: RawDocument
    editor: TextEditor
    words: list[OcrWord] = field(default_factory=list)  # OCR'd words with their confidence
    # indices of raw lines removed as furniture or speckle
    dropped: set[int] = field(default_factory=set)
    # footnote references: (marker, where)
    refs: list[tuple[str, int]] = field(default_factory=list)
    # footnote bodies: (marker, where they start)
    bodies: list[tuple[str, int]] = field(default_factory=list)
    body_kinds: list[str] = field(default_factory=list)  # "sup", "num", "bracket", "caret"
    # footnotes cut out: marker, texts, maps
    notes: list[tuple[str, list, list]] = field(default_factory=list)
    unsure: Optional[Callable[[int], bool]] = None  # offset in the text -> OCR read it with doubt
    footnotes: list[Footnote] = field(default_factory=list)
    body_end: int = -1  # where the footnotes gathered after the body begin (-1: none)


# --- the passes, in the order they run ------------------------------------------------------


def running_headers(c: Cleanup) -> None:
    """Running headers and footers: a line at a page's edge that recurs there on most pages
    (``_running_lines``). OCR'd words are listed here, before any pass changes the text."""
    c.words = _ocr_words(c.raw)
    running = _running_lines(c.raw)
    c.editor.apply(running, "running_header")
    starts = {a for a, _, _ in running}
    c.dropped |= {i for i, ln in enumerate(c.raw.lines) if ln.start in starts}


def ocr_speckle(c: Cleanup) -> None:
    """Speckle Tesseract read as text: lone marks it was unsure of (``_ocr_noise``)."""
    noise, dropped = _ocr_noise(c.raw, c.words)
    at = c.editor.clean_offsets()
    c.editor.apply([(at(a), at(b), r) for a, b, r in noise], "ocr_noise")
    c.dropped |= dropped


def newlines(c: Cleanup) -> None:
    """One line end: "\\r\\n" and "\\r" become "\\n"."""
    c.editor.sub(NEWLINES, "\n", "newline", record=False)


def html_markup(c: Cleanup) -> None:
    """HTML a converter left in markdown (pandoc writes a table whose cells hold several
    paragraphs, as a letterhead's do, in HTML; others break a cell's lines with "<br>"): a
    line each paragraph, cell and line break (in a markdown table row, a cell each), bold and
    italics as markdown's marks, entities as the characters they name. ``<sup>`` is a
    footnote's mark, read by the footnote passes."""
    text = c.editor.text
    if not HTML_TAG.search(text):
        return
    edits = [(m.start(), m.end(), "") for m in HTML_ONLY_LINE.finditer(text)]
    starts = [a for a, _, _ in edits]  # (in order, apart: each a whole line of tags)
    for m in HTML_TAG.finditer(text):
        k = bisect.bisect_right(starts, m.start()) - 1
        if k >= 0 and m.start() < edits[k][1]:
            continue  # on a line of tags only, which goes whole
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        rest = text[m.end() : len(text) if line_end < 0 else line_end]
        name = m.group("name").casefold()
        if name in ("strong", "b"):
            new = "**"
        elif name in ("em", "i"):
            new = "*"
        elif name == "br" or (m.group(0).startswith("</") and name in HTML_BLOCKS):
            ends_line = not HTML_TAG.sub("", rest).strip()
            in_row = text[line_start : m.start()].lstrip().startswith("|")
            new = " | " if in_row and name == "br" else "" if ends_line else "\n"
        else:
            new = ""
        edits.append((m.start(), m.end(), new))
    edits += [(m.start(), m.end(), html.unescape(m.group(0))) for m in HTML_ENTITY.finditer(text)]
    c.editor.apply(edits, "markup")


def markdown_marks(c: Cleanup) -> None:
    """What pandoc's markdown writes around text: a span with attributes ("[Nơi
    nhận:]{.underline}", an empty anchor "[]{#_Toc1 .anchor}") is its text; a blockquote's
    "> " (an indented paragraph of the Word file) goes."""
    c.editor.sub(MD_SPAN, r"\g<text>", "markdown_mark")
    c.editor.sub(MD_BLOCKQUOTE, "", "markdown_mark")


def wrapped_emphasis(c: Cleanup) -> None:
    """A bold or italic run a converter hard-wrapped ("**I. MỤC ĐÍCH,⏎YÊU CẦU**", "*2.3.⏎Công
    an tỉnh*") or split into paragraphs is one line again: the marks say where the heading or
    line begins and ends."""
    # a run each line of which a converter made its own paragraph, closing and opening the
    # marks again ("**2. Phân**⏎⏎**công trách nhiệm**"): one run where it goes on
    # (``_run_goes_on``)
    text = c.editor.text
    splits = list(SPLIT_EMPHASIS.finditer(text))
    bigrams = _bigrams(text) if splits else set()
    width = _wrap_width(text) if splits and _hard_wrapped(text) else 0
    c.editor.apply(
        [(m.start(), m.end(), " ") for m in splits if _run_goes_on(text, m, bigrams, width)],
        "wrapped_emphasis",
    )
    # (not across a table's rows: a grid table's cell runs over lines that are rows too)
    c.editor.sub(
        WRAPPED_EMPHASIS,
        lambda m: m[0] if ROW_BREAK.search(m[0]) else m[0].replace("\n", " "),
        "wrapped_emphasis",
    )


def _run_goes_on(text: str, m: "re.Match", bigrams: set[tuple[str, str]], width: int = 0) -> bool:
    """The run after the blank line goes on with the one before it: it opens in lower case,
    or the one before ends with a comma, a word that cannot end a sentence ("Trách nhiệm của |
    Sở Tài chính", "… tái định cư khi | Nhà nước …") or a body's head word or office still
    waiting for its name, or the two capitalised words either side are a name the text
    writes on one line ("… tỉnh Thừa Thiên | Huế (nay …)"), or, in a text wrapped at
    ``width``, the next run's first word would not have fitted on the line; never before a
    label."""
    after = text[m.end() : m.end() + 40]
    line = text[text.rfind("\n", 0, m.start()) + 1 : m.start()].lstrip(" *_")
    if _cut(line, after.split("\n")[0]):
        return True
    if _marker_line().match(after):
        return False  # a label opens the next: "**Điều 4. …**", "**1. …**"
    if _is_upper_line(line):
        return False  # a type line or title in capitals ends where it ends ("**KẾ HOẠCH**")
    if text[m.end()].islower():
        return True
    if (
        _width_forced(line, after, width)
        and not TERMINAL.search(line)
        and not _is_upper_line(after.split("\n")[0])
    ):
        return True  # "**… phi vật thể vào**" | "**Danh mục quốc gia …**"
    close = text.find(m["mark"], m.end())
    if (
        close > 0
        and ABBREVIATION_ALONE.fullmatch(text[m.end() : close].strip())
        and text[close + len(m["mark"]) : close + len(m["mark"]) + 1] in ("\n", "")
        and not TERMINAL.search(line)
    ):
        return True  # an abbreviation alone ends the title: "**5. Chuyển đổi**" | "**AI**"
    if _title_goes_on(text, m, line):
        return True
    words = line.split()
    if text[m.end()].isdigit():  # "… đến năm | 2030": a number the word before asks for
        return bool(words) and words[-1].casefold() in NUMBER_WANTING | CONTINUING_WORDS
    if not words:
        return False
    if words[-1][:1].isupper() and text[m.end()].isupper() and not _is_upper_line(after):
        if _pair(words[-1], after) in bigrams:
            return True
    if words[-1].casefold() in CONTINUING_WORDS and not _standard_heading(line):
        return True  # "**Điều 1. … tái định cư khi**" | "**Nhà nước thu hồi đất …**"
    if _name_opened(line):
        return True  # "**… phối hợp với Ủy ban**" | "**Mặt trận Tổ quốc …**"
    return line.endswith(",") or words[-1].casefold() in LINKING_WORDS


def _title_goes_on(text: str, m: "re.Match", line: str) -> bool:
    """A numbered heading's run, and a short run alone on the next paragraph that ends no
    sentence: its title's rest ("**Điều 3. Trách nhiệm của Sở**" | "**Công Thương**"), as a
    converter that makes every line a paragraph leaves a title the page wrapped."""
    read = None if TERMINAL.search(line) else numbering.read(line)
    if not read or not read[2] or _standard_heading(line):
        return False  # (a label alone, "**Chương I**", has its title below it)
    close = text.find(m["mark"], m.end())
    run = text[m.end() : close] if close > 0 else ""
    return (
        bool(run)
        and "\n" not in run
        and not _is_upper_line(run)
        # (an article's title may run to two lines: "Điều 3. Địa điểm cho phép người" |
        # "Việt Nam đủ điều kiện vào chơi casino; …", as the structure reads it)
        and len(line) + len(run) < (2 if read[0] == "Điều" else 1) * HEADING_MAX
        and not TERMINAL.search(run)
        and text[close + len(m["mark"]) : close + len(m["mark"]) + 1] in ("\n", "")
    )


def _cut(a: str, b: str) -> bool:
    """Line ``a`` stops where no line can, and ``b`` goes on with it:

    * a division's word alone before its number ("Điều" | "1. Phạm vi điều chỉnh"), an
      article's label alone before its title or text ("Điều 8." | "Tổ chức lễ tang");
    * a signature's mark or the deputy's word alone before the office ("KT." | "CHỦ TỊCH"),
      a letter's subject label alone before its subject ("V/v:" | "Chính sách thuế");
    * a numbered line whose words are a body's head alone ("2.4. Bộ" | "Chỉ huy Quân sự
      tỉnh": ``_name_heads``);
    * a word alone in capitals that opens a type's name, an office or a Phụ lục heading with
      the next ("QUYẾT" | "ĐỊNH", "BỘ" | "TRƯỞNG BỘ …", "PHỤ" | "LỤC I").
    """
    a, b = a.strip(" \t*_"), b.lstrip(" \t*_")
    if DIVISION_WORD.fullmatch(a) and DIVISION_NUMBER.match(b):
        return True  # "Chương" | "I", "Điều" | "1. Phạm vi …": a label's word cut from its number
    if ARTICLE_LABEL.fullmatch(a) and b[:1].isupper() and not _marker_line().match(b):
        return True  # "Điều 8." | "Tổ chức lễ tang": an article's label cut from its title
    if (_authority_mark().fullmatch(a) or a == "PHÓ") and _is_upper_line(b):
        return True  # "KT." | "CHỦ TỊCH", "PHÓ" | "TRƯỞNG BAN": cut from the office
    if SUBJECT_LABEL.fullmatch(a) and b and not PLACE_DATE_START.match(b):
        return True  # "V/v:" | "Chính sách thuế TNCN": a letter's subject label alone
    read = numbering.read(a)
    if read and read[2] in _name_heads():
        return bool(b[:1].isupper())
    if (mark := _authority_mark().match(a)) and a[mark.end() :].strip():
        a = a[mark.end() :].strip()  # "KT. BỘ" | "TRƯỞNG": the office after the mark
    if len(a.split()) != 1 or not _is_upper_line(a):
        return False
    both = f"{a} {b}"
    if parts.APPENDIX_HEAD.match(both) and not parts.APPENDIX_HEAD.match(a):
        return True
    return _is_upper_line(b) and any(
        bool(p.match(both)) and not p.match(a) for p in (parts.TYPE_OPENING, _office_opening())
    )


def _name_opened(line: str) -> bool:
    """The line ends with a body's head word or an office after a linking word or a list's
    comma ("… của Bộ", "… với Ủy ban", "…; Giám đốc"): the name is still to come."""
    for head in _name_heads() | _offices():
        if line.endswith(f" {head}"):
            before = line[: -len(head) - 1].split()
            return bool(before) and (
                before[-1].casefold() in LINKING_WORDS or before[-1].endswith((";", ","))
            )
    return False


@lru_cache(maxsize=1)
def _authority_mark() -> "re.Pattern":
    """A signature's mark of authority alone ("KT.", "T/M", "TL.": the catalogue's)."""
    return re.compile(alternation(catalogue()["signature_authorities"]))


@lru_cache(maxsize=1)
def _office_opening() -> "re.Pattern":
    """An office or a signer's title the catalogue knows opening a line, any case ("BỘ
    TRƯỞNG BỘ …", "THỨ TRƯỞNG")."""
    words = _offices() | set(catalogue()["signer_titles"])
    return re.compile(alternation(words) + r"\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _offices() -> frozenset[str]:
    """The offices whose holder the catalogue knows ("Giám đốc", "Chánh Văn phòng"): named
    with their body."""
    return frozenset(catalogue()["office_holders"]["words"])


@lru_cache(maxsize=1)
def _name_heads() -> frozenset[str]:
    """The words a body's name opens with and never stops at ("Bộ", "Sở", "Ủy ban"): the
    heads of an assignee's name that open longer names of the catalogue, none a name alone."""
    cat = catalogue()
    names = set(cat["organisations"])
    return frozenset(
        head
        for head in cat["assignee_heads"]
        if head not in names and any(name.startswith(f"{head} ") for name in names)
    )


def block_ends(c: Cleanup) -> None:
    """Where a block ends, noted beside the text so that flow never joins across it: a
    markdown heading or all-bold line (hard), and what the page layout shows
    (``_layout_breaks``: a change of type weight, hard; an indented first line, a line
    that stops short, a page turn, soft)."""
    ed = c.editor
    for m in MD_HEADING_LINE.finditer(ed.text):
        ed.mark(m.end(), "hard")
    at = ed.clean_offsets()
    for raw_end, kind in _layout_breaks(c.raw, skip=c.dropped):
        ed.mark(at(raw_end), kind)


def footnote_places(c: Cleanup) -> None:
    """Where footnote references (``<sup>n</sup>``) and footnote bodies stand, kept as raw
    offsets for the passes that move the footnotes (``_find_footnotes``)."""
    refs, bodies = _find_footnotes(c.editor.text)
    c.refs = [(marker, c.editor.source_offset(pos)) for marker, pos in refs]
    c.bodies = [(marker, c.editor.source_offset(pos)) for marker, pos, _ in bodies]
    c.body_kinds = [kind for _, _, kind in bodies]


def invisible(c: Cleanup) -> None:
    """Zero-width and direction marks, soft hyphens: invisible on the page, they split words."""
    c.editor.sub(INVISIBLE, "", "invisible")


def lookalikes(c: Cleanup) -> None:
    """Letters, signs and spaces that look like others: Icelandic "ð" for "đ", a fraction
    slash for "/", no-break and thin spaces, tabs. In a text file a tab between two cells of
    a table a converter wrote on one line ("Nơi nhận:⇥KT. CHỦ TỊCH") is a column gap
    (``side_by_side``), not the tab after a label ("1.⇥Nội dung")."""
    if not _positioned(c.raw):

        def gap(m: "re.Match") -> str:
            before = m.string[m.string.rfind("\n", 0, m.start()) + 1 : m.start()].strip()
            return " " if LABEL_ONLY.fullmatch(before) else COLUMN_SPACES

        c.editor.sub(TAB_COLUMNS, gap, "lookalike", record=False)
    c.editor.sub(LOOKALIKES, lambda m: LOOKALIKE_MAP[m.group(0)], "lookalike", record=False)


def mixed_scripts(c: Cleanup) -> None:
    """Cyrillic letters that look like Latin ones inside a word of Latin letters or digits
    ("NĐ-СР", "BТС" copied from a page that typed them so): the Latin letters, so that the
    number is the one other documents write. A word all in Cyrillic is left as written."""
    if CYRILLIC.search(c.editor.text):  # (rare: the words are looked at only then)
        c.editor.sub(CYRILLIC_WORD, _latin_letters, "mixed_script")


def _latin_letters(m: "re.Match") -> str:
    word = m.group(0)
    if not re.search(r"[^\p{Cyrillic}\W_]", word):  # no letter or digit of another script
        return word
    return word.translate(CYRILLIC_LOOKALIKES)


def dashes_quotes(c: Cleanup) -> None:
    """One dash and one pair of quotes: typographic dashes and quotes to "-", '"' and "'"."""
    c.editor.sub(DASHES_QUOTES, lambda m: DASH_QUOTE_MAP[m.group(0)], "dash_quote", record=False)


def tone_style(c: Cleanup) -> None:
    """One tone-mark convention: "hoá", "khoá", "uỷ" written as "hóa", "khóa", "ủy"
    (``OLD_TONE_STYLE``)."""
    c.editor.sub(OLD_TONE_STYLE, _new_tone_style, "tone_style")


def footnote_markers(c: Cleanup) -> None:
    """Footnote reference marks ``<sup>1</sup>``, and ``[1]`` where a footnote "[1] …" says
    what it refers to: their places are kept (``footnote_places``)."""
    c.editor.sub(SUP_MARKER, "", "footnote_marker")
    noted = {marker for marker, _ in c.bodies}
    c.editor.sub(
        BRACKET_MARKER, lambda m: "" if m.group(1) in noted else m.group(0), "footnote_marker"
    )


def escaped_stars(c: Cleanup) -> None:
    """A printed star a converter escaped at a line's start ("\\* Số 83-KH/HU")."""
    c.editor.sub(ESCAPED_STAR_LEAD, "", "decoration")


def markdown_escapes(c: Cleanup) -> None:
    """Markdown's backslash escapes ("\\-", "\\.") to the characters they escape, and its
    hard line break, a backslash at a line's or a table cell's end, to nothing."""
    c.editor.sub(MD_ESCAPE, r"\1", "markdown_escape")
    c.editor.sub(MD_BACKSLASH_BREAK, "", "markdown_escape")


def markdown_headings(c: Cleanup) -> None:
    """Markdown heading marks ("## "): the heading's end is noted already (``block_ends``)."""
    c.editor.sub(MD_HEADING, "", "markdown_heading")


def markdown_rules(c: Cleanup) -> None:
    """Horizontal rules ("---") go, and a "rule" boundary stays where each stood: flow never
    joins across it, and one just above a footnote is its separator (``cut_footnotes``)."""
    ed = c.editor
    rules = [(m.start(), m.end(), "") for m in MD_RULE.finditer(ed.text)]
    for start, _, _ in rules:
        ed.mark(start, "rule")
    ed.apply(rules, "markdown_rule")
    # a letterhead's rule flattened into its line: "CHÍNH PHỦ_______ Số: 171/2025/NĐ-CP"
    ed.sub(INLINE_RULE, "\n", "markdown_rule")


def markdown_emphasis(c: Cleanup) -> None:
    """Bold and italic marks ("**", "__", "*"); two bold runs a converter glued where a line
    ended, a line in capitals then one in sentence case ("**NGHỊ QUYẾT****Về việc …**",
    "**NGHỊ ĐỊNH**Quy định …"), are two lines (runs glued inside a word, "h****ư", or
    after a space, "**Điều ****2**", are one text)."""
    c.editor.sub(GLUED_RUNS, "\n", "markdown_emphasis")
    c.editor.sub(MD_EMPHASIS, "", "markdown_emphasis")


def tables(c: Cleanup) -> None:
    """Markdown and web tables to one line per cell (``_unpipe_tables``); a row a crawler
    wrote without its outer bars ("- Lưu: HC. | TM. ỦY BAN THƯỜNG VỤ"), split at each bar."""
    _unpipe_tables(c.editor)
    if not _positioned(c.raw):  # on a page read by OCR a bar is a rule or a speck
        _break_lines_at(c.editor, INNER_BAR, "table_bar")


def side_by_side(c: Cleanup) -> None:
    """Two columns a text extraction laid side by side ("pdftotext -layout": the letterhead's
    issuing body beside the motto, Nơi nhận beside the signature), split where a wide gap
    parts them: each column's piece on a line of its own, a block boundary between them.
    A page with positions is put in reading order by ingest instead."""
    if not _positioned(c.raw):
        _break_lines_at(c.editor, COLUMN_GAP, "column_gap")
    # a letterhead's cells run together with a space, the issuing body in capitals and the
    # number below it ("CHÍNH PHỦ Số: 170/2025/NĐ-CP"): the number on a line of its own
    _break_lines_at(c.editor, LETTERHEAD_NUMBER, "column_gap")
    # a line in capitals a converter glued to the next, in sentence case ("NGHỊ ĐỊNHQuy định
    # về …", "… VIỆT NAMĐộc lập - Tự do - Hạnh phúc"): no syllable writes a capital there
    _break_lines_at(c.editor, GLUED_CAPITALS_LINE, "column_gap")


def _positioned(raw: RawDocument) -> bool:
    """The lines carry their place on the page (a PDF or an OCR'd image)."""
    return any(ln.x0 is not None for ln in raw.lines)


def _break_lines_at(ed: TextEditor, pattern: "re.Pattern", kind: str) -> None:
    """Each match of ``pattern`` becomes a line break that flow never joins across."""
    _break_lines(ed, [(m.start(), m.end()) for m in pattern.finditer(ed.text)], kind)


def _break_lines(ed: TextEditor, spans: list[tuple[int, int]], kind: str) -> None:
    """Each span of the text (in order) becomes a line break that flow never joins across."""
    ed.apply([(a, b, "\n") for a, b in spans], kind, record=False)
    removed = 0
    for a, b in spans:
        ed.mark(a - removed, "hard")  # where each "\n" now stands
        removed += b - a - 1


def glued_signature(c: Cleanup) -> None:
    """A signature block a converter wrote on one line, its lines glued where they ended
    ("TM. CHÍNH PHỦKT. THỦ TƯỚNGPHÓ THỦ TƯỚNG(Đã ký)Nguyễn Hòa Bình", a web table's cell
    without its line breaks): its lines again. In a line that opens with an authority, a
    Vietnamese word never touches the next one, so an authority ("KT."), a title ("PHÓ THỦ
    TƯỚNG", "CHỦ TỊCH") or "(Đã ký)" glued to a letter starts a line, and a name glued after
    "(Đã ký)" does too."""
    glue, text = _signature_glue(), c.editor.text
    spans = [
        (m.start(), m.end())
        for line in _authority_line().finditer(text)
        for m in glue.finditer(text, line.start(), line.end())
    ]
    _break_lines(c.editor, spans, "signature_glue")


@lru_cache(maxsize=1)
def _authority_line() -> "re.Pattern":
    return re.compile(rf"(?m)^[ \t]*{authority()}.*")


@lru_cache(maxsize=1)
def _signature_glue() -> "re.Pattern":
    """Where a line an authority opens was glued (``glued_signature``)."""
    marks = [m for m in catalogue()["signature_authorities"] if m.endswith(".")]
    # (a title's words apart by any run of spaces: justified text extracted doubles them)
    titles = alternation(catalogue()["signer_titles"]).replace(r"\ ", r"[ \t]+")
    title = r"(?:PHÓ[ \t]+)?" + titles + r"\b"
    # (and where a table's cell joined them with spaces: "KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Văn
    # An" — before a title after a word in capitals, not inside "PHÓ CHÁNH VĂN PHÒNG", "Q.
    # TỔNG CỤC TRƯỞNG"; before the name that ends the line; two marks stacked on one line,
    # "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH", are read so by structure)
    name = r"(?:\p{Lu}\p{Ll}+[ \t]+){1,4}\p{Lu}\p{Ll}+[ \t]*$"
    # (nor right after a mark written without its dot: "KT GIÁM ĐỐC"; nor after "BAN", "ĐOÀN":
    # a title after them names a collective body, "T/M BAN BÍ THƯ", "TM. ĐOÀN CHỦ TỊCH")
    bare = alternation([m.rstrip(".") for m in catalogue()["signature_authorities"]])
    return re.compile(
        rf"(?<=\p{{L}})(?={alternation(marks)}|{title}|{SIGNED})"
        rf"|(?<={SIGNED})[ \t]*(?=\p{{Lu}}\p{{Ll}})"
        rf"|(?<=\p{{Lu}}{{2}})(?<!PHÓ|TỔNG|\bBAN|\bĐOÀN|(?:^|\n)[ \t]*{bare})"
        rf"[ \t]+(?={title}|{name})"
    )


def edge_spaces(c: Cleanup) -> None:
    """Spaces at the ends of lines."""
    c.editor.sub(MD_LINEBREAK, "", "trailing_space", record=False)
    c.editor.sub(LEADING_SPACE, "", "leading_space", record=False)


def decoration(c: Cleanup) -> None:
    """Lines of stars and bullets only: ornaments, not text."""
    c.editor.sub(DECORATION_LINE, "", "decoration")


def edge_noise(c: Cleanup) -> None:
    """A bar at a line's edge (a table rule or scanner noise read as "|"), a colon or
    semicolon opening a line that goes on in lowercase: OCR noise, never the author's."""
    c.editor.sub(EDGE_BARS, "", "edge_noise")


def bullet_marks(c: Cleanup) -> None:
    """A scan's list bullet OCR read as "~", "_" or "=" ("__~ Tham mưu …", "-_= Ban Tổ chức
    …") is the "-" it is, where a word in sentence case follows it (not "_ CỤC TRƯỞNG", a
    signature's title, or "_ LMỤC ĐÍCH", a heading's dusty number)."""
    if c.raw.ocr_pages:
        c.editor.sub(MISREAD_BULLET, "- ", "bullet")


def page_numbers(c: Cleanup) -> None:
    """Page numbers: "Trang- 48", "Trang 3/12", "- 2 -", a bare number on its own line; a
    "page" boundary where a page's number stood, for flow to join the paragraph a page turn
    cut (not where a bare number stood: it may be a table's cell as well)."""
    found = [(m.span(), not m[0].strip().isdigit()) for m in PAGE_FURNITURE.finditer(c.editor.text)]
    c.editor.sub(PAGE_FURNITURE, "", "page_number")
    gone = 0
    for (start, end), page in found:
        if page:
            c.editor.mark(start - gone, "page")
        gone += end - start


def web_chrome(c: Cleanup) -> None:
    """Lines a website puts around a document (the catalogue's ``web_chrome``: "Trang chủ",
    "Chia sẻ", "Lượt xem: 120" …)."""
    c.editor.sub(_web_chrome(), "", "web_chrome")


def number_label(c: Cleanup) -> None:
    """The letterhead's "Số:" and the number a flattened table cell put on a line of its own
    ("Số:⏎⏎2820/QĐ-UBND"), on one line again."""
    c.editor.sub(SPLIT_NUMBER_LABEL, r"\g<label> ", "number_label")


def bare_labels(c: Cleanup) -> None:
    """A section number alone on its line ("2.⏎Tăng cường …", "a)⏎Vụ và tương đương"): a
    converter's line break between the label and its text, which belong on one line."""
    # (in a text file, blank lines too: a converter that makes each line a paragraph, a page
    # footer gone; not on a page, where a blank line parts blocks and a lone "29)" may be a
    # stamp's; nor before a label: "… chỉ số⏎IV.⏎⏎a)⏎Chủ tịch …" ends a sentence)
    spaced = not _positioned(c.raw)
    c.editor.sub(
        BARE_LABEL, lambda m: m["label"] + " " if spaced or not m["blank"] else m[0], "bare_label"
    )
    # "**Điều⏎3. **Quyết định …": the article's word alone, its number on the next line
    c.editor.sub(BARE_HEADING_WORD, r"\g<word> ", "bare_label")


def broken_symbols(c: Cleanup) -> None:
    """Symbols broken across lines or spaced out: "28-\\n\\nNQ/TW", "58- CTr/TU"
    (``symbols.BROKEN``)."""
    c.editor.sub(BROKEN_SYMBOL, lambda m: "-" if "-" in m.group(0) else "/", "broken_symbol")


def number_word(c: Cleanup) -> None:
    """The word "số" before a document's number, where OCR lost or changed its mark ("Nghị
    định sô 17/2022/NĐ-CP", "sơ"): OCR'd text only, as a typed "so" may be meant."""
    if c.words:
        c.editor.sub(
            NUMBER_WORD, lambda m: "SỐ" if m.group(0).isupper() else m[0][0] + "ố", "spelling"
        )


def date_digits(c: Cleanup) -> None:
    """A day or month OCR read with a look-alike of a digit ("ngày 3] tháng 01 năm 2022",
    "ngày 2O tháng l2"): OCR'd text only, and only where the date it makes is a date."""
    if c.words:
        c.editor.sub(DAMAGED_DATE, _date_digits, "date_digits")


def _date_digits(m: "re.Match") -> str:
    day, month = (m.group(k).translate(DATE_DIGIT_LOOKALIKES) for k in ("d", "m"))
    if not (day.isdigit() and month.isdigit() and 1 <= int(day) <= 31 and 1 <= int(month) <= 12):
        return m.group(0)
    return m.group("ngay") + day + m.group("t") + month + m.group("n")


def damaged_symbols(c: Cleanup) -> None:
    """Party symbols OCR damaged (``_repair_symbols``): "213-QĐĐ/TW", "117-KH/T Ũ", "28-NQ/TVV"."""
    _repair_symbols(c.editor, ocr=bool(c.words))


def term_numerals(c: Cleanup) -> None:
    """Damaged term numerals read as the one the document writes ("khóa XIN" -> "XIII"),
    then, for OCR'd text, a term read short of the one its symbol has elsewhere."""
    _repair_term_numerals(c.editor)
    if c.words:
        confidence, ed = _confidence_lookup(c.words), c.editor
        c.unsure = lambda at: (
            (conf := confidence(ed.source_offset(at))) is not None and conf < CERTAIN
        )
        _repair_terms_by_symbol(c.editor, c.unsure)


def double_spaces(c: Cleanup) -> None:
    """Runs of spaces to one."""
    c.editor.sub(SPACES, " ", "spaces", record=False)


def cut_footnotes(c: Cleanup) -> None:
    """Footnote bodies out of the body flow, kept aside to be gathered after the body
    (``_cut_footnotes``)."""
    if c.bodies:
        # a page layout, a converter's "[1] …" notes after the signature, a text that keeps its
        # page's line breaks: a footnote runs on over the lines after it
        wrapped = (
            _positioned(c.raw)
            or any(kind in ("bracket", "caret") for kind in c.body_kinds)
            or _hard_wrapped(c.editor.text)
        )
        c.notes = _cut_footnotes(c.editor, c.bodies, wrapped_notes=wrapped)


def flow(c: Cleanup) -> None:
    """Hard-wrapped lines joined into paragraphs, one per line (``_flow``); the block
    boundaries have served their purpose and are forgotten."""
    # a page's positions show its paragraphs; a text file's blank lines may
    _flow(c.editor, blank_lines_part=not _positioned(c.raw))
    c.editor.breaks.clear()


def outside_document(c: Cleanup) -> None:
    """What stands before the letterhead and after the closing block and what the document
    attaches (a website's banner and metadata table, related documents, login notices, a news
    page's captions): not the document (``parts.extent``). A scan of paper has none."""
    if c.words:
        return
    text = c.editor.text
    lines = text.split("\n")
    first, end = parts.extent(lines)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    edits = [(0, starts[first], "")] if first > 0 else []
    if end < len(lines):
        edits.append((max(0, starts[end] - 1), len(text), ""))
    c.editor.apply([e for e in edits if text[e[0] : e[1]].strip()], "outside_document")


def trim(c: Cleanup) -> None:
    """No line breaks at the text's ends."""
    c.editor.sub(TRIM, "", "trim", record=False)


def spelling_repairs(c: Cleanup) -> None:
    """OCR damage to tone and vowel marks, repaired against the word lists and the document's
    own usage ("YÊU CẨU" -> "YÊU CẦU"; ``spelling.py``); in OCR'd text, first the names of
    a letterhead or signature block in capitals against the catalogue's ("BỌ QUỐC PHÒNG",
    "PHO CHANH AN")."""
    if c.words:
        c.editor.apply(spelling.find_name_repairs(c.editor.text), "spelling")
    c.editor.apply(spelling.find_repairs(c.editor.text, c.unsure), "spelling")


def gather_footnotes(c: Cleanup) -> None:
    """The footnotes after the body, one per line, each with the offset of its reference."""
    if c.notes:
        c.body_end, c.footnotes = _append_footnotes(c.editor, c.notes, c.refs)


PASSES: tuple[Callable[[Cleanup], None], ...] = (
    running_headers,
    ocr_speckle,
    newlines,
    invisible,  # (first of the text's passes: the marks' patterns read the words as shown)
    html_markup,
    markdown_marks,
    wrapped_emphasis,
    block_ends,
    footnote_places,
    lookalikes,
    mixed_scripts,
    dashes_quotes,
    tone_style,
    footnote_markers,
    escaped_stars,
    markdown_escapes,
    markdown_headings,
    markdown_rules,
    markdown_emphasis,
    tables,
    side_by_side,
    glued_signature,
    edge_spaces,
    decoration,
    edge_noise,
    bullet_marks,
    page_numbers,
    web_chrome,
    number_label,
    bare_labels,
    broken_symbols,
    number_word,
    date_digits,
    damaged_symbols,
    outside_document,
    term_numerals,
    double_spaces,
    cut_footnotes,
    flow,
    trim,
    spelling_repairs,
    gather_footnotes,
)


def clean(raw: RawDocument) -> CleanText:
    """Clean the ingested text; offsets stay traceable to ``raw.text``."""
    c = Cleanup(raw, TextEditor(raw.text))
    for step in PASSES:
        step(c)
    cleaned = c.editor.finish()
    cleaned.footnotes, cleaned.body_end = c.footnotes, c.body_end
    cleaned.ocr = bool(raw.ocr_pages)
    return cleaned


# --- patterns -------------------------------------------------------------------------------

NEWLINES = re.compile(r"\r\n?")
MISREAD_BULLET = re.compile(r"(?m)^[ \t]*-?[_~=][-_~=.]*[ \t]+(?=\p{Lu}\p{Ll})")
LEADING_SPACE = re.compile(r"(?m)^[ \t]+")
SPACES = re.compile(r" {2,}")
TRIM = re.compile(r"^\n+|\n+$")

SPLIT_NUMBER_LABEL = re.compile(
    r"(?m)^(?P<label>[ \t]*(?:Số|SỐ)[ \t]*[:.]?)[ \t]*\n(?:[ \t|]*\n)*[ \t]*"
    rf"(?={symbols.NUMBER}[ \t]*[-/])"
)
BARE_LABEL = re.compile(
    r"(?m)^(?P<label>[ \t]*(?:(?:[IVXLC]{1,6}|\d{1,3}(?:\.\d{1,2})*)[.)]|[a-zđ]\)))[ \t]*\n[ \t]*"
    r"(?P<blank>(?:\n[ \t]*){0,3})(?=\p{L})(?![a-zđ]\)|[IVXLC]{1,6}[.)])"
    # nor before a division's label: "… xã Sơn Kim⏎2.⏎⏎Điều 2. Hiệu lực thi hành"
    r"(?!(?i:Điều|Chương|Mục|Phần)\s+(?:\d|[IVXLC]))"
)
BARE_HEADING_WORD = re.compile(
    r"(?m)^(?P<word>[ \t]*(?:Điều|Chương|Mục|Phần|ĐIỀU|CHƯƠNG|MỤC|PHẦN))[ \t]*\n[ \t]*"
    r"(?=(?:\d{1,3}|[IVXLC]{1,6})\b)"
)
# a cell boundary inside a line: " | " between two words
INNER_BAR = re.compile(r"(?<=\S)[ \t]+\|[ \t]+(?=\S)")
# a run of spaces wide enough to part two columns of a text extraction, before a capital (a
# blank left for a hand-written day or number, "ngày        tháng", is no column)
COLUMN_GAP = re.compile(r"(?<=\S)[ \t]{6,}(?=\p{Lu})")
GLUED_CAPITALS_LINE = re.compile(
    r"(?m)(?<=^[ \t]*[\p{Lu}\d][\p{Lu}\d \t,.&-]*\p{Lu}{2})(?=\p{Lu}\p{Ll})"
)
LETTERHEAD_NUMBER = re.compile(
    rf"(?m)(?<=^[ \t]*\p{{Lu}}[\p{{Lu}}\d&.-]*(?:[ \t]+[\p{{Lu}}\d&.-]+)*\p{{Lu}})_*[ \t]+"
    rf"(?={symbols.NUMBER_LABEL}{symbols.WRITTEN})"
)
COLUMN_SPACES = " " * 6  # (as wide a gap as COLUMN_GAP needs)
TAB_COLUMNS = re.compile(r"(?<=\S)[ ]*\t[ \t]*(?=\p{Lu})")
# a line's start that is only a section label or a bullet, which a tab follows in a Word list
LABEL_ONLY = re.compile(
    r"(?:[IVXLC]{1,6}|\d{1,3}(?:\.\d{1,2})*|[a-zđ])[.)]?|[-+•]|(?:Điều|Chương|Mục|Phần)\s+\S+"
)
INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060\ufeff\u00ad]")
LOOKALIKES = re.compile(r"[ðÐ\u00a0\u2007\u202f\t\u2044\u2215]")
LOOKALIKE_MAP = {
    "ð": "đ",
    "Ð": "Đ",
    "\u00a0": " ",
    "\u2007": " ",
    "\u202f": " ",
    "\t": " ",
    "\u2044": "/",  # fraction and division slashes: OCR's slash in "55⁄2024/QH15"
    "\u2215": "/",
}

CYRILLIC = re.compile(r"\p{Cyrillic}")
CYRILLIC_WORD = re.compile(r"[\w/.-]*\p{Cyrillic}[\w/.-]*")
CYRILLIC_LOOKALIKES = str.maketrans("АВСЕНІЈКМОРЅТХУаесіјорѕху", "ABCEHIJKMOPSTXYaecijopsxy")

SUP_MARKER = re.compile(r"<sup>\s*\(?\s*(\w{1,3})\s*\)?\s*</sup>")
MD_HEADING = re.compile(r"(?m)^[ \t]*#{1,6}[ \t]+")
# a footnote body on its own line: "1- Kế hoạch số …", "<sup>(1)</sup> Tham mưu …"
FOOTNOTE_LINE = re.compile(
    r"(?m)^[ \t]*(?:(?:<sup>\s*\(?(?P<sup>\d{1,2})\)?\s*</sup>|(?P<num>\d{1,2})[ \t]*[-–])[ \t]+\S"
    r"|\[(?P<bracket>\d{1,2})\](?:[ \t]+\S|[ \t]*$)"  # "[1] Thông báo số …", "[3]⏎UBND …"
    r"|\[\^(?P<caret>\w{1,10})\]:[ \t]*\S)"  # pandoc's markdown: "[^1]: Nghị quyết số …"
)
# a converter's footnote reference: "nhiều văn bản[1]" (a footnote "[1] …" says what it is)
# (a consolidated text's "a) [2]"); pandoc's "văn bản[^1]"
# (after a word, a space or two between: justified text extracted doubles them)
BRACKET_MARKER = re.compile(r"(?<=\S[ \t]{0,2})(?|\[(\d{1,2})\]|\[\^(\w{1,10})\])")
MD_HEADING_LINE = re.compile(r"(?m)^[ \t]*(?:#{1,6}[ \t]+.*\S|\*\*[^*\n]+\*\*)(?=[ \t]*$)")
# a bold or italic run over two to four lines, no blank line inside and no line break that
# markdown writes on purpose (two spaces or a backslash at the line's end); empty bold pairs
# may follow it ("**CÁC QUY ĐỊNH CỤ⏎THỂ**** **")
WRAPPED_EMPHASIS = re.compile(
    r"(?<![*_\w])(?P<mark>\*\*|\*|__)(?=[^\s*_])[^*_\n]{0,200}"
    r"(?:(?<!  |\\)\n(?![ \t]*\n)[^*_\n]{0,200}){1,3}(?<=[^*_])(?P=mark)(?:\*\*)*(?![*_\w])"
)
# the end of a run, a blank line, and a run that opens with a letter (not a label: "a)")
SPLIT_EMPHASIS = re.compile(
    r"(?<=[^\s*_])(?P<mark>\*\*|\*|__)[ \t]*\n[ \t]*\n[ \t]*(?P=mark)"
    r"(?=\p{L}|\d)(?!\p{L}{1,2}[).]\s)"
)
MD_RULE = re.compile(r"(?m)^[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*$")
INLINE_RULE = re.compile(r"(?<=\S)[ \t]*_{3,}[ \t]*(?=\S)")
GLUED_RUNS = re.compile(r"(?<=[\p{Lu}\d])(?:\*\*){1,2}(?=\p{Lu}\p{Ll})")
MD_EMPHASIS = re.compile(r"(?<!\*)\*\*\*(?!\*)|\*\*|__|(?<![\w*\\])\*(?=\S)|(?<=\S)\*(?![\w*])")
# the tags a converter writes (not "<sup>": a footnote's mark), never a form's placeholder
# ("<Tên cơ quan>")
HTML_TAG = re.compile(
    r"</?(?P<name>p|br|td|th|tr|table|thead|tbody|tfoot|colgroup|col|caption|div|span|font"
    r"|center|strong|b|em|i|u|a|li|ul|ol|h[1-6]|blockquote|hr)(?:\s[^<>\n]*)?/?>",
    re.IGNORECASE,
)
HTML_BLOCKS = {"p", "td", "th", "tr", "table", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6"}
HTML_ONLY_LINE = re.compile(rf"(?m)^[ \t]*(?:{HTML_TAG.pattern}[ \t]*)+(?:\n|$)", re.IGNORECASE)
HTML_ENTITY = re.compile(r"&(?:nbsp|amp|lt|gt|quot|apos|#\d{1,6}|#x[0-9a-fA-F]{1,6});")
MD_SPAN = re.compile(r"\[(?P<text>[^\[\]\n]*)\]\{[#.][^{}\n]*\}")
# (not "> 5 ha", a comparison a table's cell opens with: a quote opens on words or a label)
MD_BLOCKQUOTE = re.compile(
    r"(?m)^[ \t]{0,3}(?:>[ \t]?)+"
    r"(?=\p{L}|\*|\d{1,3}(?:\\?\.\d{1,2})*\\?[.)][ \t]|[-+][ \t]|[ \t]*$)"
)
ROW_BREAK = re.compile(r"\|[ \t]*\n|\n[ \t]*\|")
MD_BACKSLASH_BREAK = re.compile(r"(?m)(?<=\S)\\(?=[ \t]*(?:\|[ \t]*)?$|[ \t]+\|)")
MD_ESCAPE = re.compile(r"\\([\\*_#`\[\]().!>+-])")
MD_LINEBREAK = re.compile(r"(?m)[ \t]+$")
# "\* Số 83-KH/HU": a printed star, not text
ESCAPED_STAR_LEAD = re.compile(r"(?m)^[ \t]*\\\*[ \t]*")
# a vertical bar at a line's edge (a table rule or scanner noise read as "|"), a colon
# or semicolon opening a line that goes on in lowercase: OCR noise, never the author's
EDGE_BARS = re.compile(r"(?m)^[ \t]*\|[ \t]*|[ \t]*\|[ \t]*$|^[ \t]*[:;][ \t]+(?=\p{Ll})")
DECORATION_LINE = re.compile(r"(?m)^[ \t]*[*•·]+[ \t]*$")

# page numbers: "Trang- 48", "Trang 3/12", "- 2 -", a bare number on its own line
PAGE_FURNITURE = re.compile(
    r"(?mi)(?:[ \t]+|^)Trang[ \t]*[-–:]?[ \t]*\d{1,4}(?:[ \t]*/[ \t]*\d{1,4})?[ \t]*$"
    r"|^[ \t]*[-–][ \t]*\d{1,4}[ \t]*[-–][ \t]*$"
    # (not the year, month, day or number a line break left alone after its word, nor a
    # range's end: "… GIAI ĐOẠN 2026 -⏎2030", "… NHIỆM KỲ⏎2026")
    r"|(?<!(?:năm|tháng|ngày|số|đoạn|kỳ|[-–])[ \t]*\n)^[ \t]*\d{1,4}[ \t]*$"
)

BROKEN_SYMBOL = re.compile(symbols.BROKEN)
# a day and month written out ("ngày 31 tháng 01 năm 2022"), one of them holding a character
# OCR reads for a digit ("]", "|", "l", "I" for 1; "O", "o" for 0) beside a digit or alone
_DAY_OR_MONTH = r"(?=[\d\]|lIOo]{1,2}\s)(?:\d?[\]|lIOo]|[\]|lIOo]\d|\d{1,2})"
DAMAGED_DATE = re.compile(
    rf"(?P<ngay>\b(?i:ngày)\s+)(?P<d>{_DAY_OR_MONTH})(?P<t>\s+(?i:tháng)\s+)(?P<m>{_DAY_OR_MONTH})"
    r"(?P<n>\s+(?i:năm)\s+\d{4})"
)
DATE_DIGIT_LOOKALIKES = str.maketrans("]|lIOo", "111100")
NUMBER_WORD = re.compile(
    r"(?<!\p{L})(?<!(?i:hồ)\s+)(?i:s[ôơoóòỏõọồổỗộớờởỡợ])(?!\p{L})"  # ("hồ sơ" is a word)
    rf"(?=\s*:?\s*{symbols.NUMBER}[-/](?:\d{{4}}/)?\p{{Lu}})"
)

# "An Phú, ngày 15 tháng 3 năm 2024": the header's place and date stand on their own line
PLACE_DATE_LINE = re.compile(PLACE_DATE_SHAPE)
PLACE_DATE_START = re.compile(PLACE_DATE_OPENING)
PLACE_ALONE = re.compile(rf"^{PLACE}\s*,$")  # a header's place, its date on the next line
SENTENCE_END = re.compile(r"[.!?…]['\"”’)]?$")
TERMINAL = re.compile(r"[.;:!?…]['\"”’)]?$|\./\.$")
# words that link what comes before them to a name or phrase after: nothing ends on them
LINKING_WORDS = frozenset(
    "và của về với cho trong đối tại theo nhằm để các những thuộc đến từ giữa bởi tới".split()
)
# a division's word alone on its line, and the number that goes with it ("Chương" | "IV")
DIVISION_WORD = re.compile(numbering.NAMED)
DIVISION_NUMBER = re.compile(r"(?:\d{1,3}[a-zđ]?|[IVXLC]{1,6})(?![\p{L}\d])")
SUBJECT_LABEL = re.compile(parts.SUBJECT_LABEL)
ARTICLE_LABEL = re.compile(r"(?:Điều|ĐIỀU)\s+\d{1,3}[a-zđ]?\s*[.:]")
# a line that opens a chapter, part or section ("Chương I", "MỤC 2"), or an article
DIVISION_HEADING = re.compile(
    r"(?:Phần|Chương|Mục|PHẦN|CHƯƠNG|MỤC)\s+(?:[IVXLC]{1,6}|\d{1,3})\b(?!\s+\p{Ll})"
    rf"|{ARTICLE_LABEL.pattern}"
)
# words a number follows: "… đến năm | 2030", "… Nghị quyết số | 57-NQ/TW"
NUMBER_WANTING = frozenset("năm số ngày tháng đoạn khóa".split())
# words that cannot end a sentence: a capitalised next line still continues it
CONTINUING_WORDS = frozenset(
    "và của số theo với về các những trong ngày tại là cho được để đến từ do hoặc thì mà như "
    "nhằm bằng trên dưới "
    "giữa sau trước khi đã đang sẽ có không cũng hành thuộc bởi tới".split()
)


@lru_cache(maxsize=1)
def _marker_line() -> "re.Pattern":
    """A line that opens a block of its own: a list item or a section number
    (``numbering.LINE_NUMBER``), "Nơi nhận", a signature authority ("T/M", "KT."), a copy's
    "(Đã ký)"."""
    return re.compile(rf"^(?:{LINE_NUMBER}|Nơi nhận|{authority()}|[ \t]*{SIGNED})")


def _is_upper_line(line: str) -> bool:
    # upper-case letters and no lower-case ones (str.isupper), at least two of them
    return line.isupper() and sum(c.isalpha() for c in line) >= 2


def _joins(
    a: str,
    b: str,
    bigrams: set[tuple[str, str]],
    wrapped: bool,
    indented: bool = False,
    width: int = 0,
    line: str | None = None,
) -> bool:
    """Whether line b continues paragraph a (the lines joined so far; ``line``: the last of
    them, when there are several).

    ``wrapped``: the document is hard-wrapped (a converter kept the page's line
    breaks), so a capitalised line after an unfinished one usually continues it;
    otherwise only a word that cannot end a sentence carries over. ``indented``: the
    page shows b indented like a paragraph's first line, so only strong evidence joins.
    ``width``: the length its wrapped lines reach (``_wrap_width``), 0 if none. What a line
    alone says (a word cut, capitals, a place and date, a bracket left open, the width it
    reaches) is read from the last line; what a sentence or heading says (its number, an
    office it ends with) from the paragraph: a converter breaks lines anywhere ("…, Giám" |
    "đốc" | "Trung tâm …").
    """
    a, b = a.rstrip(), b.lstrip()
    line = a if line is None else line.rstrip()
    if line and b and _held_together(line, b):
        return True
    if a.endswith(":") and b[:1].islower() and not _marker_line().match(b) and not _lead(a):
        return True  # "… kiểm tra về công tác: | hộ tịch, quốc tịch …": no list opens in lower case
    if (
        line
        and b[:1].islower()
        and len(line) <= 6
        and " " not in line
        and _is_upper_line(line)
        and not _marker_line().match(b)
    ):
        return True  # "và | UBND | các xã": an abbreviation alone, its sentence going on
    if a.endswith(";") and b[:1].islower() and ARTICLE_LABEL.match(a) and a.count(".") == 1:
        # "Điều 7. Chủ sở hữu công trình thoát nước …; công trình xử lý nước thải; | công
        # trình xử lý bùn thải …": an article's title lists on; a title never ends in ";"
        return not _marker_line().match(b)
    if (
        not line
        or not b
        or TERMINAL.search(a[-4:])  # (the end only: a paragraph can be long)
        # (not an abbreviation a sentence already went on to: "… quốc gia | TCVN | ISO 9001";
        # in plain letters, not a word of a title: "CHỦ | TỊCH")
        or (
            _is_upper_line(line)
            and not (line != a and line.isascii() and ABBREVIATION_ALONE.fullmatch(line))
        )
        or PLACE_DATE_LINE.match(line)
    ):
        return False
    if PLACE_DATE_START.match(b) and not PLACE_DATE_START.match(f"{line} {b}"):
        # "V/v chính sách thuế GTGT | Hà Nội, ngày 24 …": a header's own line (but "Hà | Nội, …")
        return False
    if _place_split(line, b):
        return True  # "Hà | Nội, ngày 24 tháng 11 năm 2025": the place's name broken
    if _place_alone(line, b):
        return False  # "… tại Việt Nam | Hà Nội, | ngày 25 tháng 11 …": its date below
    if (
        line.count("(") > line.count(")")
        and not b.startswith(("-", "+"))
        and not DIVISION_HEADING.match(b)
    ):
        # "(khóa | XII) và …": a bracket left open, the sentence goes on (not into a chapter,
        # part, section or article: "(Ban hành kèm theo Quyết định … | Chương I", unclosed)
        return True
    last_word = a.split()[-1]
    if REFERENCE_WANTING.search(a[-40:]) and DIVISION_REFERENCE.match(b):
        return True  # "… quy định tại | Điều 4 …", "… tại khoản 1 | Điều 9": a reference
    if DIVISION_REFERRED.search(a[-60:]) and REFERRED_DOCUMENT.match(b):
        return True  # "… quy định tại Điều 7 | Thông tư số 13/2023/TT-BNV": whose article
    # (the cheap tests first: asked at every line break)
    if (
        a.endswith("này")
        and b[:1].isupper()
        and ATTACHED_HERE.search(a[-60:])
        and not _marker_line().match(b)
    ):
        return True  # "Điều 1. Ban hành kèm theo Quyết định này | Danh mục …": what it attaches
    if (m := DASH_JOINED.match(b)) and _pair(last_word, m[1]) in bigrams:
        return True  # "… tổ chức chính trị | - xã hội": a pair the text writes with its dash
    if _marker_line().match(b):
        return False
    if (
        parts.APPENDIX_HEAD.match(b)
        and not a.endswith(",")
        and last_word.casefold() not in CONTINUING_WORDS
        and not REFERENCE_WANTING.search(a[-40:])
    ):
        # "Phùng Thị Hồng Hà | Phụ lục I": an appendix opens (not "kèm theo | Phụ lục", "theo
        # khoản 3 | Phụ lục V")
        return False
    if b[0].isdigit() and last_word.casefold() in CONTINUING_WORDS:
        return True  # "2. Đối với | 03 TTHC:": a count the sentence goes on with
    if last_word.casefold() in LINKING_WORDS and _is_upper_line(b):
        return True  # "… công tỉnh) và | UBND các xã": a body's abbreviation, not a heading
    if NUMBER_OPENS.match(b) and _type_wants_number(a):
        return True  # "… triển khai Nghị định | 136/2025/NĐ-CP": the document's number
    if _is_upper_line(b) and (len(b) > 3 or not b.isascii()):
        # (a short one may be a term or a code: "khóa | XII"; not a word: "PHỤ"); an
        # abbreviation the width pushed down goes on ("… của Chủ tịch | UBND"), or one the
        # text writes after that word ("V/v thuế suất thuế | GTGT")
        return ABBREVIATION_ALONE.fullmatch(b) is not None and (
            _width_forced(line, b, width) or _pair(last_word, b) in bigrams
        )
    first = b[0]
    if first.islower() or first.isdigit() or first in "(“\"'":
        return True
    if not first.isupper():
        return False
    if _heading_ends(a, b, one_line=line == a):
        # "Điều 4. Hiệu lực thi hành | Quyết định này …": the title is whole; "3. Tài khoản
        # quản trị | Tài khoản quản trị có …": the text restates it
        return False
    first_word = b.split()[0]
    heading = NUMBERED_LINE.match(a) and len(a) <= HEADING_MAX
    # (the opener first: asked at every line break, it rules out most before numbering is read)
    if (
        sentence_opener().match(b)
        and not _quote_open(a)
        and (heading or (len(a) <= HEADING_MAX and numbering.read(a)))
    ):
        # "8. Đối với chi bộ Tòa án, Viện kiểm sát | Căn cứ …", "Điều 18. Điều khoản thi
        # hành | Trong quá trình …": its text, whatever word the heading ends with
        return False
    if last_word.casefold() in CONTINUING_WORDS or a.endswith(","):
        # "… của Ban Chấp | hành", "…18-NQ/TW, | Nghị quyết…": the sentence is not finished
        return True
    if _name_opened(a):
        return True  # "… của Bộ | Văn hóa, Thể thao và Du lịch": the body's name goes on
    seen_together = _pair(last_word, first_word) in bigrams  # ("Việt | Nam,")
    if indented:
        return last_word[:1].isupper() and seen_together  # "của Ban | Thường vụ Huyện ủy"
    if _executing_article(a):
        return True  # "Điều 4. Chánh Văn phòng | UBND tỉnh, Giám đốc Sở …": its officers, no title
    if heading:
        # a short numbered line is a heading unless the words prove the wrap; a capitalised
        # verb after a heading ending in a lower-case word opens its first task
        # ("2.9. Ban Cán sự đảng … tỉnh | Lãnh đạo tiếp tục …")
        if last_word[:1].islower() and task_verb_opening().match(b):
            return False
        if last_word[:1].isupper() and b[:1].isupper() and b.isalpha():
            # a name the line broke before its last word ("6. Sở Ngoại | Vụ", "đ) Thị trường
            # châu Đại | Dương", a heading held together only by its bold): a capitalised word
            # alone on the next line ends it; a heading's text never is one word alone
            return True
        # a numbered line the next word would not have fitted on, in a text wrapped at a
        # width, is a paragraph the page wrapped (a heading stops short of it); two
        # capitalised words the text writes together are a name broken ("… tỉnh Phú | Thọ"),
        # unless a task or its doer opens below ("2. Lãnh đạo Bộ | Chỉ đạo …" beside "Bộ
        # Chỉ huy", "… của Đảng | Chánh Văn phòng …")
        if wrapped:
            return seen_together or _width_forced(line, b, width)
        return (
            seen_together
            and last_word[:1].isupper()
            and not task_verb_opening().match(b)
            and not _office_opening().match(b)
        )
    if sentence_opener().match(b):
        return False  # "Thực hiện …", "Căn cứ …" capitalised: a new sentence, not a wrapped one
    if not wrapped:
        return seen_together  # a page break inside "của Ban | Thường vụ Huyện ủy"
    # (the width: "… hướng dẫn thực hiện | Quyết định này", the next word would not have
    # fitted); a name alone ("Lâm Văn Bi", a signer's) is no sentence a capital goes on with
    # (but its last part: "Lê Hải | Hòa")
    name = TITLE_CASE_ALONE.fullmatch(a) and not NAME_PART.fullmatch(b)
    # (nor a word alone after an abbreviation a sentence went on to alone: "V/v thuế suất
    # thuế | GTGT | Tây | Ninh, ngày …", a stack of one-word lines; but "của | UBND |
    # Thành phố về đề nghị …")
    carried = line != a and ABBREVIATION_ALONE.fullmatch(line) is not None and " " not in b
    capital = last_word[:1].isupper() and not name and not carried
    # an abbreviation is in capitals wherever it stands: opening b after a line as long as
    # wrapped lines run ("… thực hiện bãi bỏ | TTHC trên cơ sở …"), it opens no sentence
    abbreviation = len(line) >= WRAP_MIN and bool(ABBREVIATION_ALONE.fullmatch(first_word))
    return (
        a.endswith(",") or capital or seen_together or _width_forced(line, b, width) or abbreviation
    )


def _place_alone(line: str, b: str) -> bool:
    """Line b is a header's place alone, its date on the next line ("… tại Việt Nam | Hà Nội,
    | ngày 25 …"): a place the gazetteer knows, that line does not lead to ("… thành phố |
    Hà Nội, Giám đốc …", "… tại | Hà Nội,")."""
    if not PLACE_ALONE.match(b) or provinces.where(b.rstrip(" ,"), None) is None:
        return False
    last = line.split()[-1].casefold()
    return (
        not provinces.ends_with_prefix(line)
        and last not in LINKING_WORDS
        and last not in CONTINUING_WORDS
    )


def _place_split(line: str, b: str) -> bool:
    """A header's place broken after its first words: line and b's words before the comma
    are a place the gazetteer knows, line's alone are not ("Hà | Nội, ngày …", "Thừa Thiên |
    Huế, ngày …")."""
    if len(line.split()) > 3 or not PLACE_DATE_START.match(f"{line} {b}"):
        return False
    place = f"{line} {b.split(',')[0]}"
    return bool(provinces.where(place, None)) and not provinces.where(line, None)


def _executing_article(a: str) -> bool:
    """An article that opens as the one naming who carries the document out does ("Điều 4.
    Chánh Văn phòng …", "Điều 3. Các ông (bà) …"; the catalogue's ``executing_openers``): a
    sentence run into its line, no title (a law's article may be titled with an office
    alone, "Điều 32. Chủ tịch Ủy ban nhân dân": not those)."""
    read = (
        numbering.read(a) if len(a) <= HEADING_MAX and a.lstrip()[:4].casefold() == "điều" else None
    )
    return bool(read) and read[0] == "Điều" and executing_opening().match(read[2]) is not None


def _held_together(a: str, b: str) -> bool:
    """Line b cannot open a paragraph of its own after line a, whatever the gap between: a
    label or mark alone above (``_cut``: "2.4. Bộ | Chỉ huy …", "PHỤ | LỤC I"), a comma
    opening b ("… phổ thông | , dự bị đại học"), a quotation opened in a that b closes ("…
    thì ghi "KT. CHÁNH ÁN | PHÓ CHÁNH ÁN".")."""
    return (
        _cut(a, b)
        or b[:1] in ",;"
        or (_quote_open(a) and _quote_closes(b[:QUOTED_MAX]) and not _marker_line().match(b))
    )


def _quote_closes(b: str) -> bool:
    """The first quotation mark of b closes a quotation: "PHÓ CHÁNH ÁN".", not b opening one
    of its own (""Điều 39. …", an amendment quoting an article)."""
    m = QUOTE_MARK.search(b)
    return bool(m) and m.start() > 0 and m[0] != "“"


def _width_forced(a: str, b: str, width: int) -> bool:
    """In a text wrapped at ``width`` (0: none), b's first word would not have fitted on a:
    the page broke the line, not the writer. (A line far longer than the width is a
    paragraph a converter wrote whole, not one the page wrapped; a letter's subject is
    followed by its place and date or its addressee, capitalised lines of their own.)"""
    return (
        bool(width)
        and width < len(a) + 1 + len(b.split()[0])
        and len(a) <= WRAP_OVER * width
        and not SUBJECT_LABEL.match(a)
    )


def _pair(last: str, first: str) -> tuple[str, str]:
    """Two words either side of a line break as ``_bigrams`` counts them: letters and
    digits, lower case ("Việt", "Nam," -> ("việt", "nam"))."""
    a, b = WORD.findall(last.casefold()), WORD.findall(first.casefold())
    return (a[-1] if a else "", b[0] if b else "")


def _standard_heading(line: str) -> bool:
    """A numbered line whose words are a title the drafting rules name, whole ("Điều 4. Hiệu
    lực thi hành"): its heading ends there, whatever word pairs the text writes elsewhere
    ("… thi hành Quyết định này")."""
    read = numbering.read(line) if len(line) <= HEADING_MAX else None
    return bool(read) and _named_title(read[2])


def _named_title(words: str) -> bool:
    return bool(standard_title().fullmatch(words.strip(" .:*")))


def _heading_ends(a: str, b: str, one_line: bool = True) -> bool:
    """Numbered line a is a heading that ends before b: its words are a title the drafting
    rules name (``_standard_heading``), or b opens with them, the text restating its heading
    ("3. Tài khoản quản trị" | "Tài khoản quản trị có chức năng …"; a heading on one line:
    an item already run over lines is a sentence that may name its subject again)."""
    read = numbering.read(a) if len(a) <= HEADING_MAX else None
    if not read:
        return False
    head = read[2].casefold().split()[:3]
    # (an article's heading is its title, however many lines it runs over: "Điều 1. Bãi bỏ
    # toàn bộ các | Quyết định | Bãi bỏ toàn bộ các Quyết định sau đây:")
    restated = (
        (one_line or read[0] == "Điều")
        and len(head) >= 2
        and b.casefold().split()[: len(head)] == head
    )
    return _named_title(read[2]) or restated


def _lead(line: str) -> bool:
    """A numbered line that is a short lead ending in ":" ("4. Thiết bị lưu khóa bí mật:",
    "đ) Bản ghi âm:"): a term and its definition below it, each its own line."""
    read = numbering.read(line)
    return bool(read) and len(read[2]) <= LEAD_MAX


def _quote_open(line: str) -> bool:
    """A quotation opened on the line and not closed ("6. Thay thế cụm từ "Tổng cục | Thi hành
    án dân sự" …"): the words go on."""
    return line.count('"') % 2 == 1 or line.count("“") > line.count("”")


@lru_cache(maxsize=1)
def _name_bigrams() -> frozenset:
    """Word pairs inside the names of bodies ("tướng chính" of "Thủ tướng Chính phủ"):
    a line break between them is a wrap, whatever the document says elsewhere."""
    pairs = set()
    for name in catalogue()["organisations"]:
        words = name.casefold().split()
        pairs.update(zip(words, words[1:]))
    return frozenset(pairs)


def _hard_wrapped(text: str) -> bool:
    """The text keeps its page's line breaks: many a line goes on in lower case after one
    that did not end its sentence."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    soft = sum(
        1
        for a, b in zip(lines, lines[1:])
        if b[:1].islower()
        and not TERMINAL.search(a)
        and not _is_upper_line(a)
        and not _marker_line().match(b)
    )
    return soft > 0.15 * max(1, len(lines))


def _bigrams(text: str) -> set[tuple[str, str]]:
    """The word pairs the text writes on one line, and those inside the catalogue's names: a
    line break between them is a wrap."""
    bigrams = set(_name_bigrams())
    # (not across a comma or a stop: "cán bộ, công chức, hình thức …" writes no pair "chức
    # hình"; a dash is inside a pair: "chính trị - xã hội")
    for part in PAIR_BREAK.split(text.casefold()):
        words = WORD.findall(part)
        bigrams.update(zip(words, words[1:]))
    return bigrams


# a line that ends wanting a division's number after it, and a reference to one opening the
# next: "… quy định tại | Điều 4", "… tại khoản 1 | Điều 9, Điều 10" (no label's "." or ":")
REFERENCE_WANTING = re.compile(
    rf"(?:\b(?:{'|'.join(sorted(LINKING_WORDS))})|\b(?:khoản|điểm|mục)\s+[\w.]+)$"
)
# a number opening a line: "136/2025/NĐ-CP", "45-KH/TU …"
NUMBER_OPENS = re.compile(rf"{symbols.NUMBER}\s*[-/]\s*(?:\d{{4}}\s*/\s*)?\p{{Lu}}")


@lru_cache(maxsize=1)
def _type_wanting_number() -> "re.Pattern":
    return re.compile(rf"\b(?i:{type_pattern()})(?:\s+số)?$")


def _type_wants_number(a: str) -> bool:
    """The line ends with a document's type, which its number follows ("… triển khai Nghị
    định", "… theo Quyết định số")."""
    return _type_wanting_number().search(a[-60:]) is not None


# a line ending "attached to this decision" wants what is attached: "Điều 1. Ban hành kèm
# theo Quyết định này | Quy chế …", "Phê duyệt kèm theo Quyết định này | Danh mục …"
ATTACHED_HERE = re.compile(r"\bkèm theo (?:\p{Lu}\p{Ll}*(?: \p{Ll}+)?) này$")
# a reference to an article at a line's end, and the document it is of opening the next:
# "… tại Điều 7 | Thông tư số 13/2023/TT-BNV", "… theo khoản 2 Điều 5 | Luật Đất đai"
DIVISION_REFERRED = re.compile(
    rf"\b(?:{'|'.join(sorted(LINKING_WORDS))})\s+(?:(?:khoản|điểm)\s+[\w.]+\s+)?"
    rf"{numbering.NAMED}\s+(?:\d+[a-zđ]?|[IVXLC]+)$"
)
REFERRED_DOCUMENT = re.compile(
    rf"(?:{type_pattern()}|Luật|Bộ\s+luật|Hiến\s+pháp)(?!\p{{L}})", re.IGNORECASE
)
QUOTE_MARK = re.compile(r"[\"“”]")
QUOTED_MAX = 80  # characters of the next line in which a quotation left open may close
DIVISION_REFERENCE = re.compile(rf"{numbering.NAMED}\s+(?:\d+[a-zđ]?|[IVXLC]+)(?![.:\w])")
# a line opening with a dash and a lower-case word: a wrap inside "chính trị - xã hội"
DASH_JOINED = re.compile(r"[-–]\s+(\p{Ll}\w*)")
WORD = re.compile(r"[\p{L}\d]+")  # a word as word pairs are counted
PAIR_BREAK = re.compile(r"[\n,;:.!?()\[\]\"“”…]+")  # what no word pair spans
# a paragraph of two to six capitalised words and nothing else: a name (a signer's) or a
# heading, not a sentence the page wrapped
TITLE_CASE_ALONE = re.compile(r"\p{Lu}\p{Ll}*(?:[ ]\p{Lu}\p{Ll}*){1,5}")
NAME_PART = re.compile(r"\p{Lu}\p{Ll}*(?:[ ]\p{Lu}\p{Ll}*)?")  # "Hòa", "Hồng Hà"
ABBREVIATION_ALONE = re.compile(r"[\p{Lu}]{2,6}[,;.]?")
LEAD_MAX = 60  # characters of a numbered lead before its ":" (structure's run-in lead)
WHOLE_LINES_MIN = 20  # line breaks a text needs to show it writes each paragraph whole
WHOLE_LINES_WRAPS = 0.02  # of them, the share a sentence may go on over all the same
WRAP_SHARE = 0.8  # of the lines the page surely wrapped, the share shorter than its width
WRAP_MIN = 60  # characters: a shorter width tells no paragraph from a heading
WRAP_OVER = 1.25  # a wrapped line runs at most this far past the width most stay under


def _wrap_width(text: str) -> int:
    """The length a hard-wrapped text's lines reach: of the lines that surely wrap (the next
    goes on in lower case, no mark ends them), what most are shorter than; 0 when that is
    under WRAP_MIN or too few lines tell."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    lengths = sorted(
        len(a)
        for a, b in zip(lines, lines[1:])
        if a and b[:1].islower() and not TERMINAL.search(a) and not _marker_line().match(b)
    )
    if len(lengths) < 20:
        return 0
    width = lengths[int(WRAP_SHARE * (len(lengths) - 1))]
    return width if width >= WRAP_MIN else 0


def _paragraph_gap(text: str) -> int:
    """The line breaks from which a gap before a capital ends the paragraph: one more than the
    gap the text's sentences usually go on over (a sentence goes on in lower case). A text
    that wraps with single line breaks sets paragraphs apart with a blank line (2); one that
    makes each line a paragraph, with a blank line after each, with two or more (3); one
    whose sentences go on over no break writes each paragraph on its line (1). 0: the gaps
    tell nothing (a sentence goes on over each size)."""
    breaks = re.findall(r"([ \t]*\n(?:[ \t]*\n)*[ \t]*)(\S[^\n]{0,5})", text)
    wraps = Counter(  # (not before an item's letter: "a) …" opens a paragraph in lower case)
        min(gap.count("\n"), 3)
        for gap, after in breaks
        if after[0].islower() and not _marker_line().match(after)
    )
    if len(breaks) >= WHOLE_LINES_MIN and wraps.total() <= WHOLE_LINES_WRAPS * len(breaks):
        return 1  # no sentence goes on over a break: each line is a paragraph written whole
    for usual in (1, 2):
        wider = sum(n for size, n in wraps.items() if size > usual)
        if wraps[usual] >= 5 and wraps[usual] > 3 * wider and wraps[usual] >= wraps[usual - 1]:
            return usual + 1
    return 0


def _blank_lines_part(text: str) -> bool:
    """A text that wraps its lines with single line breaks sets paragraphs apart with blank
    lines: there a blank line before a capital ends the paragraph."""
    return _paragraph_gap(text) == 2


def _flow(editor: TextEditor, blank_lines_part: bool = True) -> None:
    """Join hard-wrapped lines into paragraphs; one paragraph per line, no blank lines."""
    text = editor.text
    bigrams = _bigrams(text)
    wrapped = _hard_wrapped(text)
    width = _wrap_width(text) if wrapped else 0
    parting_gap = _paragraph_gap(text) if blank_lines_part else 0
    edits = []
    paragraph = ""  # the lines joined so far, as one
    # each break between two non-empty lines, with the blank lines and spaces around it
    for m in re.finditer(r"[ \t]*\n(?:[ \t]*\n)*[ \t]*", text):
        a_start = text.rfind("\n", 0, m.start()) + 1
        b_end = text.find("\n", m.end())
        a, b = text[a_start : m.start()], text[m.end() : b_end if b_end >= 0 else len(text)]
        if m.start() == 0 or m.end() == len(text):
            edits.append((m.start(), m.end(), ""))
            paragraph = ""
            continue
        paragraph += a
        boundary = editor.break_between(m.start(), m.end())
        held = _held_together(a, b)
        if held and boundary == "hard":
            boundary = None  # whatever its marks: "**… phổ thông**" | "**, dự bị đại học**"
        if (
            parting_gap
            and m.group(0).count("\n") >= parting_gap
            and not b[:1].islower()
            and not held
            and boundary != "page"
        ):
            boundary = "hard"
        # (what is held together goes on without asking ``_joins``, which would ask again)
        if boundary not in ("hard", "rule") and (
            held
            or _joins(
                paragraph, b, bigrams, wrapped, indented=boundary == "soft", width=width, line=a
            )
        ):
            glue = "" if parts.word_broken(a, b) or b[:1] in ",;" else " "
            edits.append((m.start(), m.end(), glue))
            paragraph += glue
            continue
        paragraph = ""
        if m.group(0) != "\n":
            edits.append((m.start(), m.end(), "\n"))
    editor.apply(edits, "flow", record=False)


def _layout_breaks(raw: RawDocument, skip: set[int] = frozenset()) -> list[tuple[int, str]]:
    """(raw offset, kind) where the page layout shows a block ends: hard at the end of a run
    of bold lines (a heading) and before one; soft before a line indented like a paragraph's
    first line, after a line that stops well short of the right margin, at a page turn.
    Only PDF and OCR input have positions."""
    lines = [
        ln
        for i, ln in enumerate(raw.lines)
        if i not in skip and ln.x0 is not None and ln.x1 is not None and ln.end > ln.start
    ]
    if not lines:
        return []
    margins: dict[int, float] = {}
    widths: dict[int, float] = {}
    for page in {ln.page for ln in lines}:
        xs = [round(ln.x0) for ln in lines if ln.page == page]
        repeated = [x for x in set(xs) if xs.count(x) > 1]
        margins[page] = min(repeated or xs)  # the text column: the leftmost edge lines share
        widths[page] = max(ln.x1 for ln in lines if ln.page == page) - margins[page]
    breaks = []
    for prev, line in zip(lines, lines[1:]):
        width = widths[line.page]
        right = margins[line.page] + width
        if prev.bold != line.bold:
            breaks.append((prev.end, "hard"))
        elif prev.page != line.page:
            # a page turn: only the words can prove the sentence goes on
            breaks.append((prev.end, "soft"))
        elif (
            not line.bold
            and line.x0 - margins[line.page] > 0.03 * width
            and (prev.page != line.page or line.x0 - prev.x0 > 0.015 * width)
        ):
            breaks.append((prev.end, "soft"))  # indented like a paragraph's first line
        elif prev.page == line.page and prev.x1 < right - 0.1 * width:
            # a line that stops short ends a paragraph or a heading
            breaks.append((prev.end, "soft"))
    return breaks


# --- OCR damage ------------------------------------------------------------------

NOISE_CONFIDENCE = 30  # a lone mark Tesseract is this unsure of is speckle, not text
CERTAIN = 94  # words read with at least this confidence are left to the stricter spelling rule
# 1-39: the terms (khóa) and congresses a text names
ROMAN_NUMERAL = re.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")


def _ocr_words(raw: RawDocument) -> list[tuple[int, int, float, int]]:
    """(raw start, raw end, confidence, line index) of every OCR'd word, in text order."""
    words = []
    for i, line in enumerate(raw.lines):
        if not line.word_confidences:
            continue
        pos = line.start
        for word, conf in zip(raw.text[line.start : line.end].split(" "), line.word_confidences):
            if word:
                words.append((pos, pos + len(word), conf, i))
            pos += len(word) + 1
    return words


def _ocr_noise(
    raw: RawDocument, words: list[tuple[int, int, float, int]]
) -> tuple[list[tuple[int, int, str]], set[int]]:
    """Speckle that Tesseract read as text: a line of at most two letters and no digit,
    every mark of it read with confidence below NOISE_CONFIDENCE ("B", "z", "ế,", "="),
    and a mark without a letter or digit at a line's edge read below 10 ("… 18-NQ/TW _").
    Returns raw-offset deletions and the indices of the lines removed."""
    by_line: dict[int, list[tuple[int, int, float, int]]] = {}
    for w in words:
        by_line.setdefault(w[3], []).append(w)
    edits, dropped = [], set()
    for i, ws in by_line.items():
        line = raw.lines[i]
        text = raw.text[line.start : line.end]
        if (
            all(w[2] < NOISE_CONFIDENCE for w in ws)
            and len(re.findall(r"\p{L}", text)) <= 2
            and not re.search(r"\d", text)
        ):
            end = line.end + 1 if raw.text[line.end : line.end + 1] == "\n" else line.end
            edits.append((line.start, end, ""))
            dropped.add(i)
            continue
        for w, at_edge in ((ws[0], "start"), (ws[-1], "end")):
            mark = raw.text[w[0] : w[1]]
            if w[2] < 10 and not re.search(r"[\p{L}\d]", mark) and len(ws) > 1 and mark != UNREAD:
                a, b = (w[0], w[1] + 1) if at_edge == "start" else (w[0] - 1, w[1])
                edits.append((max(a, line.start), min(b, line.end), ""))
    return edits, dropped


def _confidence_lookup(words: list[tuple[int, int, float, int]]):
    """Raw offset -> the OCR confidence of the word there (None outside OCR'd words)."""
    starts = [w[0] for w in words]

    def at(offset: int):
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and words[i][0] <= offset < words[i][1]:
            return words[i][2]
        return None

    return at


PARTY_CODE = re.compile(symbols.PARTY_PARTS)
STATE_KIND = re.compile(symbols.STATE_KIND)
LAW_TERM = re.compile(symbols.LAW_TERM)


@lru_cache(maxsize=1)
def _type_before() -> "re.Pattern":
    return re.compile("(?P<type>" + type_pattern() + r")[^\n\d]{0,12}$", re.IGNORECASE)


def _repair_symbols(ed: TextEditor, ocr: bool = False) -> None:
    """Symbols OCR damaged: a Party type code unknown and one edit from a code of the type the
    text names ("Quy định số 213-QĐĐ/TW"), an issuer split or accented ("117-KH/T Ũ") or
    with W read as VV ("28-NQ/TVV"); a state type code with a stray letter ("512/QĐĐ-UBND"),
    a law's term with letters for digits ("55/2024/QHI5"). A stray letter is OCR's only in
    OCR'd text: typed, "BTGVTW" may be a body's new code, not BTGTW with a letter too many."""
    known, type_before = symbols.type_codes(), _type_before()
    issuers = catalogue()["issuer_codes"]
    seen = frozenset(
        m.group() for m in PARTY_CODE.finditer(ed.text) if m.group("issuer") in issuers
    )
    edits = []
    for m in PARTY_CODE.finditer(ed.text):
        start = m.start("kind")
        written = ed.text[start : m.end()]
        code, end = complete_issuer(
            ed.text, written, m.end(), m.end(), seen, m.group("num"), strays=ocr
        )
        if m.group("kind") not in known:
            t = type_before.search(ed.text, max(0, m.start() - 60), m.start())
            code = repair_code(code, canonical_type(t.group("type")) if t else None)
        if ocr and code == written and m.group("issuer") in issuers:
            # a letter OCR glued on: "82-KH/TUủ" (but "ThU" is a code of its own)
            glued = re.match(r"\p{Ll}{1,2}(?![\p{L}\d])", ed.text[end : end + 3])
            if glued and m.group("issuer") + glued.group() not in issuers:
                end += glued.end()
        if code != ed.text[start:end]:
            edits.append((start, end, code))
    for m in STATE_KIND.finditer(ed.text) if ocr else ():
        kind = symbols.repair_state_kind(m.group("kind"))
        if kind != m.group("kind"):
            edits.append((m.start("kind"), m.end("kind"), kind))
    for m in LAW_TERM.finditer(ed.text):  # a law's term is digits: "QHI5" is QH15
        term = m.group("term").translate(symbols.DIGIT_LOOKALIKES)
        if term != m.group("term"):
            edits.append((m.start("term"), m.end("term"), term))
    ed.apply(sorted(edits), "symbol")


# a Party symbol and the term its sentence gives it: "28-NQ/TW, ngày … Trung ương Đảng (khóa XIII)"
SYMBOL_TERM = re.compile(
    rf"\b(?P<symbol>{symbols.PARTY_PLAIN})"
    rf"(?:(?!{symbols.NUMBER_THEN_CODE})[^()\n]){{0,160}}\([Kk]hóa (?P<term>[IVX]+)\)"
)


def _repair_terms_by_symbol(ed: TextEditor, unsure) -> None:
    """A term OCR read with doubt, short of the term the document gives the same symbol
    elsewhere ("28-NQ/TW … (khóa XI)" where its other mentions say "khóa XIII" at least
    twice): the letters it lacks were dropped. Typed text keeps what its author wrote."""
    mentions = [
        (m.group("symbol"), m.group("term"), m.start("term"), m.end("term"))
        for m in SYMBOL_TERM.finditer(ed.text)
    ]
    terms: dict[str, Counter] = {}
    for symbol, term, _, _ in mentions:
        terms.setdefault(symbol, Counter())[term] += 1
    edits = []
    for symbol, term, start, end in mentions:
        (best, n), *runner_up = terms[symbol].most_common(2)
        if (
            best != term
            and n >= 2
            and n > sum(c for _, c in runner_up)
            and best.startswith(term)
            and set(best[len(term) :]) == {"I"}
            and unsure(start)
        ):
            edits.append((start, end, best))
    ed.apply(edits, "numeral")


def _roman_readings(token: str) -> set[str]:
    """Valid numerals a damaged one can be: OCR runs two I's together as H or N, and puts
    a Vietnamese mark on an I ("XỈII")."""
    options = {""}
    for ch in token:
        reads = ("I", "II") if ch in "HN" else ("I",) if ch in MARKED_I else (ch,)
        options = {o + r for o in options for r in reads}
    return {o for o in options if o and ROMAN_NUMERAL.fullmatch(o)}


# "(khóa XIN)", "Đại hội XIH": a term or congress numeral with letters no numeral has
MARKED_I = "ÌÍỈĨỊ"
TERM_NUMERAL = re.compile(
    r"(?<=\b(?:[Kk]hóa|KHÓA|Đại hội|ĐẠI HỘI)\s+(?:[IVX]+,\s*)?)"
    rf"[IVXHN{MARKED_I}]*[HN{MARKED_I}][IVXHN{MARKED_I}]*(?![\p{{L}}\d])"
)
TERM_SEEN = re.compile(
    r"(?<=\b(?:[Kk]hóa|KHÓA|Đại hội|ĐẠI HỘI)\s+(?:[IVX]+,\s*)?)[IVX]+(?![\p{L}\d])"
)


def _repair_term_numerals(ed: TextEditor) -> None:
    """A damaged term numeral is read as the one valid reading the document itself writes
    most often in the same place; without that evidence it is left as written."""
    seen: dict[str, int] = {}
    for m in TERM_SEEN.finditer(ed.text):
        seen[m.group(0)] = seen.get(m.group(0), 0) + 1
    edits = []
    for m in TERM_NUMERAL.finditer(ed.text):
        ranked = sorted(((seen.get(r, 0), r) for r in _roman_readings(m.group(0))), reverse=True)
        if ranked and ranked[0][0] > 0 and (len(ranked) == 1 or ranked[0][0] > ranked[1][0]):
            edits.append((m.start(), m.end(), ranked[0][1]))
    ed.apply(edits, "numeral")


# --- running headers and footers, web chrome -------------------------------------


def _page_lines(raw: RawDocument) -> list[list[tuple[int, int]]]:
    """The non-empty lines of each page as raw (start, end). Pages come from the layout
    (PDF, OCR) or, in text, from form feeds and page-number lines."""
    if raw.lines and any(ln.page > 1 for ln in raw.lines):
        pages: dict[int, list] = {}
        for ln in raw.lines:
            if raw.text[ln.start : ln.end].strip():
                pages.setdefault(ln.page, []).append((ln.start, ln.end))
        return [pages[k] for k in sorted(pages)]
    pages, current, pos = [], [], 0
    for line in raw.text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if "\f" in line or PAGE_FURNITURE.fullmatch(line):
            pages.append(current)
            current = []
            continue
        if line.strip():
            current.append((start, end))
    pages.append(current)
    return [p for p in pages if p]


def _running_lines(raw: RawDocument) -> list[tuple[int, int, str]]:
    """Deletions for running headers and footers: a line among the first two or last two of
    a page that recurs there, digits aside ("Báo cáo số 12 - trang 3"), on at least three
    pages and half of them. A heading that repeats in the body is not at a page's edge."""
    pages = _page_lines(raw)
    if len(pages) < 3:
        return []
    edges: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for lines in pages:
        if len(lines) < 4:
            continue  # a page this short has no body to tell its furniture from
        for edge, spans in (("top", lines[:2]), ("bottom", lines[-2:])):
            for start, end in spans:
                key = re.sub(r"\d+", "#", " ".join(raw.text[start:end].split())).casefold()
                if (
                    len(key) <= 120
                    and re.search(r"\p{L}", key)
                    and (start, end) not in edges.get((edge, key), ())
                ):
                    edges.setdefault((edge, key), []).append((start, end))
    need = max(3, (len(pages) + 1) // 2)
    return [(a, b, "") for spans in edges.values() if len(spans) >= need for a, b in spans]


@lru_cache(maxsize=1)
def _web_chrome() -> "re.Pattern":
    lines = "|".join(f"(?:{p})" for p in catalogue()["web_chrome"])
    return re.compile(rf"(?mi)^[ \t]*(?:{lines})[ \t]*$")


# a row of a pipe table, or a border of a grid table (pandoc's: "+------+------+", "+===+")
TABLE_ROW = re.compile(r"(?m)^[ \t]*(?:\|.*\||\+(?:[-=:]+\+)+)[ \t]*$")
TABLE_RULE = re.compile(r"^[ \t|:+=-]+$")


def _unpipe_tables(ed: TextEditor) -> None:
    """Markdown and web-crawl tables to plain lines: one line per cell, column by column for
    a two-column layout table (letterhead left, motto and date right), row by row otherwise.
    Cell text keeps its source offsets; only the pipes and rule rows go."""
    text = ed.text
    rows = list(TABLE_ROW.finditer(text))
    if not rows:
        return
    # group consecutive table rows into tables
    tables, current = [], [rows[0]]
    for prev, row in zip(rows, rows[1:]):
        if text[prev.end() : row.start()].strip():
            tables.append(current)
            current = []
        current.append(row)
    tables.append(current)
    edits = []
    for table in tables:
        cells_by_row = []
        for row in table:
            if TABLE_RULE.match(row.group(0)):
                cells_by_row.append([])
                continue
            inner_start = row.start() + row.group(0).index("|") + 1
            inner_end = row.start() + row.group(0).rindex("|")
            cells, pos = [], inner_start
            for column, piece in enumerate(text[inner_start:inner_end].split("|")):
                a, b = pos, pos + len(piece)
                stripped = piece.strip()
                if stripped:
                    lead = len(piece) - len(piece.lstrip())
                    cells.append((column, a + lead, a + lead + len(stripped)))
                pos = b + 1
            cells_by_row.append(cells)
        width = max((len(c) for c in cells_by_row), default=0)
        two_columns = width == 2
        # rebuild the table's span as the cells' text, each on its own line; the pipes go
        start, end = table[0].start(), table[-1].end()
        # (a cell's column, not its place among the row's filled cells: a grid table's cell
        # runs over several lines, the left one blank where the right one goes on)
        order = (
            [(a, b) for r in cells_by_row for column, a, b in r if column == 0]
            + [(a, b) for r in cells_by_row for column, a, b in r if column > 0]
            if two_columns
            else [(a, b) for r in cells_by_row for _, a, b in r]
        )
        if order == sorted(order):
            # cells in source order: delete what lies between them, put line breaks there
            pos = start
            for a, b in order:
                edits.append((pos, a, "\n" if pos != start else ""))
                pos = b
            edits.append((pos, end, ""))
        else:
            # column by column changes the order: keep each cell's text, break lines between
            edits.append((start, end, "\n".join(text[a:b] for a, b in order)))
    ed.apply(edits, "table", record=False)


def _find_footnotes(text: str) -> tuple[list[tuple[str, int]], list[tuple[str, int, str]]]:
    """Footnote references ``<sup>n</sup>`` or ``[n]`` in running text, as (marker, offset),
    and footnote body lines ("n- …" or "[n] …" for a number some reference uses, or
    "<sup>(n)</sup> …"), as (marker, offset, kind)."""
    refs = []
    for m in [*SUP_MARKER.finditer(text), *BRACKET_MARKER.finditer(text)]:
        line_start = text.rfind("\n", 0, m.start()) + 1
        if text[line_start : m.start()].strip():
            refs.append((m.group(1), m.start()))
    refs.sort(key=lambda ref: ref[1])
    used = {marker for marker, _ in refs}
    bodies = []
    for m in FOOTNOTE_LINE.finditer(text):
        kind = next(k for k in ("sup", "num", "bracket", "caret") if m.group(k))
        if kind == "sup" or m.group(kind) in used:
            bodies.append((m.group(kind), m.start(), kind))
    return refs, bodies


FOOTNOTE_LABEL = re.compile(
    r"[ \t]*(?:\d{1,2}[ \t]*[-–][ \t]+|\[\d{1,2}\][ \t]*|\[\^\w{1,10}\]:[ \t]*)?"
)


def _cut_footnotes(
    ed: TextEditor, bodies: list[tuple[str, int]], wrapped_notes: bool = False
) -> list[tuple[str, list, list]]:
    """Take footnote bodies out of the body flow: (marker, texts, mappings) for each.

    A footnote that stops mid-sentence goes on in the first lines of the next page's
    footnote area: the line just before the next footnote ("…116-KH/HU, ngày" …
    "22/3/2018 của Ban Chấp hành Đảng bộ huyện."). A rule line just above a footnote
    is the footnote separator and goes too, so the body around it joins up again.
    ``wrapped_notes``: the input has a page layout (PDF, OCR), where a footnote runs on
    over the following lines until the layout marks a block end.
    """
    at = ed.clean_offsets()
    text = ed.text
    starts = [at(raw) for _, raw in bodies]
    blank_parts = _blank_lines_part(text)
    bigrams: set[tuple[str, str]] = set()  # (``_bigrams``, made when a note meets a blank line)
    spans: list[tuple[int, int]] = []  # whole lines to delete, newline included
    notes = []
    for k, ((marker, _), start) in enumerate(zip(bodies, starts)):
        start = (
            text.rfind("\n", 0, start + 1) + 1
            if start < len(text) and text[start] != "\n"
            else start
        )
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        label = FOOTNOTE_LABEL.match(text, start)
        pieces = [(label.end(), end)]
        spans.append((start, min(end + 1, len(text))))
        # a footnote is one paragraph: a ";" at a full line's end does not end it ("…Bộ Chính trị;")
        while (
            wrapped_notes
            and end < len(text)
            and ed.break_between(start + len(text[start:end].rstrip(" ")), end)
            not in ("hard", "soft")
            and not SENTENCE_END.search(text[start:end].rstrip(" "))
        ):
            nxt, nxt_end = end + 1, text.find("\n", end + 1)
            nxt_end = len(text) if nxt_end < 0 else nxt_end
            line = text[nxt:nxt_end].strip()
            if not line:
                # blank lines, where each line of the page is a paragraph: the note goes on
                # where its words do ("[1] Thông tư số⏎⏎25/2025/TT-BCT …", ``_joins``), as
                # the body's lines do (``_flow``)
                while nxt_end < len(text) and not text[nxt:nxt_end].strip():
                    nxt, nxt_end = nxt_end + 1, text.find("\n", nxt_end + 1)
                    nxt_end = len(text) if nxt_end < 0 else nxt_end
                line = text[nxt:nxt_end].strip()
                # (a note's mark alone on its line: "[2]⏎⏎Bộ Giáo dục …", not a heading's or
                # signature's capitals)
                empty = not any(text[a:b].strip() for a, b in pieces) and not _is_upper_line(line)
                bigrams = bigrams or _bigrams(text)
                goes_on = (not blank_parts or line[:1].islower()) and _joins(
                    text[start:end], line, bigrams, False
                )
                if not line or not (empty or goes_on):
                    break
            if (
                FOOTNOTE_LINE.match(line)
                or _marker_line().match(line)
                or any(s > end for s in starts[k + 1 : k + 2] if s <= nxt)
            ):
                break
            pieces.append((nxt, nxt_end))
            spans.append((end + 1, min(nxt_end + 1, len(text))))
            start, end = nxt, nxt_end  # the footnote goes on over this line
        if not TERMINAL.search(text[start:end].rstrip(" ")) and k + 1 < len(starts):
            prev_end = starts[k + 1] - 1
            while prev_end > end and not text[text.rfind("\n", 0, prev_end) + 1 : prev_end].strip():
                prev_end = text.rfind("\n", 0, prev_end)  # skip blank lines
            prev_start = text.rfind("\n", 0, max(0, prev_end)) + 1
            line = text[prev_start:prev_end].strip()
            if (
                prev_start > end
                and line
                and (line[0].islower() or line[0].isdigit())
                and not _marker_line().match(line)
            ):
                pieces.append((prev_start, prev_end))
                spans.append((prev_start, prev_end + 1))
        above = start
        while above > 0:  # the separator: a rule just above the footnote, blank lines aside
            above = text.rfind("\n", 0, above - 1) + 1
            line_end = text.find("\n", above)
            if ed.break_between(above, above) == "rule":
                ed.unmark(above, above, "rule")
                break
            if text[above:line_end].strip():
                break
        pieces = [(a, b - (len(text[a:b]) - len(text[a:b].rstrip(" ")))) for a, b in pieces]
        pieces = [(a, b) for a, b in pieces if text[a:b].strip()] or pieces  # "[3]⏎UBND …"
        texts = [text[a:b].strip() for a, b in pieces]
        maps = [ed.mapping_of(a + len(text[a:b]) - len(text[a:b].lstrip()), b) for a, b in pieces]
        notes.append((marker, texts, maps))
    ed.apply([(a, b, "") for a, b in sorted(set(spans))], "footnote", record=False)
    return notes


def _append_footnotes(
    ed: TextEditor, notes, refs: list[tuple[str, int]]
) -> tuple[int, list[Footnote]]:
    """The footnotes after the body, one per line; returns where they begin and the Footnotes."""
    body_end = len(ed.text)
    at = ed.clean_offsets()
    ref_at = {marker: at(raw) for marker, raw in reversed(refs)}  # the first reference wins
    footnotes = []
    # all of them in one append: appending each piece copied the whole text and its map
    # every time (quadratic in a long document's footnotes)
    parts: list[str] = []
    segments: list[tuple[int, int, int]] = []
    pos = body_end
    for marker, texts, maps in notes:
        start = pos + 1  # after the line end that puts each footnote on its own line
        note = " ".join(texts)
        at_piece = start
        for piece, mapping in zip(texts, maps):
            segments += [(at_piece - body_end + c, r, n) for c, r, n in mapping if c < len(piece)]
            at_piece += len(piece) + 1
        parts.append("\n" + note)
        pos = start + len(note)
        footnotes.append(Footnote(marker, note, start, pos, ref_at.get(marker)))
    ed.append("".join(parts), segments)
    return body_end, footnotes


# One tone-mark convention: the tone of a word-final "oa", "oe", "uy" sits on the first vowel
# ("hóa", "khóa", "ủy", "thúy"), the style of the seed documents and of their gold; "hoá",
# "khoá", "uỷ" are mapped to it. "qu" + y ("quý") and clusters before a final consonant
# ("hoàng", "thuyền") are the same in both styles and are left alone.
OLD_TONE_STYLE = re.compile(
    r"(?<!\p{L})(\p{L}*?)([oOuU])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ])(?!\p{L})"
)
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _new_tone_style(m: "re.Match") -> str:
    prefix, first, second = m.group(1), m.group(2), m.group(3)
    if prefix[-1:].casefold() == "q" or (first.casefold() == "u") != (second.casefold() in "ỳýỷỹỵ"):
        return m.group(0)  # "quý", "uá", "oý": not a cluster this rule is about
    parts = unicodedata.normalize("NFD", second)
    tone = "".join(c for c in parts if c in TONES)
    bare = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
    return prefix + unicodedata.normalize("NFC", first + tone) + bare


DASHES_QUOTES = re.compile(r"[‐‑‒–—―−“”„«»‘’‚]")
DASH_QUOTE_MAP = {
    **{c: "-" for c in "‐‑‒–—―−"},
    **{c: '"' for c in "“”„«»"},
    **{c: "'" for c in "‘’‚"},
}
