import gc
import json
import os
import signal
import subprocess
import sys
import weakref

import networkx as nx
import pytest

from badinputs import GOOD
from conftest import REPO
from pipeline.batch import discover, output_names, run_batch
from pipeline.validate import validate_document

A, B = GOOD["a.txt"], GOOD["b.md"]  # the small documents the robustness tests use too


@pytest.fixture
def corpus(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text(A, encoding="utf-8")
    (src / "b.md").write_text(B, encoding="utf-8")
    # same stem
    (src / "sub" / "a.txt").write_text(A.replace("12-KH/HU", "13-KH/HU"), encoding="utf-8")
    (src / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (src / "notes.xyz").write_text("ignored")
    return src


def test_batch_writes_contract_outputs_and_survives_a_broken_file(corpus, tmp_path):
    out = tmp_path / "out"
    result = run_batch([corpus], out, jobs=1)
    by_name = {e.output: e for e in result.entries}
    assert set(by_name) == {"a", "b", "sub__a", "broken"}
    assert (
        by_name["broken"].status == "failed"
        and by_name["broken"].error
        and by_name["broken"].stage == "ingest"
    )
    assert not (out / "broken.json").exists()
    for name in ("a", "b", "sub__a"):
        doc = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        assert validate_document(doc) == []
        assert by_name[name].status == "ok"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["inputs"]) == 4
    assert all(e["sha256"] for e in manifest["inputs"] if e["status"] == "ok")
    g = nx.node_link_graph(json.loads((out / "graph.json").read_text(encoding="utf-8")))
    assert g.has_edge("doc:b", "12-KH/HU@2024")  # b cites a's own number: a corpus document
    assert g.nodes["12-KH/HU@2024"]["in_corpus"] is True
    b = json.loads((out / "b.json").read_text(encoding="utf-8"))
    assert [c["target"] for c in b["citations"]] == [
        "12-KH/HU@2024",
        "12-KH/HU@2024",
        "28-NQ/TW@2022",
    ]


def test_the_graph_and_its_index_are_freed_when_the_stage_ends(corpus, tmp_path, monkeypatch):
    """Not left as cycles for the garbage collector, whose pass over their millions of
    objects was a second of an update at 100,000 documents: with the collector off, they are
    gone once the stage returns."""
    from pipeline import batch, query

    made = []
    real_build, real_index = batch.build_graph, query.index

    def build_graph(docs, **options):
        result = real_build(docs, **options)
        made.append(weakref.ref(result.graph))
        return result

    def index(g):
        ix = real_index(g)
        made.append(weakref.ref(ix))
        return ix

    monkeypatch.setattr(batch, "build_graph", build_graph)
    monkeypatch.setattr(batch.graphindex.query, "index", index)
    collecting = gc.isenabled()
    gc.disable()
    try:
        run_batch([corpus], tmp_path / "out", jobs=1)
        assert len(made) == 2 and [ref() for ref in made] == [None, None]
    finally:
        if collecting:
            gc.enable()


def test_each_document_file_is_written_once_after_the_graph(corpus, tmp_path, monkeypatch):
    from pipeline import batch

    written = []
    real_write = batch.write_json

    def write_json(path, obj, **how):
        if path.parent == out and path.stem not in batch.RESERVED:
            # a document file in OUT is complete: the graph has given its citations their targets
            assert obj["citations"] and all(c["target"] for c in obj["citations"])
            # and it is the staged file whole, though the graph reads only part of it
            staged = json.loads((out / batch.STAGED / path.name).read_text(encoding="utf-8"))
            assert obj["entities"] and obj["sections"]
            assert {k: v for k, v in obj.items() if k != "citations"} == {
                k: v for k, v in staged.items() if k != "citations"
            }
            written.append(path.stem)
        real_write(path, obj, **how)

    out = tmp_path / "out"
    monkeypatch.setattr(batch, "write_json", write_json)
    run_batch([corpus], out, jobs=1)
    assert sorted(written) == ["a", "b", "sub__a"]
    assert not (out / batch.STAGED).exists()
    written.clear()
    # a new document that cites a's number: only the new one is written, a and b are not touched
    (corpus / "c.txt").write_text(A.replace("12-KH/HU", "14-KH/HU"), encoding="utf-8")
    run_batch([corpus], out, jobs=1)
    assert written == ["c"]


def test_rerun_reuses_unchanged_documents_and_redoes_changed_ones(corpus, tmp_path):
    out = tmp_path / "out"
    run_batch([corpus], out, jobs=1)
    (corpus / "b.md").write_text(B + "2. Thêm Chỉ thị số 05-CT/TW.\n", encoding="utf-8")
    again = {e.output: e for e in run_batch([corpus], out, jobs=1).entries}
    assert again["a"].reused and again["sub__a"].reused
    assert not again["b"].reused and again["b"].citations == 4
    assert not again["broken"].reused  # failures are always retried


def test_parallel_batch_matches_serial(corpus, tmp_path):
    serial, parallel = tmp_path / "s", tmp_path / "p"
    run_batch([corpus], serial, jobs=1)
    run_batch([corpus], parallel, jobs=2)
    for name in ("a", "b", "sub__a", "graph"):
        s = json.loads((serial / f"{name}.json").read_text(encoding="utf-8"))
        p = json.loads((parallel / f"{name}.json").read_text(encoding="utf-8"))
        if "source" in s:
            s["source"].pop("path"), p["source"].pop("path")
        assert s == p


def test_output_names_for_colliding_stems(tmp_path):
    root = tmp_path
    files = [
        (root / "x.txt", root),
        (root / "d" / "x.txt", root),
        (root / "d" / "x.pdf", root),
        (root / "graph.md", root),
    ]
    names = output_names(files)
    assert len(set(names.values())) == 4
    assert names[root / "graph.md"] != "graph"  # never overwrite the graph file


def test_discover_skips_unsupported_and_reports_missing(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "b.doc").write_text("x")
    found, skipped = discover([tmp_path / "a.txt", tmp_path / "b.doc", tmp_path / "nope.pdf"])
    assert [p.name for p, _ in found] == ["a.txt"]
    assert {e.status for e in skipped} == {"skipped", "failed"}


def test_cli_run_and_eval(corpus, tmp_path):
    out = tmp_path / "cli"
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", str(corpus), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert proc.returncode == 1  # one input failed, and the exit code says so
    assert (
        "documents" in proc.stdout and "FAILED" in proc.stdout and str(out.resolve()) in proc.stdout
    )
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "a.json").write_text(
        json.dumps(
            {
                "document": "a.txt",
                "metadata": {
                    "doc_type": "Kế hoạch",
                    "symbol": "12-KH/HU",
                    "date": "2024-04-03",
                    "place": "Phú Yên",
                    "issuer": "Ban Thường vụ Huyện ủy",
                    "signer": None,
                    "signer_title": None,
                    "authority": None,
                    "recipients": 0,
                    "footnotes": 0,
                },
                "sections": [{"path": "I", "title": "MỤC ĐÍCH"}, {"path": "I/1", "title": None}],
                "citations": [
                    {"symbol": "28-NQ/TW", "type": "Nghị quyết", "date": None, "issuer": None},
                    {
                        "symbol": "28-NQ/TW",
                        "type": "Nghị quyết",
                        "date": "2022-11-17",
                        "issuer": "Ban Chấp hành Trung ương Đảng",
                    },
                    {"symbol": "28-NQ/TW", "type": "Nghị quyết", "date": None, "issuer": None},
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "eval", "--gold", str(gold), str(out), "--json"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)["summary"]
    assert summary["citation_mention_F1"] == 1.0
    assert summary["section_F1"] == 1.0
    assert summary["citation_date_acc"] == 1.0


def test_output_names_follow_the_documented_rule(tmp_path):
    root = tmp_path
    files = [
        (root / "x.txt", root),
        (root / "x.pdf", root),
        (root / "a" / "b" / "y.pdf", root),
        (root / "c" / "y.pdf", root),
        (root / "z.md", root),
    ]
    assert output_names(files) == {
        root / "x.txt": "x_txt",
        root / "x.pdf": "x_pdf",
        root / "a" / "b" / "y.pdf": "a__b__y",
        root / "c" / "y.pdf": "c__y",
        root / "z.md": "z",
    }


def test_a_rerun_checks_again_only_the_document_files_that_changed(corpus, tmp_path, monkeypatch):
    import os
    import re

    from pipeline import batch

    out = tmp_path / "out"
    checked = []
    real = batch.validate_document
    monkeypatch.setattr(batch, "validate_document", lambda d: checked.append(d) or real(d))
    first = run_batch([corpus], out, jobs=1)
    # each document checked once, as it is staged, not again by the graph or in its final place
    assert len(checked) == sum(1 for e in first.entries if e.status != "failed") == 3
    checked.clear()
    again = run_batch([corpus], out, jobs=1)
    assert all(e.reused for e in again.entries if e.status != "failed")
    assert checked == []  # nothing touched: the schema check is not run again
    # a file edited in place (a date the schema refuses, the size kept): its time changes,
    # so it is checked again and redone
    doc = out / "a.json"
    text = doc.read_text(encoding="utf-8")
    edited = re.sub(r'"date": "(\d{4})-(\d\d)-(\d\d)"', r'"date": "\3/\2/\1"', text, count=1)
    assert edited != text and len(edited) == len(text)
    stamp = doc.stat()
    doc.write_text(edited, encoding="utf-8")
    os.utime(doc, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 1_000_000))
    last = run_batch([corpus], out, jobs=1)
    assert not next(e for e in last.entries if e.output == "a").reused
    assert doc.read_text(encoding="utf-8") == text  # redone: the date is read again
    assert len(checked) >= 1
    # the memo keeps the files still there, staged ones too, and drops the gone
    memo = batch._Checked(out)
    assert {"a.json", "b.json"} <= memo.stamps.keys()
    (out / batch.STAGED).mkdir()
    (out / batch.STAGED / "c.json").write_bytes((out / "b.json").read_bytes())
    memo.trust(out / batch.STAGED / "c.json")
    (out / "b.json").unlink()
    memo.save()
    kept = batch._Checked(out).stamps
    assert "a.json" in kept and ".staged/c.json" in kept and "b.json" not in kept
    (out / batch.STAGED / "c.json").unlink()
    (out / batch.STAGED).rmdir()
    # a memo that cannot be read is no memo: everything is checked, nothing lost
    (out / ".cache" / "checked").write_bytes(b"\x00not marshal")
    checked.clear()
    run_batch([corpus], out, jobs=1)
    assert len(checked) >= 3


def test_a_file_that_cannot_be_read_again_stays_staged_and_the_others_are_written(
    corpus, tmp_path, monkeypatch
):
    """The document files are written a few at once: one that cannot be read again to be
    given its targets is named and left staged for the next run, and the others are
    written, each with its own targets."""
    from pipeline import batch

    out, reads = tmp_path / "out", []
    real_read = batch.read_json

    def read_json(path):
        if path.parent.name == batch.STAGED and path.stem == "b":
            reads.append(path)
            if len(reads) > 1:  # (the first: the graph reads it)
                raise OSError("the disk went away")
        return real_read(path)

    monkeypatch.setattr(batch, "KEEP_READ", 0)  # nothing kept: every file is read again
    monkeypatch.setattr(batch, "read_json", read_json)
    result = run_batch([corpus], out, jobs=1)
    assert any("b.json: could not be read again (the disk went away)" in w for w in result.warnings)
    assert (out / batch.STAGED / "b.json").exists() and not (out / "b.json").exists()
    for name, own in (("a", "12-KH/HU@2024"), ("sub__a", "13-KH/HU@2024")):
        doc = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        assert validate_document(doc) == [] and all(c["target"] for c in doc["citations"])
        assert doc["metadata"]["symbol"] in own
    monkeypatch.setattr(batch, "read_json", real_read)
    run_batch([corpus], out, jobs=1)  # the next run writes it
    assert not (out / batch.STAGED).exists()
    b = json.loads((out / "b.json").read_text(encoding="utf-8"))
    assert [c["target"] for c in b["citations"]] == [
        "12-KH/HU@2024",
        "12-KH/HU@2024",
        "28-NQ/TW@2022",
    ]


def _graph_outputs(out):
    """What a graph stage leaves in ``out``: graph.json, and each document file's targets."""
    docs = {
        f.stem: [c["target"] for c in json.loads(f.read_text(encoding="utf-8"))["citations"]]
        for f in sorted(out.glob("*.json"))
        if f.name not in ("graph.json", "manifest.json", "stray.json")
    }
    return (out / "graph.json").read_bytes(), docs


def test_the_graph_stage_run_in_a_process_of_its_own_leaves_what_it_leaves_here(
    corpus, tmp_path, monkeypatch
):
    """From APART documents on the stage runs forked, its document files written by a third
    process meanwhile: the same graph, files, index and warnings, a build and an update."""
    from pipeline import batch, forked
    from pipeline.models import SCHEMA_VERSION

    if not forked.available():
        pytest.skip("no fork on this system")
    here, apart = tmp_path / "here", tmp_path / "apart"
    for out in (here, apart):  # a file that is no valid document: a warning, from both
        out.mkdir()
        (out / "stray.json").write_text(json.dumps({"schema_version": SCHEMA_VERSION}))
    said_here = run_batch([corpus], here, jobs=1).warnings
    monkeypatch.setattr(batch, "APART", 1)
    pids = []
    real_stage = batch._graph_stage_apart
    monkeypatch.setattr(
        batch, "_graph_stage_apart", lambda *a: pids.append(os.getpid()) or real_stage(*a)
    )
    said_apart = run_batch([corpus], apart, jobs=1).warnings
    assert pids == []  # (appended in the other process only)
    assert _graph_outputs(apart) == _graph_outputs(here)
    stray = [w.replace(str(apart), str(here)) for w in said_apart if "stray.json" in w]
    assert stray and stray == [w for w in said_here if "stray.json" in w]
    assert _index_made(apart) == _index_made(here)
    # a document added: the update made apart is the one made here
    (corpus / "c.txt").write_text(A.replace("12-KH/HU", "14-KH/HU"), encoding="utf-8")
    monkeypatch.setattr(batch, "APART", 10**9)
    run_batch([corpus], here, jobs=1)
    monkeypatch.setattr(batch, "APART", 1)
    run_batch([corpus], apart, jobs=1)
    assert _graph_outputs(apart) == _graph_outputs(here)
    assert _index_made(apart) == _index_made(here)
    assert not (apart / batch.STAGED).exists()


def _index_made(out):
    """graph.index's columns as stored, and graph.json's SHA-256 as it records it (checked
    against graph.json as it is: the index is not stale)."""
    import hashlib
    import zipfile

    from pipeline import graphindex

    graphindex.open_index(out)  # (Stale if made from another graph.json)
    with zipfile.ZipFile(out / graphindex.NAME) as z:
        members = {name: z.read(name) for name in z.namelist() if name != graphindex.META}
        made_from = json.loads(z.read(graphindex.META))["graph"]["sha256"]
    assert made_from == hashlib.sha256((out / "graph.json").read_bytes()).hexdigest()
    return members


def test_an_index_process_that_dies_leaves_the_index_to_the_stage_and_its_errors_reach_it(
    corpus, tmp_path, monkeypatch
):
    """The process making graph.index (forked once the graph is built, while graph.json is
    written) killed: the stage makes the index itself, the one a build here makes; an
    error there is raised here."""
    from pipeline import batch, forked, graphindex
    from pipeline.atomic import WriteFailed

    if not forked.available():
        pytest.skip("no fork on this system")
    here = tmp_path / "here"
    run_batch([corpus], here, jobs=1)
    monkeypatch.setattr(batch, "APART", 1)
    real, maker = graphindex.made_apart, tmp_path / "maker"

    def killed(*args):
        maker.write_text(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(graphindex, "made_apart", killed)
    out = tmp_path / "killed"
    run_batch([corpus], out, jobs=1)
    assert int(maker.read_text()) != os.getpid()  # (it ran, in a process of its own)
    assert _graph_outputs(out) == _graph_outputs(here)
    assert _index_made(out) == _index_made(here)

    def disk_full(out, g, told):
        real(out, g, told)
        raise WriteFailed(out / graphindex.NAME, OSError(28, "No space left on device"))

    monkeypatch.setattr(graphindex, "made_apart", disk_full)
    with pytest.raises(WriteFailed, match="graph.index: No space left on device"):
        run_batch([corpus], tmp_path / "full", jobs=1)


def test_a_writer_process_that_dies_leaves_its_files_to_the_stage(corpus, tmp_path, monkeypatch):
    """The process writing the document files killed before it wrote any, or after it wrote
    them all: the stage writes them itself, and the outputs are those of a build here."""
    from pipeline import batch, forked

    if not forked.available():
        pytest.skip("no fork on this system")
    here = tmp_path / "here"
    run_batch([corpus], here, jobs=1)
    real_write = batch._write_told
    for when in ("before", "after"):

        def dies(told, when=when):
            if when == "after":
                real_write(told)
            os.kill(os.getpid(), signal.SIGKILL)

        out = tmp_path / when
        monkeypatch.setattr(batch, "APART", 1)
        monkeypatch.setattr(batch, "_write_told", dies)
        result = run_batch([corpus], out, jobs=1)
        assert not [w for w in result.warnings if "could not be read again" in w]
        assert _graph_outputs(out) == _graph_outputs(here)
        assert not (out / batch.STAGED).exists()


def test_an_error_of_the_stage_run_apart_reaches_the_caller_as_it_was(
    corpus, tmp_path, monkeypatch
):
    import errno

    from pipeline import batch, forked
    from pipeline.atomic import WriteFailed

    if not forked.available():
        pytest.skip("no fork on this system")

    def disk_full(path, *args):
        raise WriteFailed(path, OSError(errno.ENOSPC, "No space left on device"))

    monkeypatch.setattr(batch, "APART", 1)
    monkeypatch.setattr(batch, "write_graph", disk_full)
    with pytest.raises(WriteFailed, match="graph.json: No space left on device"):
        run_batch([corpus], tmp_path / "out", jobs=1)


def test_a_rerun_keeps_the_graph_of_unchanged_files_and_rebuilds_on_any_change(
    corpus, tmp_path, monkeypatch
):
    import os

    from pipeline import batch

    out = tmp_path / "out"
    first = run_batch([corpus], out, jobs=1)
    graph, index = out / "graph.json", out / "graph.index"
    stamps = graph.stat().st_ino, index.stat().st_ino
    builds = []
    real = batch.build_graph
    monkeypatch.setattr(
        batch, "build_graph", lambda docs, **kw: builds.append(1) or real(docs, **kw)
    )
    again = run_batch([corpus], out, jobs=1)
    assert builds == [] and (graph.stat().st_ino, index.stat().st_ino) == stamps
    assert (again.graph_nodes, again.graph_edges) == (first.graph_nodes, first.graph_edges) > (0, 0)
    # a document file rewritten (a new inode, the same bytes): built again, the same graph
    doc = out / "b.json"
    data = doc.read_bytes()
    doc.unlink()
    doc.write_bytes(data)
    before = json.loads(graph.read_text(encoding="utf-8"))
    run_batch([corpus], out, jobs=1)
    assert builds == [1] and graph.stat().st_ino != stamps[0]
    assert json.loads(graph.read_text(encoding="utf-8")) == before
    # the index gone, graph.json touched, a document added, the package changed: each builds
    index.unlink()
    run_batch([corpus], out, jobs=1)
    assert builds == [1, 1] and index.is_file()
    os.utime(graph, ns=(graph.stat().st_atime_ns, graph.stat().st_mtime_ns + 1_000_000))
    run_batch([corpus], out, jobs=1)
    assert len(builds) == 3
    (corpus / "c.txt").write_text(A.replace("12-KH/HU", "14-KH/HU"), encoding="utf-8")
    added = run_batch([corpus], out, jobs=1)
    assert len(builds) == 4 and added.graph_nodes > first.graph_nodes
    monkeypatch.setattr(batch, "_code_stamp", lambda: "another version")
    run_batch([corpus], out, jobs=1)
    assert len(builds) == 5
    run_batch([corpus], out, jobs=1)
    assert len(builds) == 5
    # an unreadable record means: build
    (out / ".cache" / "graph-built").write_bytes(b"[")
    run_batch([corpus], out, jobs=1)
    assert len(builds) == 6


def test_a_file_edited_while_the_graph_is_built_is_read_again_by_the_next_build(
    corpus, tmp_path, monkeypatch
):
    """The build records each document file as it was when read (a file it writes, as it
    wrote it): one edited by hand while the graph was being built is not taken as built."""
    from pipeline import batch

    out = tmp_path / "out"
    run_batch([corpus], out, jobs=1)
    doc = out / "b.json"
    real = batch.build_graph

    def edited_meanwhile(docs, **kw):
        data = json.loads(doc.read_text(encoding="utf-8"))
        data["metadata"]["title"] = "KẾ HOẠCH SỬA KHI ĐANG DỰNG"
        doc.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return real(docs, **kw)

    (out / "a.json").touch()  # (something to build for)
    monkeypatch.setattr(batch, "build_graph", edited_meanwhile)
    batch.build_corpus_graph(out)
    titles = {n.get("title") for n in json.loads((out / "graph.json").read_text())["nodes"]}
    assert "KẾ HOẠCH SỬA KHI ĐANG DỰNG" not in titles  # read before the edit
    monkeypatch.setattr(batch, "build_graph", real)
    batch.build_corpus_graph(out)
    titles = {n.get("title") for n in json.loads((out / "graph.json").read_text())["nodes"]}
    assert "KẾ HOẠCH SỬA KHI ĐANG DỰNG" in titles


def test_adding_a_document_reads_only_it_and_builds_the_graph_a_fresh_build_does(
    corpus, tmp_path, monkeypatch
):
    import shutil

    from pipeline import batch

    out = tmp_path / "out"
    read = []
    real = batch.facts_of
    monkeypatch.setattr(batch, "facts_of", lambda doc: read.append(doc.source["path"]) or real(doc))
    copied = []  # the nodes whose links graph.json's writer copied from the last one
    unmade = []  # and those whose links the graph made without their mentions
    real_write = batch.write_graph

    def write_graph(path, g, kept, digest, *rest):
        copied.append(set(kept or ()))
        unmade.append(
            {u for u, succ in g._succ.items() if any(not e["mentions"] for e in succ.values())}
        )
        return real_write(path, g, kept, digest, *rest)

    monkeypatch.setattr(batch, "write_graph", write_graph)
    run_batch([corpus], out, jobs=1)
    assert len(read) == 3  # each document read once, by the graph of the run that made it

    def fresh_graph() -> bytes:
        """graph.json as a build with nothing kept makes it, from the same document files."""
        copy = tmp_path / "fresh"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(out, copy)
        shutil.rmtree(copy / ".cache")
        (copy / "graph.json").unlink()
        batch.build_corpus_graph(copy)
        return (copy / "graph.json").read_bytes()

    # a document added: only it is read; the graph is the one a build from scratch makes, to
    # the byte, the old documents' links copied from the last graph.json
    (corpus / "c.txt").write_text(A.replace("12-KH/HU", "14-KH/HU"), encoding="utf-8")
    read.clear()
    copied.clear()
    unmade.clear()
    opened = []  # JSON files read, by name: the new document's once (kept to be written)
    real_read = batch.read_json
    monkeypatch.setattr(batch, "read_json", lambda f: opened.append(f.name) or real_read(f))
    run_batch([corpus], out, jobs=1)
    assert [p.rsplit("/", 1)[-1] for p in read] == ["c.txt"] and opened.count("c.json") == 1
    nodes = {n["id"]: n for n in json.loads((out / "graph.json").read_bytes())["nodes"]}
    assert (out / "graph.json").read_bytes() == fresh_graph()
    assert copied[0] and copied[0] < {i for i, n in nodes.items() if n.get("in_corpus")}
    assert unmade[0] == copied[0]  # (their mentions not made: their text is copied)
    assert "14-KH/HU" in {i.split("@")[0] for i in nodes} and copied[-1] == set()
    # the last graph.json unreadable as it is written again: every link made, none copied
    from contextlib import contextmanager

    from pipeline import graph

    real_old = graph._old_text
    monkeypatch.setattr(graph, "_old_text", contextmanager(lambda path: (yield None)))
    (corpus / "d.txt").write_text(A.replace("12-KH/HU", "15-KH/HU"), encoding="utf-8")
    copied.clear()
    unmade.clear()
    run_batch([corpus], out, jobs=1)
    assert copied[0] and copied[-1] == set() and unmade[-1] == set()
    assert (out / "graph.json").read_bytes() == fresh_graph()
    monkeypatch.setattr(graph, "_old_text", real_old)
    # a document file edited by hand (another title): read again, and the graph follows it
    doc = out / "b.json"
    data = json.loads(doc.read_text(encoding="utf-8"))
    data["metadata"]["title"] = "KẾ HOẠCH ĐÃ SỬA"
    doc.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    read.clear()
    batch.build_corpus_graph(out)
    assert len(read) == 1
    titles = {n.get("title") for n in json.loads((out / "graph.json").read_text())["nodes"]}
    assert "KẾ HOẠCH ĐÃ SỬA" in titles and (out / "graph.json").read_bytes() == fresh_graph()
    # graph.json edited by hand: nothing of it is copied
    (out / "graph.json").write_bytes((out / "graph.json").read_bytes().replace(b"\n", b"\r\n"))
    (out / "b.json").touch()
    copied.clear()
    batch.build_corpus_graph(out)
    assert copied == [set()] and (out / "graph.json").read_bytes() == fresh_graph()
    # facts that cannot be read, or kept by another version, are no facts: all read again
    for spoil in (
        lambda: (out / ".cache" / "graph-facts").write_bytes(b"\x00not marshal"),
        lambda: monkeypatch.setattr(batch, "_code_stamp", lambda: "another version"),
    ):
        (out / "graph.json").unlink()
        spoil()
        read.clear()
        batch.build_corpus_graph(out)
        assert len(read) == 5
        assert (out / "graph.json").read_bytes() == fresh_graph()


def test_a_rerun_redoes_documents_made_by_other_code(corpus, tmp_path, monkeypatch):
    from pipeline import batch, stages

    files = {f.relative_to(stages._PACKAGE).as_posix() for f in stages.stage_files()}
    # what the stages run and read, and not what only the graph, questions or views do
    assert {"extract.py", "clean.py", "ingest/ocr.py", "symbols.py", "data/catalogue.json"} <= files
    assert not {"graph.py", "placement.py", "query.py", "docview.py", "exports.py"} & files
    out = tmp_path / "out"
    first = run_batch([corpus], out, jobs=1)
    version = stages.document_version()
    assert version.startswith(stages.__version__ + "+")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {e["pipeline_version"] for e in manifest["inputs"] if e["status"] != "skipped"} == {
        version
    }
    assert all(e.reused for e in run_batch([corpus], out, jobs=1).entries if e.status == "ok")
    # a stage's rule changed (another hash): every document is redone, none kept
    monkeypatch.setattr(batch, "document_version", lambda: version + "-changed")
    again = run_batch([corpus], out, jobs=1)
    done = [e for e in again.entries if e.status in ("ok", "partial")]
    assert len(done) == len([e for e in first.entries if e.status in ("ok", "partial")]) > 0
    assert not any(e.reused for e in done)
