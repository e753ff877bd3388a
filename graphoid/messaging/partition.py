"""Graph messaging on one partition of a distributed graph: the local engine, a superstep at a time.

A worker holds each partition as a local graph of its owned nodes plus ghosts (the far ends
of cut edges; graphoid.distributed.partition). `PartitionRun` is the local `MessageRun` over
that graph, with the barrier split in three so that a coordinator can sit in the middle:

1. `step(k)` handles this partition's inbox of superstep k exactly as a local graph does
   (whole-graph loops, folds, lanes and all), then ends the step locally and returns what
   it sent and a `Batch` for every peer partition;
2. the coordinator's barrier (graphoid.distributed.barrier) decides from every partition's
   count whether step k+1 runs, the call commits, or it rolls back;
3. `accept(batches)` merges what the peers sent into the next inbox, in the order a local
   graph would have delivered it: every box by ascending origin id (G4), so results are the
   same bits for any partition count.

Routed sends (a message along every out-edge of its sender, PageRank's) travel as bare
payload lists in an order both sides know (`Boundary.to_peer` / `from_peer`); the receiver
writes them into its routed table at the ghost slots, and its fold reads them in origin
order with the local ones. Both copies go by slices over runs of consecutive slots (the slots
a peer exchanges are mostly such runs: ghosts follow the owned slots in id order), else by
one C getter (`_exchange_slots`, cached with the delivery plan). A batch that arrived as a
packed numeric column (`Batch.column`, see vector_fold) is not written at once: it waits in
the engine's `inbox_typed` for the fold, and is written only before the table is read as
Python values. Any other message travels as `[dest, origin, message]`.
"""

from __future__ import annotations

from itertools import islice
from operator import itemgetter
from typing import Any, Callable, Iterable, Mapping

import attrs

from graphoid.errors import GraphoidError
from graphoid.messaging.engine import MIXED, UNSENT, SlotEngine, as_messages, write_slots
from graphoid.messaging.local import (
    MessageRun, MessagingFacade, _BUFFERED, _save_topology, pack, pause_gc, plan_for, resume_gc,
)
from graphoid.messaging.vector_fold import GhostColumn, TypedPayloads
from graphoid.values.types import GList, Symbol

# the coordinator counts supersteps for the whole graph; a partition's engine never stops it
UNLIMITED = 1 << 62


@attrs.frozen
class Boundary:
    """What a partition knows of the rest of its distributed graph."""

    index: int
    ghosts: frozenset[str]
    # peer -> the owned ids (ascending) whose routed payloads it needs / its ghosts that feed us
    to_peer: Mapping[int, tuple[str, ...]]
    from_peer: Mapping[int, tuple[str, ...]]
    peers: tuple[int, ...]  # every other partition
    owner: Callable[[str], int] = attrs.field(eq=False)
    has_node: Callable[[str], bool] = attrs.field(eq=False)
    node_count: int = 0  # the whole graph's
    edge_count: int = 0


@attrs.define
class Batch:
    """What one partition sends another at a barrier: plain values for the wire codec.

    `routed`: in routed form, the sender's routed message (or its payload x, when `head` names
    the symbol h of messages `[h, x]`) for each id of its `to_peer` list, in that order; None
    when the sender's step did not end in routed form. `messages`: `[dest, origin, message]`
    in origin order per destination. `broadcasts`: `[origin, message]` for every data node."""

    routed: list[Any] | None = None
    head: Symbol | None = None
    messages: list[list[Any]] = attrs.field(factory=list)
    broadcasts: list[list[Any]] = attrs.field(factory=list)
    # sending: the exact int or float every routed payload is, when the sender knows it
    # without looking (its route fill's payload), else None
    constant: Any = None
    # received: the routed payloads as a numpy array (a packed column off the wire: see
    # vector_fold.pack_column), `routed` being None; else None
    column: Any = None

    def routes(self) -> bool:
        """Whether the batch holds any routed payloads."""
        return bool(self.routed) or (self.column is not None and len(self.column) > 0)

    def is_empty(self) -> bool:
        return not self.routes() and not self.messages and not self.broadcasts


class TracedEngine(SlotEngine):
    """A SlotEngine that also keeps the origin slot of every boxed message, so that messages
    from other partitions can be merged into a box by origin id. (Routed tables need no
    origins: their index is the origin.) The origin boxes are made on the first boxed send,
    so a call that only routes (PageRank) never pays for them."""

    __slots__ = ("out_origins", "in_origins", "context")

    def __init__(self, buffers: tuple[list[list[Any]], list[list[Any]]], max_supersteps: int, routes: Any = None) -> None:
        super().__init__(buffers, max_supersteps, routes)
        self.out_origins: list[list[int]] | None = None
        self.in_origins: list[list[int]] | None = None
        self.context: Any = None  # the run's HandlerContext: its slot is the sending node

    def origins(self) -> list[list[int]]:
        """The outbox's origin boxes (made now if this call has not needed them yet)."""
        if self.out_origins is None:
            size = len(self.outbox)
            self.out_origins = [[] for _ in range(size)]
            self.in_origins = [[] for _ in range(size)]
        return self.out_origins

    def emit(self, slot: int, msg: Any) -> None:
        SlotEngine.emit(self, slot, msg)
        self.origins()[slot].append(self.context.slot)

    def emit_many(self, slots: list[int], msg: Any) -> None:
        SlotEngine.emit_many(self, slots, msg)
        origin = self.context.slot
        origins = self.origins()
        for slot in slots:
            origins[slot].append(origin)

    def _spread(self) -> None:
        # SlotEngine._spread's loop, noting each message's origin (its routed index)
        routed = self._routed
        assert routed is not None and self.routes is not None
        if self._pairs is not None:
            routed = as_messages(routed, self._pairs)
            self._pairs = None
        self._routed = None
        self._route_count = 0
        outbox, origins, out = self.outbox, self.origins(), self.routes.out
        for src, msg in enumerate(routed):
            if msg is not UNSENT:
                for slot in out[src]:
                    outbox[slot].append(msg)
                    origins[slot].append(src)

    def barrier(self) -> None:
        SlotEngine.barrier(self)
        spent = self.in_origins  # the drained inbox's origins
        if spent is None:
            return
        for box in spent:
            if box:
                box.clear()
        self.in_origins, self.out_origins = self.out_origins, spent

    def clear(self) -> None:
        SlotEngine.clear(self)
        for boxes in (self.in_origins, self.out_origins):
            for box in boxes or ():
                box.clear()


class PartitionFacade(MessagingFacade):
    """`self.graph` inside a handler on a partition. Sends reach the whole distributed graph;
    counts are the whole graph's; reads a partition cannot answer for the whole graph are
    refused with an error rather than answered for the partition alone."""

    __slots__ = ()

    def call(self, name: str, args: tuple = (), kwargs: dict | None = None) -> Any:
        run = self.run
        if run is None:
            raise GraphoidError("RuntimeError", "self.graph of a distributed graph can only be used inside on_message")
        boundary = run.boundary
        if name == "send":
            options = kwargs or {}
            if "to" in options and len(options) == 1:
                msg, payload = _message(name, args)
                run.send_to(options["to"], pack(msg, payload))
                return None
            source = options.get("from", options.get("_u_from"))
            if source is not None and "where" not in options:
                if not (isinstance(source, str) and run.plan.slot.get(source, run.plan.owned) < run.plan.owned):
                    raise GraphoidError(
                        "RuntimeError",
                        f"send(from: '{source}') inside on_message of a distributed graph needs a node of this "
                        "partition: send from self.id, or send the node a message",
                    )
                return MessagingFacade.call(self, name, args, kwargs)
            raise GraphoidError(
                "RuntimeError", "Inside on_message of a distributed graph, send takes to: or from: (with via:)"
            )
        if name == "broadcast":
            msg, payload = _message(name, args)
            run.broadcast(pack(msg, payload))
            return None
        if name == "node_count":
            return boundary.node_count
        if name == "edge_count":
            return boundary.edge_count
        if name == "has_node":
            return bool(args) and isinstance(args[0], str) and boundary.has_node(args[0])
        if name == "request" or name in _BUFFERED or name in _LOCAL_ONLY_OK:
            # (topology changes are buffered, as locally: the coordinator's barrier applies them)
            return MessagingFacade.call(self, name, args, kwargs)
        raise GraphoidError(
            "RuntimeError",
            f"self.graph.{name}() is not available inside on_message of a distributed graph "
            "(a partition sees only its own nodes): pass what a node needs in messages",
        )

    def node_count(self) -> int:
        return self.run.boundary.node_count if self.run is not None else 0

    def edge_count(self) -> int:
        return self.run.boundary.edge_count if self.run is not None else 0


# graph methods whose local answer is the distributed graph's (refusals raise as usual)
_LOCAL_ONLY_OK = frozenset({"type", "is_directed", "set_behavior", "freeze", "add_rule", "remove_rule"})


def _message(name: str, args: tuple) -> tuple[Any, tuple]:
    if not args:
        raise GraphoidError("TypeError", f"{name}() needs a message")
    return args[0], tuple(args[1:])


_BY_ORIGIN = itemgetter(0)


class PartitionRun(MessageRun):
    """One messaging call on one partition, driven a superstep at a time (module docstring)."""

    engine_class = TracedEngine
    facade_class = PartitionFacade

    def __init__(self, graph: Any, boundary: Boundary, atomic: bool = True) -> None:
        super().__init__(graph, UNLIMITED, atomic, boundary.ghosts)
        self.boundary = boundary
        plan = self.plan
        self.engine.context = self.context  # type: ignore[attr-defined]
        self.to_peer_slots, self.from_peer_slots, self.to_peer_reads, self.from_peer_runs = _peer_slots(plan, boundary)
        # sends to nodes this partition has no slot for: peer -> [dest, origin, message]
        self.remote: dict[int, list[list[Any]]] = {}
        self.broadcasts: list[list[Any]] = []  # [origin id, message]
        self.replies: dict[str, Any] = {}
        self.failed_node: str | None = None
        self.local_head: Any = None  # the common head of what this partition sent last step
        self._paused = pause_gc()
        self._done = False

    # -- seeding (superstep 0, from the driver)

    def seed_all(self, msg: Any) -> None:
        self.engine.seed_all(self.plan.data, msg)

    def seed(self, node_ids: Iterable[str], msg: Any) -> None:
        self.engine.seed(self.slots(node_ids), msg)

    # -- sends a handler makes beyond this partition (PartitionFacade)

    def send_to(self, targets: Any, msg: Any) -> None:
        ids = [targets] if isinstance(targets, str) else list(targets) if isinstance(targets, (list, GList)) else [targets]
        plan = self.plan
        origin = plan.ids[self.context.slot]
        local: list[int] = []
        for node_id in ids:
            if not isinstance(node_id, str) or not self.boundary.has_node(node_id):
                shown = f"'{node_id}'" if isinstance(node_id, str) else repr(node_id)
                raise GraphoidError("KeyError", f"Cannot send to {shown}: no such node")
            slot = plan.slot.get(node_id)
            if slot is not None:
                local.append(slot)
            else:
                self.remote.setdefault(self.boundary.owner(node_id), []).append([node_id, origin, msg])
        if local:
            self.engine.emit_many(local, msg)

    def broadcast(self, msg: Any) -> None:
        self.engine.emit_many(self.plan.data, msg)
        if self.boundary.peers:
            self.broadcasts.append([self.plan.ids[self.context.slot], msg])

    # -- one superstep

    def step(self, step: int, collect: bool = False) -> tuple[int, dict[int, Batch]]:
        """Handle superstep `step`'s inbox here; (messages sent, a Batch per peer). A handler
        error propagates (named as on a local graph); `failed_node` says whose."""
        self.settle()  # (the last fold's stores, when they waited)
        engine = self.engine
        engine.superstep = step
        try:
            if engine.has_work():
                if step == 0 and not collect:
                    self._try_warm()
                if self.warm is None or not self._warm_step(step):
                    self._general_step(step, self.replies if collect and step == 0 else None)
        except BaseException:
            self.failed_node = self.plan.ids[self.context.slot] if self.plan.ids else ""
            raise
        # everything sent this step: local boxes and routes (ghosts' included), sends to nodes
        # without a slot here, broadcasts' deliveries elsewhere; an open lane is counted (and
        # its common head known) only once closed
        engine.close_lane()
        sent = engine._sent + sum(map(len, self.remote.values()))
        sent += len(self.broadcasts) * max(0, self.boundary.node_count - len(self.plan.data))
        self.local_head = engine._head  # None: nothing sent (the barrier forgets the difference)
        engine.barrier()
        batches = self._outgoing()
        self.broadcasts = []
        return sent, batches

    def _outgoing(self) -> dict[int, Batch]:
        """Batches for the peers from what this step sent: the routed payloads their ghosts
        need, the messages in ghost boxes, sends to nodes without a slot here, broadcasts."""
        engine = self.engine
        plan = self.plan
        batches = {peer: Batch() for peer in self.boundary.peers}
        routed = engine._inbox_routed
        if routed is not None:
            head = engine._inbox_pairs
            typed = engine.inbox_typed
            constant = typed.constant if typed is not None else None
            for peer, read in self.to_peer_reads.items():
                batch = batches[peer]
                batch.routed = read(routed)
                batch.head = head
                batch.constant = constant
            for peer, batch in batches.items():
                if batch.routed is None:
                    batch.routed = []
                    batch.head = head
        ids = plan.ids
        inbox, origins = engine.inbox, engine.in_origins  # type: ignore[attr-defined]
        owner = self.boundary.owner
        for ghost in range(plan.owned, len(ids)) if origins is not None else ():
            box = inbox[ghost]
            if box:
                dest = ids[ghost]
                batches[owner(dest)].messages.extend([dest, ids[o], m] for o, m in zip(origins[ghost], box))
                engine._sent -= len(box)
                box.clear()
                origins[ghost].clear()
        for peer, messages in self.remote.items():
            batches[peer].messages.extend(messages)
        self.remote = {}
        for batch in batches.values():
            batch.broadcasts = list(self.broadcasts)
        return batches

    def accept(self, batches: Mapping[int, Batch]) -> None:
        """Merge the peers' batches of the step just ended into this partition's next inbox."""
        engine = self.engine
        local_routed = engine._inbox_routed is not None
        if local_routed and all(batch.routed is not None or batch.column is not None for batch in batches.values()):
            heads = {batch.head for batch in batches.values() if batch.routes()}
            if heads <= {engine._inbox_pairs}:
                self._accept_routed(batches)
                return
        self._accept_boxes(batches)

    def _accept_routed(self, batches: Mapping[int, Batch]) -> None:
        """Everyone ended in routed form with the same payload head: the peers' payloads go
        into the routed table at their ghost slots; receivers fold them in origin order."""
        engine = self.engine
        routed = engine._inbox_routed
        assert routed is not None
        for peer, batch in batches.items():
            slots = self.from_peer_slots.get(peer, ())
            payloads = batch.routed if batch.column is None else batch.column
            if len(payloads) != len(slots):  # type: ignore[arg-type]
                raise GraphoidError("RuntimeError", f"partition {peer} sent {len(payloads)} routed payloads, "  # type: ignore[arg-type]
                                    f"partition {self.boundary.index} expected {len(slots)}")
            if batch.column is not None:
                # kept as numbers: the fold reads them from there, anything else after a write
                if slots:
                    if engine.inbox_typed is None:
                        engine.inbox_typed = TypedPayloads()
                    engine.inbox_typed.columns.append(GhostColumn(slots, self.from_peer_runs.get(peer), batch.column))
                continue
            # (long runs of consecutive slots: a slice store per run)
            write_slots(routed, slots, self.from_peer_runs.get(peer), batch.routed)  # type: ignore[arg-type]
        self._set_head(batch.head if batch.head is not None else _common_head(batch.routed)
                       for batch in batches.values() if batch.routes())
        self._refresh_counts()

    def _accept_boxes(self, batches: Mapping[int, Batch]) -> None:
        """Boxes for everything: local routed messages spread, remote ones added, and every
        box that got a remote message re-ordered by origin id."""
        engine = self.engine
        plan = self.plan
        ids, slot_of, out = plan.ids, plan.slot, plan.out
        engine.settle_typed()
        for batch in batches.values():
            if batch.column is not None:  # as Python values, as if they had come as a list
                batch.routed, batch.column = batch.column.tolist(), None
        engine.origins()  # type: ignore[attr-defined]
        inbox, origins = engine.inbox, engine.in_origins  # type: ignore[attr-defined]
        routed = engine._inbox_routed
        if routed is not None:
            if engine._inbox_pairs is not None:
                routed = as_messages(routed, engine._inbox_pairs)
            engine._inbox_routed = engine._inbox_pairs = None
            for src in range(plan.owned):
                msg = routed[src]
                if msg is not UNSENT:
                    for dst in out[src]:
                        if dst < plan.owned:
                            inbox[dst].append(msg)
                            origins[dst].append(src)
        arrived: dict[int, list[tuple[str, Any]]] = {}
        heads: list[Any] = []
        for peer, batch in sorted(batches.items()):
            if batch.routed:
                slots = self.from_peer_slots.get(peer, ())
                for ghost, value in zip(slots, batch.routed):
                    msg = value if batch.head is None else GList((batch.head, value))
                    for dst in out[ghost]:
                        arrived.setdefault(dst, []).append((ids[ghost], msg))
                heads.append(batch.head if batch.head is not None else _common_head(batch.routed))
            for dest, origin, msg in batch.messages:
                slot = slot_of.get(dest)
                if slot is None or slot >= plan.owned:
                    # only this partition could have had the node: it does not exist
                    raise GraphoidError("KeyError", f"Cannot send to '{dest}': no such node (sent by node '{origin}')")
                arrived.setdefault(slot, []).append((origin, msg))
            if batch.messages:
                heads.append(_common_head(m for _, _, m in batch.messages))
            for origin, msg in batch.broadcasts:
                for slot in plan.data:
                    arrived.setdefault(slot, []).append((origin, msg))
                heads.append(_common_head([msg]))
        for slot, entries in arrived.items():
            box = inbox[slot]
            mine = [(ids[o], m) for o, m in zip(origins[slot], box)]
            entries = mine + entries
            entries.sort(key=_BY_ORIGIN)  # stable: each origin's messages keep their order
            box[:] = [m for _, m in entries]
            origins[slot].clear()
        self._set_head(heads)
        self._refresh_counts()

    def _set_head(self, remote_heads: Iterable[Any]) -> None:
        """The next inbox's common head: h only if every message in it is `[h, x]`, judged
        from what this partition sent and what each peer's batch holds."""
        head = self.local_head
        for other in remote_heads:
            if head is None:
                head = other
            elif other is not head:
                head = MIXED
        self.engine.inbox_head = head if head.__class__ is Symbol else MIXED

    def _refresh_counts(self) -> None:
        """The engine's count of pending deliveries, for this partition's nodes only."""
        engine = self.engine
        if engine._inbox_routed is not None:
            engine._sent = self.plan.routes.incoming
            if not engine._sent:
                # every receiver is a ghost: the table has been shipped, and a step with no
                # work here would otherwise ship it again as that step's routed sends
                engine._inbox_routed = engine._inbox_pairs = engine.inbox_typed = None
        else:
            engine._sent = sum(map(len, engine.inbox[: self.plan.owned]))

    # -- topology changes made by handlers, applied at the coordinator's barrier

    def take_changes(self) -> list[tuple[str, int, str, tuple, Any]]:
        """The topology changes this step's handlers buffered: (node id, sequence, name, args,
        kwargs), for the coordinator to order with every other partition's."""
        changes, self.pending = self.pending, []
        return changes

    def accept_before_reshape(self, batches: Mapping[int, Batch]) -> None:
        """Merge the peers' batches as `accept` does, into boxes (which move to new slots)."""
        self._accept_boxes(batches)

    def prepare_reshape(self) -> None:
        """Before the barrier changes the partition graph: settle the rollback state and keep
        the topology for a rollback (the first time in this call)."""
        self.settle()
        self._snapshot_all()
        if self.atomic and self.topology is None:
            self.topology = _save_topology(self.graph)

    def reshape(self, boundary: Boundary) -> int:
        """Follow the partition graph after the barrier changed it (`boundary`: its ghosts and
        ship plan now): the next inbox moves to the new slots, messages for removed nodes are
        dropped (as on a local graph). Returns the messages still pending here."""
        plan = plan_for(self.graph, boundary.ghosts)
        if plan is not self.plan:
            old_ids, old = self.plan.ids, self.engine
            self.follow(plan)
            engine = TracedEngine(plan.buffers, UNLIMITED, plan.routes)
            engine.context = self.context
            engine.superstep, engine.delivered = old.superstep, old.delivered
            slot_of, owned, inbox = plan.slot, plan.owned, engine.inbox
            for slot, box in enumerate(old.inbox):
                target = slot_of.get(old_ids[slot]) if box else None
                if target is not None and target < owned:
                    inbox[target].extend(box)
            old.clear()
            self.engine = engine
            self.context.use(plan, engine)
        self.boundary = boundary
        self.to_peer_slots, self.from_peer_slots, self.to_peer_reads, self.from_peer_runs = _exchange_slots(
            plan, boundary
        )
        self._refresh_counts()
        return self.engine._sent

    # -- the coordinator's decision

    def commit(self) -> None:
        self.settle()
        self._finish()

    def abort(self) -> None:
        """Roll this partition back to its state before the call (a peer failed, or the limit)."""
        try:
            self.settle()  # (so that the undo below is the last word)
            self.engine.clear()
            self.pending = []
            if self.atomic:
                self.rollback()
        finally:
            self._finish()

    def _finish(self) -> None:
        if self._done:
            return
        self._done = True
        self.saved = {}
        self.snapshots = []
        self.handlers = []
        self.warm = None
        self.facade.run = None
        resume_gc(self._paused)


def _peer_slots(plan: Any, boundary: Boundary) -> tuple[dict[int, list[int]], dict[int, list[int]], Any, Any]:
    """The slots of the ids whose routed payloads go to / come from each peer, with their
    readers and runs (_exchange_slots). Kept on the delivery plan (valid while the topology
    is) for as long as the ship plan's mappings are the same objects (a mutation replaces
    them): PageRank asks 41 times per run."""
    cached = plan.peer_slots
    if cached is not None and cached[0] is boundary.to_peer and cached[1] is boundary.from_peer:
        return cached[2]
    found = _exchange_slots(plan, boundary)
    plan.peer_slots = (boundary.to_peer, boundary.from_peer, found)
    return found


def _exchange_slots(plan: Any, boundary: Boundary) -> tuple[dict[int, list[int]], dict[int, list[int]], Any, Any]:
    """Per peer: the slots whose routed payloads it needs, those its payloads fill, a reader
    of the first from a routed table and the runs (_runs) of the second, for slice stores."""
    slot = plan.slot
    to_slots = {peer: [slot[i] for i in ids] for peer, ids in boundary.to_peer.items()}
    from_slots = {peer: [slot[i] for i in ids] for peer, ids in boundary.from_peer.items()}
    reads = {peer: _reader(slots) for peer, slots in to_slots.items()}
    runs = {peer: _runs(slots) for peer, slots in from_slots.items()}
    return to_slots, from_slots, reads, runs


# a run of consecutive slots is copied as one slice when the runs average this length or more
# (shorter ones cost more in slice objects than slot-by-slot C loops)
_RUN_LENGTH = 8


def _runs(slots: list[int]) -> list[tuple[int, int]] | None:
    """`slots` as (start, stop) runs of consecutive ascending slots when they are ascending and
    the runs long (on average _RUN_LENGTH or more), else None. A partition's ghosts follow its
    owned slots in id order, so the slots a peer exchanges are mostly such runs."""
    if not slots:
        return None
    runs: list[tuple[int, int]] = []
    start = previous = slots[0]
    for slot in islice(slots, 1, None):
        if slot != previous + 1:
            if slot <= previous:
                return None  # not ascending (so not a set of runs of one table)
            runs.append((start, previous + 1))
            start = slot
        previous = slot
    runs.append((start, previous + 1))
    return runs if len(runs) * _RUN_LENGTH <= len(slots) else None


def _reader(slots: list[int]) -> Callable[[list[Any]], list[Any]]:
    """A function giving `[table[s] for s in slots]` as a new list, without a loop per slot in
    Python: one slice per run of consecutive slots, or one C getter."""
    runs = _runs(slots)
    if runs is not None:
        if len(runs) == 1:
            return itemgetter(slice(*runs[0]))  # a slice of a list is a new list

        def read_runs(table: list[Any]) -> list[Any]:
            picked: list[Any] = []
            for start, stop in runs:
                picked += table[start:stop]
            return picked

        return read_runs
    if not slots:
        return lambda table: []
    if len(slots) == 1:
        return itemgetter(slice(slots[0], slots[0] + 1))
    pick = itemgetter(*slots)
    return lambda table: list(pick(table))


def _common_head(messages: Iterable[Any]) -> Any:
    """h when every message is a two-item list `[h, x]` with the same symbol h, else MIXED."""
    head: Any = None
    for msg in messages:
        now = msg[0] if msg.__class__ is GList and len(msg) == 2 and msg[0].__class__ is Symbol else MIXED
        if head is None:
            head = now
        elif now is not head:
            return MIXED
    return MIXED if head is None else head
