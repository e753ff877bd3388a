"""Graph messaging on a worker: each partition it holds runs its part of a messaging call.

The coordinator sends STEP_BEGIN(call, step 0, partition p, limit); the partition's
PartitionRun (graphoid.messaging.partition: the local engine) handles step k once it also has
its peers' batches of step k-1, sends one STEP_MSGS batch to every other partition (worker to
worker, never through the driver; straight into the state of a partition on the same worker)
and reports STEP_DONE(sent, failure) to the coordinator (the report of a step in which it sent
messages goes with its next one: `_report`). Every batch carries its sender's count
for the step and whether the sender halts there, so once a partition holds every peer's batch
of step k it knows what the coordinator's barrier will decide: with messages pending, no halt
and the limit not reached, it begins step k+1 itself (the batches are the barrier); otherwise
it waits for the coordinator's COMMIT, ROLLBACK, RESHAPE or STEP_BEGIN. A partition halts at a
step whose handlers failed (its batches are then empty) or changed the topology. Without a
`limit` in STEP_BEGIN the coordinator begins every step (lockstep). Batches may arrive before
the step they belong to (a peer can be a step ahead), so they are kept by step.

Topology changes handlers make (`self.graph.add_node` ...) are buffered and reported with
STEP_DONE; the coordinator orders every partition's changes (topology.py) and sends them back
in RESHAPE once the step is over: the partition merges its peers' batches of that step, applies
the changes that concern it (mutations.apply_changes), follows its new plan (messages for
removed nodes dropped) and answers RESHAPED with what is still pending and its count changes.

Also here: READ (a partition answers node questions of the distributed graph handle) and
BEHAVIOR (set_behavior on every partition).
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

import attrs

from graphoid.distributed.codec import CodecError, decode, encode
from graphoid.distributed.barrier import StepFailure
from graphoid.distributed.handlers import PartitionCalls, owners_of
from graphoid.distributed.mutations import apply_changes
from graphoid.distributed.topology import packed_changes
from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Graph
from graphoid.messaging import vector_fold
from graphoid.messaging.partition import Batch, Boundary, PartitionRun
from graphoid.values.types import GList, GMap, Symbol

if TYPE_CHECKING:
    from graphoid.distributed.core import WorkerCore
    from graphoid.distributed.protocol import Message
    from graphoid.distributed.partition import Partition
    from graphoid.distributed.shipping import LoadedPartition

COORDINATOR = "coordinator"


@attrs.define(eq=False)
class CallState:
    """One messaging call on one partition of this worker."""

    graph: str
    call: int
    part: int
    run: PartitionRun | None = None
    collect: bool = False
    begun: int = -1  # the latest step begun here (by the coordinator, or by running on)
    done: int = -1  # the latest step handled here
    batches: dict[int, dict[int, Batch]] = attrs.field(factory=dict)  # step -> source partition -> batch
    # step -> [messages the peers' batches of it say were sent, whether a peer halted there]
    tallies: dict[int, list[Any]] = attrs.field(factory=dict)
    limit: int | None = None  # the superstep limit; None: the coordinator begins every step
    sent: int = 0  # this partition's messages of step `done`
    halted: bool = False  # this partition halted at step `done` (topology changes)
    failed: bool = False
    failed_step: int = 0
    owners: tuple[str, ...] = ()  # the worker of each partition of the graph
    accepted: int = -1  # the latest step whose peers' batches are merged into the inbox
    reshaping: tuple[int, Any] | None = None  # (step, encoded changes) of a RESHAPE waiting for batches
    layout: tuple[Any, ...] | None = None  # the partition's owned ids, ghosts and ship plan before any RESHAPE
    held: list[dict[str, Any]] = attrs.field(factory=list)  # STEP_DONE reports not sent yet (_report)


class Supersteps(PartitionCalls[CallState]):
    """The superstep handlers of one WorkerCore (installed into its handler table)."""

    def __init__(self, core: "WorkerCore") -> None:
        super().__init__(core, CallState, {
            "STEP_BEGIN": self._begin,
            "STEP_MSGS": self._batch,
            "COMMIT": self._commit,
            "ROLLBACK": self._rollback,
            "RESHAPE": self._reshape,
            "READ": self._read,
            "BEHAVIOR": self._behavior,
        })
        self._ready: deque[CallState] = deque()  # partitions to move on (_advance)
        self._advancing = False
        # (graph, partition) -> its latest call that ended here: a peer's batch of the last step
        # can arrive after the COMMIT, and must not start the call's state again
        self._ended: dict[tuple[str, int], int] = {}
        # (graph, part) -> (the ghosts set, graph._topo, its frozenset), see _ghost_set
        self._ghost_sets: dict[tuple[str, int], tuple[set[str], int, frozenset[str]]] = {}

    # ---------------------------------------------------------------- helpers

    def _program(self, loaded: "LoadedPartition", message: "Message | None" = None) -> Any:
        """The program whose functions a message holds: the one it names (code compiled since
        the graph was placed), else the partition's."""
        bundle = message.header.get("bundle") if message is not None else None
        bundle = bundle or loaded.bundle
        program = self.core.programs.get(bundle)
        if program is None:
            raise GraphoidError("FunctionNotFound", f"worker {self.core.worker_id} has no program {bundle}")
        return program

    # ---------------------------------------------------------------- a messaging call

    def _begin(self, message: "Message") -> None:
        graph, call, step, part = message["graph"], message["call"], message["step"], message["part"]
        state = self._state(graph, call, part)
        if step <= state.begun:
            return  # a resent STEP_BEGIN
        state.begun = step
        if step > 0 and state.run is not None and "nodes" in message.header:
            # the barrier changed the topology: counts are the whole graph's after it
            state.run.boundary = attrs.evolve(state.run.boundary, node_count=message["nodes"],
                                              edge_count=message.header.get("edges", 0))
        if step == 0:
            state.limit = message.header.get("limit")
            failed_before = state.failed  # a peer's batch that could not be read, before the call began here
            try:
                if len(message.payload) != 2:
                    raise GraphoidError("ProtocolError", "STEP_BEGIN of step 0 carries the seed and the owners")
                # the owners first: a partition that fails from here on can still halt its peers
                state.owners = owners_of(message.payload[1], None, "STEP_BEGIN")
                if failed_before:
                    self._halt_peers(state, state.failed_step)
                else:
                    self._start(state, message)
            except GraphoidError as error:
                if not state.failed:
                    self._fail(state, 0, error)
            if state.failed:
                return
        self._advance(state)

    def _start(self, state: CallState, message: "Message") -> None:
        header = message.header
        loaded = self._loaded(state.graph, state.part)
        program = self._program(loaded, message)
        seed = decode(message.payload[0], functions=program.table)
        if len(state.owners) != loaded.partitioning.count:
            raise GraphoidError("ProtocolError", "STEP_BEGIN carries a malformed owner list")
        if type(seed) is not GList or not seed:
            raise GraphoidError("ProtocolError", "STEP_BEGIN of step 0 carries the seed")
        partition = loaded.partition
        boundary = Boundary(
            index=state.part,
            ghosts=self._ghost_set(state.graph, state.part, partition),
            to_peer=loaded.plan.to_peer,
            from_peer=loaded.plan.from_peer,
            peers=tuple(index for index in range(loaded.partitioning.count) if index != state.part),
            owner=loaded.partitioning.owner,
            has_node=_anywhere,
            node_count=header.get("nodes", 0),
            edge_count=header.get("edges", 0),
        )
        run = PartitionRun(partition.graph, boundary, header.get("atomic", True))
        if self.core.can_defer:
            # a fold's stores wait until this handle's report is on its way (WorkerCore.defer)
            run.defer_hook = self._defer_settle
        state.run = run
        state.collect = bool(header.get("collect", False))
        kind, msg = seed[0], seed[1]
        if kind == "all":
            run.seed_all(msg)
        elif kind == "to":
            targets = list(seed[2])
            for node_id in targets:
                if not partition.owns(node_id):
                    raise GraphoidError("KeyError", f"Cannot send to '{node_id}': no such node")
            run.seed(targets, msg)
        elif kind == "where":
            where = seed[2]
            chosen = [node_id for node_id in loaded.owned if _truthy(where(partition.graph._nodes[node_id]))]
            run.seed(chosen, msg)
        else:
            raise GraphoidError("ProtocolError", f"unknown seed kind {kind!r}")

    # -- lane thru2: the partition's ghosts as one frozenset per topology (an O(1) check per call)

    def _defer_settle(self, run: PartitionRun) -> None:
        self.core.defer(run.settle)

    def _ghost_set(self, graph: str, part: int, partition: "Partition") -> frozenset[str]:
        """`partition.ghosts` frozen, the same object while that set and the graph's `_topo`
        are (every change of the ghosts adds or removes a node of the graph, which bumps
        `_topo`), so that `plan_for` knows its delivery plan by identity."""
        cached = self._ghost_sets.get((graph, part))
        topo = partition.graph._topo
        if cached is not None and cached[0] is partition.ghosts and cached[1] == topo:
            return cached[2]
        frozen = frozenset(partition.ghosts)
        plan = partition.graph._msg_plan
        if plan is not None and plan.version == topo and plan.ghosts == frozen:
            frozen = plan.ghosts  # the plan's own object: plan_for then compares nothing
        self._ghost_sets[(graph, part)] = (partition.ghosts, topo, frozen)
        return frozen

    def _batch(self, message: "Message") -> None:
        graph, call, step, part, source = (
            message["graph"], message["call"], message["step"], message["part"], message["source"],
        )
        loaded = self.core.partitions.get((graph, part))
        if loaded is None or not message.payload or call <= self._ended.get((graph, part), 0):
            return
        try:
            batch = _unpack_batch(message.payload, self._program(loaded).table, message.header.get("column"))
        except GraphoidError as error:
            state = self._state(graph, call, part)
            if not state.failed:
                self._fail(state, state.done + 1, error)  # the step this partition is at
            return
        header = message.header
        self._receive(graph, call, step, part, source, batch, header.get("sent", 0), header.get("halt", False))

    def _receive(self, graph: str, call: int, step: int, part: int, source: int, batch: Batch,
                 sent: int, halt: bool) -> None:
        state = self._state(graph, call, part)
        state.batches.setdefault(step, {})[source] = batch
        tally = state.tallies.get(step)
        if tally is None:
            tally = state.tallies[step] = [0, False]
        tally[0] += sent
        tally[1] = tally[1] or halt
        self._advance(state)

    def _advance(self, state: CallState) -> None:
        """Move `state` on; a partition of this worker that a step delivers to moves on after
        it (a queue, not recursion: partitions that run on would nest a call per step)."""
        self._ready.append(state)
        if self._advancing:
            return
        self._advancing = True
        try:
            while self._ready:
                self._advance_one(self._ready.popleft())
        finally:
            self._advancing = False

    def _advance_one(self, state: CallState) -> None:
        """Handle the step begun here if everything it needs is here, and run on from it."""
        run = state.run
        if run is None or state.failed:
            return
        if state.reshaping is not None:
            self._apply_reshape(state, run)
            return
        while (state.begun <= state.done or self._handle(state, run, state.begun)) and self._runs_on(state, run):
            state.begun = state.done + 1
        if state.held and not state.failed and not self._awaits_batches(state, run):
            self._release_reports(state)

    def _handle(self, state: CallState, run: PartitionRun, step: int) -> bool:
        """Handle `step` once the peers' batches of the step before are here; whether it ran."""
        if step > 0 and state.accepted < step - 1:
            arrived = self._arrived(state, run, step - 1)
            if arrived is None:
                return False
            try:
                run.accept(arrived)
            except GraphoidError as error:
                self._fail(state, step, error)
                return False
        state.done = step
        try:
            sent, batches = run.step(step, state.collect)
        except GraphoidError as error:
            self._fail(state, step, error, run.failed_node or "")
            return False
        changes = run.take_changes()
        state.sent, state.halted = sent, bool(changes)
        self._ship(state, step, batches, sent, state.halted)
        replies = None
        if state.collect and step == 0:
            replies = GMap(run.replies)
        # (a partition that sent nothing may be at the call's last step: its report goes now)
        self._report(state, step, sent, None, None, replies, changes, hold=sent > 0 and self._may_run_on(state))
        return True

    @staticmethod
    def _may_run_on(state: CallState) -> bool:
        """Whether the partition may begin the step after `done` itself (the peers' counts
        decide the rest); its report of `done` then waits (see _report)."""
        return state.limit is not None and not state.halted and not state.failed and state.done + 1 < state.limit

    def _awaits_batches(self, state: CallState, run: PartitionRun) -> bool:
        """Whether the partition may still run on from `done`: some peer's batch of it is missing."""
        return self._may_run_on(state) and len(state.batches.get(state.done, ())) < len(run.boundary.peers)

    def _runs_on(self, state: CallState, run: PartitionRun) -> bool:
        """Whether this partition begins the step after `done` itself: every peer's batch of
        `done` is here, and the coordinator's barrier would continue (messages pending, no
        halt, the limit not reached)."""
        step = state.done
        if state.limit is None or state.halted or step + 1 >= state.limit:
            return False
        if len(state.batches.get(step, ())) < len(run.boundary.peers):
            return False
        sent, halted = state.tallies.get(step, (0, False))
        if halted or not state.sent + sent:
            return False
        state.tallies.pop(step, None)
        return True

    def _arrived(self, state: CallState, run: PartitionRun, step: int) -> dict[int, Batch] | None:
        """Every peer's batch of `step` (taken), or None while some are still on their way."""
        arrived = state.batches.get(step, {})
        if len(arrived) < len(run.boundary.peers):
            return None
        state.batches.pop(step, None)
        state.accepted = step
        return arrived

    # ---------------------------------------------------------------- topology changes at the barrier

    def _reshape(self, message: "Message") -> None:
        state = self.calls.get((message["graph"], message["call"], message["part"]))
        if state is None or not message.payload:
            return
        state.reshaping = (message["step"], message.payload[0])
        self._advance(state)

    def _apply_reshape(self, state: CallState, run: PartitionRun) -> None:
        """Once the peers' batches of the step are in: merge them, apply the barrier's changes
        that concern this partition and follow the new topology; answer RESHAPED."""
        step, data = state.reshaping  # type: ignore[misc]
        arrived = self._arrived(state, run, step)
        if arrived is None:
            return
        state.reshaping = None
        state.tallies.pop(step, None)
        state.halted = False
        loaded = self._loaded(state.graph, state.part)
        try:
            run.accept_before_reshape(arrived)
            changes = decode(data, functions=self._program(loaded).table)
            if type(changes) is not GList:
                raise GraphoidError("ProtocolError", "malformed topology changes")
            run.prepare_reshape()
            if state.layout is None and run.atomic:
                partition = loaded.partition
                state.layout = (list(loaded.owned), set(partition.ghosts), loaded.plan)
            nodes, edges = apply_changes(loaded, list(changes))
            boundary = attrs.evolve(run.boundary, ghosts=frozenset(loaded.partition.ghosts),
                                    to_peer=loaded.plan.to_peer, from_peer=loaded.plan.from_peer)
            pending = run.reshape(boundary)
        except GraphoidError as error:
            state.failed = True
            self.core.send(COORDINATOR, "RESHAPED", graph=state.graph, call=state.call, step=step, part=state.part,
                           pending=0, nodes=0, edges=0, failed="", payload=[encode(error)])
            return
        self.core.send(COORDINATOR, "RESHAPED", graph=state.graph, call=state.call, step=step, part=state.part,
                       pending=pending, nodes=nodes, edges=edges)

    def _ship(self, state: CallState, step: int, batches: dict[int, Batch], sent: int, halt: bool) -> None:
        """Send each peer its batch of `step`, with this partition's count and halt for it."""
        owners = state.owners
        program = self._program(self._loaded(state.graph, state.part)) if batches else None
        for peer, batch in batches.items():
            worker = owners[peer] if peer < len(owners) else None
            if worker == self.core.worker_id:
                self._receive(state.graph, state.call, step, peer, state.part, batch, sent, halt)
                continue
            if worker is None:
                self._fail(state, step, GraphoidError("RuntimeError", f"no worker is known for partition {peer}"))
                return
            frames, column = _pack_batch(batch, program)
            fields = {"column": column} if column is not None else {}
            self.core.send_now(worker, "STEP_MSGS", graph=state.graph, call=state.call, step=step, part=peer,
                               source=state.part, sent=sent, halt=halt, payload=frames, **fields)

    def _fail(self, state: CallState, step: int, error: GraphoidError, node_id: str = "") -> None:
        state.failed = True
        state.failed_step = step
        self._report(state, step, 0, StepFailure(node_id, error.kind, error.message), error)
        self._halt_peers(state, step)

    def _halt_peers(self, state: CallState, step: int) -> None:
        """Empty batches of `step` that halt the peers there (they wait for the coordinator),
        once this partition knows where its peers are."""
        for peer, worker in enumerate(state.owners):
            if peer == state.part:
                continue
            if worker == self.core.worker_id:
                self._receive(state.graph, state.call, step, peer, state.part, Batch(), 0, True)
            else:
                self.core.send_now(worker, "STEP_MSGS", graph=state.graph, call=state.call, step=step, part=peer,
                                   source=state.part, sent=0, halt=True, payload=[_EMPTY_BATCH])

    def _report(self, state: CallState, step: int, sent: int, failure: StepFailure | None,
                error: GraphoidError | None, replies: Any = None, changes: list[Any] | None = None,
                *, hold: bool = False) -> None:
        """STEP_DONE of `step` to the coordinator. With `hold` (the partition sent messages in
        the step and may run on) it waits until the partition sends a report without, and goes
        with it, in step order; or, when the partition does not run on after all (a peer halted),
        as soon as it knows. The coordinator cannot settle a step in which messages were sent
        before the next step's reports, so a report it would only file costs no wake-up of the
        driver meanwhile, nor competes for the CPU with the partitions' next step."""
        fields: dict[str, Any] = {}
        payload: list[bytes] = []
        if failure is not None:
            fields["failed"] = failure.node_id
            payload.append(encode(error))
        else:
            program = self._program(self._loaded(state.graph, state.part)) if replies is not None or changes else None
            if replies is not None:
                payload.append(program.encode(replies))
            if changes:
                # the last frame: the topology changes this step's handlers buffered
                fields["changes"] = True
                payload.append(program.encode(packed_changes(changes)))
        report = dict(graph=state.graph, call=state.call, step=step, part=state.part, sent=sent, payload=payload,
                      **fields)
        if hold:
            state.held.append(report)
            return
        self._release_reports(state)
        self.core.send(COORDINATOR, "STEP_DONE", **report)

    def _release_reports(self, state: CallState) -> None:
        """Send the reports held back (in step order)."""
        held, state.held = state.held, []
        for report in held:
            self.core.send(COORDINATOR, "STEP_DONE", **report)

    def _end(self, message: "Message") -> CallState | None:
        graph, call, part = message["graph"], message["call"], message["part"]
        self._ended[(graph, part)] = max(call, self._ended.get((graph, part), 0))
        return self.calls.pop((graph, call, part), None)

    def _commit(self, message: "Message") -> None:
        state = self._end(message)
        if state is not None and state.run is not None:
            state.run.commit()

    def _rollback(self, message: "Message") -> None:
        state = self._end(message)
        if state is not None and state.run is not None:
            state.run.abort()
            loaded = self.core.partitions.get((state.graph, state.part))
            if state.layout is not None and loaded is not None:
                # the graph itself is restored by the run; its owned ids, ghosts and plan here
                loaded.owned, loaded.partition.ghosts, loaded.plan = state.layout

    # ---------------------------------------------------------------- reads and behaviour

    def _read(self, message: "Message") -> None:
        graph_name, part, op, ask = message["graph"], message["part"], message["op"], message["ask"]
        try:
            loaded = self._loaded(graph_name, part)
            program = self._program(loaded, message)
            args = decode(message.payload[0], functions=program.table) if message.payload else GList()
            value = _answer(loaded, op, list(args))
            self.core.reply(message, "READ_REPLY", graph=graph_name, part=part, ask=ask, payload=[program.encode(value)])
        except GraphoidError as error:
            self.core.reply(message, "READ_REPLY", graph=graph_name, part=part, ask=ask, failed=True,
                            payload=[encode(error)])

    def _behavior(self, message: "Message") -> None:
        graph_name, part, ask = message["graph"], message["part"], message["ask"]
        try:
            loaded = self._loaded(graph_name, part)
            template = decode(message.payload[0], functions=self._program(loaded, message).table)
            if template is not None and not isinstance(template, Graph):
                raise GraphoidError("TypeError", "set_behavior expects a class-like graph")
            loaded.partition.graph.behavior.handler_template = template
            self.core.reply(message, "BEHAVIOR_READY", graph=graph_name, part=part, ask=ask)
        except GraphoidError as error:
            self.core.reply(message, "BEHAVIOR_READY", graph=graph_name, part=part, ask=ask, failed=True,
                            payload=[encode(error)])


def _anywhere(node_id: str) -> bool:
    """A partition cannot know every id: a send to a node that does not exist is refused by the
    partition that would own it."""
    return True


def _truthy(value: Any) -> bool:
    return value is not None and value is not False


def _answer(loaded: "LoadedPartition", op: str, args: list[Any]) -> Any:
    """A node question about this partition's own nodes."""
    partition = loaded.partition
    graph = partition.graph
    if op == "nodes":
        return GList(loaded.owned)
    if op == "node_count":  # find_pattern: the max of a path clause without one
        return len(loaded.owned)
    if op == "partition":
        # its data layer (adjacency in order, edge attributes) and ghosts, for partition.join
        return GList((graph.copy_structure(with_layers=False), GList(sorted(partition.ghosts))))
    if op in ("get_node", "has_node", "neighbors"):
        node_id = args[0] if args else None
        owned = isinstance(node_id, str) and partition.owns(node_id)
        if op == "has_node":
            return owned
        if not owned:
            if op == "get_node":
                return None
            raise GraphoidError("KeyError", f"Graph has no node '{node_id}'")
        if op == "get_node":
            return graph._nodes[node_id]
        return GList(graph.successors(node_id, args[1] if len(args) > 1 else None))
    raise GraphoidError("ProtocolError", f"unknown read '{op}'")


def _pack_batch(batch: Batch, program: Any) -> tuple[list[bytes], str | None]:
    """The frames of a STEP_MSGS batch and the code of its payload column (None: none).

    Routed payloads of `[h, x]` messages that are all exact ints (within int64) or all exact
    floats, MIN_COLUMN or more of them, travel as one packed column in a second frame
    (vector_fold.pack_column): the receiver's fold reads them as they are."""
    routed = batch.routed
    column = None
    if routed is not None and batch.head is not None and len(routed) >= vector_fold.MIN_COLUMN:
        column = vector_fold.pack_column(routed, batch.constant)
    if column is not None:
        routed = None
    packed = program.encode(GList((
        GList(routed) if routed is not None else None,
        batch.head,
        GList(GList(entry) for entry in batch.messages),
        GList(GList(entry) for entry in batch.broadcasts),
    )))
    if column is None:
        return [packed], None
    return [packed, column[1]], column[0]


def _unpack_batch(frames: Any, table: Any, column: Any = None) -> Batch:
    value = decode(frames[0], functions=table)
    if type(value) is not GList or len(value) != 4:
        raise CodecError("ProtocolError", "malformed superstep batch")
    routed, head, messages, broadcasts = value
    payloads = None
    if column is not None:
        # a packed payload column: the routed payloads of `[head, x]` messages, in the second frame
        if routed is not None or type(head) is not Symbol or len(frames) != 2:
            raise CodecError("ProtocolError", "malformed superstep payload column")
        try:
            payloads = vector_fold.unpack_column(column, frames[1])
        except ValueError as error:
            raise CodecError("ProtocolError", f"malformed superstep payload column: {error}") from None
    if not all(isinstance(group, GList) for group in (messages, broadcasts)) or (
        routed is not None and not isinstance(routed, GList)
    ):
        raise CodecError("ProtocolError", "malformed superstep batch")
    if not all(isinstance(entry, GList) and len(entry) == 3 and isinstance(entry[0], str) and isinstance(entry[1], str)
               for entry in messages):
        raise CodecError("ProtocolError", "malformed superstep message")
    if not all(isinstance(entry, GList) and len(entry) == 2 and isinstance(entry[0], str) for entry in broadcasts):
        raise CodecError("ProtocolError", "malformed superstep broadcast")
    return Batch(None if routed is None else list(routed), head, [list(m) for m in messages],
                 [list(b) for b in broadcasts], column=payloads)


# what a halting partition sends (no functions in it: packed without a program)
_EMPTY_BATCH = encode(GList((None, None, GList(), GList())))

__all__ = ["Supersteps"]
