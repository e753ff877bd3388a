"""Graph messaging on local graphs: `set_behavior`, `broadcast`, `send`, `request` as BSP.

`SuperstepEngine` is a pure state machine (no graph, no I/O): the inbox of the current
superstep, the outbox that becomes the next inbox at the barrier, and the superstep budget.
`run_messages` drives it over a local graph: in each superstep the destinations are handled in
ascending node-id order, each destination's messages in arrival order. Because senders are
also processed in id order, every inbox is ordered by (sender id, send sequence), so the
result does not depend on timing or partitioning (RUNTIME_STUDY §2.3, G1-G5).

Node state: a node whose value is a class-like graph with `on_message` handles its own
messages; otherwise, with `g.set_behavior(T)`, it is lazily turned into an instance of T
(a map value seeds T's properties) which becomes the node's value. Other nodes ignore
messages. A handler error restores every node touched during the call and is re-raised
naming the node and the superstep.
"""

from __future__ import annotations

import gc
import threading
from typing import Any, Callable, Iterable

from graphoid.runtime.errors import GraphoidError
from graphoid.runtime.graph import Graph
from graphoid.runtime.graph_classes import active_stack, method_version
from graphoid.runtime.values import GList, Symbol

DEFAULT_MAX_SUPERSTEPS = 10_000
# ids of graphs with a driver-level messaging call in progress (a nested call would deadlock BSP)
_RUNNING: set[int] = set()
_MUTATORS = frozenset(
    {"add_node", "add_edge", "remove_node", "remove_edge", "set_node_type", "add_rule", "remove_rule",
     "set_behavior", "freeze", "set_edge_weight", "add_behavior"}
)


class SuperstepEngine:
    """BSP bookkeeping: seed, emit, take the current inbox, barrier. Pure and reusable."""

    __slots__ = ("superstep", "max_supersteps", "_inbox", "_outbox", "_inbox_sorted", "delivered")

    def __init__(self, max_supersteps: int = DEFAULT_MAX_SUPERSTEPS) -> None:
        self.superstep = 0
        self.max_supersteps = max_supersteps
        self._inbox: dict[str, list[Any]] = {}
        self._outbox: dict[str, list[Any]] = {}
        self._inbox_sorted = False
        self.delivered = 0

    def seed(self, dests: Iterable[str], msg: Any, *, already_sorted: bool = False) -> None:
        """Initial deliveries from the driver (superstep 0)."""
        inbox = self._inbox
        for dest in dests:
            box = inbox.get(dest)
            if box is None:
                inbox[dest] = [msg]
            else:
                box.append(msg)
        self._inbox_sorted = already_sorted

    def emit(self, dest: str, msg: Any) -> None:
        """A message sent during this superstep; delivered in the next one (G3)."""
        box = self._outbox.get(dest)
        if box is None:
            self._outbox[dest] = [msg]
        else:
            box.append(msg)

    def emit_many(self, dests: Iterable[str], msg: Any) -> None:
        """The same message to several destinations (one send or broadcast)."""
        outbox = self._outbox
        for dest in dests:
            box = outbox.get(dest)
            if box is None:
                outbox[dest] = [msg]
            else:
                box.append(msg)

    def has_work(self) -> bool:
        return bool(self._inbox)

    def take_inbox(self) -> list[tuple[str, list[Any]]]:
        """This superstep's deliveries, by ascending destination id."""
        inbox = self._inbox
        self._inbox = {}
        if self._inbox_sorted:
            items = list(inbox.items())
        else:
            items = [(dest, inbox[dest]) for dest in sorted(inbox)]
        self.delivered += sum(map(len, inbox.values()))
        return items

    def barrier(self) -> None:
        """End the superstep: the outbox becomes the next inbox; enforce the budget."""
        self._inbox, self._outbox = self._outbox, {}
        self._inbox_sorted = False
        if self._inbox:
            self.superstep += 1
            if self.superstep >= self.max_supersteps:
                raise GraphoidError(
                    "LimitError",
                    f"Graph messaging did not settle within {self.max_supersteps} supersteps "
                    f"({sum(len(b) for b in self._inbox.values())} messages still pending)",
                )


def pack(msg: Any, payload: tuple) -> Any:
    """A message with a payload travels as [msg, payload]; a bare message as itself."""
    if not payload:
        return msg
    if len(payload) > 1:
        raise GraphoidError("TypeError", "A message takes at most one payload")
    return GList((msg, payload[0]))


# ---------------------------------------------------------------------------- handler context


class HandlerContext:
    """What `self.id`, `self.graph`, `self.out_degree()` ... mean inside `on_message`.

    One context serves a whole messaging call; `node_id` moves to each destination in turn
    (handlers run one at a time), so no objects are created per delivery.
    """

    __slots__ = ("graph", "node_id", "facade")

    def __init__(self, graph: "Graph", facade: "MessagingFacade") -> None:
        self.graph = graph
        self.node_id = ""
        self.facade = facade

    def get(self, name: str) -> Any:
        return self.node_id if name == "id" else self.facade

    def call(self, name: str, args: tuple) -> Any:
        graph = self.graph
        if name == "out_degree":
            return graph.out_degree(self.node_id)
        if name == "in_degree":
            return graph.in_degree(self.node_id)
        if name == "degree":
            return graph.degree(self.node_id)
        return GList(graph.successors(self.node_id, args[0] if args else None))


class MessagingFacade:
    """`self.graph` inside a handler: send/broadcast queue messages; reads pass through."""

    gd_type_name = "graph"
    __slots__ = ("graph", "run")

    def __init__(self, graph: "Graph", run: "MessageRun") -> None:
        self.graph = graph
        self.run = run

    def call(self, name: str, args: tuple = (), kwargs: dict | None = None) -> Any:
        if name == "send" and kwargs is not None and len(args) == 1 and len(kwargs) == 2:
            # `self.graph.send(msg, from: self.id, via: "*")`: along every out-edge of the sender
            source = kwargs.get("from")
            if kwargs.get("via") == "*" and source.__class__ is str:
                out = self.graph._out.get(source)
                if out is not None and source not in self.graph._internal_ids:
                    self.run.engine.emit_many(out, args[0])
                    return None
        options = kwargs or {}
        if name == "send" or name == "broadcast":
            msg, payload = _split(name, args)
            packed = pack(msg, payload)
            targets = resolve_targets(self.graph, options) if name == "send" else self.run.all_targets()
            self.run.engine.emit_many(targets, packed)
            return None
        if name == "request":
            raise GraphoidError(
                "RuntimeError", "request() cannot be used inside on_message (it would wait on its own superstep)"
            )
        if name in _MUTATORS:
            raise GraphoidError("RuntimeError", f"'{name}' cannot change the graph from inside on_message")
        return self.graph.call(name, args, kwargs)

    def get_property(self, name: str, default: Any = None) -> Any:
        return self.graph.get_property(name, default)

    def get_member(self, name: str) -> Any:
        """`self.graph.name` reads the graph's property or data node."""
        return self.graph.get_property(name, None)

    def display(self) -> str:
        return self.graph.display()

    def node_count(self) -> int:
        return self.graph.node_count()

    def edge_count(self) -> int:
        return self.graph.edge_count()


def _split(name: str, args: tuple) -> tuple[Any, tuple]:
    if not args:
        raise GraphoidError("TypeError", f"{name}() needs a message")
    return args[0], tuple(args[1:])


_OPTIONS = frozenset({"to", "where", "from", "via", "_u_from", "max_supersteps", "atomic"})


def resolve_targets(graph: "Graph", options: dict) -> list[str]:
    """Destination ids for `to:`, `where:` or `from:` + `via:` (ascending id where several)."""
    get = options.get
    source = get("from")
    if source is None:
        # `from` is a Python keyword; the compiler may pass it mangled.
        source = get("_u_from")
    via = get("via")
    if source is not None and len(options) <= 2 and (via is None or len(options) == 2):
        if source.__class__ is str and source in graph._nodes:
            if via is None or via == "*":
                return list(graph._out[source])
            return graph.successors(source, via)
    unknown = set(options) - _OPTIONS
    if unknown:
        raise GraphoidError("TypeError", f"Unknown messaging option '{sorted(unknown)[0]}'")
    to = get("to")
    where = get("where")
    chosen = [opt for opt in (to, where, source) if opt is not None]
    if len(chosen) != 1:
        raise GraphoidError("TypeError", "Give exactly one of to:, where: or from: (with via:)")
    if to is not None:
        ids = [to] if isinstance(to, str) else list(to)
        for node_id in ids:
            if not isinstance(node_id, str) or node_id not in graph._nodes or node_id in graph._internal_ids:
                raise GraphoidError("KeyError", f"Cannot send to '{node_id}': no such node")
        return ids
    if where is not None:
        if not callable(where):
            raise GraphoidError("TypeError", "where: expects a function of the node's value")
        return [n for n in sorted(graph.node_ids()) if _truthy(where(graph._nodes[n]))]
    if not isinstance(source, str) or source not in graph._nodes:
        raise GraphoidError("KeyError", f"Cannot send from '{source}': no such node")
    if isinstance(via, Symbol):
        via = via.name
    return graph.successors(source, via if via not in (None, "*") else None)


def _truthy(value: Any) -> bool:
    return value is not None and value is not False


# ---------------------------------------------------------------------------- running


def set_behavior(graph: "Graph", template: Any) -> None:
    """Make every data node (lazily) an instance of the class-like graph `template`."""
    if template is None:
        graph.behavior.handler_template = None
        return
    if not isinstance(template, Graph) or not template.responds_to("on_message"):
        raise GraphoidError("TypeError", "set_behavior expects a class-like graph with an on_message method")
    graph.behavior.handler_template = template


class MessageRun:
    """One driver-level messaging call: engine, activated handlers, rollback snapshot."""

    def __init__(self, graph: "Graph", max_supersteps: int, atomic: bool) -> None:
        self.graph = graph
        self.engine = SuperstepEngine(max_supersteps)
        self.atomic = atomic
        self.saved: dict[str, tuple[Any, Any]] = {}
        self.handlers: dict[str, tuple[Any, Callable[..., Any] | None]] = {}
        self.functions: dict[int, Any] = {}
        self._keep: list[Any] = []  # keeps cached keys alive so their ids stay unique
        self._targets: list[str] | None = None
        self.facade = MessagingFacade(graph, self)
        self.context = HandlerContext(graph, self.facade)
        behavior = graph.behavior
        # the shared cache is valid while the behaviour template and every method are unchanged
        key = (id(behavior.handler_template), method_version())
        if behavior.handler_cache_key != key:
            behavior.handler_cache = {}
            behavior.handler_cache_key = key
        self.shared: dict[str, Any] = behavior.handler_cache

    def all_targets(self) -> list[str]:
        if self._targets is None:
            self._targets = sorted(self.graph.node_ids())
        return self._targets

    def handler_for(self, node_id: str) -> tuple[Any, Callable[..., Any] | None]:
        found = self.handlers.get(node_id)
        if found is not None:
            return found
        graph = self.graph
        value = graph._nodes.get(node_id)
        known = self.shared.get(node_id)
        if known is not None and known[0] is value:
            # activated by an earlier call and unchanged since: reuse, only snapshot state
            if self.atomic:
                self.saved[node_id] = (value, value._props.copy())
            self.handlers[node_id] = known
            return known
        instance: Any = None
        fn: Callable[..., Any] | None = None
        if value.__class__ is Graph:
            fn = self._function_of(value)
            if fn is not None:
                instance = value
        if instance is None and graph.behavior.handler_template is not None:
            template = graph.behavior.handler_template
            instance = template.instantiate(value if isinstance(value, dict) else None)
            fn = self._function_of(instance)
            if fn is None:  # the template lost its on_message since set_behavior
                instance = None
        if instance is None:
            found = (None, None)
        else:
            if self.atomic:
                self.saved[node_id] = (value, dict(instance._props) if instance is value else None)
            if instance is not value:
                graph._nodes[node_id] = instance
            found = (instance, fn)
            self.shared[node_id] = found
        self.handlers[node_id] = found
        return found

    def _function_of(self, instance: Any) -> Callable[..., Any] | None:
        """The on_message handler, cached per template for instances without own methods."""
        key: Any = instance
        if not instance.behavior.methods and instance.metadata.template is not None:
            key = instance.metadata.template
        cached = self.functions.get(id(key), _NONE)
        if cached is _NONE:
            cached = _handler_function(instance) if instance.find_method("on_message") is not None else None
            self.functions[id(key)] = cached
            self._keep.append(key)
        return cached

    def rollback(self) -> None:
        nodes = self.graph._nodes
        for node_id, (value, props) in self.saved.items():
            if node_id in nodes:
                nodes[node_id] = value
            if props is not None:
                value._props = props

    def execute(self, collect: bool = False) -> dict[str, Any]:
        """Run supersteps until no message is pending; returns superstep-0 replies if asked."""
        graph = self.graph
        if id(graph) in _RUNNING:
            raise GraphoidError(
                "RuntimeError", "Messaging on this graph is already running; inside on_message use self.graph"
            )
        _RUNNING.add(id(graph))
        engine = self.engine
        context = self.context
        handler_for = self.handler_for
        handlers_get = self.handlers.get  # activated this call already: no method call
        active = active_stack()
        replies: dict[str, Any] = {}
        try:
            while engine.has_work():
                step = engine.superstep
                replying = collect and step == 0
                for dest, msgs in engine.take_inbox():
                    found = handlers_get(dest)
                    instance, fn = found if found is not None else handler_for(dest)
                    if fn is None:
                        continue
                    context.node_id = dest
                    instance._msg_ctx = context
                    active.append(instance)
                    try:
                        folds = None if replying else getattr(fn, "_gd_folds", None)
                        if folds is not None:
                            _deliver_folding(instance, fn, folds, msgs)
                        elif replying:
                            for msg in msgs:
                                replies[dest] = fn(instance, msg)
                        else:
                            for msg in msgs:
                                fn(instance, msg)
                    except BaseException as exc:  # noqa: BLE001 - re-raised as a GraphoidError below
                        raise _handler_error(exc, dest, step) from None
                    finally:
                        active.pop()
                        instance._msg_ctx = None
                engine.barrier()
        except BaseException:
            if self.atomic:
                self.rollback()
            raise
        finally:
            _RUNNING.discard(id(graph))
            # Drop the per-call tables while the collector is still off, so their objects
            # never reach an older GC generation (which would bring on a full collection).
            self.saved = {}
            self.handlers = {}
        return replies


_NONE = object()
_GC_LOCK = threading.Lock()
_GC_PAUSES = [0]  # messaging calls (any thread) that currently hold the cyclic GC off


def _pause_gc() -> bool:
    """Hold CPython's cyclic collector off during a messaging call.

    A call allocates many long-lived containers at once (inboxes, messages, rollback
    snapshots); each survivor counts toward a full collection, which walks every object of
    the program (10k node instances: >100 ms each, half of a PageRank run). Reference
    counting still frees everything acyclic at once; cyclic garbage made by handlers waits
    until the outermost call returns. Returns whether this call paused it (for _resume_gc).
    """
    with _GC_LOCK:
        if _GC_PAUSES[0] == 0 and not gc.isenabled():
            return False  # the host program turned it off itself: leave it alone
        _GC_PAUSES[0] += 1
        gc.disable()
        return True


def _resume_gc(paused: bool) -> None:
    if not paused:
        return
    with _GC_LOCK:
        _GC_PAUSES[0] -= 1
        if _GC_PAUSES[0] == 0:
            gc.enable()


def _deliver_folding(instance: Any, fn: Callable[..., Any], folds: dict[Any, str], msgs: list[Any]) -> None:
    """Handle msgs in order; an accumulator message `[:s, x]` (fn._gd_folds: s -> property p)
    is applied as `p = p + x` directly, exactly what fn's arm for it does, while the receiver
    takes plain property writes (`_pw`). Anything else, or a failure of the fast form (missing
    property, `+` needing Graphoid's slow path or raising), runs fn, so errors keep their span."""
    glist = GList
    plain = instance._pw.ok
    props = instance._props
    for msg in msgs:
        if plain and msg.__class__ is glist and len(msg) == 2:
            try:
                prop = folds.get(msg[0])
                if prop is not None:
                    props[prop] = props[prop] + msg[1]
                    continue
            except (KeyError, TypeError):
                pass
        fn(instance, msg)
        # the handler may have frozen the receiver, added a setter or replaced its state
        plain = instance._pw.ok
        props = instance._props


def _handler_function(instance: Any) -> Callable[..., Any]:
    kind, target = instance.find_method("on_message")
    if kind == "static":
        return target
    if not target.guarded and target.default is not None:
        return target.default
    return lambda inst, msg: inst._invoke(target, "on_message", (msg,), None)


def _handler_error(exc: BaseException, node_id: str, step: int) -> BaseException:
    if not isinstance(exc, Exception):
        return exc
    if not isinstance(exc, GraphoidError):
        try:
            from graphoid.runtime.pyerrors import to_graphoid_error

            exc = to_graphoid_error(exc)
        except ImportError:
            exc = GraphoidError("RuntimeError", f"{type(exc).__name__}: {exc}")
    assert isinstance(exc, GraphoidError)
    where = f"in on_message of node '{node_id}' at superstep {step}"
    if where in exc.message:
        return exc
    return GraphoidError(
        exc.kind, f"{exc.message} ({where})", exc.span, cause=exc.cause, trace=exc.trace, hint=exc.hint
    )


def _limit(max_supersteps: Any) -> int:
    if max_supersteps is None:
        return DEFAULT_MAX_SUPERSTEPS
    if isinstance(max_supersteps, bool) or not isinstance(max_supersteps, (int, float)) or max_supersteps < 1:
        raise GraphoidError("ValueError", "max_supersteps must be a positive number")
    return int(max_supersteps)


def broadcast(graph: "Graph", msg: Any, *payload: Any, max_supersteps: Any = None, atomic: bool = True) -> None:
    """Deliver `msg` to every data node, then run the cascade to quiescence."""
    run = MessageRun(graph, _limit(max_supersteps), atomic)
    paused = _pause_gc()
    try:
        run.engine.seed(run.all_targets(), pack(msg, payload), already_sorted=True)
        run.execute()
    finally:
        _resume_gc(paused)


def send(graph: "Graph", msg: Any, *payload: Any, **options: Any) -> None:
    """Deliver to `to:`, `where:` or `from:`/`via:` targets and run to quiescence."""
    run = MessageRun(graph, _limit(options.get("max_supersteps")), _truthy(options.get("atomic", True)))
    targets = resolve_targets(graph, options)
    paused = _pause_gc()
    try:
        run.engine.seed(targets, pack(msg, payload))
        run.execute()
    finally:
        _resume_gc(paused)


def request(graph: "Graph", msg: Any, *payload: Any, **options: Any) -> Any:
    """Like send; returns the reply (`to:` one id) or the replies ordered by node id."""
    run = MessageRun(graph, _limit(options.get("max_supersteps")), _truthy(options.get("atomic", True)))
    targets = resolve_targets(graph, options)
    paused = _pause_gc()
    try:
        run.engine.seed(targets, pack(msg, payload))
        replies = run.execute(collect=True)
    finally:
        _resume_gc(paused)
    to = options.get("to")
    if isinstance(to, str):
        return replies.get(to)
    return GList(replies[node] for node in sorted(replies))
