"""Actors across processes: `distributed.spawn`, actor handles on the wire, their messages.

Every side of a cluster (the driver, each worker) has one ActorHost. It
- runs the actors placed on it (on a worker, by ACTOR_SPAWN: each on a thread of the program's
  interpreter, like a local actor, so a task waiting for an actor of its own worker never
  blocks it), and on the driver keeps the local actors whose handles it sent;
- gives a handle its wire form (`export`, EXT_ACTOR in codec.py) and turns a decoded address
  into a working handle (`resolve`): the actor itself where it lives, else an Actor whose
  RemoteEndpoint posts to the actor's side;
- handles ACTOR_SEND, ACTOR_REQUEST, ACTOR_REPLY, ACTOR_CLOSE and PEER_LOST in `accept`, on
  the thread the transport reads them on (a worker's socket thread, the coordinator's loop
  thread, the poster's thread in-process), never on a worker's core: a reply reaches a task
  that waits for it while the core runs that task. Only ACTOR_SPAWN goes through the core.
Routes: worker to worker on the data channels, worker to driver on the control channel. The
messages of one sender to one actor are handled in the order they were sent. A request waiting
for a process that is lost fails at once with a WorkerLostError naming the actor and the worker.

Actors placed on workers belong to the run that spawned them: END_RUN (and the end of the
session, which stops the workers) closes them.
"""

from __future__ import annotations

import itertools
import sys
import threading
from typing import TYPE_CHECKING, Any, Callable

import attrs

from graphoid.concurrency.actors import (
    LOCAL, Actor, ActorAddress, LazyMessage, LocalEndpoint, Pending, check_template, closed_error,
)
from graphoid.distributed.codec import decode, encode
from graphoid.distributed.protocol import Message
from graphoid.errors import GraphoidError, format_error
from graphoid.graphs.graph import Graph
from graphoid.values.format import display

if TYPE_CHECKING:
    from graphoid.distributed.core import Program, WorkerCore
    from graphoid.distributed.session import Session

ACTOR_ERROR = "ActorError"
WORKER_LOST = "WorkerLostError"
SERIALIZATION_ERROR = "SerializationError"
# what ActorHost.accept takes, on the thread the transport reads them on
ACTOR_MESSAGE_TYPES = ("ACTOR_SEND", "ACTOR_REQUEST", "ACTOR_REPLY", "ACTOR_CLOSE", "PEER_LOST")


@attrs.frozen(eq=False)
class ActorWire:
    """An ActorHost seen through one program's codec: handles decoded with it send through it."""

    host: "ActorHost"
    encode: Callable[[Any], bytes]
    decode: Callable[[bytes], Any]

    def export(self, actor: Actor) -> tuple[str, str | None]:
        return self.host.export(actor, self)

    def resolve(self, address: ActorAddress, run: str | None, closed: bool) -> Actor:
        return self.host.resolve(address, run, closed, self)


@attrs.frozen(eq=False)
class Hosted:
    """An actor this side runs, the run it belongs to and the codec its messages come in."""

    actor: Actor
    run: str | None
    wire: ActorWire


class _Ask(Pending):
    """A request this side sent to another process, waiting for ACTOR_REPLY."""

    __slots__ = ("location", "failed", "data")

    def __init__(self, location: str) -> None:
        super().__init__()
        self.location = location
        self.failed = False
        self.data = b""


class _ReplyTo(Pending):
    """A request from another process to an actor here: the answer goes back as ACTOR_REPLY
    (posted from the actor's thread)."""

    __slots__ = ("host", "request", "wire")

    def __init__(self, host: "ActorHost", request: Message, wire: ActorWire) -> None:
        super().__init__()
        self.host = host
        self.request = request
        self.wire = wire

    def answer(self, value: Any) -> None:
        try:
            data = self.wire.encode(value)  # encoding copies it
        except GraphoidError as error:
            self.fail(error)
            return
        self.host.reply(self.request, False, data)

    def fail(self, error: GraphoidError) -> None:
        self.host.reply(self.request, True, encode(error))


def _not_connected(to: str, message: Message) -> None:
    raise GraphoidError(ACTOR_ERROR, f"cannot reach {to}: this side is not connected to a cluster")


class ActorHost:
    """One side's actors on the wire (see the module docstring). `post(to, message)` is set by
    the transport: it sends at once, from any thread."""

    def __init__(self, node_id: str, driver_id: str) -> None:
        self.node_id = node_id
        self.driver_id = driver_id
        self.post: Callable[[str, Message], None] = _not_connected
        self.hosted: dict[tuple[str | None, int], Hosted] = {}
        self._lock = threading.Lock()
        self._asks: dict[int, _Ask] = {}
        self._lost: dict[str, str] = {}
        self._numbers = itertools.count(1)
        self._handlers: dict[str, Callable[[Message], None]] = {
            "ACTOR_SEND": self._on_send, "ACTOR_REQUEST": self._on_request, "ACTOR_REPLY": self._on_reply,
            "ACTOR_CLOSE": self._on_close, "PEER_LOST": self._on_peer_lost,
        }

    # ---- handles

    def export(self, actor: Actor, wire: ActorWire) -> tuple[str, str | None]:
        """(location, run) of `actor` on the wire; a local actor of the driver is kept here so
        that messages from workers find it."""
        endpoint = actor.endpoint
        if isinstance(endpoint, RemoteEndpoint):
            return endpoint.address.location, endpoint.run
        address = actor.address
        if address.location == LOCAL and self.node_id == self.driver_id:
            self.hosted.setdefault((None, address.actor_id), Hosted(actor, None, wire))
            return self.driver_id, None
        hosted = self._hosted_actor(actor)
        if hosted is None:
            raise GraphoidError(SERIALIZATION_ERROR, f"cannot send actor {address.label}: it was spawned on worker "
                                                     f"{self.node_id} (send actors from distributed.spawn or the driver)")
        return self.node_id, hosted.run

    def resolve(self, address: ActorAddress, run: str | None, closed: bool, wire: ActorWire) -> Actor:
        """The handle a decoded address stands for on this side (`closed`: the sender's handle
        was closed: so is this one)."""
        if address.location != self.node_id:
            return Actor(address, RemoteEndpoint(wire, address, run, closed))
        hosted = self.hosted.get((run, address.actor_id))
        if hosted is not None:
            return hosted.actor
        return Actor(address, RemoteEndpoint(wire, address, run, closed=True))  # closed, or its run ended

    def _hosted_actor(self, actor: Actor) -> Hosted | None:
        for hosted in list(self.hosted.values()):
            if hosted.actor.endpoint is actor.endpoint:
                return hosted
        return None

    # ---- actors placed here

    def place(self, run: str, address: ActorAddress, graph: Graph, program: "Program") -> None:
        """Start actor `address` of `run` over the decoded `graph` on a thread of `program`."""
        actor = program.interp.actors.spawn_at(graph, address, f" on worker {self.node_id}")
        self.hosted[(run, address.actor_id)] = Hosted(actor, run, program.wire)

    def end_run(self, run: str) -> None:
        """Close the run's actors (what is queued is still handled)."""
        for key in [key for key, hosted in self.hosted.items() if hosted.run == run]:
            self.hosted.pop(key).actor.close()

    # ---- sending (any thread)

    def send(self, address: ActorAddress, run: str | None, data: bytes) -> None:
        self._check_reachable(address)
        self.post(address.location, self._message("ACTOR_SEND", run, actor=address.actor_id, payload=[data]))

    def request(self, address: ActorAddress, run: str | None, data: bytes) -> tuple[bool, bytes]:
        """(failed, the encoded answer or error) of a request to the actor at `address`."""
        ask = _Ask(address.location)
        with self._lock:
            self._check_reachable(address)
            number = next(self._numbers)
            self._asks[number] = ask
        try:
            self.post(address.location, self._message("ACTOR_REQUEST", run, actor=address.actor_id, ask=number,
                                                      payload=[data]))
            ask.wait()
        finally:
            with self._lock:
                self._asks.pop(number, None)
        if ask.error is not None:
            raise GraphoidError(WORKER_LOST, f"actor {address.label} is lost with its worker {address.location}: "
                                             f"{ask.error.message}")
        return ask.failed, ask.data

    def close(self, address: ActorAddress, run: str | None) -> None:
        if address.location not in self._lost:
            self.post(address.location, self._message("ACTOR_CLOSE", run, actor=address.actor_id))

    def peer_lost(self, node_id: str, reason: str) -> bool:
        """`node_id` is gone: the requests waiting for it fail now, later ones at once. False
        when this side knew it already."""
        with self._lock:
            if node_id in self._lost:
                return False
            self._lost[node_id] = reason
            for ask in self._asks.values():
                if ask.location == node_id:
                    ask.fail(GraphoidError(WORKER_LOST, reason))
            return True

    def reply(self, request: Message, failed: bool, data: bytes) -> None:
        """Answer `request` (from an actor's thread): its sender may be gone meanwhile."""
        answer = self._message("ACTOR_REPLY", request["run"], actor=request["actor"], ask=request["ask"],
                               re=request["id"], failed=failed, payload=[data])
        try:
            self.post(request["src"], answer)
        except GraphoidError as error:
            self._log(f"the answer of actor #{request['actor']} could not be sent", error)

    def _check_reachable(self, address: ActorAddress) -> None:
        reason = self._lost.get(address.location)
        if reason is not None:
            raise GraphoidError(WORKER_LOST, f"actor {address.label} is lost with its worker {address.location}: "
                                             f"{reason}")

    def _message(self, type: str, run: str | None, **fields: Any) -> Message:
        return Message.new(type, src=self.node_id, id=next(self._numbers), run=run, **fields)

    # ---- receiving (the transport's thread)

    def accept(self, message: Message) -> None:
        """An actor message from another process (see the module docstring)."""
        handler = self._handlers.get(message.type)
        if handler is None or (message.type != "PEER_LOST" and len(message.payload) != (message.type != "ACTOR_CLOSE")):
            self._log(f"dropped a malformed {message.type}", None)
            return
        handler(message)

    def _on_send(self, message: Message) -> None:
        hosted = self.hosted.get((message["run"], message["actor"]))
        if hosted is None:
            self._log(f"dropped a message for actor #{message['actor']}: it is not here (closed, or its run ended)", None)
            return
        data, wire = message.payload[0], hosted.wire
        try:
            self._put(hosted, LazyMessage(lambda: wire.decode(data)), None)
        except GraphoidError as error:
            self._log(f"dropped a message for actor {hosted.actor.address.label}", error)

    def _on_request(self, message: Message) -> None:
        hosted = self.hosted.get((message["run"], message["actor"]))
        if hosted is None:
            where = "the driver" if self.node_id == self.driver_id else f"worker {self.node_id}"
            error = GraphoidError(ACTOR_ERROR, f"actor #{message['actor']} is not on {where} (closed, or its run ended)")
            self.reply(message, True, encode(error))
            return
        data, wire = message.payload[0], hosted.wire
        reply_to = _ReplyTo(self, message, wire)
        try:
            self._put(hosted, LazyMessage(lambda: wire.decode(data)), reply_to)
        except GraphoidError as error:
            reply_to.fail(error)

    @staticmethod
    def _put(hosted: Hosted, message: LazyMessage, pending: Pending | None) -> None:
        endpoint = hosted.actor.endpoint
        if not isinstance(endpoint, LocalEndpoint):
            raise GraphoidError(ACTOR_ERROR, f"actor {hosted.actor.address.label} cannot take messages here")
        endpoint.put(message, pending)

    def _on_reply(self, message: Message) -> None:
        with self._lock:
            ask = self._asks.get(message["ask"])
            if ask is None:
                return  # its requester stopped waiting (a lost worker, the time limit)
            ask.failed = bool(message.header.get("failed"))
            ask.data = message.payload[0]
            ask.settle(None, None)

    def _on_close(self, message: Message) -> None:
        hosted = self.hosted.pop((message["run"], message["actor"]), None)
        if hosted is not None:
            hosted.actor.close()

    def _on_peer_lost(self, message: Message) -> None:
        self.peer_lost(message["worker"], message.header.get("reason") or f"worker {message['worker']} was lost")

    def _log(self, what: str, error: GraphoidError | None) -> None:
        where = "driver" if self.node_id == self.driver_id else f"worker {self.node_id}"
        sys.stderr.write(f"[actors on {where}] {what}{': ' + format_error(error) if error else ''}\n")


class WorkerActors:
    """A WorkerCore's ActorHost and its core handlers: ACTOR_SPAWN (the template is decoded
    with the program) and END_RUN, which also closes the run's actors."""

    def __init__(self, core: "WorkerCore", driver_id: str) -> None:
        self.core = core
        self.host = ActorHost(core.worker_id, driver_id)
        end_run = core.handlers["END_RUN"]

        def end_run_and_close_actors(message: Message) -> None:
            end_run(message)
            self.host.end_run(message["run"])

        core.handlers.update({"ACTOR_SPAWN": self._spawn, "END_RUN": end_run_and_close_actors})

    def _spawn(self, message: Message) -> None:
        run_id, actor_id, ask = message["run"], message["actor"], message["ask"]
        try:
            program = self.core.programs.get(message["bundle"])
            if program is None:
                raise GraphoidError("FunctionNotFound", f"worker {self.core.worker_id} has no program {message['bundle']}")
            if run_id is None or len(message.payload) != 1:
                raise GraphoidError("ProtocolError", "ACTOR_SPAWN needs a run and one template frame")
            graph = check_template(decode(message.payload[0], functions=program.table), "distributed.spawn")
            self.host.place(run_id, ActorAddress(actor_id, self.core.worker_id, graph.type_of()), graph, program)
        except GraphoidError as error:
            self.core.reply(message, "ACTOR_READY", actor=actor_id, ask=ask, failed=True, payload=[encode(error)])
            return
        self.core.reply(message, "ACTOR_READY", actor=actor_id, ask=ask)


def spawn(session: "Session", template: Any, on: Any = None) -> Actor:
    """`distributed.spawn(template[, on: worker index])`: an actor on a worker (with executor
    :local, an actor on a thread of this process: the same handle either way)."""
    graph = check_template(template, "distributed.spawn")
    if on is not None and type(on) is not int:
        raise GraphoidError("TypeError", f"on: must be a worker index (a whole number), not {display(on)}")
    actors = session.interp.actors
    if session.local():
        return actors.spawn(graph)
    executor = session.executor()
    run_id = session.context().run_id
    actor_id = actors.new_id()
    worker = executor.place_actor(graph, actor_id, run_id, on)
    address = ActorAddress(actor_id, worker, graph.type_of())
    return Actor(address, RemoteEndpoint(executor.actor_wire, address, run_id))


class RemoteEndpoint:
    """A handle's end for an actor in another process: messages through the ActorHost."""

    def __init__(self, wire: ActorWire, address: ActorAddress, run: str | None, closed: bool = False) -> None:
        self.wire = wire
        self.address = address
        self.run = run
        self.closed = closed

    def send(self, message: Any) -> None:
        self._check_open()
        self.wire.host.send(self.address, self.run, self.wire.encode(message))  # encoding copies it

    def request(self, message: Any) -> Any:
        self._check_open()
        failed, data = self.wire.host.request(self.address, self.run, self.wire.encode(message))
        value = self.wire.decode(data)
        if not failed:
            return value
        if isinstance(value, GraphoidError):
            raise value
        raise GraphoidError(ACTOR_ERROR, f"actor {self.address.label} failed without a readable error")

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.wire.host.close(self.address, self.run)

    def is_closed(self) -> bool:
        return self.closed

    def _check_open(self) -> None:
        if self.closed:
            raise closed_error(self.address)
