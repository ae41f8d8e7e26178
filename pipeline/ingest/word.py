""".docx (Word) files through python-docx: body paragraphs and table cells in document
order, with bold and type size."""

from __future__ import annotations

import io
import unicodedata
from collections import Counter
from typing import Iterator, Optional

from .layout import IngestError, Line, Reading
from .ocr import PageOcr


def read(data: bytes, ocr: PageOcr) -> Reading:
    """One page: a Word file has no fixed pages."""
    return Reading("docx", [_read_docx(data)])


def _read_docx(data: bytes) -> list[Line]:
    import docx  # python-docx; imported here so other formats work without it
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zip, XML and key errors alike
        raise IngestError(f"not a readable .docx file ({exc})") from exc

    def paragraphs(container) -> Iterator[Paragraph]:
        # Body paragraphs and table cells in document order; the header block of
        # a directive (issuer / number / place and date) is usually a table.
        for item in container.iter_inner_content():
            if isinstance(item, Paragraph):
                yield item
                continue
            seen = set()
            for row in item.rows:
                for cell in row.cells:
                    if cell._tc not in seen:  # a merged cell repeats in each grid slot
                        seen.add(cell._tc)
                        yield from paragraphs(cell)

    lines: list[Line] = []
    for para in paragraphs(document):
        text = unicodedata.normalize("NFC", para.text).replace("\r", "\n")
        if not text.strip():
            continue
        box = {"bold": _docx_bold(para), "font_size": _docx_font_size(para)}
        for i, line in enumerate(text.split("\n")):
            lines.append(Line(line, box, new_para=bool(lines) and i == 0))
    return lines


def _docx_bold(para) -> bool:
    style = para.style
    if style is not None and style.name.lower().startswith(("heading", "title")):
        return True
    style_bold = bool(style is not None and style.font.bold)
    runs = [r for r in para.runs if r.text.strip()]
    return bool(runs) and all(r.bold or (r.bold is None and style_bold) for r in runs)


def _docx_font_size(para) -> Optional[float]:
    sizes = [r.font.size for r in para.runs if r.text.strip() and r.font.size]
    if sizes:
        return Counter(sizes).most_common(1)[0][0].pt
    style = para.style
    return style.font.size.pt if style is not None and style.font.size else None
