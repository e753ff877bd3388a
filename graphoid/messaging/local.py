"""Graph messaging on local graphs: `set_behavior`, `broadcast`, `send`, `request` as BSP.

The superstep engines themselves are pure state machines (graphoid.messaging.engine).
`MessageRun.execute` drives a SlotEngine over a local graph through its cached `DeliveryPlan` (node ids sorted
into slots, adjacency as slot lists, reused while the graph's `_topo` is unchanged): in each
superstep the destinations are handled in ascending node-id order, each destination's
messages in arrival order. Because senders are also processed in id order, every inbox is
ordered by (sender id, send sequence), so the result does not depend on timing or
partitioning (RUNTIME_STUDY §2.3, G1-G5).

Node state: a node whose value is a class-like graph with `on_message` handles its own
messages; otherwise, with `g.set_behavior(T)`, it is lazily turned into an instance of T
(a map value seeds T's properties) which becomes the node's value. Other nodes ignore
messages. A handler error restores every node touched during the call and is re-raised
naming the node and the superstep.

Topology changes made by handlers (`self.graph.add_node/add_edge/remove_node/remove_edge`)
are buffered and applied at the barrier in (node id, sequence) order; the plan is then
rebuilt and pending messages move to the new slots (those for removed nodes are dropped).
A change that fails rolls back the whole call, topology included (RUNTIME_STUDY §2.3 #7).

Whole-graph supersteps (a broadcast to a graph of data nodes, and the routed step after it)
run by dedicated loops over every node's cached activation: compiled symbol arms called
directly, routed sends stored in the engine's lane, accumulator folds summed in C. They give
exactly what node-by-node delivery gives (docs/design.md, "Graphs").
"""

from __future__ import annotations

import gc
import sys
import threading
from collections import deque
from functools import partial, reduce
from itertools import repeat
from operator import add, call, is_, itemgetter, setitem
from typing import Any, Callable, Iterable

from graphoid.messaging import vector_fold
from graphoid.messaging.engine import DEFAULT_MAX_SUPERSTEPS, MIXED, UNDECIDED, UNSENT, Routes, SlotEngine, as_messages
from graphoid.messaging.vector_fold import FoldIndex
from graphoid.errors import GraphoidError, TraceEntry
from graphoid.graphs.graph import Graph
from graphoid.graphs.methods import add_graph_method
from graphoid.graphs.classes import PROPS_REPLACED, active_stack, context_keys_epoch, context_keys_may_appear, method_version
from graphoid.values.types import GList, Symbol
from graphoid.values.format import describe, type_name
from graphoid.errors import GraphoidError
from graphoid.values.limits import metered

# ids of graphs with a driver-level messaging call in progress (a nested call would deadlock BSP)
_RUNNING: set[int] = set()
# topology changes a handler may make: buffered, applied at the superstep barrier
_BUFFERED = frozenset({"add_node", "add_edge", "remove_node", "remove_edge"})
# other graph changes stay refused inside on_message (they would alter rules or behaviour mid-call)
_MUTATORS = frozenset(
    {"set_node_type", "add_rule", "remove_rule", "set_behavior", "freeze", "set_edge_weight", "add_behavior"}
)


class DeliveryPlan:
    """A graph's topology as integer slots, cached on the graph while its `_topo` is unchanged.

    `ids` are all node ids in ascending order (slot = index); `out[s]` the slots of s's
    out-neighbours in edge order (`routes` adds the reverse view); `data` the slots of data
    nodes (broadcast targets); `buffers` the engine's two box arrays; `handlers` the
    (instance, fn, folds) activated per slot, valid while `handler_key` (template, method
    version) holds; `warm` the same as parallel lists, for whole-graph supersteps.

    A partition of a distributed graph passes its `ghosts` (nodes other partitions own): they
    take the slots after the `owned` ones, never handle messages and are never broadcast to
    (see Routes).
    """

    __slots__ = (
        "version", "ids", "slot", "out", "routes", "data", "buffers", "handlers", "handler_key", "warm", "owned",
        "ghosts", "peer_slots", "fold_index",
    )

    def __init__(self, graph: "Graph", ghosts: frozenset[str] = frozenset()) -> None:
        self.version = graph._topo
        self.ghosts = ghosts
        if ghosts:
            ids = sorted(node_id for node_id in graph._nodes if node_id not in ghosts) + sorted(ghosts)
        else:
            ids = sorted(graph._nodes)
        self.owned = len(ids) - len(ghosts)
        self.ids = ids
        slot = {node_id: index for index, node_id in enumerate(ids)}
        self.slot = slot
        out = graph._out
        get = slot.__getitem__
        self.out = [list(map(get, out[node_id])) for node_id in ids]
        self.routes = Routes(self.out, self.owned, ids)
        internal = graph._internal_ids
        self.data = [index for index, node_id in enumerate(ids[: self.owned]) if node_id not in internal]
        size = len(ids)
        self.buffers = ([[] for _ in range(size)], [[] for _ in range(size)])
        self.handlers: list[Any] = [None] * size
        self.handler_key: Any = None
        # every slot's activation at once, when every node is a data node (see WarmSet)
        self.warm: WarmSet | None = None
        # a partition's routed-exchange slots per peer (messaging/partition.py keeps them here)
        self.peer_slots: Any = None
        # the routes as numpy arrays for whole-graph folds (vector_fold.FoldIndex), made on
        # the first large one
        self.fold_index: FoldIndex | None = None


def plan_for(graph: "Graph", ghosts: frozenset[str] = frozenset()) -> DeliveryPlan:
    """The graph's delivery plan, rebuilt only after its nodes or edges changed."""
    plan = graph._msg_plan
    if plan is None or plan.version != graph._topo or (plan.ghosts is not ghosts and plan.ghosts != ghosts):
        plan = DeliveryPlan(graph, ghosts)
        graph._msg_plan = plan
    return plan


# Values that take messages themselves (actors), registered by the layer that defines them
# (graphoid.concurrency): class -> (deliver(value, msg), ask(value, msg) -> answer). A node
# whose value is one forwards what it receives: asynchronously, in delivery order, outside the
# supersteps' state (a rollback cannot take a delivered message back); `request` asks it.
RECIPIENTS: dict[type, tuple[Callable[[Any, Any], Any], Callable[[Any, Any], Any]]] = {}


def register_recipient(cls: type, deliver: Callable[[Any, Any], Any], ask: Callable[[Any, Any], Any]) -> None:
    RECIPIENTS[cls] = (deliver, ask)


class _RecipientNode:
    """The activation of a node whose value takes messages itself (what handlers expect of an
    instance: a context slot and a state to snapshot, here always empty)."""

    __slots__ = ("value", "deliver", "_msg_ctx", "_props", "_pview")

    def __init__(self, value: Any, deliver: Callable[[Any, Any], Any]) -> None:
        self.value = value
        self.deliver = deliver
        self._msg_ctx: Any = None
        self._props: dict[str, Any] = {}
        self._pview: Any = None


def _forward(node: _RecipientNode, msg: Any) -> None:
    """The handler of a recipient node: hand the message on."""
    node.deliver(node.value, msg)


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

    One context serves a whole messaging call; `slot` moves to each destination in turn
    (handlers run one at a time) and the node id is read off the plan only when asked, so
    nothing is created or looked up per delivery.
    """

    __slots__ = ("graph", "slot", "facade", "out", "ids", "internal", "engine")

    def __init__(self, graph: "Graph", facade: "MessagingFacade", plan: "DeliveryPlan", engine: "SlotEngine") -> None:
        self.graph = graph
        self.slot = 0
        self.facade = facade
        self.internal = graph._internal_ids
        self.use(plan, engine)

    def use(self, plan: "DeliveryPlan", engine: "SlotEngine") -> None:
        """Follow a rebuilt plan and its engine (after a barrier applied topology changes)."""
        self.out = plan.out
        self.ids = plan.ids
        self.engine = engine

    @property
    def node_id(self) -> str:
        return self.ids[self.slot]

    def get(self, name: str) -> Any:
        return self.ids[self.slot] if name == "id" else self.facade

    def call(self, name: str, args: tuple) -> Any:
        if name == "out_degree":
            # topology changes wait for the barrier, so the plan's adjacency length is the
            # out-degree at the start of this superstep
            return len(self.out[self.slot])
        graph = self.graph
        node_id = self.ids[self.slot]
        if name == "in_degree":
            return graph.in_degree(node_id)
        if name == "degree":
            return graph.degree(node_id)
        return GList(graph.successors(node_id, args[0] if args else None))


class MessagingFacade:
    """`self.graph` inside a handler: send/broadcast queue messages; reads pass through."""

    gd_type_name = "graph"
    __slots__ = ("graph", "run")

    def __init__(self, graph: "Graph", run: "MessageRun") -> None:
        self.graph = graph
        self.run = run

    def call(self, name: str, args: tuple = (), kwargs: dict | None = None) -> Any:
        if self.run is None:
            # kept past its call (say, stored in a property): now it is simply the graph
            return self.graph.call(name, args, kwargs)
        if name == "send" and kwargs is not None and len(args) == 1 and len(kwargs) == 2:
            # `self.graph.send(msg, from: self.id, via: "*")`: along every out-edge of the sender
            source = kwargs.get("from")
            if kwargs.get("via") == "*" and source.__class__ is str:
                run = self.run
                context = run.context
                if source == context.ids[context.slot]:
                    if source not in context.internal:
                        # routed by the sending node itself, so origin order = handling order
                        context.engine.emit_route(context.slot, args[0])
                        return None
                else:
                    slot = run.plan.slot.get(source)
                    if slot is not None and source not in self.graph._internal_ids:
                        run.engine.emit_many(run.plan.out[slot], args[0])
                        return None
        options = kwargs or {}
        if name == "send" or name == "broadcast":
            msg, payload = _split(name, args)
            packed = pack(msg, payload)
            run = self.run
            if name == "send":
                index = run.plan.slot
                run.engine.emit_many([index[node_id] for node_id in resolve_targets(self.graph, options)], packed)
            else:
                run.engine.emit_many(run.plan.data, packed)
            return None
        if name == "request":
            raise GraphoidError(
                "RuntimeError", "request() cannot be used inside on_message (it would wait on its own superstep)"
            )
        if name in _BUFFERED:
            run = self.run
            run.pending.append((run.context.node_id, len(run.pending), name, args, kwargs))
            return None
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
        if isinstance(to, str):
            ids = [to]
        elif isinstance(to, list):
            ids = list(to)
        else:
            raise GraphoidError("TypeError", f"to: expects a node id or a list of node ids, got {type_name(to)}")
        for node_id in ids:
            if not isinstance(node_id, str) or node_id not in graph._nodes or node_id in graph._internal_ids:
                raise GraphoidError("KeyError", f"Cannot send to '{describe(node_id)}': no such node")
        return ids
    if where is not None:
        if not callable(where):
            raise GraphoidError("TypeError", "where: expects a function of the node's value")
        return [n for n in metered(sorted(graph.node_ids())) if _truthy(where(graph._nodes[n]))]
    if not isinstance(source, str) or source not in graph._nodes:
        raise GraphoidError("KeyError", f"Cannot send from '{describe(source)}': no such node")
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

    # a partition's run (graphoid.messaging.partition) replaces both
    engine_class: "type[SlotEngine]" = SlotEngine
    facade_class: "type[MessagingFacade]" = MessagingFacade

    def __init__(self, graph: "Graph", max_supersteps: int, atomic: bool, ghosts: frozenset[str] = frozenset()) -> None:
        if id(graph) in _RUNNING:
            # checked before anything is seeded: the running call owns the plan's buffers
            raise GraphoidError(
                "RuntimeError", "Messaging on this graph is already running; inside on_message use self.graph"
            )
        self.graph = graph
        plan = plan_for(graph, ghosts)
        self.plan = plan
        self.engine = self.engine_class(plan.buffers, max_supersteps, plan.routes)
        self.atomic = atomic
        # rollback state (G4): node id -> (value, props) for nodes activated afresh, and
        # slot -> props snapshot for activations reused from an earlier call
        self.saved: dict[str, tuple[Any, Any]] = {}
        self.snapshots: list[Any] = [None] * len(plan.ids) if atomic else []
        # slot -> (instance, fn) once activated in this call (None: not yet)
        self.handlers: list[Any] = [None] * len(plan.ids)
        self.functions: dict[int, Any] = {}
        self._keep: list[Any] = []  # keeps cached keys alive so their ids stay unique
        self.facade = self.facade_class(graph, self)
        self.context = HandlerContext(graph, self.facade, plan, self.engine)
        # the shared cache is valid while the behaviour template and every method are unchanged
        key = (id(graph.behavior.handler_template), method_version())
        if plan.handler_key != key:
            plan.handlers = [None] * len(plan.ids)
            plan.warm = None
            plan.handler_key = key
        self.shared: list[Any] = plan.handlers
        # topology changes buffered by handlers this superstep: (node id, sequence, name, args, kwargs)
        self.pending: list[tuple[str, int, str, tuple, Any]] = []
        # the graph's structure before the first applied change (restored on rollback)
        self.topology: tuple[Any, ...] | None = None
        # (instance, props) snapshots of activated nodes that a barrier removed
        self.orphans: list[tuple[Any, Any]] = []
        # every slot activated (and snapshotted) at once for a whole-graph broadcast
        self.warm: WarmSet | None = None
        # (handler, fold table, write proof) shared by the behaviour template's instances,
        # known once this call has activated one
        self.model: tuple[Any, Any, Any] | None = None
        self.snapshot_due = False  # warm, but no rollback snapshot taken yet
        # while snapshot_due: (receiver slots, property, old values, receivers' property
        # dicts) of each whole-graph fold, all the state this call has changed so far
        self.fold_undo: list[tuple[list[int], str, list[Any], list[Any]]] = []
        # When set (a partition run on a worker's core thread), a whole-graph fold's totals
        # may be stored after the step: `_unsettled` holds the stores and `defer_hook(self)`
        # asks for `settle()` before anything else runs (see settle).
        self.defer_hook: Callable[["MessageRun"], None] | None = None
        self._unsettled: Callable[[], None] | None = None

    def settle(self) -> None:
        """Do the stores a whole-graph fold left for later (the fold's totals into the
        receivers' property dicts), if any. A partition run calls it before each step, the
        commit, a rollback and a reshape; its worker before it handles anything else."""
        pending = self._unsettled
        if pending is not None:
            self._unsettled = None
            pending()

    def slots(self, node_ids: Iterable[str]) -> list[int]:
        index = self.plan.slot
        return [index[node_id] for node_id in node_ids]

    def handler_for(self, slot: int) -> tuple[Any, Callable[..., Any] | None, dict[Any, str] | None]:
        """Activate the node in `slot` for this call: (instance, on_message fn, fold table)."""
        node_id = self.plan.ids[slot]
        graph = self.graph
        value = graph._nodes.get(node_id)
        known = self.shared[slot]
        if known is not None and known[0] is value:
            # activated by an earlier call and unchanged since: reuse, only snapshot state
            if self.atomic:
                self.snapshots[slot] = value._props.copy()
            self.handlers[slot] = known
            return known
        recipient = RECIPIENTS.get(value.__class__)
        if recipient is not None:
            # a node holding an actor: the actor gets the message in its mailbox (no BSP state)
            found = (_RecipientNode(value, recipient[0]), _forward, None)
            self.handlers[slot] = found
            return found
        model = self.model
        if model is not None and value.__class__ is not Graph:
            # another instance of the behaviour template: same handler, folds and write proof
            fn, folds, proof = model
            instance = graph.behavior.handler_template.instantiate(value if isinstance(value, dict) else None)
            instance._pw = proof
            return self._activated(slot, node_id, value, instance, fn, folds)
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
            self.handlers[slot] = found = (None, None, None)
            return found
        folds = getattr(fn, "_gd_folds", None)
        if not instance._pw.ok:
            # prove now (no setter, not frozen) what an implicit-self write would prove on its
            # first store: plain writes, and folding from the first accumulator message
            instance._pw = instance._write_epoch()
        if instance is not value:
            self.model = (fn, folds, instance._pw)
        return self._activated(slot, node_id, value, instance, fn, folds)

    def _activated(self, slot: int, node_id: str, value: Any, instance: Any, fn: Any, folds: Any) -> tuple[Any, Any, Any]:
        """Record a fresh activation: rollback state, the node's new value, the tables."""
        if self.atomic:
            self.saved[node_id] = (value, dict(instance._props) if instance is value else None)
        if instance is not value:
            self.graph._nodes[node_id] = instance
            self.graph._vals += 1
        found = (instance, fn, folds)
        self.shared[slot] = self.handlers[slot] = found
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

    def apply_topology(self, step: int) -> None:
        """The barrier of `step` with buffered topology changes: apply them in (node id,
        sequence) order, rebuild the delivery plan and carry the pending messages, the
        activations and the rollback snapshots over to the new slots (removed nodes' messages
        are dropped). A failing change raises naming the node and the superstep."""
        graph = self.graph
        self._snapshot_all()  # the slots are about to move: settle the rollback state first
        pending = sorted(self.pending, key=_ORDER)
        self.pending = []
        if self.atomic and self.topology is None:
            self.topology = _save_topology(graph)
        old_plan = self.plan
        old_ids = old_plan.ids
        engine = self.engine
        engine.flush()
        for node_id, _seq, name, args, kwargs in pending:
            try:
                graph.call(name, args, kwargs)
            except Exception as exc:  # noqa: BLE001 - reported as a GraphoidError with node and step
                raise _topology_error(exc, name, node_id, step) from None
        plan = plan_for(graph)
        if plan is old_plan:
            # the nodes and edges are as they were (a value replaced, a missing edge removed):
            # every slot stands, and re-slotting into the same boxes would empty them
            engine.barrier()
            return
        new_slot = plan.slot
        self.follow(plan)
        fresh = SlotEngine(plan.buffers, engine.max_supersteps, plan.routes)
        fresh.superstep = engine.superstep
        fresh.delivered = engine.delivered
        outbox = fresh.outbox
        sent = 0
        for slot, box in enumerate(engine.outbox):
            if box:
                target = new_slot.get(old_ids[slot])
                if target is not None:  # a removed node receives nothing more
                    outbox[target].extend(box)
                    sent += len(box)
                box.clear()
        fresh._sent = sent
        fresh._head = MIXED
        engine.clear()
        self.engine = fresh
        self.context.use(plan, fresh)
        fresh.barrier()

    def follow(self, plan: DeliveryPlan) -> None:
        """Move the activations and rollback snapshots to a rebuilt plan's slots (by node id);
        those of removed nodes are kept aside for a rollback."""
        old_plan = self.plan
        new_slot = plan.slot
        size = len(plan.ids)
        handlers: list[Any] = [None] * size
        snapshots: list[Any] = [None] * size if self.atomic else []
        shared: list[Any] = [None] * size
        old_snapshots = self.snapshots
        for slot, node_id in enumerate(old_plan.ids):
            # (a partition's whole-graph snapshot covers its owned slots only)
            snapshot = old_snapshots[slot] if slot < len(old_snapshots) else None
            target = new_slot.get(node_id)
            if target is None:
                if snapshot is not None:
                    self.orphans.append((self.handlers[slot][0], snapshot))
                continue
            handlers[target] = self.handlers[slot]
            shared[target] = self.shared[slot]
            if self.atomic:
                snapshots[target] = snapshot
        plan.handlers = shared
        plan.handler_key = old_plan.handler_key
        self.plan = plan
        self.handlers = handlers
        self.snapshots = snapshots
        self.shared = shared
        self.warm = None  # slots moved: the rest of this call activates node by node

    def restore_topology(self) -> None:
        """Put the graph's nodes and edges back as they were before the first applied change."""
        saved = self.topology
        if saved is None:
            return
        self.topology = None
        graph = self.graph
        nodes, out, into, edge_count, internal, types = saved
        graph._nodes.clear()
        graph._nodes.update(nodes)
        graph._vals += 1
        graph._out.clear()
        graph._out.update(out)
        graph.restore_in_index(into)
        graph._edge_count = edge_count
        graph._internal_ids.clear()
        graph._internal_ids.update(internal)
        graph._node_types.clear()
        graph._node_types.update(types)
        graph._topo += 1  # never equal to a version any cached plan was built for

    def rollback(self) -> None:
        # (the snapshots put back replace property dicts: whatever they hold, re-prove shadows)
        context_keys_may_appear()
        PROPS_REPLACED[0] += 1  # property dicts are put back below (WarmSet.receiver_states)
        self.restore_topology()
        for instance, props in self.orphans:
            instance._props = props
            instance._pview = None
        nodes = self.graph._nodes
        handlers = self.handlers
        for slot, props in enumerate(self.snapshots):
            if props is not None:
                handlers[slot][0]._props = props
                handlers[slot][0]._pview = None
        for _, prop, olds, states in reversed(self.fold_undo):
            # folds ran before any snapshot was needed: put the old values back
            deque(map(setitem, states, repeat(prop), olds), maxlen=0)
        self.fold_undo = []
        for node_id, (value, props) in self.saved.items():
            if node_id in nodes:
                nodes[node_id] = value
                self.graph._vals += 1
            if props is not None:
                value._props = props
                value._pview = None

    def execute(self, collect: bool = False) -> dict[str, Any]:
        """Run supersteps until no message is pending; returns superstep-0 replies if asked."""
        graph = self.graph
        _RUNNING.add(id(graph))
        replies: dict[str, Any] = {}
        try:
            while self.engine.has_work():
                step = self.engine.superstep
                if step == 0 and not collect:
                    self._try_warm()
                if self.warm is None or not self._warm_step(step):
                    self._general_step(step, replies if collect and step == 0 else None)
                if graph._topo != self.plan.version:
                    # only possible through another reference to this graph (self.graph buffers)
                    raise GraphoidError(
                        "RuntimeError",
                        f"The graph's nodes or edges changed during messaging (superstep {step})",
                    )
                if self.pending:
                    # handlers changed the topology: apply at this barrier, then continue on
                    # the rebuilt plan (rare, so the fixed-topology loops stay lean)
                    self.apply_topology(step)
                else:
                    self.engine.barrier()
        except BaseException:
            self.engine.clear()
            self.pending = []
            if self.atomic:
                self.rollback()
            raise
        finally:
            _RUNNING.discard(id(graph))
            # Drop the per-call tables while the collector is still off, so their objects
            # never reach an older GC generation (which would bring on a full collection).
            self.saved = {}
            self.snapshots = []
            self.handlers = []
            self.warm = None
            # and leave no reference cycle (run -> facade -> run) holding the graph: its
            # memory returns at once instead of at the next full collection
            self.facade.run = None
        return replies

    # -- whole-graph supersteps: every node activated up front, one loop per inbox form

    def _try_warm(self) -> None:
        """Before a broadcast to a graph of data nodes only: activate every slot at once.

        With the activations of an earlier call still valid (the plan's WarmSet, its
        instances still the nodes' values: one C-level pass) that is a copy of the table and
        one snapshot per node for rollback; otherwise each slot is activated as usual."""
        plan = self.plan
        if len(plan.data) != plan.owned or not self.engine.seeded_for(plan.data):
            return
        graph = self.graph
        warm = plan.warm
        # (the instances are the owned slots': the pairs stop where they end, before the ghosts)
        if warm is not None and (
            warm.values == graph._vals or all(map(is_, warm.instances, map(graph._nodes.get, plan.ids)))
        ):
            warm.values = graph._vals
            # With every owned slot's activation in the shared table (warm.complete) nothing
            # in this call writes its table (only slots without one are activated, and a plan
            # rebuilt mid-call gets new tables, follow): the call reads the shared one itself.
            if warm.complete:
                self.handlers = self.shared
            else:
                # (the warm loops and the rollback need every slot's activation: the shared
                # table lacks those made per call, of nodes whose values take messages)
                handlers = self.handlers = self.shared.copy()
                for slot, found in warm.missing:
                    handlers[slot] = found
            if self.atomic:
                # taken (_snapshot_all) by the first step that may change state
                self.snapshots = []
                self.snapshot_due = True
            self.warm = warm
            return
        self._activate_all(plan.ids[: plan.owned] if plan.ghosts else plan.ids)
        warm_handlers = self.handlers[: plan.owned] if plan.ghosts else self.handlers
        warm = WarmSet(warm_handlers, graph._vals)
        if None not in warm.functions:
            plan.warm = warm
            # (activations are only ever added to the shared table while the plan and its
            # handler_key hold, so what it lacks now it lacks for as long as the WarmSet is the plan's)
            shared = self.shared
            warm.missing = [(slot, found) for slot, found in enumerate(warm_handlers) if shared[slot] is not found]
            warm.complete = not warm.missing
        self.warm = warm

    def _activate_all(self, ids: list[str]) -> None:
        """Activate every slot (the first broadcast after set_behavior comes here)."""
        nodes = self.graph._nodes
        handlers = self.handlers
        shared = self.shared
        snapshots = self.snapshots if self.atomic else None
        handler_for = self.handler_for
        for slot, node_id in enumerate(ids):
            known = shared[slot]
            if known is not None and known[0] is nodes[node_id]:
                if snapshots is not None:
                    snapshots[slot] = known[0]._props.copy()
                handlers[slot] = known
            else:
                handler_for(slot)

    def _warm_step(self, step: int) -> bool:
        """Run this superstep by a whole-graph loop if its inbox has such a form."""
        engine = self.engine
        data = self.plan.data
        if engine.seeded_for(data):
            fold_all = self.warm.fold_all  # type: ignore[union-attr]
            if fold_all is not None and _head_of(engine.peek_uniform()) in fold_all:
                self._snapshot_all()
                return False  # an accumulator message for everyone: the folding path takes it
            self._run_uniform(step, engine.take_uniform(data))
            return True
        taken = engine.take_routed()
        if taken is not None:
            self._run_routed(step, *taken)  # (takes the snapshot itself, when it must)
            return True
        self._snapshot_all()  # the node-by-node path runs next
        return False

    def _snapshot_all(self) -> None:
        """The rollback snapshot of every node, if the call has not taken it yet: the state
        now, with the values any earlier fold of this call replaced put back."""
        if not self.snapshot_due:
            return
        self.snapshot_due = False
        # (comprehensions, not maps of attrgetters: CPython 3.11 specialises their slot reads)
        instances = self.warm.instances  # type: ignore[union-attr]
        snapshots = self.snapshots = [instance._props.copy() for instance in instances]
        for receivers, prop, olds, _ in reversed(self.fold_undo):
            for slot, old in zip(receivers, olds):
                snapshots[slot][prop] = old
        self.fold_undo = []

    def _run_uniform(self, step: int, msg: Any) -> None:
        """The same message to every node, in slot order (a broadcast)."""
        warm = self.warm
        assert warm is not None
        functions = warm.handlers_for(msg)
        if not (msg.__class__ is Symbol and msg in warm.stateless):
            # (an arm that provably changes no state needs no snapshot before it runs)
            self._snapshot_all()
        ctx = self.context
        engine = self.engine
        engine.open_lane()  # first routed sends go straight into the engine's table
        fill = warm.route_fills.get(msg) if msg.__class__ is Symbol else None
        if fill is not None and not warm.shadowed() and engine.fill_lane(*fill):
            return  # every node's arm would only route the same `[h, x]` (CodeGen.route_fill)
        active = active_stack()
        top = len(active)
        active.append(None)  # one stack entry, overwritten per node, instead of push/pop
        slot = -1
        instance: Any = None
        try:
            for instance, fn in zip(warm.instances, functions):
                slot += 1
                if fn is not None:
                    ctx.slot = slot
                    instance._msg_ctx = ctx
                    active[top] = instance
                    fn(instance, msg)
                    instance._msg_ctx = None
        except BaseException as exc:
            instance._msg_ctx = None
            raise _handler_error(exc, self.plan.ids[slot], step) from None
        finally:
            del active[top:]
        engine.close_lane()

    def _run_routed(self, step: int, routed: list[Any], pairs: Any, typed: Any = None) -> None:
        """One routed message per sender: receiver d gets routed[s] for s in into[d]
        (`pairs`: routed holds the payloads x of messages `[pairs, x]`; `typed`: what is
        known of them as numbers, see take_routed; anything but the vector fold reads
        `routed` after `typed.write`).

        When every node shares one fold table and every message is `[h, x]` with an
        accumulator head h (`p = p + x`), each receiver's payloads are summed straight from
        the senders' slots in origin order, in C, with no message box and no handler call
        (in numpy, when there are enough of them and they are exact ints or floats: see
        vector_fold)."""
        warm = self.warm
        assert warm is not None
        routes = self.plan.routes
        instances, functions, tables = warm.instances, warm.functions, warm.folds
        head = self.engine.inbox_head
        prop = None
        if warm.fold_all is not None and head is not MIXED:
            prop = warm.fold_all.get(head)
        messages = routed if pairs is None else None  # built from payloads only when needed
        if typed is not None and (prop is None or pairs is None):
            typed.write(routed)
            typed = None
        if prop is not None:
            table = routed if pairs is not None else list(map(_SECOND, routed))
            payloads = table.__getitem__
            # the receivers' property dicts, when every receiver takes plain writes
            states = warm.receiver_states(routes)
            if states is not None:
                # every receiver at once: sums first (an exception leaves everything
                # unwritten for the per-receiver loop below), then the stores
                try:
                    olds = list(map(itemgetter(prop), states))
                    totals = array = None
                    if routes.incoming >= vector_fold.MIN_ENTRIES:
                        if self.defer_hook is not None:
                            array = self._vector_array(table, olds, typed)
                        else:
                            totals = self._vector_totals(table, olds, typed)
                    if totals is None and array is None:
                        if typed is not None:
                            typed.write(table)  # (the vector fold read them from `typed`)
                        # each receiver's payloads, read by its own C getter, summed onto its value
                        totals = list(map(_fold_sum, map(call, routes.pickers(), repeat(table)), olds))
                except Exception:  # noqa: BLE001 - the loop below finds and reports the failing node
                    pass
                else:
                    if self.snapshot_due:  # no snapshot yet: the old values are the undo
                        self.fold_undo.append((routes.receivers, prop, olds, states))
                    if array is not None:
                        # the stores (and the totals as Python numbers) wait: the worker
                        # reports the step first and settles while the report travels
                        self._unsettled = partial(_store_totals, self.plan.fold_index, array, states, prop)
                        self.defer_hook(self)  # type: ignore[misc]
                        return
                    deque(map(setitem, states, repeat(prop), totals), maxlen=0)
                    return
            if typed is not None:
                typed.write(table)
            self._snapshot_all()
            for slot, sources in zip(routes.receivers, routes.sources):
                instance = instances[slot]
                if _fold_box(instance, prop, map(payloads, sources)):
                    continue
                if messages is None:
                    messages = as_messages(routed, pairs)
                self._deliver(step, slot, instance, functions[slot], tables[slot], list(map(messages.__getitem__, sources)))
            return
        self._snapshot_all()
        if messages is None:
            messages = as_messages(routed, pairs)
        pick = messages.__getitem__
        for slot, sources in zip(routes.receivers, routes.sources):
            fn = functions[slot]
            if fn is not None:
                self._deliver(step, slot, instances[slot], fn, tables[slot], list(map(pick, sources)))

    def _vector_totals(self, table: list[Any], olds: list[Any], typed: Any = None) -> list[Any] | None:
        """The whole-graph fold's totals computed in numpy (vector_fold), or None when its
        values are not all exact ints and floats (then the Python fold runs)."""
        return self._fold_index().fold(table, olds, typed)

    def _vector_array(self, table: list[Any], olds: list[Any], typed: Any = None) -> Any:
        """`_vector_totals` as the index's array, not yet Python numbers (`_store_totals` does that)."""
        return self._fold_index().fold_array(table, olds, typed)

    def _fold_index(self) -> FoldIndex:
        plan = self.plan
        index = plan.fold_index
        if index is None:
            index = plan.fold_index = FoldIndex(plan.routes.sources, plan.routes.owned)
        return index

    def _deliver(self, step: int, slot: int, instance: Any, fn: Any, folds: Any, msgs: list[Any]) -> None:
        """One node's box, message by message, with its handler context."""
        ctx = self.context
        ctx.slot = slot
        instance._msg_ctx = ctx
        active = active_stack()
        top = len(active)
        active.append(instance)
        try:
            if folds is None:
                for msg in msgs:
                    fn(instance, msg)
            else:
                _fold_or_call(instance, fn, folds, msgs)
        except BaseException as exc:
            raise _handler_error(exc, self.plan.ids[slot], step) from None
        finally:
            del active[top:]
            instance._msg_ctx = None

    # -- any other superstep: node by node, activating on first delivery

    def _general_step(self, step: int, replies: dict[str, Any] | None) -> None:
        """Deliver this superstep's boxes in slot order; `replies` collects return values."""
        engine = self.engine
        context = self.context
        handler_for = self.handler_for
        handlers = self.handlers
        shared = self.shared
        snapshots = self.snapshots if self.atomic else None
        nodes_get = self.graph._nodes.get
        ids = self.plan.ids
        active = active_stack()
        top = len(active)
        push, pop = active.append, active.pop
        head = engine.inbox_head
        if head is MIXED:
            head = None
        slot = -1
        instance: Any = None
        inbox = engine.take_inbox()
        if not context.internal:
            engine.open_lane()  # first routed sends are stores here too (see _run_uniform)
        try:
            for slot, msgs in inbox:
                found = handlers[slot]
                if found is None:
                    # inline reuse of an activation from an earlier call (handler_for's
                    # first branch): one dict read and the rollback snapshot per node
                    known = shared[slot]
                    if known is not None and known[0] is nodes_get(ids[slot]):
                        if snapshots is not None:
                            snapshots[slot] = known[0]._props.copy()
                        handlers[slot] = found = known
                    else:
                        found = handler_for(slot)
                instance, fn, folds = found
                if fn is None:
                    instance = None
                    continue
                if folds is not None and head is not None:
                    # a box of accumulator messages: no handler call, so no context
                    prop = folds.get(head)
                    if prop is not None and _fold_box(instance, prop, map(_SECOND, msgs)):
                        instance = None
                        continue
                context.slot = slot
                instance._msg_ctx = context
                push(instance)
                if replies is not None:
                    dest = ids[slot]
                    for msg in msgs:
                        replies[dest] = fn(instance, msg)
                elif folds is None:
                    for msg in msgs:
                        fn(instance, msg)
                else:
                    _fold_or_call(instance, fn, folds, msgs)
                pop()
                instance._msg_ctx = None
                instance = None
        except BaseException as exc:
            if instance is None:  # not inside a handler (activation, the inbox itself)
                raise
            del active[top:]
            instance._msg_ctx = None
            raise _handler_error(exc, ids[slot], step) from None


class WarmSet:
    """Every slot's activation as parallel lists in slot order (instance, handler, fold
    table; None where a node does not handle messages), for supersteps that reach the whole
    graph. Cached on the plan while its handler_key holds; each call checks that every
    instance is still its node's value (at once when no node value was set since). `fold_all` is the fold table when every node has the
    same handler (and so the same table), else None; `arms` likewise its per-symbol arms.
    `shadowed()` says whether an instance holds a `graph` or `id` property, proved by a scan
    once per context-keys epoch (classes.context_keys_epoch)."""

    __slots__ = (
        "instances", "functions", "folds", "fold_all", "arms", "stateless", "route_fills", "values", "_receiving",
        "_shadow", "_shadow_epoch", "complete", "missing", "_states", "_proofs", "_states_version",
    )

    def __init__(self, handlers: list[Any], values: int) -> None:
        self.values = values  # the graph's `_vals` when the instances were last known current
        self.instances = [found[0] for found in handlers]
        self.functions = [found[1] for found in handlers]
        self.folds = [found[2] for found in handlers]
        functions = self.functions
        same = bool(functions) and functions[0] is not None and functions.count(functions[0]) == len(functions)
        self.fold_all = self.folds[0] if same else None
        self.arms = getattr(functions[0], "_gd_arms", None) if same else None
        self.stateless: frozenset[Any] = getattr(functions[0], "_gd_stateless", frozenset()) if same else frozenset()
        self.route_fills: dict[Any, tuple[Any, Any]] = getattr(functions[0], "_gd_route_fills", {}) if same else {}
        self._receiving: list[Any] | None = None
        self._shadow = True
        self._shadow_epoch = -1  # no epoch: not proved yet
        # every owned slot's activation is in the plan's shared table, else `missing` holds
        # (slot, activation) of those it lacks (a node whose value takes messages itself is
        # activated per call only): see MessageRun._try_warm
        self.complete = False
        self.missing: list[tuple[int, Any]] = []
        # receiver_states' cache: the receivers' property dicts, their distinct write proofs,
        # and PROPS_REPLACED when they were read
        self._states: list[Any] | None = None
        self._proofs: tuple[Any, ...] = ()
        self._states_version = -1

    def shadowed(self) -> bool:
        """Does any instance hold a `graph` or `id` property (_shadows_route)? Scanned only
        when the context-keys epoch moved since the last scan: the instances are fixed, and
        no graph that existed then gains such a key without moving it."""
        epoch = context_keys_epoch()  # (read before the scan: a key stored during it ends this epoch)
        if self._shadow_epoch != epoch:
            self._shadow = _shadows_route(self.instances)
            self._shadow_epoch = epoch
        return self._shadow

    def handlers_for(self, msg: Any) -> Iterable[Any]:
        """Per slot, what to call for `msg` sent to every node: the shared handler's own arm
        for that symbol when it has one (no match per node), else each node's handler."""
        if self.arms is not None and msg.__class__ is Symbol:
            arm = self.arms.get(msg)
            if arm is not None:
                return repeat(arm, len(self.instances))
        return self.functions

    def receiving(self, routes: Routes) -> list[Any]:
        """The instances of `routes.receivers`, in that order (the plan's routes never change)."""
        if self._receiving is None:
            self._receiving = list(map(self.instances.__getitem__, routes.receivers))
        return self._receiving

    def receiver_states(self, routes: Routes) -> list[Any] | None:
        """The property dicts of `receiving(routes)`, in order, when every receiver takes plain
        writes (its `_pw` holds); else None.

        Cached: the instances are this set's own (each call checks they are still the nodes'
        values), a property dict is only ever replaced, and a write proof only ever denied,
        where PROPS_REPLACED is bumped, and a method change ends the epoch of the proofs seen
        (tested here, one per distinct proof). So while the counter stands and those proofs
        hold, every receiver still has the same dict and a valid proof."""
        version = PROPS_REPLACED[0]  # (read first: a bump while reading makes the next call look again)
        states = self._states
        if states is not None and self._states_version == version:
            for proof in self._proofs:
                if not proof.ok:
                    break
            else:
                return states
        receiving = self.receiving(routes)
        states = [instance._props for instance in receiving if instance._pw.ok]
        if len(states) != len(receiving):
            self._states = None
            return None
        self._proofs = tuple({instance._pw for instance in receiving})
        self._states = states
        self._states_version = version
        return states


def _fold_box(instance: Any, prop: str, payloads: Iterable[Any]) -> bool:
    """`p = p + x` for each payload in order, in C (the same left-to-right sums as the
    handler's arm), stored only if every `+` succeeded and the receiver takes plain writes.
    False: nothing was written; the caller runs the handler message by message, which then
    reports any error with its span."""
    if not instance._pw.ok:
        return False
    props = instance._props
    try:
        props[prop] = _fold_sum(payloads, props[prop])
    except Exception:  # noqa: BLE001 - redone message by message by the caller
        return False
    return True


def _shadows_route(instances: list[Any]) -> bool:
    """Does any node hold a `graph` or `id` property? Then `self.graph.send(..., from: self.id)`
    is not the context's routed send for it (self_route_pair), so its arm must run."""
    # a loop of specialised slot reads and dict lookups: about half the work of mapping
    # frozenset.isdisjoint over the property dicts
    for instance in instances:
        props = instance._props
        if "graph" in props or "id" in props:
            return True
    return False


def _head_of(msg: Any) -> Any:
    """h for a two-item list message `[h, x]` with a symbol head, else MIXED."""
    if msg.__class__ is GList and len(msg) == 2 and msg[0].__class__ is Symbol:
        return msg[0]
    return MIXED


def _fold_or_call(instance: Any, fn: Callable[..., Any], folds: dict[Any, str], msgs: list[Any]) -> None:
    """A box for a handler with accumulator arms (folds: head s -> property p).

    `[:s, x]` is applied as `p = p + x` in delivery order, exactly what fn's arm does, while
    the receiver takes plain property writes (`_pw`); anything else, or a failure of the fast
    form (missing property, `+` needing Graphoid's slow path or raising), runs fn so errors
    keep their span.
    """
    plain = instance._pw.ok
    props = instance._props
    for msg in msgs:
        if plain and msg.__class__ is GList and len(msg) == 2:
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


_NONE = object()
_SECOND = itemgetter(1)


def _store_totals(index: FoldIndex, totals: Any, states: list[Any], prop: str) -> None:
    """A deferred whole-graph fold's stores: its totals as Python numbers into the receivers' dicts."""
    deque(map(setitem, states, repeat(prop), index.settle(totals)), maxlen=0)


def _left_fold_add(values: Iterable[Any], start: Any) -> Any:
    """start + v1 + v2 + ..., left to right, with Python's `+` (what the arm computes)."""
    return reduce(add, values, start)


# CPython before 3.12 sums floats by plain left-to-right double addition, so sum() gives the
# same bits as the fold, without a float object per step; 3.12 compensates rounding.
_fold_sum = sum if sys.version_info < (3, 12) and sys.implementation.name == "cpython" else _left_fold_add
_ORDER = itemgetter(0, 1)  # buffered topology changes: (node id, sequence)


def _save_topology(graph: "Graph") -> tuple[Any, ...]:
    """Copies of the structures a topology change touches (edges are shared: changes replace,
    never mutate, Edge objects)."""
    out = {node_id: dict(succ) for node_id, succ in graph._out.items()}
    return (
        dict(graph._nodes), out, graph.save_in_index(), graph._edge_count, set(graph._internal_ids), dict(graph._node_types)
    )


def _topology_error(exc: BaseException, name: str, node_id: str, step: int) -> GraphoidError:
    if isinstance(exc, GraphoidError):
        kind, message, span = exc.kind, exc.message, exc.span
    else:
        kind, message, span = "RuntimeError", f"{type(exc).__name__}: {exc}", None
    return GraphoidError(
        kind, f"{message} ({name} from on_message of node '{node_id}', applied at the barrier of superstep {step})", span
    )
_GC_LOCK = threading.Lock()
_GC_PAUSES = [0]  # messaging calls (any thread) that currently hold the cyclic GC off


def pause_gc() -> bool:
    """Hold CPython's cyclic collector off during a messaging call.

    A call allocates many long-lived containers at once (inboxes, messages, rollback
    snapshots); each survivor counts toward a full collection, which walks every object of
    the program (10k node instances: >100 ms each, half of a PageRank run). Reference
    counting still frees everything acyclic at once; cyclic garbage made by handlers waits
    until the outermost call returns. Returns whether this call paused it (for resume_gc).
    """
    with _GC_LOCK:
        if _GC_PAUSES[0] == 0 and not gc.isenabled():
            return False  # the host program turned it off itself: leave it alone
        _GC_PAUSES[0] += 1
        gc.disable()
        return True


def resume_gc(paused: bool) -> None:
    if not paused:
        return
    with _GC_LOCK:
        _GC_PAUSES[0] -= 1
        if _GC_PAUSES[0] == 0:
            gc.enable()


def _handler_function(instance: Any) -> Callable[..., Any]:
    kind, target = instance.find_method("on_message")
    if kind == "static":
        return target
    if not target.guarded and target.default is not None:
        return target.default
    return lambda inst, msg: inst._invoke(target, "on_message", (msg,), None)


def _handler_error(exc: BaseException, node_id: str, step: int) -> BaseException:
    """The error a failing handler raises out of the engine: located where the handler
    failed, naming the node and superstep, with the handler's frames as its inner trace."""
    if not isinstance(exc, Exception):
        return exc
    from graphoid.values.pyerrors import to_graphoid_error

    # Also for a GraphoidError: this fills in its span and frames from the handler's traceback.
    exc = to_graphoid_error(exc)
    where = f"in on_message of node '{node_id}' at superstep {step}"
    if where in exc.message:
        return exc
    error = GraphoidError(exc.kind, f"{exc.message} ({where})", exc.span, cause=exc.cause, hint=exc.hint)
    error.inner_trace = exc.trace
    if error.inner_trace:
        handler = error.inner_trace[0]
        label = f"{handler.function} (node '{node_id}', superstep {step})"
        error.inner_trace = [TraceEntry(label, handler.span), *error.inner_trace[1:]]
    return error


def superstep_limit(max_supersteps: Any) -> int:
    """The `max_supersteps:` option checked (the default when not given)."""
    if max_supersteps is None:
        return DEFAULT_MAX_SUPERSTEPS
    if isinstance(max_supersteps, bool) or not isinstance(max_supersteps, (int, float)) or max_supersteps < 1:
        raise GraphoidError("ValueError", "max_supersteps must be a positive number")
    return int(max_supersteps)


def broadcast(graph: "Graph", msg: Any, *payload: Any, max_supersteps: Any = None, atomic: bool = True) -> None:
    """Deliver `msg` to every data node, then run the cascade to quiescence."""
    # the collector is off while the plan is built as well: building one allocates
    # thousands of lists at once, which would otherwise set off a full collection
    paused = pause_gc()
    try:
        run = MessageRun(graph, superstep_limit(max_supersteps), atomic)
        run.engine.seed_all(run.plan.data, pack(msg, payload))
        run.execute()
    finally:
        resume_gc(paused)


def _targeted_run(graph: "Graph", msg: Any, payload: tuple, options: dict, collect: bool) -> dict[str, Any]:
    """Deliver to `to:`, `where:` or `from:`/`via:` targets and run to quiescence."""
    paused = pause_gc()  # before the plan is built (see broadcast)
    try:
        run = MessageRun(graph, superstep_limit(options.get("max_supersteps")), _truthy(options.get("atomic", True)))
        targets = resolve_targets(graph, options)
        packed = pack(msg, payload)
        if not collect:
            run.engine.seed(run.slots(targets), packed)
            return run.execute()
        # a request asks the actor nodes among its targets directly, after the others' run
        nodes = graph._nodes
        asked = [node_id for node_id in targets if nodes[node_id].__class__ in RECIPIENTS]
        if asked:
            targets = [node_id for node_id in targets if nodes[node_id].__class__ not in RECIPIENTS]
        run.engine.seed(run.slots(targets), packed)
        replies = run.execute(collect=True)
        for node_id in asked:
            value = nodes[node_id]
            replies[node_id] = RECIPIENTS[value.__class__][1](value, packed)
        return replies
    finally:
        resume_gc(paused)


def send(graph: "Graph", msg: Any, *payload: Any, **options: Any) -> None:
    """Deliver to `to:`, `where:` or `from:`/`via:` targets and run to quiescence."""
    _targeted_run(graph, msg, payload, options, collect=False)


def request(graph: "Graph", msg: Any, *payload: Any, **options: Any) -> Any:
    """Like send; returns the reply (`to:` one id) or the replies ordered by node id."""
    replies = _targeted_run(graph, msg, payload, options, collect=True)
    to = options.get("to")
    if isinstance(to, str):
        return replies.get(to)
    return GList(replies[node] for node in sorted(replies))


def self_route_send(instance: Any, msg: Any) -> Any:
    """`self.graph.send(msg, from: self.id, via: "*")` in a graph method, as compiled.

    Inside a handler whose `graph`/`id` are the context's (no property shadows them) this
    is the facade's routed send without the three dispatches; anything else evaluates the
    call exactly as written.
    """
    ctx = instance._msg_ctx
    if ctx is not None:
        props = instance._props
        if "graph" not in props and "id" not in props:
            internal = ctx.internal
            if not internal or ctx.ids[ctx.slot] not in internal:
                ctx.engine.emit_route(ctx.slot, msg)
                return None
    from graphoid.values.methods import call_method

    return call_method(
        instance.get_property("graph", None), "send", (msg,),
        {"from": instance.get_property("id", None), "via": "*"},
    )


def self_route_pair(instance: Any, head: Any, payload: Any) -> Any:
    """`self.graph.send([:h, x], from: self.id, via: "*")` in a graph method, as compiled.

    In a step whose open lane holds `[h, x]` payloads (or nothing yet) the node's first such
    send stores just x (SlotEngine.lane_put, inlined: this is the hot path of a whole-graph
    broadcast, and no list is built). Anything else is self_route_send of the message
    `[h, x]`, which behaves exactly like the call as written.
    """
    ctx = instance._msg_ctx
    if ctx is not None:
        engine = ctx.engine
        lane = engine.lane
        if lane is not None and lane[ctx.slot] is UNSENT:
            props = instance._props
            if "graph" not in props and "id" not in props:
                mode = engine.lane_head
                if mode is head:
                    lane[ctx.slot] = payload
                    return None
                if mode is UNDECIDED and head.__class__ is Symbol:
                    engine.lane_head = head
                    lane[ctx.slot] = payload
                    return None
    return self_route_send(instance, GList((head, payload)))


def self_out_degree(instance: Any) -> Any:
    """`self.out_degree()` in a graph method, as compiled: the plan's count inside a handler."""
    ctx = instance._msg_ctx
    if ctx is not None:
        return len(ctx.out[ctx.slot])
    return instance.call("out_degree", (), None)


# ---------------------------------------------------------------------------- graph methods
# The messaging layer adds its entries to the graph method table: graphs never import it.


@add_graph_method("set_behavior")
def _set_behavior(g: Graph, template: Any) -> None:
    set_behavior(g, template)


@add_graph_method("broadcast")
def _broadcast(g: Graph, msg: Any, *payload: Any, max_supersteps: Any = None, atomic: Any = True) -> None:
    broadcast(g, msg, *payload, max_supersteps=max_supersteps, atomic=_truthy(atomic))


@add_graph_method("send")
def _send(g: Graph, msg: Any, *payload: Any, **options: Any) -> None:
    send(g, msg, *payload, **options)


@add_graph_method("request")
def _request(g: Graph, msg: Any, *payload: Any, **options: Any) -> Any:
    return request(g, msg, *payload, **options)
