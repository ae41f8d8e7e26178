"""The published document-file schema and pipeline.validate."""

from __future__ import annotations

import copy
import json

import pytest

from pipeline.models import Citation, Document, Entity, Footnote, Metadata, Repair, Section, Signer
from pipeline.validate import SCHEMA_PATH, load_schema, offset_errors, validate_document

jsonschema = pytest.importorskip("jsonschema")

TEXT = (
    "KẾ HOẠCH\n"
    "I. MỤC ĐÍCH, YÊU CẦU\n"
    "1. Thực hiện Nghị quyết số 28-NQ/TW, ngày 17/11/2022 của Ban Chấp hành Trung ương Đảng.\n"
    "Ghi chú1\n"
)


def _span(s: str) -> tuple[int, int]:
    i = TEXT.index(s)
    return i, i + len(s)


def make_document() -> Document:
    cit_s, cit_e = _span("Nghị quyết số 28-NQ/TW, ngày 17/11/2022")
    sec1_s = TEXT.index("I. MỤC")
    sub_s = TEXT.index("1. Thực")
    org_s, org_e = _span("Ban Chấp hành Trung ương Đảng")
    return Document(
        source={
            "path": "data/raw/x.txt",
            "sha256": "ab" * 32,
            "format": "text",
            "pages": 1,
            "ocr_pages": [],
            "encoding": "utf-8",
        },
        metadata=Metadata(
            doc_type="Kế hoạch",
            symbol="45-KH/HU",
            date="2024-03-15",
            place="An Phú",
            issuer="Ban Thường vụ Huyện ủy",
            title="đẩy mạnh chuyển đổi số",
            signer=Signer("Trần Minh Khoa", "PHÓ BÍ THƯ", "T/M BAN THƯỜNG VỤ"),
            recipients=["Ban Thường vụ Tỉnh ủy (để b/c)", "Lưu Văn phòng Huyện ủy"],
        ),
        text=TEXT,
        sections=[
            Section(
                "I",
                "I",
                "MỤC ĐÍCH, YÊU CẦU",
                1,
                sec1_s,
                len(TEXT),
                children=[Section("1", "I/1", None, 2, sub_s, len(TEXT))],
            )
        ],
        footnotes=[Footnote("1", "Ghi chú", TEXT.index("Ghi chú"), len(TEXT) - 1)],
        citations=[
            Citation(
                symbol="28-NQ/TW",
                doc_type="Nghị quyết",
                number="28",
                code="NQ/TW",
                date="2022-11-17",
                issuer="Ban Chấp hành Trung ương Đảng",
                term=None,
                subject=None,
                relation="thực hiện",
                section="I/1",
                start=cit_s,
                end=cit_e,
                text=TEXT[cit_s:cit_e],
                target="28-NQ/TW",
                confidence=0.9,
            )
        ],
        entities=[Entity("ORG", TEXT[org_s:org_e], org_s, org_e)],
        repairs=[Repair("dehyphenate", "28-\nNQ", "28-NQ", cit_s, cit_s)],
        warnings=["hello"],
    )


def valid() -> dict:
    return json.loads(json.dumps(make_document().to_json(), ensure_ascii=False))


def test_schema_is_a_valid_draft_2020_12_schema():
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert SCHEMA_PATH.name == "document.schema.json"


def test_hand_built_document_passes():
    assert validate_document(valid()) == []


def test_empty_document_from_models_passes():
    doc = Document(
        source={
            "path": "a.pdf",
            "sha256": "0" * 64,
            "format": "pdf",
            "pages": 2,
            "ocr_pages": [1, 2],
        },
        metadata=Metadata(),
        text="",
        sections=[],
        footnotes=[],
        citations=[],
        entities=[],
    )
    assert validate_document(doc.to_json()) == []


def test_additional_properties_are_allowed():
    doc = valid()
    doc["extra_field"] = {"anything": 1}
    doc["citations"][0]["page"] = 1
    doc["metadata"]["language"] = "vi"
    assert validate_document(doc) == []


@pytest.mark.parametrize("bad", ["17/11/2022", "2022-13-01", "2022-1-5", 20221117])
def test_bad_citation_date_fails(bad):
    doc = valid()
    doc["citations"][0]["date"] = bad
    errors = validate_document(doc)
    assert errors and all(e.startswith("citations/0/date") for e in errors)


def test_impossible_calendar_date_fails():
    doc = valid()
    doc["metadata"]["date"] = "2023-02-30"
    assert validate_document(doc) == ["metadata/date: '2023-02-30' is not a calendar date"]


@pytest.mark.parametrize(
    "where,key",
    [
        ((), "sections"),
        ((), "schema_version"),
        (("metadata",), "signer"),
        (("citations", 0), "confidence"),
        (("source",), "ocr_pages"),
        (("sections", 0, "children", 0), "path"),
    ],
)
def test_missing_contract_field_fails(where, key):
    doc = valid()
    node = doc
    for w in where:
        node = node[w]
    del node[key]
    errors = validate_document(doc)
    assert any(f"'{key}' is a required property" in e for e in errors), errors


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["source"].__setitem__("format", "html"),
        lambda d: d.__setitem__("schema_version", "2"),
        lambda d: d["metadata"].__setitem__("signer", "Trần Minh Khoa"),
        lambda d: d["metadata"].__setitem__("recipients", 2),
        lambda d: d["citations"][0].__setitem__("confidence", 1.5),
        lambda d: d["sections"][0]["children"][0].__setitem__("level", 0),
        lambda d: d["sections"][0]["children"][0].__setitem__("start", -1),
    ],
)
def test_wrong_types_and_values_fail(mutate):
    doc = valid()
    mutate(doc)
    assert validate_document(doc)


def test_offset_beyond_text_fails():
    doc = valid()
    n = len(doc["text"])
    doc["citations"][0]["end"] = n + 5
    doc["sections"][0]["children"][0]["end"] = n + 1
    errors = validate_document(doc)
    assert f"citations/0/end: offset {n + 5} outside text (0..{n})" in errors
    assert f"sections/0/children/0/end: offset {n + 1} outside text (0..{n})" in errors


def test_start_after_end_fails():
    doc = valid()
    doc["entities"][0]["start"], doc["entities"][0]["end"] = 10, 5
    doc["repairs"][0]["start"] = len(doc["text"]) + 1
    errors = offset_errors(doc)
    assert "entities/0: start 10 > end 5" in errors
    assert any(e.startswith("repairs/0/start") for e in errors)


def test_not_an_object_fails():
    assert validate_document([]) and validate_document(None)


def test_schema_does_not_mutate_between_loads():
    s = load_schema()
    s["required"].append("bogus")
    assert "bogus" not in load_schema()["required"]
    assert validate_document(copy.deepcopy(valid())) == []
