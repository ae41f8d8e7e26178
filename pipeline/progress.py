"""How a batch tells the user how it is going.

On a terminal: two tqdm bars, documents (with rate and ETA) and pages (of the documents to
do, counted up front, moving with each OCR'd page), a clock that ticks while nothing
finishes, and a line for each failure; elsewhere (a log file, CI): one plain line per
document with the same counts, rate and ETA. ``quiet`` prints nothing per document,
``verbose`` adds a line per document on a terminal too, with the seconds of each stage and
the warnings.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import Optional, TextIO

from tqdm import tqdm


class Progress:
    TICK = 1.0  # seconds between redraws of the bars' clocks

    def __init__(
        self,
        *,
        quiet: bool = False,
        verbose: bool = False,
        stream: Optional[TextIO] = None,
        bars: Optional[bool] = None,
    ):
        self.stream = stream or sys.stderr
        self.quiet, self.verbose = quiet, verbose
        self.bars = (not quiet and _is_terminal(self.stream)) if bars is None else bars
        self.docs: Optional[tqdm] = None
        self.pages: Optional[tqdm] = None
        self.todo = self.processed = self.page_count = 0
        self.t0 = time.perf_counter()
        self._stop = threading.Event()
        self._ticker: Optional[threading.Thread] = None
        self.pages_told = False

    def start(self, total: int, todo: int) -> None:
        self.todo, self.t0 = todo, time.perf_counter()
        if self.quiet:
            return
        if total > todo:
            self._line(f"{total} inputs: {todo} to process, {total - todo} unchanged or skipped")
        if self.bars and todo:
            self.docs = tqdm(
                total=todo,
                unit="doc",
                desc="documents",
                file=self.stream,
                position=0,
                dynamic_ncols=True,
            )
            # tqdm redraws only when told of progress: an OCR'd page can take a minute
            self._stop.clear()
            self._ticker = threading.Thread(target=self._tick, name="progress-clock", daemon=True)
            self._ticker.start()

    def pages_done(self, done: int, total: int) -> None:
        """``done`` of the ``total`` pages of the documents to do (``run_batch``'s
        ``on_pages``)."""
        self.pages_told = True
        if self.docs is None:
            return
        bar = self._page_bar(total) if self.pages is None else self.pages
        bar.total = total
        if done >= bar.n:
            bar.update(done - bar.n)
        else:  # a document had fewer pages than counted
            bar.n = done
        bar.refresh()

    def _page_bar(self, total: Optional[int]) -> tqdm:
        """Made once the total is known, so that it is never drawn without it. (A bar is
        never tested for truth: tqdm's is its total, or an error without one.)"""
        self.pages = tqdm(
            total=total, unit="page", desc="pages", file=self.stream, position=1, dynamic_ncols=True
        )
        return self.pages

    def _tick(self) -> None:
        while not self._stop.wait(self.TICK):
            for bar in (self.docs, self.pages):
                if bar is not None:
                    bar.refresh()

    def done(self, entry, i: int, total: int) -> None:
        if entry.reused or entry.output is None:  # kept from the last run, or skipped / missing
            if not self.quiet and (self.verbose or not entry.reused):
                self._line(
                    f"{entry.status:7} {entry.path}: {entry.error or 'unchanged, output kept'}"
                )
            return
        self.processed += 1
        self.page_count += entry.pages
        if self.docs is not None:
            self.docs.update(1)
            if not self.pages_told:  # no page counts from the batch: a document's at its end
                (self._page_bar(None) if self.pages is None else self.pages).update(entry.pages)
            if self.verbose or entry.status == "failed":
                self._line(self._describe(entry))
        elif not self.quiet:
            elapsed = time.perf_counter() - self.t0
            rate = self.processed / elapsed if elapsed else 0.0
            eta = (self.todo - self.processed) / rate if rate else 0.0
            self._line(
                f"[{self.processed}/{self.todo}] {self._describe(entry)} | "
                f"{rate * 60:.1f} docs/min, "
                f"{self.page_count} pages ({self.page_count / elapsed if elapsed else 0:.2f}/s), "
                f"ETA {tqdm.format_interval(eta)}"
            )

    def close(self) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
            self._ticker = None
        # top bar first: tqdm leaves a closed bar on the cursor's line, and moves the bars
        # below up one; closed bottom first, the pages bar would be drawn over the documents'
        for bar in (self.docs, self.pages):
            if bar is not None:
                bar.close()
        self.docs = self.pages = None

    def _describe(self, entry) -> str:
        what = (
            f"{entry.citations} citations, {entry.sections} sections"
            if entry.status in ("ok", "partial")
            else f"{entry.error} (stage {entry.stage})"
        )
        ocr = f", OCR {len(entry.ocr_pages)}/{entry.pages} pages" if entry.ocr_pages else ""
        line = (
            f"{entry.status:7} {entry.path} -> {entry.output}.json: {what}{ocr} "
            f"({sum(entry.seconds.values()):.1f}s)"
        )
        if self.verbose:
            line += " [" + ", ".join(f"{k} {v:.2f}s" for k, v in entry.seconds.items()) + "]"
            line += "".join(f"\n    warning: {w.strip()}" for w in entry.warnings if w.strip())
        return line

    def _line(self, text: str) -> None:
        if self.docs is not None:
            tqdm.write(text, file=self.stream)
        else:
            print(text, file=self.stream, flush=True)


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
