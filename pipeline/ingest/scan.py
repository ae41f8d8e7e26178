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
