import networkx as nx

from conftest import graph_of
from pipeline.graph import build_graph, to_node_link
from pipeline.models import Document
from pipeline.symbols import key as symbol_key
from pipeline.symbols import numbered_nationally


def _doc(symbol=None, date=None, citations=(), doc_type="Kế hoạch"):
    return {
        "metadata": {"symbol": symbol, "date": date, "doc_type": doc_type},
        "citations": [
            dict(symbol=s, date=d, doc_type=t, code=s.split("-", 1)[-1], issuer=None)
            for s, d, t in citations
        ],
    }


def test_a_node_is_of_the_catalogues_kind_its_mentions_type_words_start_with():
    # a mention writes the type words before the number ("Giấy phép khai thác khoáng sản số"):
    # the document is a Giấy phép, as a filter by type asks
    docs = {
        "a": _doc(
            citations=[
                ("1525/GP-UBND", "2019-11-22", "Giấy phép khai thác khoáng sản"),
                ("115/BC-BPC", "2025-11-22", "Báo cáo thẩm tra"),
                ("58-CTr/TU", "2021-01-01", "Chương trình hành động"),
            ]
        )
    }
    g = graph_of(docs)
    assert [g.nodes[n]["doc_type"] for n in ("1525/GP-UBND@2019", "115/BC-BPC@2025")] == [
        "Giấy phép",
        "Báo cáo",
    ]
    assert g.nodes["58-CTr/TU@2021"]["doc_type"] == "Chương trình hành động"  # (a type itself)


def test_a_node_no_mention_names_the_issuer_of_takes_the_body_its_code_names():
    docs = {
        "a": _doc(
            citations=[
                ("72/2025/QH15", "2025-06-16", "Luật"),
                ("30/2020/NĐ-CP", "2020-03-05", "Nghị định"),
                ("24/KH-UBND", "2024-01-02", "Kế hoạch"),  # an UBND of which province?
            ]
        )
    }
    g = graph_of(docs)
    assert g.nodes["72/2025/QH15@2025"]["issuer"] == "Quốc hội"
    assert g.nodes["30/2020/NĐ-CP@2020"]["issuer"] == "Chính phủ"
    assert "issuer" not in g.nodes["24/KH-UBND@2024"]


def test_same_number_different_years_stay_apart_and_undated_joins_when_unambiguous():
    docs = {
        "a": _doc(
            citations=[
                ("101-QĐ/TW", "2012-06-07", "Quy định"),
                ("101-QĐ/TW", "2023-02-28", "Quy định"),
                ("28-NQ/TW", "2022-11-17", "Nghị quyết"),
                ("28-NQ/TW", None, "Nghị quyết"),
            ]
        ),
        "b": _doc(
            symbol="83-KH/HU",
            date="2023-07-28",
            citations=[("28-NQ/TW", None, "Nghị quyết"), ("101-QĐ/TW", None, "Quy định")],
        ),
    }
    g = graph_of(docs)
    assert "101-QĐ/TW@2012" in g and "101-QĐ/TW@2023" in g
    # undated and ambiguous: not forced onto either year, and the node says so
    assert "101-QĐ/TW" in g
    assert g.nodes["101-QĐ/TW"]["conflicts"] == [
        "year unknown: 101-QĐ/TW is known in 2012, 2023; these mentions give no date"
    ]
    assert not g.nodes["28-NQ/TW@2022"].get("conflicts")
    assert g.edges["doc:a", "28-NQ/TW@2022"]["count"] == 2
    assert g.has_edge("83-KH/HU@2023", "28-NQ/TW@2022")
    assert g.nodes["83-KH/HU@2023"]["in_corpus"] is True
    assert g.nodes["28-NQ/TW@2022"]["in_corpus"] is False
    assert docs["b"]["citations"][0]["target"] == "28-NQ/TW@2022"


def test_conflicting_dates_are_flagged_and_graph_round_trips():
    docs = {
        "x": _doc(
            citations=[
                ("21-KL/TW", "2021-10-25", "Kết luận"),
                ("21-KL/TW", "2021-11-25", "Kết luận"),
            ]
        )
    }
    g = graph_of(docs)
    node = g.nodes["21-KL/TW@2021"]
    assert node["dates"] == ["2021-10-25", "2021-11-25"] and node["conflicts"]
    g2 = nx.node_link_graph(to_node_link(g))
    assert set(g2.nodes) == set(g.nodes) and g2.is_directed()


def test_a_conflict_names_which_document_gives_which_date():
    kl = lambda date: ("21-KL/TW", date, "Kết luận")  # noqa: E731
    docs = {
        "x": _doc(citations=[kl("2021-10-25")]),
        "y": _doc(citations=[kl("2021-11-25")]),
        "z": _doc(citations=[kl("2021-11-25"), kl("2021-11-25")]),
        # a corpus document's own header disagreeing with a citation of it is a conflict too
        "p": _doc("7-KH/HU", "2023-02-01"),
        "q": _doc(citations=[("7-KH/HU", "2023-02-10", "Kế hoạch")]),
    }
    g = graph_of(docs)
    node = g.nodes["21-KL/TW@2021"]
    assert node["date_sources"] == {"2021-10-25": ["doc:x"], "2021-11-25": ["doc:y", "doc:z"]}
    assert node["conflicts"] == ["dates disagree: 2021-10-25 (doc:x); 2021-11-25 (doc:y, doc:z)"]
    assert node["date"] == "2021-11-25"  # the reading of most documents, though doc:x came first
    plan = g.nodes["7-KH/HU@2023"]
    assert plan["date_sources"] == {"2023-02-01": ["its own header"], "2023-02-10": ["doc:q"]}
    assert plan["date"] == "2023-02-01"
    assert "date_sources" not in g.nodes["doc:x"]


def test_corpus_documents_sharing_a_local_number_stay_apart():
    def plan(date, place, title="đẩy mạnh chuyển đổi số"):
        doc = _doc("45-KH/HU", date)
        doc["metadata"].update(place=place, title=title)
        return doc

    def citing(place, date=None):
        doc = _doc(citations=[("45-KH/HU", date, "Kế hoạch")], doc_type="Hướng dẫn")
        doc["metadata"]["place"] = place
        return doc

    docs = {
        "an_phu": plan("2020-03-05", "An Phú"),
        "tuy_phuoc": plan("2020-07-12", "Tuy Phước"),
        "by_date": citing(None, "2020-07-12"),
        "by_place": citing("An Phú"),
        "unsure": citing(None),
        "other_dates": citing(None, "2020-09-01"),
        "another": citing(None, "2020-09-02"),
        # two headers of one central number: a misread date, not two documents
        "nq_a": _doc("28-NQ/TW", "2022-11-17", doc_type="Nghị quyết"),
        "nq_b": _doc("28-NQ/TW", "2022-11-18", doc_type="Nghị quyết"),
        # the An Phú plan again, its scan's date misread: one document, not a third
        "an_phu_scan": plan("2020-03-08", "An Phú", "đẩy mạnh chuyển đồi số"),
        # Tuy Phước's other plan with that number the same year (another title): apart
        "tuy_phuoc_2": plan("2020-11-02", "Tuy Phước", "tuyên truyền kỷ niệm ngày thành lập Đảng"),
    }
    g = graph_of(docs)
    assert {n for n in g if n.startswith("45-")} == {
        "45-KH/HU@2020-03-05",
        "45-KH/HU@2020-07-12",
        "45-KH/HU@2020-11-02",
        "45-KH/HU@2020",
    }
    assert g.nodes["45-KH/HU@2020-03-05"]["outputs"] == ["an_phu", "an_phu_scan"]
    assert g.nodes["45-KH/HU@2020-03-05"]["conflicts"]  # its two header dates disagree
    assert (
        g.nodes["45-KH/HU@2020-03-05"]["in_corpus"] and g.nodes["45-KH/HU@2020-07-12"]["in_corpus"]
    )
    assert g.nodes["45-KH/HU@2020-07-12"]["year"] == "2020"
    assert docs["by_date"]["citations"][0]["target"] == "45-KH/HU@2020-07-12"
    # a district cites its own plan
    assert docs["by_place"]["citations"][0]["target"] == "45-KH/HU@2020-03-05"
    assert docs["unsure"]["citations"][0]["target"] == "45-KH/HU@2020"
    unsure = g.nodes["45-KH/HU@2020"]
    # a date of neither document
    assert docs["other_dates"]["citations"][0]["target"] == "45-KH/HU@2020"
    assert [n.split(":")[0] for n in unsure["conflicts"]] == ["number shared", "dates disagree"]
    assert (
        "by 3 documents" in unsure["conflicts"][0]
        and "2020-09-01 (doc:other_dates)" in unsure["conflicts"][1]
    )
    assert (
        g.nodes["28-NQ/TW@2022"]["outputs"] == ["nq_a", "nq_b"]
        and g.nodes["28-NQ/TW@2022"]["conflicts"]
    )
    from pipeline import query

    assert len(query.resolve(g, "45-KH/HU")) == 4 and query.resolve(g, "45-KH/HU@2020-03-05") == [
        "45-KH/HU@2020-03-05"
    ]


def test_copies_of_one_document_are_one_node_and_count_their_mentions_once():
    body = (
        "Thực hiện Nghị quyết số 28-NQ/TW, ngày 17/11/2022 của Ban Chấp hành Trung ương Đảng, Ban "
        "Thường vụ "
        "Huyện ủy xây dựng Kế hoạch thực hiện như sau: I. MỤC ĐÍCH, YÊU CẦU 1. Quán triệt sâu sắc "
        "nội dung. "
    )
    other = (
        "Căn cứ Kế hoạch số 12-KH/TW của Bộ Chính trị, Ban Thường vụ Huyện ủy ban hành Kế hoạch tổ "
        "chức các "
        "hoạt động tuyên truyền, kỷ niệm và thi đua lập thành tích chào mừng như sau: I. MỤC ĐÍCH. "
    )

    def plan(title, cited, text, symbol=None, date=None):
        doc = _doc(symbol, date, [(s, "2022-11-17", "Nghị quyết") for s in cited])
        doc["metadata"].update(title=title, issuer="Ban Thường vụ Huyện ủy")
        doc["text"] = text
        return doc

    nq, title = (
        ["28-NQ/TW", "12-KH/TW", "18-NQ/TW"],
        "thực hiện Nghị quyết số 28-NQ/TW về đổi mới phương thức lãnh đạo",
    )
    docs = {
        "k_txt": plan(title, nq, body * 3),
        "k_pdf": plan(title, nq + ["21-KL/TW"], body * 3),
        # its scan: OCR damage in the title and the text, two mentions lost
        "k_scan": plan(title.replace("đổi", "đồi"), nq[:2], (body * 3).replace("Quán", "Quản")),
        # the same district's other plans: another subject; another year; the same title, other
        # words
        "other": plan("tuyên truyền kỷ niệm 95 năm ngày thành lập Đảng", nq, other * 3),
        "y2023": plan("tuyên truyền kỷ niệm ngày thành lập Đảng năm 2023", nq, other * 3),
        "y2024": plan("tuyên truyền kỷ niệm ngày thành lập Đảng năm 2024", nq, other * 3),
        "again": plan(title, ["5-CT/TW"], other * 3),
        "p1": plan("đẩy mạnh chuyển đổi số", nq, body, "45-KH/HU", "2024-03-15"),
        "p2": plan("đẩy mạnh chuyển đổi số", nq, body, "45-KH/HU", "2024-03-15"),
    }
    g = graph_of(docs)
    corpus = {n: sorted(a["outputs"]) for n, a in g.nodes(data=True) if a.get("in_corpus")}
    assert corpus == {
        "doc:k_pdf": ["k_pdf", "k_scan", "k_txt"],
        "doc:other": ["other"],
        "doc:again": ["again"],
        "doc:y2023": ["y2023"],
        "doc:y2024": ["y2024"],
        "45-KH/HU@2024": ["p1", "p2"],
    }
    # the fullest copy's mentions (the PDF found one more), each once
    assert {t: e["count"] for t, e in g.adj["doc:k_pdf"].items()} == {
        "28-NQ/TW@2022": 1,
        "12-KH/TW@2022": 1,
        "18-NQ/TW@2022": 1,
        "21-KL/TW@2022": 1,
    }
    # once a citing document
    assert g.nodes["28-NQ/TW@2022"]["mentions"] == 5 and g.in_degree("28-NQ/TW@2022") == 5
    # every copy's mentions point somewhere
    assert all(c["target"] for d in docs.values() for c in d["citations"])
    # the openings compared are kept by pair (graphfacts.OpeningsCompared), and a kept
    # answer is taken as it is, not worked out again
    documents = {name: Document.from_json(doc) for name, doc in docs.items()}
    compared = {}
    assert set(build_graph(documents, compared=compared).nodes.values()) >= set(corpus)
    assert compared[("k_scan", "k_pdf")] and compared[("k_txt", "k_pdf")]
    assert ("y2024", "y2023") not in compared  # titles of other numbers: texts not compared
    compared[("k_txt", "k_pdf")] = False
    nodes = build_graph(documents, compared=compared).nodes
    assert nodes["k_txt"] == "doc:k_txt" and nodes["k_scan"] == "doc:k_pdf"


def test_two_districts_give_one_number_on_one_day():
    def plan(place, title, citations=()):
        doc = _doc("12-KH/HU", "2023-04-10", citations)
        doc["metadata"].update(place=place, title=title)
        return doc

    docs = {
        "a": plan("An Phú", "tuyên truyền chuyển đổi số"),
        "b": plan("Tuy Phước", "công tác dân vận"),
        "a_scan": plan("An Phủ", "tuyên truyền chuyển đổi số"),  # a copy, its place misread
        "c": _doc(citations=[("12-KH/HU", "2023-04-10", "Kế hoạch")]),
    }
    docs["c"]["metadata"]["place"] = "Tuy Phước"
    g = graph_of(docs)
    corpus = {
        n: sorted(a["outputs"])
        for n, a in g.nodes(data=True)
        if a.get("in_corpus") and n.startswith("12-")
    }
    assert corpus == {
        "12-KH/HU@2023-04-10@An Phú": ["a", "a_scan"],
        "12-KH/HU@2023-04-10@Tuy Phước": ["b"],
    }
    # the date is both's: the place tells
    assert docs["c"]["citations"][0]["target"] == "12-KH/HU@2023-04-10@Tuy Phước"


def test_numbered_nationally():
    assert all(map(numbered_nationally, ["28-NQ/TW", "30/2020/NĐ-CP", "12/QĐ-TTg"]))
    assert not any(
        map(numbered_nationally, ["45-KH/HU", "58-CTr/TU", "86-HD/BTGTU", "24/KH-UBND", "3-KH/ĐU"])
    )


def test_an_undated_mention_joins_the_only_year_its_term_or_its_citer_allows():
    def qd(date, term=None):
        return dict(symbol="101-QĐ/TW", date=date, doc_type="Quy định", code="QĐ/TW", term=term)

    docs = {
        "dated": {"metadata": {}, "citations": [qd("2012-06-07"), qd("2023-02-28")]},
        "by_term": {"metadata": {}, "citations": [qd(None, "XI")]},
        "by_own_date": {
            "metadata": {"symbol": "9-KH/HU", "date": "2020-05-04"},
            "citations": [qd(None)],
        },
        "unsure": {"metadata": {}, "citations": [qd(None)]},
        "term_of_both": {"metadata": {}, "citations": [qd(None, "XIII")]},
        # a number known in one year only: joined, whatever term an OCR'd mention names
        "ct": {
            "metadata": {},
            "citations": [
                dict(qd("2019-05-10"), symbol="5-CT/TW"),
                dict(qd(None, "XI"), symbol="5-CT/TW"),
            ],
        },
    }
    graph_of(docs)
    target = lambda name: docs[name]["citations"][0]["target"]  # noqa: E731
    assert target("by_term") == "101-QĐ/TW@2012"  # khóa XI: 2011-2016
    assert target("by_own_date") == "101-QĐ/TW@2012"  # a plan of 2020 cites no Quy định of 2023
    assert target("unsure") == "101-QĐ/TW" and target("term_of_both") == "101-QĐ/TW@2023"
    assert docs["ct"]["citations"][1]["target"] == "5-CT/TW@2019"


def test_symbol_key_drops_leading_zeros_and_spaces():
    assert symbol_key("08-QĐi/TW") == "8-QĐi/TW"
    assert symbol_key("58- CTr/TU") == "58-CTr/TU"


def test_link_needs_type_level_issuer_and_subject():
    from pipeline.graph import link_score
    from pipeline.models import Document

    doc = {
        "metadata": {
            "doc_type": "Chương trình hành động",
            "issuer": "Ban Chấp hành Đảng bộ tỉnh",
            "date": None,
        },
        "citations": [{"symbol": "28-NQ/TW"}],
    }
    node = {
        "doc_type": "Chương trình hành động",
        "level": "TU",
        "issuer": "Ban Chấp hành Đảng bộ tỉnh",
        "subject": "về thực hiện Nghị quyết số 28-NQ/TW, ngày 17/11/2022",
    }
    doc = Document.from_json(doc)
    score, evidence = link_score(doc, node)
    assert score == 1.0 and len(evidence) == 4
    assert link_score(doc, {**node, "subject": "về thực hiện Chương trình số 58-CTr/TU"})[0] < 0.8
    assert link_score(doc, {**node, "doc_type": "Kế hoạch"})[0] == 0.0
    assert link_score(doc, {**node, "level": "HU"})[0] == 0.0


def test_seed_corpus_graph(shared_corpus, tmp_path):
    import json

    from pipeline.batch import run_batch

    run_batch([shared_corpus / "seeds"], tmp_path, jobs=1)
    g = nx.node_link_graph(json.loads((tmp_path / "graph.json").read_text(encoding="utf-8")))
    assert {"101-QĐ/TW@2012", "101-QĐ/TW@2023"} <= set(g)

    kl = g.nodes["21-KL/TW@2021"]  # one node, its two readings and who gives them
    assert kl["conflicts"] and kl["date_sources"]["2021-11-25"] == ["doc:001_b599351afc1a319a"]
    assert set(kl["date_sources"]["2021-10-25"]) == {"doc:001_b599351afc1a319a", "83-KH/HU@2023"}
    corpus = {n for n, a in g.nodes(data=True) if a.get("in_corpus")}
    assert len(corpus) == 4 and set(g.predecessors("28-NQ/TW@2022")) == corpus
    links = {n: a["same_as"] for n, a in g.nodes(data=True) if a.get("same_as")}
    # and no false link among the seeds
    assert links == {"doc:001_b599351afc1a319a": "58-CTr/TU@2023"}
    assert g.nodes["doc:001_b599351afc1a319a"]["same_as_evidence"]
    assert all(
        m["sentence"] and m["text"] in m["sentence"]
        for *_, e in g.edges(data=True)
        for m in e["mentions"]
    )

    from pipeline import query

    # the implementation chain: NQ 28 -> the province's programme (seed 001 is 58-CTr/TU) -> seed
    # 000
    rows = {r["id"]: r for r in query.chain(g, query.resolve(g, "NQ 28")[0])}
    assert rows["58-CTr/TU@2023"]["same_as"] == "doc:001_b599351afc1a319a"
    assert rows["doc:000_a97d896f1598f293"]["parent"] == "58-CTr/TU@2023"
    assert rows["doc:000_a97d896f1598f293"]["level"] == "HU"
    assert {n for n, r in rows.items() if r["parent"] == "28-NQ/TW@2022"} == {
        "58-CTr/TU@2023",
        "83-KH/HU@2023",
        "doc:004_a41ca46978a6bc45",
    }


def test_nodes_carry_number_code_year_and_level_state_included():
    docs = {
        "a": {
            "metadata": {"symbol": "12-KH/HU", "date": "2023-05-02", "doc_type": "Kế hoạch"},
            "citations": [
                {"symbol": "30/2020/NĐ-CP", "doc_type": "Nghị định", "code": "2020/NĐ-CP"},
                {
                    "symbol": "08-QĐi/TW",
                    "date": "2018-10-25",
                    "doc_type": "Quy định",
                    "code": "QĐi/TW",
                },
            ],
        },
        "b": {
            "metadata": {"doc_type": "Kế hoạch", "issuer": "Ban Thường vụ Tỉnh ủy"},
            "citations": [],
        },
    }
    g = graph_of(docs)
    state = g.nodes["30/2020/NĐ-CP@2020"]  # undated: its number gives the year
    assert (state["number"], state["code"], state["year"], state["level"]) == (
        "30",
        "NĐ-CP",
        "2020",
        "state",
    )
    party = g.nodes["8-QĐi/TW@2018"]
    assert (party["number"], party["code"], party["year"], party["level"]) == (
        "8",
        "QĐi/TW",
        "2018",
        "TW",
    )
    own = g.nodes["12-KH/HU@2023"]
    assert (own["number"], own["code"], own["year"], own["level"]) == ("12", "KH/HU", "2023", "HU")
    assert g.nodes["doc:b"]["level"] == "TU"  # no code: the issuer's name gives the level
    assert all(0 < g.nodes[n]["pagerank"] < 1 for n in g)


def test_each_mention_keeps_its_sentence():
    from pipeline.graphfacts import sentence_at

    text = (
        "I. MỤC ĐÍCH\nCăn cứ Điều lệ Đảng. Thực hiện Nghị quyết số 28-NQ/TW ngày 17/11/2022; Kết "
        "luận khác.\n"
    )
    start = text.index("Nghị quyết")
    docs = {
        "a": {
            "metadata": {"doc_type": "Kế hoạch"},
            "text": text,
            "citations": [
                {
                    "symbol": "28-NQ/TW",
                    "date": "2022-11-17",
                    "start": start,
                    "end": start + 22,
                    "text": text[start : start + 22],
                    "relation": "thực hiện",
                    "section": "I",
                }
            ],
        }
    }
    g = graph_of(docs)
    (mention,) = g.edges["doc:a", "28-NQ/TW@2022"]["mentions"]
    assert mention["sentence"] == "Thực hiện Nghị quyết số 28-NQ/TW ngày 17/11/2022;"
    assert mention["relation"] == "thực hiện" and mention["section"] == "I"
    long = "x " * 300 + text[start : start + 22] + " y" * 300
    s = sentence_at(long, 600, 622)
    assert len(s) <= 302 and "28-NQ/TW" in s and s.startswith("…") and s.endswith("…")
    assert sentence_at(None, 0, 1) is None


def test_link_needs_a_candidate_about_what_the_document_cites():
    ctr = {
        "symbol": "58-CTr/TU",
        "date": "2023-03-30",
        "doc_type": "Chương trình hành động",
        "code": "CTr/TU",
        "issuer": "Ban Chấp hành Đảng bộ tỉnh",
        "subject": "về thực hiện Nghị quyết số 28-NQ/TW",
    }
    nq = {"symbol": "28-NQ/TW", "doc_type": "Nghị quyết", "code": "NQ/TW"}
    program = {
        "metadata": {"doc_type": "Chương trình hành động", "issuer": "Ban Chấp hành Đảng bộ tỉnh"},
        "citations": [nq],
    }
    g = graph_of(
        {
            "plan": {"metadata": {"symbol": "1-KH/HU", "doc_type": "Kế hoạch"}, "citations": [ctr]},
            "program": program,
        }
    )
    assert g.nodes["doc:program"]["same_as"] == "58-CTr/TU@2023"
    assert g.nodes["58-CTr/TU@2023"]["described_by"] == ["doc:program"]
    # the same programme citing something else is not the one about 28-NQ/TW
    other = {**program, "citations": [{**nq, "symbol": "19-NQ/TW"}]}
    g = graph_of(
        {
            "plan": {"metadata": {"symbol": "1-KH/HU", "doc_type": "Kế hoạch"}, "citations": [ctr]},
            "program": other,
        }
    )
    assert "same_as" not in g.nodes["doc:program"]


def test_the_graph_told_to_made_and_the_fields_set_last_are_the_graph_built():
    """``build_graph`` tells ``made`` the graph before it sets the fields of ``SET_LAST``
    (graph.index's process starts on it then): that graph given ``last_set`` of the one built
    is the one built, same_as links and PageRank included."""
    import copy

    from pipeline.graph import last_set, set_last

    ctr = {"symbol": "58-CTr/TU", "date": "2023-03-30", "doc_type": "Chương trình hành động"}
    ctr.update(code="CTr/TU", issuer="Ban Chấp hành Đảng bộ tỉnh")
    ctr["subject"] = "về thực hiện Nghị quyết số 28-NQ/TW"
    nq = {"symbol": "28-NQ/TW", "doc_type": "Nghị quyết", "code": "NQ/TW"}
    meta = {"doc_type": "Chương trình hành động", "issuer": "Ban Chấp hành Đảng bộ tỉnh"}
    documents = {
        "plan": {"metadata": {"symbol": "1-KH/HU", "doc_type": "Kế hoạch"}, "citations": [ctr]},
        "program": {"metadata": meta, "citations": [nq]},
        "other": _doc("2-KH/HU", "2024-01-02", [("28-NQ/TW", "2022-11-09", "Nghị quyết")]),
    }
    told = []
    docs = {name: Document.from_json(doc) for name, doc in documents.items()}
    built = build_graph(docs, made=lambda g: told.append(copy.deepcopy(g))).graph
    assert built.nodes["doc:program"]["same_as"] == "58-CTr/TU@2023"
    (early,) = told
    assert not any(k in a for a in early._node.values() for k in ("same_as", "pagerank"))
    set_last(early, last_set(built))
    assert list(early.nodes(data=True)) == list(built.nodes(data=True))
    assert list(early.edges(data=True)) == list(built.edges(data=True))


def test_adding_a_document_updates_the_graph_without_redoing_the_others(shared_corpus, tmp_path):
    import json
    import shutil

    from pipeline.batch import run_batch

    inputs = tmp_path / "in"
    inputs.mkdir()
    seeds = sorted((shared_corpus / "seeds").glob("*.txt"))
    for p in seeds[:-1]:
        shutil.copy(p, inputs)
    out = tmp_path / "out"
    run_batch([inputs], out, jobs=1)
    before = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    first = {
        e["output"]: e
        for e in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["inputs"]
    }
    earlier = [p.stem for p in seeds[:-1]]

    shutil.copy(seeds[-1], inputs)
    result = run_batch([inputs], out, jobs=1)
    # the earlier documents were not processed again: their entries keep the first run's timings
    assert {e.output: e.seconds for e in result.entries if e.output in earlier} == {
        name: first[name]["seconds"] for name in earlier
    }
    reused = {e.output: e.reused for e in result.entries}
    assert reused == {**{name: True for name in earlier}, seeds[-1].stem: False}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sum(e["reused"] for e in manifest["inputs"]) == len(earlier)
    g = nx.node_link_graph(json.loads((out / "graph.json").read_text(encoding="utf-8")))
    new = next(n for n, a in g.nodes(data=True) if a.get("outputs") == [seeds[-1].stem])
    assert new not in {n["id"] for n in before["nodes"]} and g.out_degree(new) > 0
    assert g.number_of_nodes() > len(before["nodes"])
    assert len({n for n, a in g.nodes(data=True) if a.get("in_corpus")}) == len(seeds)


def test_labels_name_a_document_as_a_reader_does_never_by_its_file():
    from pipeline.graph import label

    assert (
        label("28-NQ/TW@2022", {"symbol": "28-NQ/TW", "doc_type": "Nghị quyết", "year": "2022"})
        == "Nghị quyết 28-NQ/TW (2022)"
    )
    assert label("7-QĐ/TU", {"symbol": "7-QĐ/TU"}) == "7-QĐ/TU"  # no type, no year known
    # two district plans sharing a number and a year: the date tells them apart
    shared = {"symbol": "12-KH/HU", "doc_type": "Kế hoạch", "year": "2023"}
    assert label("12-KH/HU@2023-05-01", shared) == "Kế hoạch 12-KH/HU (2023-05-01)"
    # a corpus document without a number: its type and title (capitals in sentence case, long
    # titles cut at a word), or else its issuer and date
    doc = {"doc_type": "Quyết định", "title": "BAN HÀNH QUY CHẾ QUẢN LÝ", "issuer": "UBND tỉnh"}
    assert label("doc:001_b599351afc1a319a", doc) == "Quyết định: Ban hành quy chế quản lý"
    long = label("doc:x", {"doc_type": "Kế hoạch", "title": "thực hiện " * 20})
    assert long.endswith("…") and len(long) <= len("Kế hoạch: ") + 80
    assert long[:-1].split()[-1] in ("thực", "hiện")
    bare = {"doc_type": "Kế hoạch", "issuer": "Ban Thường vụ Huyện ủy", "date": "2023-06-22"}
    assert label("doc:a1b2", bare) == "Kế hoạch, Ban Thường vụ Huyện ủy, 2023-06-22"
    assert label("doc:a1b2", {}) == "Văn bản"


def _local(place=None, issuer=None, date="2024-05-10", citations=(), symbol=None):
    doc = _doc(symbol, date, citations, doc_type="Kế hoạch")
    doc["metadata"].update(place=place, issuer=issuer)
    return doc


def test_local_numbers_of_two_provinces_are_two_documents():
    kh = [("45-KH/TU", "2024-02-01", "Kế hoạch"), ("28-NQ/TW", "2022-11-17", "Nghị quyết")]
    docs = {
        # districts of two provinces: Tuy Phước is Bình Định's, An Phú An Giang's
        "tuy_phuoc": _local("Tuy Phước", "Ban Thường vụ Huyện ủy", citations=kh),
        "an_phu": _local("An Phú", "Ban Thường vụ Huyện ủy", citations=kh),
        # another district of Bình Định, by its issuer alone: the same province's plan
        "quy_nhon": _local(None, "Ban Thường vụ Thành ủy Quy Nhơn", citations=kh),
        # the Tỉnh ủy's plan itself: it joins the node of its province
        "plan": _local("Bình Định", "Tỉnh ủy Bình Định", "2024-02-01", symbol="45-KH/TU"),
        # no province to be read ("Châu Thành" is ten provinces' district): not guessed
        "unsure": _local("Châu Thành", "Ban Thường vụ Huyện ủy", citations=kh),
        # a central body cites a province's UBND plan, which the mention names
        "ministry": _local(
            "Hà Nội",
            "Bộ Nội vụ",
            symbol="10/BNV-TCBC",
            citations=[("24/KH-UBND", "2024-01-05", "Kế hoạch")],
        ),
        "bac_ninh": _local(
            "Bắc Ninh",
            "Ủy ban nhân dân tỉnh Bắc Ninh",
            citations=[("24/KH-UBND", "2024-01-05", "Kế hoạch")],
        ),
    }
    docs["ministry"]["citations"][0]["issuer"] = "Ủy ban nhân dân tỉnh Hà Nam"
    g = graph_of(docs)
    assert {n for n in g if n.startswith("45-")} == {
        "45-KH/TU@2024@Bình Định",
        "45-KH/TU@2024@An Giang",
        "45-KH/TU@2024",
    }
    binh_dinh = g.nodes["45-KH/TU@2024@Bình Định"]
    assert binh_dinh["in_corpus"] and binh_dinh["outputs"] == ["plan"]
    assert binh_dinh["province"] == "Bình Định" and binh_dinh["year"] == "2024"
    assert set(g.predecessors("45-KH/TU@2024@Bình Định")) == {"doc:tuy_phuoc", "doc:quy_nhon"}
    assert list(g.predecessors("45-KH/TU@2024@An Giang")) == ["doc:an_phu"]
    assert docs["unsure"]["citations"][0]["target"] == "45-KH/TU@2024"
    assert g.nodes["45-KH/TU@2024"]["conflicts"] == [
        "province unknown: 45-KH/TU@2024 is given in An Giang, Bình Định; "
        "these mentions' documents name no province"
    ]
    # central numbers keep their ids
    assert g.in_degree("28-NQ/TW@2022") == 4
    # the mention's own issuer says whose: Hà Nam's, not the ministry's place
    assert {n for n in g if n.startswith("24/")} == {
        "24/KH-UBND@2024@Hà Nam",
        "24/KH-UBND@2024@Bắc Ninh",
    }
    from pipeline.graph import label

    assert label("45-KH/TU@2024@An Giang", g.nodes["45-KH/TU@2024@An Giang"]) == (
        "Kế hoạch 45-KH/TU (2024, An Giang)"
    )
    # the tables carry the province
    import pyarrow as pa

    from pipeline.tables import SCHEMAS, _node_row

    rows = [_node_row(n, a, None) for n, a in g.nodes(data=True) if n.startswith("45-")]
    table = pa.Table.from_pylist(rows, schema=SCHEMAS["nodes"])
    assert sorted(table.column("province").to_pylist(), key=str) == ["An Giang", "Bình Định", None]


def test_a_local_number_given_in_one_province_keeps_its_id():
    kh = [("45-KH/TU", "2024-02-01", "Kế hoạch")]
    docs = {
        "tuy_phuoc": _local("Tuy Phước", "Ban Thường vụ Huyện ủy", citations=kh),
        "quy_nhon": _local(None, "Thành ủy Quy Nhơn", citations=kh),
        "unsure": _local(None, "Ban Thường vụ Huyện ủy", citations=kh),
        "plan": _local("Bình Định", "Tỉnh ủy Bình Định", "2024-02-01", symbol="45-KH/TU"),
    }
    g = graph_of(docs)
    assert {n for n in g if n.startswith("45-")} == {"45-KH/TU@2024"}
    assert g.in_degree("45-KH/TU@2024") == 3 and g.nodes["45-KH/TU@2024"]["in_corpus"]
    assert not g.nodes["45-KH/TU@2024"].get("conflicts")


def test_provinces_merged_in_2025_were_two_before_and_are_one_after():
    def cite(date):
        return [("45-KH/TU", date, "Kế hoạch")]

    docs = {
        # before the merger Bình Định and Gia Lai number apart
        "binh_dinh": _local("Quy Nhơn", "Tỉnh ủy Bình Định", "2024-05-10", cite("2024-02-01")),
        "gia_lai": _local("Gia Lai", "Tỉnh ủy Gia Lai", "2024-05-10", cite("2024-02-01")),
        # the merged Gia Lai's document cites a 2024 plan: the old Gia Lai's or Bình Định's?
        "gia_lai_new": _local("Gia Lai", "Tỉnh ủy Gia Lai", "2025-09-10", cite("2024-02-01")),
        # after the merger the new Tỉnh ủy numbers anew, apart from the old one's 2025 plans
        "after": _local("Gia Lai", "Tỉnh ủy Gia Lai", "2025-10-01", cite("2025-08-20")),
        "before": _local("Gia Lai", "Tỉnh ủy Gia Lai", "2025-03-01", cite("2025-02-20")),
        # a province the reorganisation left whole is one across it
        "ha_tinh": _local("Hà Tĩnh", "Tỉnh ủy Hà Tĩnh", "2025-10-01", cite("2025-08-20")),
        "ha_tinh_old": _local("Hà Tĩnh", "Tỉnh ủy Hà Tĩnh", "2024-10-01", cite("2024-02-01")),
    }
    graph_of(docs)
    targets = {name: doc["citations"][0]["target"] for name, doc in docs.items()}
    assert targets == {
        "binh_dinh": "45-KH/TU@2024@Bình Định",
        "gia_lai": "45-KH/TU@2024@Gia Lai",
        "gia_lai_new": "45-KH/TU@2024",
        "after": "45-KH/TU@2025@Gia Lai (2025)",
        "before": "45-KH/TU@2025@Gia Lai",
        "ha_tinh": "45-KH/TU@2025@Hà Tĩnh",
        "ha_tinh_old": "45-KH/TU@2024@Hà Tĩnh",
    }


def test_a_mention_goes_to_the_corpus_document_of_its_province():
    kh = [("45-KH/TU", None, "Kế hoạch")]
    docs = {
        # two provinces' plans in the corpus, one number and year: two documents by their dates
        "binh_dinh": _local("Bình Định", "Tỉnh ủy Bình Định", "2024-02-01", symbol="45-KH/TU"),
        "an_giang": _local("An Giang", "Tỉnh ủy An Giang", "2024-06-11", symbol="45-KH/TU"),
        # an undated mention in a Bình Định district: neither date nor place names one, the
        # province does
        "tuy_phuoc": _local("Tuy Phước", "Ban Thường vụ Huyện ủy", "2024-09-01", citations=kh),
        "unsure": _local(None, "Ban Thường vụ Huyện ủy", "2024-09-01", citations=kh),
    }
    graph_of(docs)
    assert docs["tuy_phuoc"]["citations"][0]["target"] == "45-KH/TU@2024-02-01"
    assert docs["unsure"]["citations"][0]["target"] == "45-KH/TU@2024"


def test_a_state_number_gives_its_year_and_other_dates_are_conflicts_on_it():
    nd = lambda date: ("77/2025/NĐ-CP", date, "Nghị định")  # noqa: E731
    tt = lambda date: ("40/2017/TT-BTC", date, "Thông tư")  # noqa: E731
    docs = {
        "a": _doc("5-KH/HU", "2025-09-01", [nd("2025-06-30"), tt("2017-03-01")]),
        # a date before the year of the number; a later year's date (an amendment's?)
        "b": _doc("6-KH/HU", "2025-10-01", [nd("2022-06-30"), tt("2025-03-01")]),
        # a typing error: a date after the citing document's own
        "c": _doc("7-KH/HU", "2025-10-02", [nd("2202-06-30")]),
        # after its own date, but another document gives that date too: not ruled out
        "e": _doc("8-KH/HU", "2025-05-01", [nd("2025-06-30")]),
        "undated": _doc(citations=[nd(None), ("9/2024/TT-BTC", "2023-01-01", "Thông tư")]),
        # its own header misread (2019 for 2025): flagged, and what it cites is not judged by it
        "own": _doc(
            "16/2025/NĐ-CP", "2019-11-22", [("104/2023/QH15", "2023-11-10", "Luật")], "Nghị định"
        ),
    }
    g = graph_of(docs)
    assert {n for n in g if n.startswith(("77/", "40/", "9/", "16/", "104/"))} == {
        "77/2025/NĐ-CP@2025",
        "40/2017/TT-BTC@2017",
        "9/2024/TT-BTC@2024",
        "16/2025/NĐ-CP@2025",
        "104/2023/QH15@2023",
    }
    assert docs["undated"]["citations"][0]["target"] == "77/2025/NĐ-CP@2025"
    nd_node = g.nodes["77/2025/NĐ-CP@2025"]
    assert nd_node["date"] == "2025-06-30" and nd_node["year"] == "2025"
    assert nd_node["date_sources"] == {
        "2022-06-30": ["6-KH/HU@2025"],
        "2025-06-30": ["5-KH/HU@2025", "8-KH/HU@2025"],
        "2202-06-30": ["7-KH/HU@2025"],
    }
    assert nd_node["conflicts"][-1] == (
        "date impossible: 2022-06-30 (6-KH/HU@2025: before 2025, the year of its number); "
        "2202-06-30 (7-KH/HU@2025: after the citing document's own date 2025-10-02)"
    )
    tt_node = g.nodes["40/2017/TT-BTC@2017"]
    assert tt_node["date"] == "2017-03-01"
    assert (
        "year differs: 40/2017/TT-BTC is numbered in 2017; 2025-03-01 (6-KH/HU@2025)"
        in (tt_node["conflicts"])
    )
    # its only date is one it cannot have: no date, the year of its number
    only = g.nodes["9/2024/TT-BTC@2024"]
    assert "date" not in only and only["year"] == "2024" and only["dates"] == ["2023-01-01"]
    assert only["conflicts"] == [
        "date impossible: 2023-01-01 (doc:undated: before 2024, the year of its number)"
    ]
    own = g.nodes["16/2025/NĐ-CP@2025"]
    assert own["in_corpus"] and own["year"] == "2025" and "date" not in own
    assert own["conflicts"] == [
        "date impossible: 2019-11-22 (its own header: before 2025, the year of its number)"
    ]
    assert g.nodes["104/2023/QH15@2023"]["date"] == "2023-11-10"
    assert not g.nodes["104/2023/QH15@2023"]["conflicts"]


def _written(text, cited, **meta):
    """A document whose text names each of ``cited`` (symbol, date, subject), in that order."""
    citations, at = [], 0
    for symbol, date, subject in cited:
        start = text.index(symbol, at)
        at = start + len(symbol)
        code = symbol.split("-", 1)[1]
        citations.append(
            dict(symbol=symbol, date=date, subject=subject, doc_type="Quy định", code=code)
            | dict(start=start, end=at, text=symbol)
        )
    return {"metadata": {"doc_type": "Kế hoạch", **meta}, "text": text, "citations": citations}


def _two_rules_101():
    """Quy định 101-QĐ/TW of 2012 and of 2023, as dated mentions present them, and a plan that
    names 101-QĐ/TW three times without a date."""
    old = "về trách nhiệm nêu gương của cán bộ, đảng viên, nhất là cán bộ lãnh đạo chủ chốt các cấp"
    new = (
        "về trách nhiệm, quyền hạn và việc bổ nhiệm, khen thưởng, kỷ luật lãnh đạo cơ quan báo chí"
    )
    return {
        "old": _written(
            f"Thực hiện Quy định số 08-QĐi/TW ngày 25/10/2018, Quy định số 101-QĐ/TW ngày "
            f"07/6/2012 {old} và Quy định số 55-QĐ/TW ngày 19/12/2016.\n",
            [("08-QĐi/TW", "2018-10-25", None), ("101-QĐ/TW", "2012-06-07", old)]
            + [("55-QĐ/TW", "2016-12-19", None)],
        ),
        "new": _written(
            "Quán triệt Quy định số 100-QĐ/TW ngày 28/02/2023 về lãnh đạo nhà xuất bản; Quy định "
            f"số 101-QĐ/TW ngày 28/02/2023 {new}.\n",
            [("100-QĐ/TW", "2023-02-28", None), ("101-QĐ/TW", "2023-02-28", new)],
        ),
        "plan": _written(
            "- Tham mưu sơ kết các quy định về trách nhiệm nêu gương đối với cán bộ, đảng viên "
            "(Quy định số 08-QĐi/TW; Quy định số 101-QĐ/TW; Quy định số 55-QĐ/TW).\n"
            "- Chỉ đạo các cơ quan báo chí thực hiện Quy định số 101-QĐ/TW về bổ nhiệm, khen "
            "thưởng, kỷ luật lãnh đạo cơ quan báo chí.\n"
            "- Rà soát việc thực hiện Quy định số 101-QĐ/TW trong toàn huyện.\n",
            [("08-QĐi/TW", None, None), ("101-QĐ/TW", None, None), ("55-QĐ/TW", None, None)]
            + [("101-QĐ/TW", None, None), ("101-QĐ/TW", None, None)],
        ),
    }


def test_an_undated_mention_is_placed_where_its_evidence_decides():
    docs = _two_rules_101()
    g = graph_of(docs)
    targets = [c["target"] for c in docs["plan"]["citations"]]
    # by the subject of its passage and the rules cited beside it; by its subject alone
    assert targets[1] == "101-QĐ/TW@2012" and targets[3] == "101-QĐ/TW@2023"
    (m,) = g.edges["doc:plan", "101-QĐ/TW@2012"]["mentions"]
    assert m["date"] is None and m["confidence"] == 1.0
    assert m["evidence"] == [
        "subject: the passage says 'về trách nhiệm nêu gương', 'cán bộ', 'đảng viên', "
        "as the dated mentions of 101-QĐ/TW@2012 do",
        "cited beside 55-QĐ/TW, 8-QĐi/TW, as 101-QĐ/TW@2012 is in doc:old",
        "scores: 2012 2, 2023 0 (of 2)",
    ]
    (m,) = g.edges["doc:plan", "101-QĐ/TW@2023"]["mentions"]
    assert m["confidence"] == 0.5 and "'kỷ luật lãnh đạo cơ quan báo chí'" in m["evidence"][0]
    # dated mentions carry no evidence: their date places them
    assert all("evidence" not in m for m in g.edges["doc:old", "101-QĐ/TW@2012"]["mentions"])


def test_an_undated_mention_stays_unplaced_where_the_evidence_does_not_decide():
    docs = _two_rules_101()
    # cited beside the same rule as both candidates are: that tells them not apart
    docs["new"]["text"] = docs["new"]["text"].replace("100-QĐ/TW", "08-QĐi/TW")
    docs["new"]["citations"][0]["symbol"] = "08-QĐi/TW"
    docs["other"] = _written(
        "Theo Quy định số 08-QĐi/TW và Quy định số 101-QĐ/TW, các chi bộ tổ chức học tập.\n",
        [("08-QĐi/TW", None, None), ("101-QĐ/TW", None, None)],
    )
    g = graph_of(docs)
    assert docs["plan"]["citations"][4]["target"] == "101-QĐ/TW"  # "Rà soát việc thực hiện …"
    assert docs["other"]["citations"][1]["target"] == "101-QĐ/TW"
    assert g.nodes["101-QĐ/TW"]["conflicts"] == [
        "year unknown: 101-QĐ/TW is known in 2012, 2023; these mentions give no date"
    ]
    assert all("evidence" not in m for m in g.edges["doc:other", "101-QĐ/TW"]["mentions"])


def _placed_apart_and_here(docs, **apart):
    documents = {name: Document.from_json(doc) for name, doc in docs.items()}
    here = build_graph(documents)
    there = build_graph(documents, apart=True)
    assert to_node_link(there.graph) == to_node_link(here.graph)
    assert (there.targets, there.placements, there.nodes) == (
        here.targets,
        here.placements,
        here.nodes,
    )
    return there


def test_the_evidence_weighed_in_a_process_of_its_own_places_as_here(monkeypatch, tmp_path):
    import os

    from pipeline import graph

    weighed_in = tmp_path / "pids"
    real = graph._placings

    def placings(*args):
        with open(weighed_in, "a") as f:
            f.write(f"{os.getpid()}\n")
        return real(*args)

    monkeypatch.setattr(graph, "_placings", placings)
    result = _placed_apart_and_here(_two_rules_101())
    assert result.targets["plan"][1] == "101-QĐ/TW@2012"  # placed, by the process's answer
    assert result.placements["plan"][1].confidence == 1.0
    here, apart = weighed_in.read_text().split()
    assert here == str(os.getpid()) and apart != here


def test_placing_apart_falls_back_here_when_its_process_dies_and_raises_its_errors(monkeypatch):
    import os

    import pytest

    from pipeline import graph

    monkeypatch.setattr(graph, "_placings_apart", lambda *args: os._exit(1))  # killed
    result = _placed_apart_and_here(_two_rules_101())
    assert result.targets["plan"][3] == "101-QĐ/TW@2023"

    def broken(*args):
        raise ValueError("a rule's bug")

    monkeypatch.setattr(graph, "_placings_apart", broken)
    documents = {name: Document.from_json(doc) for name, doc in _two_rules_101().items()}
    with pytest.raises(ValueError, match="a rule's bug"):
        build_graph(documents, apart=True)
