"""Tesseract OCR of page images: preprocessing, line grouping, cache, process pool.

A page's result (what the cache keeps) is a JSON-able dict ``{"words": {...}, "error":
None | str, "skew": degrees}``: Tesseract's words as ``image_to_data`` lists them (text,
conf, box, block/par/line numbers) in pixels of the image given. ``page_lines`` groups them
into lines ``{"text", "x0", "top", "x1", "bottom", "confidence", "word_confidences",
"new_para", "row"}``, ``new_para`` marking the first line of a Tesseract block or paragraph
other than the page's first, ``row`` shared by the column segments of one printed line; so a
change to the grouping needs no new OCR.

Settings were chosen on ../shared/corpus/scans (200 dpi noisy greyscale scans,
rasterised at 300 dpi): psm 6 roughly halved the character error rate of
psm 3/4, whose page segmentation mangled lines carrying superscript footnote
markers; a median filter and autocontrast made no measurable difference on
these clean scans and slowed Tesseract, so only speckled pages get them (``preprocess``).
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import shutil
import tempfile
import unicodedata
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Optional

import pytesseract
from PIL import Image, ImageFilter, ImageOps

from ..atomic import file_mode
from . import handwriting, scan
from .layout import IngestError, Line, columns_in_reading_order

try:
    import numpy as np  # declared in setup.cfg; the median filter and the speckle measure use it
except ImportError:  # pragma: no cover
    np = None

LANG = "vie"
DPI = 300  # resolution pages are rasterised at for OCR
CONFIG = "--psm 6"
# bump whenever preprocess() or the result format changes: cached pages are redone
PREPROCESS_VERSION = "13"


# A page where a 3x3 median changes more than this share of the pixels by over a quarter
# of the grey range is speckled. Measured (per page): the shared corpus scans 0.00005-0.00008,
# the project's noisier sample scan 0.00026, its PNG page 0.0019.
SPECKLE = 0.00015


def preprocess(image: Image.Image) -> tuple[Image.Image, float]:
    """Grey without coloured ink (stamps, signatures), turned level; a speckled page is
    also denoised (3x3 median) and contrast-stretched. Returns the page and the angle it
    was turned by.

    A clean page goes to Tesseract as it is: denoising it changed the character error
    rate by nothing measurable and made Tesseract itself 4-8 % slower; on a speckled
    page it saves whole headings (scripts/bench_ingest.py, tests/test_samples.py).
    """
    grey, angle = scan.deskewed(scan.without_colour_ink(image))
    smooth = _median3(grey)
    if np is not None and _speckle(grey, smooth) < SPECKLE:
        return grey, angle
    return ImageOps.autocontrast(smooth, cutoff=1), angle


def _speckle(grey: Image.Image, smooth: Image.Image) -> float:
    changed = np.abs(np.asarray(grey, dtype=np.int16) - np.asarray(smooth, dtype=np.int16)) > 64
    return float(changed.mean())


def _median3(grey: Image.Image) -> Image.Image:
    """``grey.filter(ImageFilter.MedianFilter(3))`` for a mode "L" image, pixel for pixel,
    ~10x faster.

    PIL's rank filter sorts every window: 0.4 s on a 300 dpi page, a fifth of
    Tesseract's time. Here each column triple is sorted once and the median of
    the 3x3 window is med3(max of the lows, med3 of the middles, min of the highs),
    the border replicated as PIL's filter does. The padded image is flattened so
    that every shift is a contiguous slice, and four buffers are reused throughout.
    """
    if np is None:
        return grey.filter(ImageFilter.MedianFilter(3))
    a = np.asarray(grey)
    h, w = a.shape
    s = w + 2  # row stride of the padded image
    n = h * s  # column triples, one per pixel of the h padded rows
    m = n - 2  # windows three triples wide; the last two fall in the cropped border
    pad = np.pad(a, 1, mode="edge").ravel()
    top, mid, bot = pad[:n], pad[s : s + n], pad[2 * s : 2 * s + n]
    lo, hi, md, free = (np.empty(n, a.dtype) for _ in range(4))
    np.minimum(top, mid, out=lo)
    np.maximum(top, mid, out=hi)
    np.minimum(hi, bot, out=md)
    np.maximum(hi, bot, out=hi)
    np.minimum(lo, md, out=free)
    np.maximum(lo, md, out=md)
    lo, free = free, lo  # lo <= md <= hi down each column
    lo_max, hi_min, med, scratch = free[:m], lo[:m], hi[:m], pad[:m]
    np.maximum(lo[:m], lo[1 : m + 1], out=lo_max)
    np.maximum(lo_max, lo[2:], out=lo_max)
    np.minimum(hi[:m], hi[1 : m + 1], out=hi_min)  # lo is spent: hi_min overwrites it
    np.minimum(hi_min, hi[2:], out=hi_min)
    _med3(md[:m], md[1 : m + 1], md[2:], out=med, scratch=scratch)  # hi and pad are spent
    _med3(lo_max, med, hi_min, out=med, scratch=scratch)  # elementwise: out may be an input
    return Image.fromarray(np.ascontiguousarray(hi.reshape(h, s)[:, :w]))


def _med3(a, b, c, *, out, scratch) -> None:
    """out = median of a, b, c elementwise: max(min(a, b), min(max(a, b), c))."""
    np.maximum(a, b, out=scratch)
    np.minimum(scratch, c, out=scratch)
    np.minimum(a, b, out=out)
    np.maximum(out, scratch, out=out)


def ocr_page(image: Image.Image, *, lang: str = LANG, timeout: float = 300) -> dict:
    """OCR one page image. A timeout or Tesseract failure is reported in "error"."""
    try:
        with (
            tempfile.TemporaryDirectory(prefix=f"{TEMP_PREFIX}{os.getpid()}_") as tmp,
            _temp_in(tmp),
        ):
            # An uncompressed file for Tesseract: pytesseract's own PNG of a 300 dpi
            # scan took over a second to encode. PGM carries no resolution either, so
            # Tesseract sees exactly what it saw before.
            page = os.path.join(tmp, "page.pgm")
            prepared, skew = preprocess(image)
            tables = scan.table_grids(prepared)
            (scan.without_rules(prepared, tables) if tables else prepared).save(page)
            data = pytesseract.image_to_data(
                page, lang=lang, config=CONFIG, output_type=pytesseract.Output.DICT, timeout=timeout
            )
    except pytesseract.TesseractError as exc:
        return {"words": {}, "error": f"Tesseract failed: {exc.message}"}
    except RuntimeError as exc:  # pytesseract's timeout is a bare RuntimeError
        if "timeout" not in str(exc):
            raise
        return {"words": {}, "error": f"OCR timed out after {timeout:g} s"}
    keep = [i for i, text in enumerate(data["text"]) if data["level"][i] == 5 and text.strip()]
    words = {k: [data[k][i] for i in keep] for k in WORD_FIELDS}
    words["conf"] = [round(float(c), 1) for c in words["conf"]]
    try:
        words, fields = handwriting.read_fields(words, _with_ink(image, prepared, skew), lang)
    except (pytesseract.TesseractError, RuntimeError):  # a blank's re-reading failed: as read
        fields = []
    return {"words": words, "error": None, "skew": skew, "fields": fields, "tables": tables}


# OCR's scratch files (the page image, pytesseract's own "tess_*") live in one folder per
# page named after the process, so that what a killed process left is known and swept
TEMP_PREFIX = "vanban_ocr_"


@contextmanager
def _temp_in(folder: str):
    """pytesseract's temporary files in ``folder`` (it writes them to tempfile's folder)."""
    before, tempfile.tempdir = tempfile.tempdir, folder
    try:
        yield
    finally:
        tempfile.tempdir = before


def sweep_stale_temp() -> int:
    """Remove the OCR scratch folders of processes that are gone (killed mid-page); return
    how many."""
    swept = 0
    for folder in Path(tempfile.gettempdir()).glob(f"{TEMP_PREFIX}*_*"):
        pid = folder.name[len(TEMP_PREFIX) :].split("_", 1)[0]
        if not pid.isdigit() or _alive(int(pid)):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        swept += 1
    return swept


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's: alive
        return True
    return True


def _with_ink(image: Image.Image, prepared: Image.Image, skew: float) -> Image.Image:
    """The prepared page with the coloured ink ``preprocess`` lifted off put back: a pen's
    number and date are ink too."""
    if image.mode == "L" or not scan.has_colour_ink(image):
        return prepared
    grey = ImageOps.grayscale(image.convert("RGB"))
    return grey.rotate(-skew, resample=Image.BICUBIC, fillcolor=255) if skew else grey


# what the cache keeps of each word image_to_data finds
WORD_FIELDS = ("text", "conf", "left", "top", "width", "height", "block_num", "par_num", "line_num")


def page_lines(result: dict) -> list[dict]:
    """A page result's words grouped into lines (``_group_lines``); a ruled table's words
    (``result["tables"]``) cell by cell, row by row, each cell a paragraph of its own."""
    words = result.get("words") or {}
    if not words.get("text"):
        return []
    words = {**words, "level": [5] * len(words["text"])}
    tables = result.get("tables") or []
    cells: dict[tuple, list[int]] = {}
    outside = []
    for i in range(len(words["text"])):
        x = words["left"][i] + words["width"][i] / 2
        y = words["top"][i] + words["height"][i] / 2
        for t, grid in enumerate(tables):
            col, row = bisect.bisect(grid["x"], x), bisect.bisect(grid["y"], y)
            if 0 < col < len(grid["x"]) and 0 < row < len(grid["y"]):
                cells.setdefault((t, row, col), []).append(i)
                break
        else:
            outside.append(i)
    lines = _group_lines(_subset(words, outside))
    current, table_at = None, 0
    for (t, row, col), idx in sorted(cells.items()):
        cell = _group_lines(_subset(words, idx))
        if not cell:
            continue  # dust in a cell
        text = " ".join(line["text"] for line in cell)
        box = {
            "x0": min(line["x0"] for line in cell),
            "top": min(line["top"] for line in cell),
            "x1": max(line["x1"] for line in cell),
            "bottom": max(line["bottom"] for line in cell),
        }
        confidences = [c for line in cell for c in line["word_confidences"]]
        if t != current:  # the table goes where the lines below it begin
            current = t
            table_at = next(
                (k for k, line in enumerate(lines) if line["top"] > box["top"]), len(lines)
            )
        lines.insert(
            table_at,
            {
                "text": text,
                **box,
                "confidence": round(sum(confidences) / len(confidences), 1),
                "word_confidences": confidences,
                "new_para": True,
                "row": -1,
            },
        )
        table_at += 1
    return lines


def _subset(words: dict, idx: list[int]) -> dict:
    return {k: [v[i] for i in idx] for k, v in words.items()}


COLUMN_GAP = 2.0  # a gap between words wider than this many line heights separates two columns


def _group_lines(data: dict) -> list[dict]:
    """Words of image_to_data grouped into lines, in Tesseract's reading order.

    A line with a gap wider than ``COLUMN_GAP`` line heights (a two-column letterhead
    or signature block read as one line) is split into segments that share a ``row``.
    """
    words: dict[tuple, list[int]] = {}
    for i, text in enumerate(data["text"]):
        if data["level"][i] == 5 and text.strip():
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            words.setdefault(key, []).append(i)
    lines, prev_par = [], None
    for row, ((block, par, _), idx) in enumerate(words.items()):
        idx.sort(key=lambda i: data["left"][i])
        height = sorted(data["height"][i] for i in idx)[len(idx) // 2]
        segments, current = [], [idx[0]]
        for prev, i in zip(idx, idx[1:]):
            if data["left"][i] - (data["left"][prev] + data["width"][prev]) > COLUMN_GAP * height:
                segments.append(current)
                current = []
            current.append(i)
        segments.append(current)
        # a segment without a letter or digit is dust, a rule or a stroke ("|", ":", "<"); as a
        # segment of its own it would turn a line of body text into a two-column row
        segments = [seg for seg in segments if any(_has_alnum(data["text"][i]) for i in seg)]
        for k, seg in enumerate(segments):
            lines.append(
                {
                    "text": unicodedata.normalize(
                        "NFC", " ".join(data["text"][i].strip() for i in seg)
                    ),
                    "x0": min(data["left"][i] for i in seg),
                    "top": min(data["top"][i] for i in seg),
                    "x1": max(data["left"][i] + data["width"][i] for i in seg),
                    "bottom": max(data["top"][i] + data["height"][i] for i in seg),
                    "confidence": round(sum(float(data["conf"][i]) for i in seg) / len(seg), 1),
                    "word_confidences": [round(float(data["conf"][i]), 1) for i in seg],
                    "new_para": k == 0 and prev_par is not None and (block, par) != prev_par,
                    "row": row,
                }
            )
        prev_par = (block, par)
    return lines


def _has_alnum(text: str) -> bool:
    return any(c.isalnum() for c in text)


# Told of each page whose OCR result is in (from the cache or not): a batch's worker counts
# them for the progress of the document it works on (``set_page_hook``).
_page_hook: Optional[Callable[[], None]] = None


def set_page_hook(hook: Optional[Callable[[], None]]) -> None:
    global _page_hook
    _page_hook = hook


def _page_done() -> None:
    if _page_hook is not None:
        _page_hook()


def ocr_pages(
    images: Iterable[Image.Image],
    *,
    jobs: int = 1,
    cache_dir: Optional[Path] = None,
    timeout: float = 300,
    lang: str = LANG,
) -> list[dict]:
    """OCR page images in order, in ``jobs`` processes, reusing cached pages.

    ``images`` is consumed lazily and at most 2 * jobs pages wait in the pool,
    so a long document is never held in memory whole.
    """
    results: dict[int, dict] = {}
    pending: dict = {}

    def collect(done) -> None:
        for fut in done:
            index, key = pending.pop(fut)
            results[index] = _cache_write(cache_dir, key, fut.result())
            _page_done()

    _limit_threads()  # before the pool forks, so workers inherit it too
    pool = ProcessPoolExecutor(jobs, initializer=_init_page_worker) if jobs > 1 else None
    try:
        for index, image in enumerate(images):
            key = cache_key(image, lang) if cache_dir is not None else ""  # hashing a page costs
            cached = _cache_read(cache_dir, key)
            if cached is not None:
                results[index] = cached
                _page_done()
            elif pool is None:
                results[index] = _cache_write(
                    cache_dir, key, _ocr_page_gated(image, lang=lang, timeout=timeout)
                )
                _page_done()
            else:
                pending[pool.submit(_ocr_page_gated, image, lang=lang, timeout=timeout)] = (
                    index,
                    key,
                )
                if len(pending) >= 2 * jobs:
                    collect(wait(pending, return_when=FIRST_COMPLETED).done)
        while pending:  # the last pages one by one as they finish, so progress moves with them
            collect(wait(pending, return_when=FIRST_COMPLETED).done)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return [results[i] for i in range(len(results))]


# A batch shares one semaphore among all its OCR processes (``set_gate``): every document
# worker may OCR its pages with as many processes as the batch has jobs, yet no more than
# that many pages are OCR'd at once. So a batch keeps every core busy to the end: when the
# last long document is the only one left, its pages spread over all cores.
_gate = None
# seconds; a permit lost with a killed worker only slows the batch, never blocks it
GATE_WAIT = 120.0


def set_gate(gate) -> None:
    global _gate
    _gate = gate


def _ocr_page_gated(image: Image.Image, **kwargs) -> dict:
    if _gate is None:
        return ocr_page(image, **kwargs)
    acquired = _gate.acquire(timeout=GATE_WAIT)
    try:
        return ocr_page(image, **kwargs)
    finally:
        if acquired:
            _gate.release()


def _init_page_worker() -> None:
    _limit_threads()
    die_with_parent()


def die_with_parent() -> None:
    """Linux: this process is killed when its parent dies (PR_SET_PDEATHSIG), so that a
    killed batch or document worker leaves no process OCR'ing for nobody."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):  # not Linux
        pass


def _limit_threads() -> None:
    # Tesseract's OpenMP threads fight each other: on 2 cores one page took
    # 17 s with them and 4 s without. Pages run in parallel processes instead.
    os.environ["OMP_THREAD_LIMIT"] = "1"


@lru_cache(maxsize=1)
def tesseract_version() -> str:
    return str(pytesseract.get_tesseract_version())


def cache_key(image: Image.Image, lang: str = LANG) -> str:
    """sha256 over the page pixels and everything that changes the OCR output."""
    h = hashlib.sha256()
    for part in (
        lang,
        CONFIG,
        PREPROCESS_VERSION,
        tesseract_version(),
        image.mode,
        repr(image.size),
    ):
        h.update(part.encode() + b"\0")
    h.update(image.tobytes())
    return h.hexdigest()


def _cache_path(cache_dir: Path, key: str) -> Path:
    return Path(cache_dir) / "ocr" / f"{key}.json"


def _cache_read(cache_dir: Optional[Path], key: str) -> Optional[dict]:
    if cache_dir is None:
        return None
    try:
        return json.loads(_cache_path(cache_dir, key).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # missing or damaged: OCR again
        return None


def _cache_write(cache_dir: Optional[Path], key: str, result: dict) -> dict:
    """Store a successful result atomically (temp file + rename); return it. A page whose
    hand-filled fields were read without the handwriting recogniser (it could not be loaded)
    is not stored: read again once it can be."""
    degraded = any(field.get("unavailable") for field in result.get("fields") or ())
    if cache_dir is None or result["error"] or degraded:
        return result
    path = _cache_path(cache_dir, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        os.fchmod(fd, file_mode())  # as open() would make it, not mkstemp's 0600
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(result, f, ensure_ascii=False)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return result


class PageOcr:
    """How a reader has page images OCR'd: in ``jobs`` processes, each page's result cached
    under ``cache_dir/ocr/``, at most ``timeout`` seconds a page (a page that runs out of
    time is left empty with a warning)."""

    def __init__(self, jobs: int = 1, cache_dir: Optional[Path] = None, timeout: float = 300):
        self.jobs, self.cache_dir, self.timeout = jobs, cache_dir, timeout

    def __call__(self, images: Iterable[Image.Image]) -> list[dict]:
        try:
            return ocr_pages(images, jobs=self.jobs, cache_dir=self.cache_dir, timeout=self.timeout)
        except pytesseract.TesseractNotFoundError as exc:
            raise IngestError("OCR needed but Tesseract is not installed or not on PATH") from exc

    @staticmethod
    def lines(result: dict, page_no: int, warnings: list[str]) -> list[Line]:
        """A page's OCR result as lines in reading order; a failure or an empty page is a
        warning."""
        lines = page_lines(result)
        if result["error"]:
            warnings.append(f"page {page_no}: {result['error']}")
        elif not lines:
            warnings.append(f"page {page_no}: OCR found no text")
        for field in result.get("fields", []):
            if note := handwriting.note(field):
                warnings.append(f"page {page_no}: {note}")
        return columns_in_reading_order(
            [
                Line(
                    line["text"],
                    {
                        k: line.get(k)
                        for k in ("x0", "top", "x1", "bottom", "confidence", "word_confidences")
                    },
                    line["new_para"],
                    line.get("row", -1),
                )
                for line in lines
            ]
        )
