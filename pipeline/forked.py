"""Work done in a process of its own, forked from this one, for the graph stage at scale.

Two things a large graph stage gains by it (at 100,000 documents):

- the document files are written on the second core while this one writes graph.json and
  its index, and the evidence that places undated mentions is weighed there while this one
  points the others (``graph._Placing``): seconds of each that no longer wait for the other;
- the stage run in a process of its own leaves the memory of the run that called it as it
  was, and ends without freeing its millions of objects one by one (1.5 s): the system takes
  back a process's memory whole.

``fork`` gives the child this process's memory as it is (the graph, the facts), so nothing is
sent to it; its answer comes back through a pipe, pickled (one program talking to itself).
An error in the child is raised again here. Where the system has no ``fork``, callers do
the work in this process (``available``).
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
import traceback
from typing import Any, Callable, TypeVar

T = TypeVar("T")

# objects that a forked process leaves for the system to take back when it exits: a child
# that made a graph puts it here so that returning does not free it object by object
left_to_exit: list = []

# this process's ends of the pipes of its forked processes still running: a process forked
# later closes them, or a child waiting for all writers of its pipe to close would wait for it
_ends: set[int] = set()


def available() -> bool:
    return hasattr(os, "fork")


class Failed(RuntimeError):
    """The forked process ended without an answer (killed, out of memory), or its error could
    not be sent back as it was."""


class Forked:
    """``fn(*args, told)`` run in a forked process; ``result()`` waits for its return value.
    ``told()``, in the child, waits for the next value this process gives with ``tell``
    (None once it gives no more). Used as a context manager, a child whose result was not
    asked for (an error here meanwhile) is stopped."""

    def __init__(self, fn: Callable[..., Any], *args: Any):
        for stream in (sys.stdout, sys.stderr):  # (or the child would write them again)
            stream.flush()
        to_child, self._tell = os.pipe()
        self._answer, from_child = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns
            for fd in (self._tell, self._answer, *_ends):
                os.close(fd)
            _ends.clear()
            _child(fn, args, to_child, from_child)
        os.close(to_child)
        os.close(from_child)
        _ends.update((self._tell, self._answer))
        self._done = False
        self._sending: threading.Thread | None = None

    def tell(self, value: Any, more: bool = False) -> None:
        """Give the child the value its ``told()`` waits for; ``more``: another will follow
        (else it is told no more). Sent by a thread of its own: this process goes on while
        the child, busy, has not read it yet."""
        self._sent()
        if self._tell < 0:
            return
        data = pickle.dumps(value)
        self._sending = threading.Thread(target=self._send, args=(data, more), daemon=True)
        self._sending.start()

    def _send(self, data: bytes, more: bool) -> None:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self._tell, view) :]
        except (BrokenPipeError, OSError):  # the child has ended already: its result says how
            more = False
        if not more:
            self._close_tell()

    def _sent(self) -> None:
        """Wait for the value being sent, if one is."""
        if self._sending is not None:
            self._sending.join()
            self._sending = None

    def _close_tell(self) -> None:
        fd, self._tell = self._tell, -1
        if fd >= 0:
            _ends.discard(fd)
            os.close(fd)

    def result(self) -> Any:
        """The child's return value, once it has ended; its error raised here."""
        self._sent()
        self._close_tell()  # (a child still waiting to be told is told nothing: None)
        fd, self._answer = self._answer, -1
        _ends.discard(fd)
        with os.fdopen(fd, "rb") as f:
            data = f.read()
        _, status = os.waitpid(self.pid, 0)
        self._done = True
        if not data:
            raise Failed(f"process {self.pid} ended without an answer (wait status {status})")
        ok, value = pickle.loads(data)
        if not ok:
            raise value
        return value

    def __enter__(self) -> Forked:
        return self

    def __exit__(self, *exc) -> None:
        if not self._done:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            self._sent()  # (the child killed: the sending ends, its pipe broken)
            for fd in (self._tell, self._answer):
                _ends.discard(fd)
                if fd >= 0:
                    try:
                        os.close(fd)
                    except OSError:
                        pass


class Maybe:
    """``fn(*args, told)`` in a forked process where asked (``apart``) and the system forks;
    else the caller works here. ``answer(here)``: the process's return value, or ``here()``
    where there is none (not forked, or the process ended without one: killed, out of
    memory), so the work is done where errors show. Used as a context manager, a process
    whose answer was not asked for (an error meanwhile) is stopped."""

    def __init__(self, apart: bool, fn: Callable[..., Any], *args: Any):
        self._job = Forked(fn, *args) if apart and available() else None

    @property
    def apart(self) -> bool:
        """The work runs in a forked process (its answer not asked for yet)."""
        return self._job is not None

    def tell(self, value: Any, more: bool = False) -> None:
        if self._job is not None:
            self._job.tell(value, more)

    def answer(self, here: Callable[[], T]) -> T:
        job, self._job = self._job, None
        if job is None:
            return here()
        with job:
            try:
                return job.result()
            except Failed:
                return here()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        job, self._job = self._job, None
        if job is not None:
            job.__exit__(*exc)


def _child(fn: Callable[..., Any], args: tuple, to_child: int, from_child: int) -> None:
    status = 1
    try:
        told_by = os.fdopen(to_child, "rb")

        def told() -> Any:
            try:
                return pickle.load(told_by)
            except EOFError:  # (told no more)
                return None

        try:
            answer: tuple = (True, fn(*args, told))
            status = 0
        except BaseException as exc:  # noqa: BLE001 (sent back, raised there)
            answer = (False, exc)
        try:
            data = pickle.dumps(answer)
            pickle.loads(data)  # (an error whose class takes other arguments cannot be read)
        except Exception:  # an error that cannot be sent as it is: sent as its text
            text = "".join(traceback.format_exception(answer[1])) if not answer[0] else ""
            data = pickle.dumps((False, Failed(text or "the answer could not be sent back")))
        with os.fdopen(from_child, "wb") as f:
            f.write(data)
    finally:
        os._exit(status)
