#!/usr/bin/env python3
"""Make the project's own sample inputs in data/raw/ (deterministic).

The two documents below are original and fictional (invented district "An Phú"
Party committee, invented people and local document numbers); the central
documents they cite are real, public directives cited by number only.

Outputs (in --out, default data/raw/):
  sample_ke_hoach.txt          the Kế hoạch as plain UTF-8 text, one block per line
  sample_huong_dan.md          a shorter Hướng dẫn in converter-style markdown
  sample_ke_hoach_digital.pdf  the Kế hoạch typeset as an A4 PDF with a text layer
  sample_ke_hoach_scan.pdf     the same pages as an image-only "office scan"
  sample_page.png              page 1 of the scan

Needs fpdf2 (the ``samples`` extra), pypdfium2, Pillow and numpy.
Gold annotations for these files are hand-written in data/annotated/gold/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import re
import sys
from pathlib import Path

SEED = 20240315
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FIXED_DATE = dt.datetime(2024, 3, 15, 8, 0, 0, tzinfo=dt.timezone.utc)

# --------------------------------------------------------------------------
# The Kế hoạch. Block kinds: para (justified, first-line indent), h1 (bold
# Roman heading), h2 (bold short numbered heading), item (numbered run-in
# paragraph, same look as para). "^1" marks footnote reference 1.
HEADER_LEFT = ["HUYỆN ỦY AN PHÚ", "BAN THƯỜNG VỤ", "*", "Số 45-KH/HU"]
HEADER_RIGHT = ["ĐẢNG CỘNG SẢN VIỆT NAM", "An Phú, ngày 15 tháng 3 năm 2024"]
DOC_TYPE = "KẾ HOẠCH"
TITLE = [
    "đẩy mạnh chuyển đổi số trong hoạt động của các cơ quan đảng,",
    "chính quyền, Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội huyện",
    "giai đoạn 2024 - 2025",
]
FOOTNOTES = {
    "1": "Gồm: Hệ thống quản lý văn bản và điều hành, Hệ thống thư điện tử công vụ và Cổng dịch vụ "
    "công của tỉnh, triển khai theo Quyết định số 749/QĐ-TTg, ngày 03/6/2020 của Thủ tướng Chính "
    "phủ phê duyệt Chương trình Chuyển đổi số quốc gia."
}
BODY = [
    (
        "para",
        "Thực hiện Nghị quyết số 28-NQ/TW, ngày 17/11/2022 của Ban Chấp hành Trung ương Đảng "
        "(khóa XIII) về tiếp tục đổi mới phương thức lãnh đạo, cầm quyền của Đảng đối với hệ thống "
        "chính trị trong giai đoạn mới; Kế hoạch số 12-KH/TW, ngày 28/11/2022 của Bộ Chính trị về "
        "thực hiện Nghị quyết số 28-NQ/TW; Nghị quyết số 52-NQ/TW, ngày 27/9/2019 của Bộ Chính trị "
        "về một số chủ trương, chính sách chủ động tham gia cuộc Cách mạng công nghiệp lần thứ tư; "
        "Chương trình hành động số 37-CTr/TU, ngày 06/02/2023 của Ban Chấp hành Đảng bộ tỉnh và Kế "
        "hoạch số 24/KH-UBND, ngày 20/01/2024 của Ủy ban nhân dân tỉnh về chuyển đổi số năm 2024, "
        "Ban Thường vụ Huyện ủy xây dựng Kế hoạch đẩy mạnh chuyển đổi số trong hoạt động của hệ "
        "thống chính trị huyện giai đoạn 2024 - 2025 như sau:",
    ),
    ("h1", "I. MỤC ĐÍCH, YÊU CẦU"),
    ("h2", "1. Mục đích"),
    (
        "item",
        "a) Nâng cao nhận thức, trách nhiệm của cấp ủy, tổ chức đảng, cán bộ, đảng viên, nhất là "
        "người đứng đầu, về vai trò của chuyển đổi số trong lãnh đạo, chỉ đạo, điều hành.",
    ),
    (
        "item",
        "b) Từng bước số hóa quy trình xử lý công việc; bảo đảm văn bản điện tử được tạo lập, gửi, "
        "nhận và lưu trữ thống nhất trên các nền tảng dùng chung của tỉnh^1, góp phần xây dựng "
        "chính "
        "quyền số, xã hội số trên địa bàn huyện.",
    ),
    ("h2", "2. Yêu cầu"),
    (
        "item",
        "a) Triển khai gắn với nhiệm vụ chính trị của từng cơ quan, đơn vị; có lộ trình, phân công "
        "rõ người, rõ việc, rõ thời gian hoàn thành.",
    ),
    (
        "item",
        "b) Bảo đảm an toàn, an ninh thông tin; bảo vệ bí mật của Đảng, bí mật nhà nước theo quy "
        "định; không để lộ, lọt thông tin trên không gian mạng.",
    ),
    ("h1", "II. NHIỆM VỤ, GIẢI PHÁP"),
    ("h2", "1. Nâng cao nhận thức về chuyển đổi số"),
    (
        "item",
        "1.1. Cấp ủy, tổ chức đảng các cấp quán triệt Nghị quyết số 52-NQ/TW và Chương trình hành "
        "động số 37-CTr/TU; đưa nội dung chuyển đổi số vào sinh hoạt chi bộ định kỳ.",
    ),
    (
        "item",
        "1.2. Ban Tuyên giáo Huyện ủy chủ trì hướng dẫn công tác tuyên truyền; kịp thời biểu dương "
        "các tập thể, cá nhân có cách làm hay, sáng tạo trong ứng dụng công nghệ số.",
    ),
    ("h2", "2. Hoàn thiện hạ tầng và nền tảng số"),
    (
        "item",
        "2.1. Rà soát, nâng cấp mạng nội bộ, thiết bị đầu cuối của các cơ quan, đơn vị; bảo đảm "
        "kết "
        "nối ổn định với mạng thông tin diện rộng của Đảng.",
    ),
    (
        "item",
        "2.2. Triển khai chữ ký số chuyên dùng cho 100% lãnh đạo các cơ quan, đơn vị; thực hiện "
        "văn "
        "bản điện tử đúng thể thức theo Nghị định số 30/2020/NĐ-CP, ngày 05/3/2020 của Chính phủ "
        "về "
        "công tác văn thư và Hướng dẫn số 36-HD/VPTW, ngày 03/4/2018 của Văn phòng Trung ương Đảng "
        "về thể thức và kỹ thuật trình bày văn bản của Đảng.",
    ),
    ("h2", "3. Đổi mới phương thức lãnh đạo, chỉ đạo, điều hành"),
    (
        "item",
        "a) Từ quý II năm 2024, văn bản của Ban Thường vụ Huyện ủy, Thường trực Huyện ủy (trừ văn "
        "bản "
        "mật) được gửi, nhận hoàn toàn trên môi trường điện tử; tổ chức hội nghị trực tuyến đến "
        "các "
        "tổ chức cơ sở đảng khi đủ điều kiện.",
    ),
    (
        "item",
        "b) Gắn chuyển đổi số với việc sắp xếp tổ chức bộ máy theo Nghị quyết số 18, 19-NQ/TW, "
        "ngày "
        "25/10/2017 của Ban Chấp hành Trung ương Đảng (khóa XII); tinh gọn quy trình, rút ngắn "
        "thời "
        "gian giải quyết hồ sơ, thủ tục hành chính.",
    ),
    ("h1", "III. TỔ CHỨC THỰC HIỆN"),
    ("h2", "1. Văn phòng Huyện ủy"),
    (
        "para",
        "Chủ trì tham mưu Ban Thường vụ Huyện ủy triển khai Kế hoạch; theo dõi, đôn đốc, định kỳ 6 "
        "tháng, hằng năm tổng hợp, báo cáo kết quả thực hiện.",
    ),
    ("h2", "2. Ban Tuyên giáo Huyện ủy"),
    (
        "para",
        "Hướng dẫn tuyên truyền Kế hoạch này gắn với tuyên truyền Nghị quyết số 28-NQ/TW; phối hợp "
        "với Trung tâm Văn hóa, Thông tin và Thể thao huyện mở chuyên mục về chuyển đổi số trên "
        "trang "
        "thông tin điện tử của huyện.",
    ),
    ("h2", "3. Ủy ban nhân dân huyện"),
    (
        "para",
        "Chỉ đạo các phòng, ban chuyên môn bố trí nguồn lực thực hiện các nhiệm vụ về chuyển đổi "
        "số "
        "theo 12-KH/TW và Kế hoạch số 24/KH-UBND; lồng ghép với chương trình cải cách hành chính "
        "của "
        "huyện.",
    ),
    ("h2", "4. Các tổ chức cơ sở đảng trực thuộc Huyện ủy"),
    (
        "para",
        "Căn cứ Kế hoạch này, xây dựng kế hoạch thực hiện phù hợp với tình hình thực tế; báo cáo "
        "kết "
        "quả về Ban Thường vụ Huyện ủy (qua Văn phòng Huyện ủy) trước ngày 30/11 hằng năm.",
    ),
    (
        "para",
        "Quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị phản ánh về Văn "
        "phòng "
        "Huyện ủy để tổng hợp, báo cáo Ban Thường vụ Huyện ủy.",
    ),
]
RECIPIENTS = [
    "- Ban Thường vụ Tỉnh ủy (để b/c),",
    "- Văn phòng Tỉnh ủy (để b/c),",
    "- Các đồng chí Huyện ủy viên,",
    "- Các tổ chức cơ sở đảng trực thuộc,",
    "- Lưu Văn phòng Huyện ủy.",
]
SIGNATURE = ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Trần Minh Khoa"]

# --------------------------------------------------------------------------
# The Hướng dẫn, as a DOCX/PDF-to-markdown converter would export it: bold
# runs, ## headings, a page footer glued onto the last line.
HUONG_DAN_MD = """\
**HUYỆN ỦY AN PHÚ**  
**BAN TUYÊN GIÁO**

\\*  
Số 07-HD/BTGHU

**ĐẢNG CỘNG SẢN VIỆT NAM**

*An Phú, ngày 02 tháng 4 năm 2024*

## HƯỚNG DẪN

**tuyên truyền thực hiện Kế hoạch số 45-KH/HU, ngày 15/3/2024 của Ban Thường vụ Huyện ủy về đẩy mạnh chuyển đổi số trong hoạt động của hệ thống chính trị huyện giai đoạn 2024 - 2025**

-----

Căn cứ Kế hoạch số 45-KH/HU, ngày 15/3/2024 của Ban Thường vụ Huyện ủy về đẩy mạnh chuyển đổi số trong hoạt động của các cơ quan đảng, chính quyền, Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội huyện giai đoạn 2024 - 2025 (sau đây gọi tắt là Kế hoạch số 45-KH/HU); Hướng dẫn số 112-HD/BTGTU, ngày 25/3/2024 của Ban Tuyên giáo Tỉnh ủy về tuyên truyền chuyển đổi số năm 2024, Ban Tuyên giáo Huyện ủy hướng dẫn công tác tuyên truyền như sau:

### I. NỘI DUNG TUYÊN TRUYỀN

1. Quan điểm của Đảng về đổi mới phương thức lãnh đạo, cầm quyền nêu trong Nghị quyết số 28-NQ/TW, ngày 17/11/2022 của Ban Chấp hành Trung ương Đảng (khóa XIII); ý nghĩa, vai trò của chuyển đổi số đối với hoạt động của hệ thống chính trị.

2. Mục đích, yêu cầu, nhiệm vụ và giải pháp nêu tại Kế hoạch số 45-KH/HU; các mô hình, cách làm hay trong ứng dụng công nghệ số ở các tổ chức cơ sở đảng, các xã, thị trấn.

3. Các quy định về bảo đảm an toàn, an ninh thông tin trên không gian mạng theo Luật An ninh mạng số 24/2018/QH14; trách nhiệm của cán bộ, đảng viên khi sử dụng mạng xã hội.

### II. HÌNH THỨC TUYÊN TRUYỀN

1. Tuyên truyền qua hội nghị báo cáo viên, sinh hoạt chi bộ định kỳ và các cuộc họp của cơ quan, đơn vị.

2. Tuyên truyền trên trang thông tin điện tử của huyện, hệ thống truyền thanh cơ sở và các trang mạng xã hội của các cơ quan, đơn vị.

### III. TỔ CHỨC THỰC HIỆN

1. Các tổ chức cơ sở đảng căn cứ Hướng dẫn này tổ chức tuyên truyền phù hợp với tình hình thực tế; báo cáo kết quả về Ban Tuyên giáo Huyện ủy trước ngày 30/11/2024 để tổng hợp, báo cáo Ban Thường vụ Huyện ủy theo Kế hoạch số 45-KH/HU.

2. Trung tâm Văn hóa, Thông tin và Thể thao huyện xây dựng chuyên mục "Chuyển đổi số" trên trang thông tin điện tử của huyện, cập nhật tin, bài ít nhất hai lần mỗi tháng.

Nơi nhận:

- Ban Tuyên giáo Tỉnh ủy (để b/c),
- Thường trực Huyện ủy (để b/c),
- Các tổ chức cơ sở đảng,
- Lưu BTG. Trang- 2

**K/T TRƯỞNG BAN  
PHÓ TRƯỞNG BAN**



**Nguyễn Thị Hồng Nhung**
"""  # noqa: E501, W291 (a document as written: its lines are data)

# ------------------------------------------------------------------ helpers
FN_MARK = re.compile(r"\^(\d+)")


def plain(text: str) -> str:
    """Block text as the page shows it: the footnote mark becomes a glued digit."""
    return FN_MARK.sub(r"\1", text)


def make_text(footnote_after: int | None = None) -> str:
    """The Kế hoạch as one block per line; footnote lines follow block ``footnote_after``
    (the block that ends page 1 in the typeset PDF), or the block citing them."""
    lines = HEADER_LEFT[:2] + HEADER_RIGHT[:1] + HEADER_LEFT[2:] + HEADER_RIGHT[1:]
    lines += [DOC_TYPE, " ".join(TITLE)]
    fn_lines = [f"{m} {t}" for m, t in FOOTNOTES.items()]
    if footnote_after is None:
        footnote_after = next(i for i, (_k, t) in enumerate(BODY) if FN_MARK.search(t))
    for i, (_kind, text) in enumerate(BODY):
        lines.append(plain(text))
        if i == footnote_after:
            lines += fn_lines
    lines += ["Nơi nhận:"] + RECIPIENTS + SIGNATURE
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ PDF
def make_pdf(path: Path) -> dict:
    """Typeset the Kế hoạch; return {block index: (first page, last page)}."""
    from fpdf import FPDF
    from fpdf.enums import Align, XPos, YPos

    font = "Serif"
    body_size, line_h = 12.5, 5.6  # pt, mm
    left, right, top, bottom = 30, 15, 18, 18  # mm
    fn_size, fn_line = 10.5, 4.8
    fn_reserve = 4 + fn_line * 3  # room kept on page 1 for the footnote

    class Doc(FPDF):
        def header(self):
            # page 1 keeps room for the footnote; later pages use the full height
            self.set_auto_page_break(
                True, margin=bottom + (fn_reserve if self.page_no() == 1 else 0)
            )

        def footer(self):
            if self.page_no() == 1:
                y0 = self.h - bottom - fn_reserve + 3
                self.set_draw_color(0)
                self.set_line_width(0.2)
                self.line(left, y0, left + 50, y0)
                self.set_xy(left, y0 + 1)
                for marker, text in FOOTNOTES.items():
                    self.set_font(font, "", fn_size - 3)
                    self.char_vpos = "SUP"
                    x = self.get_x()
                    self.cell(text=marker)
                    self.char_vpos = "LINE"
                    self.set_font(font, "", fn_size)
                    self.set_x(x + 2.2)
                    self.multi_cell(
                        self.w - left - right - 2.2,
                        fn_line,
                        text,
                        align=Align.J,
                        new_x=XPos.LMARGIN,
                        new_y=YPos.NEXT,
                    )
            self.set_y(-bottom + 6)
            self.set_font(font, "", 11)
            self.cell(0, 5, str(self.page_no()), align=Align.C)

    pdf = Doc(format="A4", unit="mm")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title("Kế hoạch số 45-KH/HU")
    pdf.set_author("Huyện ủy An Phú")
    pdf.set_creator("vanban scripts/make_samples.py")
    pdf.add_font(font, "", str(FONT_DIR / "DejaVuSerifCondensed.ttf"))
    pdf.add_font(font, "B", str(FONT_DIR / "DejaVuSerifCondensed-Bold.ttf"))
    pdf.add_font(font, "I", str(FONT_DIR / "DejaVuSerifCondensed-Italic.ttf"))
    pdf.add_font(font, "BI", str(FONT_DIR / "DejaVuSerifCondensed-BoldItalic.ttf"))
    pdf.set_margins(left, top, right)
    pdf.add_page()
    width = pdf.w - left - right

    # header: issuing body on the left, Party name and place/date on the right
    col_l, col_r_x, col_r = 72, left + 70, width - 70
    y = top
    pdf.set_xy(left - 8, y)
    pdf.set_font(font, "", 12.5)
    pdf.cell(col_l, 6, HEADER_LEFT[0], align=Align.C)
    pdf.set_xy(col_r_x, y)
    pdf.set_font(font, "B", 13)
    pdf.cell(col_r, 6, HEADER_RIGHT[0], align=Align.C)
    w = pdf.get_string_width(HEADER_RIGHT[0])
    pdf.set_line_width(0.3)
    pdf.line(col_r_x + (col_r - w) / 2, y + 6.2, col_r_x + (col_r + w) / 2, y + 6.2)
    pdf.set_xy(left - 8, y + 6)
    pdf.set_font(font, "B", 13)
    pdf.cell(col_l, 6, HEADER_LEFT[1], align=Align.C)
    pdf.set_xy(left - 8, y + 12)
    pdf.set_font(font, "", 12)
    pdf.cell(col_l, 5, HEADER_LEFT[2], align=Align.C)
    pdf.set_xy(left - 8, y + 18)
    pdf.set_font(font, "", 13)
    pdf.cell(col_l, 6, HEADER_LEFT[3], align=Align.C)
    pdf.set_xy(col_r_x, y + 18)
    pdf.set_font(font, "I", 13)
    pdf.cell(col_r, 6, HEADER_RIGHT[1], align=Align.C)

    # type line and title
    pdf.set_xy(left, y + 30)
    pdf.set_font(font, "B", 15)
    pdf.cell(width, 8, DOC_TYPE, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(font, "B", 13)
    for line in TITLE:
        pdf.cell(width, 6, line, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    yy = pdf.get_y() + 2
    pdf.line(left + width / 2 - 15, yy, left + width / 2 + 15, yy)
    pdf.set_y(yy + 4)

    # body
    pages: dict[int, tuple[int, int]] = {}
    for i, (kind, text) in enumerate(BODY):
        first = pdf.page_no()
        if (
            kind in ("h1", "h2")
            and pdf.get_y() + (4 if kind == "h1" else 3) * line_h > pdf.page_break_trigger
        ):
            pdf.add_page()  # keep a heading with its first line
            first = pdf.page_no()
        with pdf.text_columns(
            text_align=Align.J, line_height=1.0, l_margin=left, r_margin=right
        ) as cols:
            style = "B" if kind in ("h1", "h2") else ""
            pdf.set_font(font, style, body_size)
            with cols.paragraph(
                first_line_indent=10,
                line_height=line_h / (body_size * 0.3528),
                bottom_margin=0.8,
                text_align=Align.L if style else Align.J,
            ) as par:
                pos = 0
                for m in FN_MARK.finditer(text):
                    par.write(text[pos : m.start()])
                    pdf.set_font(font, style, body_size - 4)
                    pdf.char_vpos = "SUP"
                    par.write(m.group(1))
                    pdf.char_vpos = "LINE"
                    pdf.set_font(font, style, body_size)
                    pos = m.end()
                par.write(text[pos:])
        pages[i] = (first, pdf.page_no())

    # "Nơi nhận" on the left, signature on the right
    block_h = 7 + 5.2 * len(RECIPIENTS)
    if pdf.get_y() + 4 + max(block_h, 36) > pdf.page_break_trigger:
        pdf.add_page()
    y0 = pdf.get_y() + 4
    pdf.set_xy(left, y0)
    pdf.set_font(font, "BI", 12)
    pdf.cell(30, 6, "Nơi nhận:")
    pdf.line(left, y0 + 6, left + pdf.get_string_width("Nơi nhận:"), y0 + 6)
    pdf.set_font(font, "", 11)
    for k, r in enumerate(RECIPIENTS):
        pdf.set_xy(left, y0 + 7 + 5.2 * k)
        pdf.cell(80, 5.2, r)
    sx, sw = left + width - 78, 78
    pdf.set_font(font, "B", 13)
    pdf.set_xy(sx, y0)
    pdf.cell(sw, 6, SIGNATURE[0], align=Align.C)
    pdf.set_xy(sx, y0 + 6)
    pdf.cell(sw, 6, SIGNATURE[1], align=Align.C)
    # a hand signature: a few strokes
    rnd = random.Random(SEED)
    pdf.set_line_width(0.35)
    cx, cy = sx + sw / 2, y0 + 20
    pts = [
        (cx - 16 + 4 * k + rnd.uniform(-1, 1), cy + (3 if k % 2 else -3) + rnd.uniform(-1.5, 1.5))
        for k in range(9)
    ]
    for a, b in zip(pts, pts[1:]):
        pdf.line(a[0], a[1], b[0], b[1])
    pdf.set_xy(sx, y0 + 30)
    pdf.cell(sw, 6, SIGNATURE[2], align=Align.C)
    pdf.output(str(path))
    return pages


# ------------------------------------------------------------------ scan
def make_scan(
    pdf_path: Path, scan_path: Path, png_path: Path, dpi: int = 200, quality: int = 75
) -> int:
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    rng = np.random.default_rng(SEED)
    doc = pdfium.PdfDocument(str(pdf_path))
    pages = []
    try:
        for i in range(len(doc)):
            img = doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            angle = float(rng.uniform(0.5, 1.0) * rng.choice([-1, 1]))
            img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
            img = img.filter(ImageFilter.GaussianBlur(radius=0.7))
            a = np.asarray(img).astype(np.float32)
            a = a * 0.93 + 8  # slightly grey paper, not quite black ink
            a += rng.normal(0, 4, a.shape)  # sensor noise
            h, w = a.shape
            n = int(h * w * 0.0004)  # speckle: dark dust and a few white drop-outs
            ys, xs = rng.integers(0, h - 2, n), rng.integers(0, w - 2, n)
            a[ys, xs] = rng.uniform(20, 110, n)
            a[ys[: n // 3] + 1, xs[: n // 3]] = rng.uniform(40, 120, n // 3)
            m = n // 4
            a[rng.integers(0, h, m), rng.integers(0, w, m)] = 250
            gy = np.linspace(0, 1, h, dtype=np.float32)[:, None]
            a -= 6 * gy  # uneven lighting towards the bottom edge
            img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")
            buf = io.BytesIO()  # round-trip through JPEG as the scanner does
            img.save(buf, "JPEG", quality=quality)
            pages.append(Image.open(io.BytesIO(buf.getvalue())))
    finally:
        doc.close()
    pages[0].save(
        str(scan_path),
        "PDF",
        save_all=True,
        append_images=pages[1:],
        resolution=float(dpi),
        quality=quality,
        title="scan",
        creationDate=FIXED_DATE.utctimetuple(),
        modDate=FIXED_DATE.utctimetuple(),
    )
    pages[0].save(str(png_path), "PNG", optimize=True, dpi=(dpi, dpi))
    return len(pages)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parents[1] / "data" / "raw"
    )
    args = ap.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    random.seed(SEED)

    (out / "sample_huong_dan.md").write_text(HUONG_DAN_MD, encoding="utf-8")
    digital = out / "sample_ke_hoach_digital.pdf"
    pages = make_pdf(digital)
    # the text file interleaves the footnote where page 1 ends, as converters do
    last_on_p1 = max(i for i, (first, _last) in pages.items() if first == 1)
    if pages[last_on_p1][1] > 1 and re.search(r"\d+[-/][A-ZĐ]", BODY[last_on_p1][1]):
        print(
            "warning: the paragraph split by the page-1 footnote cites documents; "
            "the order of mentions in the .txt and the PDF may differ - check the gold",
            file=sys.stderr,
        )
    (out / "sample_ke_hoach.txt").write_text(make_text(footnote_after=last_on_p1), encoding="utf-8")
    n = make_scan(digital, out / "sample_ke_hoach_scan.pdf", out / "sample_page.png")
    for p in sorted(out.glob("sample_*")):
        print(f"{p.name:32} {p.stat().st_size:>9,d} bytes")
    print(f"pages: {n}; page 1 ends in block {last_on_p1} ({BODY[last_on_p1][1][:40]}…)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
