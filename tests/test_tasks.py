"""Tasks: assignees from headings and from paragraph subjects, deadlines read from their phrases."""

import pytest

from conftest import raw_text
from pipeline.clean import clean
from pipeline.structure import parse
from pipeline.tasks import assignee_heading, find_tasks, leading_subject, parse_deadline

PLAN = """HUYỆN ỦY TUY PHƯỚC
Số 12-KH/HU
KẾ HOẠCH
thực hiện Nghị quyết số 28-NQ/TW
I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao nhận thức của cán bộ, đảng viên (thực hiện thường xuyên).
II. NHIỆM VỤ CỤ THỂ
1. Đối với UBND huyện
- Rà soát, sắp xếp tổ chức bộ máy (hoàn thành trong năm 2024).
- Chỉ đạo cải cách hành chính (nhiệm vụ thường xuyên).
2. Ban Tổ chức Huyện ủy
Tham mưu tổng kết Quy định số 96-QĐ/TW (thực hiện từ năm 2024 - năm 2026, sau khi có văn bản chỉ đạo của Trung ương).
3. Các tổ chức cơ sở đảng trực thuộc Huyện ủy: Quán triệt Kế hoạch này đến đảng viên.
III. TỔ CHỨC THỰC HIỆN
1. Căn cứ Kế hoạch này, các chi bộ, đảng bộ cơ sở xây dựng kế hoạch thực hiện, báo cáo trước ngày 30/6/2024.
2. Văn phòng Huyện ủy chủ trì, phối hợp theo dõi, đôn đốc việc thực hiện (định kỳ hằng năm báo cáo).
Nơi nhận:
- Ban Tổ chức Tỉnh ủy,
- Lưu VPHU.
"""  # noqa: E501 (a document as written: its lines are data)


@pytest.fixture(scope="module")
def tasks():
    cleaned = clean(raw_text(PLAN))
    return cleaned.text, find_tasks(cleaned, parse(cleaned))


def test_assignees_from_headings_and_subjects(tasks):
    text, found = tasks
    by = [(t.section, t.assignee) for t in found]
    assert by == [
        ("II/1", "UBND huyện"),
        ("II/1", "UBND huyện"),
        ("II/2", "Ban Tổ chức Huyện ủy"),
        ("II/3", "Các tổ chức cơ sở đảng trực thuộc Huyện ủy"),  # "tổ chức" after "Các" is a noun
        ("III/1", "các chi bộ, đảng bộ cơ sở"),  # after the "Căn cứ …," lead-in
        ("III/2", "Văn phòng Huyện ủy"),
    ]
    assert all(text[t.start : t.end] == t.text for t in found)
    assert found[0].text == "Rà soát, sắp xếp tổ chức bộ máy (hoàn thành trong năm 2024)."
    # the "Mục đích, yêu cầu" section assigns nothing, and "Nơi nhận" is no task
    assert not any("Nâng cao nhận thức" in t.text or "Lưu" in t.text for t in found)


def test_deadlines_are_read(tasks):
    _, found = tasks
    first, second, third = (t.deadlines for t in found[:3])
    assert [(d.kind, d.year) for d in first] == [("within", 2024)]
    assert [d.kind for d in second] == ["recurring"]
    (d,) = third
    assert (d.kind, d.year, d.until, d.condition) == (
        "from",
        2024,
        2026,
        "có văn bản chỉ đạo của Trung ương",
    )


@pytest.mark.parametrize(
    "phrase, kind, year, date",
    [
        ("nhiệm vụ thường xuyên", "recurring", None, None),
        ("thực hiện từ tháng 4 năm 2023", "from", 2023, None),
        ("hoàn thành năm 2024", "within", 2024, None),
        ("hoàn thành trong quý II/2025", "within", 2025, None),
        ("trước ngày 30/6/2024", "before", 2024, "2024-06-30"),
        ("Tháng 11 - 12/2025", "within", 2025, None),
        ("hoàn thành trong quý III - IV/2025", "within", 2025, None),
        ("gửi trước ngày 15/6 hằng năm", "recurring", None, None),
        ("sau khi có hướng dẫn của Trung ương", "after", None, None),
        ("khóa XIII", None, None, None),
        ("viết tắt là Nghị quyết 28", None, None, None),
    ],
)
def test_deadline_phrases(phrase, kind, year, date):
    got = parse_deadline(phrase)
    if kind is None:
        assert got is None
    else:
        assert (got["kind"], got["year"], got["date"]) == (kind, year, date)


def test_headings_that_are_topics_or_tasks_name_no_assignee():
    assert assignee_heading("Đối với HĐND huyện") == "HĐND huyện"
    assert assignee_heading("Ban Tuyên giáo Tỉnh ủy:") == "Ban Tuyên giáo Tỉnh ủy"
    assert assignee_heading("Đổi mới, nâng cao hiệu quả công tác tuyên truyền") is None
    # "Ban hành" is a verb, not "Ban …"
    assert assignee_heading("Ban hành quy chế làm việc") is None
    assert leading_subject("Nâng cao chất lượng hoạt động của Ban Tổ chức") is None


def _subject_of(text):
    span = leading_subject(text)
    return text[span[0] : span[1]] if span else None


def test_a_plural_subject_names_agencies_only_when_its_noun_is_one():
    # a list of agencies goes on past "tổ chức", a noun there, not the verb
    assert _subject_of("Các cơ quan, tổ chức, cá nhân liên quan chịu trách nhiệm thi hành.") == (
        "Các cơ quan, tổ chức, cá nhân liên quan"
    )
    assert _subject_of(
        "Các sở, ban, ngành, đơn vị, tổ chức chính trị - xã hội chủ động phối hợp với Sở."
    ) == ("Các sở, ban, ngành, đơn vị, tổ chức chính trị - xã hội")
    assert _subject_of("Các doanh nghiệp công nghệ số chủ động tham gia.") == (
        "Các doanh nghiệp công nghệ số"
    )
    # a verb after no comma still ends the subject
    assert _subject_of("UBND huyện tổ chức triển khai kế hoạch.") == "UBND huyện"
    # what a plural of things says assigns nothing
    assert _subject_of("Các nội dung khác không quy định tại Quy chế này được thực hiện.") is None
    assert _subject_of("Các khoản chi liên quan trực tiếp đến tổ chức họp hội đồng.") is None
    assert assignee_heading("Các công trình hạ tầng kỹ thuật đã được đầu tư") is None


def test_a_subject_ends_where_what_it_is_or_where_it_acts_begins():
    # "… tỉnh Cà Mau, trong phạm vi nhiệm vụ, quyền hạn của mình, giám sát …"
    assert _subject_of(
        "Hội đồng Dân tộc, các Ủy ban của Quốc hội, Đoàn đại biểu Quốc hội tỉnh Cà Mau,"
        "trong phạm vi nhiệm vụ, quyền hạn của mình, giám sát việc thực hiện."
    ) == ("Hội đồng Dân tộc, các Ủy ban của Quốc hội, Đoàn đại biểu Quốc hội tỉnh Cà Mau")
    assert _subject_of("Sở Nông nghiệp và Môi trường là cơ quan đầu mối, chủ trì, hướng dẫn.") == (
        "Sở Nông nghiệp và Môi trường"
    )
    assert _subject_of(
        "Tòa án nhân dân thành phố Căn cứ chức năng, nhiệm vụ, quyền hạn, chủ động phối hợp."
    ) == ("Tòa án nhân dân thành phố")
    assert _subject_of("Các bộ, ngành, địa phương: rà soát các nhiệm vụ.") == (
        "Các bộ, ngành, địa phương"
    )
    # a board is not "Ban" managing, and "Trường hợp" (in case) names no school
    assert _subject_of("Ban quản lý Khu kinh tế tỉnh kiểm tra, giám sát.") == (
        "Ban quản lý Khu kinh tế tỉnh"
    )
    assert assignee_heading("Ban quản lý Khu kinh tế tỉnh") == "Ban quản lý Khu kinh tế tỉnh"
    assert _subject_of("Trường hợp Trung tâm chưa được thành lập, Ban Quản lý thực hiện.") is None


def test_an_article_on_a_bodys_responsibilities_names_the_body_its_items_fall_to():
    assert assignee_heading("Trách nhiệm của Sở Khoa học và Công nghệ") == (
        "Sở Khoa học và Công nghệ"
    )
    assert assignee_heading("Nhiệm vụ, quyền hạn của Ban Chỉ đạo") == "Ban Chỉ đạo"
    assert assignee_heading("Trách nhiệm của Chủ tịch Ủy ban nhân dân cấp xã") == (
        "Chủ tịch Ủy ban nhân dân cấp xã"
    )
    assert assignee_heading("Trách nhiệm thi hành") is None
    # heads and their officers: "Chánh Văn phòng …, Giám đốc …, Thủ trưởng …"
    assert _subject_of(
        "Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Y tế chịu trách nhiệm thi hành."
    ) == ("Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Y tế")
    # "việc thực hiện" is a noun, and a parenthesis the name opens holds no verb of it
    assert _subject_of(
        "Các sở, ban, ngành có liên quan tới việc thực hiện Kế hoạch này chủ động phối hợp."
    ) == ("Các sở, ban, ngành có liên quan tới việc thực hiện Kế hoạch này")
    assert _subject_of(
        "Thủ trưởng các đơn vị (trừ đơn vị tự bảo đảm chi thường xuyên) chịu trách nhiệm."
    ) == ("Thủ trưởng các đơn vị (trừ đơn vị tự bảo đảm chi thường xuyên)")
    text = (
        "ỦY BAN NHÂN DÂN\nSố: 12/QĐ-UBND\nĐồng Nai, ngày 2 tháng 3 năm 2025\nQUY ĐỊNH\n"
        "Quản lý cổng thông tin\nChương III\nTỔ CHỨC THỰC HIỆN\n"
        "Điều 11. Trách nhiệm của Sở Khoa học và Công nghệ\n"
        "1. Hướng dẫn, kiểm tra việc thực hiện Quy định này.\n"
        "2. Báo cáo Ủy ban nhân dân tỉnh hằng năm.\n"
    )
    c = clean(raw_text(text))
    tasks = find_tasks(c, parse(c))
    assert [(t.section, t.assignee) for t in tasks] == [
        ("Chương III/Điều 11/1", "Sở Khoa học và Công nghệ"),
        ("Chương III/Điều 11/2", "Sở Khoa học và Công nghệ"),
    ]


def test_a_managing_body_is_named_whole_and_a_responsibility_line_names_its_body():
    # "cơ quan quản lý", "các Sở quản lý công trình": a noun, not the verb "quản lý"
    assert _subject_of("Các cơ quan quản lý nhà nước tại Cảng phải thực hiện quy định.") == (
        "Các cơ quan quản lý nhà nước tại Cảng"
    )
    assert _subject_of("Trách nhiệm của Sở Tư pháp hướng dẫn, tổ chức thực hiện.") == "Sở Tư pháp"
    # a line that heads the items below: its whole name, whatever verbs the name holds
    assert _subject_of(
        "Trách nhiệm của các Sở quản lý công trình xây dựng chuyên ngành Thành phố:\n"
        "a) Bảo đảm nguồn lực."
    ) == ("các Sở quản lý công trình xây dựng chuyên ngành Thành phố")


def test_seed_tasks(shared_corpus):
    from pipeline.ingest import load

    cleaned = clean(load(shared_corpus / "seeds" / "001_b599351afc1a319a.txt"))
    found = find_tasks(cleaned, parse(cleaned))
    assignees = {t.assignee for t in found}
    assert {
        "Đảng đoàn Hội đồng nhân dân tỉnh",
        "Ban Tuyên giáo Tỉnh ủy",
        "Ban Tổ chức Tỉnh ủy",
        "Văn phòng Tỉnh ủy",
    } <= assignees
    dated = [t for t in found if t.deadlines]
    assert len(dated) >= 0.8 * len(found)
    # "(hoàn thành trong năm 2024, sau khi có văn bản chỉ đạo của Trung ương)"
    assert any(
        d.kind == "within" and d.year == 2024 and d.condition for t in found for d in t.deadlines
    )


STATE_PLAN = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG NAM
Số: 141/KH-UBND
KẾ HOẠCH
Triển khai Nghị định số 30/2020/NĐ-CP
I. MỤC ĐÍCH
1. Các cơ quan nắm vững quy định về công tác văn thư.
II. NHIỆM VỤ
1. Sở Nội vụ chủ trì, phối hợp với các sở hướng dẫn thực hiện. Thời gian thực hiện: trước ngày 30/6/2024.
2. Các sở, ban, ngành; UBND các huyện tổ chức tập huấn (hoàn thành trong quý III/2024).
III. NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM
1. Đổi mới nội dung, phương thức tuyên truyền.
2. Nâng cao chất lượng công tác văn thư.
IV. TỔ CHỨC THỰC HIỆN
Giao Sở Nội vụ theo dõi, đôn đốc, báo cáo kết quả trước ngày 15/12/2024.
"""  # noqa: E501 (a document as written: its lines are data)


def test_state_plan_tasks():
    cleaned = clean(raw_text(STATE_PLAN))
    found = find_tasks(cleaned, parse(cleaned))
    # "Nhiệm vụ" assigns work here because its parts name assignees; "Nhiệm vụ, giải pháp
    # trọng tâm" lists topics without one and assigns nothing
    assert [(t.section, t.assignee) for t in found] == [
        ("II/1", "Sở Nội vụ"),
        ("II/2", "Các sở, ban, ngành; UBND các huyện"),
        ("IV", "Sở Nội vụ"),
    ]
    assert [[(d.kind, d.year, d.date) for d in t.deadlines] for t in found] == [
        [("before", 2024, "2024-06-30")],
        [("within", 2024, None)],
        [("before", 2024, "2024-12-15")],
    ]
