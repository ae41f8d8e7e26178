"""Page images (PNG, JPEG, TIFF with any number of pages): every frame OCR'd."""

from __future__ import annotations

import io
import warnings
from typing import Iterator

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from . import ocr as ocr_module
from .layout import IngestError, Reading
from .ocr import PageOcr

MAX_PIXELS = 200_000_000  # an A0 sheet at 300 dpi is ~140 Mpx
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def read(data: bytes, ocr: PageOcr) -> Reading:
    results = ocr(_image_frames(data))
    notes: list[str] = []
    pages = [ocr.lines(result, n, notes) for n, result in enumerate(results, 1)]
    return Reading("image", pages, ocr_pages=list(range(1, len(pages) + 1)), warnings=notes)


def frame_count(path) -> int:
    """The pages of an image file (a TIFF's frames), from its headers."""
    with Image.open(path) as image:
        return getattr(image, "n_frames", 1)


def _image_frames(data: bytes) -> Iterator[Image.Image]:
    """Each frame (TIFF page) as a greyscale image at OCR resolution."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise IngestError("image too large (decompression bomb)") from exc
    except UnidentifiedImageError as exc:
        raise IngestError("not an image (or an unsupported image format)") from exc
    with image:
        try:
            # Pillow checks only the first frame; check every TIFF page's header
            # before any page is decoded or OCR'd.
            if any(f.width * f.height > MAX_PIXELS for f in ImageSequence.Iterator(image)):
                raise IngestError("image too large (decompression bomb)")
            for frame in ImageSequence.Iterator(image):
                yield _for_ocr(frame)
        except (OSError, SyntaxError, ValueError) as exc:  # Pillow's decode errors
            raise IngestError(f"damaged or truncated image ({exc})") from exc


def _for_ocr(frame: Image.Image) -> Image.Image:
    image = ImageOps.exif_transpose(frame)
    if "A" in image.getbands():  # transparent background would turn black
        image = Image.alpha_composite(Image.new("RGBA", image.size, "white"), image.convert("RGBA"))
    # colour stays: OCR lifts the stamps' and signatures' coloured ink off (scan.py)
    image = image.convert("L" if image.mode in ("1", "L", "I", "I;16", "F") else "RGB")
    # Upscale images that declare a low scan resolution: on the corpus scans
    # 300 dpi read better than their native 200 dpi. Below 100 dpi the value
    # is usually a screen default, not a scan resolution.
    dpi = float(frame.info.get("dpi", (0, 0))[0])
    if 100 <= dpi < ocr_module.DPI:
        factor = ocr_module.DPI / dpi
        if image.width * image.height * factor**2 <= MAX_PIXELS:
            image = image.resize(
                (round(image.width * factor), round(image.height * factor)), Image.LANCZOS
            )
    return image
