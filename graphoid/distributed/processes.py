"""Local worker processes: start them, forward their output, and make sure they end with the driver.

However the driver ends, its workers end too:
- normal exit, an uncaught GraphoidError, Ctrl-C (KeyboardInterrupt): an atexit hook stops them;
- SIGTERM / SIGHUP: a handler (installed only if the signal had its default action) stops them,
  then lets the signal kill the driver as before;
- SIGKILL or a crash: on Linux each worker asks the kernel for SIGTERM when its parent dies
  (`die_with_parent`, PR_SET_PDEATHSIG); everywhere, a worker exits when coordinator heartbeats stop.

Workers run in their own session so a terminal's Ctrl-C reaches only the driver, which decides what
to stop. Output is forwarded by one reader thread per group rather than over the control socket:
pipes also carry what a worker prints before its socket exists or as it crashes (a traceback,
a C library's message), which is exactly the output worth seeing.
"""

from __future__ import annotations

import atexit
import os
import select
import selectors
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Sequence

import attrs

# (worker id, "stdout" or "stderr", one line without its newline)
LineSink = Callable[[str, str, str], None]

_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])
_PR_SET_PDEATHSIG = 1


def print_line(worker_id: str, stream: str, line: str) -> None:
    """The default sink: the driver's own stdout/stderr, each line prefixed `[worker N] `."""
    target = sys.stdout if stream == "stdout" else sys.stderr
    target.write(f"[worker {worker_id}] {line}\n")
    target.flush()


def describe_exit(returncode: int) -> str:
    """`exited with code 3` or `killed by SIGKILL`."""
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exited with code {returncode}"


@attrs.define
class WorkerProcess:
    """One started worker: its id, the Popen that owns its pid, and (Linux) a pidfd that becomes
    readable when it exits, so waiting for an exit is event-driven rather than a polling loop."""

    worker_id: str
    popen: subprocess.Popen[bytes]
    exit_fd: int | None = attrs.field(default=None)

    @classmethod
    def started(cls, worker_id: str, popen: subprocess.Popen[bytes]) -> "WorkerProcess":
        return cls(worker_id, popen, _open_exit_fd(popen.pid))

    @property
    def pid(self) -> int:
        return self.popen.pid

    def wait_exit(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for the process to end (and reap it); True if it did."""
        if self.popen.poll() is not None:
            return True
        if self.exit_fd is None:
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                return False
            return True
        ready, _, _ = select.select([self.exit_fd], [], [], max(0.0, timeout))
        if not ready:
            return False
        self.popen.wait()  # readable means it has exited: this reaps it at once
        return True

    def close_exit_fd(self) -> None:
        if self.exit_fd is not None:
            os.close(self.exit_fd)
            self.exit_fd = None

    def close_pipes(self) -> None:
        for pipe in (self.popen.stdout, self.popen.stderr):
            if pipe is not None:
                pipe.close()


class OutputForwarder(threading.Thread):
    """Reads every worker's stdout and stderr pipes and hands complete lines to a sink."""

    def __init__(self, workers: Sequence[WorkerProcess], sink: LineSink) -> None:
        super().__init__(name="graphoid-worker-output", daemon=True)
        self._sink = sink
        self._selector = selectors.DefaultSelector()
        self._partial: dict[int, bytes] = {}
        for worker in workers:
            for stream, pipe in (("stdout", worker.popen.stdout), ("stderr", worker.popen.stderr)):
                assert pipe is not None
                self._selector.register(pipe.fileno(), selectors.EVENT_READ, (worker.worker_id, stream))
                self._partial[pipe.fileno()] = b""

    def run(self) -> None:
        while self._selector.get_map():
            for key, _ in self._selector.select():
                self._read(key.fd, *key.data)
        self._selector.close()

    def _read(self, fd: int, worker_id: str, stream: str) -> None:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            chunk = b""
        buffered = self._partial[fd] + chunk
        if not chunk:  # end of file: the worker closed the pipe or exited
            self._selector.unregister(fd)
            if buffered:
                self._sink(worker_id, stream, buffered.decode("utf-8", "replace"))
            return
        *lines, self._partial[fd] = buffered.split(b"\n")
        for line in lines:
            self._sink(worker_id, stream, line.decode("utf-8", "replace"))


class WorkerGroup:
    """Local workers started together and stopped together (by pid, never by name)."""

    def __init__(self, workers: list[WorkerProcess], forwarder: OutputForwarder) -> None:
        self.workers = workers
        self._forwarder = forwarder
        self._reported: set[str] = set()

    @classmethod
    def start(
        cls,
        worker_ids: Sequence[str],
        connect: str,
        *,
        extra_args: Sequence[str] = (),
        sink: LineSink = print_line,
    ) -> "WorkerGroup":
        """Start `python -m graphoid.distributed.worker --connect ADDR --id ID` for each id."""
        install_exit_hooks()
        workers: list[WorkerProcess] = []
        try:
            for worker_id in worker_ids:
                workers.append(WorkerProcess.started(worker_id, _spawn(worker_id, connect, extra_args)))
        except BaseException:
            _stop_processes(workers, grace=0.0)
            raise
        forwarder = OutputForwarder(workers, sink)
        group = cls(workers, forwarder)
        with _LIVE_LOCK:
            _LIVE_GROUPS.add(group)
        forwarder.start()
        return group

    @property
    def pids(self) -> list[int]:
        return [worker.pid for worker in self.workers]

    def exited(self) -> list[tuple[str, int]]:
        """(worker id, return code) of workers that ended since the last call."""
        ended = []
        for worker in self.workers:
            returncode = worker.popen.poll()
            if returncode is not None and worker.worker_id not in self._reported:
                self._reported.add(worker.worker_id)
                ended.append((worker.worker_id, returncode))
        return ended

    def exit_fds(self) -> dict[int, str]:
        """{pidfd: worker id} of the workers still running whose exit a poller can wait for
        (empty where the platform has no pidfds: then only `exited` polling sees an exit)."""
        return {worker.exit_fd: worker.worker_id for worker in self.workers
                if worker.exit_fd is not None and worker.popen.returncode is None}

    def wait(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for every worker to exit on its own; True if all did."""
        deadline = time.monotonic() + timeout
        return all(worker.wait_exit(deadline - time.monotonic()) for worker in self.workers)

    def stop(self, grace: float = 2.0) -> None:
        """SIGTERM the workers still running, SIGKILL those alive after `grace` seconds; reap all."""
        with _LIVE_LOCK:
            _LIVE_GROUPS.discard(self)
        _stop_processes(self.workers, grace)
        for worker in self.workers:
            worker.close_exit_fd()
        self._forwarder.join(timeout=grace + 1.0)
        if not self._forwarder.is_alive():  # a worker's own child may still hold a pipe open
            for worker in self.workers:
                worker.close_pipes()


def _spawn(worker_id: str, connect: str, extra_args: Sequence[str]) -> subprocess.Popen[bytes]:
    # The package root goes first on the child's path: the driver may have found graphoid through
    # its own sys.path (an embedding host, a test), which the child does not inherit.
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [_PACKAGE_ROOT, env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    command = [
        sys.executable, "-m", "graphoid.distributed.worker",
        "--connect", connect, "--id", worker_id, "--parent-pid", str(os.getpid()), *extra_args,
    ]
    return subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=env, start_new_session=True,
    )


def _open_exit_fd(pid: int) -> int | None:
    """A pidfd for `pid` (Linux 5.3+), or None where the platform or kernel has none."""
    pidfd_open = getattr(os, "pidfd_open", None)
    if pidfd_open is None:
        return None
    try:
        return pidfd_open(pid)
    except OSError:
        return None


def _stop_processes(workers: Sequence[WorkerProcess], grace: float) -> None:
    for worker in workers:
        worker.popen.send_signal(signal.SIGTERM)  # Popen skips a process it already reaped
    deadline = time.monotonic() + grace
    for worker in workers:
        if not worker.wait_exit(deadline - time.monotonic()):
            worker.popen.kill()
            worker.popen.wait()


# ----------------------------------------------------------------------------- driver exit hooks

_LIVE_GROUPS: set[WorkerGroup] = set()
_LIVE_LOCK = threading.RLock()  # re-entrant: the signal handler may interrupt a holder
_HOOKS_INSTALLED = False
_EXIT_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def install_exit_hooks() -> None:
    """Stop every live group when the driver exits (idempotent; signal handlers need the main thread)."""
    global _HOOKS_INSTALLED
    if _HOOKS_INSTALLED:
        return
    _HOOKS_INSTALLED = True
    atexit.register(stop_all)
    if threading.current_thread() is not threading.main_thread():
        return  # the atexit hook and the workers' own parent-death checks still apply
    for signum in _EXIT_SIGNALS:
        if signal.getsignal(signum) is signal.SIG_DFL:  # never replace a handler the host installed
            signal.signal(signum, _stop_then_die)


def stop_all(grace: float = 1.0) -> None:
    """Stop every group that is still running."""
    with _LIVE_LOCK:
        groups = list(_LIVE_GROUPS)
    for group in groups:
        group.stop(grace)


def _stop_then_die(signum: int, frame: object) -> None:
    stop_all()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


# ----------------------------------------------------------------------------- worker side


def die_with_parent(parent_pid: int) -> bool:
    """In a worker: ask for SIGTERM when the driver dies (Linux); False if it is already gone.

    The kernel watches the *thread* that started the worker, so the coordinator starts workers
    from its loop thread, which lives exactly as long as the cluster.
    """
    if sys.platform.startswith("linux"):
        import ctypes  # here: only a Linux worker needs it, once

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    # The driver may have died before prctl ran; then this process was re-parented already.
    return os.getppid() == parent_pid
