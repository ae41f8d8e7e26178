"""Tests for pipeline.ingest and pipeline.ingest.ocr.

Fixtures are made here: text files in each encoding, digital PDFs (fpdf2),
and "scans" drawn with Pillow. Tests against ../shared skip when it is absent.
"""

import random
import re
import unicodedata
import warnings
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.evaluate import char_error_rate
from pipeline.ingest import IngestError, load, ocr
from pipeline.ingest.layout import Line, columns_in_reading_order

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
SERIF, SERIF_BOLD = FONT_DIR / "DejaVuSerif.ttf", FONT_DIR / "DejaVuSerif-Bold.ttf"
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
VIET = "Nghị quyết số 28-NQ/TW, ngày 17/11/2022 của Ban Chấp hành Trung ương Đảng"
SCAN_LINES = [
    "CHỈ THỊ",
    "Thực hiện Nghị quyết số 28-NQ/TW, ngày 17/11/2022",
    "của Ban Chấp hành Trung ương Đảng khóa XIII",
]

needs_fonts = pytest.mark.skipif(not SERIF.exists(), reason="DejaVu fonts not installed")


cer = char_error_rate


def test_cer_helper():
    assert cer("kitten", "sitting") == pytest.approx(3 / 7)
    assert cer("a  b\nc", "a b c") == 0


# --- text files -------------------------------------------------------------


def to_cp1258(text: str) -> bytes:
    """cp1258 has precomposed ă â ê ô ơ ư đ but tone marks only as combining characters."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in text:
        d = unicodedata.normalize("NFD", ch)
        out.append(unicodedata.normalize("NFC", "".join(c for c in d if c not in tones)))
        out.append("".join(c for c in d if c in tones))
    return "".join(out).encode("cp1258")


@pytest.mark.parametrize(
    "raw, encoding",
    [
        (VIET.encode("utf-8"), "utf-8"),
        (VIET.encode("utf-8-sig"), "utf-8-sig"),
        (VIET.encode("utf-16"), "utf-16"),
        (VIET.encode("utf-16-le"), "utf-16-le"),
        (VIET.encode("utf-16-be"), "utf-16-be"),
        (to_cp1258(VIET), "cp1258"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le", "utf16be", "cp1258"],
)
def test_text_encodings(tmp_path, raw, encoding):
    path = tmp_path / "doc.txt"
    path.write_bytes(raw)
    doc = load(path)
    assert doc.text == VIET
    assert unicodedata.is_normalized("NFC", doc.text)
    assert doc.encoding == encoding
    assert (doc.format, doc.pages, doc.ocr_pages) == ("text", 1, [])


def test_cp1258_fixture_really_uses_combining_tones():
    # Guards the fixture: "ị" must be written as i + combining dot below (0xF2).
    assert b"i\xf2" in to_cp1258("Nghị")


def test_text_line_endings_and_lines(tmp_path):
    path = tmp_path / "doc.md"
    path.write_bytes("# KẾ HOẠCH\r\n\r\nDòng một\rDòng hai\n".encode("utf-8"))
    doc = load(path)
    assert doc.text == "# KẾ HOẠCH\n\nDòng một\nDòng hai\n"
    assert [doc.text[b.start : b.end] for b in doc.lines] == [
        "# KẾ HOẠCH",
        "",
        "Dòng một",
        "Dòng hai",
        "",
    ]
    assert all(b.page == 1 and b.x0 is None for b in doc.lines)
    assert len(doc.sha256) == 64


def test_unknown_encoding(tmp_path):
    path = tmp_path / "blob.txt"
    path.write_bytes(bytes(random.Random(0).randrange(256) for _ in range(4000)) + b"\0\1\2")
    with pytest.raises(IngestError, match="unknown text encoding"):
        load(path)


def test_latin1_french_is_not_taken_for_vietnamese(tmp_path):
    path = tmp_path / "fr.txt"
    path.write_bytes("Größe, œuvre, naïve, façade, Ærø".encode("cp1252"))
    with pytest.raises(IngestError, match="unknown text encoding"):
        load(path)


def test_unsupported_suffix(tmp_path):
    path = tmp_path / "x.exe"
    path.write_bytes(b"MZ")
    with pytest.raises(IngestError, match="unsupported"):
        load(path)


# --- .docx ------------------------------------------------------------------


def test_docx(tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "HUYỆN ỦY TUY PHƯỚC"  # read once, not twice
    table.cell(0, 1).text = "ĐẢNG CỘNG SẢN VIỆT NAM"
    table.cell(1, 1).text = "Tuy Phước, ngày 28 tháng 7 năm 2023"
    d.add_heading("KẾ HOẠCH", level=1)
    p = d.add_paragraph()
    p.add_run("Căn cứ ")
    p.add_run(VIET)
    d.add_paragraph("")  # empty paragraphs are dropped
    d.add_paragraph().add_run("T/M BAN THƯỜNG VỤ").bold = True
    path = tmp_path / "kh.docx"
    d.save(path)

    doc = load(path)
    assert doc.text == (
        "HUYỆN ỦY TUY PHƯỚC\n\nĐẢNG CỘNG SẢN VIỆT NAM\n\nTuy Phước, ngày 28 tháng 7 năm 2023\n\n"
        "KẾ HOẠCH\n\nCăn cứ " + VIET + "\n\nT/M BAN THƯỜNG VỤ"
    )
    bold = {doc.text[b.start : b.end]: b.bold for b in doc.lines}
    assert bold["KẾ HOẠCH"] and bold["T/M BAN THƯỜNG VỤ"]
    assert not bold["Căn cứ " + VIET]
    assert (doc.format, doc.pages) == ("docx", 1)


def test_bad_docx(tmp_path):
    path = tmp_path / "bad.docx"
    path.write_bytes(b"PK\3\4 not really a zip")
    with pytest.raises(IngestError, match="docx"):
        load(path)


# --- digital PDFs -----------------------------------------------------------


def make_pdf(
    pages: list[list[tuple[str, bool]]], images: dict | None = None, **encryption
) -> bytes:
    """A PDF with a text layer: one list of (line, bold) per page, "**" marking
    bold runs inside a line; images[page] is drawn on that page."""
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF(format="A4")
    pdf.add_font("serif", "", str(SERIF))
    pdf.add_font("serif", "B", str(SERIF_BOLD))
    for n, lines in enumerate(pages, 1):
        pdf.add_page()
        if images and n in images:
            pdf.image(images[n], x=10, y=10, w=190)
        for text, bold in lines:
            pdf.set_font("serif", "B" if bold else "", 13)
            pdf.cell(text=text, new_x="LMARGIN", new_y="NEXT", markdown=True)
    if encryption:
        pdf.set_encryption(**encryption)
    return bytes(pdf.output())


PAGE1 = [
    ("KẾ HOẠCH", True),
    ("thực hiện Nghị quyết số 28-NQ/TW", False),
    ("khóa XIII về tiếp tục đổi mới", False),
]
PAGE2 = [
    ("II. NỘI DUNG TUYÊN TRUYỀN", True),
    ("**Điều 1.** Quy định số 96-QĐ/TW, ngày 02/02/2023", False),
]


@needs_fonts
def test_digital_pdf(tmp_path):
    path = tmp_path / "kh.pdf"
    path.write_bytes(make_pdf([PAGE1, PAGE2]))
    doc = load(path)
    assert (doc.format, doc.pages, doc.ocr_pages) == ("pdf", 2, [])
    assert doc.text.split("\n") == [t.replace("**", "") for t, _ in PAGE1 + [("", 0)] + PAGE2]
    assert doc.page_starts == [0, doc.text.index("II. NỘI DUNG")]
    assert doc.page_of(doc.text.index("96-QĐ/TW")) == 2
    assert doc.page_of(doc.text.index("khóa XIII")) == 1
    boxes = {doc.text[b.start : b.end]: b for b in doc.lines}
    assert boxes["KẾ HOẠCH"].bold and boxes["II. NỘI DUNG TUYÊN TRUYỀN"].bold
    assert not boxes["khóa XIII về tiếp tục đổi mới"].bold
    assert not boxes["Điều 1. Quy định số 96-QĐ/TW, ngày 02/02/2023"].bold  # only a bold lead-in
    assert boxes["KẾ HOẠCH"].font_size == pytest.approx(13, abs=0.1)
    assert boxes["KẾ HOẠCH"].top < boxes["khóa XIII về tiếp tục đổi mới"].top


@needs_fonts
def test_pdf_spaces_narrower_than_the_word_gap_still_break_words(tmp_path):
    # An 11.5 pt serif space is under 3 pt, pdfplumber's gap for a word break: the PDF's own
    # space glyphs must break the words ("Nơinhận: -BanTuyêngiáo" before).
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_font("serif", "", str(SERIF))
    pdf.add_page()
    for size, y in ((11.5, 30), (9, 40)):
        pdf.set_font("serif", size=size)
        pdf.text(20, y, "- Ban Tuyên giáo Tỉnh ủy, Nơi nhận:")
    path = tmp_path / "small.pdf"
    path.write_bytes(bytes(pdf.output()))
    assert load(path).text.split("\n") == ["- Ban Tuyên giáo Tỉnh ủy, Nơi nhận:"] * 2


def test_a_middle_column_segment_is_read_with_the_left_column():
    # "(để báo cáo)" drawn by a brace between the recipients and the signature column
    def seg(text, x0, x1, top, row):
        return Line(text, {"x0": x0, "x1": x1, "top": top, "bottom": top + 10}, row=row)

    lines = [
        seg("Nơi nhận:", 85, 136, 510, 0),
        seg("T/M TỈNH ỦY", 381, 471, 511, 0),
        seg("- Ban Tổ chức,", 85, 208, 525, 1),
        seg("BÍ THƯ", 401, 451, 528, 1),
        seg("- Văn phòng Trung ương", 85, 240, 539, 2),
        seg("(để báo cáo)", 249, 300, 539, 2),
        seg("- Lưu VP.", 85, 150, 552, 3),
        seg("Dương Văn An", 381, 471, 570, 4),
    ]
    assert [ln.text for ln in columns_in_reading_order(lines)] == [
        "Nơi nhận:",
        "- Ban Tổ chức,",
        "- Văn phòng Trung ương",
        "(để báo cáo)",
        "- Lưu VP.",
        "T/M TỈNH ỦY",
        "BÍ THƯ",
        "Dương Văn An",
    ]


@needs_fonts
def test_pdf_text_printed_twice_is_read_once(tmp_path):
    # Some producers fake bold by printing the same glyphs twice at one spot.
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_font("serif", "", str(SERIF))
    pdf.set_font("serif", size=13)
    pdf.add_page()
    for _ in range(2):
        pdf.text(20, 30, "ĐẢNG CỘNG SẢN VIỆT NAM")
    path = tmp_path / "twice.pdf"
    path.write_bytes(bytes(pdf.output()))
    assert load(path).text == "ĐẢNG CỘNG SẢN VIỆT NAM"


@needs_fonts
def test_pdf_owner_password_only_opens(tmp_path):
    # Office PDFs often restrict printing with an owner password but open freely.
    path = tmp_path / "restricted.pdf"
    path.write_bytes(make_pdf([PAGE1], owner_password="owner", user_password=""))
    assert "KẾ HOẠCH" in load(path).text


@needs_fonts
def test_encrypted_pdf(tmp_path):
    path = tmp_path / "secret.pdf"
    path.write_bytes(make_pdf([PAGE1], owner_password="owner", user_password="user"))
    with pytest.raises(IngestError, match="encrypted PDF"):
        load(path)


@needs_fonts
def test_truncated_pdf(tmp_path):
    data = make_pdf([PAGE1, PAGE2])
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(IngestError, match="truncated"):
        load(path)


def test_zero_page_pdf(tmp_path):
    path = tmp_path / "empty.pdf"
    pdfium.PdfDocument.new().save(path)
    with pytest.raises(IngestError, match="zero pages"):
        load(path)


def test_random_bytes_pdf(tmp_path):
    path = tmp_path / "noise.pdf"
    path.write_bytes(random.Random(1).randbytes(4000))
    with pytest.raises(IngestError, match="not a PDF"):
        load(path)


# --- scans and images (OCR) -------------------------------------------------


def draw_scan(lines=SCAN_LINES, width=2000, noise=True) -> Image.Image:
    """Text as a 300 dpi scanner sees it: 13 pt serif (54 px), greyish noisy paper."""
    font = ImageFont.truetype(str(SERIF), 54)
    img = Image.new("L", (width, 120 + 90 * len(lines)), 255)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((100, 60 + 90 * i), line, font=font, fill=20)
    if not noise:
        return img
    # Seeded noise: Image.effect_noise is unseeded and made OCR results vary run to run.
    speckle = Image.frombytes("L", img.size, random.Random(0).randbytes(img.width * img.height))
    return Image.blend(img, speckle, 0.1)


@pytest.fixture(scope="module")
def scan_png(tmp_path_factory):
    if not SERIF.exists():
        pytest.skip("DejaVu fonts not installed")
    path = tmp_path_factory.mktemp("scan") / "scan.png"
    draw_scan().save(path, dpi=(300, 300))
    return path


def assert_scan_text(text: str):
    assert "28-NQ/TW" in text
    assert "Nghị quyết" in text and "Trung ương Đảng" in text and "17/11/2022" in text


def test_ocr_line_grouping():
    # image_to_data rows: page, block, paragraph and line rows, then words.
    rows = [
        (4, 1, 1, 1, 0, 0, 0, 0, "-1", ""),
        (5, 1, 1, 1, 10, 20, 50, 30, "90", "Điều"),
        (5, 1, 1, 1, 70, 22, 20, 30, "80", "1."),
        (5, 1, 1, 2, 10, 60, 40, 30, "70", "Ban"),
        (5, 1, 1, 2, 60, 60, 10, 30, "95", " "),  # blank word: dropped
        (5, 1, 2, 1, 10, 120, 40, 30, "60", "hành"),
    ]
    keys = [
        "level",
        "block_num",
        "par_num",
        "line_num",
        "left",
        "top",
        "width",
        "height",
        "conf",
        "text",
    ]
    lines = ocr._group_lines({k: [r[i] for r in rows] for i, k in enumerate(keys)})
    assert [(ln["text"], ln["new_para"]) for ln in lines] == [
        ("Điều 1.", False),
        ("Ban", False),
        ("hành", True),
    ]
    assert (lines[0]["x0"], lines[0]["top"], lines[0]["x1"], lines[0]["bottom"]) == (10, 20, 90, 52)
    assert lines[0]["confidence"] == 85.0


@pytest.mark.ocr
def test_png_scan(scan_png):
    doc = load(scan_png)
    assert_scan_text(doc.text)
    assert (doc.format, doc.pages, doc.ocr_pages, doc.warnings) == ("image", 1, [1], [])
    first = doc.lines[0]
    assert doc.text[first.start : first.end] == "CHỈ THỊ"
    assert first.confidence > 50 and first.x0 == pytest.approx(100, abs=15)


@pytest.mark.ocr
def test_low_resolution_image_is_upscaled(tmp_path):
    scan = draw_scan()
    path = tmp_path / "150dpi.png"
    scan.resize((scan.width // 2, scan.height // 2), Image.LANCZOS).save(path, dpi=(150, 150))
    doc = load(path)
    assert_scan_text(doc.text)
    assert doc.lines[0].x0 == pytest.approx(100, abs=15)  # boxes are in 300 dpi pixels


@pytest.mark.ocr
def test_image_only_pdf(tmp_path, scan_png):
    path = tmp_path / "scan.pdf"
    Image.open(scan_png).save(path, "PDF", resolution=300)
    doc = load(path)
    assert_scan_text(doc.text)
    assert (doc.format, doc.pages, doc.ocr_pages) == ("pdf", 1, [1])


@pytest.mark.ocr
@needs_fonts
def test_pdf_with_text_page_and_scanned_page(tmp_path):
    # White paper: a grey scan pasted on a white page defeats Tesseract's
    # global threshold and reads as blank.
    image = tmp_path / "clean.png"
    draw_scan(noise=False).save(image, dpi=(300, 300))
    path = tmp_path / "mixed.pdf"
    path.write_bytes(make_pdf([PAGE1, []], images={2: str(image)}))
    doc = load(path)
    assert doc.ocr_pages == [2]
    assert doc.text.startswith("KẾ HOẠCH\n")
    assert doc.page_of(doc.text.index("Trung ương Đảng")) == 2


@pytest.mark.ocr
def test_multipage_tiff_in_parallel(tmp_path):
    if not SERIF.exists():
        pytest.skip("DejaVu fonts not installed")
    path = tmp_path / "two.tiff"
    first, second = (
        draw_scan(SCAN_LINES[:2]),
        draw_scan(["Kết luận số 48-KL/TW, ngày 30/01/2023", "của Bộ Chính trị"]),
    )
    first.save(path, save_all=True, append_images=[second], dpi=(300, 300))
    doc = load(path, ocr_jobs=2)
    assert (doc.pages, doc.ocr_pages) == (2, [1, 2])
    assert doc.page_of(doc.text.index("28-NQ/TW")) == 1
    assert doc.page_of(doc.text.index("48-KL/TW")) == 2


@pytest.mark.ocr
def test_ocr_cache(tmp_path, scan_png, monkeypatch):
    cache = tmp_path / "cache"
    first = load(scan_png, cache_dir=cache)
    assert len(list(cache.rglob("*.json"))) == 1
    assert not list(cache.rglob("*.tmp"))

    def no_ocr(*args, **kwargs):
        raise AssertionError("page OCR'd again despite the cache")

    monkeypatch.setattr(ocr.pytesseract, "image_to_data", no_ocr)
    again = load(scan_png, cache_dir=cache)
    assert again.text == first.text and again.lines == first.lines


@pytest.mark.ocr
def test_ocr_timeout_is_a_warning(tmp_path, scan_png):
    doc = load(scan_png, ocr_timeout=0.01, cache_dir=tmp_path)
    assert any("timed out" in w for w in doc.warnings)
    assert doc.text == "" and doc.ocr_pages == [1]
    assert not list(tmp_path.rglob("*.json"))  # failures are not cached


@pytest.mark.ocr
def test_blank_page_is_flagged(tmp_path):
    path = tmp_path / "blank.jpg"
    Image.new("L", (1200, 1600), 250).save(path, dpi=(300, 300))
    doc = load(path)
    assert doc.text == "" and doc.ocr_pages == [1]
    assert doc.warnings == ["page 1: OCR found no text", "no text found"]


def test_not_an_image(tmp_path):
    path = tmp_path / "fake.png"
    path.write_text("this is not a picture")
    with pytest.raises(IngestError, match="not an image"):
        load(path)


def test_truncated_image(tmp_path):
    path = tmp_path / "cut.png"
    noisy = Image.effect_noise((400, 400), 60)
    noisy.save(path)
    path.write_bytes(path.read_bytes()[:2000])
    with pytest.raises(IngestError, match="truncated"):
        load(path)


@pytest.fixture
def no_tesseract(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("Tesseract was called")

    monkeypatch.setattr(ocr.pytesseract, "image_to_data", fail)
    monkeypatch.setattr(ocr.pytesseract, "get_tesseract_version", fail)


def huge_second_frame(path):
    small, huge = Image.new("1", (100, 100), 1), Image.new("1", (15_000, 15_000), 1)
    small.save(path, save_all=True, append_images=[huge], compression="group4")


@pytest.mark.parametrize(
    "name, make",
    [
        ("over-limit.png", lambda path: Image.new("1", (15_000, 15_000)).save(path)),
        ("over-twice-limit.png", lambda path: Image.new("1", (21_000, 21_000)).save(path)),
        ("second-frame.tiff", huge_second_frame),  # Pillow checks only the first frame
    ],
)
@pytest.mark.usefixtures("no_tesseract")  # rejected before any OCR
def test_decompression_bomb(tmp_path, name, make):
    # Blank 1-bit images compress to a few kB whatever their size.
    path = tmp_path / name
    make(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(IngestError, match="decompression bomb"):
            load(path)
    assert not [w for w in caught if issubclass(w.category, Image.DecompressionBombWarning)]


# --- the shared corpus ------------------------------------------------------


def shared_file(rel: str) -> Path:
    path = SHARED / rel
    if not path.exists():
        pytest.skip(f"../shared corpus not available ({rel})")
    return path


STEM = "000_a97d896f1598f293"


@pytest.mark.shared
def test_corpus_pdf_matches_typeset_text():
    doc = load(shared_file(f"pdf/{STEM}.pdf"))
    assert doc.ocr_pages == [] and doc.pages == 5
    # Only the page numbers are missing from the typeset text; footnote references are
    # marked <sup>n</sup> where the typeset text glues the digits on.
    text = re.sub(r"</?sup>", "", doc.text)
    assert cer(text, shared_file(f"typeset/{STEM}.txt").read_text(encoding="utf-8")) < 0.002


def first_pages(src: Path, dest: Path, count: int) -> Path:
    out = pdfium.PdfDocument.new()
    out.import_pages(pdfium.PdfDocument(src), list(range(count)))
    out.save(dest)
    return dest


@pytest.mark.shared
@pytest.mark.ocr
def test_corpus_scan_ocr_quality(tmp_path):
    scan = first_pages(shared_file(f"scans/{STEM}.pdf"), tmp_path / "scan.pdf", 2)
    digital = first_pages(shared_file(f"pdf/{STEM}.pdf"), tmp_path / "digital.pdf", 2)
    doc = load(scan, ocr_jobs=2)
    assert doc.ocr_pages == [1, 2] and doc.warnings == []
    assert "Nghị quyết số 28-NQ/TW" in doc.text
    assert cer(doc.text, load(digital).text) < 0.01  # measured 0.002-0.004


def test_two_column_blocks_are_read_column_by_column():
    from pipeline.ingest.layout import Line as _Line
    from pipeline.ingest.layout import columns_in_reading_order as _columns_in_reading_order

    def seg(text, x0, x1, row):
        return _Line(text, {"x0": x0, "x1": x1}, row=row)

    lines = [
        seg("Nơi nhận:", 90, 150, 0),
        seg("T/M BAN THƯỜNG VỤ", 330, 480, 0),
        seg("- Ban Thường vụ Tỉnh ủy,", 90, 250, 1),
        seg("PHÓ BÍ THƯ", 360, 450, 1),
        seg("- Lưu VPHU.", 90, 160, 2),
        seg("Trần Văn Bình", 350, 460, 3),
        seg("Một dòng văn bản chạy suốt chiều ngang trang giấy", 90, 540, 4),
    ]
    assert [ln.text for ln in _columns_in_reading_order(lines)] == [
        "Nơi nhận:",
        "- Ban Thường vụ Tỉnh ủy,",
        "- Lưu VPHU.",
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        "Trần Văn Bình",
        "Một dòng văn bản chạy suốt chiều ngang trang giấy",
    ]


def test_raised_small_digits_in_a_pdf_are_marked_as_footnote_references(tmp_path):
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.add_font("Serif", "", "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
    pdf.set_font("Serif", size=13)
    pdf.text(20, 30, "Thực hiện Nghị quyết số 18-NQ/TW")
    width = pdf.get_string_width("Thực hiện Nghị quyết số 18-NQ/TW")
    pdf.set_font("Serif", size=8)
    pdf.text(20 + width + 0.3, 27.5, "1")  # the marker: smaller and raised
    pdf.set_font("Serif", size=13)
    pdf.text(20, 40, "1- Về sắp xếp tổ chức bộ máy.")
    path = tmp_path / "fn.pdf"
    pdf.output(str(path))
    raw = load(path)
    assert "18-NQ/TW<sup>1</sup>" in raw.text
    assert "1- Về sắp xếp" in raw.text  # a normal-size number is text


def test_only_speckled_pages_are_denoised():
    from pipeline.ingest import ocr

    rng = np.random.default_rng(0)
    page = np.full((400, 300), 255, np.uint8)
    page[100:110, 20:280] = 0  # a "line of text"
    clean_page = Image.fromarray(page)
    speckled = page.copy()
    speckled[rng.random(page.shape) < 0.002] = 0  # salt-and-pepper specks
    speckled_page = Image.fromarray(speckled)
    assert ocr.preprocess(clean_page)[0].tobytes() == clean_page.tobytes()  # sent as it is
    out = np.asarray(ocr.preprocess(speckled_page)[0])
    assert (out[200:, :] < 128).sum() < (speckled[200:, :] < 128).sum() / 10  # specks gone
    assert (out[100:110, 30:270] < 128).all()  # the text stays


def test_ocr_keeps_a_confidence_per_word(tmp_path):
    img = Image.new("L", (1400, 200), 255)
    ImageDraw.Draw(img).text(
        (40, 60),
        "Nghị quyết số 28-NQ/TW ngày 17/11/2022",
        font=ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 48),
        fill=0,
    )
    path = tmp_path / "line.png"
    img.save(path)
    raw = load(path)
    (line,) = [ln for ln in raw.lines if raw.text[ln.start : ln.end].strip()]
    words = raw.text[line.start : line.end].split(" ")
    assert len(line.word_confidences) == len(words) and all(
        0 <= c <= 100 for c in line.word_confidences
    )
