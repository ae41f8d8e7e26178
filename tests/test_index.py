"""The index kept beside graph.json (pipeline/graphindex.py): the same answers as the graph,
rebuilt when stale or damaged, written whole or not at all, and read without networkx."""

import json
import os
import shutil
import subprocess
import sys
import zipfile

import networkx as nx
import pytest

from conftest import REPO
from pipeline import graphindex, query
from pipeline.batch import build_corpus_graph, run_batch
from pipeline.graph import write_graph

sys.path.insert(0, str(REPO / "scripts"))
import bench_graph  # noqa: E402  (the synthetic corpus of the graph benchmark)


def _questions(g):
    """Every question, each with the options the CLI gives it, over names of every kind."""
    ix = query.index(g)
    ids = ix["ids"]
    ranked = [ids[p] for p in ix["ranked"].tolist()]
    names = set(ranked[:15] + ids[:: max(1, len(ids) // 15)])
    for p in ix["ranked"].tolist()[:15]:  # as researchers type them: loose, without marks
        if ix["symbol"][p]:
            names |= {ix["symbol"][p], query.fold(ix["symbol"][p])}
            if ix["type"][p]:
                names.add(f"{ix['type'][p]} {ix['symbol'][p].split('-')[0].split('/')[0]}")
    names |= {"Nghị quyết 28", "nghi quyet 28 nam 2022", "phương thức lãnh đạo", "ke hoach"}
    names |= {"công tác tuyên truyền", "huyen uy", "Chỉ thị 99", "—", "101-QD/TW 2012"}
    asked = [("top", lambda: query.most_cited(g, top=20))]
    for level in (None, "TW", "TU", "HU"):
        for kind in (None, "Nghị quyết", "kế hoạch"):
            asked += [
                (
                    f"top {level} {kind}",
                    lambda level=level, kind=kind: query.most_cited(g, level=level, doc_type=kind),
                ),
                (
                    f"timeline {level} {kind}",
                    lambda level=level, kind=kind: query.timeline(g, level=level, doc_type=kind),
                ),
            ]
    asked += [
        ("top 2018", lambda: query.most_cited(g, year="2018", top=50)),
        ("top issuer", lambda: query.most_cited(g, issuer="huyện ủy", level="HU", top=50)),
        ("missing", lambda: query.missing(g)),
        ("missing 5", lambda: query.missing(g, top=5)),
        ("conflicts", lambda: query.conflicts(g)),
        ("conflicts 3", lambda: query.conflicts(g, top=3)),
        ("timeline from", lambda: query.timeline(g, start="2020-01", end="2022-03", top=100)),
        ("timeline in corpus", lambda: query.timeline(g, in_corpus=True, start="2023")),
    ]
    for name in sorted(names):
        asked += [
            (f"resolve {name}", lambda name=name: query.resolve(g, name)),
            (f"cited-by {name}", lambda name=name: query.cited_by(g, name)),
            (f"cited-by {name} -n 2", lambda name=name: query.cited_by(g, name, top=2)),
            (f"cites {name}", lambda name=name: query.cites(g, name)),
            (f"cites {name} --depth 3", lambda name=name: query.cites(g, name, depth=3)),
            (f"chain {name}", lambda name=name: query.chain(g, name)),
            (
                f"chain {name} --depth 1 -n 7",
                lambda name=name: query.chain(g, name, depth=1, top=7),
            ),
            (f"co-cited {name}", lambda name=name: query.co_cited(g, name)),
            (f"co-cited {name} all", lambda name=name: query.co_cited(g, name, top=None)),
            (f"timeline {name}", lambda name=name: query.timeline(g, name, start="2015")),
        ]
    return asked


def _answers(g):
    found = {}
    for label, ask in _questions(g):
        try:
            found[label] = ask()
        except (query.NotFound, query.Ambiguous) as e:
            found[label] = (type(e).__name__, str(e))
    return found


def _same_answers(out):
    """Each question's answer from the index on disk equals the answer from graph.json."""
    g = query.load(out)
    stored = graphindex.open_index(out)
    assert isinstance(stored, query.Index)
    expected, got = _answers(g), _answers(stored)
    assert len(expected) > 100
    for label in expected:
        assert got[label] == expected[label], label
    # not all empty: the questions found something
    assert sum(1 for a in expected.values() if isinstance(a, list) and a) > 50


def _write_graph(out, g):
    write_graph(out / "graph.json", g)  # as vanban run writes it


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """The benchmark's synthetic corpus, small: 400 documents as contract JSON, built into
    graph.json and its index as ``vanban run`` builds them."""
    out = tmp_path_factory.mktemp("synthetic")
    bench_graph.generate(out, docs=400, mentions=4000, text_kb=0.3, seed=3)
    build_corpus_graph(out)
    return out


def test_the_run_writes_the_index_and_it_answers_as_the_graph_does(synthetic):
    with zipfile.ZipFile(synthetic / "graph.index") as z:
        kinds = set(json.loads(z.read("index.json"))["columns"].values())
    assert kinds == {"list", "coded", "array", "csr", "postings"}  # every way a column is kept
    _same_answers(synthetic)


def test_the_samples_answer_alike(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("sample_ke_hoach.txt", "sample_huong_dan.md"):
        shutil.copy(REPO / "data" / "raw" / name, src / name)
    run_batch([src], tmp_path / "out", jobs=1)
    assert (tmp_path / "out" / "graph.index").is_file()
    g = query.load(tmp_path / "out")
    stored = graphindex.open_index(tmp_path / "out")
    assert query.cited_by(stored, "NQ 28") == query.cited_by(g, "NQ 28") != []
    assert _answers(stored) == _answers(g)


@pytest.mark.parametrize("seed", range(6))
def test_random_graphs_answer_alike(tmp_path, seed):
    """Random citations among random documents, some number-less ones the cited node they are
    (``same_as``), conflicts, names without marks and with a file name not UTF-8."""
    import random

    rng = random.Random(seed)
    g = nx.DiGraph()
    kinds = [
        ("Nghị quyết", "NQ/TW", "TW"),
        ("Kế hoạch", "KH/TU", "TU"),
        ("Kế hoạch", "KH/HU", "HU"),
    ]
    for i in range(60):
        kind, code, level = rng.choice(kinds)
        num, year = rng.randint(1, 9), rng.choice([2012, 2020, 2023])
        node = f"{num}-{code}@{year}" if rng.random() < 0.8 else f"{num}-{code}"
        g.add_node(
            node,
            symbol=f"{num}-{code}",
            doc_type=kind,
            level=level,
            date=f"{year}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}" if "@" in node else None,
            year=str(year) if "@" in node else None,
            issuer=rng.choice(["Ban Chấp hành Trung ương Đảng", "Ban Thường vụ Huyện ủy", None]),
            title=rng.choice(["về công tác tuyên truyền", "phương thức lãnh đạo", None]),
            in_corpus=rng.random() < 0.6,
            pagerank=rng.random(),
            conflicts=["dates disagree: x"] if rng.random() < 0.1 else [],
        )
    for i in range(6):  # number-less corpus documents, one a file name that is not UTF-8
        doc = f"doc:plan{i}" + ("\udcff" if i == 0 else "")
        g.add_node(doc, doc_type="Kế hoạch", in_corpus=True, pagerank=0.01, title=f"kế hoạch {i}")
        target = rng.choice([n for n in g if not n.startswith("doc:")])
        if not g.nodes[target].get("described_by"):
            g.nodes[doc]["same_as"] = target
            g.nodes[target]["described_by"] = [doc]
    ids = list(g)
    for _ in range(200):
        a, b = rng.sample(ids, 2)
        cues = sorted(rng.sample(["thực hiện", "căn cứ", "quán triệt"], rng.randint(0, 2)))
        g.add_edge(a, b, count=rng.randint(1, 4), relations=cues)
    _write_graph(tmp_path, g)
    graphindex.write(tmp_path, query.load(tmp_path))
    _same_answers(tmp_path)


def test_answers_in_columns_are_the_rows_and_print_alike(synthetic, capsys):
    """Inside ``query.answers_in_columns`` (as the command line asks) every question answers
    with a Table of the same rows, and the command line prints it, as a table and as JSON,
    exactly as it prints the rows."""
    from pipeline.cli import _print_rows

    stored = graphindex.open_index(synthetic)
    asked = [(label, ask) for label, ask in _questions(stored) if not label.startswith("resolve")]
    tables = 0
    for label, ask in asked:
        try:
            rows = ask()
        except (query.NotFound, query.Ambiguous):
            continue
        with query.answers_in_columns():
            answer = ask()
        if isinstance(answer, query.Table):
            tables += 1
            assert len(answer) == len(rows) and answer.rows() == rows, label
        else:
            assert answer == rows, label
        for as_json in (False, True):
            tree = label.startswith("chain") and not as_json
            _print_rows(rows, as_json, tree=tree)
            expected = capsys.readouterr().out
            _print_rows(answer, as_json, tree=tree)
            assert capsys.readouterr().out == expected, (label, as_json)
            if as_json:
                assert json.loads(expected) == rows
    assert tables > 100


def test_a_graph_json_rewritten_is_indexed_again_not_answered_from_the_old_index(
    synthetic, tmp_path
):
    out = tmp_path / "out"
    shutil.copytree(synthetic, out)
    g = query.load(out)
    top = query.most_cited(g, top=1)[0]["id"]
    assert graphindex.open_index(out)  # the copy: another file, the same text (the hash tells)
    g.remove_node(top)
    _write_graph(out, g)  # what a new run does
    with pytest.raises(graphindex.Stale):
        graphindex.open_index(out)
    warned = []
    rebuilt = graphindex.load(out, warned.append)
    assert warned == [] and top not in set(rebuilt)  # the graph read again
    assert top not in graphindex.open_index(out)["ids"]  # and its index written
    assert query.most_cited(graphindex.load(out, warned.append), top=1)[0]["id"] != top
    # the same size and modification time, rewritten in place: the inode is the same, the
    # text not; only a rename is a rewrite that keeps neither
    before = (out / "graph.json").stat()
    os.utime(out / "graph.json", ns=(before.st_atime_ns, before.st_mtime_ns + 10**9))
    assert graphindex.open_index(out)  # touched only: the hash is the same, kept
    text = (out / "graph.json").read_bytes()
    with open(out / "graph.json", "r+b") as f:  # one digit changed, the size kept
        k = text.index(b'"count": ') + len(b'"count": ')
        f.seek(k)
        f.write(b"9" if text[k : k + 1] != b"9" else b"8")
    with pytest.raises(graphindex.Stale):
        graphindex.open_index(out)


def _ask(out, *args):
    command = [sys.executable, "-m", "pipeline", "graph", str(out), *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "a column", "index.json"])
def test_a_damaged_index_is_rebuilt_with_a_warning(synthetic, tmp_path, damage):
    out = tmp_path / "out"
    shutil.copytree(synthetic, out)
    g = query.load(out)
    top = query.most_cited(g, top=1)[0]["id"]
    expected = json.dumps(query.cited_by(g, top), ensure_ascii=False)
    graphindex.open_index(out)  # the copy's graph.json recorded: a column is read as asked
    path = out / "graph.index"
    data = bytearray(path.read_bytes())
    if damage == "garbage":
        data = bytearray(b"not an index" * 100)
    elif damage == "truncated":
        data = data[: len(data) // 2]
    else:  # one byte of a member flipped: the zip's CRC tells
        with zipfile.ZipFile(path) as z:
            info = z.getinfo("index.json" if damage == "index.json" else "pred.values.npy")
        at = info.header_offset + 30 + len(info.filename) + len(info.extra) + info.file_size // 2
        data[at] ^= 0xFF
    path.write_bytes(bytes(data))
    proc = _ask(out, "cited-by", top, "--json")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert json.dumps(json.loads(proc.stdout), ensure_ascii=False) == expected
    (line,) = proc.stderr.splitlines()
    assert line.startswith("vanban: WARNING the index of the graph is damaged")
    assert graphindex.open_index(out)["ids"]  # rebuilt
    again = _ask(out, "cited-by", top, "--json")
    assert (again.stderr, again.stdout) == ("", proc.stdout)


def test_the_index_is_written_whole_or_not_at_all(synthetic, tmp_path, monkeypatch):
    out = tmp_path / "out"
    shutil.copytree(synthetic, out)
    before = (out / "graph.index").read_bytes()
    g = query.load(out)
    put = graphindex._put

    def failing(z, name, value):  # the disk fills halfway through
        if name == "unit_succ":
            raise OSError(28, "No space left on device")
        return put(z, name, value)

    monkeypatch.setattr(graphindex, "_put", failing)
    with pytest.raises(OSError, match="No space left"):
        graphindex.write(out, g)
    monkeypatch.undo()
    monkeypatch.setattr("os.replace", lambda src, dst: (_ for _ in ()).throw(OSError(28, "full")))
    with pytest.raises(OSError, match="full"):
        graphindex.write(out, g)
    monkeypatch.undo()
    assert (out / "graph.index").read_bytes() == before  # whole, as before
    assert not [f for f in out.iterdir() if f.name.endswith(".tmp")]  # no temporary file left
    # a folder the index cannot be written into: the answer comes from graph.json
    (out / "graph.index").unlink()
    monkeypatch.setattr(graphindex, "_put", failing)
    warned = []
    answered = graphindex.load(out, warned.append)
    assert query.most_cited(answered) == query.most_cited(g)
    assert len(warned) == 1 and "answering from graph.json" in warned[0]


def test_a_question_from_the_shell_reads_the_index_not_graph_json(synthetic, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(synthetic, out)
    top = query.most_cited(query.load(out), top=1)[0]["id"]
    command = [sys.executable, "-X", "importtime", "-m", "pipeline", "graph", str(out)]
    for question in (["top"], ["chain", top], ["cites", "chuyen doi so"], ["missing"]):
        proc = subprocess.run(command + question, capture_output=True, text=True, cwd=REPO)
        assert proc.returncode == 0 and proc.stdout
        imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines()}
        # parsing graph.json needs networkx; the language tools are for runs
        assert not imported & {"networkx", "spacy", "underthesea", "pyvi", "rapidfuzz"}
        assert "pipeline.graphindex" in imported
