"""A driver's connection to a standing cluster's coordinator (relay.py).

One DEALER whose identity is the driver's tag (`driver-<hex>`), owned by a loop thread: it says
ATTACH and waits for ATTACHED (the live workers and their data addresses), answers the
coordinator's heartbeats, and hands every relayed message to `on_message(worker id, message)`
and every lost worker to `on_lost`. Other threads send through `send_batch`, which queues the
messages and pokes an inproc PAIR the loop polls (zmq sockets are not thread-safe).

When the coordinator is silent for the liveness timeout, or says SHUTDOWN, every worker counts
as lost: the operation in progress fails with a WorkerLostError instead of waiting forever.
"""

from __future__ import annotations

import itertools
import os
import queue
import secrets
import threading
import time
from typing import Any, Callable, Mapping, Sequence

import msgpack
import zmq

from graphoid.distributed.coordinator import WorkerLost
from graphoid.distributed.membership import LivenessConfig
from graphoid.distributed.protocol import Message
from graphoid.distributed.relay import DRIVER_PREFIX
from graphoid.distributed.transport import LOGGER, CurveClient, Endpoint, TransportError, connect_dealer
from graphoid.errors import GraphoidError

_wake_addresses = itertools.count()
# (worker id, message type, Endpoint.send keyword arguments)
Outgoing = tuple[str, str, Mapping[str, Any]]


class ClusterClient:
    """The driver's side of a standing cluster (see the module docstring)."""

    def __init__(
        self,
        address: str,
        *,
        on_message: Callable[[str, Message], None],
        on_lost: Callable[[WorkerLost], None],
        curve: CurveClient | None = None,
        attach_timeout: float = 5.0,
    ) -> None:
        self.address = address
        self.driver_id = f"{DRIVER_PREFIX}{secrets.token_hex(8)}"
        self._on_message = on_message
        self._on_lost = on_lost
        self._curve = curve
        self._attach_timeout = attach_timeout
        self._state = threading.Condition()
        self._workers: dict[str, str] | None = None
        self._failure: GraphoidError | None = None
        self._commands: queue.SimpleQueue[list[Outgoing] | None] = queue.SimpleQueue()
        self._context = zmq.Context()
        self._wake_address = f"inproc://graphoid-client-wake-{next(_wake_addresses)}"
        self._wake_receiver = self._context.socket(zmq.PAIR)
        self._wake_receiver.bind(self._wake_address)
        self._wake_sender: zmq.Socket | None = self._context.socket(zmq.PAIR)
        self._wake_sender.connect(self._wake_address)
        self._wake_lock = threading.Lock()
        self._thread = threading.Thread(target=self._serve, name="graphoid-cluster-client", daemon=True)
        self._lost_everything = False

    def attach(self) -> dict[str, str]:
        """Connect and attach; the live workers' data addresses by id. A clear error when no
        cluster answers within the attach timeout."""
        self._thread.start()
        with self._state:
            self._state.wait_for(lambda: self._workers is not None or self._failure is not None)
            if self._failure is not None:
                failure = self._failure
            else:
                assert self._workers is not None
                return dict(self._workers)
        self.close()
        raise failure

    def send_batch(self, messages: list[Outgoing]) -> None:
        """Queue messages for workers; the loop sends them through the coordinator."""
        self._commands.put(messages)
        self._poke()

    def close(self) -> None:
        """Say DETACH (the workers free this driver's state) and release the sockets."""
        if self._thread.is_alive():
            self._commands.put(None)
            self._poke()
            self._thread.join(2.0)
        with self._wake_lock:
            if self._wake_sender is not None:
                self._wake_sender.close(linger=0)
                self._wake_sender = None
        if not self._thread.is_alive():
            self._wake_receiver.close(linger=0)
            self._context.term()

    def _poke(self) -> None:
        with self._wake_lock:
            if self._wake_sender is not None:
                try:
                    self._wake_sender.send(b"", zmq.NOBLOCK)
                except zmq.Again:
                    pass  # wake-ups the loop has not read yet: one is enough

    # ------------------------------------------------------------------------- loop thread

    def _serve(self) -> None:
        try:
            dealer = connect_dealer(self._context, self.address, self.driver_id, curve=self._curve)
        except GraphoidError as error:
            self._fail(error)
            return
        try:
            liveness = self._attach_on(dealer)
            if liveness is not None:
                self._serve_attached(dealer, liveness)
        finally:
            dealer.close()

    def _attach_on(self, dealer: Endpoint) -> LivenessConfig | None:
        dealer.send("ATTACH", pid=os.getpid())
        deadline = time.monotonic() + self._attach_timeout
        while (remaining := deadline - time.monotonic()) > 0:
            envelope = dealer.recv(remaining)
            if envelope is None or envelope.message.type != "ATTACHED":
                continue
            message = envelope.message
            try:
                table = msgpack.unpackb(message.payload[0], raw=False) if message.payload else None
            except Exception:  # hostile bytes: treated like no answer
                table = None
            if type(table) is not dict or not all(type(k) is str and type(v) is str for k, v in table.items()):
                break
            if not table:
                self._fail(GraphoidError("WorkerLostError", f"the cluster at {self.address} has no workers"))
                return None
            with self._state:
                self._workers = table
                self._state.notify_all()
            return LivenessConfig(message["interval"], message["misses"])
        self._fail(GraphoidError(
            "NetworkError",
            f"no cluster answered at {self.address} within {self._attach_timeout:g} s (is 'graphoid cluster "
            "start' running there? with CURVE keys, are they the cluster's?)",
        ))
        return None

    def _serve_attached(self, dealer: Endpoint, liveness: LivenessConfig) -> None:
        poller = zmq.Poller()
        poller.register(dealer.socket, zmq.POLLIN)
        poller.register(self._wake_receiver, zmq.POLLIN)
        last_heard = time.monotonic()
        tick_ms = int(min(liveness.interval / 2, 0.25) * 1000)
        try:
            while True:
                ready = dict(poller.poll(tick_ms))
                if self._wake_receiver in ready and not self._send_queued(dealer):
                    self._say(dealer, "DETACH")
                    return
                if dealer.socket in ready:
                    last_heard = time.monotonic()
                    self._drain(dealer)
                if time.monotonic() - last_heard > liveness.timeout:
                    self._lose_everything(f"is unreachable: the cluster coordinator at {self.address} "
                                          f"stopped answering for {liveness.timeout:g} s")
        finally:
            self._wake_receiver.close(linger=0)

    def _send_queued(self, dealer: Endpoint) -> bool:
        """Send what other threads queued; False once close() asked the loop to end."""
        while self._wake_receiver.poll(0):
            self._wake_receiver.recv()
        while True:
            try:
                batch = self._commands.get_nowait()
            except queue.Empty:
                return True
            if batch is None:
                return False
            for worker_id, message_type, fields in batch:
                try:
                    dealer.send(message_type, wkr=worker_id, **fields)
                except TransportError as error:
                    self._lose_everything(f"is unreachable: cannot reach the cluster coordinator ({error})")

    def _drain(self, dealer: Endpoint) -> None:
        while (envelope := dealer.recv_nowait()) is not None:
            message = envelope.message
            if message.type == "HEARTBEAT":
                if message["re"] is None:
                    self._say(dealer, "HEARTBEAT", re=message["id"])
            elif message.type == "WORKER_LOST":
                self._on_lost(WorkerLost(message["worker"], message["reason"]))
            elif message.type == "SHUTDOWN":
                self._lose_everything("is gone: the cluster is stopping")
            elif "wkr" in message.header:
                self._on_message(message["wkr"], message)
            else:
                LOGGER.warning("driver %s: unexpected %s from the coordinator; dropped", self.driver_id, message.type)

    def _say(self, dealer: Endpoint, message_type: str, **fields: Any) -> None:
        try:
            dealer.send(message_type, **fields)
        except TransportError:
            pass  # the coordinator is gone; silence will tell

    def _lose_everything(self, reason: str) -> None:
        if self._lost_everything:
            return
        self._lost_everything = True
        for worker_id in sorted(self._workers or {}):
            self._on_lost(WorkerLost(worker_id, reason))

    def _fail(self, error: GraphoidError) -> None:
        with self._state:
            self._failure = error
            self._state.notify_all()


def worker_messages(messages: Sequence[tuple[str, Message]]) -> list[Outgoing]:
    """A driver's [(worker id, Message)] as send_batch items (ids are the sender's, renumbered)."""
    batch = []
    for worker, message in messages:
        fields: dict[str, Any] = {key: value for key, value in message.header.items() if key not in ("src", "id")}
        fields["payload"] = message.payload
        batch.append((worker, message.type, fields))
    return batch
