"""Supervision: `graph S from supervisor { ... }`, `sup.supervise(child, restart: mode)`.

A supervisor is an actor spawned from a graph that descends from the builtin `supervisor`
template; its properties choose the strategy (:one_for_one, :one_for_all, :rest_for_one),
`max_restarts` and `restart_window` (seconds). When a supervised child's on_message fails:
- :temporary children stop (queued messages dropped, their requesters get an ActorError);
- :permanent and :transient children restart (a handler error is the only way an actor
  fails, so the two modes act alike), together with the siblings the strategy names;
- more than max_restarts restarts within restart_window make the supervisor give up: it
  stops every child and itself, and says so on stderr.
A restart resets the actor to its spawned state before its next message; the handle, the
mailbox and the messages already queued stay. The failing message is not retried.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Any, Callable

import attrs

from graphoid.concurrency.actors import Actor, LocalEndpoint
from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Graph
from graphoid.values.format import display
from graphoid.values.types import Symbol

SUPERVISOR = "supervisor"
STRATEGIES = ("one_for_one", "one_for_all", "rest_for_one")
RESTART_MODES = ("permanent", "transient", "temporary")
DEFAULT_MAX_RESTARTS = 3
DEFAULT_WINDOW_SECONDS = 60


def supervisor_template() -> Graph:
    """The builtin `supervisor` graph (one per interpreter: programs may change its defaults)."""
    graph = Graph.declare_class(SUPERVISOR)
    graph.define_property("strategy", Symbol("one_for_one"))
    graph.define_property("max_restarts", DEFAULT_MAX_RESTARTS)
    graph.define_property("restart_window", DEFAULT_WINDOW_SECONDS)
    return graph


def is_supervisor(graph: Graph) -> bool:
    return SUPERVISOR in graph.type_names()


@attrs.define(eq=False)
class Child:
    endpoint: LocalEndpoint
    mode: str


class Supervisor:
    """The restart policy of one supervisor actor and its children, in supervise() order."""

    def __init__(self, endpoint: LocalEndpoint, log: Callable[[str], None],
                 clock: Callable[[], float] = time.monotonic) -> None:
        graph = endpoint.graph
        self.endpoint = endpoint
        self.strategy = _choice(graph.get_property("strategy"), STRATEGIES, "strategy")
        self.max_restarts = _count(graph.get_property("max_restarts"), "max_restarts")
        self.window = _count(graph.get_property("restart_window"), "restart_window")
        self._log = log
        self._clock = clock
        self._lock = threading.Lock()
        self._children: list[Child] = []
        self._restarts: deque[float] = deque()

    def supervise(self, actor: Actor, restart: Any) -> None:
        mode = "permanent" if restart is None else _choice(restart, RESTART_MODES, "restart")
        child = actor.endpoint
        label = actor.address.label
        if not isinstance(child, LocalEndpoint):
            raise GraphoidError("TypeError", f"supervise: actor {label} is on a worker; only local actors can be supervised")
        if child is self.endpoint:
            raise GraphoidError("ActorError", f"actor {label} cannot supervise itself")
        if child.is_closed():
            raise GraphoidError("ActorError", f"actor {label} is closed")
        with self._lock:
            if child.link is not None and child.link is not self:
                raise GraphoidError("ActorError", f"actor {label} already has a supervisor")
            self._children = [known for known in self._children if known.endpoint is not child]
            self._children.append(Child(child, mode))
            child.link = self

    def failed(self, endpoint: LocalEndpoint, error: GraphoidError) -> None:
        """`endpoint`'s on_message raised `error` (called on its thread)."""
        if self.endpoint.is_closed():
            return  # a closed supervisor no longer supervises
        with self._lock:
            index = next((i for i, child in enumerate(self._children) if child.endpoint is endpoint), None)
            if index is None:
                return
            if self._children[index].mode == "temporary":
                del self._children[index]
                endpoint.link = None
                endpoint.stop()
                return
            if not self._may_restart():
                self._give_up(endpoint)
                return
            for child in self._affected(index):
                child.endpoint.restart_requested = True
        self._log(f"[supervisor {self.endpoint.address.label}] restarting {endpoint.address.label} ({self.strategy})")

    def _affected(self, index: int) -> list[Child]:
        if self.strategy == "one_for_one":
            return [self._children[index]]
        if self.strategy == "one_for_all":
            return list(self._children)
        return self._children[index:]

    def _may_restart(self) -> bool:
        """Record a restart unless max_restarts were already made within the window."""
        now = self._clock()
        while self._restarts and now - self._restarts[0] > self.window:
            self._restarts.popleft()
        if len(self._restarts) >= self.max_restarts:
            return False
        self._restarts.append(now)
        return True

    def _give_up(self, endpoint: LocalEndpoint) -> None:
        self._log(
            f"[supervisor {self.endpoint.address.label}] {endpoint.address.label} failed more than "
            f"{self.max_restarts} times in {self.window} s: stopping its children and itself"
        )
        for child in self._children:
            child.endpoint.link = None
            child.endpoint.stop()
        self._children = []
        self.endpoint.close()


def _choice(value: Any, allowed: tuple[str, ...], what: str) -> str:
    if not isinstance(value, Symbol) or value.name not in allowed:
        options = ", ".join(f":{name}" for name in allowed)
        raise GraphoidError("ValueError", f"supervisor {what} must be one of {options}, got {display(value)}")
    return value.name


def _count(value: Any, what: str) -> int | float:
    if type(value) not in (int, float) or not value >= 0:
        raise GraphoidError("ValueError", f"supervisor {what} must be a number >= 0, got {display(value)}")
    return value
