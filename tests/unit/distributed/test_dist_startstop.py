"""Starting and stopping local workers is event-driven: nothing waits for the coordinator loop's
tick (a worker's HELLO, BYE and exit wake the loop), and every process is gone after a close.

The cluster test sets the tick and the shutdown grace to an hour: a start, a loss or a stop that
waited for either would run into the timeout mark instead of passing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from graphoid.distributed import coordinator as coordinator_module
from graphoid.distributed.coordinator import Coordinator
from graphoid.distributed.membership import LivenessConfig
from graphoid.distributed.processes import WorkerProcess

from cluster_support import kill_leftovers

pytestmark = pytest.mark.timeout(120)

AN_HOUR = 3600.0
needs_pidfd = pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="exit wake-ups need pidfds (Linux)")


def _sleeper() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])


@pytest.mark.parametrize("pidfds", [True, False], ids=["pidfd", "no-pidfd"])
def test_wait_exit_returns_when_the_process_ends(monkeypatch: pytest.MonkeyPatch, pidfds: bool) -> None:
    if not pidfds:
        monkeypatch.delattr(os, "pidfd_open", raising=False)
    elif not hasattr(os, "pidfd_open"):
        pytest.skip("no pidfds here")
    worker = WorkerProcess.started("0", _sleeper())
    try:
        assert (worker.exit_fd is not None) == pidfds
        assert not worker.wait_exit(0.0)
        worker.popen.send_signal(signal.SIGKILL)
        assert worker.wait_exit(60.0)
        assert worker.popen.returncode == -signal.SIGKILL
        assert worker.wait_exit(0.0)  # reaped already: answers at once
    finally:
        kill_leftovers([worker.pid])
        worker.popen.wait()
        worker.close_exit_fd()
    assert worker.exit_fd is None


@needs_pidfd
def test_a_loss_and_a_shutdown_never_wait_for_the_tick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(coordinator_module, "MAX_TICK", AN_HOUR)
    cluster = Coordinator(2, liveness=LivenessConfig(interval=AN_HOUR, misses=3), sink=lambda *line: None)
    pids: list[int] = []
    try:
        cluster.start()
        pids = cluster.pids
        assert sorted(cluster.workers) == ["0", "1"]
        os.kill(pids[1], signal.SIGKILL)
        lost = cluster.wait_lost(timeout=60.0)
        assert [item.describe() for item in lost] == [f"worker 1 (pid {pids[1]}) killed by SIGKILL"]
        cluster.close(grace=AN_HOUR)  # worker 0 leaves (BYE, then its exit wakes the loop)
        survivors = []
        for pid in pids:
            try:
                os.kill(pid, 0)
                survivors.append(pid)
            except ProcessLookupError:
                pass
        assert survivors == []  # exited and reaped
    finally:
        kill_leftovers(pids)
