"""Shared by the tests that start worker processes: one way to start a 2-worker cluster for a
test module, and one way to make sure every process a test started is gone (by pid)."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path
from typing import Iterable, Iterator

from graphoid.distributed.executor.cluster import ClusterExecutor
from graphoid.distributed.membership import LivenessConfig
from graphoid.runtime.interpreter import Interpreter


def is_running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's zombie may linger where nothing reaps it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return state not in ("Z", "X")


def wait_until_gone(pids: list[int], timeout: float) -> list[int]:
    """The pids still running after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        running = [pid for pid in pids if is_running(pid)]
        if not running:
            return []
        time.sleep(0.05)
    return [pid for pid in pids if is_running(pid)]


def kill_leftovers(pids: Iterable[int]) -> None:
    """SIGKILL each of these processes that is still running (a clean close leaves none)."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


@contextlib.contextmanager
def two_worker_cluster(program: Interpreter) -> Iterator[ClusterExecutor]:
    """A 2-worker cluster (quick liveness, output dropped) with `program` loaded; closed after,
    and its workers killed by pid if any outlived the close."""
    executor = ClusterExecutor(2, liveness=LivenessConfig(interval=0.25, misses=8), sink=lambda *line: None)
    try:
        executor.load_program(program)
        yield executor
    finally:
        pids = executor.pids
        executor.close()
        kill_leftovers(pids)
