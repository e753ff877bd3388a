"""Pattern matching on a distributed graph, the worker side (`distributed.find_pattern`).

The semantics are local `g.match` (graphoid.graphs.patterns.find_matches): variables are bound in
order of first appearance, each to a distinct node, and every clause must hold. Here a partial
binding travels to where the next step can be decided:

- *expand* (at the owner of an already bound node, the anchor of the next variable): the anchor's
  neighbours along its clause are the candidates; each goes to the candidate's owner;
- *verify* (at the candidate's owner): distinctness, the node type, self-loop clauses and every
  other clause that links the candidate to a bound variable (the owner holds every edge of its
  nodes, ghosts included, so one look suffices); a verified binding is complete, or is expanded
  for the next variable (here when the anchor is local, else at the anchor's owner);
- a variable with no clause to a bound one (the first one, or the first of another connected
  component of the pattern) is tried at every partition against the nodes it owns.

Work for another partition is batched per step and sent worker to worker (MATCH_MSGS); a step
sends exactly one batch to every peer, so a partition knows when its inbox for the next step is
complete. The coordinator runs the steps with the superstep barrier (MATCH_BEGIN, STEP_DONE with
the complete bindings found, MATCH_END) and sorts the bindings as the local matcher does.
Variable-length path clauses are refused by the coordinator (they would need a distributed
breadth-first search).
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

import attrs
import msgpack

from graphoid.distributed.codec import decode, encode
from graphoid.distributed.handlers import PartitionCalls, owners_of
from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Graph
from graphoid.graphs.patterns import Clause, Pattern, _reach
from graphoid.values.types import GList

if TYPE_CHECKING:
    from graphoid.distributed.core import WorkerCore
    from graphoid.distributed.protocol import Message
    from graphoid.distributed.shipping import LoadedPartition

COORDINATOR = "coordinator"
# Work item kinds: [kind, bound ids in variable order, candidate id or None].
VERIFY, EXPAND, EXPAND_OWNED = 0, 1, 2
Item = tuple[int, tuple[str, ...], "str | None"]


class CompiledPattern:
    """The pattern as the matcher walks it: per variable, its clauses to earlier variables."""

    def __init__(self, pattern: Pattern) -> None:
        if any(clause.is_path for clause in pattern.clauses):
            raise GraphoidError("ValueError", PATHS_UNSUPPORTED)
        self.variables: list[str] = list(pattern.variables)
        self.node_types = dict(pattern.node_types)
        position = {var: index for index, var in enumerate(self.variables)}
        self.visible = [position[var] for var in pattern.visible()]
        # links[i]: (clause, index of the other end, forward) for the clauses of variable i,
        # as find_matches lists them; anchor[i]: the first link to an earlier variable.
        self.links: list[list[tuple[Clause, int, bool]]] = [[] for _ in self.variables]
        for clause in pattern.clauses:
            if clause.dst is None:
                continue
            src, dst = position[clause.src], position[clause.dst]
            self.links[dst].append((clause, src, True))
            if src != dst:
                self.links[src].append((clause, dst, False))
        self.anchor: list[tuple[Clause, int, bool] | None] = [
            next((link for link in links if link[1] < index), None) for index, links in enumerate(self.links)
        ]


PATHS_UNSUPPORTED = (
    "distributed.find_pattern does not support variable-length path clauses ([T*min..max] or path(...)) "
    "yet; use g.to_local().match(...) for them"
)


def _linked(graph: Graph, start: str, end: str, clause: Clause, forward: bool) -> bool:
    """Whether `end` is one edge of `clause` away from `start` (patterns._step's rule)."""
    direction = clause.direction
    if not forward and direction != "-":
        direction = "<-" if direction == "->" else "->"
    wanted = clause.edge_type
    if direction != "<-":
        edge = graph._out.get(start, {}).get(end)
        if edge is not None and (wanted is None or edge.type == wanted):
            return True
    if direction != "->" and graph.directed:
        edge = graph._in.get(start, {}).get(end)
        if edge is not None and (wanted is None or edge.type == wanted):
            return True
    return False


@attrs.define(eq=False)
class MatchState:
    """One find_pattern call on one partition of this worker."""

    graph: str
    call: int
    part: int
    pattern: CompiledPattern | None = None
    owners: tuple[str, ...] = ()
    begun: int = -1
    done: int = -1
    batches: dict[int, dict[int, list[Item]]] = attrs.field(factory=dict)  # step -> source -> items
    failed: bool = False


class PartitionMatcher:
    """Runs the work items of one step on one partition (see the module docstring)."""

    def __init__(self, loaded: "LoadedPartition", pattern: CompiledPattern) -> None:
        self.loaded = loaded
        self.graph = loaded.partition.graph
        self.pattern = pattern
        self.found: list[GList] = []
        self.outgoing: dict[int, list[Item]] = {}

    def run(self, items: list[Item]) -> None:
        queue = deque(items)
        here = self.loaded.partition.index
        while queue:
            for part, item in self._handle(queue.popleft()):
                if part == here:
                    queue.append(item)
                else:
                    self.outgoing.setdefault(part, []).append(item)

    def _handle(self, item: Item) -> list[tuple[int, Item]]:
        kind, bound, candidate = item
        if len(bound) >= len(self.pattern.variables) or (kind == EXPAND and self.pattern.anchor[len(bound)] is None):
            raise GraphoidError("ProtocolError", "a pattern work item does not fit the pattern")
        if kind == VERIFY:
            assert candidate is not None
            return self._verify(bound, candidate)
        if kind == EXPAND:
            return self._expand(bound)
        return [
            routed
            for node_id in self.loaded.owned
            for routed in self._verify(bound, node_id)
        ]

    def _expand(self, bound: tuple[str, ...]) -> list[tuple[int, Item]]:
        """Candidates for the next variable: the anchor's neighbours (the anchor is owned here)."""
        clause, other, forward = self.pattern.anchor[len(bound)]  # type: ignore[misc]
        owner = self.loaded.partitioning.owner
        return [
            (owner(node_id), (VERIFY, bound, node_id))
            for node_id in sorted(_reach(self.graph, bound[other], clause, forward))
            if node_id not in bound
        ]

    def _verify(self, bound: tuple[str, ...], node_id: str) -> list[tuple[int, Item]]:
        """Bind the next variable to `node_id` (owned here) if every check holds."""
        index = len(bound)
        pattern = self.pattern
        if node_id in bound or not self._type_ok(pattern.variables[index], node_id):
            return []
        for clause, other, forward in pattern.links[index]:
            if other == index:
                if node_id not in _reach(self.graph, node_id, clause, True):
                    return []
            elif other < index and not _linked(self.graph, bound[other], node_id, clause, forward):
                return []
        extended = (*bound, node_id)
        if len(extended) == len(pattern.variables):
            self.found.append(GList(extended[position] for position in pattern.visible))
            return []
        return self._next(extended)

    def _next(self, bound: tuple[str, ...]) -> list[tuple[int, Item]]:
        anchor = self.pattern.anchor[len(bound)]
        if anchor is None:
            return [(part, (EXPAND_OWNED, bound, None)) for part in range(self.loaded.partitioning.count)]
        return [(self.loaded.partitioning.owner(bound[anchor[1]]), (EXPAND, bound, None))]

    def _type_ok(self, var: str, node_id: str) -> bool:
        wanted = self.pattern.node_types.get(var)
        if wanted is None:
            return True
        actual = self.graph.node_type(node_id)
        if actual is None:
            type_of = getattr(self.graph._nodes.get(node_id), "type_of", None)
            actual = type_of() if callable(type_of) else None
        return actual == wanted


class PatternSteps(PartitionCalls[MatchState]):
    """The find_pattern handlers of one WorkerCore (installed into its handler table)."""

    def __init__(self, core: "WorkerCore") -> None:
        super().__init__(core, MatchState, {
            "MATCH_BEGIN": self._begin,
            "MATCH_MSGS": self._batch,
            "MATCH_END": self._end,
        })

    def _begin(self, message: "Message") -> None:
        state = self._state(message["graph"], message["call"], message["part"])
        step = message["step"]
        if step <= state.begun:
            return
        state.begun = step
        if step == 0:
            try:
                self._start(state, message)
            except GraphoidError as error:
                self._fail(state, 0, error)
                return
        self._advance(state)

    def _start(self, state: MatchState, message: "Message") -> None:
        loaded = self._loaded(state.graph, state.part)
        if len(message.payload) != 2:
            raise GraphoidError("ProtocolError", "MATCH_BEGIN of step 0 carries the pattern and the owners")
        pattern = decode(message.payload[0])
        if not isinstance(pattern, Pattern):
            raise GraphoidError("ProtocolError", "MATCH_BEGIN carries no pattern")
        state.owners = owners_of(message.payload[1], loaded.partitioning.count, "MATCH_BEGIN")
        state.pattern = CompiledPattern(pattern)

    def _batch(self, message: "Message") -> None:
        state = self._state(message["graph"], message["call"], message["part"])
        step = message["step"]
        try:
            items = _unpack_items(message.payload[0] if message.payload else b"")
        except GraphoidError as error:
            self._fail(state, step + 1, error)
            return
        self._receive(state, step, message["source"], items)

    def _receive(self, state: MatchState, step: int, source: int, items: list[Item]) -> None:
        state.batches.setdefault(step, {})[source] = items
        self._advance(state)

    def _advance(self, state: MatchState) -> None:
        """Run the step the coordinator began once every peer's batch of the last step is here."""
        pattern, step = state.pattern, state.begun
        if pattern is None or state.failed or step <= state.done:
            return
        count = len(state.owners)
        if step == 0:
            items: list[Item] = [(EXPAND_OWNED, (), None)] if pattern.variables else []
        else:
            arrived = state.batches.get(step - 1, {})
            if len(arrived) < count - 1:
                return
            del state.batches[step - 1]
            items = [item for source in sorted(arrived) for item in arrived[source]]
        state.done = step
        try:
            matcher = PartitionMatcher(self._loaded(state.graph, state.part), pattern)
            matcher.run(items)
        except GraphoidError as error:
            self._fail(state, step, error)
            return
        sent = 0
        for peer in range(count):
            if peer == state.part:
                continue
            batch = matcher.outgoing.get(peer, [])
            sent += len(batch)
            worker = state.owners[peer]
            if worker == self.core.worker_id:
                self._receive(self._state(state.graph, state.call, peer), step, state.part, batch)
            else:
                self.core.send(worker, "MATCH_MSGS", graph=state.graph, call=state.call, step=step, part=peer,
                               source=state.part, payload=[_pack_items(batch)])
        self.core.send(COORDINATOR, "STEP_DONE", graph=state.graph, call=state.call, step=step, part=state.part,
                       sent=sent, payload=[encode(GList(matcher.found))])

    def _fail(self, state: MatchState, step: int, error: GraphoidError) -> None:
        state.failed = True
        self.core.send(COORDINATOR, "STEP_DONE", graph=state.graph, call=state.call, step=step, part=state.part,
                       sent=0, failed="", payload=[encode(error)])

    def _end(self, message: "Message") -> None:
        self.calls.pop((message["graph"], message["call"], message["part"]), None)


def _pack_items(items: list[Item]) -> bytes:
    return msgpack.packb([[kind, list(bound), candidate] for kind, bound, candidate in items])


def _unpack_items(data: bytes) -> list[Item]:
    try:
        raw = msgpack.unpackb(data, raw=False)
    except Exception:  # noqa: BLE001 - hostile or broken bytes
        raw = None
    if type(raw) is not list:
        raise GraphoidError("ProtocolError", "malformed pattern batch")
    items: list[Item] = []
    for entry in raw:
        if (type(entry) is not list or len(entry) != 3 or entry[0] not in (VERIFY, EXPAND, EXPAND_OWNED)
                or type(entry[1]) is not list or not all(type(node_id) is str for node_id in entry[1])
                or (entry[2] is None) != (entry[0] != VERIFY) or (entry[2] is not None and type(entry[2]) is not str)):
            raise GraphoidError("ProtocolError", "malformed pattern work item")
        items.append((entry[0], tuple(entry[1]), entry[2]))
    return items


__all__ = ["CompiledPattern", "PATHS_UNSUPPORTED", "PatternSteps"]
