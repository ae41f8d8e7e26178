"""Work run in a forked process (pipeline/forked.py): its answer and its errors come back, a
child that dies is said to have died, and one left behind is stopped."""

import errno
import os
import signal
import time
from pathlib import Path

import pytest

from pipeline import forked
from pipeline.atomic import WriteFailed

pytestmark = pytest.mark.skipif(not forked.available(), reason="no fork on this system")


def test_the_answer_comes_from_another_process_which_waits_to_be_told():
    def work(base, told):
        return os.getpid(), base + told()

    with forked.Forked(work, 40) as job:
        job.tell(2)
        pid, answer = job.result()
    assert answer == 42 and pid == job.pid != os.getpid()


def test_a_child_is_told_values_one_after_another_without_the_teller_waiting(tmp_path):
    """A value larger than a pipe holds, told while the child is busy: this process goes on
    (the child, told to read only once it has, reads it then), and the next value follows."""
    big = list(range(300_000))
    flag = tmp_path / "told"

    def work(told):
        deadline = time.monotonic() + 20  # (a guard: a teller that waited never sets the flag)
        while not flag.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        return flag.exists(), told(), told(), told()

    with forked.Forked(work) as job:
        job.tell(big, more=True)
        flag.touch()
        job.tell("graph.json's SHA-256")
        assert job.result() == (True, big, "graph.json's SHA-256", None)


def test_a_child_told_nothing_is_told_none():
    with forked.Forked(lambda told: told()) as job:
        assert job.result() is None


def test_the_childs_error_is_raised_here_as_it_was():
    def fails(told):
        raise ValueError("no such number: 99-XX/TW")

    with forked.Forked(fails) as job, pytest.raises(ValueError, match="99-XX/TW"):
        job.result()

    def disk_full(told):
        raise WriteFailed(Path("/out/graph.json"), OSError(errno.ENOSPC, "No space left"))

    with forked.Forked(disk_full) as job, pytest.raises(WriteFailed) as caught:
        job.result()
    assert caught.value.path == Path("/out/graph.json") and caught.value.errno == errno.ENOSPC
    assert "could not write /out/graph.json: No space left" in str(caught.value)


class _Odd(Exception):
    def __init__(self, a, b):  # (pickled with one argument, it cannot be made again)
        super().__init__(f"{a} and {b}")


def test_an_error_that_cannot_be_sent_comes_as_its_text():
    def fails(told):
        raise _Odd("một", "hai")

    with forked.Forked(fails) as job, pytest.raises(forked.Failed, match="_Odd: một and hai"):
        job.result()


def test_a_child_that_dies_is_said_to_have_died():
    def dies(told):
        os.kill(os.getpid(), signal.SIGKILL)

    with forked.Forked(dies) as job, pytest.raises(forked.Failed, match="without an answer"):
        job.result()


def test_a_child_left_behind_is_stopped():
    with pytest.raises(RuntimeError):
        with forked.Forked(lambda told: time.sleep(60)) as job:
            raise RuntimeError("an error here meanwhile")
    with pytest.raises(ChildProcessError):  # stopped, and waited for: no such child left
        os.waitpid(job.pid, os.WNOHANG)


def test_a_child_forked_later_holds_no_end_of_an_earlier_childs_pipe():
    # the first waits for all writers of its pipe to close; the second, forked after it and
    # waiting to be told in turn, must not be one of them, or neither would ever end
    def late(signum, frame):
        raise TimeoutError("the first child still waits: the second holds its pipe open")

    before = signal.signal(signal.SIGALRM, late)
    signal.alarm(20)
    try:
        with forked.Forked(lambda told: told()) as first:
            with forked.Forked(lambda told: told()) as second:
                first.tell("a plan")
                assert first.result() == "a plan"
                second.tell("its targets")
                assert second.result() == "its targets"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)


def test_maybe_answers_from_its_process_or_here_where_there_is_none():
    def work(told):
        return os.getpid()

    with forked.Maybe(True, work) as job:
        assert job.apart
        assert job.answer(lambda: "here") not in ("here", os.getpid())
    with forked.Maybe(False, work) as job:
        assert not job.apart and job.answer(lambda: "here") == "here"
    with forked.Maybe(True, lambda told: os._exit(9)) as job:  # killed: done here
        assert job.answer(lambda: "here") == "here"
