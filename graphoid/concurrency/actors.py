"""Actors: one handle type (`Actor`) whatever the actor's location.

A handle is an address (actor id, location, type name) plus an endpoint that carries messages
to the actor: `LocalEndpoint` runs the actor on a thread of this process; the distributed
runtime supplies endpoints for actors on workers. Share-nothing: the actor's graph is a deep
copy of the spawned one, and every message and reply is copied on the way.

An actor handles its messages one at a time, in the order they were put in its mailbox. A
handler error answers a request with an ActorError (the actor's error as its cause) and is
logged when nobody asked (a `send`); either way the actor goes on with its next message.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Protocol

import attrs

from graphoid.concurrency.mailbox import CLOSED, Mailbox, MailboxClosed
from graphoid.concurrency.waiting import ProgramEnded, thread_event, wait
from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Graph, deep_copy_value
from graphoid.messaging.local import register_recipient
from graphoid.values.format import register_display, register_type_name, type_name
from graphoid.values.methods.registry import find_method
from graphoid.values.pyerrors import to_graphoid_error
from graphoid.values.types import BigNum, GList, GMap, Symbol

ACTOR_ERROR = "ActorError"
LOCAL = "local"
# Immutable values a message may share instead of being copied (handle types add themselves).
SHARED_TYPES = {int, float, str, bool, type(None), Symbol, BigNum}
_FREEZABLE = frozenset({GList, GMap})
_PASS_THROUGH = (KeyboardInterrupt, SystemExit, GeneratorExit, ProgramEnded)


@attrs.frozen(slots=True)
class ActorAddress:
    """Where an actor lives: its id (unique per driver), LOCAL or a worker id, its type name."""

    actor_id: int
    location: str
    type_name: str

    @property
    def label(self) -> str:
        return f"{self.type_name}#{self.actor_id}"


class Endpoint(Protocol):
    """What carries messages to one actor (local thread or remote worker)."""

    def send(self, message: Any) -> None: ...

    def request(self, message: Any) -> Any: ...

    def close(self) -> None: ...

    def is_closed(self) -> bool: ...


def copy_message(value: Any) -> Any:
    """The copy a receiver gets. Immutable values are shared: scalars, symbols, handles, and
    frozen lists and maps whose elements are all immutable too (they arrive frozen)."""
    cls = value.__class__
    if cls in SHARED_TYPES or (cls in _FREEZABLE and value.frozen and _deeply_immutable(value)):
        return value
    return deep_copy_value(value)


def _deeply_immutable(value: GList | GMap) -> bool:
    """Whether nothing inside the frozen list or map `value` can change (a shallow freeze
    leaves its elements mutable)."""
    try:
        for item in value.values() if value.__class__ is GMap else value:
            cls = item.__class__
            if cls not in SHARED_TYPES and not (cls in _FREEZABLE and item.frozen and _deeply_immutable(item)):
                return False
        return True
    except RecursionError:  # too deep to tell: copy it
        return False


def check_template(template: Any, operation: str) -> Graph:
    """`template` when it is a graph that answers messages, else a TypeError."""
    if not isinstance(template, Graph):
        raise GraphoidError("TypeError", f"{operation} expects a graph with an on_message method, got {type_name(template)}")
    if not template.responds_to("on_message") and "supervisor" not in template.type_names():
        raise GraphoidError("TypeError", f"{operation}: {template.type_of()} has no on_message method")
    return template


class Actor:
    """The Graphoid value of an actor: `send`, `request`, `close`, `is_closed`, `id`."""

    gd_type_name = "actor"
    __slots__ = ("address", "endpoint")

    def __init__(self, address: ActorAddress, endpoint: Endpoint) -> None:
        self.address = address
        self.endpoint = endpoint

    def send(self, message: Any = None) -> None:
        """Fire and forget: the message is queued; the actor handles it later."""
        self.endpoint.send(message)

    def request(self, message: Any = None) -> Any:
        """on_message's answer to `message` (waits for it); its error as an ActorError."""
        return self.endpoint.request(message)

    def close(self) -> None:
        """No more messages; those already queued are still handled."""
        self.endpoint.close()

    def is_closed(self) -> bool:
        return self.endpoint.is_closed()

    def id(self) -> int:
        return self.address.actor_id

    def call(self, name: str, args: tuple = (), kwargs: dict | None = None) -> Any:
        method = _METHODS.get(name)
        if method is None:
            if name == "supervise":
                return self._supervise(*args, **(kwargs or {}))
            universal = find_method(self, name)  # to_string(), type_name(), ... like every value
            if universal is not None:
                return universal(self, *args, **(kwargs or {}))
            raise GraphoidError("RuntimeError", f"actor has no method '{name}' (send, request, close, is_closed, id)")
        arity = 1 if name in ("send", "request") else 0
        if kwargs or len(args) != arity:
            raise GraphoidError("TypeError", f"actor.{name}() takes {arity} argument{'s' * (arity != 1)}, got {len(args) + len(kwargs or {})}")
        return method(self, *args)

    def _supervise(self, child: Any = None, restart: Any = None) -> None:
        """`sup.supervise(child, restart: :permanent)`: this supervisor restarts `child` when it fails."""
        supervisor = getattr(self.endpoint, "supervisor", None)
        if supervisor is None:
            raise GraphoidError("TypeError", f"actor {self.address.label} is not a supervisor (spawn a graph from supervisor)")
        if not isinstance(child, Actor):
            raise GraphoidError("TypeError", f"supervise expects an actor, got {type_name(child)}")
        supervisor.supervise(child, restart)

    def display(self) -> str:
        return f"<actor:{self.address.label}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Actor) and other.address == self.address

    def __hash__(self) -> int:
        return hash(self.address)


_METHODS: dict[str, Callable[..., Any]] = {
    "send": Actor.send, "request": Actor.request, "close": Actor.close, "is_closed": Actor.is_closed, "id": Actor.id,
}
register_type_name(Actor, Actor.gd_type_name)
SHARED_TYPES.add(Actor)
register_display(Actor, Actor.display)
# g.send/broadcast/request to a node whose value is an actor reach the actor (docs/graphs.md)
register_recipient(Actor, Actor.send, Actor.request)


def closed_error(address: ActorAddress) -> GraphoidError:
    return GraphoidError(ACTOR_ERROR, f"actor {address.label} is closed")


def handler_error(address: ActorAddress, error: GraphoidError, where: str = "") -> GraphoidError:
    """The requester's error for a failed on_message: the actor's message and location, the
    actor's own error as the cause. A spent step/time budget stays a LimitError."""
    if error.kind == "LimitError":
        return error
    return GraphoidError(ACTOR_ERROR, f"actor {address.label}{where} failed: {error.kind}: {error.message}",
                         error.span, cause=error, trace=error.trace, hint=error.hint)


def handle_message(graph: Graph, message: Any) -> Any:
    """graph.on_message(message); any exception as the GraphoidError it stands for."""
    try:
        return graph.call("on_message", (message,))
    except _PASS_THROUGH:
        raise
    except BaseException as exc:  # the user's code: every failure is reported, none escapes
        raise to_graphoid_error(exc) from None


# ---------------------------------------------------------------------------- local actors


class Pending:
    """A request waiting for its answer; `wakeup` wakes the asking thread (by default its
    thread_event: no new Event per request). The distributed runtime's subclasses send the
    answer back to another process instead."""

    __slots__ = ("wakeup", "done", "value", "error")

    def __init__(self, wakeup: threading.Event | None = None) -> None:
        self.wakeup = wakeup if wakeup is not None else thread_event()
        self.done = False
        self.value: Any = None
        self.error: GraphoidError | None = None

    def answer(self, value: Any) -> None:
        self.settle(copy_message(value), None)

    def fail(self, error: GraphoidError) -> None:
        self.settle(None, error)

    def settle(self, value: Any, error: GraphoidError | None) -> None:
        self.value = value
        self.error = error
        self.done = True  # before the wake-up: the asker re-checks `done` after every wake
        self.wakeup.set()

    def wait(self) -> None:
        """Until answered (the thread's event may have been set by an abandoned earlier wait)."""
        wakeup = self.wakeup
        while not self.done:
            wait(wakeup)
            wakeup.clear()


class LazyMessage:
    """A message made on the actor's own thread when its turn comes (one decoded from the
    wire: decoding runs the receiver's code, which belongs on the actor's thread)."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


class _WaitGraph:
    """Which local actor's thread waits for which actor's answer: a request that would close
    a cycle (A asks B while B asks A) is refused instead of waiting forever."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waits: dict["LocalEndpoint", "LocalEndpoint"] = {}

    def begin(self, asker: "LocalEndpoint", target: "LocalEndpoint") -> None:
        with self._lock:
            chain = [asker.address.label]
            current: LocalEndpoint | None = target
            while current is not None:
                chain.append(current.address.label)
                if current is asker:
                    raise GraphoidError(
                        ACTOR_ERROR, f"request cycle {' -> '.join(chain)}: the actors would wait for each other forever"
                    )
                current = self._waits.get(current)
            self._waits[asker] = target

    def end(self, asker: "LocalEndpoint") -> None:
        with self._lock:
            self._waits.pop(asker, None)


WAITS = _WaitGraph()
_running = threading.local()  # .endpoint: the local actor whose handler this thread runs


class LocalEndpoint:
    """An actor on a thread of this process (the ActorSystem runs `loop` and ends it).

    `template` is the graph as spawned: a supervisor restarts the actor from it. `supervisor`
    is set when the actor is itself a supervisor, `link` when a supervisor watches it. `where`
    names the process in errors and logs when that is not the program's own (" on worker 1")."""

    def __init__(self, address: ActorAddress, template: Graph, log: Callable[[str, GraphoidError], None],
                 where: str = "") -> None:
        self.address = address
        self.where = where
        self.template = template
        self.graph = template.clone()
        self._log = log
        self._mailbox = Mailbox()
        self.supervisor: Any = None
        self.link: Any = None
        self.restart_requested = False  # a sibling's failure restarts this one before its next message

    def send(self, message: Any) -> None:
        self.put(copy_message(message), None)

    def request(self, message: Any) -> Any:
        pending = Pending()
        asker = getattr(_running, "endpoint", None)
        if asker is not None:
            WAITS.begin(asker, self)
        try:
            self.put(copy_message(message), pending)
            pending.wait()
        finally:
            if asker is not None:
                WAITS.end(asker)
        if pending.error is not None:
            raise pending.error
        return pending.value

    def close(self) -> None:
        self._mailbox.close()

    def is_closed(self) -> bool:
        return self._mailbox.closed

    def put(self, message: Any, pending: Pending | None) -> None:
        """Queue a message already copied (or a LazyMessage) with who waits for the answer."""
        try:
            self._mailbox.put((message, pending))
        except MailboxClosed:
            raise closed_error(self.address) from None

    def restart(self) -> None:
        """Back to the spawned state (on the actor's own thread, between two messages)."""
        self.restart_requested = False
        self.graph = self.template.clone()

    def stop(self) -> None:
        """End the actor now: queued messages are dropped, their requesters get an ActorError."""
        self._fail_waiting(self._mailbox.discard(), GraphoidError(ACTOR_ERROR, f"actor {self.address.label} stopped"))

    def loop(self) -> None:
        """The actor's thread: one message at a time until the mailbox is closed and drained."""
        _running.endpoint = self
        get = self._mailbox.get
        while True:
            item = get()
            if item is CLOSED:
                return
            if self.restart_requested:
                self.restart()
            message, pending = item
            try:
                if message.__class__ is LazyMessage:
                    message = message.make()
                answer = handle_message(self.graph, message)
            except GraphoidError as error:
                if self.link is not None:  # before the answer: the requester sees the restart decided
                    self.link.failed(self, error)
                if pending is None:
                    self._log(f"actor {self.address.label}{self.where}", error)
                else:
                    pending.fail(handler_error(self.address, error, self.where))
                continue
            except BaseException:  # KeyboardInterrupt and friends: nobody may wait forever
                self._abandon(pending)
                raise
            if pending is not None:
                pending.answer(answer)

    def _abandon(self, pending: Pending | None) -> None:
        """The thread is ending abnormally: fail every request still waiting for it."""
        items = ([(None, pending)] if pending is not None else []) + self._mailbox.discard()
        self._fail_waiting(items, GraphoidError(ACTOR_ERROR, f"actor {self.address.label} stopped"))

    @staticmethod
    def _fail_waiting(items: list[tuple[Any, Pending | None]], error: GraphoidError) -> None:
        for _, waiting in items:
            if waiting is not None:
                waiting.fail(error)
