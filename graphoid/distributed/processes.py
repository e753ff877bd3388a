"""Local worker processes: start them, forward their output, and make sure they end with the driver.

However the driver ends, its workers end too:
- normal exit, an uncaught GraphoidError, Ctrl-C (KeyboardInterrupt): an atexit hook stops them;
- SIGTERM / SIGHUP: a handler (installed only if the signal had its default action) stops them,
  then lets the signal kill the driver as before;
- SIGKILL or a crash: on Linux each worker asks the kernel for SIGTERM when its parent dies
  (`die_with_parent`, PR_SET_PDEATHSIG); everywhere, a worker exits when coordinator heartbeats stop.

Workers run in their own session so a terminal's Ctrl-C reaches only the driver, which decides what
to stop. A worker is a new `python -m graphoid.distributed.worker` process, or, where `can_fork`
allows (Linux, a single-threaded driver without a zmq context: `graphoid run` as it starts), a fork
of the driver: it skips Python's start and every import the driver has done, imports the rest of
the worker while the driver binds its socket, and reads the address from a pipe (`connect`).

Output is forwarded by one reader thread per group rather than over the control socket:
pipes also carry what a worker prints before its socket exists or as it crashes (a traceback,
a C library's message), which is exactly the output worth seeing.
"""

from __future__ import annotations

import atexit
import io
import os
import select
import selectors
import signal
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import IO, Callable, NoReturn, Sequence

import attrs

from graphoid.errors import EXIT_OK, EXIT_RUNTIME

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


class ForkedChild:
    """The part of Popen's interface a WorkerGroup uses, for a worker forked from this process
    (only where pidfds exist: waiting with a timeout goes through the pidfd, never through here)."""

    def __init__(self, pid: int, stdout: IO[bytes], stderr: IO[bytes]) -> None:
        self.pid = pid
        self.stdout: IO[bytes] | None = stdout
        self.stderr: IO[bytes] | None = stderr
        self.returncode: int | None = None
        self._lock = threading.RLock()  # the loop thread polls while the closing thread waits

    def poll(self) -> int | None:
        return self._reap(os.WNOHANG)

    def wait(self) -> int:
        returncode = self._reap(0)
        assert returncode is not None
        return returncode

    def send_signal(self, signum: int) -> None:
        with self._lock:  # a pid is only ever reused after this object reaped it
            if self.poll() is None:
                os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def _reap(self, flags: int) -> int | None:
        with self._lock:
            if self.returncode is None:
                pid, status = os.waitpid(self.pid, flags)
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
            return self.returncode


@attrs.define
class WorkerProcess:
    """One started worker: its id, the Popen that owns its pid, and (Linux) a pidfd that becomes
    readable when it exits, so waiting for an exit is event-driven rather than a polling loop."""

    worker_id: str
    popen: subprocess.Popen[bytes] | ForkedChild
    exit_fd: int | None = attrs.field(default=None)

    @classmethod
    def started(cls, worker_id: str, popen: subprocess.Popen[bytes] | ForkedChild) -> "WorkerProcess":
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

    def __init__(
        self, workers: list[WorkerProcess], forwarder: OutputForwarder, address_pipes: Sequence[int] = ()
    ) -> None:
        self.workers = workers
        self._forwarder = forwarder
        self._reported: set[str] = set()
        self._address_pipes = list(address_pipes)  # forked workers wait on these for `connect`

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
        return cls._watch(workers, sink)

    @classmethod
    def fork(
        cls, worker_ids: Sequence[str], *, extra_args: Sequence[str] = (), sink: LineSink = print_line
    ) -> "WorkerGroup":
        """Fork a worker per id (see `can_fork`): each starts with the modules this process has
        imported, imports the rest of the worker, and waits for `connect` to name the address."""
        install_exit_hooks()
        workers: list[WorkerProcess] = []
        address_pipes: list[int] = []
        try:
            for worker_id in worker_ids:
                worker, address_pipe = _fork_worker(worker_id, extra_args)
                workers.append(worker)
                address_pipes.append(address_pipe)
        except BaseException:
            for pipe in address_pipes:
                os.close(pipe)
            _stop_processes(workers, grace=0.0)
            raise
        return cls._watch(workers, sink, address_pipes)

    @classmethod
    def _watch(
        cls, workers: list[WorkerProcess], sink: LineSink, address_pipes: Sequence[int] = ()
    ) -> "WorkerGroup":
        """Register the started workers for the exit hooks and forward their output."""
        forwarder = OutputForwarder(workers, sink)
        group = cls(workers, forwarder, address_pipes)
        with _LIVE_LOCK:
            _LIVE_GROUPS.add(group)
        forwarder.start()  # the first thread: every fork is done
        return group

    def connect(self, address: str) -> None:
        """Tell forked workers the coordinator's control address (a worker that exited already
        is reported by `exited`, not here)."""
        for pipe in self._take_address_pipes():
            try:
                os.write(pipe, address.encode() + b"\n")
            except BrokenPipeError:
                pass
            finally:
                os.close(pipe)

    def _take_address_pipes(self) -> list[int]:
        """The pipes not yet written, each handed out once (`connect` and `stop` may race)."""
        pipes, self._address_pipes = self._address_pipes, []
        return pipes

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
        for pipe in self._take_address_pipes():  # a forked worker still waiting ends at this end of file
            os.close(pipe)
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


def can_fork() -> bool:
    """Whether workers may be forked from this process: on Linux with pidfds, from the main
    thread while it is the only thread (a fork copies no other thread, so a lock another thread
    holds would stay locked in the child) and before a zmq context exists (the caller's part)."""
    if not hasattr(os, "fork") or threading.current_thread() is not threading.main_thread():
        return False
    if threading.active_count() != 1:
        return False
    probe = _open_exit_fd(os.getpid())
    if probe is None:
        return False
    os.close(probe)
    return True


def _fork_worker(worker_id: str, extra_args: Sequence[str]) -> tuple[WorkerProcess, int]:
    """Fork one worker; returns it and the write end of the pipe its address goes through."""
    address_read, address_write = os.pipe()
    out_read, out_write = os.pipe()
    err_read, err_write = os.pipe()
    parent_pid = os.getpid()
    for stream in (sys.stdout, sys.stderr):  # else the child could write the driver's buffered output
        if stream is not None:
            stream.flush()
    pid = os.fork()
    if pid == 0:
        _become_worker(worker_id, parent_pid, (address_read, out_write, err_write), extra_args)
    for fd in (address_read, out_write, err_write):
        os.close(fd)
    child = ForkedChild(pid, os.fdopen(out_read, "rb", buffering=0), os.fdopen(err_read, "rb", buffering=0))
    return WorkerProcess.started(worker_id, child), address_write


# A forked worker's file descriptors: stdin, stdout, stderr (its pipes to the driver), the address.
_ADDRESS_FD = 3


def _become_worker(
    worker_id: str, parent_pid: int, fds: tuple[int, int, int], extra_args: Sequence[str]
) -> NoReturn:
    """In a forked child: become `python -m graphoid.distributed.worker` with the driver's
    modules already imported; never returns (os._exit: the driver's exit hooks are not ours)."""
    code = EXIT_RUNTIME
    try:
        _detach(*fds)
        from graphoid.distributed import worker  # imported while the driver binds its socket

        address = os.fdopen(_ADDRESS_FD, "rb").readline().decode().strip()
        if not address:  # the driver closed the pipe: it is stopping, or it is gone
            raise SystemExit(EXIT_RUNTIME)
        code = worker.main(
            ["--connect", address, "--id", worker_id, "--parent-pid", str(parent_pid), *extra_args]
        )
    except SystemExit as stop:
        code = EXIT_OK if stop.code is None else stop.code if isinstance(stop.code, int) else EXIT_RUNTIME
    except BaseException:  # noqa: BLE001 - shown as a spawned worker would show it, then exit
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)


def _detach(address_read: int, stdout_write: int, stderr_write: int) -> None:
    """What Popen does for a spawned worker: default signal handlers, a session of its own,
    stdin from /dev/null, stdout and stderr to the driver's pipes, no other inherited file;
    and unbuffered output (PYTHONUNBUFFERED), so lines reach the driver as they are written."""
    for signum in (*_EXIT_SIGNALS, signal.SIGINT):
        signal.signal(signum, signal.SIG_DFL)
    import fcntl  # here: POSIX only, and only a forked child needs it

    os.setsid()
    sources = (os.open(os.devnull, os.O_RDONLY), stdout_write, stderr_write, address_read)
    # Moved above the targets first: a driver started with stdin closed has pipes at fd 0..2.
    moved = [fcntl.fcntl(fd, fcntl.F_DUPFD, _ADDRESS_FD + 1) for fd in sources]
    for source, target in zip(moved, (0, 1, 2, _ADDRESS_FD)):
        os.dup2(source, target)
    os.closerange(_ADDRESS_FD + 1, os.sysconf("SC_OPEN_MAX"))  # the driver's files and sockets, other workers' pipes
    sys.stdin = open(0, closefd=False)  # noqa: SIM115 - the process's stdin for its whole life
    sys.stdout = _unbuffered_text(1, sys.stdout)
    sys.stderr = _unbuffered_text(2, sys.stderr)


def _unbuffered_text(fd: int, like: IO[str] | None) -> io.TextIOWrapper:
    encoding = getattr(like, "encoding", None) or "utf-8"
    errors = getattr(like, "errors", None) or "backslashreplace"
    return io.TextIOWrapper(io.FileIO(fd, "w", closefd=False), encoding=encoding, errors=errors, write_through=True)


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
    from its loop thread, which lives exactly as long as the cluster (forked ones come from the
    main thread, which lives as long as the driver).
    """
    if sys.platform.startswith("linux"):
        import ctypes  # here: only a Linux worker needs it, once

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    # The driver may have died before prctl ran; then this process was re-parented already.
    return os.getppid() == parent_pid
