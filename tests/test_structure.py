import textwrap

import pytest

from conftest import ocr_text, raw_text
from pipeline.clean import clean
from pipeline.models import iter_sections
from pipeline.structure import parse

DOC = """HUYỆN ỦY AN PHÚ ĐẢNG CỘNG SẢN VIỆT NAM
BAN THƯỜNG VỤ
Số 45-KH/HU An Phú, ngày 15 tháng 3 năm 2024
KẾ HOẠCH
thực hiện Nghị quyết số 28-NQ/TW, ngày 17/11/2022
của Ban Chấp hành Trung ương Đảng
Thực hiện Nghị quyết số 28-NQ/TW, Ban Thường vụ Huyện ủy ban hành Kế hoạch thực hiện như sau:
I. MỤC ĐÍCH, YÊU CẦU
1. Quán triệt sâu sắc nội dung Nghị quyết trong toàn Đảng bộ huyện, tạo sự thống nhất cao trong nhận thức và hành động của cán bộ, đảng viên.
2. Nhiệm vụ trọng tâm
2.1. Đổi mới công tác tuyên truyền
a) Tuyên truyền trên báo chí, nhiệm kỳ
2025 - 2030; bầu cử đại biểu.
b) Tuyên truyền trên mạng xã hội.
2.2. Đổi mới công tác kiểm tra
II. TỔ CHỨC THỰC HIỆN
1. Ban Tuyên giáo Huyện ủy: Chủ trì, phối hợp tuyên truyền.
Nơi nhận:
- Ban Thường vụ Tỉnh ủy (để báo cáo),
- Các đồng chí Huyện ủy viên,
- Các tổ chức cơ sở đảng trực
thuộc Huyện ủy,
- Lưu VPHU.
T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ
Trần Văn Bình
"""  # noqa: E501 (a document as written: its lines are data)


def _parse(text=DOC, read=raw_text):
    c = clean(read(text))
    return c, parse(c)


def _paths(s) -> list[str]:
    return [n.path for n in iter_sections(s.sections)]


def _read_both_ways(text: str) -> tuple[list[str], list[str], list[str]]:
    """The section paths of ``text`` read as an OCR'd page, its warnings, and the paths of
    the same text typed."""
    _, scanned = _parse(text, ocr_text)
    _, typed = _parse(text)
    return _paths(scanned), scanned.warnings, _paths(typed)


def test_header_fields():
    _, s = _parse()
    m = s.metadata
    assert m.doc_type == "Kế hoạch"
    assert m.symbol == "45-KH/HU"
    assert m.date == "2024-03-15" and m.place == "An Phú"
    assert (
        m.title
        == "thực hiện Nghị quyết số 28-NQ/TW, ngày 17/11/2022 của Ban Chấp hành Trung ương Đảng"
    )
    assert m.issuer == "Ban Thường vụ Huyện ủy"  # named in the preamble


def test_section_tree_paths_titles_and_offsets():
    c, s = _parse()
    nodes = list(iter_sections(s.sections))
    assert [n.path for n in nodes] == [
        "I",
        "I/1",
        "I/2",
        "I/2/2.1",
        "I/2/2.1/a",
        "I/2/2.1/b",
        "I/2/2.2",
        "II",
        "II/1",
    ]
    titles = {n.path: n.title for n in nodes}
    assert titles["I"] == "MỤC ĐÍCH, YÊU CẦU"
    assert titles["I/1"] is None  # a paragraph, not a heading
    assert titles["I/2"] == "Nhiệm vụ trọng tâm"
    assert titles["II/1"] == "Ban Tuyên giáo Huyện ủy"  # the assignee leading the item
    for n in nodes:
        assert c.text[n.start :].startswith(n.label)
        assert n.start < n.end <= len(c.text)
    first = nodes[0]
    assert first.end == nodes[7].start  # I ends where II begins
    assert s.warnings == []


def test_signature_and_recipients():
    _, s = _parse()
    m = s.metadata
    assert (m.signer.authority, m.signer.title, m.signer.name) == (
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        "Trần Văn Bình",
    )
    assert m.recipients == [
        "Ban Thường vụ Tỉnh ủy (để báo cáo)",
        "Các đồng chí Huyện ủy viên",
        "Các tổ chức cơ sở đảng trực thuộc Huyện ủy",
        "Lưu VPHU",
    ]


def test_numbering_gap_is_reported():
    _, s = _parse("KẾ HOẠCH\nvề việc thử\nI. MỘT\nIII. BA\n")
    assert [n.path for n in iter_sections(s.sections)] == ["I", "III"]
    assert any("III" in w for w in s.warnings)


def test_quy_dinh_with_chuong_and_dieu():
    text = (
        "QUY ĐỊNH\nvề công tác kiểm tra\nChương I\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi điều chỉnh\n1. "
        "Quy định này áp dụng cho các tổ chức đảng trong toàn Đảng bộ tỉnh và các cơ quan liên "
        "quan khác.\nĐiều 2. Đối tượng áp dụng\nChương II\nĐiều 3. Nguyên tắc\n"
    )
    _, s = _parse(text)
    assert [n.path for n in iter_sections(s.sections)] == [
        "Chương I",
        "Chương I/Điều 1",
        "Chương I/Điều 1/1",
        "Chương I/Điều 2",
        "Chương II",
        "Chương II/Điều 3",
    ]
    assert s.metadata.doc_type == "Quy định"


def test_roman_headings_misread_by_ocr_are_repaired_from_the_sequence():
    text = (
        "KẾ HOẠCH\nvề việc thử\nIL. MỤC ĐÍCH, YÊU CẦU\n1. Một nội dung.\nIH. NỘI DUNG\n1. Hai.\n"
        "II. HÌNH THỨC\nIV. TỔ CHỨC THỰC HIỆN\nV. KINH PHÍ\n"
    )
    _, s = _parse(text, ocr_text)
    assert [n.path for n in iter_sections(s.sections)] == [
        "I",
        "I/1",
        "II",
        "II/1",
        "III",
        "IV",
        "V",
    ]
    assert [n.title for n in s.sections] == [
        "MỤC ĐÍCH, YÊU CẦU",
        "NỘI DUNG",
        "HÌNH THỨC",
        "TỔ CHỨC THỰC HIỆN",
        "KINH PHÍ",
    ]
    assert sum("read as" in w for w in s.warnings) == 3


def test_letter_items_ocr_read_as_a_look_alike_are_repaired_from_the_list():
    # "c)" read as "e)" after "b)", once with dust before it; the next list starts afresh
    text = (
        "KẾ HOẠCH\nvề việc thử\nI. NỘI DUNG\n1. Hình thức xử phạt\na) Phạt tiền.\n"
        "b) Không có.\n_e) Biện pháp khắc phục hậu quả: Không.\n2. Kết quả kiểm tra\n"
        "a) Một.\nb) Hai.\ne) Ba.\nd) Bốn.\ne) Năm.\n"
    )
    paths, warnings, typed = _read_both_ways(text)
    assert paths == [
        "I", "I/1", "I/1/a", "I/1/b", "I/1/c", "I/2", "I/2/a", "I/2/b", "I/2/c", "I/2/d", "I/2/e",
    ]  # fmt: skip
    assert sum("'e' read as 'c'" in w for w in warnings) == 2
    assert "I/2/c" not in typed  # typed, a letter is as written


def test_a_number_ocr_reads_into_a_wrapped_line_is_no_item():
    # a stamp's ink read as "6)" before the words a line wrapped: out of the list's sequence
    # (2, 6, 3) and going on in lower case
    text = (
        "KẾ HOẠCH\nvề việc thử\nI. NỘI DUNG\n1. Một.\n2. Việc định giá theo Nghị định và các "
        "văn bản pháp\n6) luật khác có liên quan.\n3. Tổ chức thực hiện\n"
    )
    paths, warnings, typed = _read_both_ways(text)
    assert paths == ["I", "I/1", "I/2", "I/3"]
    assert any("'6' between 2 and 3 is no item" in w for w in warnings)
    assert "I/6" in typed  # typed, a number is as written


def test_an_item_number_ocr_reads_with_a_comma_is_taken_where_the_list_calls_for_it():
    text = (
        "KẾ HOẠCH\nvề việc thử\nI. MỤC ĐÍCH\n1. Tạo sự thống nhất.\n2. Cổ vũ, động viên.\n"
        "3, Công tác tuyên truyền cần được tiến hành.\n5, Ủy ban nhân dân huyện.\n"
    )
    paths, warnings, typed = _read_both_ways(text)
    assert paths == ["I", "I/1", "I/2", "I/3"]  # "5," does not follow 2 or 3: text
    assert any("'3,' read as '3.'" in w for w in warnings)
    assert "I/3" not in typed


def test_an_article_whose_line_is_its_body_has_no_title():
    text = STATE_HEAD + (
        "QUYẾT ĐỊNH\nVề việc ban hành quy chế\nCăn cứ Luật;\n"
        "Điều 1. Phạm vi điều chỉnh\nQuy chế này quy định việc quản lý.\n"
        "Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký. Chánh Văn phòng Ủy ban "
        "nhân dân tỉnh;\nGiám đốc các sở chịu trách nhiệm thi hành.\n"
        "Điều 3. Sở Tài chính;\nSở Nội vụ chịu trách nhiệm thi hành Quyết định này./.\n"
        # the sentence that opens its list (real S09's gold), a short heading with a colon kept
        "Điều 4. Phê duyệt Đề án chuyển đổi số với những nội dung chính sau đây:\n"
        "1. Mục tiêu.\nĐiều 5. Tổ chức thực hiện:\nCác sở thực hiện.\n"
        # the executing article's list, however long its first line
        "Điều 6. Các Ông (Bà): Chánh Văn phòng Bộ; Vụ trưởng Vụ Pháp chế; Cục trưởng Cục Hạ "
        "tầng và Thiết bị y tế; Thủ trưởng các đơn vị thuộc Bộ Y tế;\n"
        "Giám đốc Sở Y tế chịu trách nhiệm thi hành Quyết định này./.\n"
    )
    s = parse(clean(raw_text(text)))
    titles = {x.path: x.title for x in iter_sections(s.sections) if "/" not in x.path}
    assert titles == {
        "Điều 1": "Phạm vi điều chỉnh",
        "Điều 2": None,
        "Điều 3": None,
        "Điều 4": None,
        "Điều 5": "Tổ chức thực hiện",
        "Điều 6": None,
    }


def test_a_heading_in_capitals_wrapped_over_several_lines_is_one_title():
    text = STATE_HEAD + (
        "BÁO CÁO\nKết quả thực hiện\nA. ĐÁNH GIÁ TÌNH HÌNH THỰC HIỆN\nNội dung đánh giá.\n"
        "B. PHẦN THỨ HAI: KẾ HOẠCH VÀ DỰ TOÁN NGÂN SÁCH\nNHÀ NƯỚC NĂM 2027 VÀ KẾ HOẠCH TÀI "
        "CHÍNH\nNHÀ NƯỚC 03 NĂM 2027 - 2029 TỪ NGUỒN KINH PHÍ\nBẢO VỆ MÔI TRƯỜNG\n"
        "Trên cơ sở tình hình thực hiện, Sở tổng hợp.\nI. ĐỀ XUẤT BIỆN PHÁP\nPHỤ LỤC II\n"
        "Danh mục loài.\n"
    )
    s = parse(clean(raw_text(text)))
    titles = {x.path: x.title for x in iter_sections(s.sections)}
    assert titles["B"] == (
        "PHẦN THỨ HAI: KẾ HOẠCH VÀ DỰ TOÁN NGÂN SÁCH NHÀ NƯỚC NĂM 2027 VÀ KẾ HOẠCH TÀI CHÍNH "
        "NHÀ NƯỚC 03 NĂM 2027 - 2029 TỪ NGUỒN KINH PHÍ BẢO VỆ MÔI TRƯỜNG"
    )
    # (a Phụ lục's heading goes on with no title)
    assert titles["B/I"] == "ĐỀ XUẤT BIỆN PHÁP"


LONG = (
    "ĐIỀU KIỆN, THẨM QUYỀN, TRÌNH TỰ, THỦ TỤC, HỒ SƠ CẤP, CẤP LẠI, THU HỒI GIẤY CHỨNG NHẬN ĐỦ ĐIỀU "
    "KIỆN HÀNH NGHỀ BẢO QUẢN, TU BỔ, PHỤC HỒI DI TÍCH; CẤP, CẤP LẠI, THU HỒI GIẤY CHỨNG NHẬN ĐỦ "
    "ĐIỀU KIỆN KINH DOANH GIÁM ĐỊNH DI VẬT, CỔ VẬT VÀ CHỨNG CHỈ HÀNH NGHỀ KINH DOANH DI VẬT"
)


def test_a_lost_trich_yeu_is_the_one_the_preamble_repeats():
    # Nghị định 30/2020/NĐ-CP: the grounds end "<authority> ban hành <type> <trích yếu>."
    text = (
        "BỘ XÂY DỰNG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 39/2025/TT-BXD\nHà Nội, ngày 25 tháng 11 năm 2025\nTHÔNG TƯ\n"
        "Căn cứ Luật Đường bộ số 35/2024/QH15;\nTheo đề nghị của Cục trưởng Cục Đường bộ;\n"
        "Bộ trưởng Bộ Xây dựng ban hành Thông tư sửa đổi, bổ sung một số định mức bảo dưỡng "
        "đường bộ.\nĐiều 1. Phạm vi điều chỉnh\nThông tư này quy định.\n"
    )
    meta = parse(clean(raw_text(text))).metadata
    assert meta.title == "Sửa đổi, bổ sung một số định mức bảo dưỡng đường bộ"
    # the title under the type line stays the title; an article's "ban hành Thông tư này" is none
    kept = text.replace("THÔNG TƯ\n", "THÔNG TƯ\nQuy định định mức bảo dưỡng\n")
    assert parse(clean(raw_text(kept))).metadata.title == "Quy định định mức bảo dưỡng"
    lost = text.replace("Bộ trưởng Bộ Xây dựng ban hành Thông tư sửa", "Cục trưởng đề nghị sửa")
    lost += "Điều 2. Bộ trưởng ban hành Thông tư này.\n"
    assert parse(clean(raw_text(lost))).metadata.title is None
    # (a plan's "… ban hành Kế hoạch thực hiện như sau:" leads into its text: no title)
    plan = lost.replace("Cục trưởng đề nghị sửa", "Bộ trưởng ban hành Thông tư thực hiện như sau:")
    assert parse(clean(raw_text(plan))).metadata.title is None


def test_a_chapters_title_in_capitals_under_its_label_goes_on_over_its_lines():
    # the label alone on its line, its title in capitals wrapped below it (a plain text's
    # hard wraps): every line of it, up to the next label
    text = STATE_HEAD + (
        "QUY CHẾ\nHoạt động của Trung tâm\nChương I\nNHỮNG QUY ĐỊNH CHUNG\n"
        "Điều 1. Phạm vi\nNội dung.\nChương V\nTỔ CHỨC THỰC HIỆN VÀ ĐIỀU\nKHOẢN THI HÀNH\n"
        "Điều 2. Tổ chức thực hiện\nNội dung.\nChương VI\n"
        + "\n".join(textwrap.wrap(LONG, 80))
        + "\nĐiều 3. Hiệu lực\nNội dung.\n"
    )
    titles = {x.path: x.title for x in iter_sections(parse(clean(raw_text(text))).sections)}
    assert titles["Chương I"] == "NHỮNG QUY ĐỊNH CHUNG"
    assert titles["Chương V"] == "TỔ CHỨC THỰC HIỆN VÀ ĐIỀU KHOẢN THI HÀNH"
    assert titles["Chương V/Điều 2"] == "Tổ chức thực hiện"
    # (a law's chapter title runs long: Nghị định 30/2020/NĐ-CP sets no limit)
    assert titles["Chương VI"] == LONG


def test_a_capitals_heading_goes_on_over_a_line_with_a_type_word():
    # "QUY ĐỊNH CHUNG", "PHƯƠNG ÁN TRIỂN KHAI, …", "BÁO CÁO": a type's word on the heading's
    # next line goes on with it (an attached document's type line follows a signature)
    text = STATE_HEAD + (
        "NGHỊ ĐỊNH\nQuy định chi tiết\nChương I\nNHỮNG\nQUY ĐỊNH CHUNG\n"
        "Điều 1. Phạm vi điều chỉnh\nNghị định này quy định chi tiết.\n"
        "Chương II\nNỘI DUNG THI ĐUA,\nPHƯƠNG ÁN TRIỂN KHAI, TIÊU CHÍ ĐÁNH GIÁ\n"
        "Điều 2. Tổ chức thực hiện\nCác bộ thi hành.\nChương III\nCHẾ ĐỘ\nBÁO CÁO\n"
        "Điều 3. Báo cáo\nCác bộ báo cáo.\n"
    )
    s = parse(clean(raw_text(text)))
    titles = {x.path: x.title for x in iter_sections(s.sections)}
    assert titles["Chương I"] == "NHỮNG QUY ĐỊNH CHUNG"
    assert titles["Chương II"] == "NỘI DUNG THI ĐUA, PHƯƠNG ÁN TRIỂN KHAI, TIÊU CHÍ ĐÁNH GIÁ"
    assert titles["Chương III"] == "CHẾ ĐỘ BÁO CÁO"  # (a type's name alone, and no document's)


def test_an_article_a_later_law_inserted_keeps_its_place():
    # a consolidated text's "Điều 1a", "Điều 1b": articles, between 1 and 2, no gap
    text = (
        "QUY ĐỊNH\nvề việc thử\nĐiều 1. Cấp phép\n1. Một.\nĐiều 1a. Người nước ngoài\n"
        "1. Bộ trưởng quyết định.\n2. Trình tự.\nĐiều 1b. Công dân\n1. Hai.\n"
        "Điều 2. Tổ chức thực hiện\n"
    )
    _, s = _parse(text)
    assert _paths(s) == [
        "Điều 1", "Điều 1/1", "Điều 1a", "Điều 1a/1", "Điều 1a/2", "Điều 1b", "Điều 1b/1",
        "Điều 2",
    ]  # fmt: skip
    assert [n.title for n in s.sections][1:3] == ["Người nước ngoài", "Công dân"]
    assert not [w for w in s.warnings if w.startswith("numbering")]


def test_a_list_opened_inside_an_item_is_that_item_s_own():
    # "Hồ sơ kèm theo:" in item 3 opens a list of its own: its 1 and 2 are 3/1 and 3/2, not
    # the parent's 1 and 2 again
    text = (
        "PHIẾU TRÌNH\nvề việc thử\nI. ĐÁNH GIÁ\n1. Nội dung thẩm định\n2. Ý kiến của phòng\n"
        "3. Đề xuất, kiến nghị\nKính trình Lãnh đạo Sở.\nHồ sơ kèm theo:\n1. Tờ trình.\n"
        "2. Dự thảo Quyết định.\n"
    )
    _, s = _parse(text)
    assert _paths(s) == ["I", "I/1", "I/2", "I/3", "I/3/1", "I/3/2"]
    assert not [w for w in s.warnings if w.startswith("numbering")]  # the document's own order
    # without a lead that opens a list, numbers that start again stay where they are
    _, plain = _parse(text.replace("Hồ sơ kèm theo:", "Hồ sơ kèm theo."))
    assert "I/3/1" not in _paths(plain)
    # a scan's "1." read as "¡." opens the list the lead opens, before its 2
    _, scanned = _parse(text.replace("1. Tờ trình", "¡. Tờ trình"), ocr_text)
    assert _paths(scanned) == _paths(s)


def test_item_numbers_misread_by_ocr_are_repaired_between_neighbours():
    text = "KẾ HOẠCH\nvề việc thử\nI. NỘI DUNG\n4. Bốn.\n9. Năm.\n6. Sáu.\no. Bảy.\n8. Tám.\n"
    _, s = _parse(text, ocr_text)
    assert [n.path for n in iter_sections(s.sections)] == ["I", "I/4", "I/5", "I/6", "I/7", "I/8"]
    # typed, a number is as written (ANNOTATION.md): only what is no number is read
    _, typed = _parse(text)
    assert [n.path for n in iter_sections(typed.sections)] == [
        "I",
        "I/4",
        "I/9",
        "I/6",
        "I/7",
        "I/8",
    ]
    _, twice = _parse("KẾ HOẠCH\nvề việc thử\nI. MỤC ĐÍCH\nII. NỘI DUNG\nII. KINH PHÍ\n")
    assert [n.path for n in twice.sections] == ["I", "II", "II"]


def test_signer_name_printed_in_capitals():
    _, s = _parse(
        "KẾ HOẠCH\nvề việc thử\nI. NỘI DUNG\nNơi nhận:\n- Lưu VP.\nT/M BAN THƯỜNG VỤ\nBÍ "
        "THƯ\nNGUYỄN VĂN AN\n"
    )
    assert (s.metadata.signer.title, s.metadata.signer.name) == ("BÍ THƯ", "NGUYỄN VĂN AN")


def test_roman_headings_with_ii_read_as_h():
    _, s = _parse("KẾ HOẠCH\nvề việc thử\nI. MỘT\nH. HAI\nHI. BA\nIV. BỐN\n")
    assert [n.path for n in s.sections] == ["I", "II", "III", "IV"]


def _recipients_of(tail: str) -> list[str]:
    text = (
        "KẾ HOẠCH\ntuyên truyền\nI. MỤC ĐÍCH\nCác cấp ủy thực hiện.\n"
        + tail
        + "\nT/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\nNguyễn Văn An"
    )
    return parse(clean(raw_text(text))).metadata.recipients


def test_a_braced_note_attaches_to_every_item_the_brace_covers():
    assert _recipients_of(
        "Nơi nhận:\n- Thường trực Tỉnh ủy, }\n- Ban Tuyên giáo Tỉnh ủy, } (để b/c)\n"
        "- Các chi bộ,\n- Lưu VP."
    ) == ["Thường trực Tỉnh ủy (để b/c)", "Ban Tuyên giáo Tỉnh ủy (để b/c)", "Các chi bộ", "Lưu VP"]
    # a note after the whole list: the file copy is not sent for anything
    assert _recipients_of(
        "Nơi nhận:\n- Ban Tổ chức Trung ương,\n- Các ban của Tỉnh ủy,\n- Lưu Văn phòng Tỉnh "
        "ủy.\n} (để\nbáo\ncáo)"
    ) == [
        "Ban Tổ chức Trung ương (để báo cáo)",
        "Các ban của Tỉnh ủy (để báo cáo)",
        "Lưu Văn phòng Tỉnh ủy",
    ]
    # the brace spreads the note over two lines
    assert _recipients_of(
        "Nơi nhận:\n- Thường trực Tỉnh ủy, } (để\n- Ban Tuyên giáo Tỉnh ủy, } báo cáo)\n- Lưu VP."
    ) == ["Thường trực Tỉnh ủy (để báo cáo)", "Ban Tuyên giáo Tỉnh ủy (để báo cáo)", "Lưu VP"]


def test_notes_each_item_writes_after_its_semicolon_are_its_own():
    # "- Văn phòng Chính phủ; (B/c)" on every line: each item's own note, not a brace's over
    # the items above ("Như Điều 3" is sent for action, not to report to)
    assert _recipients_of(
        "Nơi nhận:\n- Như Điều 3;\n- Văn phòng Chính phủ; (B/c)\n- Bộ Tư pháp; (B/c)\n"
        "- Cục Kiểm tra văn bản - Bộ Tư pháp;\n(B/c)\n- Sở Tư pháp;\n- Lưu: VT."
    ) == [
        "Như Điều 3",
        "Văn phòng Chính phủ (B/c)",
        "Bộ Tư pháp (B/c)",
        "Cục Kiểm tra văn bản - Bộ Tư pháp (B/c)",
        "Sở Tư pháp",
        "Lưu: VT",
    ]
    # an item after a dash alone on its line has no leading space
    assert _recipients_of("Nơi nhận:\n-\nVăn phòng Chính phủ;\n- Lưu: VT.") == [
        "Văn phòng Chính phủ",
        "Lưu: VT",
    ]


def test_a_signer_name_a_scan_reads_between_the_items_does_not_end_the_list():
    # a joint guidance's signature column, read by OCR between the Nơi nhận items
    assert _recipients_of(
        "Nơi nhận:\n- Bộ Y tế;\n- Bộ Tài chính;\nLê Tiến\n- Lưu: VT, C04-BCA."
    ) == ["Bộ Y tế", "Bộ Tài chính", "Lưu: VT, C04-BCA"]
    # the signer's name after the list still ends it
    assert _recipients_of("Nơi nhận:\n- Bộ Y tế;\n- Lưu: VT.\nLê Tiến\nPHỤ LỤC") == [
        "Bộ Y tế",
        "Lưu: VT",
    ]


def test_a_recipients_list_whose_head_a_page_dropped_is_read_by_its_file_copy():
    # a web page prints "Nơi nhận:" in a cell of its own and the items run into one line
    body = (
        "CHÍNH PHỦ\nSố: 37/2025/NĐ-CP\nHà Nội, ngày 2 tháng 3 năm 2025\nNGHỊ ĐỊNH\n"
        "Quy định chi tiết\nĐiều 1. Phạm vi điều chỉnh.\nĐiều 2. Hiệu lực thi hành.\n"
    )
    tail = (
        "- Chính phủ; -Ban Tổ chức Trung ương; - Lưu: HC, PLTP.\n(đã ký)\n* *\nPhụ lục\nMẫu số 01\n"
    )
    parsed = parse(clean(raw_text(body + tail)))
    assert parsed.metadata.recipients == ["Chính phủ", "Ban Tổ chức Trung ương", "Lưu: HC, PLTP"]
    assert parsed.sections[-1].end <= (body + tail).index("- Chính phủ")
    # "- Lưu ý" is a note, no file copy: no list
    note = body + "- Lưu ý: các cơ quan thực hiện.\nTM. CHÍNH PHỦ\nTHỦ TƯỚNG\nPhạm Minh Chính\n"
    assert parse(clean(raw_text(note))).metadata.recipients == []


def test_a_head_who_signs_in_their_own_name_is_not_the_form_a_phu_luc_holds():
    # the Quyết định's own closing has no "TM." line; a form of its Phụ lục has one, far below
    body = (
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG\nSố: 1594/QĐ-TTPVHCC\n"
        "Hà Nội, ngày 20 tháng 11 năm 2025\n"
        "QUYẾT ĐỊNH\nVề việc công bố quy trình\nĐiều 1. Công bố kèm theo Quyết định này.\n"
        "Điều 2. Quyết định này có hiệu lực từ ngày ký./.\n"
        "Nơi nhận:\n- Như Điều 2;\n- Lưu: VT.\nGIÁM ĐỐC\nCù Ngọc Trang\n"
    )
    form = "".join(f"Bước {k}\nTiếp nhận hồ sơ.\n" for k in range(1, 30))
    form = "PHỤ LỤC\nQUY TRÌNH NỘI BỘ\n" + form + "Mẫu số 01\nĐƠN ĐỀ NGHỊ\nTM. TỔ CHỨC (3)\n"
    meta = parse(clean(raw_text(body + form))).metadata
    assert (meta.signer.name, meta.signer.title, meta.signer.authority) == (
        "Cù Ngọc Trang",
        "GIÁM ĐỐC",
        None,
    )
    assert meta.recipients == ["Như Điều 2", "Lưu: VT"]


def test_a_title_ending_in_its_units_kind_takes_the_units_name_below():
    head = (
        "BỘ KHOA HỌC VÀ CÔNG NGHỆ\nSố: 7197/BKHCN-CĐSQG\nHà Nội, ngày 2 tháng 10 năm 2025\n"
        "Kính gửi: Các bộ, ngành.\nBộ Khoa học và Công nghệ hướng dẫn như sau./.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n"
    )
    meta = parse(
        clean(
            raw_text(
                head + "TL. BỘ TRƯỞNG\nCỤC TRƯỞNG CỤC\nCHUYỂN ĐỔI SỐ QUỐC GIA\nTrần Duy Ninh\n"
            )
        )
    ).metadata
    assert meta.signer.title == "CỤC TRƯỞNG CỤC CHUYỂN ĐỔI SỐ QUỐC GIA"
    # two offices of one person are two lines, the first the title
    meta = parse(clean(raw_text(head + "TRƯỞNG BAN\nPHÓ THỦ TƯỚNG\nMai Văn Chính\n"))).metadata
    assert meta.signer.title == "TRƯỞNG BAN"


def _signer(text: str) -> tuple:
    """(authority, title, name) of the signature the text ends with."""
    s = parse(clean(raw_text(text))).metadata.signer
    return s.authority, s.title, s.name


def test_an_authority_goes_on_with_its_bodys_name_under_it_and_not_with_the_title():
    head = (
        "BỘ CÔNG AN - BỘ QUỐC PHÒNG\nSố: 24/HDLN-BCA-BQP\nHà Nội, ngày 2 tháng 10 năm 2025\n"
        "HƯỚNG DẪN LIÊN NGÀNH\nVề xử lý vi phạm\n1. Các bộ thực hiện Hướng dẫn này./.\n"
    )

    def signer(block: str) -> tuple:
        return _signer(head + block)

    # a joint document's party names its body under the authority (Nghị định 30/2020)
    assert signer("KT. BỘ TRƯỞNG\nBỘ QUỐC PHÒNG\nTHỨ TRƯỞNG\nNguyễn Văn Gấu\n") == (
        "KT. BỘ TRƯỞNG BỘ QUỐC PHÒNG",
        "THỨ TRƯỞNG",
        "Nguyễn Văn Gấu",
    )
    # a long authority wraps: its rest, then the title
    assert signer(
        "TL. CỤC TRƯỞNG\nKT. TRƯỞNG BAN CHÍNH SÁCH,\nTHUẾ QUỐC TẾ\nPHÓ TRƯỞNG BAN\nPhạm Thị Hiền\n"
    ) == ("KT. TRƯỞNG BAN CHÍNH SÁCH, THUẾ QUỐC TẾ", "PHÓ TRƯỞNG BAN", "Phạm Thị Hiền")
    # … with no title under it; or before "VỀ", with the title glued to its rest
    assert signer("TL. CỤC TRƯỞNG\nKT. TRƯỞNG BAN CHÍNH SÁCH,\nTHUẾ QUỐC TẾ\nPhạm Thị Hiền\n") == (
        "KT. TRƯỞNG BAN CHÍNH SÁCH, THUẾ QUỐC TẾ",
        None,
        "Phạm Thị Hiền",
    )
    assert signer(
        "TL. CỤC TRƯỞNG\nKT. TRƯỞNG BAN GIÁM SÁT QUẢN LÝ\nVỀ HQ PHÓ TRƯỞNG BAN\nNguyễn Bắc Hải\n"
    ) == ("KT. TRƯỞNG BAN GIÁM SÁT QUẢN LÝ VỀ HQ", "PHÓ TRƯỞNG BAN", "Nguyễn Bắc Hải")
    # a deputy's title glued to the authority line by a converter
    assert signer("KT. TRƯỞNG BAN GIÁM SÁT QUẢN LÝ VỀ HQ PHÓ TRƯỞNG BAN\nNguyễn Bắc Hải\n") == (
        "KT. TRƯỞNG BAN GIÁM SÁT QUẢN LÝ VỀ HQ",
        "PHÓ TRƯỞNG BAN",
        "Nguyễn Bắc Hải",
    )
    # a title wrapped after ",": its rest is the title's
    assert signer("TL. CỤC TRƯỞNG\nTRƯỞNG BAN CHÍNH SÁCH,\nTHUẾ QUỐC TẾ\nPhạm Thị Hiền\n") == (
        "TL. CỤC TRƯỞNG",
        "TRƯỞNG BAN CHÍNH SÁCH, THUẾ QUỐC TẾ",
        "Phạm Thị Hiền",
    )
    # the line under it is the title: it stays the title
    assert signer("KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nNguyễn Văn Gấu\n") == (
        "KT. BỘ TRƯỞNG",
        "THỨ TRƯỞNG",
        "Nguyễn Văn Gấu",
    )
    assert signer("TL. BỘ TRƯỞNG\nVỤ TRƯỞNG VỤ PHÁP CHẾ\nNguyễn Văn An\n") == (
        "TL. BỘ TRƯỞNG",
        "VỤ TRƯỞNG VỤ PHÁP CHẾ",
        "Nguyễn Văn An",
    )
    # an authority cut inside a body's name the catalogue knows, or after a comma: an office
    # held with another ("Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ"), its title below
    assert signer("T/M BỘ CHÍNH\nTRỊ\nNguyễn Văn An\n") == (
        "T/M BỘ CHÍNH TRỊ",
        None,
        "Nguyễn Văn An",
    )
    assert signer("TM. ỦY BAN NHÂN\nDÂN\nCHỦ TỊCH\nNguyễn Văn An\n") == (
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Nguyễn Văn An",
    )
    # a family name alone on the line above the rest of the name: one name
    assert signer("KT. BỘ TRƯỞNG\n\nTHỨ TRƯỞNG\n\nVũ\n\nChiến Thắng\n") == (
        "KT. BỘ TRƯỞNG",
        "THỨ TRƯỞNG",
        "Vũ Chiến Thắng",
    )
    assert signer("KT. BỘ TRƯỞNG,\nCHỦ NHIỆM\nPHÓ CHỦ NHIỆM\nNguyễn Văn An\n") == (
        "KT. BỘ TRƯỞNG, CHỦ NHIỆM",
        "PHÓ CHỦ NHIỆM",
        "Nguyễn Văn An",
    )


def test_an_offices_words_in_capitals_are_the_title_not_a_name():
    head = (
        "THỦ TƯỚNG CHÍNH PHỦ\nSố: 234/CĐ-TTg\nHà Nội, ngày 2 tháng 12 năm 2025\n"
        "CÔNG ĐIỆN\nVề chiến dịch\n1. Các bộ thực hiện Công điện này./.\n"
    )

    def signer(block: str) -> tuple:
        return _signer(head + block)[1:]

    # two or four words in capitals, none of them a word of the names' list of offices
    assert signer("THỦ TƯỚNG\nPhạm Minh Chính\n") == ("THỦ TƯỚNG", "Phạm Minh Chính")
    assert signer("NGƯỜI LẬP PHIẾU TRÌNH\nVũ Việt Linh\n") == (
        "NGƯỜI LẬP PHIẾU TRÌNH",
        "Vũ Việt Linh",
    )
    # a name printed in capitals is still the name
    assert signer("GIÁM ĐỐC\nNGUYỄN VĂN AN\n") == ("GIÁM ĐỐC", "NGUYỄN VĂN AN")


def test_a_title_ocr_misread_by_a_letter_is_the_known_title():
    head = (
        "HUYỆN ỦY KRÔNG BÚK\nSố 83-KH/HU\nKrông Búk, ngày 28 tháng 7 năm 2023\n"
        "KẾ HOẠCH\nthực hiện Quy định\n1. Các chi bộ thực hiện Kế hoạch này./.\n"
    )

    def signer(block: str) -> tuple:
        return _signer(head + block)

    assert signer("T/M BAN THƯỜNG VỤ\nĐHÓ BÍ THƯ\nNguyễn Đình Thuận\n") == (
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        "Nguyễn Đình Thuận",
    )
    # a title with more than a known one is none misread: an acting head's stays as printed
    assert signer("TUQ. BỘ TRƯỞNG\nQ. TỔNG CỤC TRƯỞNG\nHà Minh Hiệp\n")[1] == "Q. TỔNG CỤC TRƯỞNG"


def test_two_parties_authority_columns_read_as_one_line_give_the_first_partys():
    from pipeline.structure import _first_column

    # a Biên bản's two signature columns, which a scan reads into one line
    assert _first_column("ĐẠI DIỆN SỞ CÔNG THƯƠNG _ ĐẠI DIỆN CÔNG TY CP ĐẦU TƯ") == (
        "ĐẠI DIỆN SỞ CÔNG THƯƠNG"
    )
    assert _first_column("TM. ĐOÀN KIỂM TRA TM. CÔNG TY") == "TM. ĐOÀN KIỂM TRA"
    # another mark stacks on the first: one signer
    assert _first_column("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH") == "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH"
    text = (
        "SỞ CÔNG THƯƠNG\nBIÊN BẢN\nKiểm tra kho vật liệu nổ\nHôm nay, ngày 31 tháng 3 năm "
        "2026, Đoàn kiểm tra tiến hành kiểm tra.\nBiên bản lập xong lúc 11 giờ cùng ngày./.\n"
        "ĐẠI DIỆN SỞ CÔNG THƯƠNG _ ĐẠI DIỆN CÔNG TY CP ĐẦU TƯ\nPHÓ GIÁM ĐỐC\n"
        "Hoàng Văn Thuần\n"
    )
    assert parse(clean(raw_text(text))).metadata.signer.authority == "ĐẠI DIỆN SỞ CÔNG THƯƠNG"


def test_an_item_a_page_wrapped_before_its_form_number_opens_no_phu_luc():
    # the Quy định a Quyết định issues goes on past "b) Đơn đăng ký đất đai:⏎Mẫu số 15;", an
    # item of it, not the head of a form
    decision = (
        "ỦY BAN NHÂN DÂN\nSố: 12/QĐ-UBND\nĐồng Nai, ngày 2 tháng 3 năm 2025\nQUYẾT ĐỊNH\n"
        "Ban hành Quy định phối hợp\nĐiều 1. Ban hành kèm theo Quyết định này Quy định.\n"
        "Điều 2. Quyết định này có hiệu lực từ ngày ký./.\nNơi nhận:\n- Như Điều 2;\n"
        "- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nNguyễn Văn An\n"
    )
    rules = (
        "QUY ĐỊNH\nPhối hợp giải quyết thủ tục hành chính\nChương I\nQUY ĐỊNH CHUNG\n"
        "Điều 1. Mẫu đơn\n1. Các mẫu sau:\na) Đơn đề nghị: Mẫu số 14;\n"
        "b) Đơn đăng ký đất đai, tài sản gắn liền với đất:\nMẫu số 15;\n"
        "c) Danh sách tài sản: Mẫu số 15c.\nChương II\nTỔ CHỨC THỰC HIỆN\n"
        "Điều 2. Trách nhiệm của các sở\nCác sở thực hiện.\n"
    )
    c, parsed = _parse(decision + rules)
    assert _paths(parsed)[-4:] == [
        "Chương I/Điều 1/1/b",
        "Chương I/Điều 1/1/c",
        "Chương II",
        "Chương II/Điều 2",
    ]


def test_a_line_opening_with_plus_after_an_unfinished_item_goes_on_with_it():
    # "+" is "and" in "Ban Tổ chức Trung ương Đảng + Vụ III"; the wrap can fall before it
    assert _recipients_of(
        "Nơi nhận:\n- Văn phòng Trung ương Đảng\n+ Vụ II,\n- Ban Tuyên giáo Tỉnh ủy,\n"
        "+ Phòng Tuyên truyền,\n- Lưu VP."
    ) == [
        "Văn phòng Trung ương Đảng + Vụ II",
        "Ban Tuyên giáo Tỉnh ủy",
        "Phòng Tuyên truyền",
        "Lưu VP",
    ]


def test_a_note_on_its_own_line_covers_the_items_above_it_back_to_the_previous_note():
    assert _recipients_of(
        "Nơi nhận:\n- Ban Thường vụ Tỉnh ủy,\n- Ban Tuyên giáo Tỉnh ủy,\n(để báo cáo)\n"
        "- Các chi bộ,\n- Các đảng ủy,\n} để thực hiện\n- Lưu VP."
    ) == [
        "Ban Thường vụ Tỉnh ủy (để báo cáo)",
        "Ban Tuyên giáo Tỉnh ủy (để báo cáo)",
        "Các chi bộ (để thực hiện)",
        "Các đảng ủy (để thực hiện)",
        "Lưu VP",
    ]


def test_a_note_inside_an_item_stays_with_it_and_a_wrapped_item_is_one_item():
    assert _recipients_of(
        "Nơi nhận:\n- Ban Tuyên giáo TU (để b/c),\n- Trường Chính trị tỉnh, Báo Bình Thuận,\n"
        "Đài Phát thanh - Truyền hình tỉnh,\n- Lưu VPHU."
    ) == [
        "Ban Tuyên giáo TU (để b/c)",
        "Trường Chính trị tỉnh, Báo Bình Thuận, Đài Phát thanh - Truyền hình tỉnh",
        "Lưu VPHU",
    ]


def test_dash_numbering_is_read_where_a_level_uses_only_dashes():
    text = (
        "TỈNH ỦY LÂM ĐỒNG\nSố 45-KH/TU\nKẾ HOẠCH\nthực hiện Chỉ thị số 35-CT/TW\n"
        "I- MỤC ĐÍCH, YÊU CẦU\n1- Quán triệt sâu sắc Chỉ thị số 35-CT/TW của\nBộ Chính trị và các "
        "văn bản\n"
        "2- Bảo đảm dân chủ, công khai.\nII- NỘI DUNG\n1- Công tác chuẩn bị\na) Xây dựng kế "
        "hoạch.\n"
        "T/M BAN THƯỜNG VỤ\nBÍ THƯ\nTrần Đức Quận\n"
    )
    s = parse(clean(raw_text(text)))
    assert [x.path for x in iter_sections(s.sections)] == [
        "I",
        "I/1",
        "I/2",
        "II",
        "II/1",
        "II/1/a",
    ]
    assert (
        s.sections[0].title == "MỤC ĐÍCH, YÊU CẦU"
        and s.sections[1].children[0].title == "Công tác chuẩn bị"
    )


def test_dashed_lines_beside_dotted_numbering_are_not_sections():
    # the converter's footnotes ("1- Về …") in a document numbered "1.", "2."
    text = (
        "KẾ HOẠCH\nthực hiện\nI. NỘI DUNG\n1. Thực hiện Quy định số 41-QĐ/TW.\n"
        "1- Về miễn nhiệm, từ chức đối với cán bộ.\n2. Thực hiện tốt công tác cán bộ.\n"
    )
    s = parse(clean(raw_text(text)))
    assert [x.path for x in iter_sections(s.sections)] == ["I", "I/1", "I/2"]


def test_a_head_signing_in_their_own_name():
    text = (
        "ỦY BAN NHÂN DÂN\nHUYỆN CHÂU THÀNH\nSố: 2345/QĐ-UBND\nChâu Thành, ngày 10 tháng 10 năm "
        "2024\n"
        "QUYẾT ĐỊNH\nVề việc thành lập Ban Chỉ đạo\nQUYẾT ĐỊNH:\nĐiều 1. Thành lập Ban Chỉ đạo.\n"
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\nCHỦ TỊCH\nLê Văn Cường\n"
        "Nơi nhận:\n- Như Điều 2;\n- Lưu: VT.\n"
    )
    s = parse(clean(raw_text(text)))
    signer = s.metadata.signer
    assert (signer.name, signer.title, signer.authority) == ("Lê Văn Cường", "CHỦ TỊCH", None)
    assert len(s.metadata.recipients) == 2
    assert [x.path for x in iter_sections(s.sections)] == ["Điều 1", "Điều 2"]
    assert "CHỦ TỊCH" not in clean(raw_text(text)).text[s.sections[-1].start : s.sections[-1].end]


@pytest.mark.parametrize(
    "lines, issuer",
    [
        (["HUYỆN ỦY TUY PHƯỚC", "BAN TUYÊN GIÁO"], "Ban Tuyên giáo Huyện ủy Tuy Phước"),
        (["ỦY BAN NHÂN DÂN", "HUYỆN CHÂU THÀNH"], "Ủy ban nhân dân huyện Châu Thành"),
        (["ĐẢNG BỘ TỈNH NGHỆ AN", "TỈNH ỦY"], "Tỉnh ủy Nghệ An"),
        # a ministry's department is the issuing body; a name the catalogue does not know is
        # written as Nghị định 30/2020/NĐ-CP writes bodies' names
        (["BỘ TÀI CHÍNH", "CỤC HẢI QUAN"], "Cục Hải quan"),
        (["BỘ", "TÀI CHÍNH", "CỤC THUẾ"], "Cục Thuế"),  # a cell wrapped after "BỘ"
        (["BỘ KHOA HỌC VÀ CÔNG NGHỆ", "CỤC CHUYỂN ĐỔI SỐ QUỐC GIA"], "Cục Chuyển đổi số quốc gia"),
        (["BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH"], "Bộ Văn hóa, Thể thao và Du lịch"),
        (["ỦY", "BAN NHÂN DÂN", "TỈNH CAO BẰNG"], "Ủy ban nhân dân tỉnh Cao Bằng"),
        (["UBND TỈNH LÀO CAI", "SỞ XÂY DỰNG"], "Sở Xây dựng tỉnh Lào Cai"),
        # a converter's cell wrapped anywhere in a name: a syllable alone, a line opening
        # with "VÀ" or "VỀ", a place under its body, a name the catalogue knows
        (["BỘ TÀI", "CHÍNH", "CỤC HẢI QUAN"], "Cục Hải quan"),
        (["BỘ VĂN HÓA,", "THỂ THAO", "VÀ DU LỊCH"], "Bộ Văn hóa, Thể thao và Du lịch"),
        (["BAN CHỈ ĐẠO NHÀ", "NƯỚC", "VỀ DU LỊCH"], "Ban Chỉ đạo nhà nước về du lịch"),
        (
            ["UBND THÀNH PHỐ HÀ", "NỘI", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"],
            "Sở Giáo dục và Đào tạo thành phố Hà Nội",
        ),
        (["VIỆN KIỂM SÁT", "NHÂN DÂN TỐI CAO"], "Viện kiểm sát nhân dân tối cao"),
        (
            ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"],
            "Sở Giáo dục và Đào tạo thành phố Hồ Chí Minh",
        ),
        (
            ["UBND THÀNH PHỐ HÀ NỘI", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"],
            "Trung tâm Phục vụ hành chính công thành phố Hà Nội",
        ),
        # a unit that names its own place is the issuer alone
        (["CỤC THUẾ", "THUẾ TỈNH TÂY NINH"], "Thuế tỉnh Tây Ninh"),
        (["ĐẢNG BỘ TỈNH BÌNH THUẬN", "HUYỆN ỦY TUY PHƯỚC"], "Huyện ủy Tuy Phước"),
        (
            ["UBND TỈNH LÀO CAI", "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG TỈNH LÀO CAI"],
            "Sở Nông nghiệp và Môi trường tỉnh Lào Cai",
        ),
    ],
)
def test_letterhead_issuer_is_written_as_the_text_would(lines, issuer):
    from pipeline.structure import header_issuer

    assert header_issuer(lines) == issuer


@pytest.mark.parametrize("first, third", [("21,", "23."), ("--_ 21,", "53,"), ("21.", "_ 23.")])
def test_a_decimal_label_ocr_read_as_a_number_is_the_one_its_neighbours_leave(first, third):
    # "2.1." read as "21,", "2.3." as "53,": between item 2 and 2.2 stands 2.1, between 2.2
    # and 2.4 stands 2.3 (the number read ends in the label's last digit)
    text = (
        "QUYẾT ĐỊNH\nXử phạt vi phạm hành chính\nĐiều 1. Xử phạt\n1. Công ty sau đây:\n"
        f"- Tên: Công ty A.\n2. Đã thực hiện hành vi vi phạm:\n{first} Không lưu giữ hồ sơ\n"
        f"Cụ thể: không lưu giữ.\n2.2. Không xây dựng kế hoạch\nCụ thể.\n{third} Không báo cáo\n"
        "Cụ thể.\n2.4. Không kiểm tra\n3. Quy định tại:\nNghị định.\nĐiều 2. Hiệu lực\n"
    )
    paths = [n.path for n in iter_sections(parse(clean(ocr_text(text))).sections)]
    assert [p for p in paths if p.startswith("Điều 1/2/")] == [
        f"Điều 1/2/2.{k}" for k in range(1, 5)
    ]
    # typed text is as written: no label is read as another
    typed = [n.path for n in iter_sections(parse(clean(raw_text(text))).sections)]
    assert "Điều 1/2/2.1" not in typed


def test_a_stamps_dust_after_an_ocr_heading_is_no_part_of_its_title():
    text = (
        "PHIẾU TRÌNH\nGiải quyết công việc\nI. TÓM TẮT\nNội dung.\nII. ĐÁNH GIÁ\n"
        '1. Nội dung thẩm định "l5; N -\nThẩm định phương án.\n2. Ý kiến của phòng\nĐầy đủ.\n'
    )
    titles = {n.path: n.title for n in iter_sections(parse(clean(ocr_text(text))).sections)}
    assert titles["II/1"] == "Nội dung thẩm định"
    # typed text keeps what it wrote: a quotation may end a heading there
    typed = {n.path: n.title for n in iter_sections(parse(clean(raw_text(text))).sections)}
    assert typed["II/1"] != "Nội dung thẩm định"


def test_ocr_dust_and_a_fused_dot_before_section_numbers_are_read_through():
    text = (
        "KẾ HOẠCH\nvề việc thử\nBan Thường vụ xây dựng kế hoạch như sau:\n"
        "_ LMỤC ĐÍCH, YÊU CẦU\n1. Tạo sự thống nhất\n.2. Nhiệm vụ cụ thể\n"
        "_2,1. Ban Tuyên giáo\nIl. NỘI DUNG\n1. Tuyên truyền\n"
        "LỰC LƯỢNG VŨ TRANG\n"
    )
    # a word that starts with L where I is due is a word: "LUẬN" ("KẾT LUẬN" wrapped)
    _, s = _parse("THÔNG BÁO KẾT\nLUẬN PHIÊN HỌP LẦN THỨ NĂM\nI. VỀ KẾT QUẢ\nII. VỀ TỒN TẠI\n")
    assert [n.path for n in s.sections] == ["I", "II"]
    _, s = _parse(text)
    _, s = _parse(text)
    paths = [n.path for n in iter_sections(s.sections)]
    assert paths == ["I", "I/1", "I/2", "I/2/2.1", "II", "II/1"]
    assert s.sections[0].title == "MỤC ĐÍCH, YÊU CẦU"


@pytest.mark.parametrize(
    "head, doc_type, title",
    [
        ("BIÊN BẢN KIỂM TRA\nCông tác nghiệm thu", "Biên bản", "Kiểm tra Công tác nghiệm thu"),
        ("GIÁY PHÉP\nVận chuyển hàng hóa nguy hiểm", "Giấy phép", "Vận chuyển hàng hóa nguy hiểm"),
        ("PHIẾU TRÌNH GIẢI QUYẾT CÔNG VIỆC", "Phiếu trình", "Giải quyết công việc"),
    ],
)
def test_a_type_line_that_runs_on_or_lost_its_marks_still_names_the_type(head, doc_type, title):
    text = f"SỞ CÔNG THƯƠNG\n{head}\nHôm nay, ngày 31 tháng 03 năm 2026, đoàn kiểm tra làm việc.\n"
    m = _parse(text)[1].metadata
    assert (m.doc_type, m.title) == (doc_type, title)
    assert (m.date, m.place) == ("2026-03-31", None)  # a record dates itself in its opening


def test_each_metadata_value_says_how_it_was_read(tmp_path):
    from pipeline.stages import process

    path = tmp_path / "kh.txt"
    path.write_text(
        "HUYỆN ỦY TUY PHƯỚC\nSố 83-KH/HU\nTuy Phước, ngày 28 tháng 7 năm 2023\nKẾ HOẠCH\n"
        "tuyên truyền\nI. MỤC ĐÍCH\nCác cấp ủy thực hiện.\nT/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\n"
        "Nguyễn Đình Thuận\n",
        encoding="utf-8",
    )
    doc, _ = process(path)
    sources = doc["metadata"]["sources"]
    assert set(sources) == {"doc_type", "symbol", "date", "place", "issuer", "title", "signer"}
    assert {s["how"] for s in sources.values()} == {"text"}
    assert sources["symbol"] == {"how": "text", "confidence": None, "page": 1}


def test_a_dash_item_of_unit_letters_is_not_a_roman_heading_and_plus_items_after_a_colon_stay():
    assert _recipients_of(
        "Nơi nhận:\n- UBND các xã, phường;\n- V, C, HCC;\n- VP UBND tỉnh:\n+ LĐVP, KGVX;\n"
        "- Lưu: VT."
    ) == ["UBND các xã, phường", "V, C, HCC", "VP UBND tỉnh:", "LĐVP, KGVX", "Lưu: VT"]


def test_item_numbers_read_as_letters_are_read_from_their_neighbours():
    labels = ["I"] + [str(n) for n in range(2, 11)] + ["I1", "12"]  # as OCR read them
    text = "BIÊN BẢN KIỂM TRA\nkho vật liệu\nI. THÀNH PHẦN\n1. Đại diện Sở\nII. CĂN CỨ\n" + "".join(
        f"{label}. Căn cứ văn bản thứ {k}\n" for k, label in enumerate(labels, 1)
    )
    _, s = _parse(text)
    assert [n.path for n in iter_sections(s.sections)] == ["I", "I/1", "II"] + [
        f"II/{k}" for k in range(1, 13)
    ]


def test_a_document_dated_at_its_signature_gets_that_place_and_date():
    text = (
        "BỘ CÔNG THƯƠNG\nSố: 428/GP-BCT\nGIẤY PHÉP\nvận chuyển hàng hóa nguy hiểm\n"
        "1. Công ty được phép vận chuyển.\nHà Nội, ngày 30 tháng 5 năm 2025\nNơi nhận:\n"
        "- Công ty;\n- Lưu: VT.\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nTrương Thanh Hoài\n"
    )
    m = _parse(text)[1].metadata
    assert (m.place, m.date, m.signer.name) == ("Hà Nội", "2025-05-30", "Trương Thanh Hoài")


def test_an_unread_number_and_date_are_taken_from_the_attachments_caption(tmp_path):
    from pipeline.stages import process

    path = tmp_path / "gp.txt"
    path.write_text(
        "BỘ KHOA HỌC VÀ CÔNG NGHỆ\nSố: … /GP-BKHCN\nHà Nội, ngày … tháng 5 năm 2024\n"
        "GIẤY PHÉP\nvận chuyển hàng hóa nguy hiểm\n1. Tên đơn vị được cấp phép: Công ty A.\n"
        "2. Loại hàng: theo Phụ lục kèm theo Giấy phép này./.\nTUQ. BỘ TRƯỞNG\n"
        "Q. TỔNG CỤC TRƯỞNG\nHà Minh Hiệp\nPhụ lục\nLOẠI, NHÓM HÀNG HÓA NGUY HIỂM\n"
        "(Ban hành kèm theo Giấy phép số: 184/GP-BKHCN ngày 31 tháng 5 năm 2024 của Bộ Khoa "
        "học và Công nghệ)\n",
        encoding="utf-8",
    )
    doc, _ = process(path)
    meta = doc["metadata"]
    assert (meta["symbol"], meta["date"], meta["place"]) == ("184/GP-BKHCN", "2024-05-31", "Hà Nội")
    assert meta["sources"]["symbol"]["how"] == meta["sources"]["date"]["how"] == "repaired"
    kinds = {r["kind"]: r for r in doc["repairs"]}
    assert kinds["own_number"]["after"] == "184/GP-BKHCN"
    assert kinds["own_number"]["before"] == "Số: … /GP-BKHCN"
    # a caption of another type or code says nothing of this document's number
    path.write_text(path.read_text(encoding="utf-8").replace("Giấy phép số", "Quyết định số"))
    assert process(path)[0]["metadata"]["symbol"] is None


def test_articles_and_chapters_run_on_through_the_document():
    # the law on legal documents numbers Điều (and Chương) through the whole text, not per
    # chapter; a regulation the document attaches starts its own at 1; a gap is still a gap
    head = (
        "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nSố: 12/2025/QĐ-UBND Lào Cai, ngày 2 tháng 3 năm 2025\n"
        "QUYẾT ĐỊNH\nBan hành Quy chế làm việc\n"
    )
    body = (
        "Chương I\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi điều chỉnh\nNội dung.\n"
        "Điều 2. Đối tượng áp dụng\nNội dung.\n"
        "Chương II\nQUY ĐỊNH CỤ THỂ\nMục 1\nCÔNG VIỆC\nĐiều 3. Trách nhiệm\nNội dung.\n"
        "Mục 2\nPHỐI HỢP\nĐiều 4. Phối hợp\nNội dung.\n"
        "Chương III\nĐIỀU KHOẢN THI HÀNH\nĐiều 5. Hiệu lực\nNội dung.\n"
    )
    s = parse(clean(raw_text(head + body)))
    paths = [x.path for x in iter_sections(s.sections)]
    assert "Chương II/Mục 2/Điều 4" in paths and "Chương III/Điều 5" in paths
    assert [w for w in s.warnings if w.startswith("numbering")] == []
    gap = parse(clean(raw_text(head + body.replace("Điều 5.", "Điều 7."))))
    assert [w for w in gap.warnings if w.startswith("numbering")] == [
        "numbering: Điều 7 after 4 under 'Chương III'"
    ]
    attached = parse(
        clean(
            raw_text(
                head
                + "Điều 1. Ban hành kèm theo Quyết định này Quy chế làm việc.\n"
                + "Điều 2. Quyết định có hiệu lực từ ngày ký.\n"
                + body
            )
        )
    )
    assert [w for w in attached.warnings if w.startswith("numbering")] == []


STATE_HEAD = (
    "HỘI ĐỒNG NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\nSố: 81/2025/NQ-HĐND\nHà Nội, ngày 27 tháng 11 năm 2025\n"
    "NGHỊ QUYẾT\n"
)


@pytest.mark.parametrize(
    "title_lines, after, title",
    [
        # a converter put the first word alone on its line and hard-wrapped the rest
        (
            "QUY\nĐỊNH CHI THU NHẬP TĂNG THÊM CHO CÁN BỘ, CÔNG CHỨC LÀM VIỆC TRONG CÁC\n"
            "CƠ QUAN NHÀ NƯỚC THUỘC THÀNH PHỐ HÀ NỘI QUẢN LÝ",
            "HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ HÀ NỘI\nKHÓA XVI, KỲ HỌP THỨ 28\n",
            "QUY ĐỊNH CHI THU NHẬP TĂNG THÊM CHO CÁN BỘ, CÔNG CHỨC LÀM VIỆC TRONG CÁC CƠ QUAN "
            "NHÀ NƯỚC THUỘC THÀNH PHỐ HÀ NỘI QUẢN LÝ",
        ),
        # … a first word of one letter too
        (
            "Ý\nKIẾN CHỈ ĐẠO CỦA PHÓ THỦ TƯỚNG TẠI BUỔI LÀM VIỆC",
            "",
            "Ý KIẾN CHỈ ĐẠO CỦA PHÓ THỦ TƯỚNG TẠI BUỔI LÀM VIỆC",
        ),
        # the authority's line under the title is no part of it (Nghị định 30/2020/NĐ-CP)
        (
            "VỀ VIỆC PHÊ DUYỆT CHƯƠNG TRÌNH PHÁT TRIỂN CHÍNH PHỦ SỐ",
            "THỦ TƯỚNG CHÍNH PHỦ\n",
            "VỀ VIỆC PHÊ DUYỆT CHƯƠNG TRÌNH PHÁT TRIỂN CHÍNH PHỦ SỐ",
        ),
        (
            "VỀ VIỆC CÔNG BỐ DANH MỤC THỦ TỤC HÀNH CHÍNH TRÊN\nĐỊA BÀN TỈNH PHÚ THỌ",
            "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ\n",
            "VỀ VIỆC CÔNG BỐ DANH MỤC THỦ TỤC HÀNH CHÍNH TRÊN ĐỊA BÀN TỈNH PHÚ THỌ",
        ),
        # a line ending in "CỦA" or "SỐ" before a number goes on, whatever the next one opens with
        (
            "SỬA ĐỔI QUY ĐỊNH TẠI NGHỊ QUYẾT SỐ\n16/2023/NQ-HĐND NGÀY 06 THÁNG 12 NĂM 2023 CỦA\n"
            "HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ HÀ NỘI",
            "",
            "SỬA ĐỔI QUY ĐỊNH TẠI NGHỊ QUYẾT SỐ 16/2023/NQ-HĐND NGÀY 06 THÁNG 12 NĂM 2023 CỦA "
            "HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ HÀ NỘI",
        ),
        # … and a year or a range's end alone on its line, no page's number
        (
            "TRUYỀN THÔNG VỀ GIẢM NGHÈO ĐA CHIỀU TRÊN ĐỊA BÀN THÀNH PHỐ CẦN THƠ NĂM\n2025",
            "",
            "TRUYỀN THÔNG VỀ GIẢM NGHÈO ĐA CHIỀU TRÊN ĐỊA BÀN THÀNH PHỐ CẦN THƠ NĂM 2025",
        ),
        (
            "PHÁT TRIỂN KINH TẾ SỐ TRÊN ĐỊA BÀN TỈNH ĐỒNG NAI GIAI ĐOẠN 2026 -\n2030",
            "",
            "PHÁT TRIỂN KINH TẾ SỐ TRÊN ĐỊA BÀN TỈNH ĐỒNG NAI GIAI ĐOẠN 2026 - 2030",
        ),
        # a word a line end broke at its hyphen is one word again
        (
            "VỀ XUẤT KHẨU HÀNG DỆT MAY SANG MÊ-HI-\nCÔ THEO HIỆP ĐỊNH ĐỐI TÁC TOÀN DIỆN",
            "",
            "VỀ XUẤT KHẨU HÀNG DỆT MAY SANG MÊ-HI-CÔ THEO HIỆP ĐỊNH ĐỐI TÁC TOÀN DIỆN",
        ),
    ],
)
def test_an_upper_case_title_runs_on_over_its_lines_up_to_the_authority(title_lines, after, title):
    body = "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;\nQUYẾT NGHỊ:\n"
    s = parse(clean(raw_text(STATE_HEAD + title_lines + "\n" + after + body)))
    assert s.metadata.title == title
    assert s.metadata.doc_type == "Nghị quyết"


AMENDING = STATE_HEAD + (
    "SỬA ĐỔI MỘT SỐ ĐIỀU CỦA QUY ĐỊNH KÈM THEO NGHỊ QUYẾT SỐ 11/2022/NQ-HĐND\n"
    "Căn cứ Luật Tổ chức chính quyền địa phương;\n"
    "Điều 1. Sửa đổi, bổ sung một số điều của Quy định kèm theo Nghị quyết số 11/2022/NQ-HĐND\n"
    "1. Sửa đổi, bổ sung Điều 5 như sau:\n"
    '"Điều 5. Tỷ lệ vốn đối ứng\n'
    "a) Tỷ lệ vốn đối ứng của ngân sách thành phố.\n"
    "b) Đối với các công trình do sở làm chủ đầu tư.\n"
    '1. Mức hỗ trợ theo Phụ lục kèm theo Nghị quyết này.".\n'
    "2. Sửa đổi, bổ sung Điều 7 như sau:\n"
    '"Điều 7. Dự án 2\n'
    "1. Đối tượng hỗ trợ\n"
    "2. Nội dung hỗ trợ\n"
    "3. Cách tính điểm\n"
    '3. Thay thế cụm từ "cấp tỉnh" thành "cấp thành phố" tại khoản 1 Điều 2, khoản 3\n'
    "Điều 4.\n"
    '4. Bãi bỏ cụm từ "cấp huyện" tại Phụ lục\n'
    "VIII.\n"
    "5. Bãi bỏ Điều 9.\n"
    "Điều 2. Tổ chức thực hiện\n"
    "1. Giao Ủy ban nhân dân thành phố triển khai thực hiện.\n"
    "2. Nghị quyết có hiệu lực từ ngày ký.\n"
)


def test_the_law_a_letter_quotes_is_not_the_letters_sections():
    letter = (
        "CỤC THUẾ\nSố: 5642/CT-CS\nV/v chính sách thuế\nHà Nội, ngày 1 tháng 12 năm 2025\n"
        "Kính gửi: Công ty TNHH A.\nCục Thuế có ý kiến như sau:\n"
        # a quotation after "quy định:", closed
        "- Tại khoản 2 Điều 257 Luật Đất đai năm 2024 quy định:\n"
        '"Điều 257. Giải quyết về tài chính đất đai\n2. Đối với trường hợp đã giao đất:\n'
        'a) Giao đất trước ngày 01/7/2014;\nb) Giao đất sau ngày 01/7/2014."\n'
        # opened at the end of its lead's line, another after it, the lead ending in "."
        '- Tại khoản 1 Điều 108 Luật Quản lý thuế quy định: "Điều 108. Xử lý kết quả\n'
        '1. Căn cứ vào kết quả kiểm tra thuế, thủ trưởng ra quyết định."\n'
        "- Tại khoản 3 Điều 18 Nghị định số 103/2024/NĐ-CP về tiền sử dụng đất.\n"
        '"Điều 18. Miễn tiền sử dụng đất\n3. Miễn tiền sử dụng đất ở."\n'
        '"Điều 19. Giảm tiền sử dụng đất\n4. Giảm tiền sử dụng đất ở."\n'
        # never closed: it ends at the next provision cited
        '- Tại điểm h khoản 1 Điều 55 Luật Thanh tra quy định: "Điều 55. Nhiệm vụ\n'
        "1. Người ra quyết định thanh tra có nhiệm vụ sau:\nh) Quyết định xử lý:\n"
        "- Tại Điều 10 Thông tư số 111/2013/TT-BTC quy định:\n"
        '"Điều 10. Căn cứ tính thuế\n1. Thu nhập tính thuế."\n'
        # the letter's own answer is numbered
        "Căn cứ các quy định trên, Cục Thuế trả lời:\n1. Về tiền sử dụng đất\nNội dung.\n"
        "2. Về thuế\nNội dung.\nNơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CỤC TRƯỞNG\n"
        "PHÓ CỤC TRƯỞNG\nĐặng Ngọc Minh\n"
    )
    s = parse(clean(raw_text(letter)))
    assert [x.path for x in iter_sections(s.sections)] == ["1", "2"]


def test_the_provisions_an_amending_document_quotes_sit_under_the_item_quoting_them():
    # '"Điều 5. …' and its items are the amended document's, numbered in their own scope:
    # the amending items 1, 2, 3, 4 go on around them, nothing is "read as" another number
    s = parse(clean(raw_text(AMENDING)))
    paths = [x.path for x in iter_sections(s.sections)]
    assert paths == [
        "Điều 1",
        "Điều 1/1",
        "Điều 1/1/Điều 5",
        "Điều 1/1/Điều 5/a",
        "Điều 1/1/Điều 5/b",
        "Điều 1/1/Điều 5/1",
        "Điều 1/2",
        "Điều 1/2/Điều 7",
        "Điều 1/2/Điều 7/1",
        "Điều 1/2/Điều 7/2",
        "Điều 1/2/Điều 7/3",
        "Điều 1/3",  # the quotation left unclosed ends before the next instruction
        "Điều 1/4",  # "khoản 3⏎Điều 4." and "Phụ lục⏎VIII." are references a wrap broke
        "Điều 1/5",
        "Điều 2",
        "Điều 2/1",
        "Điều 2/2",
    ]
    assert [w for w in s.warnings if w.startswith("numbering")] == []
    # without the quotation marks the same lines are the document's own, and warned about
    plain = parse(clean(raw_text(AMENDING.replace('"Điều', "Điều"))))
    assert [w for w in plain.warnings if w.startswith("numbering")] != []


def test_a_list_of_points_wrapped_before_its_last_is_a_reference_not_an_item():
    text = (
        "QUY CHẾ\nvề cấp giấy chứng nhận\nĐiều 10. Thu hồi giấy chứng nhận\n"
        "1. Thu hồi trong các trường hợp sau đây:\na) Gian lận;\nb) Ký sai;\nc) Sử dụng sai;\n"
        "d) Tẩy xóa.\n2. Giám đốc ra quyết định thu hồi. Trường hợp tại điểm a), b), c),\n"
        "d) khoản 1, Điều 10 của Quy chế này, Trung tâm gửi quyết định.\n3. Cấp lại\n"
    )
    paths = [n.path for n in iter_sections(parse(clean(raw_text(text))).sections)]
    assert paths == [
        "Điều 10",
        "Điều 10/1",
        *(f"Điều 10/1/{x}" for x in "abcd"),
        "Điều 10/2",
        "Điều 10/3",
    ]


def test_two_quotations_one_after_the_other_both_sit_under_the_item_quoting_them():
    text = STATE_HEAD + (
        "SỬA ĐỔI MỘT SỐ ĐIỀU\nCăn cứ Luật;\nĐiều 1. Sửa đổi Nghị định số 58/2020/NĐ-CP\n"
        "1. Sửa đổi Điều 38 và Điều 39 như sau:\n"
        '"Điều 38. Chi trả\n1. Nội dung chi."\n"Điều 39. Chi tổ chức\nNội dung."\n'
        "2. Sửa đổi khoản 2 Điều 40 như sau:\n"
        '"2. Nội dung mới."\nĐiều 2. Hiệu lực\nNghị định có hiệu lực từ ngày ký.\n'
    )
    paths = [x.path for x in iter_sections(parse(clean(raw_text(text))).sections)]
    assert paths == [
        "Điều 1",
        "Điều 1/1",
        "Điều 1/1/Điều 38",
        "Điều 1/1/Điều 38/1",
        "Điều 1/1/Điều 39",
        "Điều 1/2",
        "Điều 1/2/2",
        "Điều 2",
    ]


def test_letter_items_l_and_e_are_letters_not_misread_numbers_or_gaps():
    # "l)" after "k)" is the eleventh letter, not an OCR'd "1"; "e)" after "d)" is how a list
    # without "đ" goes on
    letters = "abcdđeghikl"
    items = "".join(f"{x}) Nội dung thứ {n}.\n" for n, x in enumerate(letters, 1))
    no_dd = "".join(f"{x}) Việc thứ {n}.\n" for n, x in enumerate("abcde", 1))
    text = STATE_HEAD + (
        "QUY ĐỊNH CHI TIẾT MỘT SỐ ĐIỀU\nCăn cứ Luật;\n"
        f"Điều 1. Phạm vi\n1. Các việc sau:\n{no_dd}2. Các nội dung sau:\n{items}"
        "Điều 2. Hiệu lực\n1. Quyết định có hiệu lực từ ngày ký.\n"
    )
    s = parse(clean(raw_text(text)))
    paths = [x.path for x in iter_sections(s.sections)]
    assert [p for p in paths if p.startswith("Điều 1/1/")] == [f"Điều 1/1/{x}" for x in "abcde"]
    assert [p for p in paths if p.startswith("Điều 1/2/")] == [f"Điều 1/2/{x}" for x in letters]
    assert "Điều 2/1" in paths
    assert [w for w in s.warnings if w.startswith("numbering")] == []


def test_a_letter_item_whose_parenthesis_a_converter_spaced_off_is_an_item():
    # a bold run split between the letter and its ")" ("__đ ) Ưu tiên theo giá⏎trị …__")
    text = STATE_HEAD + (
        "QUY ĐỊNH CHI TIẾT\nCăn cứ Luật;\nĐiều 1. Nguyên tắc\n"
        "d) Bảo đảm khả năng truy xuất\nMọi hoạt động phải được ghi nhận.\n"
        "đ ) Ưu tiên theo giá trị và nhu cầu sử dụng\nViệc số hóa theo lộ trình.\n"
        "e) Khuyến khích mở và chia sẻ dữ liệu\nDữ liệu được chia sẻ.\n"
    )
    s = parse(clean(raw_text(text)))
    found = {x.path: x.title for x in iter_sections(s.sections)}
    assert found["Điều 1/đ"] == "Ưu tiên theo giá trị và nhu cầu sử dụng"
    assert list(found)[-3:] == ["Điều 1/d", "Điều 1/đ", "Điều 1/e"]


def test_an_item_number_after_letter_items_is_a_number():
    # "3." after "b)" is item 3, not a third letter
    text = STATE_HEAD + (
        "QUY ĐỊNH TIÊU CHÍ\nCăn cứ Luật;\nĐiều 1. Tiêu chí\n"
        "1. Khả năng xâm nhập:\na) Tự nhiên;\nb) Do con người.\n"
        "2. Khả năng lan rộng:\na) Sinh sản;\nb) Phát tán.\n"
        "3. Khả năng gây hại:\na) Đối với loài bản địa;\nb) Đối với kinh tế.\n"
        "4. Báo cáo xác định nguy cơ.\nĐiều 2. Danh mục\n1. Trình tự ban hành.\n"
    )
    s = parse(clean(raw_text(text)))
    paths = [x.path for x in iter_sections(s.sections)]
    assert [p for p in paths if p.count("/") == 1 and p.startswith("Điều 1")] == [
        "Điều 1/1",
        "Điều 1/2",
        "Điều 1/3",
        "Điều 1/4",
    ]
    assert [w for w in s.warnings if w.startswith("numbering")] == []


def test_a_date_line_cut_before_its_year_and_lone_labels_and_long_lists_are_read():
    head = (
        "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\nSố: 2833/QĐ-UBND\n"
        "Thành phố Hồ Chí Minh, ngày 19 tháng 11 năm\n2025\nQUYẾT ĐỊNH\nVỀ VIỆC CÔNG BỐ DANH MỤC\n"
    )
    lone = "".join(f"{x})\nViệc thứ {n} của danh mục;\n" for n, x in enumerate("abc", 1))
    many = "".join(f"{n}. Xã số {n}.\n" for n in range(1, 106))
    body = f"Căn cứ Luật;\nĐiều 1. Phạm vi\n1. Gồm:\n{lone}2. Các xã:\nĐiều 2. Danh sách\n{many}"
    s = parse(clean(raw_text(head + body)))
    assert (s.metadata.date, s.metadata.place) == ("2025-11-19", "Thành phố Hồ Chí Minh")
    paths = [x.path for x in iter_sections(s.sections)]
    assert [p for p in paths if p.startswith("Điều 1/1/")] == [
        "Điều 1/1/a",
        "Điều 1/1/b",
        "Điều 1/1/c",
    ]
    assert [p for p in paths if p.startswith("Điều 2/")] == [f"Điều 2/{n}" for n in range(1, 106)]
    # a converter's "tháng 11năm"
    glued = parse(clean(raw_text(head.replace("11 năm\n2025", "11năm 2025") + body)))
    assert glued.metadata.date == "2025-11-19"


def test_stacked_authorities_and_the_title_under_them():
    text = (
        "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\nSố: 70/2025/QĐ-UBND\nHà Nội, ngày 2 tháng 3 năm 2025\n"
        "QUYẾT ĐỊNH\nVề việc sửa đổi định mức\nĐiều 1. Sửa đổi định mức.\n"
        "Điều 2. Quyết định có hiệu lực từ ngày ký.\nNơi nhận:\n- Như Điều 2;\n- Lưu: VT.\n"
        "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nDương Đức Tuấn\n"
    )
    signer = parse(clean(raw_text(text))).metadata.signer
    assert (signer.name, signer.title, signer.authority) == (
        "Dương Đức Tuấn",
        "PHÓ CHỦ TỊCH",
        "KT. CHỦ TỊCH",  # the signer's own, the last that stacks (real S05's gold)
    )
    # an authority wrapped onto a second line is no title either
    wrapped = text.replace(
        "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\n",
        "TL. CỤC TRƯỞNG\nKT. TRƯỞNG BAN CHÍNH SÁCH,\nTHUẾ QUỐC TẾ\n",
    ).replace("PHÓ CHỦ TỊCH", "PHÓ TRƯỞNG BAN")
    assert parse(clean(raw_text(wrapped))).metadata.signer.title == "PHÓ TRƯỞNG BAN"
    # the first authority wrapped inside its body's name ("TM. ỦY BAN⏎NHÂN DÂN", plain text
    # of a web page's cell): the one that stacks under it is still the signer's own
    # (and, in a text that keeps its page's lines, a Phụ lục's heading cut after its first
    # word below the name: "PHỤ⏎LỤC I")
    wrapped_body = "Điều 1. Sửa đổi định mức.\n" + "".join(
        f"Nội dung thứ {k} của quyết định được các cơ quan, đơn vị\ntriển khai thực hiện.\n"
        for k in range(8)
    )
    cut = (
        text.replace("TM. ỦY BAN NHÂN DÂN\n", "TM. ỦY BAN\nNHÂN DÂN\n").replace(
            "Điều 1. Sửa đổi định mức.\n", wrapped_body
        )
        + "PHỤ\nLỤC I\n"
    )
    signer = parse(clean(raw_text(cut))).metadata.signer
    assert (signer.name, signer.title, signer.authority) == (
        "Dương Đức Tuấn",
        "PHÓ CHỦ TỊCH",
        "KT. CHỦ TỊCH",
    )
    # (the mark alone on its line, the deputy's word too: "KT.⏎CHỦ TỊCH", "PHÓ⏎CHỦ TỊCH")
    split = cut.replace("KT. CHỦ TỊCH", "KT.\nCHỦ TỊCH").replace("PHÓ CHỦ", "PHÓ\nCHỦ")
    signer = parse(clean(raw_text(split))).metadata.signer
    assert (signer.name, signer.title, signer.authority) == (
        "Dương Đức Tuấn",
        "PHÓ CHỦ TỊCH",
        "KT. CHỦ TỊCH",
    )


def test_a_signature_block_a_converter_glued_into_one_line_is_read_as_its_lines():
    # a web table's cell without its line breaks, beside the Nơi nhận (the crawl's decrees)
    body = (
        "CHÍNH PHỦ\nSố: 37/2025/NĐ-CP\nHà Nội, ngày 2 tháng 3 năm 2025\nNGHỊ ĐỊNH\n"
        "Quy định chi tiết một số điều\nĐiều 1. Phạm vi điều chỉnh.\n"
        "Điều 2. Nghị định có hiệu lực từ ngày ký.\n"
    )
    cell = "TM. CHÍNH PHỦKT. THỦ TƯỚNGPHÓ THỦ TƯỚNG(Đã ký)Nguyễn Hòa Bình"
    text = body + f"Nơi nhận: - Thủ tướng; - Lưu: VT, TCCV (2) | {cell} |\n"
    signer = parse(clean(raw_text(text))).metadata.signer
    assert (signer.name, signer.title, signer.authority) == (
        "Nguyễn Hòa Bình",
        "PHÓ THỦ TƯỚNG",
        "KT. THỦ TƯỚNG",
    )
    council = parse(clean(raw_text(body + "TM. ỦY BAN THƯỜNG VỤ QUỐC HỘICHỦ TỊCH\n(Đã ký)\n")))
    signer = council.metadata.signer
    assert (signer.authority, signer.title) == ("TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI", "CHỦ TỊCH")
    # justified text extracted: every space doubled, the title's words too
    for block in ("TM.  ỦY  BAN  THƯỜNG  VỤ  QUỐC  HỘICHỦ  TỊCH", cell.replace(" ", "  ")):
        signer = parse(clean(raw_text(body + f"{block}\n(Đã ký)\n"))).metadata.signer
        assert signer.title in ("CHỦ TỊCH", "PHÓ THỦ TƯỚNG") and signer.authority in (
            "TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI",
            "KT. THỦ TƯỚNG",
        ), block
    # a copy whose authority and title the crawler left out: it signs at "(Đã ký)"
    copy = parse(
        clean(raw_text(body + "Nơi nhận:\n- Lưu: VT, NC (02). MC\n( Đã ký) Lê Thành Long\n"))
    )
    assert copy.metadata.signer.name == "Lê Thành Long"
    # the words of a block written apart are left as they are
    apart = clean(raw_text(body + "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH\nLê Văn An\n")).text
    assert "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH\nLê Văn An" in apart


def test_a_sentence_that_ends_in_a_date_is_no_place_and_date_of_the_signature():
    # a page without its letterhead's date: the last article's effective date is not the
    # document's, "Nghị định này có hiệu lực thi hành từ" no place
    text = (
        "CHÍNH PHỦ\nSố: 37/2025/NĐ-CP\nNGHỊ ĐỊNH\nQuy định chi tiết một số điều\n"
        "Điều 1. Phạm vi điều chỉnh.\n"
        "Nghị định này có hiệu lực thi hành từ ngày 23 tháng 3 năm 2025.\n"
        "Nơi nhận:\n- Lưu: VT.\nTM. CHÍNH PHỦ\nTHỦ TƯỚNG\nPhạm Minh Chính\n"
    )
    meta = parse(clean(raw_text(text))).metadata
    assert (meta.place, meta.date, meta.signer.name) == (None, None, "Phạm Minh Chính")
    # a place line at the signature is read, a unit's word or a hurried "nội" in it
    for place in ("Hà Nội", "Hà nội", "Thành phố Hồ Chí Minh", "Bà Rịa - Vũng Tàu"):
        dated = text.replace("TM. CHÍNH PHỦ", f"{place}, ngày 30 tháng 5 năm 2025\nTM. CHÍNH PHỦ")
        meta = parse(clean(raw_text(dated))).metadata
        assert (meta.place, meta.date) == (place, "2025-05-30")


def test_a_letterhead_flattened_into_one_table_row_and_a_grounds_line_that_is_no_place():
    # a crawled page prints the letterhead's two columns as one row, their rules as "___"
    head = (
        "CHÍNH PHỦ_______ Số: 171/2025/NĐ-CP | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAMĐộc lập – Tự do"
        " – Hạnh phúc_________________ Hà Nội, ngày 30 tháng 6 năm 2025 |\n\n**NGHỊ ĐỊNH**\n\n"
        "**Quy định về đào tạo, bồi dưỡng công chức**\n\n"
    )
    body = (
        "*Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;*\n\n"
        "**Điều 1. Phạm vi điều chỉnh**\n\nNội dung.\n"
    )
    m = parse(clean(raw_text(head + body))).metadata
    assert (m.symbol, m.date, m.place, m.issuer) == (
        "171/2025/NĐ-CP",
        "2025-06-30",
        "Hà Nội",
        "Chính phủ",
    )
    # without a letterhead date, the grounds' date is not the document's, nor their words a place
    bare = parse(clean(raw_text("**NGHỊ ĐỊNH**\n\n**Quy định về đào tạo**\n\n" + body))).metadata
    assert (bare.date, bare.place) == (None, None)


def test_a_preamble_naming_the_body_generically_keeps_the_letterheads_place():
    # "Ủy ban nhân dân ban hành …" names every province's; the letterhead says which
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH CAO BẰNG\nSố: 53/2025/QĐ-UBND\nCao Bằng, ngày 28 tháng 11 năm 2025\n"
        "QUYẾT ĐỊNH\nQUY ĐỊNH VIỆC PHÂN CẤP\nCăn cứ Luật;\n"
        "Ủy ban nhân dân ban hành Quyết định Quy định phân cấp.\nĐiều 1. Nội dung.\n"
    )
    assert parse(clean(raw_text(text))).metadata.issuer == "Ủy ban nhân dân tỉnh Cao Bằng"


@pytest.mark.parametrize(
    "named", ["UBND tỉnh", "Ủy ban nhân dân Tỉnh", "Ủy ban nhân tỉnh", "Ủy ban nhân dân"]
)
def test_a_preamble_naming_the_letterheads_body_without_its_place_keeps_the_letterhead(named):
    # abbreviated, in another case or with a letter dropped: the same body, whose place only
    # the letterhead says
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH HÀ TĨNH\nSố: 624/KH-UBND\nHà Tĩnh, ngày 19 tháng 11 năm 2025\n"
        f"KẾ HOẠCH\nThực hiện Chỉ thị\nĐể thực hiện Chỉ thị, {named} ban hành Kế hoạch như sau:\n"
        "I. MỤC ĐÍCH\nNội dung.\n"
    )
    assert parse(clean(raw_text(text))).metadata.issuer == "Ủy ban nhân dân tỉnh Hà Tĩnh"


def test_what_a_body_did_before_names_no_issuer():
    from pipeline.structure import preamble_issuer

    # "… đã ban hành Quyết định 1537/QĐ-UBND": an earlier document, not this one's issuer
    text = "Ngày 26/11/2025, UBND tỉnh Bắc Ninh đã ban hành Quyết định 1537/QĐ-UBND về việc"
    assert preamble_issuer(text) is None
    assert preamble_issuer("Thực hiện Chỉ thị, UBND tỉnh ban hành Kế hoạch như sau:") == "UBND tỉnh"


@pytest.mark.parametrize(
    "letterhead, authority, issuer",
    [
        # the authority's line under the title issues the document (Nghị định 30/2020/NĐ-CP,
        # Phụ lục I: "thẩm quyền ban hành"), an office as well as a body
        ("BỘ CÔNG THƯƠNG\nCỤC HÓA CHẤT", "CỤC TRƯỞNG CỤC HÓA CHẤT", "Cục trưởng Cục Hóa chất"),
        # (its unit's name on the next line, under its kind)
        ("BỘ TÀI CHÍNH\nCỤC HẢI QUAN", "CỤC TRƯỞNG CỤC\nHẢI QUAN", "Cục trưởng Cục Hải quan"),
        (
            "ỦY BAN NHÂN DÂN\nTỈNH CAO BẰNG",
            "CHỦ TỊCH ỦY BAN NHÂN DÂN\nTỈNH CAO BẰNG",
            "Chủ tịch Ủy ban nhân dân tỉnh Cao Bằng",
        ),
        # without its place: the letterhead's
        (
            "ỦY BAN NHÂN DÂN\nTỈNH CÀ MAU",
            "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH",
            "Chủ tịch Ủy ban nhân dân tỉnh Cà Mau",
        ),
        # none: the letterhead's body
        ("ỦY BAN NHÂN DÂN\nTỈNH CÀ MAU", "", "Ủy ban nhân dân tỉnh Cà Mau"),
    ],
)
def test_the_authority_under_the_title_is_the_issuer(letterhead, authority, issuer):
    text = (
        f"{letterhead}\nSố: 26/QĐ-XPVPHC\nHà Nội, ngày 8 tháng 7 năm 2026\nQUYẾT ĐỊNH\n"
        f"Xử phạt vi phạm hành chính\n{authority}\nCăn cứ Luật Xử lý vi phạm hành chính;\n"
        "QUYẾT ĐỊNH:\nĐiều 1. Xử phạt.\n"
    )
    meta = parse(clean(raw_text(text))).metadata
    assert (meta.issuer, meta.title) == (issuer, "Xử phạt vi phạm hành chính")


def test_a_title_line_opening_with_a_bodys_name_that_goes_on_is_no_authority():
    text = STATE_HEAD.replace(
        "NGHỊ QUYẾT", "NGHỊ QUYẾT\nVỀ VIỆC TIẾP THU KẾT LUẬN CỦA ĐẠI BIỂU"
    ) + (
        "QUỐC HỘI TẠI TỔ VÀ HỘI TRƯỜNG; Ý KIẾN THẨM TRA CỦA ỦY BAN KINH TẾ\nCHÍNH PHỦ\n"
        "Căn cứ Luật Tổ chức Chính phủ;\nQUYẾT NGHỊ:\nĐiều 1. Nội dung.\n"
    )
    meta = parse(clean(raw_text(text))).metadata
    assert meta.title == (
        "VỀ VIỆC TIẾP THU KẾT LUẬN CỦA ĐẠI BIỂU QUỐC HỘI TẠI TỔ VÀ HỘI TRƯỜNG; Ý KIẾN THẨM TRA "
        "CỦA ỦY BAN KINH TẾ"
    )
    assert meta.issuer == "Chính phủ"


def test_a_preamble_names_no_issuer_in_the_words_it_quotes_or_among_those_worked_with():
    from pipeline.structure import preamble_issuer

    quoted = (
        "Ban Chỉ đạo đã giao “Bộ Khoa học và Công nghệ chủ trì, phối hợp Bộ Nội vụ, Văn phòng "
        "Trung ương Đảng ban hành văn bản hướng dẫn số hóa”. Thực hiện nhiệm vụ được giao"
    )
    assert preamble_issuer(quoted) is None
    assert preamble_issuer("Sở Tư pháp chủ trì, phối hợp Bộ Nội vụ ban hành Kế hoạch:") is None


def test_a_preamble_naming_another_body_before_a_level_word_is_the_issuer():
    # "Ban Chấp hành Đảng bộ tỉnh ban hành …" under the letterhead "TỈNH ỦY BÌNH THUẬN"
    text = (
        "TỈNH ỦY BÌNH THUẬN\nSố 12-CTr/TU\nPhan Thiết, ngày 30 tháng 3 năm 2023\n"
        "CHƯƠNG TRÌNH HÀNH ĐỘNG\nthực hiện Nghị quyết\n"
        "Ban Chấp hành Đảng bộ tỉnh ban hành Chương trình hành động như sau:\n"
        "I. MỤC ĐÍCH\nNội dung.\n"
    )
    assert parse(clean(raw_text(text))).metadata.issuer == "Ban Chấp hành Đảng bộ tỉnh"


def test_a_footnote_mark_left_in_a_heading_is_no_part_of_its_title():
    text = "QUY CHẾ\nquản lý cảng\nChương II\nQUẢN LÝ CÁC HOẠT ĐỘNG TẠI CẢNG QUỐC TẾ CAM RANH[9]\n"
    s = parse(clean(raw_text(text + "Điều 1. Phạm vi[3]\nNội dung.\n")))
    assert [(n.path, n.title) for n in iter_sections(s.sections)] == [
        ("Chương II", "QUẢN LÝ CÁC HOẠT ĐỘNG TẠI CẢNG QUỐC TẾ CAM RANH"),
        ("Chương II/Điều 1", "Phạm vi"),
    ]


def test_an_attached_regulations_title_that_runs_on_into_mau_opens_no_form():
    decision = (
        "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ ĐÀ NẴNG\nSố: 82/2025/QĐ-UBND\n"
        "Đà Nẵng, ngày 21 tháng 11 năm 2025\n"
        "QUYẾT ĐỊNH\nBan hành Nội quy mẫu áp dụng cho các chợ\n"
        "Điều 1. Ban hành kèm theo Quyết định này Nội quy mẫu.\n"
        "Điều 2. Quyết định có hiệu lực từ ngày ký.\nNơi nhận:\n- Như Điều 2;\n- Lưu: VT.\n"
        "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTrần Chí Cường\n"
    )
    rules = "Điều 1. Phạm vi\nNội dung.\nĐiều 2. Đối tượng\n1. Thương nhân.\n"
    # "MẪU THẺ …" goes on with "QUY ĐỊNH⏎VỀ", it opens no form
    regulation = "QUY ĐỊNH\nVỀ\nMẪU THẺ VÀ VIỆC QUẢN LÝ THẺ\n(Ban hành kèm theo Quyết định số 82)\n"
    s = parse(clean(raw_text(decision + regulation + rules)))
    assert [x.path for x in iter_sections(s.sections)][2:] == ["Điều 1", "Điều 2", "Điều 2/1"]


def test_a_forms_title_under_its_mau_so_head_opens_no_attached_part():
    decision = (
        "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG\nSố: 69/2025/TT-BNNMT\nHà Nội, ngày 28 tháng 11 năm 2025\n"
        "THÔNG TƯ\nQuy định về loài ngoại lai xâm hại\n"
        "Điều 1. Phạm vi\nBáo cáo theo Mẫu số 01 Phụ lục I.\nĐiều 2. Hiệu lực\nNội dung.\n"
        "Nơi nhận:\n- Như Điều 2;\n- Lưu: VT.\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nNguyễn Quốc Trị\n"
    )
    # a form is filled in, not read as sections: its "BÁO CÁO …" is the form's title, not
    # the type line of a text the document attaches
    forms = (
        "PHỤ LỤC I\nCÁC BIỂU MẪU\n(Ban hành kèm theo Thông tư số 69/2025/TT-BNNMT)\n"
        "Mẫu số 01\nBáo cáo xác định nguy cơ\nMẫu số 01\n"
        "BÁO CÁO XÁC ĐỊNH NGUY CƠ XÂM HẠI CỦA LOÀI NGOẠI LAI\n"
        "I. THÔNG TIN VỀ LOÀI NGOẠI LAI\n1. Tên tiếng Việt.\nII. KẾT LUẬN\n1. Kết luận\n"
    )
    s = parse(clean(raw_text(decision + forms)))
    assert [x.path for x in iter_sections(s.sections)] == ["Điều 1", "Điều 2"]


def test_a_measure_opening_a_line_is_no_decimal_heading():
    # "1.82 inch", "2.8 < I <= 4.0": numbers a table or a wrap put first, not section 1.82
    text = (
        "KẾ HOẠCH\nvề việc thử\n1. Thiết bị\n1.1 Màn hình\nMàn hình có kích thước\n1.82 inch.\n"
        "Chỉ số cháy khi\n2.8 < I <= 4.0 là cấp III.\n1.2 Nguồn điện\n"
    )
    _, s = _parse(text)
    assert [n.path for n in iter_sections(s.sections)] == ["1", "1/1.1", "1/1.2"]


# a resolution of the Ủy ban Thường vụ Quốc hội as a web page serves it: no letterhead, the
# body's name before the grounds, the date only in the adoption clause
VOTED = """Số: 1675/NQ-UBTVQH15
NGHỊ QUYẾT
Về việc sắp xếp các đơn vị hành chính cấp xã của thành phố Huế năm 2025
ỦY BAN THƯỜNG VỤ QUỐC HỘI
Căn cứ Nghị quyết số 76/2025/UBTVQH15 ngày 14 tháng 4 năm 2025 của Ủy ban Thường vụ Quốc hội;
QUYẾT NGHỊ:
Điều 1. Sắp xếp các đơn vị hành chính cấp xã
Điều 2. Hiệu lực thi hành
Nghị quyết này có hiệu lực thi hành từ ngày được thông qua.
Nghị quyết này được Ủy ban Thường vụ Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XV thông qua ngày 16 tháng 6 năm 2025.
"""  # noqa: E501


def test_a_voted_document_without_a_letterhead_is_dated_by_its_adoption_clause():
    c, s = _parse(VOTED)
    meta = s.metadata
    assert (meta.doc_type, meta.date, meta.issuer) == (
        "Nghị quyết",
        "2025-06-16",
        "Ủy ban Thường vụ Quốc hội",
    )
    # (its authority's line under the title names it: Nghị định 30/2020/NĐ-CP, Phụ lục I)
    assert c.text[slice(*s.spans["issuer"])] == "ỦY BAN THƯỜNG VỤ QUỐC HỘI"
    assert "16 tháng 6 năm 2025" in c.text[slice(*s.spans["date"])]
    # a header's date and body stand; a clause of another type or a blank one says nothing
    council = "Hà Nội, ngày 27 tháng 11 năm 2025\n" + VOTED.replace("16 tháng 6", "26 tháng 11")
    assert _parse(council)[1].metadata.date == "2025-11-27"
    law = VOTED.replace("Nghị quyết này được", "Luật này được")
    assert _parse(law)[1].metadata.date is None
    glued = VOTED.replace("khóa XV thông qua", "khóa XVthông qua")  # as a converter glued it
    assert _parse(glued)[1].metadata.issuer == "Ủy ban Thường vụ Quốc hội"
    blank = VOTED.replace("ngày 16 tháng 6 năm 2025", "ngày.... tháng … năm …")
    assert _parse(blank)[1].metadata.date is None


def test_a_title_printed_twice_is_read_once():
    text = VOTED.replace(
        "năm 2025\nỦY BAN",
        "năm 2025\nVề việc sắp xếp các đơn vị hành chính cấp xã của thành phố Huế năm 2025\nỦY BAN",
    )
    title = "Về việc sắp xếp các đơn vị hành chính cấp xã của thành phố Huế năm 2025"
    assert _parse(text)[1].metadata.title == title
    # the second printing cut short, its end on a line of its own
    again = "Về việc sắp xếp các đơn vị hành chính"
    cut = VOTED.replace("năm 2025\nỦY BAN", f"năm 2025\n{again}\nỦY BAN")
    assert _parse(cut)[1].metadata.title == title


def test_a_letter_subject_on_its_number_line_is_the_title():
    # the letterhead's left column flattened into one line: the number, the subject under it
    text = (
        "BỘ NỘI VỤ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số:10988/BNV-CQĐP V/v tuyên truyền chủ trương, chính sách của Đảng, Nhà nước.\n"
        "Hà Nội, ngày 21 tháng 11 năm 2025\nKính gửi:\n- Báo Nhân dân.\n"
        "Thực hiện chỉ đạo, Bộ Nội vụ đề nghị các cơ quan tuyên truyền.\n"
    )
    meta = parse(clean(raw_text(text))).metadata
    assert (meta.doc_type, meta.symbol, meta.date, meta.title) == (
        "Công văn",
        "10988/BNV-CQĐP",
        "2025-11-21",
        "tuyên truyền chủ trương, chính sách của Đảng, Nhà nước",
    )


def test_a_letter_subject_written_about_without_v_v_is_the_title():
    # "Về hướng dẫn …" on the line under the number: the subject, as some offices write it
    text = (
        "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 5155/SGDĐT-GDTXNNĐH\nVề hướng dẫn đánh giá, xếp loại trung tâm học tập cộng đồng\n"
        "Thành phố Hồ Chí Minh, ngày 21 tháng 11 năm 2025\nKính gửi: Ủy ban nhân dân các phường.\n"
        "Sở Giáo dục và Đào tạo hướng dẫn như sau.\n"
    )
    meta = parse(clean(raw_text(text))).metadata
    assert (meta.doc_type, meta.symbol, meta.title) == (
        "Công văn",
        "5155/SGDĐT-GDTXNNĐH",
        "Về hướng dẫn đánh giá, xếp loại trung tâm học tập cộng đồng",
    )
    # a "Về …" sentence elsewhere in the header names no subject
    later = text.replace("Về hướng dẫn đánh giá, xếp loại trung tâm học tập cộng đồng\n", "")
    later = later.replace("Kính gửi", "Về công tác đánh giá năm học.\nKính gửi")
    assert parse(clean(raw_text(later))).metadata.title is None


def test_a_page_without_its_letterhead_body_takes_the_body_its_number_names(tmp_path):
    text = (
        "Độc lập - Tự do - Hạnh phúc\nSố: 25/2025/NĐ-CP\nHà Nội, ngày 21 tháng 02 năm 2025\n"
        "NGHỊ ĐỊNH\nQuy định chức năng, nhiệm vụ của Bộ Nội vụ\nĐiều 1. Vị trí và chức năng.\n"
    )
    assert parse(clean(raw_text(text))).metadata.issuer == "Chính phủ"
    from pipeline.stages import process

    path = tmp_path / "nd.txt"
    path.write_text(text, encoding="utf-8")
    assert process(path)[0]["metadata"]["sources"]["issuer"]["how"] == "inferred"
    # a local body's number names no one body (which province's?), nor does "TW"
    for symbol in ("24/KH-UBND", "35-CT/TW", "45-KH/TU"):
        local = text.replace("25/2025/NĐ-CP", symbol).replace("NGHỊ ĐỊNH", "KẾ HOẠCH")
        assert parse(clean(raw_text(local))).metadata.issuer is None


def _issuer(text, read=raw_text):
    return parse(clean(read(text))).metadata.issuer


def test_the_issuer_is_the_letterheads_body_above_its_number_line_abbreviations_in_capitals():
    # Nghị định 30/2020/NĐ-CP puts the issuing body above "Số:"; what a scan reads below it
    # (a stamp's letters, a title out of order) is no part of it, the number read or not
    text = (
        "BỘ CÔNG THƯƠNG\nMy Số: ¿ 2 8GĐ-BCT\nNÀNG\nVẬN CHUYỂN HÀNG HÓA NGUY HIỂM\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Hà Nội, ngày 30 tháng 5 năm 2025\nGIẤY PHÉP\nVận chuyển hàng hóa nguy hiểm\n"
        "Bộ Công Thương cho phép công ty vận chuyển.\n"
    )
    assert _issuer(text, ocr_text) == "Bộ Công Thương"
    # a unit named by its abbreviation keeps its capitals
    text = (
        "SỞ CÔNG THƯƠNG\nPHÒNG QLCN\nSố: 12/PTr-QLCN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nLào Cai, ngày 02 tháng 3 năm 2026\nPHIẾU TRÌNH\n"
        "Về việc thẩm định phương án\nPhòng trình Giám đốc Sở xem xét.\n"
    )
    assert _issuer(text) == "Phòng QLCN Sở Công Thương"


def test_a_motto_or_the_partys_name_wrapped_over_two_lines_is_no_issuer():
    # a narrow cell's lines, each its own paragraph: "CỘNG HÒA XÃ", "HỘI CHỦ NGHĨA VIỆT NAM"
    text = (
        "THỦ TƯỚNG CHÍNH PHỦ\n\nCỘNG HÒA XÃ\n\nHỘI CHỦ NGHĨA VIỆT NAM\n\n"
        "Độc lập - Tự do - Hạnh phúc\n\nSố: 234/CĐ-TTg\n\nHà Nội, ngày 01 tháng 12 năm 2025\n\n"
        "CÔNG ĐIỆN\n\nVề việc triển khai chiến dịch\n\nThủ tướng Chính phủ điện.\n"
    )
    assert _issuer(text) == "Thủ tướng Chính phủ"
    text = (
        "BAN CHẤP HÀNH TRUNG ƯƠNG\n\nĐẢNG CỘNG SẢN\n\nVIỆT NAM\n\n*\n\nSố 383-QĐ/TW\n\n"
        "Hà Nội, ngày 19 tháng 11 năm 2025\n\nQUY ĐỊNH\n\nVề phông lưu trữ\n\nNội dung.\n"
    )
    assert _issuer(text) == "Ban Chấp hành Trung ương"


def test_a_letterhead_cell_wrapped_after_va_a_comma_or_a_dash_is_one_name():
    from pipeline.structure import header_issuer

    assert header_issuer(["BỘ NÔNG NGHIỆP VÀ", "MÔI TRƯỜNG"]) == "Bộ Nông nghiệp và Môi trường"
    assert (
        header_issuer(["BỘ VĂN HÓA,", "THỂ THAO VÀ DU LỊCH"]) == "Bộ Văn hóa, Thể thao và Du lịch"
    )
    # two lines, two bodies: the department of the body above it
    assert header_issuer(["UBND TỈNH LÀO CAI", "SỞ CÔNG THƯƠNG"]) == "Sở Công Thương tỉnh Lào Cai"


def test_a_record_without_a_letterhead_names_its_body_in_its_opening():
    text = (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nBIÊN BẢN KIỂM TRA\n"
        "Thực tế khu vực sử dụng vật liệu nổ công nghiệp\n"
        "Hôm nay, ngày 08/6/2026, Sở Công Thương tiến hành kiểm tra thực tế khu vực sử dụng "
        "vật liệu nổ công nghiệp, với các nội dung sau:\nA. THÀNH PHẦN ĐOÀN\n- Ông Nguyễn Văn A\n"
    )
    meta = parse(clean(raw_text(text))).metadata
    assert (meta.doc_type, meta.issuer) == ("Biên bản", "Sở Công Thương")
    # "chúng tôi gồm" names no body
    text = text.replace(
        "Sở Công Thương tiến hành kiểm tra", "chúng tôi gồm các thành viên kiểm tra"
    )
    assert _issuer(text) is None


def test_a_conclusion_of_both_central_bodies_names_both():
    # the central letterhead serves both; the title names who concludes, and so does the
    # opening of a conclusion republished without its header
    text = (
        "BAN CHẤP HÀNH TRUNG ƯƠNG\nĐẢNG CỘNG SẢN VIỆT NAM\nSố 212-KL/TW\n"
        "Hà Nội, ngày 18 tháng 11 năm 2025\nKẾT LUẬN\nCỦA BỘ CHÍNH TRỊ, BAN BÍ THƯ\n"
        "VỀ ĐỊNH HƯỚNG XÂY DỰNG TIÊU CHUẨN\nTại phiên họp ngày 14/11/2025, Bộ Chính trị kết "
        "luận như sau:\n1. Đồng ý chủ trương.\nT/M BỘ CHÍNH TRỊ\nTrần Cẩm Tú\n"
    )
    assert _issuer(text) == "Bộ Chính trị, Ban Bí thư"
    text = (
        "Tại phiên họp ngày 28/2/2025, sau khi nghe Ban Tổ chức Trung ương báo cáo, Bộ Chính "
        "trị, Ban Bí thư có ý kiến như sau:\n\nĐể bảo đảm thực hiện, Bộ Chính trị, Ban Bí thư "
        "yêu cầu các cấp uỷ tập trung thực hiện tốt các nội dung sau:\n\nI- MỤC TIÊU\n"
        "1. Bảo đảm các nguyên tắc.\n"
    )
    assert _issuer(text) == "Bộ Chính trị, Ban Bí thư"
    # a letterhead's body is not replaced by who concludes in a notice of conclusions
    text = (
        "VĂN PHÒNG CHÍNH PHỦ\nSố: 648/TB-VPCP\nHà Nội, ngày 27 tháng 11 năm 2025\nTHÔNG BÁO\n"
        "Kết luận của Phó Thủ tướng Chính phủ\nPhó Thủ tướng Chính phủ kết luận như sau:\n"
        "I. ĐÁNH GIÁ CHUNG\n"
    )
    assert "Bộ Nội vụ" not in (_issuer(text) or "")


def test_a_letter_without_its_letterhead_names_its_issuer_in_its_request():
    # a name with a comma the catalogue knows, its abbreviation after it, a long request
    text = (
        "Kính gửi: Các cơ sở đào tạo trực thuộc Bộ\nThực hiện Thông báo số 460/TB-VPCP ngày "
        "04/9/2025, Bộ Văn hóa, Thể thao và Du lịch (VHTTDL) đề nghị các cơ sở đào tạo trực "
        "thuộc Bộ (sau đây gọi là cơ sở đào tạo) nghiêm túc thực hiện một số nhiệm vụ năm học "
        "2025 - 2026 với các nội dung chủ yếu như sau:\nI. NHIỆM VỤ CHUNG\n"
    )
    assert _issuer(text) == "Bộ Văn hóa, Thể thao và Du lịch"
    # the bodies another one works with are not the issuer
    text = (
        "Kính gửi: Các cơ quan\nBan Chỉ đạo đã giao Bộ Khoa học và Công nghệ chủ trì, phối hợp "
        "Bộ Nội vụ, Văn phòng Chính phủ ban hành văn bản hướng dẫn số hóa như sau:\n1. Quét.\n"
    )
    assert "Bộ Nội vụ" not in (_issuer(text) or "")


def test_an_office_before_its_body_is_spelt_as_the_catalogue_spells_it():
    from pipeline.structure import readable_name

    assert readable_name("CỤC TRƯỞNG CỤC HÓA CHẤT") == "Cục trưởng Cục Hóa chất"
    assert readable_name("BỘ TRƯỞNG BỘ TÀI CHÍNH") == "Bộ trưởng Bộ Tài chính"
    assert readable_name("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÀO CAI") == (
        "Chủ tịch Ủy ban nhân dân tỉnh Lào Cai"
    )
    # after an office, words that are no known body are the rest of its name, not a place
    assert readable_name("TRƯỞNG BAN CHỈ ĐẠO NHÀ NƯỚC VỀ DU LỊCH") == (
        "Trưởng ban Chỉ đạo nhà nước về du lịch"
    )
    assert readable_name("TỔNG KIỂM TOÁN NHÀ NƯỚC") == "Tổng Kiểm toán Nhà nước"
    assert readable_name("CHỦ TỊCH HUYỆN TUY PHƯỚC") == "Chủ tịch huyện Tuy Phước"
    assert readable_name("TUY PHƯỚC") == "Tuy Phước"  # a place on a line alone


def test_a_joint_letterhead_names_every_body():
    from pipeline.structure import header_issuer

    # seven bodies side by side, wrapped wherever the column ends
    lines = [
        "BỘ CÔNG AN - BỘ QUỐC PHÒNG",
        "BỘ Y TẾ - BỘ CÔNG THƯƠNG",
        "BỘ TÀI CHÍNH - VIỆN KIỂM SÁT",
        "NHÂN DÂN TỐI CAO - TÒA ÁN",
        "NHÂN DÂN TỐI CAO",
    ]
    assert header_issuer(lines) == (
        "Bộ Công an - Bộ Quốc phòng - Bộ Y tế - Bộ Công Thương - Bộ Tài chính - "
        "Viện kiểm sát nhân dân tối cao - Tòa án nhân dân tối cao"
    )
    # two bodies, one over the other, are a department of its parent, no joint letterhead
    assert header_issuer(["BỘ TÀI CHÍNH", "CỤC HẢI QUAN"]) == "Cục Hải quan"


@pytest.mark.parametrize(
    "line, title",
    [
        # a plan's trích yếu in sentence case names what it carries out, as a preamble opens
        (
            "**Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát "
            "triển khoa học, công nghệ**",
            "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát "
            "triển khoa học, công nghệ",
        ),
        (
            "Triển khai Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị",
            "Triển khai Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị",
        ),
        (  # (a subject's words are no preamble's clause)
            "Thực hiện Chỉ thị số 35-CT/TW của Bộ Chính trị về xây dựng Đảng, chỉ đạo đại hội",
            "Thực hiện Chỉ thị số 35-CT/TW của Bộ Chính trị về xây dựng Đảng, chỉ đạo đại hội",
        ),
        # … where a preamble goes on to who acts, and ends with a mark
        (
            "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị, Ủy ban nhân dân "
            "tỉnh ban hành Kế hoạch thực hiện như sau:",
            None,
        ),
        ("Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15", None),
    ],
)
def test_a_title_that_opens_as_a_preamble_does_is_still_the_title(line, title):
    head = "**ỦY BAN NHÂN DÂN**\n**TỈNH LÀO CAI**\nSố: 24/KH-UBND\n"
    head += "*Lào Cai, ngày 18 tháng 11 năm 2025*\n\n"
    text = head + f"**KẾ HOẠCH**\n\n{line}\n\n**I. MỤC ĐÍCH**\n\n1. Nội dung thực hiện.\n"
    assert parse(clean(raw_text(text))).metadata.title == title


@pytest.mark.parametrize(
    "body, titles",
    [
        # a division's word in capitals ("ĐIỀU 1.", "PHẦN I", "CHƯƠNG II") is the same division
        (
            "ĐIỀU 1. PHẠM VI\nNội dung.\nĐIỀU 2. ĐỐI TƯỢNG\nNội dung.",
            {"Điều 1": "PHẠM VI", "Điều 2": "ĐỐI TƯỢNG"},
        ),
        (
            "PHẦN I. KẾT QUẢ\nI. CÔNG TÁC CHỈ ĐẠO\nNội dung.\nPHẦN II\nPHƯƠNG HƯỚNG\nI. MỤC TIÊU\n"
            "Nội dung.",
            {
                "Phần I": "KẾT QUẢ",
                "Phần I/I": "CÔNG TÁC CHỈ ĐẠO",
                "Phần II": "PHƯƠNG HƯỚNG",
                "Phần II/I": "MỤC TIÊU",
            },
        ),
        # … and a dash between an article's number and its title is no part of the title
        (
            "Điều 1 - Phạm vi điều chỉnh\nNội dung.\nĐiều 2 – Đối tượng\nNội dung.",
            {"Điều 1": "Phạm vi điều chỉnh", "Điều 2": "Đối tượng"},
        ),
    ],
)
def test_divisions_written_in_capitals_or_with_a_dash_are_read(body, titles):
    head = "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nSố: 24/KH-UBND\nLào Cai, ngày 18 tháng 11 năm 2025\n\n"
    s = parse(clean(raw_text(head + "KẾ HOẠCH\nTriển khai các nhiệm vụ\n\n" + body + "\n")))
    assert {n.path: n.title for n in iter_sections(s.sections)} == titles


def test_a_letter_without_its_header_takes_no_title_from_its_appendix():
    # a page that kept no letterhead: the letter, its "Nơi nhận" and signature, then an
    # appendix whose heading names a type; that heading is the appendix's, not the letter's
    text = (
        "Kính gửi: Các cơ quan, tổ chức trong hệ thống chính trị\n"
        "Bộ Khoa học và Công nghệ dự thảo văn bản hướng dẫn tại Phụ lục kèm theo.\n"
        "Trân trọng./.\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n"
        "TL. BỘ TRƯỞNG\nCỤC TRƯỞNG\nTrần Văn An\n"
        "PHỤ LỤC\nHƯỚNG DẪN VIỆC SỐ HÓA HỒ SƠ, TÀI LIỆU\nTRONG HỆ THỐNG CHÍNH TRỊ\n"
        "I. HƯỚNG DẪN CHUNG\n1. Phạm vi\nTài liệu này áp dụng cho các cơ quan.\n"
    )
    meta = parse(clean(raw_text(text))).metadata
    assert (meta.doc_type, meta.title, meta.issuer) == ("Công văn", None, None)
    assert (meta.signer.name, meta.signer.authority) == ("Trần Văn An", "TL. BỘ TRƯỞNG")


def test_a_number_in_capitals_is_no_issuing_body():
    # a web page explaining a form: its example number, alone on a line in capitals, is not
    # the letterhead's issuing body
    text = (
        "Tải mẫu quyết định trưng cầu giám định trong tố tụng hình sự mới nhất?\n"
        "(2) ô thứ nhất ghi số, ô thứ hai ghi năm ra Quyết định (ví dụ: Số:\n"
        "01/2017/QĐ-TA).\n"
        "(3) nếu là trưng cầu giám định bổ sung thì ghi trưng cầu giám định bổ sung.\n"
    )
    assert parse(clean(raw_text(text))).metadata.issuer is None


def test_a_deputys_authority_goes_on_over_its_short_rest_above_the_title():
    # "KT. TRƯỞNG BAN NGHIỆP VỤ⏎THUẾ HQ⏎PHÓ TRƯỞNG BAN": a KT. line's deputy signs under
    # it, so a short line between the two is the authority's rest (Nghị định 30/2020/NĐ-CP)
    head = (
        "CỤC HẢI QUAN\nSố: 39305/TB-CHQ\nHà Nội, ngày 2 tháng 10 năm 2025\n"
        "THÔNG BÁO\nVề kết quả xác định trước mã số\n1. Cục Hải quan thông báo như sau./.\n"
    )
    assert _signer(
        head + "TL. CỤC TRƯỞNG\nKT. TRƯỞNG BAN NGHIỆP VỤ\nTHUẾ HQ\nPHÓ TRƯỞNG BAN\nĐào Thu Hương\n"
    ) == ("KT. TRƯỞNG BAN NGHIỆP VỤ THUẾ HQ", "PHÓ TRƯỞNG BAN", "Đào Thu Hương")
