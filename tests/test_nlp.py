"""The spaCy entity pipeline: components, registration, filters, and F1 on the entity gold."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import nlp
from pipeline.evaluate import entity_scores, prf

TEXT = (
    "Tuy Phước, ngày 28 tháng 7 năm 2023\n"
    "Thực hiện Quy định số 08-QĐi/TW, ngày 25/10/2018 của Ban Chấp hành Trung ương Đảng, "
    "UBND huyện và đồng chí Nguyễn Văn An phối hợp với Phòng Văn hóa và Thông tin.\n"
    "PHÓ BÍ THƯ\nLê Ngọc Thành"
)


def test_the_pipeline_finds_citations_bodies_people_and_places():
    doc = nlp.entity_pipeline()(TEXT)
    ents = {(e.label_, e.text) for e in doc.ents}
    assert ("CITATION", "Quy định số 08-QĐi/TW") in ents  # the symbol is never split
    assert {
        ("ORG", "Ban Chấp hành Trung ương Đảng"),
        ("ORG", "UBND huyện"),
        ("ORG", "Phòng Văn hóa và Thông tin"),
    } <= ents
    assert {("PER", "Nguyễn Văn An"), ("PER", "Lê Ngọc Thành"), ("LOC", "Tuy Phước")} <= ents
    assert [s.text for s in doc.spans["citations"]] == ["Quy định số 08-QĐi/TW"]
    assert all(TEXT[e.start : e.end] == e.text for e in nlp.entities(doc))


def test_a_place_or_a_body_named_after_a_person_is_the_place_or_the_body():
    pipe = nlp.entity_pipeline()

    def ents(text):
        return {(e.label_, e.text) for e in pipe(text).ents}

    assert ents("Ủy ban nhân dân Thành phố Hồ Chí Minh ban hành.") == {
        ("ORG", "Ủy ban nhân dân Thành phố Hồ Chí Minh")
    }
    assert ents("tại TP. Hồ Chí Minh và Thành phố Hồ Chí Minh") == {("LOC", "Hồ Chí Minh")}
    assert ents("Đoàn Thanh niên Cộng sản Hồ Chí Minh tổ chức") == {
        ("ORG", "Đoàn Thanh niên Cộng sản Hồ Chí Minh")
    }
    assert ents("học tập và làm theo tư tưởng Hồ Chí Minh") == {("PER", "Hồ Chí Minh")}


def test_no_entity_runs_on_over_a_line_break():
    # a table's column of names, one a line: each line its own, never one name of them all
    doc = nlp.entity_pipeline()(
        "Phòng Hành chính - Tổng hợp\nPhòng Tài chính - Kế hoạch\n"
        "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Hà Nội\nNgoài ra, xã Tà Đùng\nXã Quảng Khê\n"
    )
    assert doc.ents and all("\n" not in e.text for e in doc.ents)


def test_abbreviations_carry_their_expansion():
    doc = nlp.entity_pipeline()("Thường trực HĐND và TCCSĐ trực thuộc.")
    expansions = {e.text: e.ent_id_ for e in doc.ents}
    assert expansions.get("TCCSĐ") == "Tổ chức cơ sở đảng"


def test_components_are_registered_with_spacy():
    # a spaCy user adds them by name, in a pipeline of their own
    code = (
        "import spacy; nlp = spacy.blank('vi'); nlp.add_pipe('vanban_citations'); "
        "nlp.add_pipe('vanban_gazetteer'); "
        "doc = nlp('Nghị quyết số 28-NQ/TW của Bộ Chính trị'); print([(e.label_, e.text) for e in "
        "doc.ents])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "('CITATION', 'Nghị quyết số 28-NQ/TW')" in out and "('ORG', 'Bộ Chính trị')" in out


def test_underthesea_ner_errors_on_directives_are_filtered():
    text = "HƯỚNG DẪN\nThực hiện Nghị quyết số 28-NQ/TW, ông Nguyễn Văn Nam làm việc tại Hà Nội."
    doc = nlp.entity_pipeline(ner=True)(text)
    ents = [(e.label_, e.text) for e in doc.ents]
    assert not any(label == "PER" and t.isupper() for label, t in ents)  # a heading is no person
    assert not any(
        label == "LOC" and ("/" in t or any(c.isdigit() for c in t)) for label, t in ents
    )
    assert ("PER", "Nguyễn Văn Nam") in ents


def test_entity_f1_on_the_gold(shared_corpus):
    from pipeline import clean, ingest

    gold_dir = Path(__file__).resolve().parents[1] / "data" / "annotated" / "entities"
    tp = n_pred = n_gold = 0
    for f in sorted(gold_dir.glob("*.json")):
        gold = json.loads(f.read_text(encoding="utf-8"))
        text = clean.clean(ingest.load(shared_corpus / "seeds" / f"{gold['document']}.txt")).text
        pred = [(e.label, e.text) for e in nlp.entities(nlp.entity_pipeline()(text))]
        s = entity_scores([(e["label"], e["text"]) for e in gold["entities"]], pred)["all"]
        tp, n_pred, n_gold = tp + s["tp"], n_pred + s["pred"], n_gold + s["gold"]
    assert prf(tp, n_pred, n_gold)[2] >= 0.95  # measured 0.969 (scripts/eval_entities.py)


def test_entity_scores_count_multisets():
    s = entity_scores(
        [("ORG", "Bộ Chính trị"), ("ORG", "Bộ Chính trị"), ("PER", "A B")],
        [("ORG", "Bộ  Chính trị"), ("LOC", "A B")],
    )
    assert s["all"]["P"] == 0.5 and s["all"]["R"] == pytest.approx(1 / 3)
    assert s["misses"] == [("ORG", "Bộ Chính trị"), ("PER", "A B")] and s["false_hits"] == [
        ("LOC", "A B")
    ]


def test_the_pipeline_leaves_no_temporary_model_file():
    code = (
        "import glob, tempfile, os; d = tempfile.gettempdir(); "
        "before = set(glob.glob(os.path.join(d, 'model*.crfsuite'))); "
        "from pipeline import nlp; nlp.entity_pipeline()('Ban Tuyên giáo Huyện ủy thực hiện Nghị "
        "quyết.'); "
        "print(len(set(glob.glob(os.path.join(d, 'model*.crfsuite'))) - before))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    ).stdout
    assert out.strip() == "0"
