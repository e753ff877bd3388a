"""Actors on workers (`distributed.spawn`): the worker's side and the driver's endpoint.

An actor placed on a worker lives in that worker's core: ACTOR_SEND and ACTOR_REQUEST are
handled on the core thread in arrival order, one at a time, so the order the driver sent them
in is the order on_message sees them. Its state is the worker's deep copy of the template.
Actors belong to the run that spawned them: END_RUN (and the end of the session, which stops
the workers) frees them.

On the driver an actor on a worker is the same `Actor` value as a local one
(graphoid/concurrency), with a `RemoteEndpoint` carrying its messages.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import attrs

from graphoid.concurrency.actors import (
    Actor, ActorAddress, check_template, closed_error, handle_message, handler_error,
)
from graphoid.distributed.codec import decode, encode
from graphoid.distributed.protocol import Message
from graphoid.errors import GraphoidError, format_error
from graphoid.graphs.graph import Graph
from graphoid.values.format import display

if TYPE_CHECKING:
    from graphoid.distributed.core import Program, WorkerCore
    from graphoid.distributed.executor.base import Executor
    from graphoid.distributed.session import Session

@attrs.define(eq=False)
class HostedActor:
    """An actor this worker runs: its graph and the program its functions come from."""

    label: str
    graph: Graph
    program: "Program"


class WorkerActors:
    """The actors of one WorkerCore, by (run id, actor id); adds its handlers to the core."""

    def __init__(self, core: "WorkerCore") -> None:
        self.core = core
        self.actors: dict[tuple[str, int], HostedActor] = {}
        end_run = core.handlers["END_RUN"]

        def end_run_and_free_actors(message: Message) -> None:
            end_run(message)
            for key in [key for key in self.actors if key[0] == message["run"]]:
                del self.actors[key]

        core.handlers.update({
            "ACTOR_SPAWN": self._spawn,
            "ACTOR_SEND": self._send,
            "ACTOR_REQUEST": self._request,
            "ACTOR_CLOSE": self._close,
            "END_RUN": end_run_and_free_actors,
        })

    def _spawn(self, message: Message) -> None:
        run_id, actor_id, ask = message["run"], message["actor"], message["ask"]
        try:
            program = self._program(message["bundle"])
            if run_id is None or len(message.payload) != 1:
                raise GraphoidError("ProtocolError", "ACTOR_SPAWN needs a run and one template frame")
            graph = check_template(decode(message.payload[0], functions=program.table), "distributed.spawn")
        except GraphoidError as error:
            self.core.reply(message, "ACTOR_READY", actor=actor_id, ask=ask, failed=True, payload=[encode(error)])
            return
        label = f"{graph.type_of()}#{actor_id}"
        self.actors[(run_id, actor_id)] = HostedActor(label, graph, program)
        self.core.reply(message, "ACTOR_READY", actor=actor_id, ask=ask)

    def _send(self, message: Message) -> None:
        try:
            actor, value = self._message(message)
            handle_message(actor.graph, value)
        except GraphoidError as error:
            where = f"actor {self._label(message)} on worker {self.core.worker_id}"
            sys.stderr.write(f"[{where}] {format_error(error)}\n")

    def _request(self, message: Message) -> None:
        actor_id, ask = message["actor"], message["ask"]
        try:
            actor, value = self._message(message)
            answer = actor.program.encode(handle_message(actor.graph, value))
        except GraphoidError as error:
            self.core.reply(message, "ACTOR_REPLY", actor=actor_id, ask=ask, failed=True, payload=[encode(error)])
            return
        self.core.reply(message, "ACTOR_REPLY", actor=actor_id, ask=ask, payload=[answer])

    def _close(self, message: Message) -> None:
        self.actors.pop((message["run"], message["actor"]), None)

    def _message(self, message: Message) -> tuple[HostedActor, Any]:
        actor = self.actors.get((message["run"], message["actor"]))
        if actor is None:
            raise GraphoidError("ActorError", f"actor #{message['actor']} is not on worker {self.core.worker_id}")
        if len(message.payload) != 1:
            raise GraphoidError("ProtocolError", f"{message.type} carries one message frame")
        return actor, decode(message.payload[0], functions=actor.program.table)

    def _label(self, message: Message) -> str:
        actor = self.actors.get((message["run"], message["actor"]))
        return actor.label if actor is not None else f"#{message['actor']}"

    def _program(self, bundle: str) -> "Program":
        program = self.core.programs.get(bundle)
        if program is None:
            raise GraphoidError("FunctionNotFound", f"worker {self.core.worker_id} has no program {bundle}")
        return program


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
    return Actor(address, RemoteEndpoint(executor, address, run_id))


class RemoteEndpoint:
    """The driver's end of an actor on a worker: ordered messages through the executor."""

    def __init__(self, driver: "Executor", address: ActorAddress, run_id: str) -> None:
        self.driver = driver
        self.address = address
        self.run_id = run_id
        self.closed = False

    def send(self, message: Any) -> None:
        self._check_open()
        self.driver.actor_send(self.address, self.run_id, message)  # encoding copies it

    def request(self, message: Any) -> Any:
        self._check_open()
        try:
            return self.driver.actor_request(self.address, self.run_id, message)
        except GraphoidError as error:
            if getattr(error, "raised_on", None) is None:
                raise  # the driver's own error (a lost worker, a message that cannot be sent)
            raise handler_error(self.address, error, f" on worker {self.address.location}") from None

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.driver.actor_close(self.address, self.run_id)

    def is_closed(self) -> bool:
        return self.closed

    def _check_open(self) -> None:
        if self.closed:
            raise closed_error(self.address)
