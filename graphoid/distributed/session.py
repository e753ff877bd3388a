"""The driver's distributed runtime for one Interpreter: settings, the executor, the default run.

Nothing starts until the first distributed operation: then the executor comes up (the
embedded default: local worker processes, as many as `graphoid run --workers N`,
GRAPHOID_WORKERS or the machine's cores say; `distributed.configure({executor: :inprocess})`
keeps every worker inside this process, for tests and debugging; `:local` starts none and runs
each operation here on a local graph, local.py; a standing cluster's address, from
`graphoid run --cluster ADDR`, GRAPHOID_CLUSTER or `configure({address: ...})`, starts none
either: the operations run on that cluster's workers, executor/remote.py). The session's own run holds
every result the program computes; `distributed.run(..., run_id:)` opens others.
"""

from __future__ import annotations

import atexit
import os
import sys
import time
from typing import Any

import attrs

from graphoid.distributed.executor.base import Executor, RunContext
from graphoid.distributed.refs import RunBook
from graphoid.errors import GraphoidError
from graphoid.values.types import GMap, Symbol

EXECUTORS = ("cluster", "inprocess", "local")
WORKERS_ENV = "GRAPHOID_WORKERS"
EXECUTOR_ENV = "GRAPHOID_EXECUTOR"
# A standing cluster to use instead of starting workers, and its CURVE key directory.
CLUSTER_ENV = "GRAPHOID_CLUSTER"
CLUSTER_KEYS_ENV = "GRAPHOID_CLUSTER_KEYS"


@attrs.define
class Settings:
    """What `distributed.configure` sets; None: decided when the executor starts."""

    workers: int | None = None
    executor: str | None = None
    # Where `graphoid run --trace FILE` writes the Chrome trace; whether to draw the progress
    # line (None: when stderr is a terminal, decided as the executor starts).
    trace_path: str | None = None
    progress: bool | None = None
    # A standing cluster (executor :cluster only): its address and CURVE key directory.
    address: str | None = None
    keys: str | None = None

    def resolved_address(self) -> str | None:
        return self.address or os.environ.get(CLUSTER_ENV, "").strip() or None

    def resolved_keys(self) -> str | None:
        return self.keys or os.environ.get(CLUSTER_KEYS_ENV, "").strip() or None

    def resolved_workers(self) -> int:
        if self.workers is not None:
            return self.workers
        text = os.environ.get(WORKERS_ENV, "").strip()
        if text:
            count = _positive(text, WORKERS_ENV)
            return count
        return max(1, os.cpu_count() or 1)

    def resolved_executor(self) -> str:
        if self.executor is not None:
            return self.executor
        chosen = os.environ.get(EXECUTOR_ENV, "").strip() or "cluster"
        if chosen not in EXECUTORS:
            raise GraphoidError("ValueError", f"{EXECUTOR_ENV}={chosen!r}: expected one of {', '.join(EXECUTORS)}")
        return chosen


def _positive(text: str, what: str) -> int:
    try:
        count = int(text)
    except ValueError:
        count = 0
    if count < 1:
        raise GraphoidError("ValueError", f"{what} must be a positive whole number, got {text!r}")
    return count


class Session:
    """One Interpreter's view of the distributed runtime (see the module docstring)."""

    def __init__(self, interp: Any) -> None:
        self.interp = interp
        self.settings = Settings()
        self._executor: Executor | None = None
        self._run: RunContext | None = None
        self.runs = RunBook()  # the runs distributed.run opened (refs.py)
        self._names = 0
        self._local = False  # True once an operation ran with executor :local (no workers)
        self._trace: Any = None  # tracing.TraceRecorder while tracing
        self._progress: Any = None  # tracing.ProgressLine while drawing it
        self._prestarted: Any = None  # a ClusterExecutor whose workers are starting (prestart)

    # ---- configuration

    def configure(self, options: Any) -> None:
        if not isinstance(options, (GMap, dict)):
            raise GraphoidError("TypeError", "distributed.configure expects a map, e.g. {workers: 2}")
        for key, value in options.items():
            if key == "workers":
                if type(value) is not int or value < 1:
                    raise GraphoidError("ValueError", f"workers: must be a positive whole number, not {value!r}")
                self._reconfigure()
                self.settings.workers = value
            elif key == "executor":
                name = value.name if isinstance(value, Symbol) else value
                if name not in EXECUTORS:
                    raise GraphoidError("ValueError", f"executor: must be :{' or :'.join(EXECUTORS)}")
                self._reconfigure()
                self.settings.executor = name
            elif key in ("address", "keys"):
                if not isinstance(value, str) or not value:
                    raise GraphoidError("ValueError", f"{key}: must be a non-empty string, not {value!r}")
                self._reconfigure()
                setattr(self.settings, key, value)
            else:
                raise GraphoidError("ValueError", f"distributed.configure has no setting '{key}' "
                                                  "(workers, executor, address, keys)")

    def _reconfigure(self) -> None:
        if self._executor is not None or self._local:
            raise GraphoidError(
                "RuntimeError", "distributed.configure must come before the first distributed operation"
            )
        self._drop_prestarted()  # started with the settings this call changes

    # ---- starting early

    def prestart(self) -> None:
        """Start the worker processes now without waiting for them: they import and say HELLO
        while the driver compiles and runs the program up to its first distributed operation.
        Settings that cannot start workers leave it to that operation (which reports why)."""
        if self._executor is not None or self._prestarted is not None:
            return
        try:
            if self.local() or self.settings.resolved_executor() != "cluster":
                return
            if self.settings.resolved_address() is not None:
                return  # a standing cluster's workers are already running
            # Forking workers is safe only while this process has no zmq context: sure if zmq
            # was never imported (the command line's case).
            fork = "zmq" not in sys.modules
            from graphoid.distributed.executor.cluster import ClusterExecutor

            self._prestarted = ClusterExecutor(self.settings.resolved_workers(), wait=False, fork=fork)
        except GraphoidError:
            return

    def _drop_prestarted(self) -> None:
        prestarted, self._prestarted = self._prestarted, None
        if prestarted is not None:
            prestarted.close()

    # ---- the executor and the session's run

    def local(self) -> bool:
        """Whether operations run in the driver on local graphs (executor :local): no workers
        start, and the setting is fixed from now on."""
        if not self._local and self._executor is None:
            self._local = self.settings.resolved_executor() == "local"
        return self._local

    @property
    def started(self) -> bool:
        return self._executor is not None

    def executor(self) -> Executor:
        """The executor, started now if this is the first distributed operation; the program's
        code (its bundle) is shipped to the workers whenever it has grown."""
        executor = self._executor
        if executor is None:
            executor = self._executor = self._start()
            self._observe(executor)
            # before the process-level hook that kills workers: this one stops them cleanly
            atexit.register(self._close_at_exit)
            self._run = executor.new_run()
        executor.load_program(self.interp)
        return executor

    def _start(self) -> Executor:
        if self.local():
            raise GraphoidError("RuntimeError", "this distributed operation needs workers; executor :local has none")
        if self.settings.resolved_executor() == "cluster" and self.settings.resolved_address() is not None:
            self._drop_prestarted()
            return self._attach()
        workers = self.settings.resolved_workers()
        prestarted, self._prestarted = self._prestarted, None
        if prestarted is not None:
            try:
                prestarted.wait_started()
            except BaseException:
                prestarted.close()
                raise
            return prestarted
        if self.settings.resolved_executor() == "inprocess":
            from graphoid.distributed.executor.inprocess import InProcessExecutor

            return InProcessExecutor(workers)
        from graphoid.distributed.executor.cluster import ClusterExecutor

        return ClusterExecutor(workers)

    def _attach(self) -> Executor:
        """The executor of the standing cluster the settings name."""
        if self.settings.workers is not None:
            raise GraphoidError("ValueError", "workers: cannot be set with address: a standing cluster has its own")
        from graphoid.distributed.executor.remote import StandingClusterExecutor
        from graphoid.distributed.keys import ClusterKeys

        from graphoid.distributed.transport import is_loopback

        address, keys = self.settings.resolved_address() or "", self.settings.resolved_keys()
        if address.partition("://")[0] not in ("tcp", "ipc"):
            raise GraphoidError("NetworkError", f"{address!r} is not a cluster address (tcp://HOST:PORT or ipc://PATH)")
        if keys is None and not is_loopback(address):
            raise GraphoidError("NetworkError", f"a cluster at {address} needs CURVE keys: pass --keys DIR "
                                                "(or keys: in distributed.configure, or GRAPHOID_CLUSTER_KEYS)")
        return StandingClusterExecutor(address, keys=ClusterKeys.load(keys) if keys is not None else None)

    def _observe(self, executor: Executor) -> None:
        """Attach the trace recorder and the progress line the settings ask for (tracing.py)."""
        from graphoid.distributed import tracing

        progress = self.settings.progress
        if progress is None:
            progress = tracing.progress_wanted(sys.stderr)
        if self.settings.trace_path is None and not progress:
            return
        observers: list[tracing.Observer] = []
        if self.settings.trace_path is not None:
            pids = dict(zip(executor.worker_ids, getattr(executor, "pids", ())))
            self._trace = tracing.TraceRecorder(pids, time.perf_counter())
            observers.append(self._trace)
        if progress:
            self._progress = tracing.ProgressLine(sys.stderr)
            observers.append(self._progress)
        tracing.observe(executor, observers)

    def context(self) -> RunContext:
        self.executor()
        assert self._run is not None
        return self._run

    def graph_name(self, requested: Any) -> str:
        if requested is None:
            self._names += 1
            return f"graph{self._names}"
        if not isinstance(requested, str) or not requested:
            raise GraphoidError("TypeError", "name: must be a non-empty string")
        return requested

    def close(self) -> None:
        """Stop the workers, clear the progress line and write the trace (GraphoidError if it cannot)."""
        progress, self._progress = self._progress, None
        if progress is not None:
            progress.close()
        self._drop_prestarted()  # the program never needed them
        executor, self._executor = self._executor, None
        if executor is not None:
            atexit.unregister(self._close_at_exit)
            executor.close()
        self._write_trace()

    def _write_trace(self) -> None:
        path, self.settings.trace_path = self.settings.trace_path, None
        if path is None:
            return
        from graphoid.distributed.tracing import TraceRecorder

        recorder = self._trace if self._trace is not None else TraceRecorder({}, time.perf_counter())
        recorder.write(path)

    def _close_at_exit(self) -> None:
        try:
            self.close()
        except GraphoidError as error:
            sys.stderr.write(f"graphoid: {error.message}\n")
