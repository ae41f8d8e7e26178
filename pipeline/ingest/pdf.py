"""PDF files: pdfplumber reads the text layer of each page with its layout (positions, type
size, bold, superscript footnote markers, two-column blocks); a page without a usable text
layer is rendered (pypdfium2) and OCR'd."""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections import Counter
from typing import Iterator, Optional

import pdfplumber
import pypdfium2 as pdfium
from pdfminer.converter import PDFLayoutAnalyzer
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.utils.text import LIGATURES
from PIL import Image

from . import ocr as ocr_module
from .image import MAX_PIXELS
from .layout import IngestError, Line, Reading, columns_in_reading_order
from .ocr import PageOcr

MIN_PAGE_CHARS = 20  # fewer printable characters than this: the page is a scan
# Lines whose tops differ by less than this (points) are one line; wide enough
# to keep superscript footnote markers on their line, well under line spacing.
PDF_LINE_TOLERANCE = 5


def read(data: bytes, ocr: PageOcr) -> Reading:
    """The text layer of every page; the pages without a usable one, OCR'd."""
    pages = _read_pdf_text(data)
    ocr_done = [n for n, lines in enumerate(pages, 1) if not _usable(lines)]
    results = ocr(_render_pdf(data, ocr_done)) if ocr_done else []
    warnings: list[str] = []
    for n, result in zip(ocr_done, results):
        pages[n - 1] = ocr.lines(result, n, warnings)
    return Reading("pdf", pages, ocr_pages=ocr_done, warnings=warnings)


def page_count(path) -> int:
    """The number of pages, from the page tree alone (nothing is parsed or rendered)."""
    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def _read_pdf_text(data: bytes) -> list[list[Line]]:
    """Text-layer lines of every page (possibly empty or garbage)."""
    if b"%PDF-" not in data[:1024]:
        raise IngestError("not a PDF (no %PDF header)")
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if not pdf.pages:
                raise IngestError("PDF has zero pages")
            pages = []
            for page in pdf.pages:
                pages.append(_pdf_page_lines(page))
                page.close()  # free pdfplumber's per-page caches on long documents
            return pages
    except IngestError:
        raise
    except Exception as exc:  # pdfminer raises many types on damaged files
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise IngestError("encrypted PDF (a password is needed to open it)") from exc
        raise IngestError(f"not a readable PDF, damaged or truncated ({cause})") from exc


COLUMN_GAP = 3.0  # a gap between characters wider than this many font sizes separates two columns


def _pdf_page_lines(page) -> list[Line]:
    """Lines of ``page.dedupe_chars().extract_text_lines(y_tolerance=PDF_LINE_TOLERANCE)``.

    The same lines from the same chars, an order of magnitude faster: pdfplumber's
    dedupe_chars is quadratic in the page's glyphs, and turning every attribute of
    every pdfminer object into page.chars dicts cost more than reading the page.
    Glyphs come from _CharCollector and lines from _text_lines; a page they do not
    cover (rotated or vertical text, a glyph whose text mixes whitespace and ink)
    goes through pdfplumber's own chars and line builder.
    """
    # _dedupe_chars: some producers fake bold by printing twice
    chars = _page_chars(page)
    text_lines = None if chars is None else _text_lines(_dedupe_chars(chars))
    if text_lines is None:
        text_lines = [
            line["chars"]
            for line in pdfplumber.utils.chars_to_textmap(
                _dedupe_chars(page.chars),
                layout_bbox=page.bbox,
                layout_width=page.width,
                layout_height=page.height,
                y_tolerance=PDF_LINE_TOLERANCE,
            ).extract_text_lines(strip=True, return_chars=True)
        ]
    lines = []
    for row, line_chars in enumerate(text_lines):
        for seg in _split_at_gutter(line_chars):
            lines.append(_pdf_line(seg, row))
    return columns_in_reading_order(lines)


class _CharCollector(PDFLayoutAnalyzer):
    """pdfminer device that keeps each glyph as the dict ``page.chars`` would hold.

    pdfplumber's page.layout builds an LTChar per glyph and page.chars then converts
    every attribute of every object; this computes the fields lines need with
    LTChar's arithmetic (same operations, so the same floats) and pdfplumber's page
    coordinates. Paths, images and figures go through pdfminer's analyzer as before.
    """

    def __init__(self, page) -> None:
        super().__init__(page.pdf.rsrcmgr, pageno=page.page_number, laparams=None)
        self.chars: list[dict] = []
        self.unsupported = False  # vertical writing or a byte-string font name: use page.chars
        self._height = page.height
        self._mb_x0, self._mb_top = page.mediabox[0], page.mediabox[1]
        self._doctop = page.initial_doctop
        self._glyphs: dict = {}  # (font, cid) -> what the font says about the glyph

    def _glyph(self, font, cid: int) -> tuple:
        try:  # as PDFLayoutAnalyzer.render_char
            text = font.to_unichr(cid)
            assert isinstance(text, str), str(type(text))
        except PDFUnicodeNotDefined:
            text = self.handle_undefined_char(font, cid)
        usable = not font.is_vertical() and isinstance(font.fontname, str)
        glyph = self._glyphs[font, cid] = (
            text,
            font.char_width(cid),
            font.get_descent(),
            font.fontname,
            usable,
        )
        return glyph

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate) -> float:
        text, width, descent, fontname, usable = self._glyphs.get((font, cid)) or self._glyph(
            font, cid
        )
        adv = width * fontsize * scaling
        if not usable:
            self.unsupported = True
            return adv
        # LTChar.__init__ (horizontal): its bbox through pdfminer.utils.apply_matrix_rect, inlined
        descent *= fontsize
        a, b, c, d, e, f = matrix
        by0, by1 = descent + rise, descent + rise + fontsize
        left1, bottom1 = a * 0 + c * by0 + e, b * 0 + d * by0 + f
        right1, bottom2 = a * adv + c * by0 + e, b * adv + d * by0 + f
        right2, top1 = a * adv + c * by1 + e, b * adv + d * by1 + f
        left2, top2 = a * 0 + c * by1 + e, b * 0 + d * by1 + f
        x0, y0 = min(left1, left2, right1, right2), min(bottom1, bottom2, top1, top2)
        x1, y1 = max(left1, left2, right1, right2), max(bottom1, bottom2, top1, top2)
        if x1 < x0:
            x0, x1 = x1, x0
        if y1 < y0:
            y0, y1 = y1, y0
        if self._mb_x0 != 0:  # pdfplumber's mediabox adjustment
            x0, x1 = x0 + self._mb_x0, x1 + self._mb_x0
        top = (self._height - y1) + self._mb_top
        self.chars.append(
            {
                "text": text,
                "fontname": fontname,
                "size": y1 - y0,
                "upright": a * d * scaling > 0 and b * c <= 0,
                "x0": x0,
                "x1": x1,
                "top": top,
                "bottom": (self._height - y0) + self._mb_top,
                "doctop": self._doctop + top,
            }
        )
        return adv


def _page_chars(page) -> Optional[list[dict]]:
    """``page.chars`` (the fields lines need), or None where the collector does not apply."""
    if page.pdf.laparams is not None or page.pdf.unicode_norm is not None:
        return None
    device = _CharCollector(page)
    try:
        PDFPageInterpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    except Exception as exc:  # as pdfplumber's page.layout reports it
        raise PdfminerException(exc) from exc
    return None if device.unsupported else device.chars


def _chains(items: list, values: list, tolerance: float) -> list[list]:
    """``items`` (sorted by ``values``) cut where a value exceeds the previous one by
    more than ``tolerance``: pdfplumber's cluster_list / cluster_objects."""
    out: list[list] = []
    last = None
    for item, v in zip(items, values):
        if last is None or v > last + tolerance:
            out.append([])
        out[-1].append(item)
        last = v
    return out


def _dedupe_chars(chars: list[dict], tolerance: float = 1) -> list[dict]:
    """pdfplumber.utils.dedupe_chars (default arguments) without its quadratic final sort.

    Chars with the same text, font and size whose doctop and then x0 chain within
    ``tolerance`` collapse to the one nearest the top-left (the first on ties).
    """
    doctop = [c["doctop"] for c in chars]
    x0 = [c["x0"] for c in chars]
    groups: dict[tuple, list[int]] = {}
    for i in sorted(range(len(chars)), key=doctop.__getitem__):
        c = chars[i]
        key = (c["upright"], c["text"], c["fontname"], c["size"])
        group = groups.get(key)
        if group is None:
            groups[key] = [i]
        else:
            group.append(i)
    drop = set()
    for members in groups.values():
        if len(members) < 2:
            continue
        for y_chain in _chains(members, [doctop[i] for i in members], tolerance):
            if len(y_chain) < 2:
                continue
            y_chain.sort(key=x0.__getitem__)
            if all(x0[j] > x0[i] + tolerance for i, j in zip(y_chain, y_chain[1:])):
                continue  # no two x0 chain: nothing to drop (the usual case)
            for x_chain in _chains(y_chain, [x0[i] for i in y_chain], tolerance):
                if len(x_chain) > 1:
                    keep = min(x_chain, key=lambda i: (doctop[i], x0[i], i))
                    drop.update(i for i in x_chain if i != keep)
    return [c for i, c in enumerate(chars) if i not in drop] if drop else chars


PDF_WORD_GAP = 3  # pdfplumber's default x_tolerance: a wider gap between glyphs starts a new word


def _text_lines(chars: list[dict]) -> Optional[list[list[dict]]]:
    """The ``chars`` of each line pdfplumber's
    ``extract_text_lines(y_tolerance=PDF_LINE_TOLERANCE)`` returns.

    Its steps: chars chained by top into lines, sorted by x0; each line cut into
    words at whitespace, empty glyphs, gaps and jumps in top; words chained by
    their top into text lines (runs of consecutive words, not re-sorted); a glyph
    counts once per letter of its (ligature-expanded) text. Unlike pdfplumber, a space
    glyph stays in its line, so ``_pdf_line`` breaks words where the PDF does. None where
    this does not mirror pdfplumber: rotated text, a glyph whose text mixes whitespace and ink.
    """
    for c in chars:
        text = c["text"]
        if not c["upright"] or (not text.isspace() and any(ch.isspace() for ch in text)):
            return None
    tol = PDF_LINE_TOLERANCE
    tops = [c["top"] for c in chars]
    x0s = [c["x0"] for c in chars]
    order = sorted(range(len(chars)), key=tops.__getitem__)
    words: list[list[dict]] = []
    for line in _chains(order, [tops[i] for i in order], tol):
        line.sort()  # back to page order, then a stable sort by x0, as pdfplumber
        line.sort(key=x0s.__getitem__)
        word: list[dict] = []
        for i in line:
            c = chars[i]
            text = c["text"]
            if text.isspace():
                if word:
                    words.append(word)
                # kept as a word of its own: the space the PDF prints is the surest word
                # break (a justified 11.5 pt space is 2.9 pt, under PDF_WORD_GAP)
                words.append([c])
                word = []
            elif not text:  # pdfplumber makes an empty glyph a word of its own
                if word:
                    words.append(word)
                words.append([c])
                word = []
            elif word and (
                c["x0"] < word[-1]["x0"]
                or c["x0"] > word[-1]["x1"] + PDF_WORD_GAP
                or abs(c["top"] - word[-1]["top"]) > tol
            ):
                words.append(word)
                word = [c]
            else:
                word.append(c)
        if word:
            words.append(word)
    word_tops = [min(c["top"] for c in word) for word in words]
    ranked = sorted(set(word_tops))
    cluster = dict(
        zip(ranked, (k for k, chain in enumerate(_chains(ranked, ranked, tol)) for _ in chain))
    )
    lines: list[list[dict]] = []
    prev = None
    for word, top in zip(words, word_tops):
        if cluster[top] != prev:  # a run of words in one cluster is one text line
            lines.append([])
            prev = cluster[top]
        for c in word:
            text = c["text"]
            if len(text) == 1 and text not in LIGATURES:
                lines[-1].append(c)
            else:
                lines[-1] += [c] * len(LIGATURES.get(text, text))
    return [line for line in lines if line]


def _split_at_gutter(chars: list[dict]) -> list[list[dict]]:
    segments, current = [], []
    for c in sorted(chars, key=lambda c: c["x0"]):
        if current and c["x0"] - current[-1]["x1"] > COLUMN_GAP * max(c["size"], 1):
            segments.append(current)
            current = []
        current.append(c)
    return [seg for seg in segments + [current] if any(not c["text"].isspace() for c in seg)]


# a glyph smaller than this share of the line's type size, raised: a footnote marker
SUPERSCRIPT = 0.9


def _pdf_line(chars: list[dict], row: int) -> Line:
    ink = [c for c in chars if not c["text"].isspace()]
    sizes = Counter(round(c["size"], 1) for c in ink)
    body = sizes.most_common(1)[0][0] if sizes else 0
    baseline = max((c["bottom"] for c in ink if round(c["size"], 1) == body), default=0)

    def superscript(c) -> bool:
        return c["size"] < SUPERSCRIPT * body and c["bottom"] < baseline - 0.2 * body

    text, prev, sup = "", None, ""
    for c in chars + [None]:
        if c is not None and not c["text"].isspace() and superscript(c):
            sup += c["text"]
            prev = c
            continue
        if sup:
            # a raised digit run is a footnote reference: marked as converters mark it
            text += f"<sup>{sup}</sup>" if re.fullmatch(r"\(?\d{1,3}\)?|\*{1,3}", sup) else sup
            sup = ""
        if c is None:
            break
        if c["text"].isspace():
            text += "" if text.endswith(" ") else " "
            prev = c
            continue
        # pdfplumber's own spacing rule: a gap wider than 3 pt between glyphs is a space
        if (
            prev is not None
            and not c["text"].isspace()
            and not text.endswith(" ")
            and c["x0"] - prev["x1"] > 3
        ):
            text += " "
        text += c["text"]
        prev = c
    bold = sum("bold" in c["fontname"].lower() for c in ink)
    italic = sum(any(k in c["fontname"].lower() for k in ("italic", "oblique")) for c in ink)
    return Line(
        unicodedata.normalize("NFC", text.strip()),
        {
            "x0": round(min(c["x0"] for c in ink), 2),
            "top": round(min(c["top"] for c in ink), 2),
            "x1": round(max(c["x1"] for c in ink), 2),
            "bottom": round(max(c["bottom"] for c in ink), 2),
            "font_size": sizes.most_common(1)[0][0] if sizes else None,
            "bold": bool(ink) and bold * 2 > len(ink),  # most of the line is bold
            "italic": bool(ink) and italic * 2 > len(ink),
        },
        row=row,
    )


def _usable(lines: list[Line]) -> bool:
    """A text layer worth keeping: enough printable text, little garbage."""
    text = re.sub(r"\(cid:\d+\)", "\ufffd", "".join(line.text for line in lines))
    visible = [c for c in text if not c.isspace()]
    bad = sum(c == "\ufffd" or unicodedata.category(c) in ("Co", "Cc") for c in visible)
    return len(visible) - bad >= MIN_PAGE_CHARS and bad <= 0.1 * len(visible)


def _render_pdf(data: bytes, page_numbers: list[int]) -> Iterator[Image.Image]:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise IngestError(f"PDF cannot be rasterised for OCR ({exc})") from exc
    try:
        for n in page_numbers:
            page = pdf[n - 1]
            width, height = page.get_size()
            # Cap the pixel count so a page with a huge media box cannot eat memory.
            scale = min(ocr_module.DPI / 72, math.sqrt(MAX_PIXELS / max(1.0, width * height)))
            # in colour: OCR lifts the stamps' and signatures' coloured ink off (scan.py)
            yield page.render(scale=scale).to_pil()
    finally:
        pdf.close()
