from conftest import ocr_text, raw_text
from pipeline.clean import clean
from pipeline.models import LineBox, RawDocument


def _clean(text):
    return clean(raw_text(text))


# 48 lines a page wrapped at 73 characters, each pair a sentence going on in lower case: a
# text hard-wrapped at a width (cleanup's _wrap_width finds it)
WRAPPED_AT_73 = "".join(
    f"Nội dung thứ {k} của kế hoạch được các cấp ủy, chính quyền các cấp triển\n"
    "khai thực hiện nghiêm túc, đầy đủ và có hiệu quả trên địa bàn toàn tỉnh.\n"
    for k in range(24)
)


def test_markdown_residue_removed():
    c = _clean(
        "## **KẾ HOẠCH**\n\n### I. MỤC ĐÍCH\n\n\\* Số 83-KH/HU\n\n-----\n\n1. Nội dung *quan "
        "trọng* số 18-NQ/TW<sup>1</sup>, tiếp.\n"
    )
    assert "#" not in c.text and "*" not in c.text and "<sup>" not in c.text and "---" not in c.text
    assert "KẾ HOẠCH\nI. MỤC ĐÍCH" in c.text
    assert "18-NQ/TW, tiếp." in c.text
    assert any(r.kind == "footnote_marker" and r.before == "<sup>1</sup>" for r in c.repairs)


def test_page_numbers_removed_even_when_glued():
    c = _clean("- Lưu Ban Tuyên giáo Huyện ủy. Trang- 48\n\n- 2 -\n\nTrang 3/12\n\nK/T TRƯỞNG BAN")
    assert c.text == "- Lưu Ban Tuyên giáo Huyện ủy.\nK/T TRƯỞNG BAN"
    # a day, month or number a wrap left alone on its line is the date's, not the page's
    c = _clean("theo Quyết định số 3103/QĐ-BTC ngày\n05\ntháng\n9\nnăm 2025 của Bộ Tài chính.")
    assert c.text == "theo Quyết định số 3103/QĐ-BTC ngày 05 tháng 9 năm 2025 của Bộ Tài chính."


def test_symbols_broken_across_lines_are_rejoined():
    c = _clean(
        "thực hiện Nghị quyết số 28-\n\nNQ/TW và Chương trình số 58- CTr/TU, Quy định 101 -QĐ/TW."
    )
    assert "28-NQ/TW" in c.text and "58-CTr/TU" in c.text and "101-QĐ/TW" in c.text
    # a state symbol broken after its code's dash, a blank line between (each line of the
    # page a paragraph)
    c = _clean(
        "theo Nghị quyết số 41/2022/NQ-\n\nHĐND ngày 09/12/2022 và Quyết định số\n\n"
        "12/QĐ-UBND-\n\nKGVX\n\nngày 3/3/2025."
    )
    assert "41/2022/NQ-HĐND ngày" in c.text and "12/QĐ-UBND-KGVX" in c.text


def test_a_line_ending_in_a_bodys_head_after_a_linking_word_goes_on_with_its_name():
    # "… của Hội đồng | Quản lý Quỹ …": the name is still to come; "Lãnh đạo Bộ" is whole
    c = _clean(
        "b) Nhiệm kỳ hoạt động của Hội đồng\nQuản lý Quỹ là 05 năm.\n"
        "2. Lãnh đạo Bộ\nChỉ đạo các đơn vị thực hiện.\n"
    )
    assert c.text.split("\n") == [
        "b) Nhiệm kỳ hoạt động của Hội đồng Quản lý Quỹ là 05 năm.",
        "2. Lãnh đạo Bộ",
        "Chỉ đạo các đơn vị thực hiện.",
    ]


def test_a_numbered_line_a_text_wrapped_at_a_width_filled_goes_on_over_a_capital():
    # pdftotext's lines: a paragraph wrapped where the next word would not fit, whatever
    # letter the next line opens with ("… phường Gia | Hội, Phú Hậu …"); a heading stops short
    filler = WRAPPED_AT_73
    text = (
        filler + "1. Sắp xếp toàn bộ diện tích tự nhiên, quy mô dân số của các phường Gia\n"
        "Hội, Phú Hậu và Tây Lộc thành phường mới có tên gọi là phường Phú Xuân.\n"
        "2. Tổ chức thực hiện\nCác sở, ngành thực hiện.\n"
    )
    lines = _clean(text).text.split("\n")
    assert lines[-3:] == [
        "1. Sắp xếp toàn bộ diện tích tự nhiên, quy mô dân số của các phường Gia Hội, Phú Hậu "
        "và Tây Lộc thành phường mới có tên gọi là phường Phú Xuân.",
        "2. Tổ chức thực hiện",
        "Các sở, ngành thực hiện.",
    ]


def test_a_text_wrapped_at_a_width_goes_on_where_the_next_word_would_not_have_fitted():
    # the page broke these lines, not the writer: before a capital ("… thực hiện | Quyết định
    # này"), an abbreviation alone ("… của Chủ tịch | UBND"), a reference to an article
    # ("… công bố tại | Điều 1") and a dash the text writes in "chính trị - xã hội"; a line
    # that stops short of the width before a capital is a heading
    filler = WRAPPED_AT_73
    text = filler + (
        "Các tổ chức chính trị - xã hội tham gia giám sát việc thực hiện kế hoạch này.\n"
        "1. Bộ Quốc phòng chủ trì, phối hợp với Bộ Tài chính hướng dẫn thực hiện\n"
        "Quyết định này; chỉ đạo việc xét duyệt theo quyết định của Chủ tịch\n"
        "UBND\n"
        "tỉnh; các sở thực hiện thủ tục hành chính được công bố tại\n"
        "Điều 1 Quyết định này với các tổ chức chính trị, Ủy ban Mặt trận và các tổ chức\n"
        "chính trị\n"
        "- xã hội.\n"
        "2. Tổ chức thực hiện\n"
        "Các sở, ngành thực hiện.\n"
    )
    assert _clean(text).text.split("\n")[-3:] == [
        "1. Bộ Quốc phòng chủ trì, phối hợp với Bộ Tài chính hướng dẫn thực hiện Quyết định "
        "này; chỉ đạo việc xét duyệt theo quyết định của Chủ tịch UBND tỉnh; các sở thực hiện "
        "thủ tục hành chính được công bố tại Điều 1 Quyết định này với các tổ chức chính trị, "
        "Ủy ban Mặt trận và các tổ chức chính trị - xã hội.",
        "2. Tổ chức thực hiện",
        "Các sở, ngành thực hiện.",
    ]


def test_a_name_broken_before_its_punctuation_goes_on():
    # "Việt | Nam,": the pair the text writes on one line, whatever mark follows the second
    text = (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Điều 3. Chánh Văn phòng Bộ, Cục trưởng Cục Địa chất và Khoáng sản Việt\n"
        "Nam, Thủ trưởng các đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này./.\n"
    )
    assert _clean(text).text.split("\n")[1] == (
        "Điều 3. Chánh Văn phòng Bộ, Cục trưởng Cục Địa chất và Khoáng sản Việt Nam, Thủ "
        "trưởng các đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này./."
    )


def test_a_bold_title_over_several_paragraphs_goes_on_inside_a_name():
    # every line of the page a paragraph: the title's runs go on after "số" and inside "Thừa
    # Thiên | Huế", a name the text writes on one line; the next article's label stays
    text = (
        "Quy định hỗ trợ giảm nghèo bền vững tỉnh Thừa Thiên Huế.\n\n"
        "**Điều 1. Sửa đổi Quy định ban hành kèm theo Nghị quyết số**\n\n"
        "**20/2023/NQ-HĐND ngày 21 tháng 8 năm 2023 của Hội đồng nhân dân tỉnh Thừa Thiên**\n\n"
        "**Huế (nay thành phố Huế)**\n\n"
        "**Điều 2. Hiệu lực thi hành**\n\nNghị quyết này có hiệu lực từ ngày ký.\n"
    )
    assert _clean(text).text.split("\n")[1:3] == [
        "Điều 1. Sửa đổi Quy định ban hành kèm theo Nghị quyết số 20/2023/NQ-HĐND ngày 21 tháng "
        "8 năm 2023 của Hội đồng nhân dân tỉnh Thừa Thiên Huế (nay thành phố Huế)",
        "Điều 2. Hiệu lực thi hành",
    ]


def test_a_break_is_judged_by_the_paragraph_so_far_not_a_lone_fragment():
    # a converter that breaks lines anywhere leaves "đốc" alone on its line: the office it
    # ends ("…, Giám | đốc") still asks for its body on the next line
    text = (
        "Điều 4. Chánh Văn phòng UBND tỉnh, Giám\nđốc\n"
        "Trung tâm Phục vụ hành chính công tỉnh chịu trách nhiệm thi hành Quyết định này./.\n"
    )
    assert _clean(text).text == (
        "Điều 4. Chánh Văn phòng UBND tỉnh, Giám đốc Trung tâm Phục vụ hành chính công tỉnh "
        "chịu trách nhiệm thi hành Quyết định này./."
    )


def test_an_item_run_over_lines_that_names_its_subject_again_goes_on():
    # "c) Chứng chỉ | hành nghề … của cơ quan cấp | Chứng chỉ hành nghề.": the item is a
    # sentence already, not a heading its text restates
    filler = WRAPPED_AT_73
    text = filler + (
        "c) Chứng chỉ\n"
        "hành nghề bị mất hoặc bị hỏng hoặc ghi sai thông tin do lỗi của cơ quan cấp\n"
        "Chứng chỉ hành nghề.\n"
    )
    assert _clean(text).text.split("\n")[-1] == (
        "c) Chứng chỉ hành nghề bị mất hoặc bị hỏng hoặc ghi sai thông tin do lỗi của cơ quan "
        "cấp Chứng chỉ hành nghề."
    )


def test_a_bold_title_goes_on_after_a_word_that_cannot_end_or_a_body_waiting_for_its_name():
    # every line a paragraph, each keeping its bold: "… tái định cư khi" and "… phối hợp với
    # Ủy ban" cannot end a title; a title the drafting rules name ends where it ends
    text = (
        "**Điều 1. Sửa đổi, bổ sung một số điều của Quy định về bồi thường, hỗ trợ và tái "
        "định cư khi**\n\n"
        "**Nhà nước thu hồi đất trên địa bàn tỉnh ban hành kèm theo Quyết định số "
        "40/2024/QĐ-UBND**\n\n"
        "**Điều 2. Trách nhiệm của các sở, ban, ngành và việc phối hợp với Ủy ban**\n\n"
        "**Mặt trận Tổ quốc Việt Nam tỉnh trong tuyên truyền, vận động nhân dân**\n\n"
        "**Điều 3. Tổ chức thực hiện**\n\n**Sở Tài chính chủ trì**\n"
    )
    assert _clean(text).text.split("\n") == [
        "Điều 1. Sửa đổi, bổ sung một số điều của Quy định về bồi thường, hỗ trợ và tái định "
        "cư khi Nhà nước thu hồi đất trên địa bàn tỉnh ban hành kèm theo Quyết định số "
        "40/2024/QĐ-UBND",
        "Điều 2. Trách nhiệm của các sở, ban, ngành và việc phối hợp với Ủy ban Mặt trận Tổ "
        "quốc Việt Nam tỉnh trong tuyên truyền, vận động nhân dân",
        "Điều 3. Tổ chức thực hiện",
        "Sở Tài chính chủ trì",
    ]


def test_a_bold_title_goes_on_where_the_page_broke_it_or_an_article_title_runs_on():
    # every line a paragraph in a text wrapped at 73 columns: "Danh" would not have fitted
    # after "… phi vật thể vào", so the page broke the title; an article's title may take a
    # second line of its own; a run ending its sentence (";") stays apart
    text = WRAPPED_AT_73.replace("\n", "\n\n") + (
        "**Điều 4. Trình tự, thủ tục, hồ sơ ghi danh di sản văn hóa phi vật thể vào**\n\n"
        "**Danh mục quốc gia về di sản văn hóa phi vật thể**\n\n"
        "**Điều 5. Địa điểm cho phép người**\n\n"
        "**Việt Nam đủ điều kiện vào chơi casino; địa điểm và thời gian thực hiện thí điểm**\n\n"
        "1. Cho phép người Việt Nam đủ điều kiện vào chơi casino tại các địa điểm sau.\n\n"
        "*Căn cứ Thông tư số 84/2025/TT-BTC của Bộ Tài chính quy định về quản lý và sử dụng;*"
        "\n\n*Xét Tờ trình số 413/TTr-UBND ngày 20 tháng 11 năm 2025 của Ủy ban nhân dân.*\n"
    )
    lines = _clean(text).text.split("\n")
    assert lines[-5:-2] == [
        "Điều 4. Trình tự, thủ tục, hồ sơ ghi danh di sản văn hóa phi vật thể vào Danh mục quốc "
        "gia về di sản văn hóa phi vật thể",
        "Điều 5. Địa điểm cho phép người Việt Nam đủ điều kiện vào chơi casino; địa điểm và thời "
        "gian thực hiện thí điểm",
        "1. Cho phép người Việt Nam đủ điều kiện vào chơi casino tại các địa điểm sau.",
    ]
    assert lines[-2].endswith("quản lý và sử dụng;") and lines[-1].startswith("Xét Tờ trình")


def test_an_abbreviation_alone_in_the_next_run_ends_the_title():
    # every line a paragraph, each keeping its bold: "AI" and "TTHC" alone end a title the
    # page broke; a line that ends its sentence does not take one
    text = (
        "**5. Chuyển đổi**\n\n**AI**\n\nChuyển đổi AI là quá trình tích hợp trí tuệ nhân tạo.\n\n"
        "**Điều 30. Trách nhiệm của doanh nghiệp cung cấp dịch vụ giải quyết**\n\n**TTHC**\n\n"
        "Doanh nghiệp bảo đảm hệ thống vận hành.\n\n**Điều 31. Hiệu lực thi hành.**\n\n**UBND**\n"
    )
    lines = _clean(text).text.split("\n")
    assert lines[0] == "5. Chuyển đổi AI"
    assert lines[2] == "Điều 30. Trách nhiệm của doanh nghiệp cung cấp dịch vụ giải quyết TTHC"
    assert lines[-2:] == ["Điều 31. Hiệu lực thi hành.", "UBND"]


def test_a_text_of_whole_lines_keeps_its_lines_apart():
    # no sentence goes on over a break: each line is a paragraph, and a heading is not run
    # into its text because the text writes the pair "học công" elsewhere; a quotation
    # opened and a line opening one of its own are two paragraphs
    body = "".join(
        f"{i}. Nội dung thứ {i} của quy định về trường đại học công lập.\n" for i in range(30)
    )
    text = body + (
        "Điều 6. Đền bù chi phí đào tạo sau đại học\n\n"
        "Công chức được cử đi đào tạo sau đại học phải đền bù chi phí.\n"
        'Sửa đổi như sau: "c) Thời gian tính từ\n'
        '"Điều 39. Chi tổ chức và hoạt động bảo hiểm tai nạn lao động\n'
    )
    lines = _clean(text).text.split("\n")
    assert lines[-4:] == [
        "Điều 6. Đền bù chi phí đào tạo sau đại học",
        "Công chức được cử đi đào tạo sau đại học phải đền bù chi phí.",
        'Sửa đổi như sau: "c) Thời gian tính từ',
        '"Điều 39. Chi tổ chức và hoạt động bảo hiểm tai nạn lao động',
    ]


def test_word_pairs_are_not_counted_across_a_comma():
    # a wrapped text: "nhiệm vụ, có …" writes no pair "vụ có", so the item's title ends
    text = WRAPPED_AT_73 + (
        "Cán bộ được giao nhiệm vụ, có trách nhiệm báo cáo kết quả thực hiện hằng tháng.\n"
        "4. Không hoàn thành nhiệm vụ\n"
        "Có một trong các tiêu chí sau đây thì xếp loại ở mức không hoàn thành nhiệm vụ.\n"
    )
    assert _clean(text).text.split("\n")[-2] == "4. Không hoàn thành nhiệm vụ"


def test_lines_that_cannot_open_a_paragraph_go_on_whatever_the_gap():
    # a comma opening a run, a quotation that the next line closes, the document whose
    # article a line ends with; a quotation the next line opens stays apart
    text = (
        "**Quy định chế độ làm việc đối với giáo viên phổ thông**\n\n**, dự bị đại học**\n\n"
        'Nếu là Phó Chánh án được ủy quyền thì ghi "KT. CHÁNH ÁN\n\nPHÓ CHÁNH ÁN".\n\n'
        "Hoạt động lưu trữ thực hiện theo quy định tại Điều 7\n"
        "Thông tư số 13/2023/TT-BNV ngày 31/8/2023.\n"
    )
    assert _clean(text).text.split("\n") == [
        "Quy định chế độ làm việc đối với giáo viên phổ thông, dự bị đại học",
        'Nếu là Phó Chánh án được ủy quyền thì ghi "KT. CHÁNH ÁN PHÓ CHÁNH ÁN".',
        "Hoạt động lưu trữ thực hiện theo quy định tại Điều 7 Thông tư số 13/2023/TT-BNV ngày "
        "31/8/2023.",
    ]


def test_an_abbreviation_a_sentence_went_on_to_goes_on_but_not_a_title_word():
    # a re-wrapped text leaves "TCVN" alone on its line inside a sentence: it goes on (the
    # text writes "TCVN ISO"); the signature's "CHỦ | TỊCH" is no abbreviation and does not
    # run into the signer's name
    text = WRAPPED_AT_73 + (
        "Các cơ quan áp dụng hệ thống quản lý chất lượng theo TCVN ISO 9001 hằng năm.\n"
        "26. Cấp lại Giấy xác nhận đánh giá hệ thống quản lý chất lượng theo tiêu chuẩn quốc gia\n"
        "TCVN\n"
        "ISO 9001 đối với cơ quan, tổ chức thuộc hệ thống hành chính nhà nước.\n"
        "CHỦ\nTỊCH\nPhùng Thị Hồng Hà\n"
    )
    lines = _clean(text).text.split("\n")
    assert lines[-3] == (
        "26. Cấp lại Giấy xác nhận đánh giá hệ thống quản lý chất lượng theo tiêu chuẩn quốc gia "
        "TCVN ISO 9001 đối với cơ quan, tổ chức thuộc hệ thống hành chính nhà nước."
    )
    assert lines[-2:] == ["CHỦ TỊCH", "Phùng Thị Hồng Hà"]


def test_a_signers_name_goes_on_with_no_appendix_or_capitalised_line():
    # a hard-wrapped text, where a capitalised word after an unfinished line usually goes on:
    # not after a name alone (the signer's), nor into an appendix's heading; a reference to
    # the appendix in a sentence goes on
    filler = WRAPPED_AT_73
    text = filler + (
        "Các chỉ tiêu chi tiết theo\n"
        "Phụ lục I kèm theo, cách tính điểm phân bổ vốn ngân sách trung ương theo khoản 3\n"
        "Phụ lục V kèm theo.\n"
        "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nLê Hải\nHòa\n"
        "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nLâm Văn Bi\nNgày ban hành: 21/11/2025\n"
        "Phùng Thị Hồng Hà\nPhụ lục I\n"
    )
    assert _clean(text).text.split("\n")[-10:] == [
        "Các chỉ tiêu chi tiết theo Phụ lục I kèm theo, cách tính điểm phân bổ vốn ngân sách "
        "trung ương theo khoản 3 Phụ lục V kèm theo.",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Lê Hải Hòa",  # (a name's last part goes on)
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Lâm Văn Bi",
        "Ngày ban hành: 21/11/2025",
        "Phùng Thị Hồng Hà",
        "Phụ lục I",
    ]


def test_a_line_ending_in_a_colon_goes_on_in_lower_case_but_a_lead_stays():
    # a colon inside a sentence, the page's wrap after it ("… về công tác: | hộ tịch, …"); a
    # short numbered lead and its definition below it are two lines, and so is a list
    text = (
        "3.1. Tham mưu Ủy ban nhân dân tỉnh chỉ đạo, hướng dẫn chuyên môn, kiểm tra về công tác:\n"
        "hộ tịch, quốc tịch, nuôi con nuôi theo quy định.\n"
        "4. Thiết bị lưu khóa bí mật:\nlà thiết bị vật lý chứa khóa bí mật.\n"
        "5. Các nội dung sau:\na) lập kế hoạch;\n"
    )
    assert _clean(text).text.split("\n") == [
        "3.1. Tham mưu Ủy ban nhân dân tỉnh chỉ đạo, hướng dẫn chuyên môn, kiểm tra về công tác: "
        "hộ tịch, quốc tịch, nuôi con nuôi theo quy định.",
        "4. Thiết bị lưu khóa bí mật:",
        "là thiết bị vật lý chứa khóa bí mật.",
        "5. Các nội dung sau:",
        "a) lập kế hoạch;",
    ]


def test_a_count_in_capitals_goes_on_after_a_word_that_cannot_end():
    # "03 TTHC" reads as a code in capitals, but "Đối với" asks for what follows
    text = "2. Đối với\n03 TTHC:\n- Thủ tục cấp phép.\nCăn cứ Luật Đầu tư số\n61/2020/QH14;\n"
    assert _clean(text).text.split("\n") == [
        "2. Đối với 03 TTHC:",
        "- Thủ tục cấp phép.",
        "Căn cứ Luật Đầu tư số 61/2020/QH14;",
    ]


def test_a_body_in_capitals_goes_on_after_a_linking_word():
    # "UBND", "UNESCO": an abbreviation in capitals after "và", "của" is the sentence's, not a
    # heading's; a capitals heading after a finished sentence stays
    text = (
        "1. Thanh tra tỉnh chủ trì, phối hợp Văn phòng (Trung tâm Phục vụ hành chính công) và\n"
        "UBND\ncác xã, phường:\nRà soát quy trình.\nII. NHIỆM VỤ\n6. Tra cứu hồ sơ\nTTHC\n"
        "a) tra cứu trực tuyến.\n"
    )
    assert _clean(text).text.split("\n") == [
        "1. Thanh tra tỉnh chủ trì, phối hợp Văn phòng (Trung tâm Phục vụ hành chính công) và "
        "UBND các xã, phường:",
        "Rà soát quy trình.",
        "II. NHIỆM VỤ",
        "6. Tra cứu hồ sơ",
        "TTHC",  # (not run into the item below it)
        "a) tra cứu trực tuyến.",
    ]


def test_a_heading_broken_inside_a_name_goes_on_but_one_above_its_task_stays():
    # "… tỉnh Phú | Thọ": two capitalised words the text writes together; a heading ending in
    # a capitalised word stays above its first task ("Bộ | Chỉ đạo …", as it does in a text
    # with "Bộ Chỉ huy" in it) and above an office that opens its text ("Đảng | Chánh Văn
    # phòng …")
    text = (
        "Tỉnh Phú Thọ; Bộ Chỉ huy Quân sự tỉnh phối hợp; của Đảng Chánh Văn phòng chủ trì.\n"
        "1. Tổ chức, cá nhân tuân thủ quy định trên địa bàn tỉnh Phú\nThọ\n"
        "2. Lãnh đạo Bộ\nChỉ đạo các đơn vị thực hiện.\n"
        "3. Người đứng đầu lưu trữ của Đảng\nChánh Văn phòng ủy quyền cho Cục trưởng.\n"
    )
    assert _clean(text).text.split("\n")[1:] == [
        "1. Tổ chức, cá nhân tuân thủ quy định trên địa bàn tỉnh Phú Thọ",
        "2. Lãnh đạo Bộ",
        "Chỉ đạo các đơn vị thực hiện.",
        "3. Người đứng đầu lưu trữ của Đảng",
        "Chánh Văn phòng ủy quyền cho Cục trưởng.",
    ]


def test_a_heading_its_text_restates_is_no_wrap():
    # the text below a heading opens with the heading's words, which a wrapped text also
    # writes on one line ("… trị Tài khoản …"): the heading ends, the text is its own
    text = (
        "Quyết định bãi bỏ toàn bộ các quyết định cũ và tài khoản quản trị Tài khoản mới.\n"
        "3. Tài khoản quản trị\nTài khoản quản trị có chức năng thêm tài khoản.\n"
        "Điều 1. Bãi bỏ toàn bộ các quyết định\nBãi bỏ toàn bộ Quyết định số 10/2016/QĐ-UBND.\n"
    )
    assert _clean(text).text.split("\n")[1:] == [
        "3. Tài khoản quản trị",
        "Tài khoản quản trị có chức năng thêm tài khoản.",
        "Điều 1. Bãi bỏ toàn bộ các quyết định",
        "Bãi bỏ toàn bộ Quyết định số 10/2016/QĐ-UBND.",
    ]


def test_an_office_named_in_a_list_goes_on_with_its_body():
    # "…; Giám đốc | Trung tâm …": the office's body is on the next line, whatever the
    # text writes elsewhere; a signature's office alone on its line stays
    text = (
        "Điều 4. Chánh Văn phòng Ủy ban nhân dân tỉnh; Giám đốc Sở Y tế; Giám đốc\n"
        "Trung tâm Phục vụ hành chính công tỉnh chịu trách nhiệm thi hành Quyết định này.\n"
        "KT. Giám đốc\nPhó Giám đốc\nNguyễn Văn An\n"
    )
    assert _clean(text).text.split("\n") == [
        "Điều 4. Chánh Văn phòng Ủy ban nhân dân tỉnh; Giám đốc Sở Y tế; Giám đốc Trung tâm "
        "Phục vụ hành chính công tỉnh chịu trách nhiệm thi hành Quyết định này.",
        "KT. Giám đốc",
        "Phó Giám đốc",
        "Nguyễn Văn An",
    ]


def test_hard_wrapped_lines_join_but_headings_and_items_stay():
    text = (
        "I. MỤC ĐÍCH, YÊU CẦU \n\n"
        "1. Các cấp ủy, tổ chức đảng quán triệt nghiêm túc Nghị quyết số 28-NQ/TW của Ban Chấp \n\n"
        "hành Trung ương và Kế hoạch số 12-KH/TW ngày 28/11/2022 của Bộ \n\n"
        "Chính trị về thực hiện nghị quyết. \n\n"
        "2. Xác định mục tiêu, nhiệm vụ cụ thể, thiết thực của cấp ủy các cấp trong \n\n"
        "giai đoạn 2025 - 2030. \n\n"
        "- Tuyên truyền sâu rộng, \n\n"
        "- Kiểm tra, giám sát. \n\n"
        "T/M BAN THƯỜNG VỤ \n\n"
        "PHÓ BÍ THƯ \n\n"
        "Lê Hồng Khánh \n"
    )
    lines = _clean(text).text.split("\n")
    assert lines == [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Các cấp ủy, tổ chức đảng quán triệt nghiêm túc Nghị quyết số 28-NQ/TW của Ban Chấp "
        "hành Trung ương "
        "và Kế hoạch số 12-KH/TW ngày 28/11/2022 của Bộ Chính trị về thực hiện nghị quyết.",
        "2. Xác định mục tiêu, nhiệm vụ cụ thể, thiết thực của cấp ủy các cấp trong giai đoạn 2025 "
        "- 2030.",
        "- Tuyên truyền sâu rộng,",
        "- Kiểm tra, giám sát.",
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        "Lê Hồng Khánh",
    ]


def test_a_wider_gap_ends_the_paragraph_where_each_line_is_one():
    # a converter that makes each line a paragraph writes a blank line after every line and a
    # wider gap where a paragraph ends: there the heading is not run into its body
    body = (
        "Cơ quan, tổ chức quản lý trực\n\n"
        "tiếp có văn bản ký số đề nghị thay đổi nội dung thông tin của chứng thư chữ ký\n\n"
        "số chuyên dùng công vụ theo Mẫu số 04 tại Phụ lục kèm theo Nghị định\n\n"
        "68/2024/NĐ-CP gửi Sở Khoa học và Công nghệ.\n\n\n\n"
    )
    text = (
        "3. Cấp mới Chứng thư chữ ký số cho thiết bị, dịch vụ\n\n\n\n"
        + body
        + "4. Gia hạn, thay đổi nội\n\ndung thông tin Chứng thư chữ ký số\n\n\n\n"
        + body
        + "5. Thu hồi chứng thư chữ ký\n\nsố chuyên dùng công vụ\n\n\n\n"
        + body
    )
    lines = _clean(text).text.split("\n")
    assert lines[2] == "4. Gia hạn, thay đổi nội dung thông tin Chứng thư chữ ký số"
    assert lines[3].startswith("Cơ quan, tổ chức quản lý trực tiếp có văn bản")
    assert lines[4] == "5. Thu hồi chứng thư chữ ký số chuyên dùng công vụ"
    # where the gaps are all alike, they tell nothing: the words decide as before
    assert len(_clean(text.replace("\n\n\n\n", "\n\n")).text.split("\n")) < len(lines)


def test_title_is_not_joined_to_the_preamble():
    c = _clean(
        "KẾ HOẠCH\nthực hiện Nghị quyết số 28-NQ/TW về đổi mới\nThực hiện Nghị quyết số 28-NQ/TW, "
        "Ban Thường vụ ban hành."
    )
    assert c.text.split("\n")[1] == "thực hiện Nghị quyết số 28-NQ/TW về đổi mới"


def test_every_kept_character_maps_back_to_the_source():
    text = (
        "## **HƯỚNG DẪN**\n\nThực hiện Nghị quyết số 28-\n\nNQ/TW<sup>2</sup> ngày 17/11/2022 của "
        "Ban Chấp \n\nhành Trung ương. Trang- 4\n"
    )
    c = _clean(text)
    for i, ch in enumerate(c.text):
        if ch.isalnum():
            assert text[c.source_offset(i)] == ch, (i, ch)
    for r in c.repairs:
        assert text[r.source_start : r.source_start + len(r.before)] == r.before


def test_clean_text_is_left_alone():
    text = (
        "Ban Thường vụ Huyện ủy xây dựng Kế hoạch như sau:\nI. MỤC ĐÍCH, YÊU CẦU\n1. Tạo sự thống "
        "nhất."
    )
    c = _clean(text)
    assert c.text == text and c.repairs == []

    from pipeline.models import LineBox, RawDocument

    rows = [  # (text, bold, x0)
        ("2.9. Ban Cán sự đảng Tòa án nhân dân tỉnh", True, 119),
        (
            "Lãnh đạo tiếp tục đổi mới tổ chức, nâng cao chất lượng hoạt động của Tòa án nhân",
            False,
            119,
        ),
        ("dân tỉnh. Theo Kế hoạch số 76-KH/HU ngày 17/5/2023 của Ban", False, 91),
        ("Thường vụ Huyện ủy.", False, 119),
        ("Tổ chức quán triệt Nghị quyết của Ban Thường vụ Huyện ủy đến các cấp ủy", False, 119),
        ("trực thuộc tỉnh.", False, 91),
    ]
    text, lines, pos = "", [], 0
    for row, bold, x0 in rows:
        lines.append(
            LineBox(start=pos, end=pos + len(row), page=1, x0=x0, x1=547, bold=bold, font_size=13)
        )
        text += row + "\n"
        pos += len(row) + 1
    c = clean(RawDocument(path="x.pdf", sha256="0", format="pdf", text=text, lines=lines))
    # "của Ban | Thường vụ": indented, but the words prove the wrap ("Ban Thường vụ" stands on one
    # line elsewhere); "tỉnh | Lãnh đạo" after a bold heading and "ủy. | Tổ chức" after a full stop
    # do not join
    assert c.text.split("\n") == [
        "2.9. Ban Cán sự đảng Tòa án nhân dân tỉnh",
        "Lãnh đạo tiếp tục đổi mới tổ chức, nâng cao chất lượng hoạt động của Tòa án nhân dân "
        "tỉnh. "
        "Theo Kế hoạch số 76-KH/HU ngày 17/5/2023 của Ban Thường vụ Huyện ủy.",
        "Tổ chức quán triệt Nghị quyết của Ban Thường vụ Huyện ủy đến các cấp ủy trực thuộc tỉnh.",
    ]


def test_footnotes_leave_the_body_and_a_footnote_continued_on_the_next_page_is_reassembled():
    text = (
        "7. Thực hiện Nghị quyết số 18-NQ/TW<sup>1</sup>,\n\n---\n\n"
        "1- Kế hoạch số 82-KH/TU của Ban Thường vụ Tỉnh ủy; Kế hoạch số 116-KH/HU, ngày\n\n"
        "Nghị quyết số 19-NQ/TW<sup>2</sup> về sắp xếp; việc rà soát, hoàn\n\n"
        "22/3/2018 của Ban Chấp hành Đảng bộ huyện.\n\n"
        "2- Về tinh giản biên chế.\n\n"
        "thiện quy trình đánh giá cán bộ.\n"
    )
    c = _clean(text)
    body = c.text[: c.body_end]
    assert body == (
        "7. Thực hiện Nghị quyết số 18-NQ/TW, Nghị quyết số 19-NQ/TW về sắp xếp; "
        "việc rà soát, hoàn thiện quy trình đánh giá cán bộ."
    )
    assert [(f.marker, f.text) for f in c.footnotes] == [
        (
            "1",
            "Kế hoạch số 82-KH/TU của Ban Thường vụ Tỉnh ủy; Kế hoạch số 116-KH/HU, ngày "
            "22/3/2018 của Ban Chấp hành Đảng bộ huyện.",
        ),
        ("2", "Về tinh giản biên chế."),
    ]
    for f in c.footnotes:
        assert c.text[f.start : f.end] == f.text
        assert c.text[f.ref - 1] == "W"  # the marker stood right after "18-NQ/TW" / "19-NQ/TW"
        for i in range(f.start, f.end):
            if c.text[i].isalnum():
                assert text[c.source_offset(i)] == c.text[i]


def test_numbered_dash_lines_without_a_reference_stay_in_the_body():
    c = _clean("Các bước:\n1- Chuẩn bị tài liệu.\n2- Tổ chức hội nghị.\n")
    assert c.footnotes == [] and "1- Chuẩn bị tài liệu." in c.text


def test_one_tone_mark_convention_and_plain_dashes_and_quotes():
    c = _clean("khoá XIII, Tỉnh uỷ, hoá, quý, hoàng, thuyền, thoả thuận, “Văn hóa – Thông tin”")
    assert (
        c.text == 'khóa XIII, Tỉnh ủy, hóa, quý, hoàng, thuyền, thỏa thuận, "Văn hóa - Thông tin"'
    )
    assert {(r.before, r.after) for r in c.repairs if r.kind == "tone_style"} == {
        ("khoá", "khóa"),
        ("uỷ", "ủy"),
        ("hoá", "hóa"),
        ("thoả", "thỏa"),
    }


# --- OCR damage: noise, symbols, term numerals, unsure words -------------------


def ocr_doc(rows: list[tuple[str, list[float]]]) -> RawDocument:
    """An OCR'd page: one line per row, a confidence per space-separated word."""
    text, lines, pos = "", [], 0
    for i, (row, confs) in enumerate(rows):
        assert len(confs) == len(row.split(" "))
        lines.append(
            LineBox(
                start=pos,
                end=pos + len(row),
                page=1,
                x0=60,
                top=40 + 30 * i,
                x1=540,
                bottom=60 + 30 * i,
                confidence=sum(confs) / len(confs),
                word_confidences=confs,
            )
        )
        text += row + "\n"
        pos += len(row) + 1
    return RawDocument(
        path="scan.png", sha256="0" * 64, format="image", text=text, ocr_pages=[1], lines=lines
    )


def test_speckle_read_as_a_lone_mark_is_removed_and_the_paragraph_still_flows():
    doc = ocr_doc(
        [
            ("các cấp ủy quyết định các vấn đề quan", [96] * 9),
            ("ế,", [0]),
            ("trọng của địa phương theo Nghị quyết số 18-NQ/TW _", [96] * 9 + [0]),
        ]
    )
    c = clean(doc)
    assert (
        c.text
        == "các cấp ủy quyết định các vấn đề quan trọng của địa phương theo Nghị quyết số 18-NQ/TW"
    )
    assert sorted(r.before.strip() for r in c.repairs if r.kind == "ocr_noise") == ["_", "ế,"]


def test_a_short_line_read_with_confidence_is_kept():
    c = clean(ocr_doc([("Nơi nhận:", [95, 95]), ("a) B", [92, 90]), ("- Lưu.", [95, 95])]))
    assert "a) B" in c.text
    assert not [r for r in c.repairs if r.kind == "ocr_noise"]


def test_damaged_party_codes_are_repaired_in_the_text_and_listed():
    c = clean(
        raw_text(
            "Quy định số 213-QĐĐ/TW; Kế hoạch số 117-KH/T Ũ, ngày 14/12/2022; Quy định số "
            "08-QĐi/TW; "
            "Nghị quyết số 28-NQ/TVV."
        )
    )
    assert c.text == (
        "Quy định số 213-QĐ/TW; Kế hoạch số 117-KH/TU, ngày 14/12/2022; Quy định số 08-QĐi/TW; "
        "Nghị quyết số 28-NQ/TW."
    )
    assert [(r.before, r.after) for r in c.repairs if r.kind == "symbol"] == [
        ("QĐĐ/TW", "QĐ/TW"),
        ("KH/T Ũ", "KH/TU"),
        ("NQ/TVV", "NQ/TW"),
    ]


def test_a_damaged_term_numeral_takes_the_reading_the_document_proves():
    text = (
        "Nghị quyết số 28-NQ/TW của Ban Chấp hành Trung ương Đảng (khóa XIII); "
        "Kết luận số 21-KL/TW (khóa XIN) và Nghị quyết Đại hội XIH của Đảng; Đại hội XIII; Nghị "
        "quyết số 18-NQ/TW (khóa XII)."
    )
    c = clean(raw_text(text))
    assert (
        "(khóa XIN)" not in c.text
        and "Đại hội XIII của Đảng" in c.text
        and "(khóa XIII) và" in c.text
    )
    # no evidence in the document, or as much for XII as for XIII: left as written
    assert "khóa XIH" in clean(raw_text("Kết luận số 21-KL/TW (khóa XIH).")).text
    assert (
        "khóa XIH"
        in clean(raw_text("Nghị quyết (khóa XII); Kết luận (khóa XIH); Chỉ thị (khóa XIII).")).text
    )


def test_unsure_ocr_words_are_repaired_from_the_word_they_make_with_a_neighbour():
    doc = ocr_doc(
        [
            (
                "Bộ máy tỉnh gọn, chống tham nhũng; Tầng cường sửa đối, bổ sung.",
                [96, 96, 70, 96, 96, 96, 96, 80, 96, 96, 88, 96, 96],
            )
        ]
    )
    c = clean(doc)
    assert c.text == "Bộ máy tinh gọn, chống tham nhũng; Tăng cường sửa đổi, bổ sung."


def test_sure_ocr_words_names_and_function_words_are_left_alone():
    # read with high confidence: only the stricter, evidence-backed rule applies
    assert "tỉnh gọn" in clean(ocr_doc([("Bộ máy tỉnh gọn.", [96] * 4)])).text
    # "của Đảng" is a name, not "của đáng"; "về" is never turned into "vệ"
    row = "chủ trương của Đảng; về sinh hoạt"
    c = clean(ocr_doc([(row, [96, 96, 60, 60, 60, 96, 96])]))
    assert c.text == row


def test_a_term_short_of_letters_is_completed_only_where_the_document_proves_it():
    first = (
        "Thực hiện Nghị quyết số 28-NQ/TW, ngày 17/11/2022 của Ban Chấp hành Trung ương Đảng (khóa "
        "XI) về"
    )
    rest = [
        "tiếp tục; Nghị quyết số 28-NQ/TW của Trung ương (khóa XIII) và Nghị quyết số 28-NQ/TW "
        "(khóa XIII);",
        "Kết luận số 21-KL/TW của Trung ương (khóa XII).",
    ]
    sure = [(row, [96.0] * len(row.split(" "))) for row in rest]
    doubt = [96.0] * len(first.split(" "))
    doubt[first.split(" ").index("XI)")] = 40
    c = clean(ocr_doc([(first, doubt)] + sure))
    assert c.text.count("(khóa XIII)") == 3 and "(khóa XII)." in c.text
    assert [(r.before, r.after) for r in c.repairs if r.kind == "numeral"] == [("XI", "XIII")]
    # read with confidence, or typed: the author's words stay
    assert "(khóa XI)" in clean(ocr_doc([(first, [96.0] * len(doubt))] + sure)).text
    assert "(khóa XI)" in clean(raw_text("\n".join([first] + rest))).text


def test_running_headers_and_footers_are_removed_from_every_page():
    page = (
        "BÁO CÁO CHÍNH TRỊ - Số {n}\n{body}\nHuyện ủy Tuy Phước - tài liệu lưu hành nội bộ\nTrang "
        "{n}\n"
    )
    bodies = [
        "Các cấp ủy tổ chức quán triệt Nghị quyết.\nChi bộ họp bàn.",
        "Ban Tuyên giáo Huyện ủy hướng dẫn.\nCác ban phối hợp.",
        "Các chi bộ triển khai thực hiện.\nĐịnh kỳ sơ kết.",
        "Báo cáo kết quả về Ban Thường vụ.\nLưu hồ sơ.",
    ]
    text = "".join(page.format(n=n, body=b) for n, b in enumerate(bodies, 1))
    c = clean(raw_text(text))
    assert "BÁO CÁO CHÍNH TRỊ" not in c.text and "lưu hành nội bộ" not in c.text
    assert all(line in c.text for b in bodies for line in b.split("\n"))
    assert sum(r.kind == "running_header" for r in c.repairs) == 8
    # a line that recurs on fewer pages stays
    two = "".join(page.format(n=n, body=b) for n, b in enumerate(bodies[:2], 1))
    assert "BÁO CÁO CHÍNH TRỊ" in clean(raw_text(two)).text


def test_running_header_found_from_page_layout():
    rows, text, pos = [], "", 0
    for page in range(1, 4):
        body = [
            ["Các cấp ủy quán triệt", "Nghị quyết số 28-NQ/TW.", "Thực hiện nghiêm túc."],
            ["Ban Tuyên giáo hướng dẫn", "việc tuyên truyền rộng rãi.", "Báo cáo kết quả."],
            ["Các chi bộ sinh hoạt", "chuyên đề hằng quý.", "Lưu hồ sơ."],
        ][page - 1]
        for i, row in enumerate(["CỔNG THÔNG TIN ĐIỆN TỬ TỈNH"] + body):
            rows.append(
                LineBox(
                    start=pos,
                    end=pos + len(row),
                    page=page,
                    x0=60,
                    top=40 + 20 * i,
                    x1=300,
                    bottom=55 + 20 * i,
                )
            )
            text += row + "\n"
            pos += len(row) + 1
    doc = RawDocument(path="x.pdf", sha256="0" * 64, format="pdf", text=text, pages=3, lines=rows)
    c = clean(doc)
    assert (
        "CỔNG THÔNG TIN" not in c.text
        and "Thực hiện nghiêm túc." in c.text
        and "Lưu hồ sơ." in c.text
    )
    assert [r.kind for r in c.repairs].count("running_header") == 3


def test_web_chrome_lines_are_removed():
    text = (
        "Trang chủ > Văn bản > Kế hoạch\nChia sẻ\nKẾ HOẠCH\nthực hiện Nghị quyết số 28-NQ/TW\nLượt "
        "xem: 1.024\nIn bài viết"
    )
    c = clean(raw_text(text))
    assert c.text == "KẾ HOẠCH\nthực hiện Nghị quyết số 28-NQ/TW"


def test_a_capitalised_verb_after_a_numbered_heading_opens_its_first_task():
    text = (
        "1. Ủy ban nhân dân tỉnh lãnh đạo, chỉ đạo thực hiện tốt trong tỉnh\nvà các huyện.\n"
        "2.9. Ban Cán sự đảng Tòa án nhân dân tỉnh, Viện kiểm sát nhân dân tỉnh\n"
        "Lãnh đạo tiếp tục đổi mới tổ chức, nâng cao chất lượng hoạt động.\n"
    )
    cleaned = clean(raw_text(text)).text
    assert (
        "2.9. Ban Cán sự đảng Tòa án nhân dân tỉnh, Viện kiểm sát nhân dân tỉnh\nLãnh đạo"
        in cleaned
    )


def test_block_boundaries_never_enter_the_text_or_the_repairs():
    c = _clean("Thực hiện nghị quyết\n\n---\n\ncủa Ban Chấp hành.\n\n## II. NỘI DUNG\nnội dung")
    # a rule is a block boundary: never joined across
    assert "\n" in c.text.split("nghị quyết")[1][:2]
    assert not any(ch in c.text for ch in "\x00\x01\x02")
    assert not any(ch in r.after for r in c.repairs for ch in "\x00\x01\x02")


def test_a_sentence_goes_on_across_a_page_turn_in_a_scan():
    # the page number at the foot of page 1 is the line before the turn; cleanup deletes it
    lines = [
        ("Các cấp ủy tổ chức quán triệt Nghị quyết và Kế", 1, 60),
        ("2", 1, 280),
        ("hoạch số 117-KH/TU của Tỉnh ủy.", 2, 60),
        ("Thực hiện nghiêm túc.", 2, 90),
    ]
    text, rows, pos = "", [], 0
    for k, (row, page, x0) in enumerate(lines):
        sep = "\n\n" if k and page != lines[k - 1][1] else ("\n" if k else "")
        text += sep + row
        pos += len(sep)
        rows.append(
            LineBox(
                start=pos,
                end=pos + len(row),
                page=page,
                x0=x0,
                top=40 + 20 * k,
                x1=500,
                bottom=55 + 20 * k,
            )
        )
        pos += len(row)
    doc = RawDocument(
        path="x.pdf",
        sha256="0" * 64,
        format="pdf",
        text=text,
        pages=2,
        lines=rows,
        page_starts=[0, text.index("hoạch")],
    )
    assert "Kế hoạch số 117-KH/TU" in clean(doc).text


def test_a_converters_bold_headings_split_over_lines_are_one_line_again():
    # the article's word on a line of its own, a heading followed by empty bold pairs, a year
    # a date's line break left alone (no page number)
    c = _clean(
        "*Hà Nội, ngày **21** tháng 11 năm\n2025**\n\n**Chương II**\n\n**CÁC QUY ĐỊNH CỤ\n"
        "THỂ**** **\n\n**Điều\n3. **Quyết định này có hiệu lực.\n\n12\n"
    )
    assert "CÁC QUY ĐỊNH CỤ THỂ\n" in c.text
    assert "\nĐiều 3. Quyết định này có hiệu lực." in c.text
    assert c.text.startswith("Hà Nội, ngày 21 tháng 11 năm 2025\n") and "\n12" not in c.text


def test_a_converters_bracketed_footnotes_are_gathered_and_their_marks_removed():
    c = _clean(
        "Đã ban hành nhiều văn bản[1], còn 03 bộ[2] chưa báo cáo.\n\nTHỦ TƯỚNG\nPhạm Minh Chính\n"
        "[1] Thông\nbáo số 627/TB-VPCP ngày 18/11/2025 của\nVăn phòng Chính phủ.\n"
        "[2]\nBộ Giáo dục và Đào tạo, Bộ Ngoại giao.\n"
    )
    assert [(f.marker, f.text) for f in c.footnotes] == [
        ("1", "Thông báo số 627/TB-VPCP ngày 18/11/2025 của Văn phòng Chính phủ."),
        ("2", "Bộ Giáo dục và Đào tạo, Bộ Ngoại giao."),
    ]
    assert "văn bản, còn 03 bộ chưa báo cáo." in c.text and "[1]" not in c.text
    assert c.text[c.footnotes[0].ref - 7 : c.footnotes[0].ref] == "văn bản"
    # a bracket no footnote explains stays as it is
    assert "Điều 2.[5] Hiệu lực" in _clean("Điều 2.[5] Hiệu lực từ ngày ký.").text
    # justified text extracted: the mark two spaces after its word ("a)  [4]")
    c = _clean(
        "3.  Trình  phê  duyệt\na)  [4]\nCục  Tài  chính  chủ  trì  thẩm  định.\n\n"
        "THỦ TƯỚNG\nPhạm Minh Chính\n[4] Sửa đổi theo Thông tư số 94/2025/TT-BQP.\n"
    )
    assert "\na) Cục Tài chính chủ trì thẩm định." in c.text and "[4]" not in c.text
    # each line of the page a paragraph: a note goes on over blank lines where its words do,
    # and ends where the next opens a sentence of the body
    c = _clean(
        "Theo các văn bản[1], còn 03 bộ[2] chưa báo cáo.\n\nTHỦ TƯỚNG\n\nPhạm Minh Chính\n\n"
        "[1] Thông tư số\n\n25/2025/TT-BCT ngày 13/4/2025 của Bộ\n\nVăn hóa, Thể thao và Du lịch"
        "\n\n[2]\n\nBộ Giáo dục và Đào tạo.\n\nTrang này để trống.\n"
    )
    assert [(f.marker, f.text) for f in c.footnotes] == [
        ("1", "Thông tư số 25/2025/TT-BCT ngày 13/4/2025 của Bộ Văn hóa, Thể thao và Du lịch"),
        ("2", "Bộ Giáo dục và Đào tạo."),
    ]


def test_a_hard_wrapped_text_files_footnote_runs_on_over_its_lines():
    # a text that keeps its page's line breaks wraps a "1- …" footnote too: all of it
    body = "".join(
        f"Nội dung thứ {k} của kế hoạch được các cấp ủy triển khai\nthực hiện nghiêm túc.\n\n"
        for k in range(4)
    )
    c = _clean(
        "Thực hiện Kế hoạch số 82-KH/TU<sup>1</sup> của Tỉnh ủy.\n\n"
        + body
        + "1- Kế hoạch số 82-KH/TU, ngày 30/01/2018 của Ban Thường vụ Tỉnh ủy về tinh\n"
        "giản biên chế.\n\nNội dung sau cùng của kế hoạch được các cấp\nủy thực hiện.\n"
    )
    assert [(f.marker, f.text) for f in c.footnotes] == [
        (
            "1",
            "Kế hoạch số 82-KH/TU, ngày 30/01/2018 của Ban Thường vụ Tỉnh ủy về tinh giản "
            "biên chế.",
        )
    ]


def test_pandocs_markdown_footnotes_are_gathered_and_their_marks_removed():
    # pandoc writes a Word footnote as "[^1]" and, after the document, "[^1]: …" (its lines
    # wrapped and indented); the mark no longer stands between a number and its issuer
    c = _clean(
        "Thực hiện Nghị quyết số 57-NQ/TW[^1] của Bộ Chính trị và Kết luận số 01-KL/TW[^2].\n\n"
        "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nNguyễn Văn An\n\n"
        "[^1]: Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá\n"
        "    phát triển khoa học, công nghệ.\n\n"
        "[^2]: Kết luận số 01-KL/TW ngày 18/5/2021 của Bộ Chính trị.\n"
    )
    assert [(f.marker, f.text) for f in c.footnotes] == [
        (
            "1",
            "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển "
            "khoa học, công nghệ.",
        ),
        ("2", "Kết luận số 01-KL/TW ngày 18/5/2021 của Bộ Chính trị."),
    ]
    assert "57-NQ/TW của Bộ Chính trị" in c.text and "[^" not in c.text


def test_a_consolidated_texts_note_mark_after_a_label_is_a_footnote_reference():
    c = _clean(
        "1. Đối tượng:\na) [2]\nCán bộ, công chức.\n\nBỘ TRƯỞNG\nNguyễn Văn An\n"
        "[2] Điểm này được sửa đổi, bổ sung theo quy định tại Thông tư số 5/2020/TT-BQP.\n"
    )
    assert [f.marker for f in c.footnotes] == ["2"]
    assert "a) Cán bộ, công chức." in c.text and "[2]" not in c.text


def test_bold_runs_glued_where_a_line_ended_are_two_lines():
    c = _clean(
        "**NGHỊ QUYẾT****Về việc sắp xếp các đơn vị hành chính cấp xã**\n\n"
        "**Điều ****2****. ****Hiệu lực thi hành**\n\nNghị quyết có hiệu l****ực từ nay.\n"
    )
    assert c.text.startswith("NGHỊ QUYẾT\nVề việc sắp xếp các đơn vị hành chính cấp xã\n")
    assert _clean("**NGHỊ ĐỊNH**Quy định về chính sách hỗ trợ\n").text.startswith("NGHỊ ĐỊNH\nQuy")
    # runs glued after a space or inside a word are one text
    assert "Điều 2. Hiệu lực thi hành" in c.text and "có hiệu lực từ nay." in c.text


def test_cyrillic_look_alikes_inside_a_number_are_latin_and_a_russian_word_is_left():
    c = _clean("theo Nghị định số 137/2020/NĐ-СР và Công văn 16495/BТС-PTHT của Đại sứ Попов.")
    assert "137/2020/NĐ-CP" in c.text and "16495/BTC-PTHT" in c.text and "Попов" in c.text
    assert [(r.kind, r.after) for r in c.repairs if r.kind == "mixed_script"] == [
        ("mixed_script", "137/2020/NĐ-CP"),
        ("mixed_script", "16495/BTC-PTHT"),
    ]


def test_a_scan_s_bullets_read_as_marks_are_bullets_again():
    rows = [
        "2.3. Ban Tuyên giáo Tỉnh ủy",
        "__~ Tham mưu tổng kết việc thực hiện Nghị quyết.",
        "-_= Ban Tổ chức Trung ương Đảng,",
        "_ CỤC TRƯỞNG",
    ]
    c = clean(ocr_doc([(row, [90.0] * len(row.split(" "))) for row in rows]))
    assert c.text.split("\n") == [
        "2.3. Ban Tuyên giáo Tỉnh ủy",
        "- Tham mưu tổng kết việc thực hiện Nghị quyết.",
        "- Ban Tổ chức Trung ương Đảng,",
        "_ CỤC TRƯỞNG",  # capitals: a signature's title or a heading, no list item
    ]
    assert "~ Tham mưu" in clean(raw_text("\n".join(rows))).text  # typed text is as written


def test_the_word_so_before_a_number_gets_its_mark_back_in_ocr_text_only():
    # OCR reads "số" as "sô" or "sơ"; before a document's number it can be nothing else,
    # while "hồ sơ" is a word, and a typed text is left as it is
    text = (
        "Căn cứ Nghị định sô 17/2022/NĐ-CP ngày 31/01/2022 và Nghị định sơ 71/2019/NĐ-CP;\n"
        "SÔ: 12/QĐ-UBND; hồ sơ 14/QĐ-UBND kèm theo.\n"
    )
    scanned = clean(ocr_text(text)).text
    assert "Nghị định số 17/2022/NĐ-CP" in scanned and "Nghị định số 71/2019/NĐ-CP" in scanned
    assert "SỐ: 12/QĐ-UBND" in scanned and "hồ sơ 14/QĐ-UBND" in scanned
    assert "sô 17/2022" in clean(raw_text(text)).text


def test_a_day_or_month_ocr_read_with_a_look_alike_of_a_digit_is_a_number_again():
    # "31" read "3]", "20" read "2O", "12" read "l2": in OCR'd text only, where the day and
    # month it makes are a date; the citation then has its date and its issuer
    text = (
        "Căn cứ Nghị định số 17/2022/NĐ-CP ngày 3] tháng 01 năm 2022 của Chính phủ;\n"
        "Căn cứ Quyết định số 464/QĐ-BCT ngày 2O tháng l2 năm 2025 của Bộ Công Thương;\n"
        "Biên bản lập ngày 45 tháng O1 năm 2026 và ngày Il tháng 3 năm 2026.\n"
    )
    cleaned = clean(ocr_text(text))
    scanned = cleaned.text
    assert "ngày 31 tháng 01 năm 2022" in scanned and "ngày 20 tháng 12 năm 2025" in scanned
    # no day 45; two look-alikes and no digit say nothing
    assert "ngày 45 tháng O1" in scanned and "ngày Il tháng 3" in scanned
    assert "ngày 3] tháng" in clean(raw_text(text)).text  # typed text is as written
    from pipeline.extract import find_citations
    from pipeline.structure import parse

    cited = {c.symbol: (c.date, c.issuer) for c in find_citations(cleaned, parse(cleaned))}
    assert cited["17/2022/NĐ-CP"] == ("2022-01-31", "Chính phủ")


def test_an_executing_article_and_what_a_decision_attaches_go_on():
    # in a hard-wrapped text: an article opening with an office is the one that names who
    # carries the decision out, run into its line (no title "Chánh Văn phòng"); "kèm theo
    # Quyết định này" wants what it attaches; an abbreviation opening a line after one as long
    # as wrapped lines run opens no sentence. A titled article's text still opens below it.
    text = WRAPPED_AT_73 + (
        "Điều 1. Ban hành kèm theo Quyết định này\n"
        "Danh mục 12 thủ tục hành chính thuộc thẩm quyền giải quyết của Sở Tài chính.\n"
        "Điều 2. Giao Sở Tài chính chủ trì, phối hợp thực hiện bãi bỏ\n"
        "TTHC trên cơ sở dữ liệu quốc gia theo đúng quy định.\n"
        "Điều 3. Tổ chức thực hiện\n"
        "UBND các xã, phường tổ chức thực hiện Quyết định này.\n"
        "Điều 4. Chánh Văn phòng\n"
        "UBND tỉnh, Giám đốc Sở Tài chính chịu trách nhiệm thi hành Quyết định này./.\n"
    )
    lines = _clean(text).text.split("\n")
    assert lines[-5:] == [
        "Điều 1. Ban hành kèm theo Quyết định này Danh mục 12 thủ tục hành chính thuộc thẩm "
        "quyền giải quyết của Sở Tài chính.",
        "Điều 2. Giao Sở Tài chính chủ trì, phối hợp thực hiện bãi bỏ TTHC trên cơ sở dữ liệu "
        "quốc gia theo đúng quy định.",
        "Điều 3. Tổ chức thực hiện",
        "UBND các xã, phường tổ chức thực hiện Quyết định này.",
        "Điều 4. Chánh Văn phòng UBND tỉnh, Giám đốc Sở Tài chính chịu trách nhiệm thi hành "
        "Quyết định này./.",
    ]
    # a law's article titled with an office keeps its title
    text = WRAPPED_AT_73 + (
        "Điều 32. Chủ tịch Ủy ban nhân dân\n"
        "Là người đứng đầu Ủy ban nhân dân, lãnh đạo và điều hành công việc.\n"
    )
    assert _clean(text).text.split("\n")[-2] == "Điều 32. Chủ tịch Ủy ban nhân dân"


def test_a_letterhead_run_together_on_one_line_is_its_lines_again():
    # a converter that drops a table's bars and rules: the issuing body and the number on one
    # line, the type in capitals glued to the title in sentence case
    c = _clean(
        "CHÍNH PHỦ Số: 170/2025/NĐ-CP\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAMĐộc lập - Tự do - Hạnh phúc\n"
        "NGHỊ ĐỊNHQuy định về tuyển dụng, sử dụng và quản lý công chức\n\n"
        "Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;\n"
    )
    assert c.text.split("\n")[:6] == [
        "CHÍNH PHỦ",
        "Số: 170/2025/NĐ-CP",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "NGHỊ ĐỊNH",
        "Quy định về tuyển dụng, sử dụng và quản lý công chức",
    ]
    # a sentence that names a number, and codes with a small letter, stay as they are
    text = "Căn cứ Quyết định Số: 12/QĐ-UBND của UBND tỉnh.\nQUYẾT ĐỊNH SỐ 12/QĐ-TTg"
    assert _clean(text).text == text


def test_a_letters_subject_goes_on_to_a_number_or_an_abbreviation_it_writes():
    # in a hard-wrapped text, a subject line cut before the number its document type wants,
    # or before an abbreviation the text writes after its last word; the place and date
    # stay their line
    text = (
        "Số: 11306/VPCP-NN\n"
        "V/v đề xuất giải pháp tháo gỡ khó khăn trong việc triển khai Nghị định\n"
        "136/2025/NĐ-CP\n"
        "Hà Nội, ngày 18 tháng 11 năm 2025\n"
        "Số: 3257/TNI-QLDN1\n"
        "V/v thuế suất thuế\n"
        "GTGT\n"
        "Tây\n"
        "Ninh, ngày 01 tháng 12 năm 2025\n"
        "Công ty hỏi về việc thuế suất thuế GTGT, Thuế tỉnh có ý kiến như sau.\n"
        "V/v đẩy mạnh sử dụng nhiên liệu sinh học tại Việt Nam\n"
        "Hà Nội,\n"
        "ngày 25 tháng 11 năm 2025\n"
    )
    lines = _clean(WRAPPED_AT_73 + text).text.split("\n")
    start = lines.index("Số: 11306/VPCP-NN")
    assert lines[start : start + 6] == [
        "Số: 11306/VPCP-NN",
        "V/v đề xuất giải pháp tháo gỡ khó khăn trong việc triển khai Nghị định 136/2025/NĐ-CP",
        "Hà Nội, ngày 18 tháng 11 năm 2025",
        "Số: 3257/TNI-QLDN1",
        "V/v thuế suất thuế GTGT",
        "Tây Ninh, ngày 01 tháng 12 năm 2025",
    ]
    assert lines[-2:] == [
        "V/v đẩy mạnh sử dụng nhiên liệu sinh học tại Việt Nam",
        "Hà Nội, ngày 25 tháng 11 năm 2025",
    ]


def test_a_place_broken_before_its_date_line_is_whole_again():
    # in a text no page wrapped, the place's name broken; a known place's own line stays
    text = "Số: 2581/QĐ-TTg\nHà\nNội, ngày 24 tháng 11 năm 2025\nQUYẾT ĐỊNH\n"
    assert _clean(text).text.split("\n")[:3] == [
        "Số: 2581/QĐ-TTg",
        "Hà Nội, ngày 24 tháng 11 năm 2025",
        "QUYẾT ĐỊNH",
    ]
    text = "Số: 12/UBND-VX\nThừa Thiên\nHuế, ngày 2 tháng 1 năm 2025\n"
    assert _clean(text).text.split("\n")[1] == "Thừa Thiên Huế, ngày 2 tháng 1 năm 2025"


def test_a_place_a_line_leads_to_goes_on_with_it():
    # "… thành phố" wants its name: a known place alone with its comma below it goes on
    text = WRAPPED_AT_73 + (
        "Điều 6. Bộ trưởng Bộ Công Thương, Chủ tịch Ủy ban nhân dân các quận thành phố\n"
        "Hà Nội,\n"
        "Giám đốc Đại học Công nghiệp chịu trách nhiệm thi hành Quyết định này./.\n"
    )
    assert _clean(text).text.split("\n")[-1] == (
        "Điều 6. Bộ trưởng Bộ Công Thương, Chủ tịch Ủy ban nhân dân các quận thành phố Hà Nội, "
        "Giám đốc "
        "Đại học Công nghiệp chịu trách nhiệm thi hành Quyết định này./."
    )


def test_a_heading_broken_before_the_last_word_of_its_name_is_one_line_again():
    # held together by its bold as given, the bold gone (plain text, pdftotext -layout): a
    # capitalised word alone ends the name; a heading's own text is never one word alone
    text = (
        "UBND TỈNH A\nSố: 12/KH-UBND\nKẾ HOẠCH\nXúc tiến thương mại năm 2026\n"
        "II. NỘI DUNG\nđ) Thị trường châu Đại\nDương\nTổ chức đoàn giao thương.\n"
        "V. TỔ CHỨC THỰC HIỆN\n6. Sở Ngoại\nVụ\nChủ trì, phối hợp các đơn vị.\n"
        "7. Sở Công Thương\nThực hiện nhiệm vụ.\n8. Sở Tài chính\nThẩm định kinh phí.\n"
    )
    out = _clean(text).text
    assert "\nđ) Thị trường châu Đại Dương\nTổ chức" in out
    assert "\n6. Sở Ngoại Vụ\nChủ trì" in out and "\n7. Sở Công Thương\nThực hiện" in out
    assert "\n8. Sở Tài chính\nThẩm định kinh phí." in out  # (its text: more than a word)


def test_an_articles_title_over_lines_ends_where_its_text_restates_it_or_lists_on():
    # bold held these titles together as given; without it (plain text, pdftotext -layout)
    # an article's title is still its title, however many lines it runs over ("Quyết định
    # bãi bỏ" below: the text writes the two words together)
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH A\nSố: 12/2025/QĐ-UBND\nQUYẾT ĐỊNH\nBãi bỏ các quyết định\n"
        "Điều 1. Bãi bỏ toàn bộ các\nQuyết định\nBãi bỏ toàn bộ các Quyết định sau đây:\n"
        "1. Quyết định bãi bỏ Quyết định số 42/2018/QĐ-UBND ngày 08 tháng 8 năm 2018.\n"
        "Điều 2. Chủ sở hữu công trình thoát nước mưa, nước thải; công trình xử lý nước thải;\n"
        "công trình xử lý bùn thải từ hệ thống thoát nước\n"
        "Ủy ban nhân dân tỉnh là chủ sở hữu các công trình thoát nước.\n"
    )
    out = _clean(text + WRAPPED_AT_73).text  # (hard-wrapped: a capital may go on a line)
    assert "\nĐiều 1. Bãi bỏ toàn bộ các Quyết định\nBãi bỏ toàn bộ các Quyết định sau đây:" in out
    assert (
        "\nĐiều 2. Chủ sở hữu công trình thoát nước mưa, nước thải; công trình xử lý nước thải; "
        "công trình xử lý bùn thải từ hệ thống thoát nước\nỦy ban nhân dân tỉnh" in out
    )


def test_a_bracket_left_open_does_not_run_into_a_chapter_or_an_article():
    # the attached rules' "(Ban hành kèm theo …" whose ")" the source lost: the sentence in
    # the bracket goes on, but not into "Chương I" or "Điều 1." (a page number between, too)
    opening = (
        "QUY ĐỊNH\nVỀ QUẢN LÝ CHẤT THẢI RẮN\n(Ban hành kèm theo Quyết định số 74/2025/QĐ-UBND "
        "ngày 20 tháng 11 năm 2025 của Ủy ban nhân dân tỉnh Hà Tĩnh\n"
    )
    for between in ("", "\nTrang 3/31\n\n"):
        for heading in ("**Chương I**\n\n**QUY ĐỊNH CHUNG**\n", "Điều 1. Phạm vi điều chỉnh\n"):
            out = _clean(opening + between + heading + "Quy định này quy định chi tiết.\n").text
            assert "tỉnh Hà Tĩnh\n" + heading.split("\n")[0].strip("*") in out, (between, heading)
    # a bracket's own words on the next line still go on: "(khóa | XII)"
    assert "(khóa XII) và" in _clean("Nghị quyết Trung ương 6 (khóa\nXII) và Kết luận.\n").text


def test_a_heading_ends_before_a_sentence_that_opens_with_when_or_in_case():
    # a page's number between them took the blank line that parted them; "công vụ khi" is
    # written elsewhere in the text, but "Khi", "Trường hợp" open a sentence of their own
    text = (
        "Quy chế này quy định việc sử dụng thư công vụ khi cán bộ chuyển công tác.\n\n"
        "4. Thu hồi địa chỉ thư điện tử\ncông vụ\n\nTrang 9/16\n\n\n"
        "Khi cơ quan, đơn vị giải thể thì Trung tâm khóa chức năng gửi thư.\n\n"
        "5. Khôi phục hộp thư công vụ\n\nTrường hợp hộp thư bị khóa thì Trung tâm mở lại.\n"
    )
    out = _clean(text + WRAPPED_AT_73).text
    assert "\n4. Thu hồi địa chỉ thư điện tử công vụ\nKhi cơ quan" in out
    assert "\n5. Khôi phục hộp thư công vụ\nTrường hợp hộp thư" in out


def test_invisible_characters_go_before_the_marks_are_read():
    # a web copy's zero-width space after "a)": the bold run it opens is still a list item's,
    # not a run going on from the heading above ("… khen thưởng a) Hình thức …")
    text = (
        "**III. KHEN THƯỞNG**\n\n**2. Hình thức và tiêu chuẩn khen\nthưởng**\n\n"
        "**a)\u200b Hình thức khen thưởng**\n\n- Huân chương Lao động;\n"
    )
    out = _clean(text).text
    assert "\n2. Hình thức và tiêu chuẩn khen thưởng\na) Hình thức khen thưởng\n" in out
