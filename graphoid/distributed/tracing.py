"""What the driver sees of a distributed run: a Chrome trace (`--trace FILE`) and a progress line.

Both watch the driver's traffic rather than being called from the executor's code: `observe`
wraps one executor instance's `_deliver` (messages out), `receive` (messages in) and
`_wait_until` (the caller blocked on workers), so an executor nobody observes runs its hot paths
untouched. Times are the driver's: a superstep of partition p on worker w spans from the
STEP_BEGIN sent to w (or, for a step the partitions began by themselves, from p's STEP_DONE of
the step before) until w's STEP_DONE arrives, a task from its SUBMIT to its DONE/FAILED, a
fetch from FETCH to OBJECT/NOT_FOUND. That includes the network both ways, which is what a
driver waiting on the barrier experiences.

The trace is Chrome trace-event JSON (Perfetto and chrome://tracing open it): one process per
worker (its OS pid, named "worker N"), lane `TASK_LANE` for tasks, `FETCH_LANE` for fetches and
`PARTITION_LANE_BASE + p` for partition p's supersteps.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from typing import Any, Callable, Mapping, Protocol, TextIO

import msgpack

from graphoid.distributed.protocol import Message
from graphoid.errors import GraphoidError

TASK_LANE = 1
FETCH_LANE = 2
PARTITION_LANE_BASE = 100

# The progress line appears once the driver has waited on workers this long without a break...
PROGRESS_AFTER = 1.0
# ...is redrawn this often, and is cleared when the driver has not waited for this long.
PROGRESS_REFRESH = 0.25
PROGRESS_IDLE = 0.3


class Observer(Protocol):
    """Told about every message the driver sends or receives, and when it starts/stops waiting."""

    def sent(self, worker_id: str, message: Message, now: float) -> None: ...
    def received(self, worker_id: str, message: Message, now: float) -> None: ...
    def waiting(self, active: bool, now: float) -> None: ...


def observe(executor: Any, observers: list[Observer], clock: Callable[[], float] = time.perf_counter) -> None:
    """Route `executor`'s traffic through `observers` (see the module docstring)."""
    deliver, receive, wait_until = executor._deliver, executor.receive, executor._wait_until

    def observed_deliver(messages: list[tuple[str, Message]]) -> None:
        now = clock()
        for worker_id, message in messages:
            for observer in observers:
                observer.sent(worker_id, message, now)
        deliver(messages)

    def observed_receive(worker_id: str, message: Message) -> None:
        now = clock()
        for observer in observers:
            observer.received(worker_id, message, now)
        receive(worker_id, message)

    def observed_wait(ready: Callable[[], bool], losses: int) -> None:
        for observer in observers:
            observer.waiting(True, clock())
        try:
            wait_until(ready, losses)
        finally:
            for observer in observers:
                observer.waiting(False, clock())

    executor._deliver = observed_deliver
    executor.receive = observed_receive
    executor._wait_until = observed_wait


def _unpack_index(message: Message) -> list[Any]:
    """The [[task id, ...], ...] list heading a SUBMIT_MANY or DONE_MANY ([] if malformed)."""
    try:
        index = msgpack.unpackb(message.payload[0], raw=False) if message.payload else []
    except (ValueError, TypeError, msgpack.UnpackException):
        return []
    return [entry[0] for entry in index if type(entry) is list and entry and type(entry[0]) is str] \
        if type(index) is list else []


class TraceRecorder:
    """Collects trace events from the driver's traffic; `write(path)` saves them."""

    def __init__(self, worker_pids: Mapping[str, int], clock_origin: float) -> None:
        self.worker_pids = dict(worker_pids)
        self.origin = clock_origin
        self.events: list[dict[str, Any]] = []
        self._open: dict[tuple, tuple[str, float]] = {}  # span key -> (worker, start)
        self._lock = threading.Lock()  # the cluster's loop thread receives, the caller sends

    # ---- Observer

    def sent(self, worker_id: str, message: Message, now: float) -> None:
        kind = message.type
        if kind == "STEP_BEGIN":
            self._begin(("step", message["graph"], message["call"], message["part"], message["step"]), worker_id, now)
        elif kind in ("COMMIT", "ROLLBACK"):
            # the next step a partition's last STEP_DONE opened never runs
            self._drop(("step", message["graph"], message["call"], message["part"]))
        elif kind == "SUBMIT":
            self._begin(("task", message["task"]), worker_id, now)
        elif kind == "SUBMIT_MANY":
            for task_id in _unpack_index(message):
                self._begin(("task", task_id), worker_id, now)
        elif kind == "FETCH":
            self._begin(("fetch", message["run"], message["oid"]), worker_id, now)

    def received(self, worker_id: str, message: Message, now: float) -> None:
        kind = message.type
        if kind == "STEP_DONE":
            graph, part, step = message["graph"], message["part"], message["step"]
            self._end(("step", graph, message["call"], part, step), f"superstep {step}", "superstep",
                      PARTITION_LANE_BASE + part, now, {"graph": graph, "partition": part, "sent": message["sent"]})
            # partitions that run on begin the next step without a STEP_BEGIN
            self._begin(("step", graph, message["call"], part, step + 1), worker_id, now)
        elif kind in ("DONE", "FAILED"):
            self._end(("task", message["task"]), "task", "task", TASK_LANE, now,
                      {"task": message["task"], "failed": kind == "FAILED"})
        elif kind == "DONE_MANY":
            for task_id in _unpack_index(message):
                self._end(("task", task_id), "task", "task", TASK_LANE, now, {"task": task_id, "failed": False})
        elif kind in ("OBJECT", "NOT_FOUND"):
            size = sum(len(frame) for frame in message.payload)
            self._end(("fetch", message["run"], message["oid"]), "fetch", "transfer", FETCH_LANE, now,
                      {"oid": message["oid"], "bytes": size})

    def waiting(self, active: bool, now: float) -> None:
        """Nothing to record: a trace shows work, and idle time is the gap between spans."""

    # ---- spans

    def _begin(self, key: tuple, worker_id: str, now: float) -> None:
        with self._lock:
            self._open[key] = (worker_id, now)

    def _drop(self, prefix: tuple) -> None:
        with self._lock:
            for key in [key for key in self._open if key[: len(prefix)] == prefix]:
                del self._open[key]

    def _end(self, key: tuple, name: str, category: str, lane: int, now: float, args: dict[str, Any]) -> None:
        with self._lock:
            started = self._open.pop(key, None)
            if started is None:
                return
            worker_id, start = started
            self.events.append({
                "name": name, "cat": category, "ph": "X", "pid": self._pid(worker_id), "tid": lane,
                "ts": round((start - self.origin) * 1e6, 3), "dur": round((now - start) * 1e6, 3), "args": args,
            })

    def _pid(self, worker_id: str) -> int:
        pid = self.worker_pids.get(worker_id)
        if pid is None:  # an in-process worker has no pid of its own: number it after its id
            pid = self.worker_pids[worker_id] = int(worker_id) if worker_id.isdigit() else len(self.worker_pids)
        return pid

    def trace(self) -> dict[str, Any]:
        """The Chrome trace-event document: the events plus process and lane names."""
        with self._lock:
            events = list(self.events)
        lanes: dict[tuple[int, int], str] = {}
        for event in events:
            lane = event["tid"]
            lanes[(event["pid"], lane)] = ("tasks" if lane == TASK_LANE else "fetches" if lane == FETCH_LANE
                                           else f"partition {lane - PARTITION_LANE_BASE}")
        names = [{"name": "process_name", "ph": "M", "pid": pid, "tid": 0, "args": {"name": f"worker {worker}"}}
                 for worker, pid in self.worker_pids.items()]
        names += [{"name": "thread_name", "ph": "M", "pid": pid, "tid": lane, "args": {"name": label}}
                  for (pid, lane), label in lanes.items()]
        return {"traceEvents": names + events, "displayTimeUnit": "ms"}

    def write(self, path: str) -> None:
        try:
            with open(path, "w", encoding="utf-8") as stream:
                json.dump(self.trace(), stream)
        except OSError as error:
            raise GraphoidError("IOError", f"cannot write the trace to {path}: {error.strerror or error}") from None


class ProgressLine:
    """`superstep 12 · 3,400,000 messages · 4.2 s` on stderr while the driver waits, `\\r`-updated.

    Shown only after the driver has been waiting on workers for PROGRESS_AFTER seconds without a
    break (short operations print nothing); cleared when the waiting stops. A daemon thread
    redraws it, so a superstep that runs for minutes still shows its elapsed time moving.
    """

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.perf_counter) -> None:
        self.stream = stream
        self.clock = clock
        self.superstep: int | None = None
        self.messages = 0
        self.tasks_done = 0
        self._busy_since: float | None = None
        self._idle_since: float | None = None
        self._shown = False
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._refresh, name="graphoid-progress", daemon=True)
        self._thread.start()

    # ---- Observer

    def sent(self, worker_id: str, message: Message, now: float) -> None:
        if message.type == "STEP_BEGIN":
            self.superstep = message["step"]

    def received(self, worker_id: str, message: Message, now: float) -> None:
        kind = message.type
        if kind == "STEP_DONE":
            self.messages += message["sent"]
            self.superstep = max(self.superstep or 0, message["step"])  # (steps run on have no STEP_BEGIN)
        elif kind in ("DONE", "FAILED"):
            self.tasks_done += 1
        elif kind == "DONE_MANY":
            self.tasks_done += len(_unpack_index(message))

    def waiting(self, active: bool, now: float) -> None:
        with self._lock:
            if active:
                self._idle_since = None
                if self._busy_since is None:
                    self._busy_since = now
            elif self._idle_since is None:
                self._idle_since = now

    # ---- drawing

    def text(self, now: float) -> str:
        assert self._busy_since is not None
        parts = []
        if self.superstep is not None:
            parts.append(f"superstep {self.superstep}")
            parts.append(f"{self.messages:,} messages")
        if self.tasks_done:
            parts.append(f"{self.tasks_done:,} tasks done")
        parts.append(f"{now - self._busy_since:.1f} s")
        return "distributed: " + " · ".join(parts)

    def tick(self, now: float) -> None:
        """Draw, redraw or clear the line for the state at `now` (the refresh thread's step)."""
        with self._lock:
            if self._idle_since is not None and now - self._idle_since >= PROGRESS_IDLE:
                self._busy_since = self._idle_since = None
                self.superstep, self.messages, self.tasks_done = None, 0, 0
                self._clear()
            elif self._busy_since is not None and now - self._busy_since >= PROGRESS_AFTER:
                self._write("\r\x1b[K" + self.text(now))
                self._shown = True

    def _clear(self) -> None:
        if self._shown:
            self._write("\r\x1b[K")
            self._shown = False

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            self._stopped.set()  # stderr went away: stop drawing

    def _refresh(self) -> None:
        while not self._stopped.wait(PROGRESS_REFRESH):
            self.tick(self.clock())

    def close(self) -> None:
        """Stop redrawing and leave the terminal line empty."""
        self._stopped.set()
        self._thread.join(timeout=1.0)
        with self._lock:
            self._clear()


def progress_wanted(stream: TextIO | None = None) -> bool:
    """The progress line is for people: only when stderr is a terminal (and TERM is not dumb)."""
    stream = sys.stderr if stream is None else stream
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False
