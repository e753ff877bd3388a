"""The executor over local worker processes: a Coordinator, workers hosting WorkerCores.

Control messages (SUBMIT, DONE, LOCATE, ...) go between the driver and each worker through the
coordinator's ROUTER; objects move worker to worker on the data sockets (FETCH/OBJECT), never
through the driver. The driver logic is MessageDriver's, as in the in-process executor: only
the transport differs. The coordinator's loop thread only queues what arrives (worker messages,
lost workers): it never waits for the driver's lock, so heartbeats keep flowing while the driver
is busy (cutting a big graph, encoding its partitions). A caller waiting for an answer hands the
queued messages to `receive` on its own thread.

A lost worker (process exit, missed heartbeats, unreachable) fails the operation in progress at
once with a WorkerLostError naming the worker, its pid, and the objects and partitions lost;
the process exit is seen at once (Linux: the coordinator polls each worker's pidfd; elsewhere
within one loop tick, 0.25 s), silence after `liveness.timeout`.

    with ClusterExecutor(2) as executor:   # binds 127.0.0.1, starts 2 workers
        executor.load_program(interp)
"""

from __future__ import annotations

import queue
import threading
from typing import Any, Callable, Sequence

import msgpack

from graphoid.distributed.actors import ACTOR_MESSAGE_TYPES
from graphoid.distributed.coordinator import Coordinator, WorkerLost
from graphoid.distributed.executor.base import Parallelism
from graphoid.distributed.executor.driver import DRIVER_MESSAGE_TYPES, MessageDriver, Outbound
from graphoid.distributed.membership import LivenessConfig
from graphoid.distributed.processes import LineSink, print_line
from graphoid.distributed.protocol import Message
from graphoid.distributed.transport import Envelope

# How often a waiting caller looks for lost workers when no message wakes it.
_WAIT_SLICE = 0.25


class Inbox:
    """What a transport's loop thread received: (worker id, message) or (worker id, WorkerLost).
    Made before the transport starts, so nothing that arrives early is lost."""

    def __init__(self) -> None:
        self.queue: queue.SimpleQueue[tuple[str, Message | WorkerLost]] = queue.SimpleQueue()
        self.arrived = threading.Event()
        self._staged = False  # queued by `stage` since the last `release`

    def put(self, worker_id: str, item: Message | WorkerLost) -> None:
        self.queue.put((worker_id, item))
        self.arrived.set()

    def stage(self, worker_id: str, item: Message) -> None:
        """Queue `item`; the waiting caller wakes at the next `release` (the loop thread's,
        before it waits again): once for what one poll brought, while the loop is idle."""
        self.queue.put((worker_id, item))
        self._staged = True

    def release(self) -> None:
        """Wake the waiting caller if anything was staged since the last release."""
        if self._staged:
            self._staged = False
            self.arrived.set()

    def lost(self, lost: WorkerLost) -> None:
        self.put(lost.worker_id, lost)


class QueuedDriver(MessageDriver):
    """A MessageDriver whose transport runs on a loop thread of its own: that thread fills the
    Inbox; a waiting caller hands its content to the driver on its own thread. Shared with the
    driver of a standing cluster (remote.py)."""

    def __init__(self, worker_ids: Sequence[str], parallelism: Parallelism, inbox: Inbox) -> None:
        self._inbound = inbox.queue
        self._arrived = inbox.arrived
        super().__init__(worker_ids, parallelism)

    def _take_inbound(self) -> None:
        """Hand what the loop thread queued to the driver (on the caller's thread)."""
        while True:
            try:
                worker_id, item = self._inbound.get_nowait()
            except queue.Empty:
                return
            if isinstance(item, WorkerLost):
                self.worker_lost(worker_id, item.reason)
            else:
                self.receive(worker_id, item)

    def _wait_until(self, ready: Callable[[], bool], losses: int) -> None:
        while True:
            self._take_inbound()
            if ready():
                return
            self._raise_if_lost_since(losses)
            self._arrived.clear()
            if self._inbound.empty():  # (anything queued since the take is taken at once)
                self._arrived.wait(_WAIT_SLICE)

    def _send_peers(self, addresses: dict[str, str]) -> None:
        """Tell every worker where its peers' data sockets are."""
        peers = msgpack.packb(addresses)
        with self._state:
            self._deliver([(worker, self._message("PEERS", payload=[peers])) for worker in self.worker_ids])


class ClusterExecutor(QueuedDriver):
    """`workers` local worker processes "0".."n-1" (see the module docstring)."""

    def __init__(
        self,
        workers: int = 2,
        *,
        parallelism: Parallelism = Parallelism(),
        liveness: LivenessConfig = LivenessConfig(),
        start_timeout: float = 30.0,
        sink: LineSink = print_line,
        worker_args: Sequence[str] = (),
        wait: bool = True,
        fork: bool = False,
    ) -> None:
        """`wait` False: return as soon as the workers are starting; wait_started() before use.
        `fork`: see Coordinator (only a caller sure that no zmq context exists yet may ask)."""
        self._inbox = Inbox()
        self.coordinator = Coordinator(
            workers, liveness=liveness, start_timeout=start_timeout, sink=sink, worker_args=worker_args,
            handlers={**dict.fromkeys(DRIVER_MESSAGE_TYPES, self._on_message),
                      **dict.fromkeys(ACTOR_MESSAGE_TYPES, self._on_actor_message)},
            on_lost=self._on_lost, fork=fork, before_wait=self._inbox.release,
        )
        super().__init__(self.coordinator.worker_ids, parallelism, self._inbox)
        self._peers_sent = False
        self.coordinator.begin()
        if wait:
            self.wait_started()

    def wait_started(self) -> None:
        """Wait until every worker said HELLO, then tell each where its peers are (once)."""
        if self._peers_sent:
            return
        self.coordinator.wait_started()
        self._send_peers({worker: info.data_address for worker, info in self.coordinator.workers.items()})
        self._peers_sent = True

    @property
    def pids(self) -> list[int]:
        return self.coordinator.pids

    def _on_message(self, coordinator: Coordinator, envelope: Envelope) -> None:
        self._inbox.stage((envelope.peer or b"").decode("utf-8", "replace"), envelope.message)

    def _on_actor_message(self, coordinator: Coordinator, envelope: Envelope) -> None:
        """Taken on the loop thread: the actor's mailbox or the waiting requester gets it now."""
        self.actor_host.accept(envelope.message)

    def _on_lost(self, lost: WorkerLost) -> None:
        self._inbox.lost(lost)
        # requests waiting for its actors fail now, even with no caller in _wait_until to take the loss
        self._actors_lost(lost.worker_id, lost.reason)

    def _post_actor_message(self, to: str, message: Message) -> None:
        self._deliver([(to, message)])

    def _deliver(self, messages: list[Outbound]) -> None:
        batch = []
        for worker, message in messages:
            fields: dict[str, Any] = {key: value for key, value in message.header.items() if key not in ("src", "id")}
            fields["payload"] = message.payload
            batch.append((worker, message.type, fields))
        self.coordinator.send_batch(batch)

    def close(self) -> None:
        self.coordinator.close()
