from conftest import raw_text
from pipeline.clean import clean
from pipeline.extract import find_citations
from pipeline.nlp import find_entities
from pipeline.structure import parse


def _cite(text):
    c = clean(raw_text(text))
    s = parse(c)
    return c, s, find_citations(c, s)


def test_party_citation_with_every_field():
    _, _, cits = _cite(
        "Thực hiện Quy định số 96-QĐ/TW, ngày 02/02/2023 của Bộ Chính trị (khóa XIII) về việc lấy "
        "phiếu tín nhiệm; tiếp."
    )
    (c,) = cits
    assert (c.symbol, c.doc_type, c.number, c.code) == ("96-QĐ/TW", "Quy định", "96", "QĐ/TW")
    assert (c.date, c.issuer, c.term) == ("2023-02-02", "Bộ Chính trị", "XIII")
    assert c.subject == "về việc lấy phiếu tín nhiệm"
    assert c.relation == "thực hiện"
    assert c.text.startswith("Quy định số 96-QĐ/TW")


def test_state_symbols_and_worded_dates():
    _, _, cits = _cite(
        "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ; Kế hoạch số "
        "24/KH-UBND của UBND tỉnh; Luật số 20/2023/QH15; Chỉ thị 27/CTTg."
    )
    assert [c.symbol for c in cits] == ["30/2020/NĐ-CP", "24/KH-UBND", "20/2023/QH15", "27/CTTg"]
    assert cits[0].date == "2020-03-05" and cits[0].issuer == "Chính phủ"
    assert cits[1].issuer == "UBND tỉnh"
    assert cits[2].doc_type == "Luật"


def test_enumeration_gives_one_mention_per_number_and_date_to_the_last():
    _, _, cits = _cite(
        "theo Nghị quyết số 18, 19-NQ/TW, ngày 25/10/2017 của Ban Chấp hành Trung ương Đảng khóa "
        "XII."
    )
    assert [c.symbol for c in cits] == ["18-NQ/TW", "19-NQ/TW"]
    assert [c.date for c in cits] == [None, "2017-10-25"]
    assert all(c.doc_type == "Nghị quyết" for c in cits)
    # the issuer too stands after the last number only (ANNOTATION.md); the term is each one's
    assert [c.issuer for c in cits] == [None, "Ban Chấp hành Trung ương Đảng"]
    assert [c.term for c in cits] == ["XII", "XII"]


def test_a_dates_year_before_the_next_symbol_is_no_number_of_an_enumeration():
    _, _, cits = _cite(
        "tại các văn bản số: 8004/BNNMT-ĐCKS ngày 17 tháng 10 năm 2025, 8008/BNNMT-ĐCKS ngày 17 "
        "tháng 10 năm 2025 và 8796/BNNMT-ĐCKS ngày 06 tháng 11 năm 2025."
    )
    assert [c.symbol for c in cits] == ["8004/BNNMT-ĐCKS", "8008/BNNMT-ĐCKS", "8796/BNNMT-ĐCKS"]


def test_a_body_after_a_comma_that_issued_the_next_mention_is_not_this_ones_issuer():
    _, _, cits = _cite(
        "Căn cứ chỉ đạo của Bộ Chính trị tại Thông báo số 99-TB/TW ngày 21/11/2025, của Ban Bí "
        "thư tại văn bản số 213-KL/TW ngày 21/11/2025; Quy định số 96-QĐ/TW, ngày 02/02/2023, của "
        "Bộ Chính trị về việc lấy phiếu."
    )
    assert [(c.symbol, c.issuer) for c in cits] == [
        ("99-TB/TW", None),
        ("213-KL/TW", None),
        ("96-QĐ/TW", "Bộ Chính trị"),
    ]


def test_dates_are_not_symbols_and_issuer_stops_at_clause():
    _, _, cits = _cite(
        "Chương trình hành động số 52-CTr/TU ngày 10/3/2023 của Tỉnh ủy Lâm Đồng thực hiện Nghị "
        "quyết 28-NQ/TW; năm 25/10/2018."
    )
    assert [c.symbol for c in cits] == ["52-CTr/TU", "28-NQ/TW"]
    assert cits[0].issuer == "Tỉnh ủy Lâm Đồng"
    assert cits[1].date is None


def test_footnote_marker_is_not_part_of_the_symbol():
    _, _, cits = _cite(
        "việc thực hiện Nghị quyết số 18-NQ/TW1, ngày 25/10/2017 của Ban Bí thư3; tiếp."
    )
    assert cits[0].symbol == "18-NQ/TW" and cits[0].issuer == "Ban Bí thư"


def test_own_number_is_metadata_not_a_citation_and_sections_are_attached():
    c, s, cits = _cite(
        "HUYỆN ỦY AN PHÚ\nSố 45-KH/HU\nKẾ HOẠCH\nvề việc thử\nI. NỘI DUNG\n1. Thực hiện Kế hoạch "
        "số 12-KH/TW của Bộ Chính trị.\n"
    )
    assert s.metadata.symbol == "45-KH/HU"
    assert [x.symbol for x in cits] == ["12-KH/TW"]
    assert cits[0].section == "I/1"
    assert c.text[cits[0].start : cits[0].end] == cits[0].text


def test_entities_do_not_overlap_citations():
    c, s, cits = _cite(
        "Ban Tuyên giáo Tỉnh ủy thực hiện Hướng dẫn số 86-HD/BTGTU ngày 13/6/2023 của Ban Tuyên "
        "giáo Tỉnh ủy."
    )
    ents = find_entities(c.text, cits)
    orgs = [e for e in ents if e.label == "ORG"]
    assert orgs and orgs[0].text == "Ban Tuyên giáo Tỉnh ủy" and orgs[0].start == 0
    assert any(e.label == "DATE" and e.text.endswith("13/6/2023") for e in ents)
    for e in ents:
        assert c.text[e.start : e.end] == e.text


def test_ocr_damage_to_party_codes_is_repaired_but_misspellings_of_state_codes_kept():
    text = (
        "Quy định số 99-QĐĐ/TW ngày 27/02/2023; Quy định số 85-QD/TW; Nghị quyết số 18-NQ/TW; Chỉ "
        "thị 27/CTTg."
    )
    c, _, cits = _cite(text)
    assert [c.symbol for c in cits] == ["99-QĐ/TW", "85-QĐ/TW", "18-NQ/TW", "27/CTTg"]
    # cleanup repairs the text and lists each repair with where it stood in the source
    assert [
        (r.kind, r.before, r.after, r.source_start) for r in c.repairs if r.kind == "symbol"
    ] == [
        ("symbol", "QĐĐ/TW", "QĐ/TW", text.index("QĐĐ")),
        ("symbol", "QD/TW", "QĐ/TW", text.index("QD/")),
    ]
    assert cits[0].text.startswith("Quy định số 99-QĐ/TW")


def test_issuer_survives_an_ocr_footnote_marker_glued_to_it():
    _, _, cits = _cite(
        "Chỉ thị số 28-CT/TW, ngày 21/01/2019 của Ban Bí thưể; Quy định số 55-QĐ/TW của Bộ Chính "
        "trị!! về nêu gương."
    )
    assert [c.issuer for c in cits] == ["Ban Bí thư", "Bộ Chính trị"]


def test_a_footnote_hung_on_a_citation_gives_its_subject():
    text = (
        "1. Thực hiện Quy định số 41-QĐ/TW, ngày 03/11/2021 của Bộ Chính trị<sup>7</sup>; tiếp "
        "tục.\n\n"
        "7- Về miễn nhiệm, từ chức đối với cán bộ.\n"
    )
    _, _, cits = _cite(text)
    assert [(c.symbol, c.subject) for c in cits] == [
        ("41-QĐ/TW", "Về miễn nhiệm, từ chức đối với cán bộ")
    ]


def test_party_symbol_with_a_compound_issuer():
    _, _, cits = _cite("Thực hiện Kế hoạch số 12-KH/ĐU-CQ ngày 02/3/2024 của Đảng ủy Khối.")
    assert [c.symbol for c in cits] == ["12-KH/ĐU-CQ"] and cits[0].date == "2024-03-02"


def test_references_without_a_number_resolve_where_the_text_settles_it():
    from pipeline.extract import find_references

    text = (
        "KẾ HOẠCH\nthực hiện Nghị quyết\n"
        "Thực hiện Nghị quyết số 28-NQ/TW, ngày 17/11/2022 của Ban Chấp hành Trung ương (sau đây "
        "gọi tắt là "
        "Nghị quyết 28) và Chương trình hành động số 52-CTr/TU của Tỉnh ủy, Ban Thường vụ Huyện ủy "
        "ban hành Kế hoạch như sau:\n"
        "I. NỘI DUNG\n1. Quán triệt Nghị quyết 28 và Chương trình hành động của Tỉnh ủy; thực hiện "
        "Điều lệ Đảng, "
        "Nghị quyết Đại hội XIII của Đảng và Luật Tổ chức chính quyền địa phương; triển khai Kế "
        "hoạch này.\n"
    )
    c, s, cits = _cite(text)
    refs = find_references(c, s, cits)
    got = [(r.kind, r.text, r.symbol) for r in refs]
    # the alias names its document
    assert ("alias", "(sau đây gọi tắt là Nghị quyết 28)", "28-NQ/TW") in got
    assert ("short", "Nghị quyết 28", "28-NQ/TW") in got
    assert ("short", "Chương trình hành động của Tỉnh ủy", "52-CTr/TU") in got
    assert ("self", "Kế hoạch này", None) in got
    assert {r.name for r in refs if r.kind == "named"} == {
        "Điều lệ Đảng",
        "Nghị quyết Đại hội XIII của Đảng",
        "Luật Tổ chức chính quyền địa phương",
    }
    for r in refs:
        assert c.text[r.start : r.end] == r.text


def test_issuer_code_split_by_ocr_is_joined():
    _, _, cits = _cite(
        "Nghị quyết số 19-NQ/T W, ngày 25/10/2017 của Ban Chấp hành Trung ương; Kế hoạch số "
        "117-KH/T Ũ, ngày 14/12/2022."
    )
    assert [(c.symbol, c.date) for c in cits] == [
        ("19-NQ/TW", "2017-10-25"),
        ("117-KH/TU", "2022-12-14"),
    ]
    assert cits[0].issuer == "Ban Chấp hành Trung ương"


def test_a_cue_governs_the_list_it_opens():
    _, _, cits = _cite(
        "Thực hiện Quyết định số 1234/QĐ-UBND ngày 12/5/2023 của UBND tỉnh về việc ban hành Quy "
        "chế; "
        "Công văn số 567/SNV-VTLT ngày 03/4/2024 của Sở Nội vụ, Ủy ban nhân dân tỉnh ban hành Kế "
        "hoạch."
    )
    assert [(c.symbol, c.relation) for c in cits] == [
        ("1234/QĐ-UBND", "thực hiện"),
        ("567/SNV-VTLT", "thực hiện"),
    ]
    assert cits[1].issuer == "Sở Nội vụ"


def test_confidence_is_lower_for_bare_damaged_or_unknown_symbols():
    _, _, cits = _cite(
        "Thực hiện Nghị quyết số 28-NQ/TW; theo 12-KH/TW; Kế hoạch số 5-KH/XYZW; Quy định số "
        "96-QĐĐ/TW."
    )
    conf = {c.symbol: c.confidence for c in cits}
    assert conf["28-NQ/TW"] == 1.0
    assert conf["12-KH/TW"] < 1.0  # no type word before it
    assert conf["5-KH/XYZW"] < 1.0  # an issuer code nobody knows
    assert conf["96-QĐ/TW"] < 1.0  # repaired from "QĐĐ"


def test_conference_issuer_and_type_through_a_list():
    _, _, cits = _cite(
        "Thực hiện Nghị quyết số 18-NQ/TW và số 19-NQ/TW ngày 25/10/2017 của Hội nghị lần thứ sáu "
        "Ban Chấp hành Trung ương Đảng khóa XII; Kế hoạch số 17/KH-BCĐ ngày 3/3/2023 của Ban Chỉ "
        "đạo 35 tỉnh."
    )
    assert [(c.symbol, c.doc_type) for c in cits] == [
        ("18-NQ/TW", "Nghị quyết"),
        ("19-NQ/TW", "Nghị quyết"),
        ("17/KH-BCĐ", "Kế hoạch"),
    ]
    assert (
        cits[1].issuer == "Hội nghị lần thứ sáu Ban Chấp hành Trung ương Đảng"
        and cits[1].term == "XII"
    )
    assert cits[2].issuer == "Ban Chỉ đạo"


def test_a_law_named_before_its_number():
    _, _, cits = _cite(
        "theo Luật An ninh mạng số 24/2018/QH14; Bộ luật Lao động số 45/2019/QH14 ngày 20/11/2019."
    )
    assert [(c.symbol, c.doc_type, c.subject) for c in cits] == [
        ("24/2018/QH14", "Luật", "An ninh mạng"),
        ("45/2019/QH14", "Bộ luật", "Lao động"),
    ]
    assert cits[1].date == "2019-11-20"


def test_the_section_finder_gives_the_deepest_section_as_a_walk_over_all_would():
    import random

    from pipeline.extract import section_finder
    from pipeline.models import Section, iter_sections

    def walk(sections, offset):
        path = None
        for s in iter_sections(sections):
            if s.start <= offset < s.end:
                path = s.path  # deeper nodes come later in the walk
        return path

    def tree(rng, a, b, depth, prefix):  # siblings may overlap, children may overrun
        out, pos = [], a
        while pos < b and rng.random() < 0.8:
            start = pos + rng.randint(0, 5)
            end = min(b + rng.randint(-3, 3), start + rng.randint(1, 40))
            if end <= start:
                break
            node = Section("x", f"{prefix}{len(out)}", None, depth, start, end)
            if depth < 3:
                node.children = tree(rng, start + 1, end, depth + 1, node.path + "/")
            out.append(node)
            pos = end + rng.randint(-2, 3)
        return out

    rng = random.Random(7)
    for _ in range(300):
        sections = tree(rng, 0, 300, 0, "")
        at = section_finder(sections)
        assert [at(k) for k in range(-2, 310)] == [walk(sections, k) for k in range(-2, 310)]


def test_issuer_names_hard_wrapped_with_an_address_or_of_a_company():
    # OCR keeps the page's line ends: a name wrapped after its unit word is one name when the
    # next line opens with a province's or district's name, and only then
    _, _, cits = _cite(
        "6. Căn cứ Quyết định số 05/2025/QĐ-UBND ngày 01/7/2025 của UBND tỉnh\n"
        "Lào Cai quy định chức năng, nhiệm vụ của Sở.\n"
        "7. Căn cứ Kế hoạch số 24/KH-UBND của Ủy ban nhân dân tỉnh\n"
        "Căn cứ tình hình thực tế.\n"
        "8. Căn cứ Quyết định số 512/QĐ-UBND của UBND xã Yên Thành, tỉnh Lào Cai ngày 12 tháng "
        "11 năm 2025 về việc đưa đất vào sử dụng.\n"
        "9. Căn cứ Báo cáo số 01/BC-HTCS ngày 17/03/2026 của Công ty CP đầu tư xây dựng hạ tầng "
        "cơ sở về việc báo cáo hoàn thành.\n"
    )
    assert [c.issuer for c in cits] == [
        "UBND tỉnh Lào Cai",
        "Ủy ban nhân dân tỉnh",
        "UBND xã Yên Thành, tỉnh Lào Cai",
        "Công ty CP đầu tư xây dựng hạ tầng cơ sở",
    ]
    assert cits[0].date == "2025-07-01" and cits[3].subject.startswith("về việc báo cáo")


def test_a_known_body_wrapped_inside_its_name_is_one_name_past_a_scans_marks():
    # a line that ends inside a body's name the catalogue knows goes on on the next line,
    # also past the marks a scan leaves at the line end or start, and in a title in capitals;
    # a name that ends at the line end stays as it is
    _, _, cits = _cite(
        "Thực hiện Chương trình hành động số 58-CTr/TU, ngày 30/3/2023 của Ban Chấp hành -\n"
        "Đảng bộ tỉnh về thực hiện Nghị quyết số 28-NQ/TW.\n"
        "Theo Kế hoạch số 76-KH/HU ngày 17/5/2023 của Ban Thường vụ\n"
        ". _ Huyện ủy.\n"
        "SỬA ĐỔI THÔNG TƯ SỐ 55/2023/TT-BTC NGÀY 15 THÁNG 8 NĂM 2023 CỦA BỘ TRƯỞNG BỘ TÀI\n"
        "CHÍNH QUY ĐỊNH QUẢN LÝ KINH PHÍ\n"
        "Căn cứ Quyết định số 5/QĐ-UBND ngày 02/01/2024 của Bộ Chính trị\n"
        "- Ban Bí thư các cấp.\n"
        # a province's name wrapped, or opening the next line of a title in capitals
        "NGHỊ QUYẾT SỐ 09/2022/NQ-HĐND NGÀY 14 THÁNG 7 NĂM 2022 CỦA HỘI ĐỒNG NHÂN DÂN TỈNH THỪA\n"
        "THIÊN HUẾ QUY ĐỊNH NGUỒN\n"
        "THỰC HIỆN CÔNG VĂN SỐ 636/UBND-KT NGÀY 17/3/2025 CỦA UBND\n"
        "TỈNH QUẢNG NAM VỀ VIỆC MUA SẮM\n"
        # a title wrapped narrow: the name over three lines
        "SỬA ĐỔI QUYẾT ĐỊNH SỐ 181/2006/QĐ-BQP NGÀY 31/10/2006 CỦA BỘ TRƯỞNG BỘ\nQUỐC\n"
        "PHÒNG QUY ĐỊNH CHẾ ĐỘ\n"
    )
    assert [c.issuer for c in cits if c.symbol != "28-NQ/TW"] == [
        "Ban Chấp hành Đảng bộ tỉnh",
        "Ban Thường vụ Huyện ủy",
        "Bộ trưởng Bộ Tài chính",  # (written as the text writes names)
        "Bộ Chính trị",
        "Hội đồng nhân dân tỉnh Thừa Thiên Huế",
        "UBND tỉnh Quảng Nam",
        "Bộ trưởng Bộ Quốc phòng",
    ]
    assert cits[0].subject == "về thực hiện Nghị quyết số 28-NQ/TW"


def test_an_issuer_ends_where_its_name_is_whole_before_a_subject_in_sentence_case():
    # a central body's name is whole, and so is a unit's with its province: a capitalised
    # word after it opens the cited document's subject; a local body takes its place
    _, _, cits = _cite(
        "Căn cứ Nghị định số 64/2007/NĐ-CP của Chính phủ Ứng dụng công nghệ thông tin trong "
        "hoạt động của cơ quan nhà nước; Quyết định số 45/2006/QĐ-UB ngày 11 tháng 4 năm 2006 "
        "của Ủy ban nhân dân tỉnh Bình Phước Bổ sung lĩnh vực; Thông báo số 552/TB-VPCP ngày 13 "
        "tháng 10 năm 2025 của Văn phòng Chính phủ Kết luận Phiên họp; Công văn số 5/MTTQ-BTT "
        "của Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Lào Cai về việc phối hợp; Kế hoạch số "
        "12-KH/TU của Ban Thường vụ Tỉnh ủy Bình Định về việc.\n"
        # after a unit's name, a lowercase word is no part of it either; "như sau" ends a
        # name; an office in capitals; a district with its province
        "Căn cứ Quyết định số 46/QĐ-UBND ngày 06/01/2025 của Chủ tịch UBND thành phố Hà Nội "
        "phố về việc ủy quyền; Quyết định số 5289/QĐ-UBND của Ủy ban nhân dân thành phố Hà Nội "
        "hiện đang triển khai; Quyết định số 3936/QĐ-UBND của Chủ tịch UBND tỉnh như sau: các "
        "điều; Thông tư số 01/2023/TT-VPCP của Bộ Trưởng, Chủ nhiệm Văn phòng Chính phủ quy "
        "định; Quyết định số 12/QĐ-UBND của UBND huyện Tuy Phước tỉnh Bình Định về việc.\n"
    )
    assert [c.issuer for c in cits] == [
        "Chính phủ",
        "Ủy ban nhân dân tỉnh Bình Phước",
        "Văn phòng Chính phủ",
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Lào Cai",
        "Ban Thường vụ Tỉnh ủy Bình Định",
        "Chủ tịch UBND thành phố Hà Nội",
        "Ủy ban nhân dân thành phố Hà Nội",
        "Chủ tịch UBND tỉnh",
        "Bộ Trưởng, Chủ nhiệm Văn phòng Chính phủ",
        "UBND huyện Tuy Phước tỉnh Bình Định",
    ]
    # the subject after a stray word that follows the whole name is still read
    assert cits[5].subject == "về việc ủy quyền"


def test_a_date_after_the_issuer_or_on_the_next_line_of_a_title_in_capitals_is_read():
    # "số X của Y ngày D" as well as "số X ngày D của Y"; a title in capitals wraps before
    # its "NGÀY"; "của của" is a slip; a date further on, after another clause, is not its
    _, _, cits = _cite(
        "Thực hiện Nghị quyết số 46/NQ-CP của Chính phủ ngày 08 tháng 3 năm 2025 về nhiệm vụ.\n"
        "QUYẾT ĐỊNH SỬA ĐỔI THÔNG TƯ SỐ 44/2021/TT-BGTVT\n"
        "NGÀY 31/12/2021 CỦA CỦA BỘ TRƯỞNG BỘ GIAO THÔNG VẬN TẢI BAN HÀNH ĐỊNH MỨC\n"
        "Căn cứ Quyết định số 116/2013/QĐ-THYH của Tổng hội Y học Việt Nam công nhận Ban chấp "
        "hành ngày 08/04/2017.\n"
    )
    assert [(c.date, c.issuer) for c in cits] == [
        ("2025-03-08", "Chính phủ"),
        ("2021-12-31", "Bộ trưởng Bộ Giao thông vận tải"),
        (None, "Tổng hội Y học Việt Nam"),
    ]
    assert cits[0].subject == "về nhiệm vụ"


def test_a_body_the_catalogue_knows_is_an_issuer_in_lower_case_too():
    # "của chính phủ" is a slip of the writer's; "của đơn vị" names no body
    _, _, cits = _cite(
        "Căn cứ Nghị định số 140/2018/NĐ-CP ngày 08/10/2018 của chính phủ về sửa đổi, bổ sung; "
        "Kế hoạch số 5/KH-UBND của đơn vị về việc triển khai.\n"
    )
    assert [c.issuer for c in cits] == ["chính phủ", None]
    assert cits[0].subject == "về sửa đổi, bổ sung"


def test_a_bare_number_takes_the_type_its_sentence_named_before_it():
    # the next number of a list, a list a plural type opens, a name the type heads ("Văn
    # bản số", as written); not a number after a noun of no type ("Mẫu số"), nor one whose
    # code says another type
    _, _, cits = _cite(
        "Căn cứ các Quyết định của Thủ tướng Chính phủ phê duyệt, cụ thể: số 1341/QĐ-TTg ngày "
        "10/10/2024; số 1437/QĐ-TTg ngày 12/10/2024.\n"
        "Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08/6/2010 của Chính phủ về kiểm soát thủ tục "
        "hành chính; số 92/2017/NĐ-CP ngày 07/8/2017 sửa đổi, bổ sung.\n"
        "Căn cứ Luật Khoa học, công nghệ và đổi mới sáng tạo số 93/2025/QH15; Báo cáo thẩm tra "
        "số 115/BC-BPC ngày 22/11/2025; Văn bản giải trình, tiếp thu số 6253/UBND-SNV.\n"
        "Theo Kế hoạch của tỉnh, Sở Tài chính đề nghị tại Văn bản số 7074/STC-TCCB; khai theo "
        "Mẫu số 01/TK-SDDPNN.\n"
        "Thực hiện các Nghị định sau: số 12/KH-UBND ngày 01/01/2020.\n"
        # a long lead, a verb in lower case ("quy định") before the list; a type in lower case
        # that the code says; a Party type
        "Căn cứ các Nghị định của Chính phủ quy định chi tiết một số nội dung về quản lý chất "
        "lượng, thi công xây dựng và bảo trì công trình xây dựng, bao gồm: số 06/2021/NĐ-CP "
        "ngày 26/01/2021; Các công điện: số 217/CĐ-TTg; Thực hiện Thông tri số 02-TT/TU.\n"
    )
    assert [c.doc_type for c in cits][10:] == ["Nghị định", "Công điện", "Thông tri"]
    assert [c.doc_type for c in cits][:10] == [
        "Quyết định",
        "Quyết định",
        "Nghị định",
        "Nghị định",
        "Luật",
        "Báo cáo thẩm tra",
        None,
        "Văn bản",
        None,
        None,
    ]


def test_a_type_is_the_words_written_before_its_number():
    # ANNOTATION.md: the type words as written before the number, up to it or to a name in
    # capitals; a law's name is no type; a word that opens an issuer or a clause ends them
    _, _, cits = _cite(
        "Căn cứ Giấy phép khai thác khoáng sản số 1525/GP-UBND ngày 22/11/2019; Biên bản vi "
        "phạm hành chính số 23/BB-VPHC; Kết luận liên ngành Tư pháp Trung ương số "
        "23/KL-LNTPTW; Luật đất đai số 31/2024/QH15; Quyết định của UBND tỉnh số "
        "12/QĐ-UBND; Kế hoạch thực hiện số 24/KH-UBND; Giấy chứng nhận số 169/GCN; Quyết định "
        "xử phạt vi phạm hành chính số 12/QĐ-XPVPHC.\n"
    )
    assert [c.doc_type for c in cits] == [
        "Giấy phép khai thác khoáng sản",
        "Biên bản vi phạm hành chính",
        "Kết luận liên ngành",
        "Luật",
        "Quyết định",
        "Kế hoạch",
        "Giấy chứng nhận",  # (a certificate: a type of the catalogue)
        "Quyết định xử phạt vi phạm hành chính",  # (six words: as many as a name it heads)
    ]


def test_an_issuer_a_title_in_capitals_names_is_written_as_the_text_writes_names():
    _, _, cits = _cite(
        "CĂN CỨ THÔNG TƯ SỐ 55/2023/TT-BTC NGÀY 15/8/2023 CỦA BỘ TRƯỞNG BỘ TÀI CHÍNH VỀ VIỆC "
        "HƯỚNG DẪN; QUYẾT ĐỊNH SỐ 12/QĐ-UBND NGÀY 01/02/2024 CỦA ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ "
        "NỘI VỀ VIỆC GIAO ĐẤT; Hợp đồng số 12/HĐ-BSGBT ngày 01/02/2024 của CÔNG TY CỔ PHẦN BIA "
        "SÀI GÒN - BẾN TRE về việc mua bán.\n"
    )
    assert [c.issuer for c in cits] == [
        "Bộ trưởng Bộ Tài chính",
        "Ủy ban nhân dân thành phố Hà Nội",
        "CÔNG TY CỔ PHẦN BIA SÀI GÒN - BẾN TRE",  # a company's name is its own
    ]


def test_a_laws_name_names_no_other_document_and_may_be_written_in_lower_case():
    # "Luật X và Nghị định số N" cites the Nghị định; "dự án Luật tại Tờ trình số N" the
    # Tờ trình; a law's name is often written in lower case
    _, _, cits = _cite(
        "Căn cứ Luật Quản lý thuế và Nghị định số 126/2020/NĐ-CP ngày 19/10/2020; Luật xây "
        "dựng số 62/2020/QH14; Luật Ban hành văn bản quy phạm pháp luật số 64/2025/QH15. Chính "
        "phủ đã trình dự án Luật tại Tờ trình số 1039/TTr-CP ngày 07/11/2025.\n"
    )
    assert [(c.doc_type, c.subject) for c in cits] == [
        ("Nghị định", None),
        ("Luật", "xây dựng"),
        ("Luật", "Ban hành văn bản quy phạm pháp luật"),
        ("Tờ trình", None),
    ]
    assert cits[0].text == "Nghị định số 126/2020/NĐ-CP"


def test_a_type_before_an_issuer_types_the_number_only_when_no_other_document_is_named():
    # "Quyết định của UBND tỉnh: số N" is a Quyết định; "quy định của Nghị định số N" and
    # "Chương trình hành động của Chính phủ thực hiện Nghị quyết số N" cite what they name
    _, _, cits = _cite(
        "Căn cứ Quyết định của UBND tỉnh: số 1175/QĐ-UBND ngày 01/01/2024; theo quy định của "
        "Nghị định số 30/2020/NĐ-CP; Chương trình hành động của Chính phủ thực hiện Nghị quyết "
        "số 57-NQ/TW; theo hướng dẫn của Bộ Tài chính tại Công văn số 11725/BTC-QLĐT; triển "
        "khai Kế hoạch hành động số 459-KHHĐ/TU.\n"
    )
    assert [c.doc_type for c in cits] == [
        "Quyết định",
        "Nghị định",
        "Nghị quyết",
        "Công văn",
        "Kế hoạch hành động",
    ]


def test_issuer_names_written_as_the_naming_rules_have_them_and_cut_before_a_verb():
    # Nghị định 30/2020/NĐ-CP: a field's first word capitalised, the rest of the word not
    # ("Ban Pháp chế", "Tổng cục Hải quan"), " - " between two fields; one holder of two
    # offices; a capitalised verb after the name ends it ("… của Chính phủ Quy định …")
    _, _, cits = _cite(
        "Căn cứ Báo cáo thẩm tra số 12/BC-BPC ngày 01/12/2025 của Ban Pháp chế Hội đồng nhân "
        "dân Thành phố; Báo cáo số 13/BC-VHXH của Ban Văn hóa - Xã hội Hội đồng nhân dân tỉnh; "
        "Thông tư số 01/2025/TT-VPCP của Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ hướng dẫn "
        "thực hiện; Công văn số 5/TCHQ-GSQL của Tổng cục Hải quan về việc kiểm tra; Nghị định số "
        "78/2025/NĐ-CP của Chính phủ Quy định chi tiết một số điều; Quyết định số 9/2024/QĐ-UBND "
        "của UBND tỉnh Bà Rịa - Vũng Tàu về việc giao đất.\n"
        "BÃI BỎ QUYẾT ĐỊNH SỐ 22/2025/QĐ-UBND NGÀY 28 THÁNG 02 NĂM 2025\n"
        "CỦA ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI\n"
    )
    assert [c.issuer for c in cits] == [
        "Ban Pháp chế Hội đồng nhân dân Thành phố",
        "Ban Văn hóa - Xã hội Hội đồng nhân dân tỉnh",
        "Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ",
        "Tổng cục Hải quan",
        "Chính phủ",
        "UBND tỉnh Bà Rịa - Vũng Tàu",
        "Ủy ban nhân dân thành phố Hà Nội",
    ]


def test_a_state_code_with_a_units_number_after_a_dot():
    _, _, cits = _cite(
        "Căn cứ công văn số 838/CCTKV.XII-NVDTPC.HUE ngày 15/05/2025 của Chi cục Thuế khu vực "
        "XII; văn bản số 6721/VPCP-V.I ngày 2/7/2025 và Quyết định số 15/QĐ-UBND.Tiếp theo đó.\n"
    )
    assert [(c.symbol, c.date) for c in cits] == [
        ("838/CCTKV.XII-NVDTPC.HUE", "2025-05-15"),
        ("6721/VPCP-V.I", "2025-07-02"),
        ("15/QĐ-UBND", None),
    ]
    assert cits[0].issuer == "Chi cục Thuế khu vực XII"


def test_a_number_is_read_in_its_case():
    from pipeline.extract import find_mentions

    # "100m*2/lần" is a measure, not Công văn "2/LẦN"
    assert [c.symbol for c in find_mentions("Đơn vị: 100m*2/lần; theo 24/KH-UBND")] == [
        "24/KH-UBND"
    ]


def test_a_word_a_converter_glued_to_a_number_is_no_part_of_it():
    from pipeline.extract import find_mentions

    text = (
        "Quyết định số 35/2025/QĐ-TTgcủa Thủ tướng; Đề án số 381/ĐA-CPngày 09/5/2025; "
        "Nghị quyết số 28-NQ/TWngày 17/11/2022; Công văn 12/SNgV-LS; Quy định 08-QĐi/TW."
    )
    assert [(c.symbol, c.date) for c in find_mentions(text)] == [
        ("35/2025/QĐ-TTg", None),
        ("381/ĐA-CP", "2025-05-09"),
        ("28-NQ/TW", "2022-11-17"),
        ("12/SNgV-LS", None),
        ("08-QĐi/TW", None),
    ]


def test_a_subject_ends_before_what_became_of_the_document_and_before_the_main_clause():
    _, _, cits = _cite(
        "Căn cứ Nghị định số 23/2015/NĐ-CP ngày 16/02/2015 của Chính phủ về cấp bản sao từ "
        "sổ gốc, chứng thực chữ ký, được sửa đổi, bổ sung bởi Nghị định số 07/2025/NĐ-CP;\n"
        "Căn cứ Quyết định số 480/QĐ-UBND ngày 22/4/2024 về việc công bố thủ tục hành chính "
        "được sửa đổi, bổ sung trong lĩnh vực di sản văn hóa;\n"
        "Xét Tờ trình số 226/TTr-BKHCN ngày 10/11/2025 của Bộ Khoa học và Công nghệ về thành "
        "lập Mạng lưới quan trắc phóng xạ, Phó Thủ tướng Chính phủ Nguyễn Chí Dũng có ý kiến "
        "như sau:\n"
    )
    subjects = {c.symbol: c.subject for c in cits}
    assert subjects["23/2015/NĐ-CP"] == "về cấp bản sao từ sổ gốc, chứng thực chữ ký"
    # "thủ tục hành chính được sửa đổi, bổ sung" is what it is about
    assert subjects["480/QĐ-UBND"] == (
        "về việc công bố thủ tục hành chính được sửa đổi, bổ sung trong lĩnh vực di sản văn hóa"
    )
    assert subjects["226/TTr-BKHCN"] == "về thành lập Mạng lưới quan trắc phóng xạ"


def test_a_relation_cue_is_a_whole_cue_of_the_mentions_own_clause():
    _, _, cits = _cite(
        "Căn cứ Nghị định số 166/2025/NĐ-CP ngày 30/6/2025 sửa đổi, bổ sung một số điều của Luật "
        "Phí và lệ phí; Nghị định số 126/2020/NĐ-CP ngày 19/10/2020 của Chính phủ.\n"
        "Quy chế ban hành kèm theo Quyết định số 25/2016/QĐ-TTg ngày 15/6/2016.\n"
    )
    relations = {c.symbol: c.relation for c in cits}
    assert relations["166/2025/NĐ-CP"] == "căn cứ"
    # the "bổ sung" before the ";" is another item's; the list goes on under "Căn cứ"
    assert relations["126/2020/NĐ-CP"] == "căn cứ"
    assert relations["25/2016/QĐ-TTg"] == "kèm theo"  # the whole cue, not its "theo"


def test_a_date_typed_in_a_hurry_is_read_and_one_that_cannot_be_does_not_hide_the_issuer():
    # slips seen in several crawled letters: no space after "ngày" or before "tháng", "ngày"
    # twice or without its accent, "năm" for "tháng" and the other way round; a year of five
    # digits or a day left blank is no date, yet the body named after it is the issuer
    _, _, cits = _cite(
        "Căn cứ Thông tư số 111/2013/TT-BTC ngày15/8/2013 của Bộ Tài chính;\n"
        "Căn cứ Đề án số 358/ĐA-CP ngày 09tháng 5 năm 2025 của Chính phủ;\n"
        "Căn cứ Nghị định số 78/2025/NĐ-CP ngày ngày 01/4/2025 của Chính phủ;\n"
        "Căn cứ Luật số 93/2025/QH15 ngay 27 tháng 6 năm 2025 của Quốc hội;\n"
        "Căn cứ Nghị định số 98/2019/NĐ-CP ngày 27 năm 12 năm 2019 của Chính phủ;\n"
        "Căn cứ Quyết định số 1085/QĐ-TTg ngày 15 tháng 9 tháng 2022 của Thủ tướng Chính phủ;\n"
        "Căn cứ Nghị định số 118/2025/NĐ-CP ngày 09/6/20205 của Chính phủ;\n"
        "Căn cứ Thông tư số 24/2024/TT-BYT ngày    tháng   năm 2024 của Bộ Y tế;\n"
        "Căn cứ Quyết định số 5/QĐ-UBND ngày ... tháng 3 năm 2024 của UBND tỉnh Lào Cai;\n"
        "Căn cứ Nghị quyết số 7/NQ-HĐND ngày 18 tháng 11, năm 2025 của HĐND tỉnh.\n"
    )
    assert [(c.date, c.issuer) for c in cits] == [
        ("2013-08-15", "Bộ Tài chính"),
        ("2025-05-09", "Chính phủ"),
        ("2025-04-01", "Chính phủ"),
        ("2025-06-27", "Quốc hội"),
        ("2019-12-27", "Chính phủ"),
        ("2022-09-15", "Thủ tướng Chính phủ"),
        (None, "Chính phủ"),
        (None, "Bộ Y tế"),
        (None, "UBND tỉnh Lào Cai"),
        ("2025-11-18", "HĐND tỉnh"),
    ]
