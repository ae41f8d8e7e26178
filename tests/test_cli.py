"""The command line's answers to mistakes (one line on stderr, a non-zero exit, nothing
written), the modes of what it writes, and the manifest's statuses."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import exports, query
from pipeline.batch import run_batch
from pipeline.cli import main
from pipeline.ingest import ocr

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "raw" / "sample_ke_hoach.txt"


@pytest.fixture(scope="module")
def done(tmp_path_factory) -> Path:
    """The output folder of a finished run over one sample."""
    out = tmp_path_factory.mktemp("done")
    run_batch([SAMPLE], out, jobs=1)
    return out


def answer(capsys, *argv: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``vanban argv`` (argparse's exits included)."""
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code
    got = capsys.readouterr()
    return code, got.out, got.err


def mistakes(tmp: Path, done: Path) -> dict[str, tuple[list, int, str]]:
    """Each mistake: its command, exit code and what the message must say."""
    (tmp / "a_file").write_text("x")
    (tmp / "empty_gold").mkdir()
    (tmp / "bad_gold").mkdir()
    (tmp / "bad_gold" / "x.json").write_text("{not json")
    (tmp / "not_a_run").mkdir()
    return {
        "out is a file": (["run", SAMPLE, "--out", tmp / "a_file"], 2, "is a file"),
        "out under a file": (["run", SAMPLE, "--out", tmp / "a_file" / "o"], 2, "cannot create"),
        "missing input": (
            ["run", tmp / "typo", SAMPLE, "--out", tmp / "never"],
            2,
            f"no such file or folder: {tmp / 'typo'}",
        ),
        "graph without graph.json": (["graph", tmp / "not_a_run", "top"], 2, "no graph.json"),
        "graph of no folder": (["graph", tmp / "nowhere", "top"], 2, "no such folder"),
        "eval without gold": (["eval", "--gold", tmp / "nogold", done], 2, "no such folder"),
        "eval of no output": (["eval", "--gold", tmp / "bad_gold", tmp / "no"], 2, "no such"),
        "eval of empty gold": (["eval", "--gold", tmp / "empty_gold", done], 2, "nothing to score"),
        "eval of bad gold": (["eval", "--gold", tmp / "bad_gold", done], 2, "unreadable gold"),
        "export into no folder": (
            ["graph", done, "export", "--dest", tmp / "nowhere" / "g.graphml"],
            2,
            "does not exist",
        ),
        "export a file onto a folder": (
            ["graph", done, "export", "--dest", tmp, "--format", "gexf"],
            2,
            "gexf writes a file",
        ),
        "export a folder onto a file": (
            ["graph", done, "export", "--dest", tmp / "a_file", "--format", "csv"],
            2,
            "csv writes a folder",
        ),
        "unknown level": (["graph", done, "top", "--level", "XX"], 2, "TW, state, TU, HU, ĐU"),
        "not a date": (["graph", done, "timeline", "--from", "notadate"], 2, "ISO date"),
        "no such month": (["graph", done, "timeline", "--to", "2022-13"], 2, "invalid date"),
        "not a year": (["graph", done, "top", "--year", "22"], 2, "invalid year"),
        "dask without a scheduler": (
            ["run", SAMPLE, "--out", tmp / "never", "--executor", "dask"],
            2,
            "needs --scheduler",
        ),
        "negative jobs": (["run", SAMPLE, "--out", tmp / "never", "--jobs", "-1"], 2, "0 or more"),
    }


def test_every_mistake_gets_one_line_and_a_non_zero_exit(tmp_path, done, capsys):
    for name, (argv, code, message) in mistakes(tmp_path, done).items():
        got, out, err = answer(capsys, *argv)
        assert got == code, (name, err)
        assert message in err, (name, err)
        assert "Traceback" not in err and out == "", name
        if not err.startswith("usage:"):  # argparse's usage lines and then its error line
            assert err.count("\n") == 1 and err.startswith("vanban: "), (name, err)
    assert not (tmp_path / "never").exists()  # refused before anything was written
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "a_file",
        "bad_gold",
        "empty_gold",
        "not_a_run",
    ]


def test_valid_option_values_still_answer(done, capsys):
    code, out, err = answer(capsys, "graph", done, "top", "--level", "tw", "--json")
    assert code == 0 and err == ""
    rows = json.loads(out)
    assert rows and {r["level"] for r in rows} == {"TW"}  # spelled as the graph spells it
    code, out, _ = answer(capsys, "graph", done, "timeline", "--from", "2020", "--to", "2022-11")
    assert code == 0 and "2022-11-17" in out and "2023" not in out


def test_no_traceback_from_the_installed_command(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "graph", str(tmp_path), "top"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert proc.returncode == 2
    assert proc.stderr == f"vanban: {tmp_path} has no graph.json: not the output folder of a " \
        "finished vanban run\n"  # fmt: skip


def test_a_question_from_the_shell_prints_its_whole_answer(done):
    """The command ends a graph question without Python's teardown (cli.command): what it
    printed is all there, through a pipe, with the question's exit code (with the output
    buffered, as it is unless PYTHONUNBUFFERED is set)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}

    def shell(*question: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "pipeline", "graph", str(done), *question]
        return subprocess.run(command, capture_output=True, text=True, cwd=REPO, env=env)

    g = query.load(done)
    node = query.most_cited(g, top=1)[0]["id"]
    proc = shell("cited-by", node, "--json")
    assert proc.returncode == 0 and proc.stderr == ""
    assert json.loads(proc.stdout) == query.cited_by(g, node)
    proc = shell("top", "-n", "3")
    assert proc.returncode == 0 and len(proc.stdout.splitlines()) == 4  # a header, 3 rows
    proc = shell("cited-by", "999-NQ/TW")
    assert proc.returncode == 1 and proc.stdout == "" and "999-NQ/TW" in proc.stderr


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_outputs_are_made_as_open_would_make_them_under_the_umask(tmp_path, umask):
    previous = os.umask(umask)
    try:
        out = tmp_path / "out"
        run_batch([SAMPLE], out, jobs=1)
        ocr._cache_write(tmp_path / "cache", "k", {"error": None, "words": {}})
        g = query.load(out)
        written = exports.export(g, "graphml", tmp_path / "g.graphml")
        written += exports.export(g, "csv", tmp_path / "csv")
    finally:
        os.umask(previous)
    files = [out / "graph.json", out / "manifest.json", out / "sample_ke_hoach.json"]
    files += [tmp_path / "cache" / "ocr" / "k.json", *written]
    for f in files:
        assert stat.S_IMODE(f.stat().st_mode) == 0o666 & ~umask, f


def test_a_document_done_with_warnings_is_partial(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "clean.txt").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    # the second heading numbered as the first again: kept as written (typed), with a warning
    text = SAMPLE.read_text(encoding="utf-8").replace("\nII. NHIỆM VỤ", "\nI. NHIỆM VỤ")
    (src / "repeat.txt").write_text(text, encoding="utf-8")
    run_batch([src], tmp_path / "out", jobs=1)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    got = {Path(e["path"]).name: e for e in manifest["inputs"]}
    assert got["clean.txt"]["status"] == "ok" and got["clean.txt"]["warnings"] == []
    assert got["repeat.txt"]["status"] == "partial"
    assert "numbering: I after 1 under '(root)'" in got["repeat.txt"]["warnings"]
