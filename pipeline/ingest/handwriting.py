"""Hand-filled fields: the number and the day and month an office writes in by pen.

NĐ 30/2020 and Hướng dẫn 36-HD/VPTW print "Số:      /QĐ-UBND" and "ngày    tháng    năm 2026"
with blanks the văn thư fills in by hand once the document is signed. Tesseract, reading the
page as print, makes of a handwritten "26" nothing, "#3 ẤŠ" or "°ÔÖ". The printed words
around a blank say where it is and what goes in it (digits), so each blank is cut out of
the page (with its ink: a blue pen is lifted off the page Tesseract reads) and read again
as digits only: first by a recogniser trained on handwriting as well as print (PaddleOCR's
PP-OCRv4, which the rapidocr-onnxruntime wheel ships as ONNX: nothing is downloaded), then
by Tesseract. A reading neither is sure of is reported unread, never guessed.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pytesseract
import regex as re
from PIL import Image, ImageOps

NUMBER_LABEL = re.compile(r"^S[ốôoó0]\.?:?$", re.IGNORECASE)
CODE_AFTER_BLANK = re.compile(
    r"^[/-]\p{Lu}[\p{Lu}\p{Ll}]{0,5}[-/]"
)  # "/QĐ-UBND", "-KH/HU": no number
DAY_WORD = re.compile(r"^ngày", re.IGNORECASE)
MONTH_WORD = re.compile(r"^th[aá]ng$", re.IGNORECASE)
YEAR_WORD = re.compile(r"^n[aăâáàãạ]m$", re.IGNORECASE)
TYPED = re.compile(r"^\d{1,2}[,.]?$")

# Tesseract's word confidence (0-100) below which a handwritten reading is not taken: on
# the development scans, digits read right scored 70-96 and misreadings under 60
HAND_CONFIDENCE = 65
DIGITS = "--psm 7 -c tessedit_char_whitelist=0123456789"
INK = 0.004  # a blank with less dark area than this share was left blank, not written in
# how far a field reaches above and below its printed line, in line heights (pens wander)
REACH = 0.6


def read_fields(words: dict, page: Image.Image, lang: str) -> tuple[dict, list[dict]]:
    """The page's words with each hand-filled blank read as digits, and what was found:
    ``[{"field": "number" | "day" | "month", "text": digits or None, "confidence": float or
    None, "ocr": what the page's OCR had made of it, "blank": bool}]``."""
    lines: dict[tuple, list[int]] = {}
    for i in range(len(words["text"])):
        key = (words["block_num"][i], words["par_num"][i], words["line_num"][i])
        lines.setdefault(key, []).append(i)
    drop: set[int] = set()
    edits: dict[int, tuple[str, int]] = {}  # word index -> (new text, new left)
    added: list[dict] = []
    fields: list[dict] = []
    for idx in lines.values():
        idx.sort(key=lambda i: words["left"][i])
        text = [words["text"][i] for i in idx]
        for j, t in enumerate(text[:1]):  # the letterhead's "Số:" opens its line
            if NUMBER_LABEL.match(t):
                k = next(
                    (
                        k
                        for k in range(j + 1, min(j + 5, len(idx)))
                        if CODE_AFTER_BLANK.match(text[k])
                    ),
                    None,
                )
                if k is None:
                    continue
                found = _reread(words, page, lang, idx[j], idx[k], idx[j + 1 : k], "number", 6)
                fields.append(found)
                drop.update(idx[j + 1 : k])
                if found["text"]:
                    code = idx[k]
                    edits[code] = (found["text"] + words["text"][code], _right(words, idx[j]) + 1)
                elif not found["blank"]:
                    added.append(_word(words, idx[j], idx[k], found))
        day = next((j for j, t in enumerate(text) if DAY_WORD.match(t)), None)
        month = next((j for j, t in enumerate(text) if MONTH_WORD.match(t)), None)
        year = next((j for j, t in enumerate(text) if YEAR_WORD.match(t)), None)
        if day is None or month is None or year is None or not day < month < year:
            continue
        if not (day and text[day - 1].endswith(",")):
            continue  # not the letterhead's "Place, ngày …": a date in a sentence is typed
        for name, a, b in (("day", day, month), ("month", month, year)):
            between = idx[a + 1 : b]
            tail = text[a][4:] if name == "day" else ""  # "ngàyOẨ": the day glued to its word
            if (
                not tail
                and len(between) == 1
                and TYPED.match(text[a + 1])
                and words["conf"][between[0]] >= HAND_CONFIDENCE
            ):
                continue  # typed, or written and read surely
            if name == "day" and tail:
                edits[idx[a]] = ("ngày", words["left"][idx[a]])
            found = _reread(words, page, lang, idx[a], idx[b], between, name, 2, cut=len(tail))
            fields.append(found)
            drop.update(between)
            if found["text"] or not found["blank"]:
                added.append(_word(words, idx[a], idx[b], found))
    if not fields:
        return words, []
    out = {k: [] for k in words}
    for i in range(len(words["text"])):
        if i in drop:
            continue
        for k in words:
            out[k].append(words[k][i])
        if i in edits:
            out["text"][-1], left = edits[i]
            out["width"][-1] += out["left"][-1] - left
            out["left"][-1] = left
    for w in added:
        for k in words:
            out[k].append(w[k])
    return out, fields


# what stands in the text for a field written in that could not be read: the line keeps its
# place (and does not fall apart into two columns at the gap), no value is made up
UNREAD = "…"


def _right(words: dict, i: int) -> int:
    return words["left"][i] + words["width"][i]


def _word(words: dict, before: int, after: int, found: dict) -> dict:
    """A word for a field read between two printed words, on their line."""
    w = {k: words[k][before] for k in words}
    w.update(
        text=found["text"] or UNREAD,
        conf=found["confidence"] or 0.0,
        left=_right(words, before) + 1,
        width=max(1, words["left"][after] - _right(words, before) - 2),
    )
    return w


def _reread(
    words: dict,
    page: Image.Image,
    lang: str,
    before: int,
    after: int,
    between: list[int],
    field: str,
    max_digits: int,
    cut: int = 0,
) -> dict:
    """Read the blank between two printed words as digits."""
    height = max(words["height"][before], words["height"][after])
    left = _right(words, before)
    if cut:  # the field's ink ran into the word before it: start where its letters end
        w = words["width"][before]
        left = words["left"][before] + round(
            w * (len(words["text"][before]) - cut) / len(words["text"][before])
        )
    top = min(words["top"][before], words["top"][after]) - round(REACH * height)
    bottom = max(words["top"][i] + words["height"][i] for i in (before, after)) + round(
        REACH * height
    )
    right = words["left"][after]
    ocr = " ".join(words["text"][i] for i in between)
    found = {"field": field, "text": None, "confidence": None, "ocr": ocr, "blank": False}
    if right - left < height // 2:
        found["blank"] = True
        return found
    crop = page.crop((left, max(0, top), right, bottom))
    dark = np.asarray(crop) < 128
    if dark.mean() < INK:
        found["blank"] = True
        return found
    # a number's last digit may touch the printed code ("83-KH/HU", the 3 inside the code's
    # box): it is read on through the code too, and the digits before the code's "-" or "/" kept
    tries = [(crop, False)]
    if field == "number":
        tries.insert(0, (page.crop((left, max(0, top), _right(words, after), bottom)), True))
    loaded, why = _recogniser()
    for image, upto_code in tries if loaded else ():
        digits, confidence = _recognised(loaded, image, field, upto_code)
        if confidence >= HAND_CONFIDENCE and _fits(digits, field, max_digits):
            found.update(text=digits, confidence=confidence, reader="handwriting recogniser")
            return found
        found["recognised"] = confidence if digits else None
    if why:
        found["unavailable"] = why
    padded = ImageOps.expand(crop, border=height, fill=255)
    data = pytesseract.image_to_data(
        padded, lang=lang, config=DIGITS, output_type=pytesseract.Output.DICT, timeout=30
    )
    read = [
        (t.strip(), float(c))
        for t, c in zip(data["text"], data["conf"])
        if t.strip() and float(c) >= 0
    ]
    if not read:
        return found
    digits = "".join(t for t, _ in read)
    confidence = round(min(c for _, c in read), 1)
    found["confidence"] = confidence
    if confidence >= HAND_CONFIDENCE and _fits(digits, field, max_digits):
        found.update(text=digits, reader="digit OCR")
    return found


LIMITS = {"day": 31, "month": 12}


def _fits(digits: str, field: str, max_digits: int) -> bool:
    """Digits that can stand in the field: a number of at most ``max_digits``, a day of 1 to
    31, a month of 1 to 12."""
    limit = LIMITS.get(field)
    return (
        digits.isdigit()
        and len(digits) <= max_digits
        and (limit is None or 1 <= int(digits) <= limit)
    )


@lru_cache(maxsize=1)
def _recogniser() -> tuple[tuple | None, str | None]:
    """PP-OCRv4's text recogniser (CTC over 6,600 characters, digits among them), one thread:
    each OCR worker has its own core; or, where it cannot be loaded (OpenCV without its
    libGL), None and why: Tesseract reads the fields alone, and the warnings say so."""
    try:
        import rapidocr_onnxruntime
        from rapidocr_onnxruntime.ch_ppocr_rec import TextRecognizer

        folder = Path(rapidocr_onnxruntime.__file__).parent / "models"
        config = {
            "model_path": str(folder / "ch_PP-OCRv4_rec_infer.onnx"),
            "intra_op_num_threads": 1,
            "inter_op_num_threads": 1,
        }
        recogniser = TextRecognizer({**config, "rec_img_shape": [3, 48, 320], "rec_batch_num": 1})
    except (ImportError, OSError, RuntimeError) as exc:
        return None, f"{type(exc).__name__}: {exc}"
    alphabet = recogniser.postprocess_op.character  # [blank, ..., " "]
    digits = np.array([alphabet.index(d) for d in "0123456789"])
    code_marks = np.array([alphabet.index(m) for m in "-/"])
    return (recogniser, digits, code_marks), None


# a field's first digit of two: a day's tens are 0-3, a month's 0-1
FIRST_OF_TWO = {"day": 4, "month": 2}


def _recognised(
    loaded: tuple, crop: Image.Image, field: str, upto_code: bool = False
) -> tuple[str, float]:
    """The digits the handwriting recogniser reads in a field, and how sure it is (0-100):
    at each step its best digit is taken where a digit is likelier than nothing (CTC's blank),
    and the confidence is the least share any digit read has of the digits that could stand
    there (a day's first of two is 0 to 3). The recogniser knows letters too: they are not
    what a number field holds, so only its digits are compared (Tesseract's whitelist).
    ``upto_code``: the crop runs on into the printed code; only what comes before the first
    step read as its "-" or "/" counts."""
    recogniser, digits, code_marks = loaded
    rgb = np.asarray(crop.convert("RGB"))[:, :, ::-1]  # (it takes OpenCV's BGR)
    height, width = rgb.shape[:2]
    shape = recogniser.rec_image_shape
    norm = recogniser.resize_norm_img(
        np.ascontiguousarray(rgb), max(shape[2] / shape[1], width / height)
    )
    probs = recogniser.session(norm[np.newaxis].astype(np.float32))[0][0]  # steps x alphabet
    if upto_code:
        stops = np.flatnonzero(np.isin(probs.argmax(1), code_marks))
        probs = probs[: stops[0]] if stops.size else probs[:0]
    ofdigits = probs[:, digits]
    best, steps = ofdigits.argmax(1), []
    last = None
    for t, k in enumerate(best):
        k = k if ofdigits[t, k] > probs[t, 0] else None
        if k is not None and k != last:
            steps.append(t)
        last = k
    read = "".join(str(best[t]) for t in steps)
    # a mark the recogniser reads as something else (a letter) where no digit was read beside
    # it is ink of the field left unread: a "26" whose 2 reads as "X" is not a "6"
    top = probs.argmax(1)
    seen = np.flatnonzero((top != 0) & (top != probs.shape[1] - 1))  # (not blank, not " ")
    if any(min((abs(t - s) for s in steps), default=2) > 1 for t in seen):
        return read, 0.0
    shares = []
    for i, t in enumerate(steps):
        could = (
            ofdigits[t, : FIRST_OF_TWO[field]]
            if i == 0 and len(steps) == 2 and field in FIRST_OF_TWO
            else ofdigits[t]
        )
        shares.append(ofdigits[t, best[t]] / could.sum() if best[t] < len(could) else 0.0)
    return read, round(100 * float(min(shares)), 1) if shares else 0.0


NAMES = {"number": "number", "day": "day of the date", "month": "month of the date"}


def note(field: dict) -> str | None:
    """A warning for a hand-filled field: read, and how surely, or left unread and why; a
    blank left blank says nothing."""
    what = NAMES[field["field"]]
    if field["blank"]:
        return None
    confidence = field["confidence"]
    if field["text"]:
        reader = field.get("reader", "digit OCR")
        return f"handwritten {what} read as '{field['text']}' ({reader} confidence {confidence:g})"
    seen = f"page OCR read '{field['ocr']}'" if field["ocr"] else "page OCR read nothing"
    recognised = field.get("recognised")
    hand = (
        f"the handwriting recogniser could not be loaded ({field['unavailable']})"
        if field.get("unavailable")
        else "the handwriting recogniser read no digits"
        if recognised is None
        else f"handwriting recogniser confidence {recognised:g}"
    )
    digits = (
        "digit OCR found no digits"
        if confidence is None
        else f"digit OCR confidence {confidence:g}, under {HAND_CONFIDENCE}"
    )
    return f"handwritten {what} left unread: {seen}, {hand}, {digits}"
