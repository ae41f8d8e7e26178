"""The grammar of document numbers (pipeline/symbols.py) and every stage that reads it."""

import networkx as nx
import pytest

from conftest import graph_of, ocr_text, raw_text
from pipeline import query, symbols
from pipeline.clean import clean
from pipeline.extract import find_citations
from pipeline.structure import parse

NUMBERS = ["5", "28", "245", "2820", "11296", "190197"]  # 1 to 6 digits


def _citations(text):
    cleaned = clean(raw_text(text))
    return find_citations(cleaned, parse(cleaned))


@pytest.mark.parametrize("n", NUMBERS)
def test_numbers_of_one_to_six_digits_in_both_styles_are_citations(n):
    party, state, dated = f"{n}-CV/VPTW", f"{n}/BC-BNV", f"{n}/2023/NĐ-CP"
    found = _citations(f"Căn cứ Công văn số {party}, Báo cáo số {state} và Nghị định số {dated}.")
    assert [(c.symbol, c.number, c.doc_type) for c in found] == [
        (party, n, "Công văn"),
        (state, n, "Báo cáo"),
        (dated, n, "Nghị định"),
    ]


def test_seven_digits_are_no_document_number():
    assert _citations("Mã hồ sơ 1234567/QĐ-UBND và 7654321-NQ/TW.") == []


@pytest.mark.parametrize("n", NUMBERS)
def test_cleanup_joins_a_broken_symbol_of_any_length(n):
    cleaned = clean(
        raw_text(
            f"Thực hiện Nghị quyết số {n}-\n\nNQ/TW và Quy định số {n} -QĐ/TW của Bộ Chính trị."
        )
    )
    assert f"{n}-NQ/TW" in cleaned.text and f"{n}-QĐ/TW" in cleaned.text


@pytest.mark.parametrize("n", NUMBERS)
def test_the_header_reads_an_own_number_of_any_length(n):
    cleaned = clean(
        raw_text(
            f"ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\nSố: {n}/KH-UBND\nKẾ HOẠCH\nvề chuyển đổi số\n"
            "I. MỤC ĐÍCH\n1. Thực hiện tốt."
        )
    )
    assert parse(cleaned).metadata.symbol == f"{n}/KH-UBND"


def test_an_enumeration_does_not_start_inside_a_date():
    # "ngày 17/11/2022, 28-NQ/TW": the year is no number of the list
    assert [
        c.symbol for c in _citations("Theo Kết luận ngày 17/11/2022, 28-NQ/TW về việc này.")
    ] == ["28-NQ/TW"]
    assert [c.symbol for c in _citations("Các Nghị quyết số 18, 19-NQ/TW.")] == [
        "18-NQ/TW",
        "19-NQ/TW",
    ]
    assert [c.symbol for c in _citations("Các Nghị quyết số 11296 và 190197-NQ/TW.")] == [
        "11296-NQ/TW",
        "190197-NQ/TW",
    ]


@pytest.mark.parametrize(
    "written, parts",
    [
        ("08-QĐi/TW", {"number": "8", "code": "QĐi/TW", "level": "TW"}),
        ("190197-CV/VPTW", {"number": "190197", "code": "CV/VPTW", "level": "TW"}),
        ("30/2020/NĐ-CP", {"number": "30", "code": "NĐ-CP", "year": "2020", "level": "state"}),
        ("11296/BC-BNV", {"number": "11296", "code": "BC-BNV", "level": "state"}),
        ("20/2023/QH15", {"number": "20", "code": "QH15", "year": "2023", "level": "state"}),
        ("86-HD/BTGTU", {"number": "86", "code": "HD/BTGTU", "level": "TU"}),
        ("1505/KH-TTCP", {"number": "1505", "code": "KH-TTCP", "level": "state"}),
    ],
)
def test_parts_of_a_symbol(written, parts):
    assert symbols.parts(written) == parts
    assert symbols.year(written) == parts.get("year")  # the graph's cached reading of it
    assert symbols.key(" 0" + written) == written.lstrip("0")


def test_levels_from_codes_and_names_and_their_order():
    assert [
        symbols.level_of_code(c)
        for c in ("NQ/TW", "KH/HU", "KH-UBND", "HD/BTGTU", "KH/ĐU", "XY/ZZ")
    ] == ["TW", "HU", "state", "TU", "ĐU", None]
    # a Quốc hội body's code carries its term's number: the body is the catalogue's all the same
    assert [symbols.level_of_code(c) for c in ("QH15", "UBTVQH15", "NQ-UBTVQH15")] == ["state"] * 3
    assert symbols.numbered_nationally("76/2025/UBTVQH15")
    assert symbols.issuer_of_code("1675/NQ-UBTVQH15") == "Ủy ban Thường vụ Quốc hội"
    names = [
        "Bộ Chính trị",
        "Ban Thường vụ Tỉnh ủy",
        "Ban Chấp hành Đảng bộ huyện",
        "Đảng ủy",
        "Sở Nội vụ",
    ]
    assert [symbols.level_of_issuer(n) for n in names] == ["TW", "TU", "HU", "ĐU", None]
    assert symbols.LEVELS.index("TW") < symbols.LEVELS.index("TU") < symbols.LEVELS.index("ĐU")


def test_type_of_a_symbol_from_its_code():
    assert symbols.doc_type_of("245-CV/HU") == "Công văn"
    assert symbols.doc_type_of("11296/BC-BNV") == "Báo cáo"
    assert symbols.doc_type_of("2820/QĐ-UBND") is None  # QĐ: Quyết định or Quy định


def test_graph_and_queries_know_long_numbers():
    docs = {
        "a": {
            "metadata": {"symbol": "5-KH/HU", "date": "2024-01-02", "doc_type": "Kế hoạch"},
            "citations": [
                {"symbol": "190197-CV/VPTW", "date": "2023-05-06", "code": "CV/VPTW"},
                {"symbol": "11296/BC-BNV", "date": "2023-07-08", "code": "BC-BNV"},
            ],
        }
    }
    g = graph_of(docs)
    assert {"190197-CV/VPTW@2023", "11296/BC-BNV@2023"} <= set(g)
    assert g.nodes["190197-CV/VPTW@2023"]["level"] == "TW"
    g2 = nx.node_link_graph(nx.node_link_data(g))
    assert query.resolve(g2, "Công văn số 190197-CV/VPTW") == ["190197-CV/VPTW@2023"]
    assert query.resolve(g2, "Báo cáo 11296") == ["11296/BC-BNV@2023"]


def test_state_symbols_with_a_joint_unit_a_sub_number_or_a_break_inside():
    text = (
        "Căn cứ Công văn số 8935/BNV-CTTN&BĐG ngày 10/10/2025, Kế hoạch số 515/KH-BCA-BNN&MT, "
        "Nghị quyết số 66.2/2025/NQ-CP, Quyết định số 20/2020/QĐ- TTg, Nghị quyết số "
        "71/NQ -CP và Thông tư số 01/2026/TT-\nBCT.\n"
    )
    assert cited(raw_text(text)) == [
        "8935/BNV-CTTN&BĐG",
        "515/KH-BCA-BNN&MT",
        "66.2/2025/NQ-CP",
        "20/2020/QĐ-TTg",
        "71/NQ-CP",
        "01/2026/TT-BCT",
    ]
    assert symbols.parts("66.2/2025/NQ-CP")["number"] == "66.2"


def test_a_joint_number_wrapped_in_the_letterhead_column_is_one_symbol():
    # the narrow left column of a joint letterhead wraps the issuers' codes; a symbol's "-" at
    # a line's end before a word that is no code ("UBND tỉnh") is left alone
    text = (
        "BỘ CÔNG AN - BỘ QUỐC PHÒNG\nBỘ CÔNG THƯƠNG\nSố: 24/HDLN-BCA-BQP-BYT-\n"
        "BCT-BTC-VKSNDTC-TANDTC\nHà Nội, ngày 25 tháng 6 năm 2026\nHƯỚNG DẪN LIÊN NGÀNH\n"
        "Về việc xử lý vi phạm về khí N2O\n\n1. Giao nhiệm vụ theo Quyết định số 12/QĐ-UBND-\n"
        "UBND tỉnh giao.\n"
    )
    cleaned = clean(raw_text(text))
    assert parse(cleaned).metadata.symbol == "24/HDLN-BCA-BQP-BYT-BCT-BTC-VKSNDTC-TANDTC"
    assert "12/QĐ-UBND-\nUBND tỉnh" in cleaned.text
    one = clean(raw_text(text.replace("BCT-BTC-VKSNDTC-TANDTC\n", "BCT\n")))
    assert parse(one).metadata.symbol == "24/HDLN-BCA-BQP-BYT-BCT"  # one code, alone on its line


def test_technical_standards_are_not_document_citations():
    text = (
        "Kho chứa đạt QCVN 01:2019/BCT và QCVN\n06:2022/BXD theo Thông tư số 13/2018/TT-BCT; "
        "Tiêu chuẩn cơ sở 661: 2018/BVTV quy trình công bố dịch.\n"
    )
    assert cited(raw_text(text)) == ["13/2018/TT-BCT"]


def test_joint_numbers_of_many_issuers_are_cited_whole():
    # a joint document names up to seven issuers' codes, a joint type may stand before them
    # with a slash, and a space after a later dash is a converter's
    text = (
        "Căn cứ Thông tư liên tịch số 01/2012/TTLT-BQP-BLĐTBXH-BTC ngày 05/01/2012; Thông tư "
        "liên tịch 88/2016/TTLT/BTC-BTNMT ngày 22/6/2016; Nghị quyết liên tịch số "
        "72/2025/NQLT/UBTVQH15-CP-ĐCTUBTWMTTQVN ngày 20/02/2025; Quy chế phối hợp số "
        "49/QCPH-UBND-UBMT-HCTĐ ngày 24/01/2025; Quyết định số 146/QĐ-BVTV- KH ngày 16/01/2018.\n"
    )
    assert cited(raw_text(text)) == [
        "01/2012/TTLT-BQP-BLĐTBXH-BTC",
        "88/2016/TTLT/BTC-BTNMT",
        "72/2025/NQLT/UBTVQH15-CP-ĐCTUBTWMTTQVN",
        "49/QCPH-UBND-UBMT-HCTĐ",
        "146/QĐ-BVTV-KH",
    ]


def test_an_issuer_code_with_a_stray_letter_or_cut_short_is_repaired_from_the_grammar():
    text = (
        "KẾ HOẠCH\nvề việc thử\nThực hiện Nghị quyết số 28-NQ/TVW, Kế hoạch số 82-KH/TUủ và "
        "Nghị quyết số 18-NQ/TW của Ban Chấp hành Trung ương; Nghị quyết số 18-NQ/T wk nêu rõ "
        "nhiệm vụ; Quyết định số 12-QĐ/T của Ban Thường vụ.\n"
    )
    found = cited(ocr_text(text))
    # a stray letter after a known code; a code cut short where the same number and type
    # is written whole elsewhere; "12-QĐ/T" has no such evidence (TU? TW?) and is left
    assert found[:4] == ["28-NQ/TW", "82-KH/TU", "18-NQ/TW", "18-NQ/TW"]
    assert "12-QĐ/TW" not in found and "12-QĐ/TU" not in found
    # typed text keeps its letters: "BTGVTW" may be a code the catalogue does not know yet
    typed = "KẾ HOẠCH\nvề việc thử\nCông văn số 1879-CV/BTGVTW của Ban.\n"
    assert cited(raw_text(typed)) == ["1879-CV/BTGVTW"]


def test_state_symbols_with_a_stray_letter_or_letters_for_digits_are_repaired():
    text = (
        "KẾ HOẠCH\nvề việc thử\nCăn cứ Quyết định số 512/QĐĐ-UBND ngày 12/11/2025 và Luật số "
        "55⁄2024/QHI5; Công văn số 11033/STC-CSTH.\n"
    )
    found = cited(ocr_text(text))
    # a state symbol's first code may be an office's (STC: Sở Tài chính), not a type's
    assert found == ["512/QĐ-UBND", "55/2024/QH15", "11033/STC-CSTH"]


def cited(raw) -> list[str]:
    """The symbols of the citations found in a raw document, in order."""
    cleaned = clean(raw)
    return [c.symbol for c in find_citations(cleaned, parse(cleaned))]
