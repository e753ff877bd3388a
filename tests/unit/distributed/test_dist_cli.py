"""`graphoid run --workers N / --trace FILE` and the progress line (tracing.py)."""

from __future__ import annotations

import io
import json
import os
import pty
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graphoid.cli import main
from graphoid.distributed.protocol import Message
from graphoid.distributed.tracing import PROGRESS_AFTER, PROGRESS_IDLE, ProgressLine, progress_wanted

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.timeout(120)

# A countdown: the message to n0 is passed on, one less each superstep, to TARGETS.
MESSAGING_TEMPLATE = """
import "distributed"
graph Counter {
    fn on_message(msg) {
        if msg > 0 { self.graph.send(msg - 1, to: TARGETS) }
    }
}
g = graph {}
for i in range(8) { g.add_node("n" + i.to_string(), 0) }
for i in range(8) { g.add_edge("n" + i.to_string(), "n" + ((i + 1) % 8).to_string()) }
d = distributed.distribute(g, partitions: 2)
d.set_behavior(Counter)
d.send(3, to: ["n0"])
print(distributed.stats().length())
"""
MESSAGING_PROGRAM = MESSAGING_TEMPLATE.replace("TARGETS", str([f"n{i}" for i in range(8)]).replace("'", '"'))
COUNT_WORKERS = 'import "distributed"\ndistributed.map([1], fn(x) { return x }).to_list()\nprint(distributed.stats().length())\n'



def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def inprocess(monkeypatch):
    monkeypatch.setenv("GRAPHOID_EXECUTOR", "inprocess")
    monkeypatch.delenv("GRAPHOID_WORKERS", raising=False)


def test_workers_option_sets_the_session_worker_count(capsys, tmp_path, inprocess):
    program = tmp_path / "count.gd"
    program.write_text(COUNT_WORKERS)
    for workers in ("3", "1"):
        assert run_cli(capsys, "run", "--workers", workers, str(program)) == (0, f"{workers}\n", "")
    assert run_cli(capsys, "run", "--workers=2", str(program), "--workers", "5") == (0, "2\n", "")


@pytest.mark.parametrize("argv, message", [
    (["run", "--workers", "0", "x.gd"], "--workers must be a positive whole number, got '0'"),
    (["run", "--workers", "two", "x.gd"], "--workers must be a positive whole number, got 'two'"),
    (["run", "--workers"], "run: --workers needs a value"),
    (["run", "--trace", "/nonexistent-dir/t.json", "x.gd"], "--trace: cannot write '/nonexistent-dir/t.json'"),
    (["run", "--frobnicate", "x.gd"], "run: unexpected argument '--frobnicate'"),
])
def test_bad_run_options_are_usage_errors(capsys, argv, message):
    code, out, err = run_cli(capsys, *argv)
    assert code == 64 and out == "" and err.startswith(f"graphoid: {message}")


def _events(path: Path) -> list[dict]:
    return json.loads(path.read_text())["traceEvents"]


def test_trace_records_supersteps_per_partition_and_tasks(capsys, tmp_path, inprocess):
    program = tmp_path / "msgs.gd"
    program.write_text(MESSAGING_PROGRAM + 'print(distributed.map([1, 2, 3], fn(x) { return x * 2 }).to_list())\n')
    trace = tmp_path / "trace.json"
    assert run_cli(capsys, "run", "--workers", "2", "--trace", str(trace), str(program)) == (0, "2\n[2, 4, 6]\n", "")
    events = _events(trace)
    spans = [event for event in events if event["ph"] == "X"]
    steps = [event for event in spans if event["cat"] == "superstep"]
    assert {event["name"] for event in steps} >= {"superstep 0", "superstep 1", "superstep 2", "superstep 3"}
    # one lane per partition, each in the process of the worker that owns it
    assert {(event["pid"], event["tid"]) for event in steps} == {(0, 100), (1, 101)}
    assert all(event["dur"] >= 0 and event["args"]["graph"] for event in steps)
    assert any(event["cat"] == "task" for event in spans)
    names = {(event["name"], event["pid"]): event["args"]["name"] for event in events if event["ph"] == "M"
             and event["name"] == "process_name"}
    assert names == {("process_name", 0): "worker 0", ("process_name", 1): "worker 1"}


def test_trace_of_a_program_without_distributed_work_is_valid_and_empty(capsys, tmp_path):
    trace = tmp_path / "trace.json"
    program = tmp_path / "plain.gd"
    program.write_text("print(1)\n")
    assert run_cli(capsys, "run", "--trace", str(trace), str(program)) == (0, "1\n", "")
    assert _events(trace) == []


def test_trace_is_written_when_the_program_fails(capsys, tmp_path, inprocess):
    program = tmp_path / "fails.gd"
    program.write_text(MESSAGING_PROGRAM + "x = 1 / 0\n")
    trace = tmp_path / "trace.json"
    code, out, err = run_cli(capsys, "run", "--trace", str(trace), "--workers", "2", str(program))
    assert code == 70 and "Division by zero" in err
    assert any(event["cat"] == "superstep" for event in _events(trace) if event["ph"] == "X")


def test_trace_with_worker_processes_names_their_pids(tmp_path):
    program = tmp_path / "msgs.gd"
    program.write_text(MESSAGING_PROGRAM)
    trace = tmp_path / "trace.json"
    env = {key: value for key, value in os.environ.items() if not key.startswith("GRAPHOID_")}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [sys.executable, "-m", "graphoid", "run", "--workers", "2", "--trace", str(trace), str(program)],
        capture_output=True, text=True, env=env, timeout=100,
    )
    assert (result.returncode, result.stdout) == (0, "2\n"), result.stderr
    events = _events(trace)
    worker_pids = {event["pid"] for event in events if event["name"] == "process_name"}
    assert len(worker_pids) == 2 and os.getpid() not in worker_pids and 0 not in worker_pids
    assert {event["pid"] for event in events if event["ph"] == "X"} <= worker_pids


# ----------------------------------------------------------------------------- progress line


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _step_done(sent: int) -> Message:
    return Message.new("STEP_DONE", src="0", id=1, graph="g", call=1, step=0, part=0, sent=sent)


def test_progress_line_appears_after_a_second_of_waiting_and_is_cleared():
    stream, clock = io.StringIO(), FakeClock()
    progress = ProgressLine(stream, clock)
    progress.close()  # drive it by hand: no refresh thread
    progress.waiting(True, 0.0)
    progress.sent("0", Message.new("STEP_BEGIN", src="c", id=1, graph="g", call=1, step=4, part=0), 0.1)
    progress.received("0", _step_done(1200), 0.2)
    progress.tick(PROGRESS_AFTER / 2)
    assert stream.getvalue() == ""  # short operations print nothing
    progress.tick(PROGRESS_AFTER + 0.5)
    assert stream.getvalue() == "\r\x1b[Kdistributed: superstep 4 · 1,200 messages · 1.5 s"
    progress.waiting(False, 2.0)
    progress.tick(2.0 + PROGRESS_IDLE / 2)  # a pause between supersteps keeps the line
    assert not stream.getvalue().endswith("\r\x1b[K")
    progress.tick(2.0 + PROGRESS_IDLE + 0.01)
    assert stream.getvalue().endswith("\r\x1b[K")
    stream.truncate(0)
    stream.seek(0)
    progress.waiting(True, 3.0)
    progress.tick(3.5)
    assert stream.getvalue() == ""  # the next operation starts counting afresh


def test_progress_only_on_a_terminal(monkeypatch):
    assert not progress_wanted(io.StringIO())
    leader, follower = pty.openpty()
    try:
        with open(follower, "w", closefd=False) as terminal:
            monkeypatch.setenv("TERM", "xterm")
            assert progress_wanted(terminal)
            monkeypatch.setenv("TERM", "dumb")
            assert not progress_wanted(terminal)
    finally:
        os.close(leader)
        os.close(follower)


def test_slow_run_on_a_terminal_draws_and_clears_the_progress_line(tmp_path):
    # The last superstep sleeps PROGRESS_AFTER + 0.6 s, so the run waits on its workers for longer
    # than PROGRESS_AFTER however fast the machine is (a counting loop was once used here; the
    # compiler made it too fast).
    program = tmp_path / "slow.gd"
    busy = f"if msg == 0 {{ time.sleep({PROGRESS_AFTER + 0.6}) }}"
    program.write_text('import "time"\n' + MESSAGING_TEMPLATE.replace("TARGETS", '["n0"]').replace(
        "fn on_message(msg) {", "fn on_message(msg) {\n" + busy))
    env = {key: value for key, value in os.environ.items() if not key.startswith("GRAPHOID_")}
    env.update(PYTHONPATH=str(ROOT), GRAPHOID_EXECUTOR="inprocess", TERM="xterm")
    leader, follower = pty.openpty()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "graphoid", "run", "--workers", "2", str(program)],
            stdout=subprocess.PIPE, stderr=follower, env=env, timeout=100,
        )
        os.close(follower)
        follower = -1
        err = _read_all(leader)
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)
    assert (result.returncode, result.stdout) == (0, b"2\n"), err
    assert "distributed: superstep" in err and " messages · " in err
    assert err.endswith("\r\x1b[K")  # cleared at the end


def _read_all(fd: int) -> str:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the other side of the pty is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", "replace")


# ----------------------------------------------------------------------------- graphoid cluster


def _cli_env(home: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GRAPHOID_")}
    env.update(PYTHONPATH=str(ROOT), GRAPHOID_HOME=str(home))
    return env


def _graphoid(home: Path, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graphoid", *argv], capture_output=True, text=True,
                          env=_cli_env(home), timeout=60)


def _gone(pids: list[int], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(Path(f"/proc/{pid}").exists() and "(Z" not in _stat(pid) for pid in pids):
            return True
        time.sleep(0.1)
    return False


def _stat(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().replace(") Z", "(Z")
    except OSError:
        return "(Z"


def test_cluster_start_status_stop_leaves_no_process(tmp_path):
    cluster = subprocess.Popen([sys.executable, "-m", "graphoid", "cluster", "start", "--workers", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_cli_env(tmp_path))
    try:
        announced = cluster.stdout.readline()
        assert announced.startswith("cluster listening on tcp://127.0.0.1:") and "2 workers" in announced
        state = json.loads((tmp_path / "cluster.json").read_text())
        worker_pids = [worker["pid"] for worker in state["workers"]]
        assert state["pid"] == cluster.pid and len(worker_pids) == 2

        status = _graphoid(tmp_path, "cluster", "status")
        assert status.returncode == 0, status.stderr
        lines = status.stdout.splitlines()
        assert "running" in lines[0] and state["address"] in lines[0]
        for worker_id, pid in sorted((worker["id"], worker["pid"]) for worker in state["workers"]):
            row = next(line for line in lines if line.startswith(worker_id + " "))
            assert str(pid) in row and " yes " in row and "MiB" in row

        again = _graphoid(tmp_path, "cluster", "start", "--workers", "1")
        assert again.returncode == 70 and "a cluster is already running" in again.stderr

        stopped = _graphoid(tmp_path, "cluster", "stop")
        assert stopped.returncode == 0 and "stopped" in stopped.stdout, stopped.stderr
        assert cluster.wait(timeout=30) == 0
        assert _gone(worker_pids, timeout=30)
        assert not (tmp_path / "cluster.json").exists()
    finally:
        if cluster.poll() is None:
            cluster.kill()
            cluster.wait()

    after = _graphoid(tmp_path, "cluster", "status")
    assert after.returncode == 70 and "no cluster is running" in after.stderr
    assert "Traceback" not in after.stderr


def test_cluster_refuses_a_public_bind_without_keys(tmp_path):
    result = _graphoid(tmp_path, "cluster", "start", "--workers", "1", "--bind", "tcp://0.0.0.0:5555")
    assert result.returncode == 64
    assert "refusing to bind tcp://0.0.0.0:5555 without CURVE keys" in result.stderr
    assert not (tmp_path / "cluster.json").exists()


@pytest.mark.parametrize("argv, message", [
    (["cluster"], "cluster needs a command"),
    (["cluster", "frobnicate"], "unknown cluster command 'frobnicate'"),
    (["cluster", "start", "--workers", "-1"], "--workers must be a whole number"),
    (["cluster", "status", "--verbose"], "cluster status: unexpected argument '--verbose'"),
    (["cluster", "keys"], "cluster keys needs a DIR argument"),
])
def test_bad_cluster_commands_are_usage_errors(capsys, argv, message):
    code, out, err = run_cli(capsys, *argv)
    assert code == 64 and out == "" and err.startswith(f"graphoid: {message}")


def test_cluster_keys_writes_loadable_key_pairs(capsys, tmp_path):
    from graphoid.distributed.transport import load_keys

    code, out, _ = run_cli(capsys, "cluster", "keys", str(tmp_path / "keys"))
    assert code == 0
    for name in ("coordinator", "client"):
        public = load_keys(tmp_path / "keys" / f"{name}.key")
        both = load_keys(tmp_path / "keys" / f"{name}.key_secret")
        assert public.secret is None and both.public == public.public and both.secret is not None
        assert (os.stat(tmp_path / "keys" / f"{name}.key_secret").st_mode & 0o077) == 0


# ----------------------------------------------------------------------------- starting early


def test_prestarted_workers_serve_the_first_operation(monkeypatch):
    from graphoid.distributed.api import session_of
    from graphoid.runtime.interpreter import Interpreter
    from graphoid.values.types import GMap

    for key in ("GRAPHOID_EXECUTOR", "GRAPHOID_WORKERS"):
        monkeypatch.delenv(key, raising=False)
    session = session_of(Interpreter(stdout=io.StringIO()))
    session.settings.workers = 1
    session.prestart()
    dropped = session._prestarted
    assert dropped is not None and not session.started
    session.configure(GMap({"workers": 1}))  # a setting changes: the early workers go
    assert session._prestarted is None
    session.prestart()
    early = session._prestarted
    try:
        assert session.executor() is early and session._prestarted is None
        pids = early.pids
        assert len(pids) == 1
    finally:
        session.close()
    assert _gone(pids + dropped.pids, timeout=30)


def test_prestart_leaves_settings_it_cannot_use_to_the_first_operation(monkeypatch):
    from graphoid.distributed.api import session_of
    from graphoid.errors import GraphoidError
    from graphoid.runtime.interpreter import Interpreter

    monkeypatch.delenv("GRAPHOID_EXECUTOR", raising=False)
    monkeypatch.setenv("GRAPHOID_WORKERS", "none")
    session = session_of(Interpreter(stdout=io.StringIO()))
    session.prestart()
    assert session._prestarted is None
    with pytest.raises(GraphoidError, match="GRAPHOID_WORKERS must be a positive whole number"):
        session.executor()
    monkeypatch.setenv("GRAPHOID_EXECUTOR", "inprocess")
    monkeypatch.setenv("GRAPHOID_WORKERS", "2")
    session = session_of(Interpreter(stdout=io.StringIO()))
    session.prestart()
    assert session._prestarted is None  # no processes to start early
