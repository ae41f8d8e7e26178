"""Cleanup: from converter and OCR output to the text the author wrote.

Every change is an edit (start, end, replacement) applied through ``TextEditor``,
which keeps the piecewise offset map back to the raw text and records a
``Repair`` for each change, so a reviewer can audit and reverse it.

Passes, in order: invisible characters and look-alike letters; markdown residue;
page furniture; symbols broken across lines; footnote bodies out of the body flow;
paragraph flow (hard-wrapped lines joined, headings, list items and signature lines
kept apart); OCR spelling repair (``spelling.py``); footnotes gathered after the body.
"""
from __future__ import annotations

import bisect
from collections import Counter
import unicodedata
from functools import lru_cache

import regex as re

from . import spelling
from . import symbols
from .catalogue import canonical_type, catalogue, task_verb_opening, type_pattern
from .models import CleanText, Footnote, RawDocument, Repair
from .symbols import complete_issuer, repair_code

# --- the offset-keeping editor -------------------------------------------------


class TextEditor:
    """Applies batches of non-overlapping edits and keeps offsets to the source."""

    def __init__(self, text: str):
        self.text = text
        self.segments: list[tuple[int, int, int]] = [(0, 0, len(text))] if text else []
        self.repairs: list[Repair] = []

    def source_offset(self, offset: int) -> int:
        return CleanText(self.text, self.segments).source_offset(offset)

    def apply(self, edits: list[tuple[int, int, str]], kind: str, record: bool = True) -> None:
        """Replace text[start:end] by each replacement; edits must not overlap."""
        if not edits:
            return
        edits = sorted(edits)
        pieces: list[str] = []
        segments: list[tuple[int, int, int]] = []
        repairs: list[Repair] = []
        pos = 0  # position in the current text
        out = 0  # length of the new text so far
        for start, end, repl in edits:
            if start < pos:
                continue  # overlapping edit: the first one wins
            out = self._copy(pos, start, pieces, segments, out)
            before = self.text[start:end]
            if record and before != repl:
                repairs.append(Repair(kind, before, repl, out, self.source_offset(start)))
            if len(repl) == end - start:
                # same-length replacement (ð -> đ): keep the 1:1 mapping
                self._map(start, end, out, segments)
            pieces.append(repl)
            out += len(repl)
            pos = end
        out = self._copy(pos, len(self.text), pieces, segments, out)
        self.text = "".join(pieces)
        self.segments = _merge(segments)
        self.repairs += repairs  # their clean offsets are fixed up once, in finish()

    def mapping_of(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """The offset map of text[start:end], relative to start."""
        out: list[tuple[int, int, int]] = []
        self._map(start, end, 0, out)
        return out

    def append(self, text: str, segments: list[tuple[int, int, int]]) -> None:
        """Add text moved from elsewhere at the end, keeping where it came from."""
        base = len(self.text)
        self.text += text
        self.segments = _merge(self.segments + [(base + c, r, n) for c, r, n in segments])

    def finish(self) -> CleanText:
        out = CleanText(text=self.text, segments=self.segments)
        for r in self.repairs:
            r.start = out.clean_offset(r.source_start)
        out.repairs = self.repairs
        return out

    def _copy(self, a: int, b: int, pieces: list[str], segments: list, out: int) -> int:
        if b > a:
            pieces.append(self.text[a:b])
            self._map(a, b, out, segments)
            out += b - a
        return out

    def _map(self, a: int, b: int, out: int, segments: list) -> None:
        """Carry the old mapping of text[a:b] over to new offsets starting at out."""
        i = max(0, bisect.bisect_right(self.segments, (a, float("inf"), 0)) - 1)
        while i < len(self.segments):
            cs, rs, ln = self.segments[i]
            if cs >= b:
                break
            lo, hi = max(cs, a), min(cs + ln, b)
            if hi > lo:
                segments.append((out + lo - a, rs + lo - cs, hi - lo))
            i += 1

    def sub(self, pattern: "re.Pattern", repl, kind: str, record: bool = True) -> None:
        """Regex substitution as edits; repl is a string template or a function of the match."""
        edits = []
        for m in pattern.finditer(self.text):
            new = repl(m) if callable(repl) else m.expand(repl)
            if new != m.group(0):
                edits.append((m.start(), m.end(), new))
        self.apply(edits, kind, record)


def _merge(segments: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    merged: list[tuple[int, int, int]] = []
    for cs, rs, ln in segments:
        if merged:
            pcs, prs, pln = merged[-1]
            if pcs + pln == cs and prs + pln == rs:
                merged[-1] = (pcs, prs, pln + ln)
                continue
        merged.append((cs, rs, ln))
    return merged


# --- patterns ------------------------------------------------------------------

INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060\ufeff\u00ad]")
LOOKALIKES = re.compile(r"[ðÐ\u00a0\u2007\u202f\t]")
LOOKALIKE_MAP = {"ð": "đ", "Ð": "Đ", "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\t": " "}

SUP_MARKER = re.compile(r"<sup>\s*\(?\s*(\w{1,3})\s*\)?\s*</sup>")
MD_HEADING = re.compile(r"(?m)^[ \t]*#{1,6}[ \t]+")
# a footnote body on its own line: "1- Kế hoạch số …", "<sup>(1)</sup> Tham mưu …"
FOOTNOTE_LINE = re.compile(r"(?m)^[ \t]*(?:<sup>\s*\(?(?P<sup>\d{1,2})\)?\s*</sup>|(?P<num>\d{1,2})[ \t]*[-–])[ \t]+\S")
MD_HEADING_LINE = re.compile(r"(?m)^[ \t]*(?:#{1,6}[ \t]+.*\S|\*\*[^*\n]+\*\*)(?=[ \t]*$)")
MD_RULE = re.compile(r"(?m)^[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*$")
MD_EMPHASIS = re.compile(r"\*\*|__|(?<![\w*\\])\*(?=\S)|(?<=\S)\*(?![\w*])")
MD_ESCAPE = re.compile(r"\\([\\*_#`\[\]().!>+-])")
MD_LINEBREAK = re.compile(r"(?m)[ \t]+$")
ESCAPED_STAR_LEAD = re.compile(r"(?m)^[ \t]*\\\*[ \t]*")  # "\* Số 83-KH/HU": a printed star, not text
# a vertical bar at a line's edge (a table rule or scanner noise read as "|"), a colon
# or semicolon opening a line that goes on in lowercase: OCR noise, never the author's
EDGE_BARS = re.compile(r"(?m)^[ \t]*\|[ \t]*|[ \t]*\|[ \t]*$|^[ \t]*[:;][ \t]+(?=\p{Ll})")
DECORATION_LINE = re.compile(r"(?m)^[ \t]*[*•·]+[ \t]*$")

# page numbers: "Trang- 48", "Trang 3/12", "- 2 -", a bare number on its own line
PAGE_FURNITURE = re.compile(
    r"(?mi)(?:[ \t]+|^)Trang[ \t]*[-–:]?[ \t]*\d{1,4}(?:[ \t]*/[ \t]*\d{1,4})?[ \t]*$"
    r"|^[ \t]*[-–][ \t]*\d{1,4}[ \t]*[-–][ \t]*$"
    r"|^[ \t]*\d{1,4}[ \t]*$"
)

BROKEN_SYMBOL = re.compile(symbols.BROKEN)

MARKER_LINE = re.compile(
    r"^(?:[-+•–]\s|[IVXLC]{1,6}[.)]\s|\d{1,2}(?:\.\d{1,2})*[.)]\s|\d{1,2}\.\d{1,2}(?:\.\d{1,2})*\s|"
    r"[a-zđ][.)]\s|(?:Điều|Chương|Phần|Mục)\s+[\dIVXLC]+\b|Nơi nhận|T/M|TM\.|K/T|KT\.|"
    r"(?:[IVXLC]{1,6}|\d{1,2})[-–][ \t]+\p{Lu}(?!\p{L}{0,5}/))"  # "I- MỤC ĐÍCH", "1- Quán triệt" (not "28- NQ/TW")
)
# words that open a sentence of administrative prose; capitalised, they never continue one
SENTENCE_OPENER = re.compile(r"^(?:Thực hiện|Căn cứ|Theo|Để|Nhằm|Trên cơ sở|Qua|Sau khi|Tiếp tục|Triển khai|Thi hành|Xét|Đồng thời)\b")
# "An Phú, ngày 15 tháng 3 năm 2024": the header's place and date stand on their own line
PLACE_DATE_LINE = re.compile(r"^[\p{Lu}][\p{L} .'-]{1,40},\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}\W*$")
HEADING_MAX = 100  # a numbered line longer than this is a paragraph, not a heading
NUMBERED_LINE = re.compile(r"^(?:[IVXLC]{1,6}[.)]|\d{1,2}(?:\.\d{1,2})*[.)]?|[a-zđ][.)]|(?:Điều|Chương|Phần|Mục)\s)\s")
SENTENCE_END = re.compile(r"[.!?…]['\"”’)]?$")
TERMINAL = re.compile(r"[.;:!?…]['\"”’)]?$|\./\.$")
# words that cannot end a sentence: a capitalised next line still continues it
CONTINUING_WORDS = frozenset(
    "và của số theo với về các những trong ngày tại là cho được để đến từ do hoặc thì mà như nhằm bằng trên dưới "
    "giữa sau trước khi đã đang sẽ có không cũng hành".split()
)


def _is_upper_line(line: str) -> bool:
    # upper-case letters and no lower-case ones (str.isupper), at least two of them
    return line.isupper() and sum(c.isalpha() for c in line) >= 2


def _joins(a: str, b: str, bigrams: set[tuple[str, str]], wrapped: bool, indented: bool = False) -> bool:
    """Whether line b continues the paragraph that line a ends.

    ``wrapped``: the document is hard-wrapped (a converter kept the page's line
    breaks), so a capitalised line after an unfinished one usually continues it;
    otherwise only a word that cannot end a sentence carries over. ``indented``: the
    page shows b indented like a paragraph's first line, so only strong evidence joins.
    """
    a, b = a.rstrip(), b.lstrip()
    if not a or not b or TERMINAL.search(a) or _is_upper_line(a) or PLACE_DATE_LINE.match(a):
        return False
    if a.count("(") > a.count(")") and not b.startswith(("-", "+")):
        return True  # "(khóa | XII) và …": a bracket left open, the sentence goes on
    if MARKER_LINE.match(b):
        return False
    if _is_upper_line(b) and len(b) > 3:
        return False
    first = b[0]
    if first.islower() or first.isdigit() or first in "(“\"'":
        return True
    if not first.isupper():
        return False
    last_word = a.split()[-1]
    first_word = b.split()[0]
    if last_word.casefold() in CONTINUING_WORDS or a.endswith(","):
        return True  # "… của Ban Chấp | hành", "…18-NQ/TW, | Nghị quyết…": the sentence is not finished
    seen_together = (last_word.casefold(), first_word.casefold()) in bigrams
    if indented:
        return last_word[:1].isupper() and seen_together  # "của Ban | Thường vụ Huyện ủy"
    if NUMBERED_LINE.match(a) and len(a) <= HEADING_MAX:
        # a short numbered line is a heading unless the words prove the wrap; a capitalised
        # verb after a heading ending in a lower-case word opens its first task
        # ("2.9. Ban Cán sự đảng … tỉnh | Lãnh đạo tiếp tục …")
        if last_word[:1].islower() and task_verb_opening().match(b):
            return False
        return wrapped and seen_together
    if SENTENCE_OPENER.match(b):
        return False  # "Thực hiện …", "Căn cứ …" capitalised: a new sentence, not a wrapped one
    if not wrapped:
        return seen_together  # a page break inside "của Ban | Thường vụ Huyện ủy"
    return a.endswith(",") or last_word[:1].isupper() or seen_together


@lru_cache(maxsize=1)
def _name_bigrams() -> frozenset:
    """Word pairs inside the names of bodies ("tướng chính" of "Thủ tướng Chính phủ"):
    a line break between them is a wrap, whatever the document says elsewhere."""
    pairs = set()
    for name in catalogue()["organisations"]:
        words = name.casefold().split()
        pairs.update(zip(words, words[1:]))
    return frozenset(pairs)


def _flow(editor: TextEditor) -> None:
    """Join hard-wrapped lines into paragraphs; one paragraph per line, no blank lines."""
    text = editor.text
    bigrams = set(_name_bigrams())
    for line in text.split("\n"):
        words = re.findall(r"[\p{L}\d]+", line.casefold())
        bigrams.update(zip(words, words[1:]))
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    soft = sum(1 for a, b in zip(lines, lines[1:])
               if b[:1].islower() and not TERMINAL.search(a) and not _is_upper_line(a) and not MARKER_LINE.match(b))
    wrapped = soft > 0.15 * max(1, len(lines))
    edits = []
    # each break between two non-empty lines, with the blank lines and spaces around it
    for m in re.finditer(r"[ \t]*\n(?:[ \t]*\n)*[ \t]*", text):
        a_start = text.rfind("\n", 0, m.start()) + 1
        b_end = text.find("\n", m.end())
        a, b = text[a_start:m.start()], text[m.end(): b_end if b_end >= 0 else len(text)]
        if m.start() == 0 or m.end() == len(text):
            edits.append((m.start(), m.end(), ""))
            continue
        rule_break = "\x00" in (a + b) or a.endswith("\x01")
        indented = a.endswith("\x02")
        if not rule_break and _joins(a.rstrip("\x02"), b, bigrams, wrapped, indented):
            edits.append((m.start(), m.end(), "" if a.endswith("-") and b[:1].isalpha() and a[-2:-1].isalpha() else " "))
        elif m.group(0) != "\n":
            edits.append((m.start(), m.end(), "\n"))
    editor.apply(edits, "flow", record=False)


def _layout_breaks(raw: RawDocument, skip: set[int] = frozenset()) -> list[int]:
    """(raw offset, marker) where the page layout shows a block ends: \x01 (hard) at the
    end of a run of bold lines (a heading) and before one, \x02 (soft) before a line
    indented like a paragraph's first line and after a line that stops well short of
    the right margin. Only PDF and OCR input have positions."""
    lines = [ln for i, ln in enumerate(raw.lines)
             if i not in skip and ln.x0 is not None and ln.x1 is not None and ln.end > ln.start]
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
            breaks.append((prev.end, "\x01"))
        elif prev.page != line.page:
            breaks.append((prev.end, "\x02"))  # a page turn: only the words can prove the sentence goes on
        elif not line.bold and line.x0 - margins[line.page] > 0.03 * width and (
                prev.page != line.page or line.x0 - prev.x0 > 0.015 * width):
            breaks.append((prev.end, "\x02"))  # indented like a paragraph's first line
        elif prev.page == line.page and prev.x1 < right - 0.1 * width:
            breaks.append((prev.end, "\x02"))  # a line that stops short ends a paragraph or a heading
    return breaks


# --- OCR damage ------------------------------------------------------------------

NOISE_CONFIDENCE = 30  # a lone mark Tesseract is this unsure of is speckle, not text
CERTAIN = 94  # words read with at least this confidence are left to the stricter spelling rule
ROMAN_NUMERAL = re.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")  # 1-39: the terms (khóa) and congresses a text names


def _ocr_words(raw: RawDocument) -> list[tuple[int, int, float, int]]:
    """(raw start, raw end, confidence, line index) of every OCR'd word, in text order."""
    words = []
    for i, line in enumerate(raw.lines):
        if not line.word_confidences:
            continue
        pos = line.start
        for word, conf in zip(raw.text[line.start:line.end].split(" "), line.word_confidences):
            if word:
                words.append((pos, pos + len(word), conf, i))
            pos += len(word) + 1
    return words


def _ocr_noise(raw: RawDocument, words: list[tuple[int, int, float, int]]) -> tuple[list[tuple[int, int, str]], set[int]]:
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
        text = raw.text[line.start:line.end]
        if (all(w[2] < NOISE_CONFIDENCE for w in ws) and len(re.findall(r"\p{L}", text)) <= 2
                and not re.search(r"\d", text)):
            end = line.end + 1 if raw.text[line.end:line.end + 1] == "\n" else line.end
            edits.append((line.start, end, ""))
            dropped.add(i)
            continue
        for w, at_edge in ((ws[0], "start"), (ws[-1], "end")):
            if w[2] < 10 and not re.search(r"[\p{L}\d]", raw.text[w[0]:w[1]]) and len(ws) > 1:
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


@lru_cache(maxsize=1)
def _type_before() -> "re.Pattern":
    return re.compile("(?P<type>" + type_pattern() + r")[^\n\d]{0,12}$", re.IGNORECASE)


def _repair_symbols(ed: TextEditor) -> None:
    """Party symbols OCR damaged: an unknown type code one edit from a code of the type the
    text names ("Quy định số 213-QĐĐ/TW"), an issuer split or accented ("117-KH/T Ũ") or
    with W read as VV ("28-NQ/TVV")."""
    known, type_before = symbols.type_codes(), _type_before()
    edits = []
    for m in PARTY_CODE.finditer(ed.text):
        start = m.start("kind")
        written = ed.text[start:m.end()]
        code, end = complete_issuer(ed.text, written, m.end(), m.end())
        if m.group("kind") not in known:
            t = type_before.search(ed.text, max(0, m.start() - 60), m.start())
            code = repair_code(code, canonical_type(t.group("type")) if t else None)
        if code != ed.text[start:end]:
            edits.append((start, end, code))
    ed.apply(edits, "symbol")


# a Party symbol and the term its sentence gives it: "28-NQ/TW, ngày … Trung ương Đảng (khóa XIII)"
SYMBOL_TERM = re.compile(rf"\b(?P<symbol>{symbols.PARTY_PLAIN})"
                         rf"(?:(?!{symbols.NUMBER_THEN_CODE})[^()\n]){{0,160}}\([Kk]hóa (?P<term>[IVX]+)\)")


def _repair_terms_by_symbol(ed: TextEditor, unsure) -> None:
    """A term OCR read with doubt, short of the term the document gives the same symbol
    elsewhere ("28-NQ/TW … (khóa XI)" where its other mentions say "khóa XIII" at least
    twice): the letters it lacks were dropped. Typed text keeps what its author wrote."""
    mentions = [(m.group("symbol"), m.group("term"), m.start("term"), m.end("term"))
                for m in SYMBOL_TERM.finditer(ed.text)]
    terms: dict[str, Counter] = {}
    for symbol, term, _, _ in mentions:
        terms.setdefault(symbol, Counter())[term] += 1
    edits = []
    for symbol, term, start, end in mentions:
        (best, n), *runner_up = terms[symbol].most_common(2)
        if (best != term and n >= 2 and n > sum(c for _, c in runner_up)
                and best.startswith(term) and set(best[len(term):]) == {"I"} and unsure(start)):
            edits.append((start, end, best))
    ed.apply(edits, "numeral")


def _roman_readings(token: str) -> set[str]:
    """Valid numerals a damaged one can be: OCR runs two I's together as H or N."""
    options = {""}
    for ch in token:
        options = {o + r for o in options for r in (("I", "II") if ch in "HN" else (ch,))}
    return {o for o in options if o and ROMAN_NUMERAL.fullmatch(o)}


# "(khóa XIN)", "Đại hội XIH": a term or congress numeral with letters no numeral has
TERM_NUMERAL = re.compile(r"(?<=\b(?:[Kk]hóa|KHÓA|Đại hội|ĐẠI HỘI)\s+(?:[IVX]+,\s*)?)[IVXHN]*[HN][IVXHN]*(?![\p{L}\d])")
TERM_SEEN = re.compile(r"(?<=\b(?:[Kk]hóa|KHÓA|Đại hội|ĐẠI HỘI)\s+(?:[IVX]+,\s*)?)[IVX]+(?![\p{L}\d])")


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
            if raw.text[ln.start:ln.end].strip():
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
                if len(key) <= 120 and re.search(r"\p{L}", key) and (start, end) not in edges.get((edge, key), ()):
                    edges.setdefault((edge, key), []).append((start, end))
    need = max(3, (len(pages) + 1) // 2)
    return [(a, b, "") for spans in edges.values() if len(spans) >= need for a, b in spans]


@lru_cache(maxsize=1)
def _web_chrome() -> "re.Pattern":
    lines = "|".join(f"(?:{p})" for p in catalogue()["web_chrome"])
    return re.compile(rf"(?mi)^[ \t]*(?:{lines})[ \t]*$")


TABLE_ROW = re.compile(r"(?m)^[ \t]*\|.*\|[ \t]*$")
TABLE_RULE = re.compile(r"^[ \t|:-]+$")


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
        if text[prev.end():row.start()].strip():
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
            for piece in text[inner_start:inner_end].split("|"):
                a, b = pos, pos + len(piece)
                stripped = piece.strip()
                if stripped:
                    lead = len(piece) - len(piece.lstrip())
                    cells.append((a + lead, a + lead + len(stripped)))
                pos = b + 1
            cells_by_row.append(cells)
        width = max((len(c) for c in cells_by_row), default=0)
        two_columns = width == 2
        # rebuild the table's span as the cells' text, each on its own line; the pipes go
        start, end = table[0].start(), table[-1].end()
        order = ([c for r in cells_by_row for c in r[:1]] + [c for r in cells_by_row for c in r[1:]]
                 if two_columns else [c for r in cells_by_row for c in r])
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


def _find_footnotes(text: str) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Footnote references ``<sup>n</sup>`` in running text and footnote body lines
    ("n- …" for a number some reference uses, or "<sup>(n)</sup> …"), as (marker, offset)."""
    refs, bodies = [], []
    for m in SUP_MARKER.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if text[line_start:m.start()].strip():
            refs.append((m.group(1), m.start()))
    used = {marker for marker, _ in refs}
    for m in FOOTNOTE_LINE.finditer(text):
        marker = m.group("sup") or m.group("num")
        if m.group("sup") or marker in used:
            bodies.append((marker, m.start()))
    return refs, bodies


FOOTNOTE_LABEL = re.compile(r"[ \t]*(?:\d{1,2}[ \t]*[-–][ \t]+)?")


def _cut_footnotes(ed: TextEditor, bodies: list[tuple[str, int]], wrapped_notes: bool = False) -> list[tuple[str, list, list]]:
    """Take footnote bodies out of the body flow: (marker, texts, mappings) for each.

    A footnote that stops mid-sentence goes on in the first lines of the next page's
    footnote area: the line just before the next footnote ("…116-KH/HU, ngày" …
    "22/3/2018 của Ban Chấp hành Đảng bộ huyện."). A rule line just above a footnote
    is the footnote separator and goes too, so the body around it joins up again.
    ``wrapped_notes``: the input has a page layout (PDF, OCR), where a footnote runs on
    over the following lines until the layout marks a block end (\x01, \x02).
    """
    at = CleanText(ed.text, ed.segments).clean_offset
    text = ed.text
    starts = [at(raw) for _, raw in bodies]
    spans: list[tuple[int, int]] = []  # whole lines to delete, newline included
    notes = []
    for k, ((marker, _), start) in enumerate(zip(bodies, starts)):
        start = text.rfind("\n", 0, start + 1) + 1 if start < len(text) and text[start] != "\n" else start
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        label = FOOTNOTE_LABEL.match(text, start)
        pieces = [(label.end(), end)]
        spans.append((start, min(end + 1, len(text))))
        # a footnote is one paragraph: a ";" at a full line's end does not end it ("…Bộ Chính trị;")
        while (wrapped_notes and end < len(text) and not text[start:end].rstrip(" ").endswith(("\x01", "\x02"))
               and not SENTENCE_END.search(text[start:end].rstrip(" \x01\x02"))):
            nxt_end = text.find("\n", end + 1)
            nxt_end = len(text) if nxt_end < 0 else nxt_end
            line = text[end + 1:nxt_end].strip()
            if not line or FOOTNOTE_LINE.match(line) or MARKER_LINE.match(line) or any(s > end for s in starts[k + 1:k + 2] if s <= end + 1):
                break
            pieces.append((end + 1, nxt_end))
            spans.append((end + 1, min(nxt_end + 1, len(text))))
            start, end = end + 1, nxt_end  # the footnote goes on over this line
        if not TERMINAL.search(text[start:end].rstrip(" \x01\x02")) and k + 1 < len(starts):
            prev_end = starts[k + 1] - 1
            while prev_end > end and not text[text.rfind("\n", 0, prev_end) + 1:prev_end].strip():
                prev_end = text.rfind("\n", 0, prev_end)  # skip blank lines
            prev_start = text.rfind("\n", 0, max(0, prev_end)) + 1
            line = text[prev_start:prev_end].strip()
            if prev_start > end and line and (line[0].islower() or line[0].isdigit()) and not MARKER_LINE.match(line):
                pieces.append((prev_start, prev_end))
                spans.append((prev_start, prev_end + 1))
        above = start
        while above > 0:
            above = text.rfind("\n", 0, above - 1) + 1
            line = text[above:text.find("\n", above)].strip()
            if line == "\x00":
                spans.append((above, text.find("\n", above) + 1))
            if line:
                break
        pieces = [(a, b - (len(text[a:b]) - len(text[a:b].rstrip(" \x01\x02")))) for a, b in pieces]
        texts = [text[a:b].strip() for a, b in pieces]
        maps = [ed.mapping_of(a + len(text[a:b]) - len(text[a:b].lstrip()), b) for a, b in pieces]
        notes.append((marker, texts, maps))
    ed.apply([(a, b, "") for a, b in sorted(set(spans))], "footnote", record=False)
    return notes


def _append_footnotes(ed: TextEditor, notes, refs: list[tuple[str, int]]) -> tuple[int, list[Footnote]]:
    """The footnotes after the body, one per line; returns where they begin and the Footnotes."""
    body_end = len(ed.text)
    at = CleanText(ed.text, ed.segments).clean_offset
    ref_at = {marker: at(raw) for marker, raw in reversed(refs)}  # the first reference wins
    footnotes = []
    for marker, texts, maps in notes:
        ed.append("\n", [])
        start = len(ed.text)
        for i, (piece, mapping) in enumerate(zip(texts, maps)):
            if i:
                ed.append(" ", [])
            ed.append(piece, [(c, r, n) for c, r, n in mapping if c < len(piece)])
        footnotes.append(Footnote(marker, ed.text[start:], start, len(ed.text), ref_at.get(marker)))
    return body_end, footnotes


# One tone-mark convention: the tone of a word-final "oa", "oe", "uy" sits on the first vowel
# ("hóa", "khóa", "ủy", "thúy"), the style of the seed documents and of their gold; "hoá",
# "khoá", "uỷ" are mapped to it. "qu" + y ("quý") and clusters before a final consonant
# ("hoàng", "thuyền") are the same in both styles and are left alone.
OLD_TONE_STYLE = re.compile(r"(?<!\p{L})(\p{L}*?)([oOuU])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ])(?!\p{L})")
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
DASH_QUOTE_MAP = {**{c: "-" for c in "‐‑‒–—―−"}, **{c: '"' for c in "“”„«»"}, **{c: "'" for c in "‘’‚"}}


def clean(raw: RawDocument) -> CleanText:
    """Clean the ingested text; offsets stay traceable to ``raw.text``."""
    ed = TextEditor(raw.text)
    words = _ocr_words(raw)
    noise, dropped = _ocr_noise(raw, words)
    running = _running_lines(raw)
    ed.apply(running, "running_header")
    at = CleanText(ed.text, ed.segments).clean_offset
    ed.apply([(at(a), at(b), r) for a, b, r in noise], "ocr_noise")
    starts = {a for a, _, _ in running}
    dropped |= {i for i, ln in enumerate(raw.lines) if ln.start in starts}
    ed.sub(re.compile(r"\r\n?"), "\n", "newline", record=False)
    # blocks that must never be joined with the next line: markdown headings and
    # all-bold lines, and what the page layout shows (kept as raw offsets for now)
    block_ends = [(ed.source_offset(m.end()), "\x01") for m in MD_HEADING_LINE.finditer(ed.text)]
    block_ends += _layout_breaks(raw, skip=dropped)
    refs, bodies = _find_footnotes(ed.text)
    refs = [(marker, ed.source_offset(pos)) for marker, pos in refs]
    bodies = [(marker, ed.source_offset(pos)) for marker, pos in bodies]
    ed.sub(INVISIBLE, "", "invisible")
    ed.sub(LOOKALIKES, lambda m: LOOKALIKE_MAP[m.group(0)], "lookalike", record=False)
    ed.sub(DASHES_QUOTES, lambda m: DASH_QUOTE_MAP[m.group(0)], "dash_quote", record=False)
    ed.sub(OLD_TONE_STYLE, _new_tone_style, "tone_style")
    # converter residue
    ed.sub(SUP_MARKER, "", "footnote_marker")
    ed.sub(ESCAPED_STAR_LEAD, "", "decoration")
    ed.sub(MD_ESCAPE, r"\1", "markdown_escape")
    ed.sub(MD_HEADING, "", "markdown_heading")
    # horizontal rules separate blocks: keep a NUL placeholder so flow never joins across them
    ed.sub(MD_RULE, "\x00", "markdown_rule")
    ed.sub(MD_EMPHASIS, "", "markdown_emphasis")
    _unpipe_tables(ed)
    ed.sub(MD_LINEBREAK, "", "trailing_space", record=False)
    ed.sub(re.compile(r"(?m)^[ \t]+"), "", "leading_space", record=False)
    ed.sub(DECORATION_LINE, "", "decoration")
    ed.sub(EDGE_BARS, "", "edge_noise")
    ed.sub(PAGE_FURNITURE, "", "page_number")
    ed.sub(_web_chrome(), "", "web_chrome")
    ed.sub(BROKEN_SYMBOL, lambda m: "-" if "-" in m.group(0) else "/", "broken_symbol")
    _repair_symbols(ed)
    _repair_term_numerals(ed)
    confidence = _confidence_lookup(words)
    unsure = (lambda at: (c := confidence(ed.source_offset(at))) is not None and c < CERTAIN) if words else None
    if unsure:
        _repair_terms_by_symbol(ed, unsure)
    ed.sub(re.compile(r" {2,}"), " ", "spaces", record=False)
    # mark each block end (\x01 hard, \x02 soft) so that flow never joins across it
    at = CleanText(ed.text, ed.segments).clean_offset
    ends = dict(sorted(block_ends, key=lambda e: e[1], reverse=True))  # a hard end beats a soft one
    ed.apply([(at(b), at(b), mark) for b, mark in sorted(ends.items())], "block_end", record=False)
    notes = _cut_footnotes(ed, bodies, wrapped_notes=any(ln.x0 is not None for ln in raw.lines)) if bodies else []
    _flow(ed)
    ed.sub(re.compile(r"\n?\x00\n?"), "\n", "markdown_rule", record=False)
    ed.sub(re.compile(r"[\x01\x02]"), "", "block_end", record=False)
    ed.sub(re.compile(r"^\n+|\n+$"), "", "trim", record=False)
    ed.apply(spelling.find_repairs(ed.text, unsure), "spelling")
    body_end, footnotes = _append_footnotes(ed, notes, refs) if notes else (-1, [])
    cleaned = ed.finish()
    cleaned.footnotes, cleaned.body_end = footnotes, body_end
    return cleaned
