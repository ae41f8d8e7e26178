"""What every reader gives: the lines of each page with their layout, in reading order.

A reader returns a ``Reading``: the document's format, its pages as ``Line`` lists (text
plus the ``LineBox`` fields the source gives: position, type size and weight, OCR
confidence), which pages were OCR'd, the text encoding and warnings. ``assemble`` lays the
pages out as ``RawDocument`` text: lines end with "\\n", a blank line separates paragraphs
where the source marks them (OCR blocks, .docx paragraphs) and separates pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple, Optional

from ..models import LineBox

PAGE_SEP = "\n\n"


class IngestError(Exception):
    """The input cannot be read; the message says why in plain words."""


class Line(NamedTuple):
    text: str
    box: dict  # LineBox fields other than start, end and page
    new_para: bool = False
    row: int = -1  # segments of one printed line split at a column gap share a row


@dataclass
class Reading:
    """What a reader made of one file."""

    format: str  # pdf | image | text | docx
    pages: list[list[Line]]
    ocr_pages: list[int] = field(default_factory=list)  # 1-based
    encoding: Optional[str] = None
    warnings: list[str] = field(default_factory=list)


def columns_in_reading_order(lines: list[Line]) -> list[Line]:
    """Two-column blocks (letterhead, "Nơi nhận" beside the signature) read column by column.

    A block starts at a printed line split into segments and goes on while lines stay on
    one side of the gutter; a line across the gutter (body text, a centred title) ends it.
    """
    out: list[Line] = []
    i = 0
    while i < len(lines):
        row = (
            [ln for ln in lines[i:] if ln.row == lines[i].row] if lines[i].row >= 0 else [lines[i]]
        )
        if len(row) < 2:
            out.append(lines[i])
            i += 1
            continue
        left, right = [], []
        # the right column starts near where the block's first row has its second segment;
        # a segment well left of that later on (a brace's "(để báo cáo)" between the
        # recipients and the signature) is read with the left column
        right_start = row[1].box["x0"]
        middle = right_start - 0.25 * (right_start - row[0].box["x0"])
        slack = 0.02 * (max(x.box["x1"] for x in row) - row[0].box["x0"])
        j = i
        while j < len(lines):
            ln = lines[j]
            same_row = [x for x in lines[j:] if ln.row >= 0 and x.row == ln.row]
            if len(same_row) >= 2:  # the first segment is the left column, the rest the right
                left.append(same_row[0])
                for seg in same_row[1:]:
                    (right if seg.box["x0"] >= middle else left).append(seg)
                j += len(same_row)
            else:
                left_end = max(x.box["x1"] for x in left)
                right_start = min(x.box["x0"] for x in right) if right else right_start
                if ln.box["x1"] <= right_start + slack:
                    left.append(ln)
                elif ln.box["x0"] >= left_end - slack:
                    right.append(ln)
                else:
                    break  # a line across the gutter: the two-column block is over
                j += 1
        out += [ln._replace(new_para=k == 0) for k, ln in enumerate(left)]
        out += [ln._replace(new_para=k == 0) for k, ln in enumerate(right)]
        i = j
    return out


def assemble(pages: list[list[Line]]) -> tuple[str, list[int], list[LineBox]]:
    parts: list[str] = []
    starts: list[int] = []
    boxes: list[LineBox] = []
    pos = 0
    for page_no, lines in enumerate(pages, 1):
        if page_no > 1:
            parts.append(PAGE_SEP)
            pos += len(PAGE_SEP)
        starts.append(pos)
        for i, line in enumerate(lines):
            if i:
                sep = "\n\n" if line.new_para else "\n"
                parts.append(sep)
                pos += len(sep)
            boxes.append(LineBox(start=pos, end=pos + len(line.text), page=page_no, **line.box))
            parts.append(line.text)
            pos += len(line.text)
    return "".join(parts), starts, boxes
