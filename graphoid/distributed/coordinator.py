"""The driver-side coordinator: control ROUTER, local workers, liveness, shutdown.

All socket work happens on one background thread (zmq sockets are not thread-safe). Other threads
talk to it by queueing a callable and poking an inproc PAIR socket the loop polls; the loop
reports back through state guarded by a Condition.

    with Coordinator(2) as cluster:      # binds 127.0.0.1, starts 2 workers, waits for their HELLO
        cluster.workers["0"].data_address
"""

from __future__ import annotations

import itertools
import queue
import threading
import time
from typing import Any, Callable, Mapping, Sequence

import attrs
import zmq

from graphoid.distributed.membership import LivenessConfig, Membership
from graphoid.distributed.processes import (
    LineSink, WorkerGroup, can_fork, describe_exit, install_exit_hooks, print_line,
)
from graphoid.distributed.transport import (
    LOGGER, CurveServer, Endpoint, Envelope, PeerUnreachable, TransportError, bind_router,
)
from graphoid.errors import GraphoidError

COORDINATOR_ID = "coordinator"
MAX_MESSAGES_PER_DRAIN = 1000
# The loop's longest sleep: heartbeats are due at least this often. Nothing on the start and
# stop paths waits for it (messages and, on Linux, worker exits wake the loop).
MAX_TICK = 0.25
_wake_addresses = itertools.count()


def _nothing() -> None:
    pass


@attrs.frozen(slots=True)
class WorkerInfo:
    """What a worker told us in HELLO."""

    worker_id: str
    pid: int
    data_address: str


@attrs.frozen(slots=True)
class WorkerLost:
    """A worker declared dead, and why (missed heartbeats, process exit, unreachable)."""

    worker_id: str
    reason: str

    def describe(self) -> str:
        return f"worker {self.worker_id} {self.reason}"


# (the coordinator's loop, the message); runs on the loop thread
ControlHandler = Callable[["Coordinator", Envelope], None]


class Coordinator:
    """Starts `worker_count` local workers and watches them until `close()`."""

    # A standing cluster (relay.py) may start with none: remote workers join it later.
    MIN_WORKERS = 1

    def __init__(
        self,
        worker_count: int,
        *,
        liveness: LivenessConfig = LivenessConfig(),
        start_timeout: float = 30.0,
        bind: str = "tcp://127.0.0.1:*",
        sink: LineSink = print_line,
        worker_args: Sequence[str] = (),
        handlers: Mapping[str, ControlHandler] | None = None,
        on_lost: Callable[[WorkerLost], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        curve: CurveServer | None = None,
        fork: bool = False,
        before_wait: Callable[[], None] | None = None,
    ) -> None:
        """`fork`: the caller vouches that no zmq context exists yet in this process; then the
        workers are forked from it where `processes.can_fork` allows (they skip Python's start
        and the imports done already), else started as new processes. `before_wait` runs on
        the loop thread each time it is about to wait for sockets (handlers may leave waking
        another thread to it: that thread then runs while this one waits, not beside it)."""
        if worker_count < self.MIN_WORKERS:
            raise GraphoidError("ValueError", f"a cluster needs at least {self.MIN_WORKERS} worker, got {worker_count}")
        self.worker_ids = [str(index) for index in range(worker_count)]
        self.liveness = liveness
        self.start_timeout = start_timeout
        self.bind = bind
        self.handlers = dict(handlers or {})
        self._before_wait = before_wait or _nothing
        self.curve = curve
        self._sink = sink
        self._worker_args = tuple(worker_args)
        self._fork = fork
        self._on_lost = on_lost
        self._clock = clock
        self._membership = Membership(liveness)
        self._state = threading.Condition()
        self._workers: dict[str, WorkerInfo] = {}
        self._lost: list[WorkerLost] = []
        self._startup_error: GraphoidError | None = None
        self._started = False
        self._stopping = False
        self._commands: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._context: zmq.Context | None = None
        self._wake_address = f"inproc://graphoid-coordinator-wake-{next(_wake_addresses)}"
        self._wake_sender: zmq.Socket | None = None
        self._wake_lock = threading.Lock()
        self._thread = threading.Thread(target=self._serve, name="graphoid-coordinator", daemon=True)
        self._router: Endpoint | None = None
        self._group: WorkerGroup | None = None
        self._shutdown_deadline: float | None = None
        self._closed = False

    # ------------------------------------------------------------------------- caller side

    def start(self) -> "Coordinator":
        """Bind, start the workers and wait for every HELLO; raises a clear error if any is missing."""
        self.begin()
        return self.wait_started()

    def begin(self) -> None:
        """Bind and start the workers on the loop thread; returns at once (wait_started waits)."""
        install_exit_hooks()
        if self._fork and can_fork():  # before the context and the loop thread exist
            try:
                self._group = WorkerGroup.fork(self.worker_ids, extra_args=self._worker_args, sink=self._sink)
            except OSError:  # no process or memory to fork: spawning tries again and reports why
                self._group = None
        self._context = zmq.Context()
        # Made here, then handed to the loop thread: starting a thread is the memory barrier
        # zmq asks for when a socket changes threads.
        self._wake_receiver = self._context.socket(zmq.PAIR)
        self._wake_receiver.bind(self._wake_address)
        self._wake_sender = self._context.socket(zmq.PAIR)
        self._wake_sender.connect(self._wake_address)
        self._thread.start()

    def wait_started(self) -> "Coordinator":
        """Wait for every HELLO that begin() asked for; raises a clear error if any is missing."""
        try:
            with self._state:
                self._state.wait_for(lambda: self._started or self._startup_error is not None)
            if self._startup_error is not None:
                raise self._startup_error
        except BaseException:
            self.close()
            raise
        return self

    @property
    def workers(self) -> dict[str, WorkerInfo]:
        with self._state:
            return dict(self._workers)

    @property
    def control_address(self) -> str | None:
        """Where workers connect (known once started)."""
        return self._router.address if self._router is not None else None

    @property
    def dropped_messages(self) -> int:
        """How many invalid messages the control socket has dropped (a diagnostic)."""
        return self._router.dropped if self._router is not None else 0

    @property
    def pids(self) -> list[int]:
        return self._group.pids if self._group is not None else []

    def lost_workers(self) -> list[WorkerLost]:
        with self._state:
            return list(self._lost)

    def wait_lost(self, timeout: float) -> list[WorkerLost]:
        """Wait up to `timeout` seconds until some worker is declared dead; returns all lost so far."""
        with self._state:
            self._state.wait_for(lambda: bool(self._lost), timeout)
            return list(self._lost)

    def raise_if_lost(self) -> None:
        """Raise WorkerLostError naming every worker declared dead."""
        lost = self.lost_workers()
        if lost:
            raise GraphoidError("WorkerLostError", "; ".join(item.describe() for item in lost))

    def send(self, worker_id: str, message_type: str, *, payload: Sequence[bytes] = (), **fields: Any) -> None:
        """Queue a message to a worker; the loop sends it (an unreachable worker is declared lost)."""
        self.call_in_loop(lambda: self._send(worker_id, message_type, payload=payload, **fields))

    def send_batch(self, messages: Sequence[tuple[str, str, Mapping[str, Any]]]) -> None:
        """Queue many messages `(worker id, type, send keyword arguments)` with one wake-up."""
        def send_all() -> None:
            for worker_id, message_type, kwargs in messages:
                self._send(worker_id, message_type, **kwargs)
        self.call_in_loop(send_all)

    def call_in_loop(self, command: Callable[[], None]) -> None:
        """Run `command` on the loop thread, which owns the sockets."""
        self._commands.put(command)
        with self._wake_lock:
            if self._wake_sender is not None:
                try:
                    self._wake_sender.send(b"", zmq.NOBLOCK)
                except zmq.Again:
                    pass  # the pipe is full of wake-ups the loop has not read yet: one is enough

    def close(self, grace: float = 2.0) -> None:
        """Ask workers to leave, stop those that do not within `grace` s (by pid), release the sockets."""
        if self._closed:
            return
        self._closed = True
        if self._thread.is_alive():
            self.call_in_loop(lambda: self._begin_shutdown(grace))
            self._thread.join(grace + 2.0)
        if self._group is not None:
            self._group.stop(grace)
        with self._wake_lock:
            if self._wake_sender is not None:
                self._wake_sender.close(linger=0)
                self._wake_sender = None
        if self._context is not None and not self._thread.is_alive():
            self._context.term()

    def __enter__(self) -> "Coordinator":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ------------------------------------------------------------------------- loop thread

    def _serve(self) -> None:
        try:
            self._serve_until_done()
        except Exception as error:  # an internal bug: make start() and waiters return, then show it
            self._fail_start(GraphoidError("RuntimeError", f"the coordinator loop failed: {error!r}"))
            raise

    def _serve_until_done(self) -> None:
        assert self._context is not None
        wake = self._wake_receiver
        try:
            self._router = bind_router(self._context, self.bind, COORDINATOR_ID, curve=self.curve)
            if self._group is not None:  # forked by begin() from the main thread, which outlives the cluster
                self._group.connect(self._router.address)
            else:
                # Started from this thread: Linux's parent-death signal follows the thread that
                # started a worker, and this one lives exactly as long as the cluster.
                self._group = WorkerGroup.start(
                    self.worker_ids, self._router.address, extra_args=self._worker_args, sink=self._sink
                )
        except (GraphoidError, OSError) as error:
            self._fail_start(error if isinstance(error, GraphoidError) else
                             GraphoidError("IOError", f"cannot start workers: {error}"))
            wake.close(linger=0)
            if self._router is not None:
                self._router.close()
            return
        start_deadline = self._clock() + self.start_timeout
        poller = zmq.Poller()
        poller.register(self._router.socket, zmq.POLLIN)
        poller.register(wake, zmq.POLLIN)
        # A worker's exit wakes the loop at once where the platform has pidfds (processes.py):
        # a crash is reported and a shutdown ends without waiting for the next tick.
        exit_fds = self._group.exit_fds()
        for fd in exit_fds:
            poller.register(fd, zmq.POLLIN)
        tick_ms = int(min(self.liveness.interval / 2, MAX_TICK) * 1000)
        try:
            while not self._loop_done():
                self._before_wait()
                ready = dict(poller.poll(tick_ms))
                if wake in ready:
                    self._run_commands(wake)
                if self._router.socket in ready:
                    self._drain()
                self._check(self._clock(), start_deadline)
                for fd in [fd for fd in exit_fds if fd in ready]:  # reaped by _check: stays readable
                    poller.unregister(fd)
                    del exit_fds[fd]
        finally:
            wake.close(linger=0)
            self._router.close()

    def _run_commands(self, wake: zmq.Socket) -> None:
        while wake.poll(0):
            wake.recv()
        while True:
            try:
                command = self._commands.get_nowait()
            except queue.Empty:
                return
            command()

    def _drain(self) -> None:
        assert self._router is not None
        for _ in range(MAX_MESSAGES_PER_DRAIN):
            envelope = self._router.recv_nowait()
            if envelope is None:
                return
            self._handle(envelope)

    def _handle(self, envelope: Envelope) -> None:
        message = envelope.message
        worker_id = (envelope.peer or b"").decode("utf-8", "replace")
        if message.type == "HELLO":
            self._hello(worker_id, envelope)
            return
        if not self._membership.heard_from(worker_id, self._clock()):
            LOGGER.warning("coordinator dropped %s from unknown peer %r", message.type, worker_id[:40])
            return
        if message.type == "BYE":
            self._worker_left(worker_id, message.header.get("reason", ""))
        elif message.type != "HEARTBEAT":
            self._dispatch(worker_id, envelope)

    def _worker_left(self, worker_id: str, reason: str) -> None:
        if self._stopping:
            self._membership.left(worker_id)
        else:  # nobody asked it to leave: for the driver that is a lost worker
            self._declare_lost(worker_id, f"left ({reason or 'no reason given'})")

    def _dispatch(self, worker_id: str, envelope: Envelope) -> None:
        handler = self.handlers.get(envelope.message.type)
        if handler is None:
            LOGGER.warning("coordinator: no handler for %s from worker %s; dropped", envelope.message.type, worker_id)
            return
        try:
            handler(self, envelope)
        except (GraphoidError, TransportError) as error:
            LOGGER.warning("coordinator: %s from worker %s failed: %s", envelope.message.type, worker_id, error)

    def _hello(self, worker_id: str, envelope: Envelope) -> None:
        message = envelope.message
        if worker_id not in self.worker_ids or message["worker"] != worker_id:
            LOGGER.warning("coordinator dropped HELLO from unexpected peer %r", worker_id[:40])
            return
        self._membership.register(worker_id, self._clock())
        with self._state:
            self._workers[worker_id] = WorkerInfo(worker_id, message["pid"], message["data"])
        assert self._router is not None
        try:
            self._router.reply(envelope, "WELCOME", interval=self.liveness.interval, misses=self.liveness.misses)
        except PeerUnreachable as error:
            self._declare_lost(worker_id, str(error))

    def _send(self, worker_id: str, message_type: str, **kwargs: Any) -> None:
        assert self._router is not None
        try:
            self._router.send(message_type, to=worker_id.encode(), **kwargs)
        except PeerUnreachable as error:
            self._declare_lost(worker_id, f"is unreachable ({error})")

    def _check(self, now: float, start_deadline: float) -> None:
        assert self._group is not None
        for worker_id, returncode in self._group.exited():
            self._declare_lost(worker_id, describe_exit(returncode))
        if self._stopping:
            return
        if self._membership.ping_due(now):
            for worker_id in self._membership.alive():
                self._send(worker_id, "HEARTBEAT")
        for worker_id in self._membership.tick(now):
            self._report_lost(worker_id, self._with_pid(worker_id, self._membership.death_reason(worker_id) or ""))
        if not self._started:
            self._check_started(now, start_deadline)

    def _check_started(self, now: float, start_deadline: float) -> None:
        with self._state:
            arrived = set(self._workers)
        if arrived == set(self.worker_ids):
            with self._state:
                self._started = True
                self._state.notify_all()
        elif now > start_deadline:
            missing = [worker for worker in self.worker_ids if worker not in arrived]
            self._fail_start(GraphoidError(
                "WorkerLostError",
                f"worker{'s' if len(missing) > 1 else ''} {', '.join(missing)} did not connect within "
                f"{self.start_timeout:g} s ({len(arrived)} of {len(self.worker_ids)} arrived)",
            ))

    def _declare_lost(self, worker_id: str, reason: str) -> None:
        if self._stopping:
            return
        detail = self._with_pid(worker_id, reason)
        if not self._started and worker_id not in self._workers:
            self._fail_start(GraphoidError(
                "WorkerLostError", f"worker {worker_id} {detail} before connecting (see its output above)",
            ))
        elif self._membership.lost(worker_id, detail):
            self._report_lost(worker_id, detail)

    def _report_lost(self, worker_id: str, reason: str) -> None:
        lost = WorkerLost(worker_id, reason)
        LOGGER.warning("%s", lost.describe())
        with self._state:
            self._lost.append(lost)
            self._state.notify_all()
        if self._on_lost is not None:
            try:
                self._on_lost(lost)
            except Exception:  # the host's callback must not take the loop down with it
                LOGGER.exception("the on_lost callback failed")

    def _fail_start(self, error: GraphoidError) -> None:
        with self._state:
            if self._startup_error is None:
                self._startup_error = error
            self._state.notify_all()

    def _with_pid(self, worker_id: str, reason: str) -> str:
        """`(pid 123) reason`: the pid lets the user find the process and its logs."""
        workers = self._group.workers if self._group is not None else []
        pid = next((worker.pid for worker in workers if worker.worker_id == worker_id), None)
        return f"(pid {pid}) {reason}" if pid is not None else reason

    def _begin_shutdown(self, grace: float) -> None:
        self._stopping = True
        self._shutdown_deadline = self._clock() + grace
        for worker_id in self._membership.alive():
            self._send(worker_id, "SHUTDOWN", reason="the driver is closing the cluster")

    def _loop_done(self) -> bool:
        if self._startup_error is not None:
            return True
        if self._shutdown_deadline is None:
            return False
        assert self._group is not None
        everyone_left = not self._membership.alive() and self._group.wait(0)
        return everyone_left or self._clock() > self._shutdown_deadline
