"""An offset-keeping text editor: cleanup's only way to change the text.

Every change is an edit (start, end, replacement) applied in a batch. The editor keeps
the piecewise map from the current text back to the raw text (``segments``), records a
``Repair`` for each recorded change, and carries the block boundaries that the page
layout or markup proves (``breaks``) to their new offsets, beside the text rather than as
characters inside it.
"""

from __future__ import annotations

import bisect
from typing import Callable

import regex as re

from .models import CleanText, Repair

# kinds of block boundary, from the weakest: a "page" turn where a page's header or footer was
# taken out (the blank lines around it were the page's, not a paragraph's end); a "soft" one
# (a paragraph's indented first line, a line that stops short) needs strong evidence to be
# joined across; a "hard" one (a heading's end, a change of type weight) and a "rule" (a
# markdown horizontal rule) never are
BREAK_STRENGTH = {"page": -1, "soft": 0, "hard": 1, "rule": 2}


class TextEditor:
    """Applies batches of non-overlapping edits and keeps offsets to the source."""

    def __init__(self, text: str):
        self.text = text
        self.segments: list[tuple[int, int, int]] = [(0, 0, len(text))] if text else []
        self.repairs: list[Repair] = []
        self.breaks: dict[int, str] = {}  # offset in text -> kind of block boundary there
        self._break_offsets: list[int] | None = None  # sorted, for break_between

    def source_offset(self, offset: int) -> int:
        return CleanText(self.text, self.segments).source_offset(offset)

    def clean_offsets(self) -> Callable[[int], int]:
        """Raw offset -> offset in the current text (the nearest kept character)."""
        return CleanText(self.text, self.segments).clean_offset

    def mark(self, offset: int, kind: str) -> None:
        """Note a block boundary at ``offset``; a stronger kind wins over a weaker one."""
        old = self.breaks.get(offset)
        if old is None or BREAK_STRENGTH[kind] >= BREAK_STRENGTH[old]:
            self.breaks[offset] = kind
            self._break_offsets = None

    def unmark(self, start: int, end: int, kind: str) -> None:
        """Forget the block boundaries of one kind in text[start:end], both ends included."""
        for at in [at for at, k in self.breaks.items() if k == kind and start <= at <= end]:
            del self.breaks[at]
        self._break_offsets = None

    def break_between(self, start: int, end: int) -> str | None:
        """The strongest block boundary noted in text[start:end], both ends included."""
        if self._break_offsets is None:
            self._break_offsets = sorted(self.breaks)
        offsets, best = self._break_offsets, None
        for i in range(bisect.bisect_left(offsets, start), bisect.bisect_right(offsets, end)):
            kind = self.breaks[offsets[i]]
            if best is None or BREAK_STRENGTH[kind] > BREAK_STRENGTH[best]:
                best = kind
        return best

    def apply(self, edits: list[tuple[int, int, str]], kind: str, record: bool = True) -> None:
        """Replace text[start:end] by each replacement; edits must not overlap. A block
        boundary inside a replaced span goes with the text that proved it."""
        if not edits:
            return
        edits = sorted(edits)
        pieces: list[str] = []
        segments: list[tuple[int, int, int]] = []
        repairs: list[Repair] = []
        moved: list[tuple[int, int, int, int]] = []  # (old start, old end, new start, new end)
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
            moved.append((start, end, out, out + len(repl)))
            pieces.append(repl)
            out += len(repl)
            pos = end
        out = self._copy(pos, len(self.text), pieces, segments, out)
        self.text = "".join(pieces)
        self.segments = _merge(segments)
        self.repairs += repairs  # their clean offsets are fixed up once, in finish()
        if self.breaks:
            self.breaks, self._break_offsets = _moved_breaks(self.breaks, moved), None

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

    def sub(self, pattern: "re.Pattern", repl, kind: str, record: bool = True) -> None:
        """Regex substitution as edits; repl is a string template or a function of the match."""
        edits = []
        for m in pattern.finditer(self.text):
            new = repl(m) if callable(repl) else m.expand(repl)
            if new != m.group(0):
                edits.append((m.start(), m.end(), new))
        self.apply(edits, kind, record)

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


def _moved_breaks(breaks: dict[int, str], moved: list[tuple[int, int, int, int]]) -> dict[int, str]:
    """Block boundaries at their offsets after a batch of edits; one strictly inside a
    replaced span is dropped with it."""
    starts = [m[0] for m in moved]
    out: dict[int, str] = {}
    for at, kind in breaks.items():
        k = bisect.bisect_right(starts, at) - 1
        if k < 0:
            new = at
        else:
            start, end, new_start, new_end = moved[k]
            if at == start:
                new = new_start
            elif at < end:
                continue
            else:
                new = new_end + at - end
        if new not in out or BREAK_STRENGTH[kind] >= BREAK_STRENGTH[out[new]]:
            out[new] = kind
    return out


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
