"""`vanban tables`: a real run of the samples as typed tables (Parquet, CSV, DuckDB), and the
SQL questions the README asks of them."""

import json
from collections import Counter
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from conftest import REPO
from pipeline import tables
from pipeline.batch import run_batch
from pipeline.cli import main

SAMPLES = REPO / "data" / "raw"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    run_batch([SAMPLES], out, jobs=1)
    return out


@pytest.fixture(scope="module")
def docs(out):
    return {
        f.stem: json.loads(f.read_text(encoding="utf-8"))
        for f in out.glob("*.json")
        if f.name not in ("graph.json", "manifest.json")
    }


@pytest.fixture(scope="module")
def graph(out):
    return json.loads((out / "graph.json").read_text(encoding="utf-8"))


def write(out, dest, fmt) -> None:
    assert main(["tables", str(out), "--dest", str(dest), "--format", fmt]) == 0


@pytest.fixture(scope="module")
def parquet(out, tmp_path_factory):
    dest = tmp_path_factory.mktemp("parquet")
    write(out, dest, "parquet")
    return {name: pq.read_table(dest / f"{name}.parquet") for name in tables.TABLES}


@pytest.fixture(scope="module")
def db(out, tmp_path_factory):
    dest = tmp_path_factory.mktemp("duckdb")
    write(out, dest, "duckdb")
    assert sorted(p.name for p in dest.iterdir()) == ["vanban.duckdb"]  # no temp file, no WAL
    con = duckdb.connect(str(dest / "vanban.duckdb"), read_only=True)
    yield con
    con.close()


def test_columns_are_typed(parquet):
    documents, nodes = parquet["documents"], parquet["nodes"]
    types = documents.schema
    assert types.field("year").type == pa.int32() and types.field("date").type == pa.date32()
    assert types.field("pages").type == pa.int32()
    assert types.field("recipients").type == pa.list_(pa.string())
    assert types.field("ocr_pages").type == pa.list_(pa.int32())
    scan = documents.filter(pc.equal(documents["document"], "sample_ke_hoach_scan"))
    assert scan["ocr_pages"].to_pylist() == [[1, 2]] and scan["year"].to_pylist() == [2024]
    assert str(scan["date"][0]) == "2024-03-15"
    # graph.json keeps a node's year as text ("2022"): the table has the integer
    nq = nodes.filter(pc.equal(nodes["id"], "28-NQ/TW@2022")).to_pylist()[0]
    assert nq["year"] == 2022 and isinstance(nq["year"], int)
    assert str(nq["date"]) == "2022-11-17" and nq["cited_by"] == 2
    assert nodes.schema.field("dates").type == pa.list_(pa.date32())
    deadline = parquet["tasks"].schema.field("deadlines").type.value_type
    assert deadline.field("year").type == pa.int32() and deadline.field("date").type == pa.date32()
    assert parquet["edges"].schema.field("count").type == pa.int32()
    # an undated mention placed by evidence keeps its reasons (a list) and its confidence
    mention = parquet["edges"].schema.field("mentions").type.value_type
    assert mention.field("evidence").type == pa.list_(pa.string())
    assert mention.field("confidence").type == pa.float64()
    assert parquet["citations"].schema.field("start").type == pa.int64()
    # in pandas too an integer column with gaps stays integers (no 2023.0)
    frame = parquet["citations"].to_pandas(types_mapper=pd.ArrowDtype)
    assert frame["year"].isna().any() and str(frame["year"].dtype) == "int32[pyarrow]"


def test_row_counts_match_the_json(parquet, docs, graph):
    def sections(items):
        return sum(1 + sections(s["children"]) for s in items)

    expected = {
        "documents": len(docs),
        "sections": sum(sections(d["sections"]) for d in docs.values()),
        "citations": sum(len(d["citations"]) for d in docs.values()),
        "refs": sum(len(d["references"]) for d in docs.values()),
        "entities": sum(len(d["entities"]) for d in docs.values()),
        "tasks": sum(len(d["tasks"]) for d in docs.values()),
        "nodes": len(graph["nodes"]),
        "edges": len(graph["edges"]),
    }
    assert {name: t.num_rows for name, t in parquet.items()} == expected
    assert expected["documents"] == 5 and min(expected.values()) > 0
    by_doc = Counter(parquet["citations"]["document"].to_pylist())
    assert by_doc == {name: len(d["citations"]) for name, d in docs.items()}


def test_paths_are_relative_to_the_inputs_folder(parquet, out):
    assert sorted(parquet["documents"]["path"].to_pylist()) == sorted(
        p.name for p in SAMPLES.iterdir()
    )
    nodes = parquet["nodes"].to_pylist()
    plan = next(n for n in nodes if n["id"] == "45-KH/HU@2024")
    assert plan["sources"] == [
        "sample_ke_hoach.txt",
        "sample_ke_hoach_digital.pdf",
        "sample_ke_hoach_scan.pdf",
        "sample_page.png",
    ]
    # no absolute path of this machine anywhere in any table
    for name, table in parquet.items():
        cells = json.dumps(table.to_pylist(), ensure_ascii=False, default=str)
        assert str(SAMPLES) not in cells and str(out) not in cells, name


# the README's three questions, as it prints them
MOST_CITED = """
SELECT label, level, year, cited_by
FROM nodes ORDER BY cited_by DESC, pagerank DESC LIMIT 5
"""
PER_YEAR_AND_LEVEL = """
SELECT n.year, n.level, count(*) AS citations
FROM citations c JOIN nodes n ON n.id = c.target
GROUP BY ALL ORDER BY n.year, n.level
"""
WHO_CITES_IN_WHICH_SECTION = """
SELECT d.path, list_sort(list(DISTINCT coalesce(c.section, 'preamble'))) AS sections,
       count(*) AS mentions
FROM citations c JOIN documents d USING (document)
WHERE c.target = '28-NQ/TW@2022'
GROUP BY d.path ORDER BY d.path
"""


def test_sql_most_cited_documents(db, graph):
    rows = db.execute(MOST_CITED).fetchall()
    assert rows[0] == ("Nghị quyết 28-NQ/TW (2022)", "TW", 2022, 2)
    in_degree = Counter(e["target"] for e in graph["edges"])
    assert [r[3] for r in rows] == sorted(in_degree.values(), reverse=True)[:5]


def test_sql_citations_per_year_and_level(db, docs, graph):
    rows = db.execute(PER_YEAR_AND_LEVEL).fetchall()
    node = {n["id"]: n for n in graph["nodes"]}
    expected = Counter(
        (int(node[c["target"]]["year"]) if node[c["target"]].get("year") else None,
         node[c["target"]].get("level"))
        for d in docs.values() for c in d["citations"] if c["target"]
    )  # fmt: skip
    assert {(y, lv): n for y, lv, n in rows} == expected
    assert expected[2022, "TW"] > 0 and all(isinstance(y, int) for y, _, _ in rows if y)


def test_sql_which_documents_cite_a_resolution_and_in_which_section(db, docs):
    rows = db.execute(WHO_CITES_IN_WHICH_SECTION).fetchall()
    expected = []
    for d in docs.values():
        mentions = [c for c in d["citations"] if c["target"] == "28-NQ/TW@2022"]
        if mentions:
            sections = sorted({c["section"] or "preamble" for c in mentions})
            expected.append((Path(d["source"]["path"]).name, sections, len(mentions)))
    assert rows == sorted(expected)
    assert ("sample_huong_dan.md", ["I/1"], 1) in rows


def test_csv_reads_back_with_its_types(out, parquet, tmp_path):
    write(out, tmp_path, "csv")
    for name in tables.TABLES:
        assert tables.read_csv(tmp_path / f"{name}.csv").equals(parquet[name]), name
    # lists are JSON text in the cells; a plain CSV reader still sees integers and dates
    head = (tmp_path / "documents.csv").read_text(encoding="utf-8")
    assert '"[""Ban Thường vụ Tỉnh ủy (để b/c)""' in head
    con = duckdb.connect()
    path = tmp_path / "citations.csv"
    types = {r[0]: r[1] for r in con.sql(f"DESCRIBE SELECT * FROM read_csv('{path}')").fetchall()}
    assert types["year"] == "BIGINT" and types["date"] == "DATE"


def test_writing_again_replaces_the_tables_whole(out, tmp_path):
    write(out, tmp_path, "duckdb")
    write(out, tmp_path, "duckdb")
    con = duckdb.connect(str(tmp_path / "vanban.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (5,)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vanban.duckdb"]


def test_bad_arguments_get_one_line_and_a_nonzero_exit(out, tmp_path, capsys):
    (tmp_path / "a_file").write_text("x")
    (tmp_path / "not_a_run").mkdir()
    cases = [
        ([str(tmp_path / "missing"), "--dest", str(tmp_path / "t")], "no such folder"),
        ([str(tmp_path / "not_a_run"), "--dest", str(tmp_path / "t")], "not the output of a run"),
        ([str(out), "--dest", str(tmp_path / "no" / "t")], "does not exist"),
        ([str(out), "--dest", str(tmp_path / "a_file")], "is a file"),
    ]
    for argv, message in cases:
        assert main(["tables", *argv]) == 2
        err = capsys.readouterr().err
        assert message in err and len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "t").exists()


def test_damaged_document_files_are_named_and_the_rest_written(out, docs, tmp_path, capsys):
    run = tmp_path / "run"
    run.mkdir()
    for f in out.glob("*.json"):
        (run / f.name).write_bytes(f.read_bytes())
    (run / "sample_page.json").write_text('{"schema_version": "1", "text": ')  # cut short
    wrong = json.loads(json.dumps(docs["sample_ke_hoach_scan"]))
    wrong["citations"][3]["start"] = "đầu"  # an offset that is no integer
    (run / "sample_ke_hoach_scan.json").write_text(json.dumps(wrong, ensure_ascii=False))
    (run / "notes.json").write_text('{"schema_version": "1", "text": "ghi chú"}')  # a skeleton
    assert main(["tables", str(run), "--dest", str(tmp_path / "t")]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 3, err
    assert "sample_page.json: not readable JSON" in err
    assert "sample_ke_hoach_scan.json: not a valid document file (citations/3/start: " in err
    assert "notes.json: not a valid document file ($: 'source' is a required property)" in err
    documents = pq.read_table(tmp_path / "t" / "documents.parquet")
    assert sorted(documents["document"].to_pylist()) == [
        "sample_huong_dan", "sample_ke_hoach", "sample_ke_hoach_digital"
    ]  # fmt: skip
    citations = pq.read_table(tmp_path / "t" / "citations.parquet")
    assert citations.num_rows == sum(
        len(docs[d]["citations"]) for d in documents["document"].to_pylist()
    )


def test_a_chunk_at_a_time_gives_the_same_tables(out, parquet):
    run = tables.Run(out)
    parts = list(run.parts(chunk=2))
    assert len(parts) == 1 + 3  # the graph's, then 5 documents 2 at a time
    for name in tables.TABLES:
        chunks = [p[name] for p in parts if name in p]
        assert pa.concat_tables(chunks).equals(parquet[name]), name
    assert run.rows == {name: t.num_rows for name, t in parquet.items()}


def test_csv_holds_texts_longer_than_a_reading_block(tmp_path):
    # a document's text with its line ends, past pyarrow's 1 MB block: read as one value
    text = "Điều 1. Phạm vi điều chỉnh\n" * 60_000
    documents = pa.Table.from_pylist(
        [{"document": "dai", "text": text, "year": 2024, "recipients": ["Lưu VT"]}],
        schema=tables.SCHEMAS["documents"],
    )
    written = {n: s.empty_table() for n, s in tables.SCHEMAS.items()} | {"documents": documents}
    tables.write(tables.Tables(written), tmp_path, "csv")
    assert tables.read_csv(tmp_path / "documents.csv").equals(documents)
