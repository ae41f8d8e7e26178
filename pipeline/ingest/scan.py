"""Scanned pages made ready for OCR: coloured ink lifted off, skew taken out.

Real scans carry a red round stamp over the signature and the signer's name, blue
signatures and handwritten numbers and dates; office scanners and phone captures tilt the
page by a degree or so. Tesseract reads a tilted page line by line badly (``--psm 6``
takes the page as one block of straight lines) and reads ink strokes as letters.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageChops, ImageOps

# A pixel whose channels spread by more than this is coloured (stamp red, ink blue);
# toner black and paper white, grey or tinted, spread far less (measured: official scans'
# paper 6-14, toner under 30; the stamps' red 90-170, ballpoint blue 50-120).
INK_SPREAD = 48


def without_colour_ink(image: Image.Image) -> Image.Image:
    """The page in grey; on a page with coloured ink, each pixel as light as its lightest
    channel.

    Red and blue ink is light in its own channel, so a stamp or a signature fades to
    paper, while black type, under the stamp too, stays black in every channel. Where the
    channels still spread widely (saturated ink), the pixel is paper.
    """
    if image.mode == "L":
        return image
    image = image.convert("RGB")
    if not has_colour_ink(image):
        return ImageOps.grayscale(image)
    r, g, b = image.split()
    light = ImageChops.lighter(ImageChops.lighter(r, g), b)
    dark = ImageChops.darker(ImageChops.darker(r, g), b)
    ink = ImageChops.difference(light, dark).point(lambda v: 255 if v > INK_SPREAD else 0)
    return Image.composite(light.point(lambda v: max(v, PAPER)), light, ink)


PAPER = 235  # the grey a pixel of saturated ink becomes


def has_colour_ink(image: Image.Image, share: float = 0.0005) -> bool:
    """Whether more than ``share`` of the page is coloured ink."""
    if image.mode == "L":
        return False
    small = np.asarray(image.convert("RGB").reduce(4), dtype=np.int16)
    spread = small.max(axis=2) - small.min(axis=2)
    return bool((spread > INK_SPREAD).mean() > share)


MAX_SKEW = 4.0  # degrees; a page tilted further is a photo that needs more than deskewing
SKEW_STEP = 0.1  # coarse search step, degrees; then refined to a tenth of it
MIN_SKEW = 0.15  # smaller tilts are left alone: rotating blurs the glyphs a little


def skew_angle(grey: Image.Image) -> float:
    """The page's tilt in degrees (counter-clockwise positive), from the text lines.

    The dark pixels of a reduced page are projected on the vertical axis at each trial
    angle; at the page's own angle the lines of text fall into the fewest, fullest rows,
    so the sum of squared row counts is largest.
    """
    factor = max(1, round(grey.width / 1000))
    small = np.asarray(grey.reduce(factor), dtype=np.int16)
    threshold = min(160, int(np.median(small)) - 60)
    ys, xs = np.nonzero(small < threshold)
    if len(ys) < 500:
        return 0.0
    ys = ys.astype(np.float64)
    xs = xs.astype(np.float64) - small.shape[1] / 2

    def sharpness(angle: float) -> float:
        rows = np.round(ys + xs * np.tan(np.radians(angle))).astype(np.int64)
        counts = np.bincount(rows - rows.min())
        return float(np.dot(counts, counts))

    def best(angles: np.ndarray) -> float:
        # the middle of the angles that score best: a row of text is as sharp a little
        # either side of its own angle once rounding puts it in whole rows
        scores = np.array([sharpness(a) for a in angles])
        return float(np.median(angles[scores >= scores.max() * (1 - 1e-6)]))

    coarse = best(np.arange(-MAX_SKEW, MAX_SKEW + SKEW_STEP / 2, SKEW_STEP))
    return round(best(np.arange(coarse - SKEW_STEP, coarse + SKEW_STEP * 1.05, SKEW_STEP / 10)), 2)


def deskewed(grey: Image.Image) -> tuple[Image.Image, float]:
    """The page turned level, and the angle it was turned by (0 when left alone)."""
    angle = skew_angle(grey)
    if abs(angle) < MIN_SKEW or abs(angle) >= MAX_SKEW:
        return grey, 0.0
    paper = int(np.percentile(np.asarray(grey.reduce(8)), 90))
    return grey.rotate(-angle, resample=Image.BICUBIC, fillcolor=paper), angle


# A table's rules: a horizontal one runs at least this share of the page's width, a vertical
# one at least this share of its height (several rows), and a column line crosses at least
# half of the table's height; text strokes and underlines are far shorter or lie alone.
RULE_WIDTH = 0.2
RULE_HEIGHT = 0.03
RULE_INK = 170  # a rule printed thin or faint is lighter than type


def table_grids(grey: Image.Image) -> list[dict]:
    """The ruled table of a page: ``[{"x": [column rules], "y": [row rules]}]`` in pixels
    of ``grey`` (one table, or none), so that OCR can read it cell by cell, row by row.

    Column rules are long vertical runs of ink; the table reaches as far down as its
    column rules do; its row rules are the long horizontal runs in that reach. Rules at
    the page's edges are a scanner's shadow, not a table's."""
    factor = 2  # halved for speed, a pixel dark where any of its four is: rules are thin
    full = np.asarray(grey) < RULE_INK
    h, w = full.shape[0] // factor, full.shape[1] // factor
    dark = full[: h * factor, : w * factor].reshape(h, factor, w, factor).any(axis=(1, 3))
    margin_x, margin_y = int(EDGE * w), int(EDGE * h)
    # a scanned rule slants and breaks a little: thicken the ink across the rule first
    down = _long_runs(_thicken(dark, axis=1), int(RULE_HEIGHT * h), axis=0)
    columns = [
        x
        for x in _rule_positions(down.sum(axis=0), int(RULE_HEIGHT * h))
        if margin_x < x < w - margin_x
    ]
    reach = []
    for x in columns:  # the longest stretch the rule runs (a box below is another rule)
        ys = np.nonzero(down[:, max(0, x - 4) : x + 5].any(axis=1))[0]
        runs = np.split(ys, np.nonzero(np.diff(ys) > 6)[0] + 1)
        longest = max(runs, key=len)
        reach.append((x, int(longest[0]), int(longest[-1])))
    grids = []
    # the columns of one table reach over the same rows: group them by that
    for group in _overlapping(reach):
        if len(group) < 3:
            continue  # a framed box or a photo's edges: not a table of cells
        top = max(margin_y, int(np.median([a for _, a, _ in group])) - 4)
        bottom = min(h - margin_y, int(np.median([b for _, _, b in group])) + 4)
        across = _long_runs(_thicken(dark[top:bottom], axis=0), int(RULE_WIDTH * w), axis=1)
        rows = [top + y for y in _rule_positions(across.sum(axis=1), int(RULE_WIDTH * w))]
        if len(rows) >= 2:
            xs = sorted(x for x, _, _ in group)
            grids.append({"x": [x * factor for x in xs], "y": [y * factor for y in rows]})
    return grids


def _overlapping(reach: list[tuple[int, int, int]]) -> list[list[tuple[int, int, int]]]:
    """Rules (x, top, bottom) grouped where each overlaps the group's first by half of the
    shorter of the two."""
    groups: list[list[tuple[int, int, int]]] = []
    for rule in sorted(reach, key=lambda r: r[1]):
        for group in groups:
            _, a, b = group[0]
            if min(b, rule[2]) - max(a, rule[1]) >= min(b - a, rule[2] - rule[1]) / 2:
                group.append(rule)
                break
        else:
            groups.append([rule])
    return groups


EDGE = 0.02  # of the page: where a scanner's shadow falls


def _thicken(dark: np.ndarray, axis: int, by: int = 2) -> np.ndarray:
    """``dark`` spread ``by`` pixels both ways along ``axis``."""
    out = dark.copy()
    for k in range(1, by + 1):
        if axis == 0:
            out[k:] |= dark[:-k]
            out[:-k] |= dark[k:]
        else:
            out[:, k:] |= dark[:, :-k]
            out[:, :-k] |= dark[:, k:]
    return out


def _long_runs(dark: np.ndarray, length: int, axis: int) -> np.ndarray:
    """The dark pixels that lie in a straight run of at least ``length`` along ``axis``."""
    if length < 2:
        return dark
    a = dark if axis == 1 else dark.T
    c = np.zeros((a.shape[0], a.shape[1] + 1), np.int32)
    np.cumsum(a, axis=1, out=c[:, 1:])
    full = (c[:, length:] - c[:, :-length]) == length  # windows all dark
    # spread each full window back over its pixels
    d = np.zeros((a.shape[0], a.shape[1] + 1), np.int32)
    d[:, : full.shape[1]] += full
    d[:, length : length + full.shape[1]] -= full
    out = np.cumsum(d, axis=1)[:, : a.shape[1]] > 0
    return out if axis == 1 else out.T


def _rule_positions(counts: np.ndarray, least: int) -> list[int]:
    """Middles of the runs of positions whose count reaches ``least`` (a rule is a few
    pixels thick)."""
    hits = np.nonzero(counts >= max(1, least))[0]
    if not len(hits):
        return []
    groups = np.split(hits, np.nonzero(np.diff(hits) > 6)[0] + 1)
    return [int(g.mean()) for g in groups]


def without_rules(grey: Image.Image, grids: list[dict], width: int = 6) -> Image.Image:
    """The page with its tables' rules painted over in paper: Tesseract reads a rule as "|"
    or "I" and runs a line of text across it into the next cell."""
    a = np.array(grey)
    paper = int(np.percentile(a[::8, ::8], 90))
    for grid in grids:
        (x0, x1), (y0, y1) = (grid["x"][0], grid["x"][-1]), (grid["y"][0], grid["y"][-1])
        for x in grid["x"]:
            a[max(0, y0 - width) : y1 + width, max(0, x - width) : x + width] = paper
        for y in grid["y"]:
            a[max(0, y - width) : y + width, max(0, x0 - width) : x1 + width] = paper
    return Image.fromarray(a)
