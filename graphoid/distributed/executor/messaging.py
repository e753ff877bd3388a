"""The coordinator's side of graph messaging on a distributed graph, and node reads.

`messaging` seeds every partition (STEP_BEGIN of step 0 with the seed, the partition ->
worker table and the superstep limit), then feeds each partition's STEP_DONE to the superstep
barrier (graphoid.distributed.barrier) and sends what it decides: COMMIT or ROLLBACK. Batches
travel worker to worker (graphoid.distributed.supersteps) and carry their sender's count, so
the partitions begin each next step themselves: the coordinator is off the path between the
steps of a call, and only starts and ends it (the commit point stays here). A lost worker
aborts the call: the survivors roll back and the caller gets a WorkerLostError naming the
worker and its partitions.

Topology changes handlers make arrive with STEP_DONE; when the barrier says Reshape, the
coordinator orders and checks them (graphoid.distributed.topology), sends them to every
partition (RESHAPE) and lets the barrier decide from the RESHAPED answers: what is still pending
and the count changes, which the next STEP_BEGIN and, at the commit, the handle's counts take.
(A step with changes halts the partitions, so after a reshape the coordinator begins the next.)
"""

from __future__ import annotations

from typing import Any, Sequence

import attrs
import msgpack

from graphoid.distributed.barrier import Abort, Commit, Continue, Reshape, Rollback, StepFailure, SuperstepBarrier
from graphoid.distributed.codec import CodecError, decode, encode
from graphoid.distributed.executor.base import GraphCounts
from graphoid.distributed.partition import Partition, join
from graphoid.distributed.protocol import Message
from graphoid.distributed.topology import ordered_changes, reported_changes
from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Graph
from graphoid.values.types import GList, GMap

WORKER_LOST = "WorkerLostError"


@attrs.define(eq=False)
class CallTracker:
    """A messaging call in progress: its barrier, the decision, the replies and the error."""

    graph: str
    call: int
    barrier: SuperstepBarrier
    errors: dict[int, GraphoidError] = attrs.field(factory=dict)  # partition -> its error
    replies: dict[str, Any] = attrs.field(factory=dict)
    found: list[Any] = attrs.field(factory=list)  # find_pattern: the bindings reported so far
    decision: Any = None
    # topology changes inside on_message: those reported for the current step, the RESHAPED
    # answers (partition -> (pending, nodes, edges) or its error), the graph's counts so far
    changes: list[Any] = attrs.field(factory=list)
    reshaped: dict[int, Any] = attrs.field(factory=dict)
    topology_error: GraphoidError | None = None
    counts: GraphCounts | None = None


@attrs.define(eq=False)
class ReadReply:
    arrived: bool = False
    value: Any = None
    error: GraphoidError | None = None


class GraphMessaging:
    """Mixed into MessageDriver: it supplies _state, _deliver, _message, _wait_until, ..."""

    def _messaging_init(self) -> None:
        self._calls: dict[tuple[str, int], CallTracker] = {}
        self._call_ids = 0
        self._reads: dict[int, ReadReply] = {}  # question number -> its answer
        self._asked = 0
        self.supersteps_run = 0

    def _ask(self) -> int:
        self._asked += 1
        return self._asked

    # ---------------------------------------------------------------- messaging calls

    def messaging(self, name: str, message: Any, *, collect: bool, targets: Any, max_supersteps: int,
                  atomic: bool, counts: GraphCounts) -> dict[str, Any]:
        with self._state:  # type: ignore[attr-defined]
            placement = self.placement(name)  # type: ignore[attr-defined]
            exporter = self._require_program()  # type: ignore[attr-defined]
            count = placement.partitioning.count
            seeds = self._seeds(name, message, targets, placement)
            self._call_ids += 1
            tracker = CallTracker(name, self._call_ids, SuperstepBarrier.over(range(count), max_supersteps, True))
            tracker.counts = GraphCounts(counts.nodes, counts.edges)
            node_count, edge_count = counts.nodes, counts.edges
            self._calls[(name, tracker.call)] = tracker
            owners = msgpack.packb(list(placement.owners))
            losses = self._losses()  # type: ignore[attr-defined]
            try:
                self._deliver([  # type: ignore[attr-defined]
                    (placement.owners[part], self._message(  # type: ignore[attr-defined]
                        "STEP_BEGIN", graph=name, call=tracker.call, step=0, part=part, collect=collect,
                        atomic=atomic, nodes=node_count, edges=edge_count, bundle=exporter.bundle.hash,
                        limit=max_supersteps, payload=[encode(seeds[part], functions=exporter), owners],
                    ))
                    for part in range(count)
                ])
                while True:
                    self._wait_until(lambda: tracker.decision is not None, losses)  # type: ignore[attr-defined]
                    decision, tracker.decision = tracker.decision, None
                    if isinstance(decision, Reshape):
                        decision = self._reshape(tracker, placement, decision.step, losses)
                        if isinstance(decision, Continue):
                            # the changes halted the partitions: they begin the next step when told
                            sizes = {} if tracker.counts == counts else {"nodes": tracker.counts.nodes,
                                                                         "edges": tracker.counts.edges}
                            self._to_partitions(placement, "STEP_BEGIN", graph=name, call=tracker.call,
                                                step=decision.step, **sizes)
                    if not isinstance(decision, Continue):
                        break
            except GraphoidError:
                # a worker was lost (or the transport failed): the rest forget the call
                self._to_partitions(placement, "ROLLBACK", graph=name, call=tracker.call, live_only=True)
                self._flush_deliveries()  # type: ignore[attr-defined]
                raise
            finally:
                del self._calls[(name, tracker.call)]
            self.supersteps_run += tracker.barrier.step + 1
            if isinstance(decision, Commit) or not atomic:
                # (a call that is not atomic keeps the changes applied before its error)
                counts.nodes, counts.edges = tracker.counts.nodes, tracker.counts.edges
            if isinstance(decision, Commit):
                self._to_partitions(placement, "COMMIT", graph=name, call=tracker.call)
                self._flush_deliveries()  # type: ignore[attr-defined]
                return tracker.replies
            self._to_partitions(placement, "ROLLBACK", graph=name, call=tracker.call, live_only=True)
            self._flush_deliveries()  # type: ignore[attr-defined]
            if isinstance(decision, Abort):
                lost = ", ".join(str(part) for part in decision.lost)
                raise GraphoidError(WORKER_LOST, f"messaging on '{name}' lost partitions {lost} at superstep {decision.step}")
            assert isinstance(decision, Rollback)
            error = tracker.topology_error
            if error is None and decision.partition is not None:
                error = tracker.errors.get(decision.partition)
            if error is None:
                error = GraphoidError(decision.failure.kind, decision.failure.message)
            raise error

    def _reshape(self, tracker: CallTracker, placement: Any, step: int, losses: Any) -> Any:
        """Apply the topology changes handlers made in `step` at every partition (in (node id,
        sequence) order, checked first); the barrier's decision from what they answer."""
        reported, tracker.changes = tracker.changes, []
        changes, error, node_id = ordered_changes(reported, step)
        tracker.reshaped = {}
        exporter = self._require_program()  # type: ignore[attr-defined]
        data = encode(changes, functions=exporter)
        self._deliver([  # type: ignore[attr-defined]
            (worker, self._message("RESHAPE", graph=tracker.graph, call=tracker.call, step=step,  # type: ignore[attr-defined]
                                   part=part, bundle=exporter.bundle.hash, payload=[data]))
            for part, worker in enumerate(placement.owners)
        ])
        count = placement.partitioning.count
        self._wait_until(lambda: tracker.decision is not None or len(tracker.reshaped) == count,  # type: ignore[attr-defined]
                         losses)
        if tracker.decision is not None:  # a partition was lost meanwhile
            decision, tracker.decision = tracker.decision, None
            return decision
        failures = [(part, answer) for part, answer in sorted(tracker.reshaped.items())
                    if isinstance(answer, GraphoidError)]
        if failures:
            part, tracker.topology_error = failures[0]
            return tracker.barrier.reshape_failed(StepFailure("", tracker.topology_error.kind,
                                                              tracker.topology_error.message), part)
        assert tracker.counts is not None
        tracker.counts.nodes += sum(answer[1] for answer in tracker.reshaped.values())
        tracker.counts.edges += sum(answer[2] for answer in tracker.reshaped.values())
        if error is not None:
            # the changes before the bad one are applied (they stay when the call is not atomic)
            tracker.topology_error = error
            return tracker.barrier.reshape_failed(StepFailure(node_id, error.kind, error.message), None)
        return tracker.barrier.reshaped(sum(answer[0] for answer in tracker.reshaped.values()))

    def _on_reshaped(self, worker_id: str, message: Message) -> bool:
        tracker = self._calls.get((message["graph"], message["call"]))
        if tracker is None or message["step"] != tracker.barrier.step:
            return False
        if message.header.get("failed") is not None:
            tracker.reshaped[message["part"]] = _decoded_error(worker_id, message)
        else:
            tracker.reshaped[message["part"]] = (message["pending"], message["nodes"], message["edges"])
        return len(tracker.reshaped) == len(tracker.barrier.partitions)

    def _seeds(self, name: str, message: Any, targets: Any, placement: Any) -> list[GList]:
        """The step-0 deliveries of each partition: all its nodes, chosen ids, or a predicate."""
        count = placement.partitioning.count
        if targets is None:
            return [GList(("all", message))] * count
        kind = targets[0]
        if kind == "where":
            return [GList(("where", message, targets[1]))] * count
        if kind == "from":
            source, via = targets[1], targets[2]
            ids = list(self.graph_read(name, "neighbors", source, via))
        else:
            ids = targets[1]
        per_part: list[list[str]] = [[] for _ in range(count)]
        for node_id in ids:
            per_part[placement.partitioning.owner(node_id)].append(node_id)
        return [GList(("to", message, GList(chosen))) for chosen in per_part]

    def _to_partitions(self, placement: Any, type: str, *, live_only: bool = False, **fields: Any) -> None:
        lost = self._lost  # type: ignore[attr-defined]
        self._deliver([  # type: ignore[attr-defined]
            (worker, self._message(type, part=part, **fields))  # type: ignore[attr-defined]
            for part, worker in enumerate(placement.owners)
            if not (live_only and worker in lost)
        ])

    def _on_step_done(self, worker_id: str, message: Message) -> bool:
        tracker = self._calls.get((message["graph"], message["call"]))
        if tracker is None:
            return False
        part, step = message["part"], message["step"]
        failed = message.header.get("failed")
        failure = None
        payload = message.payload
        changed = failed is None and bool(message.header.get("changes")) and bool(payload)
        if changed:
            try:
                tracker.changes.extend(reported_changes(self._decode(payload[-1])))  # type: ignore[attr-defined]
            except GraphoidError as error:  # (a CodecError too) a worker bug, reported as the step's failure
                tracker.errors[part] = error
                failure = StepFailure("", error.kind, error.message)
            payload = payload[:-1]
        if failed is not None:
            error = _decoded_error(worker_id, message)
            tracker.errors[part] = error
            failure = StepFailure(failed, error.kind, error.message)
        elif payload and failure is None:
            try:
                replies = self._decode(payload[0])  # type: ignore[attr-defined]
            except CodecError:
                replies = None
            if isinstance(replies, GMap):
                tracker.replies.update(replies.items())
            elif isinstance(replies, GList):
                tracker.found.extend(replies)
        decision = tracker.barrier.report(part, step, message["sent"], failure, reshape=changed)
        if decision is None or (tracker.barrier.runs_on and isinstance(decision, Continue)):
            return False  # (partitions that run on begin the next step by themselves)
        tracker.decision = decision
        return True

    def partitions_lost(self, worker_id: str) -> None:
        """Abort the calls whose partitions lived on `worker_id` (their barrier decides Abort)."""
        for tracker in self._calls.values():
            placement = self.placement(tracker.graph)  # type: ignore[attr-defined]
            lost = [part for part, owner in enumerate(placement.owners) if owner == worker_id]
            decision = tracker.barrier.lost(lost)
            if decision is not None:
                tracker.decision = decision

    # ---------------------------------------------------------------- reads and behaviour

    def graph_read(self, name: str, op: str, *args: Any) -> Any:
        """Ask the partitions: `nodes` (every id, ascending), `get_node`, `has_node`,
        `neighbors` (the owner answers), `to_local` (the whole graph, assembled here)."""
        with self._state:  # type: ignore[attr-defined]
            placement = self.placement(name)  # type: ignore[attr-defined]
            if op in ("get_node", "has_node", "neighbors"):
                part = placement.partitioning.owner(args[0])
                return self._read_parts(placement, [part], op, args)[0]
            if op == "nodes":
                ids = [node_id for part in self._read_parts(placement, range(placement.partitioning.count), op, ())
                       for node_id in part]
                return sorted(ids)
            if op == "to_local":
                return self._to_local(placement, args[0] if args else "directed")
            raise GraphoidError("ValueError", f"unknown graph read '{op}'")

    def _read_parts(self, placement: Any, parts: Sequence[int], op: str, args: Sequence[Any],
                    type: str = "READ") -> list[Any]:
        exporter = self._require_program()  # type: ignore[attr-defined]
        return self._ask_parts(placement, parts, type, encode(GList(args), functions=exporter), op=op)

    def _ask_parts(self, placement: Any, parts: Sequence[int], type: str, payload: bytes, **fields: Any) -> list[Any]:
        """Send a question to each partition in `parts` and wait for every answer (READ_REPLY or
        BEHAVIOR_READY, matched by question number); the first error answered is raised."""
        bundle = self._require_program().bundle.hash  # type: ignore[attr-defined]
        losses = self._losses()  # type: ignore[attr-defined]
        pending: list[tuple[int, ReadReply]] = []
        outgoing = []
        for part in parts:
            ask = self._ask()
            request = self._message(  # type: ignore[attr-defined]
                type, graph=placement.name, part=part, ask=ask, bundle=bundle, payload=[payload], **fields
            )
            reply = self._reads[ask] = ReadReply()
            pending.append((ask, reply))
            outgoing.append((placement.owners[part], request))
        try:
            self._deliver(outgoing)  # type: ignore[attr-defined]
            self._wait_until(lambda: all(reply.arrived for _, reply in pending), losses)  # type: ignore[attr-defined]
        finally:
            for request_id, _ in pending:
                self._reads.pop(request_id, None)
        for _, reply in pending:
            if reply.error is not None:
                raise reply.error
        return [reply.value for _, reply in pending]

    def _to_local(self, placement: Any, graph_type: str) -> Any:
        """Every partition's data layer joined here: nodes in ascending id order, each with its
        owner's value and adjacency order (partition.join)."""
        parts = range(placement.partitioning.count)
        joined = []
        for index, answer in zip(parts, self._read_parts(placement, parts, "partition", ())):
            if not (type(answer) is GList and len(answer) == 2 and type(answer[0]) is Graph
                    and type(answer[1]) is GList and all(type(ghost) is str for ghost in answer[1])):
                raise GraphoidError("ProtocolError", f"malformed partition {index} of graph '{placement.name}'")
            joined.append(Partition(index, answer[0], set(answer[1])))
        return join(joined, graph_type == "directed")

    def set_behavior(self, name: str, template: Any) -> None:
        with self._state:  # type: ignore[attr-defined]
            placement = self.placement(name)  # type: ignore[attr-defined]
            data = encode(template, functions=self._require_program())  # type: ignore[attr-defined]
            self._ask_parts(placement, range(placement.partitioning.count), "BEHAVIOR", data)

    def _on_read_reply(self, worker_id: str, message: Message) -> bool:
        reply = self._reads.get(message["ask"])
        if reply is None:
            return False
        if message.header.get("failed"):
            reply.error = _decoded_error(worker_id, message)
        elif message.payload:
            try:
                reply.value = self._decode(message.payload[0])  # type: ignore[attr-defined]
            except CodecError as error:
                reply.error = GraphoidError(error.kind, f"worker {worker_id} sent an unreadable reply: {error.message}")
        reply.arrived = True
        return True


def _decoded_error(worker_id: str, message: Message) -> GraphoidError:
    try:
        error = decode(message.payload[0]) if message.payload else None
    except CodecError:
        error = None
    if not isinstance(error, GraphoidError):
        return GraphoidError("RemoteError", f"worker {worker_id} failed without a readable error")
    return error
