"""Layouts beyond the seeds, written for the tests: a state (UBND) plan, a Công văn crawled
from the web with its letterhead in a table."""

from pathlib import Path

from conftest import raw_text
from pipeline.clean import clean
from pipeline.extract import find_citations
from pipeline.models import iter_sections
from pipeline.structure import parse

DOCS = Path(__file__).parent / "documents"


def _run(name):
    c = clean(raw_text((DOCS / name).read_text(encoding="utf-8")))
    s = parse(c)
    return c, s, find_citations(c, s)


def test_state_plan_header_title_sections_and_signature():
    c, s, cits = _run("ke_hoach_ubnd.txt")
    m = s.metadata
    assert (m.doc_type, m.symbol, m.date, m.place) == (
        "Kế hoạch",
        "141/KH-UBND",
        "2024-04-05",
        "Bắc Ninh",
    )
    assert m.title == (
        "Triển khai thực hiện Nghị quyết số 28-NQ/TW ngày 17/11/2022 "
        "của Ban Chấp hành Trung ương Đảng"
    )
    assert m.issuer == "Ủy ban nhân dân tỉnh Bắc Ninh"  # the letterhead names the province
    assert m.signer.name == "Nguyễn Văn Phong" and len(m.recipients) == 5
    titles = {n.path: n.title for n in iter_sections(s.sections)}
    assert titles == {
        "I": "MỤC ĐÍCH, YÊU CẦU",
        "I/1": "Mục đích",
        "I/2": "Yêu cầu",
        "II": "NHIỆM VỤ CỤ THỂ",
        "II/1": "Sở Nội vụ",
        "II/1/a": None,
        "II/1/b": None,
        "II/2": "Sở Thông tin và Truyền thông",
        "III": "TỔ CHỨC THỰC HIỆN",
    }
    assert [(x.symbol, x.date, x.issuer) for x in cits] == [
        ("28-NQ/TW", "2022-11-17", "Ban Chấp hành Trung ương Đảng"),
        ("30/2020/NĐ-CP", "2020-03-05", "Chính phủ"),
        ("24/KH-UBND", "2024-01-20", "Ủy ban nhân dân tỉnh"),
        ("28-NQ/TW", None, None),
        ("27/CT-TTg", "2023-08-10", "Thủ tướng Chính phủ"),
    ]


def test_cong_van_from_a_web_table():
    c, s, cits = _run("cong_van_table.md")
    assert "|" not in c.text
    m = s.metadata
    assert (m.doc_type, m.symbol, m.date, m.place) == (
        "Công văn",
        "245-CV/HU",
        "2023-09-12",
        "Phù Cát",
    )
    assert m.title == "triển khai Quy định số 96-QĐ/TW"
    assert m.issuer == "Ban Thường vụ Huyện ủy"
    assert m.signer.name == "Trần Thị Lan" and m.recipients == ["Như trên", "Lưu VPHU"]
    assert [n.path for n in iter_sections(s.sections)] == ["1", "2"]
    # the own number is metadata; the subject line's mention is a citation
    assert [x.symbol for x in cits] == ["96-QĐ/TW", "1234-CV/TU", "96-QĐ/TW", "96-QĐ/TW"]
    for x in cits:
        assert c.text[x.start : x.end] == x.text
