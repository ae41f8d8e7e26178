"""Batch robustness: bad inputs, hung / crashing / memory-hungry documents, incremental runs,
the Dask executor and SIGKILL at random points. Small generated inputs only: fast."""

import json
import os
import pathlib
import random
import signal
import subprocess
import sys
import time
import zipfile

import pytest

from badinputs import GOOD, make_bad_inputs, write_good
from conftest import REPO
from pipeline import batch as runmod
from pipeline import clean
from pipeline.batch import Limits, run_batch


def outputs(out: pathlib.Path) -> dict[str, object]:
    """Every output file of a run: bytes, except the manifest without its timings."""
    files = {}
    for f in sorted(out.iterdir()):
        if f.name == "manifest.json":
            manifest = json.loads(f.read_text(encoding="utf-8"))
            for e in manifest["inputs"]:
                # timings, and whether an earlier run did the work
                e.pop("seconds"), e.pop("reused")
            files[f.name] = manifest
        elif f.name == "graph.index":  # but the record of graph.json's file (inode, time)
            with zipfile.ZipFile(f) as z:
                files[f.name] = {m: z.read(m) for m in z.namelist() if m != "index.json"}
        elif f.is_file() and not f.name.startswith("."):  # not the run's lock
            files[f.name] = f.read_bytes()
    return files


def entries(out: pathlib.Path) -> dict[str, dict]:
    return {
        pathlib.Path(e["path"]).name: e
        for e in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["inputs"]
    }


# --- bad inputs -------------------------------------------------------------------------


def test_every_bad_input_gets_one_clear_entry_and_the_rest_is_as_without_it(tmp_path, monkeypatch):
    src = tmp_path / "in"
    write_good(src)
    reference = tmp_path / "ref"
    run_batch([src], reference, jobs=2)

    kinds = make_bad_inputs(src)
    locked = src / "locked.txt"
    # root reads a mode-000 file anyway: make reading it fail as it would for a user
    if os.geteuid() == 0:
        real = pathlib.Path.read_bytes

        def read_bytes(self):
            if self.name == "locked.txt":
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        # workers are forked: they see it
        monkeypatch.setattr(pathlib.Path, "read_bytes", read_bytes)
    else:
        locked.chmod(0)

    def vanish(total, todo):  # found by discovery, gone before any worker reads it
        (src / "vanishing.txt").unlink()

    out = tmp_path / "out"
    result = run_batch([src], out, jobs=2, on_start=vanish)
    got = entries(out)
    expected = {
        "empty.txt": "empty file",
        "random.pdf": "not a PDF",
        "truncated.pdf": "damaged or truncated",
        "encrypted.pdf": "encrypted PDF",
        "zeropage.pdf": "zero pages",
        "huge.png": "image too large",
        "koi8.txt": "unknown text encoding",
        "vanishing.txt": "No such file",
        "locked.txt": "Permission denied",
        "folder.pdf": "folder named like a document file",
        "loop.pdf": "symbolic links",
        "loop2.pdf": "symbolic links",
    }
    assert set(expected) == set(kinds)
    for name, message in expected.items():
        e = got[name]
        assert e["status"] in ("failed", "skipped") and message in e["error"], (name, e)
        assert e["status"] == "skipped" or e["stage"] == "ingest", (name, e)
        assert not (out / f"{pathlib.Path(name).stem}.json").exists()
    assert sum(e.status == "failed" for e in result.entries) == len(expected) - 1
    assert len(result.entries) == len(expected) + len(GOOD)  # one entry each, nothing twice

    clean_run = outputs(reference)
    bad_run = outputs(out)
    bad_run["manifest.json"]["inputs"] = [
        e for e in bad_run["manifest.json"]["inputs"] if pathlib.Path(e["path"]).name in GOOD
    ]
    assert bad_run == clean_run


def test_cli_exit_code_says_whether_anything_failed(tmp_path):
    src = tmp_path / "in"
    write_good(src)
    cmd = [
        sys.executable,
        "-m",
        "pipeline",
        "run",
        str(src),
        "--out",
        str(tmp_path / "out"),
        "--jobs",
        "2",
    ]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    ok = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, env=env)
    assert ok.returncode == 0, ok.stderr
    # not a terminal: plain lines with the rate and ETA
    assert "[2/2]" in ok.stderr and "ETA" in ok.stderr
    (src / "random.pdf").write_bytes(b"\0\1\2" * 100)
    bad = subprocess.run(cmd + ["--quiet"], capture_output=True, text=True, cwd=REPO, env=env)
    assert bad.returncode == 1 and "FAILED" in bad.stdout and "not a PDF" in bad.stdout
    assert bad.stderr == ""  # --quiet: only the summary


# --- guards: timeout, memory, crashes ---------------------------------------------------

REAL_CLEAN = clean.clean


def misbehaving_clean(raw):
    """clean.clean, except for documents that ask to hang, to hang deaf to signals, to eat
    memory or to crash."""
    if "HANG" in raw.text:
        time.sleep(60)
    if "DEAF" in raw.text:  # stuck where the soft timeout cannot reach (as in C code)
        signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])
        time.sleep(60)
    if "HUNGRY" in raw.text:
        hog = bytearray(8 << 30)  # 8 GB
        hog[-1] = 1
    if "CRASH" in raw.text:
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's OOM killer would
    return REAL_CLEAN(raw)


def test_hung_hungry_and_crashing_documents_are_stopped_and_recorded(tmp_path, monkeypatch):
    src = tmp_path / "in"
    write_good(src)
    for word in ("HANG", "DEAF", "HUNGRY", "CRASH"):
        (src / f"{word.lower()}.txt").write_text(GOOD["a.txt"] + word + "\n", encoding="utf-8")
    monkeypatch.setattr(clean, "clean", misbehaving_clean)  # the workers are forked: they run it
    monkeypatch.setattr(runmod, "TIMEOUT_GRACE", 1.0)
    t = time.perf_counter()
    run_batch([src], tmp_path / "out", jobs=2, limits=Limits(timeout=2, max_memory=1024))
    assert time.perf_counter() - t < 30
    got = entries(tmp_path / "out")
    assert (
        got["hang.txt"]["stage"] == "clean"
        and "per-document timeout of 2 s" in got["hang.txt"]["error"]
    )
    assert got["deaf.txt"]["stage"] == "clean" and "worker was killed" in got["deaf.txt"]["error"]
    assert got["hungry.txt"]["stage"] == "clean" and "out of memory" in got["hungry.txt"]["error"]
    assert got["crash.txt"]["stage"] == "clean" and "SIGKILL" in got["crash.txt"]["error"]
    for name in ("hang.txt", "deaf.txt", "hungry.txt", "crash.txt"):
        assert got[name]["status"] == "failed"
    for name in GOOD:
        assert got[name]["status"] == "ok"


# --- incremental runs -------------------------------------------------------------------


def test_a_second_batch_into_the_same_folder_keeps_the_first(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    write_good(first)
    (second).mkdir()
    # same stem
    (second / "a.txt").write_text(GOOD["a.txt"].replace("12-KH/HU", "55-KH/HU"), encoding="utf-8")
    out = tmp_path / "out"
    run_batch([first], out, jobs=1)
    before = (out / "a.json").read_bytes()
    result = run_batch([second], out, jobs=1)
    assert [e.output for e in result.entries] == ["a_txt"]  # "a" is the first batch's
    assert (out / "a.json").read_bytes() == before  # the first batch's a.txt keeps its output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["inputs"]
    assert {e["path"] for e in manifest} == {
        str(first / "a.txt"),
        str(first / "b.md"),
        str(second / "a.txt"),
    }
    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    ids = {n["id"] for n in graph["nodes"]}
    assert {"12-KH/HU@2024", "55-KH/HU@2024"} <= ids  # the graph covers both batches
    again = run_batch([first], out, jobs=1)
    assert all(e.reused for e in again.entries)


# --- Dask ---------------------------------------------------------------------------------


def test_dask_cluster_gives_the_local_outputs_byte_for_byte(tmp_path):
    distributed = pytest.importorskip("distributed")
    src = tmp_path / "in"
    write_good(src, n=3)
    (src / "random.pdf").write_bytes(b"\x07" * 500)
    run_batch([src], tmp_path / "local", jobs=2)
    with (
        distributed.LocalCluster(
            n_workers=1,
            threads_per_worker=2,
            processes=False,
            protocol="tcp://",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        result = run_batch([src], tmp_path / "dask", executor="dask", scheduler=client)
        cli = subprocess.run(
            [
                sys.executable,
                "-m",
                "pipeline",
                "run",
                str(src),
                "--out",
                str(tmp_path / "cli"),
                "--executor",
                "dask",
                "--scheduler",
                cluster.scheduler_address,
                "--quiet",
            ],
            capture_output=True,
            text=True,
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
    assert {e.status for e in result.entries} == {"ok", "failed"}
    assert outputs(tmp_path / "dask") == outputs(tmp_path / "local")
    assert cli.returncode == 1, cli.stderr  # random.pdf failed
    assert outputs(tmp_path / "cli") == outputs(tmp_path / "local")


# --- SIGKILL at random points -------------------------------------------------------------


def test_batch_killed_at_random_points_and_resumed_matches_an_uninterrupted_run(tmp_path):
    src = tmp_path / "in"
    write_good(src, n=20)
    (src / "random.pdf").write_bytes(b"\x07" * 500)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    rng = random.Random(8)

    def done(out):
        try:
            return len(json.loads((out / "manifest.json").read_text(encoding="utf-8"))["inputs"])
        except (OSError, ValueError):
            return 0

    def vanban(out, kill_at=None):
        """Run the batch; with ``kill_at``, SIGKILL it (the command and its workers) once the
        manifest lists that many inputs, a random few milliseconds later."""
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pipeline",
                "run",
                str(src),
                "--out",
                str(out),
                "--jobs",
                "2",
                "--quiet",
            ],
            cwd=REPO,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if kill_at is None:
            return proc.wait(timeout=120)
        deadline = time.monotonic() + 120
        while proc.poll() is None and done(out) < kill_at and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.05))
        if proc.poll() is not None:
            return proc.returncode
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return None

    assert vanban(tmp_path / "whole") == 1  # random.pdf failed
    total = done(tmp_path / "whole")
    out = tmp_path / "resumed"
    killed = 0
    for _ in range(5):
        before = done(out)
        if (
            vanban(out, kill_at=min(total, before + rng.randint(1, max(1, (total - before) // 3))))
            is None
        ):
            killed += 1
        assert done(out) >= before  # nothing finished is ever lost
    assert killed == 5  # every run really was interrupted (late ones while the graph is built)
    assert vanban(out) == 1
    assert outputs(out) == outputs(tmp_path / "whole")
    assert not list(out.glob(".*.tmp"))


# --- progress -----------------------------------------------------------------------------


def test_progress_bars_on_a_terminal_plain_lines_elsewhere_and_quiet(tmp_path):
    import io

    from pipeline.progress import Progress

    src = tmp_path / "in"
    write_good(src)
    (src / "random.pdf").write_bytes(b"\x07" * 500)
    streams = {}
    for name, kwargs in {
        "bars": {"bars": True},
        "lines": {},
        "verbose": {"verbose": True},
        "quiet": {"quiet": True},
    }.items():
        streams[name] = io.StringIO()  # not a terminal: plain lines unless bars are asked for
        progress = Progress(stream=streams[name], **kwargs)
        run_batch([src], tmp_path / name, jobs=1, on_start=progress.start, on_done=progress.done)
        progress.close()
    bars, lines, verbose = (
        streams["bars"].getvalue(),
        streams["lines"].getvalue(),
        streams["verbose"].getvalue(),
    )
    assert "documents: 100%" in bars and "3/3" in bars and "pages" in bars
    assert "not a PDF" in bars and "a.txt" not in bars  # on the bars, a line only for a failure
    assert [ln[:5] for ln in lines.splitlines()] == ["[1/3]", "[2/3]", "[3/3]"]
    assert "ETA" in lines and "docs/min" in lines
    assert "clean " in verbose and "extract " in verbose  # seconds per stage
    assert streams["quiet"].getvalue() == ""


# --- names the file system allows and JSON does not expect ---------------------------------


def test_long_and_non_utf8_names_are_processed_with_the_rest_and_reruns_reuse_them(tmp_path):
    src = tmp_path / "in"
    write_good(src)
    text = GOOD["a.txt"]
    long_name = "a" * 250 + ".txt"  # 254 bytes: the longest name a folder takes is 255
    (src / long_name).write_text(text, encoding="utf-8")
    odd = os.fsdecode(b"bi\xean b\xe3n.txt")  # a name in a legacy 8-bit code page
    (src / odd).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run_batch([src], out, jobs=1)
    assert len(result.entries) == 4 and all(e.status == "ok" for e in result.entries)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["inputs"]
    assert {e["path"] for e in manifest} == {str(p) for p in src.iterdir()}
    for e in manifest:  # each output is there, under a name the folder can hold
        assert len(f"{e['output']}.json".encode("utf-8", "surrogateescape")) <= 255
        assert (out / f"{e['output']}.json").is_file()
    again = run_batch([src], out, jobs=1)
    assert all(e.reused for e in again.entries)


def test_the_same_inputs_named_relative_then_absolute_are_reused_not_redone(tmp_path, monkeypatch):
    src = tmp_path / "in"
    write_good(src)
    out = tmp_path / "out"
    monkeypatch.chdir(tmp_path)
    first = run_batch([pathlib.Path("in")], out, jobs=1)
    again = run_batch([src], out, jobs=1)
    assert all(e.reused for e in again.entries)
    assert [e.output for e in again.entries] == [e.output for e in first.entries]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["inputs"]
    assert len(manifest) == len(GOOD)


def test_a_damaged_output_folder_is_repaired_and_the_bad_file_named(tmp_path):
    src = tmp_path / "in"
    write_good(src)
    out = tmp_path / "out"
    first = run_batch([src], out, jobs=1)
    names = [e.output for e in first.entries]
    nodes = first.graph_nodes
    # a truncated document, a stranger's JSON of the right version and the wrong shape, and
    # a graph.json that is a folder
    doc = out / f"{names[0]}.json"
    doc.write_bytes(doc.read_bytes()[:200])
    (out / "stranger.json").write_text('{"schema_version": "1", "citations": 5}', encoding="utf-8")
    (out / "graph.json").unlink()
    (out / "graph.json").mkdir()
    again = run_batch([src], out, jobs=1)
    by_name = {e.output: e for e in again.entries}
    assert not by_name[names[0]].reused  # redone, not kept
    assert all(by_name[n].reused for n in names[1:])
    assert json.loads(doc.read_text(encoding="utf-8"))["metadata"]  # whole again
    assert again.graph_nodes == nodes  # the stranger adds nothing and breaks nothing
    assert any("stranger.json" in w for w in again.warnings)
    assert any("graph.json" in w for w in again.warnings)
    assert json.loads((out / "graph.json").read_text(encoding="utf-8"))["nodes"]
    # a manifest that is garbage: kept aside, said, and written anew with every input
    (out / "manifest.json").write_text("{garbage", encoding="utf-8")
    third = run_batch([src], out, jobs=1)
    assert any("manifest.json could not be read" in w for w in third.warnings)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["inputs"]
    assert {e["output"] for e in manifest} == set(names)
    assert list(out.glob("manifest.json.damaged-*"))


def test_a_second_run_into_a_folder_being_written_is_refused_and_the_first_loses_nothing(tmp_path):
    import fcntl

    src = tmp_path / "in"
    write_good(src)
    out = tmp_path / "out"
    run_batch([src], out, jobs=1)
    before = outputs(out)
    # a run in progress holds the folder's lock, with its temporary file in flight
    in_flight = out / ".a.json.x1y2z3.tmp"
    in_flight.write_text("{", encoding="utf-8")
    with open(out / ".lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(runmod.OutputBusy, match="another vanban run"):
            run_batch([src], out, jobs=1)
        cli = subprocess.run(
            [sys.executable, "-m", "pipeline", "run", str(src), "--out", str(out), "--quiet"],
            capture_output=True,
            text=True,
            cwd=REPO,
        )
        assert cli.returncode == 2 and "another vanban run" in cli.stderr
        assert "Traceback" not in cli.stderr
        assert in_flight.exists()  # the other run's file is left alone
    in_flight.unlink()
    assert outputs(out) == before
    assert all(e.reused for e in run_batch([src], out, jobs=1).entries)  # free again


def test_a_full_disk_ends_the_run_with_a_message_and_loses_nothing(tmp_path, monkeypatch, capsys):
    import errno

    from pipeline import atomic, cli

    src = tmp_path / "in"
    write_good(src)
    out = tmp_path / "out"
    assert cli.main(["run", str(src), "--out", str(out), "--quiet", "--jobs", "1"]) == 0
    before = outputs(out)
    capsys.readouterr()

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    code = cli.main(["run", str(src), "--out", str(out), "--quiet", "--jobs", "1", "--force"])
    err = capsys.readouterr().err
    assert code == 1 and "No space left on device" in err and "run the same command again" in err
    assert "Traceback" not in err and str(out) in err  # the file it could not write is named
    assert outputs(out) == before  # every earlier output whole
    assert not list(out.rglob("*.tmp"))


def test_ocr_scratch_files_a_killed_run_left_are_swept_and_live_ones_kept(tmp_path, monkeypatch):
    import tempfile

    from pipeline.ingest import ocr

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a process that no longer exists
    stale = tmp_path / f"{ocr.TEMP_PREFIX}{gone.pid}_abc"
    live = tmp_path / f"{ocr.TEMP_PREFIX}{os.getpid()}_def"
    for folder in (stale, live):
        folder.mkdir()
        (folder / "page.pgm").write_bytes(b"P5 1 1 255 \x00")
    src = tmp_path / "in"
    write_good(src)
    run_batch([src], tmp_path / "out", jobs=1)
    assert not stale.exists() and live.exists()
