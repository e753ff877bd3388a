"""Starting and stopping local workers: nothing waits for the coordinator loop's tick (a worker's
HELLO, BYE and exit wake the loop); `graphoid run --workers N` forks its workers (they start with
the driver's modules imported); every process is gone after a close or the driver's death.

The cluster test sets the tick and the shutdown grace to an hour: a start, a loss or a stop that
waited for either would run into the timeout mark instead of passing.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from graphoid.distributed import coordinator as coordinator_module
from graphoid.distributed.coordinator import Coordinator
from graphoid.distributed.membership import LivenessConfig
from graphoid.distributed.processes import WorkerProcess

from cluster_support import is_running, kill_leftovers, wait_until_gone

pytestmark = pytest.mark.timeout(120)

ROOT = Path(__file__).resolve().parents[3]
AN_HOUR = 3600.0
needs_pidfd = pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="exit wake-ups and forking need pidfds (Linux)")
WORKER_MODULE = b"graphoid.distributed.worker"


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


# ----------------------------------------------------------------------------- forked workers


def _environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GRAPHOID_")}
    env["PYTHONPATH"] = str(ROOT)
    return env


def _children(parent: int) -> list[int]:
    """The pids whose parent is `parent` (a forked worker stays the driver's child)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                found.append(int(entry.name))
    return found


@needs_pidfd
def test_run_forks_its_workers_which_print_through_the_driver_and_die_with_it(tmp_path: Path) -> None:
    program = tmp_path / "forked.gd"
    program.write_text(textwrap.dedent("""\
        import "distributed"
        import "time"
        fn shout(x) {
            print("hello from a worker")
            return x + 1
        }
        print(distributed.map([1], shout).to_list())
        time.sleep(600)
    """))
    driver = subprocess.Popen(
        [sys.executable, "-m", "graphoid", "run", "--workers", "2", str(program)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_environment(), start_new_session=True,
    )
    workers: list[int] = []
    try:
        assert driver.stdout is not None
        lines = sorted(driver.stdout.readline() for _ in range(2))
        assert lines == [b"[2]\n", b"[worker 0] hello from a worker\n"] or \
            lines == [b"[2]\n", b"[worker 1] hello from a worker\n"]
        workers = _children(driver.pid)
        assert len(workers) == 2
        for pid in workers:  # forked: the driver's command line, not `-m graphoid.distributed.worker`
            assert WORKER_MODULE not in Path(f"/proc/{pid}/cmdline").read_bytes()
        driver.kill()
        driver.wait()
        assert wait_until_gone(workers, 60.0) == []  # each asked the kernel for SIGTERM at the driver's death
    finally:
        kill_leftovers([driver.pid, *workers])
        driver.wait()


def _close_stdin() -> None:
    os.close(0)


@needs_pidfd
@pytest.mark.parametrize("stdin", ["open", "closed"])
def test_run_with_forked_workers_leaves_no_process(tmp_path: Path, stdin: str) -> None:
    # With stdin closed the driver's pipes to its workers start at fd 0: the fork must not mix them up.
    program = tmp_path / "one_line.gd"
    program.write_text('import "distributed"\ng = graph {}\ng.add_node("a", 1)\n'
                       'print(distributed.distribute(g).node_count())\n')
    trace = tmp_path / "trace.json"
    result = subprocess.run(
        [sys.executable, "-m", "graphoid", "run", "--workers", "2", "--trace", str(trace), str(program)],
        capture_output=True, text=True, env=_environment(), timeout=100,
        stdin=None if stdin == "open" else subprocess.DEVNULL, preexec_fn=None if stdin == "open" else _close_stdin,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "1\n", "")
    events = json.loads(trace.read_text())["traceEvents"]
    workers = sorted({event["pid"] for event in events if event["name"] == "process_name"})
    try:
        assert len(workers) == 2
        assert [pid for pid in workers if is_running(pid)] == []  # reaped by the driver before it exited
    finally:
        kill_leftovers(workers)


FORK_THEN_STOP = """
import json, os, sys
from graphoid.distributed.processes import WorkerGroup, can_fork

assert can_fork()
lines = []
group = WorkerGroup.fork(["0", "1"], sink=lambda *line: lines.append(line))
pids = group.pids
group.stop(grace=30.0)  # before connect: each worker sees its address pipe close
print(json.dumps({"pids": pids, "codes": [code for _, code in group.exited()], "lines": lines}))
"""


@needs_pidfd
def test_forked_workers_stopped_before_they_learn_the_address_exit_quietly() -> None:
    result = subprocess.run([sys.executable, "-c", FORK_THEN_STOP], capture_output=True, text=True,
                            env=_environment(), timeout=100)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    try:
        assert len(report["pids"]) == 2
        assert all(code in (70, -signal.SIGTERM) for code in report["codes"]), report
        assert report["lines"] == []
        assert [pid for pid in report["pids"] if is_running(pid)] == []
    finally:
        kill_leftovers(report["pids"])


FORK_FAILS = """
import json
from pathlib import Path
from graphoid.distributed import processes
from graphoid.distributed.coordinator import Coordinator

forked = []
real_fork_worker = processes._fork_worker

def fork_once_then_fail(worker_id, extra_args):
    if forked:
        raise OSError(11, "Resource temporarily unavailable")
    worker, pipe = real_fork_worker(worker_id, extra_args)
    forked.append(worker.pid)
    return worker, pipe

processes._fork_worker = fork_once_then_fail
cluster = Coordinator(2, fork=True, sink=lambda *line: None)
cluster.start()
pids = cluster.pids
spawned = [b"graphoid.distributed.worker" in Path(f"/proc/{pid}/cmdline").read_bytes() for pid in pids]
cluster.close()
print(json.dumps({"forked": forked, "pids": pids, "spawned": spawned}))
"""


@needs_pidfd
def test_a_failed_fork_stops_the_forked_workers_and_falls_back_to_spawning() -> None:
    result = subprocess.run([sys.executable, "-c", FORK_FAILS], capture_output=True, text=True,
                            env=_environment(), timeout=100)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    try:
        assert len(report["forked"]) == 1 and report["forked"][0] not in report["pids"]
        assert report["spawned"] == [True, True]
        assert [pid for pid in report["forked"] + report["pids"] if is_running(pid)] == []
    finally:
        kill_leftovers(report["forked"] + report["pids"])
