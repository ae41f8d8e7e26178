"""Page images made ready for OCR (pipeline/ingest/scan.py) and what OCR makes of them."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.ingest import ocr, scan
from pipeline.stages import process

SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
needs_fonts = pytest.mark.skipif(not SERIF.exists(), reason="DejaVu fonts not installed")
LINES = [
    "Căn cứ Nghị quyết số 28-NQ/TW ngày 17/11/2022 của Ban Chấp hành",
    "Trung ương Đảng khóa XIII về tiếp tục đổi mới, hoàn thiện hệ thống",
    "chính trị; Ban Thường vụ Huyện ủy xây dựng kế hoạch như sau:",
] * 4


def page(angle: float = 0.0) -> Image.Image:
    font = ImageFont.truetype(str(SERIF), 40)
    img = Image.new("L", (2000, 1400), 250)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(LINES):
        draw.text((80, 80 + 100 * i), line, font=font, fill=30)
    return img.rotate(angle, resample=Image.BICUBIC, fillcolor=250)


@needs_fonts
@pytest.mark.parametrize("angle", [-1.2, -0.5, 0.4, 1.0, 2.5])
def test_the_skew_of_a_page_is_found_and_taken_out(angle):
    tilted = page(angle)
    assert scan.skew_angle(tilted) == pytest.approx(angle, abs=0.06)
    level, turned = scan.deskewed(tilted)
    assert turned == pytest.approx(angle, abs=0.06)
    assert abs(scan.skew_angle(level)) <= 0.06


@needs_fonts
def test_a_level_page_is_left_as_it_is():
    level = page()
    assert scan.deskewed(level) == (level, 0.0)


def test_a_solid_bar_has_no_skew():
    # every small angle puts a bar in as few rows: the middle of them, 0, is its angle
    img = np.full((400, 300), 255, np.uint8)
    img[100:110, 20:280] = 0
    assert scan.skew_angle(Image.fromarray(img)) == 0.0


@needs_fonts
def test_stamp_red_and_signature_blue_fade_while_black_type_under_them_stays():
    grey = page()
    rgb = Image.merge("RGB", [grey] * 3)
    draw = ImageDraw.Draw(rgb)
    draw.ellipse((60, 40, 700, 400), outline=(200, 40, 50), width=14)  # the stamp's ring
    draw.line((100, 300, 900, 260), fill=(40, 60, 170), width=8)  # a signature stroke
    out = np.asarray(scan.without_colour_ink(rgb))
    text = np.asarray(grey) < 128
    assert out.shape == text.shape
    assert (out[text] < 128).mean() > 0.97  # the type stays black, also where the ring crosses it
    stroke = np.zeros(text.shape, bool)
    stroke[264:290, 300:700] = True
    assert (out[stroke & ~text] > 200).mean() > 0.95  # the signature's ink is paper now
    assert not scan.has_colour_ink(Image.merge("RGB", [grey] * 3))  # a grey page stays grey


def test_dust_beside_a_line_does_not_make_it_two_columns():
    # Tesseract words: a body line, and far right of it a speck it read as ":"
    words = {
        "text": ["việc", "thực", "hiện", ":"],
        "conf": [95, 96, 94, 30],
        "left": [100, 200, 300, 2400],
        "top": [500, 500, 500, 505],
        "width": [80, 80, 80, 6],
        "height": [40, 40, 40, 10],
        "block_num": [1, 1, 1, 1],
        "par_num": [1, 1, 1, 1],
        "line_num": [1, 1, 1, 1],
    }
    lines = ocr.page_lines({"words": words, "error": None})
    assert [(ln["text"], ln["row"]) for ln in lines] == [("việc thực hiện", 0)]


def header_page(number_field: str) -> Image.Image:
    """A state letterhead's number line with what stands in its blank: printed digits set
    apart from the code, or a scribble no one can read."""
    font = ImageFont.truetype(str(SERIF), 46)
    img = Image.new("L", (2200, 400), 255)
    draw = ImageDraw.Draw(img)
    draw.text((100, 80), "Số:", font=font, fill=0)
    draw.text((470, 80), "/QĐ-UBND", font=font, fill=0)
    if number_field == "scribble":
        draw.line([(250, 130), (290, 70), (320, 135), (360, 75), (400, 128)], fill=0, width=7)
    else:
        draw.text((270, 80), number_field, font=font, fill=0)
    draw.text((100, 250), "Hà Nội, ngày 08 tháng 7 năm 2026", font=font, fill=0)
    return img


@needs_fonts
def test_a_number_in_the_blank_is_read_as_digits_and_joined_to_its_code():
    result = ocr.ocr_page(header_page("26"))
    texts = [ln["text"].replace("Ð", "Đ") for ln in ocr.page_lines(result)]  # cleanup's lookalike
    assert "Số: 26/QĐ-UBND" in texts
    (field,) = result["fields"]  # the typed day "08" and month "7" are not re-read
    assert (field["field"], field["text"]) == ("number", "26")
    assert field["confidence"] >= 65


@needs_fonts
def test_a_scribble_in_the_blank_is_reported_unread_never_guessed(tmp_path):
    from pipeline.ingest import load

    path = tmp_path / "scan.png"
    header_page("scribble").save(path, dpi=(300, 300))
    raw = load(path)
    assert raw.text.split("\n")[0].endswith(" … /QĐ-UBND")  # one line, the field marked unread
    assert any("handwritten number left unread" in w for w in raw.warnings)
    doc, _ = process(path)
    meta = doc["metadata"]
    assert (meta["symbol"], meta["date"], meta["place"]) == (None, "2026-07-08", "Hà Nội")
    assert meta["sources"]["date"]["how"] == "ocr" and meta["sources"]["date"]["confidence"] > 80
    assert "symbol" not in meta["sources"]
    assert any("handwritten number left unread" in w for w in doc["warnings"])


@pytest.mark.parametrize(
    "stem, written",
    [  # what the gold reads on the page (corpus/real-scans/SOURCES.md): 184/GP-BKHCN of 31/5/2024
        ("04_gp184-bkhcn-van-chuyen-hang-nguy-hiem", {"number": "184", "day": "31", "month": "5"}),
        # 30/5/2025, the month a "5" that reads as the letter "S" where letters may stand
        ("05_gp428-bct-van-chuyen-hang-nguy-hiem", {"day": "30", "month": "5"}),
    ],
)
def test_a_pen_written_number_and_date_on_a_real_scan_are_read(shared_corpus, stem, written):
    from pipeline.ingest.pdf import _render_pdf

    data = (shared_corpus / "real-scans" / "pdf" / f"{stem}.pdf").read_bytes()
    result = ocr.ocr_page(next(_render_pdf(data, [1])))
    fields = result["fields"]
    assert {f["field"]: f["text"] for f in fields} == written
    assert all(f["reader"] == "handwriting recogniser" and f["confidence"] >= 65 for f in fields)


@needs_fonts
def test_without_the_handwriting_recogniser_tesseract_reads_alone_and_says_why(
    monkeypatch, tmp_path
):
    from pipeline.ingest import handwriting

    monkeypatch.setattr(handwriting, "_recogniser", lambda: (None, "ImportError: libGL.so.1"))
    (field,) = ocr.ocr_page(header_page("26"))["fields"]  # printed digits: Tesseract's
    assert (field["text"], field["reader"]) == ("26", "digit OCR")
    (field,) = ocr.ocr_page(header_page("scribble"))["fields"]
    assert "could not be loaded (ImportError: libGL.so.1)" in handwriting.note(field)
    # such a reading is not cached: once the recogniser loads, the page is read again
    ocr.ocr_pages([header_page("26")], cache_dir=tmp_path)
    assert not list(tmp_path.rglob("*.json"))
    monkeypatch.undo()
    ocr.ocr_pages([header_page("26")], cache_dir=tmp_path)
    assert len(list(tmp_path.rglob("*.json"))) == 1


@needs_fonts
def test_a_ruled_table_is_read_cell_by_cell_row_by_row():
    font = ImageFont.truetype(str(SERIF), 40)
    img = Image.new("L", (2400, 1400), 255)
    draw = ImageDraw.Draw(img)
    xs, ys = [100, 300, 1300, 2300], [300, 500, 800, 1100]
    rows = [
        ["TT", "Văn bản", "Ghi chú"],
        ["1", "Quyết định số 2466/QĐ-UBND", "Đạt yêu cầu"],
        ["2", "Nghị định số 34/2024/NĐ-CP", "Theo đúng"],
    ]
    for x in xs:
        draw.line([(x, ys[0]), (x, ys[-1])], fill=0, width=4)
    for y in ys:
        draw.line([(xs[0], y), (xs[-1], y)], fill=0, width=4)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            # the second column's text wraps over two lines inside its cell
            words = text.split(" ", 2)
            lines = [" ".join(words[:2]), " ".join(words[2:])] if c == 1 and r else [text]
            for k, part in enumerate(lines):
                draw.text((xs[c] + 30, ys[r] + 40 + 70 * k), part, font=font, fill=0)
    draw.text((100, 100), "Phụ lục: Danh mục văn bản", font=font, fill=0)
    grids = scan.table_grids(img)
    assert len(grids) == 1 and len(grids[0]["x"]) == 4 and len(grids[0]["y"]) == 4
    texts = [ln["text"] for ln in ocr.page_lines(ocr.ocr_page(img))]
    assert texts[0] == "Phụ lục: Danh mục văn bản"
    # each cell one line, in row order: a wrapped cell is not interleaved with its neighbours
    assert texts[4:7] == ["1", "Quyết định số 2466/QĐ-UBND", "Đạt yêu cầu"]
    assert texts[7:10] == ["2", "Nghị định số 34/2024/NĐ-CP", "Theo đúng"]


@needs_fonts
def test_a_page_of_text_has_no_table():
    assert scan.table_grids(page()) == []


@needs_fonts
def test_a_failed_rereading_of_a_blank_keeps_the_page(monkeypatch):
    import pytesseract

    from pipeline.ingest import handwriting

    def fail(*args, **kwargs):
        raise pytesseract.TesseractError(1, "crop failed")

    monkeypatch.setattr(handwriting, "_reread", fail)
    result = ocr.ocr_page(header_page("scribble"))
    assert result["error"] is None and result["fields"] == []
    assert any("Hà Nội" in ln["text"] for ln in ocr.page_lines(result))
