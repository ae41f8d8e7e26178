"""Property-based tests (hypothesis): arbitrary Unicode through cleanup, structure and
extraction raises nothing, and every offset the stages report lies inside the text."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import raw_text
from pipeline import clean, extract, nlp, structure
from pipeline.models import iter_sections

# Pieces of real directives, so that generated text reaches the deeper branches
# (headers, numbered sections, citations, footnotes) and not only the "no structure" path.
FRAGMENTS = [
    "ĐẢNG CỘNG SẢN VIỆT NAM",
    "HUYỆN ỦY TUY PHƯỚC",
    "Số 83-KH/HU",
    "Tuy Phước, ngày 28 tháng 7 năm 2023",
    "KẾ HOẠCH",
    "NGHỊ QUYẾT",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "II.",
    "1.",
    "a)",
    "-",
    "+",
    "1",
    "2",
    "Nghị quyết số 28-NQ/TW, ngày 17/11/2022 của Ban Chấp hành Trung ương Đảng",
    "Quy định số 96-QĐ/TW",
    "số 18, 19-NQ/TW",
    "Kết luận 21-KL/TW",
    "Chỉ thị số 05-CT/TW ngày 15/5/2016",
    "Nghị quyết 28",
    "Kế hoạch này",
    "Điều lệ Đảng",
    "(khóa XIII)",
    "Nơi nhận:",
    "- Như trên,",
    "T/M BAN THƯỜNG VỤ",
    "PHÓ BÍ THƯ",
    "Nguyễn Đình Thuận",
    "Ban Tuyên giáo Tỉnh ủy",
    "(để báo cáo)",
    "¹",
    "²",
    "1/",
    "Trang 2",
    "| a | b |",
    "**",
    "#",
    "QD/TW",
    "NQ/T W",
    "H",
    "ll",
    "…",
    "\u00a0",
    "\t",
    "  ",
]
pieces = st.one_of(
    st.sampled_from(FRAGMENTS), st.text(max_size=12), st.sampled_from(["\n", "\n\n", " ", ". "])
)
texts = st.one_of(st.text(), st.lists(pieces, max_size=60).map("".join))


def _inside(start, end, n):
    return 0 <= start <= end <= n


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_stages_never_raise_and_offsets_stay_inside_the_text(text):
    cleaned = clean.clean(raw_text(text))
    n = len(cleaned.text)
    for f in cleaned.footnotes:
        assert _inside(f.start, f.end, n)
        assert f.ref is None or 0 <= f.ref <= n
    for r in cleaned.repairs:
        assert 0 <= r.start <= n
    for offset in (0, n // 2, n):
        assert 0 <= cleaned.source_offset(offset) <= len(text)

    parsed = structure.parse(cleaned)
    assert 0 <= parsed.body_start <= n and 0 <= parsed.body_end <= n
    for s in iter_sections(parsed.sections):
        assert _inside(s.start, s.end, n), s

    citations = extract.find_citations(cleaned, parsed)
    entities = nlp.find_entities(cleaned.text, citations)
    references = extract.find_references(cleaned, parsed, citations)
    for span in [*citations, *entities, *references]:
        assert _inside(span.start, span.end, n), span
        assert cleaned.text[span.start : span.end] == span.text, span
