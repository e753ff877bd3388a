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
  component of the pattern) is tried at every partition against the nodes it owns;
- *walk* (a variable-length path clause, `[T*min..max]` / `path(...)`): a walk goes one hop at a
  time, each hop at the owner of its current end node, and carries its depth. Walking the
  anchor's path clause, every end node at a depth in min..max is a candidate (verified where it
  is, the walk's end being owned there); checking a path clause to another bound variable (or a
  self-loop path clause), the candidate is the walk's target and its checks go on when the walk
  reaches it at such a depth. These are walks, not simple paths, found per depth as
  patterns._reach finds them; each partition remembers the walk states (binding, clause, node,
  depth) it has seen in a call, so no state is expanded twice.

Work for another partition is batched per step and sent worker to worker (MATCH_MSGS); a step
sends exactly one batch to every peer, so a partition knows when its inbox for the next step is
complete. The coordinator runs the steps with the superstep barrier (MATCH_BEGIN, STEP_DONE with
the complete bindings found, MATCH_END) and sorts the bindings as the local matcher does.
The coordinator gives every path clause without a max the graph's node count as its max (the
local matcher's bound), so workers only see bounded walks.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

import attrs
import msgpack

from graphoid.distributed.codec import decode, encode
from graphoid.distributed.handlers import PartitionCalls, owners_of
from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Graph, entry_type
from graphoid.graphs.patterns import Clause, Pattern, _reach, _step
from graphoid.values.types import GList

if TYPE_CHECKING:
    from graphoid.distributed.core import WorkerCore
    from graphoid.distributed.protocol import Message
    from graphoid.distributed.shipping import LoadedPartition

COORDINATOR = "coordinator"
# Work item kinds: [kind, bound ids in variable order, candidate id or None, walk or None];
# a WALK item's walk is (index of its path clause in the next variable's links, end node, depth)
# and its candidate the walk's target (None when the walk lists the candidates).
VERIFY, EXPAND, EXPAND_OWNED, WALK = 0, 1, 2, 3
Walk = tuple[int, str, int]
Item = tuple[int, tuple[str, ...], "str | None", "Walk | None"]


class CompiledPattern:
    """The pattern as the matcher walks it: per variable, its clauses to earlier variables."""

    def __init__(self, pattern: Pattern) -> None:
        if any(clause.is_path and clause.max is None for clause in pattern.clauses):
            raise GraphoidError("ProtocolError", "a path clause without max reached the pattern matcher")
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
        # anchor_link[i]: the anchor's index in links[i]. Per variable, the clauses its owner
        # checks in one look (fixed_checks) and the path clauses checked by a walk (path_checks:
        # indexes into links[i]); per link, a walk's direction from the other end and its bounds.
        self.anchor_link = [links.index(anchor) if anchor is not None else -1
                            for links, anchor in zip(self.links, self.anchor)]
        self.fixed_checks = [[link for link in links if not link[0].is_path and link[1] <= index]
                             for index, links in enumerate(self.links)]
        self.path_checks = [[number for number, (clause, other, _) in enumerate(links)
                             if clause.is_path and other <= index and number != self.anchor_link[index]]
                            for index, links in enumerate(self.links)]
        self.walk_direction = [[_oriented(clause.direction, forward) for clause, _, forward in links]
                               for links in self.links]
        self.walk_bounds = [[_walk_bounds(clause) for clause, _, _ in links] for links in self.links]

    @property
    def max_steps(self) -> int:
        """A bound on the steps a call takes: two per variable, plus per path clause a walk
        of at most max hops, one hop to its start and one on from its end."""
        walks = sum(clause.max + 2  # type: ignore[operator]
                    for index, links in enumerate(self.links)
                    for clause, other, _ in links if clause.is_path and other <= index)
        return 2 * len(self.variables) + 2 + walks


def with_path_bounds(pattern: Pattern, node_count: int) -> Pattern:
    """`pattern` with `node_count` as the max of every path clause that has none: the walk
    length local `g.match` stops at (patterns._reach)."""
    clauses = [attrs.evolve(clause, max=node_count) if clause.is_path and clause.max is None else clause
               for clause in pattern.clauses]
    return Pattern(clauses, pattern.node_types)


def _walk_bounds(clause: Clause) -> tuple[int, int]:
    """The depths at which a walk along a path clause ends (min defaults to 1, as locally)."""
    if not clause.is_path:
        return (1, 1)
    return (clause.min if clause.min is not None else 1, clause.max)  # type: ignore[return-value]


def _oriented(direction: str, forward: bool) -> str:
    """A clause's direction as seen from its dst end when not `forward` (patterns._reach)."""
    if forward or direction == "-":
        return direction
    return "<-" if direction == "->" else "->"


def _linked(graph: Graph, start: str, end: str, clause: Clause, forward: bool) -> bool:
    """Whether `end` is one edge of `clause` away from `start` (patterns._step's rule)."""
    direction = clause.direction
    if not forward and direction != "-":
        direction = "<-" if direction == "->" else "->"
    wanted = clause.edge_type
    if direction != "<-":
        edge = graph._out.get(start, {}).get(end)
        if edge is not None and (wanted is None or entry_type(edge) == wanted):
            return True
    if direction != "->" and graph.directed:
        edge = graph.in_map().get(start, {}).get(end)
        if edge is not None and (wanted is None or entry_type(edge) == wanted):
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
    seen: set[tuple] = attrs.field(factory=set)  # the walk states and walk outcomes handled here
    failed: bool = False


class PartitionMatcher:
    """Runs the work items of one step on one partition (see the module docstring)."""

    def __init__(self, loaded: "LoadedPartition", pattern: CompiledPattern, seen: set[tuple]) -> None:
        self.loaded = loaded
        self.graph = loaded.partition.graph
        self.pattern = pattern
        self.seen = seen
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
        kind, bound, candidate, walk = item
        if (len(bound) >= len(self.pattern.variables) or (kind == EXPAND and self.pattern.anchor[len(bound)] is None)
                or (kind == WALK and not self._walk_fits(len(bound), candidate, walk))):
            raise GraphoidError("ProtocolError", "a pattern work item does not fit the pattern")
        if kind == VERIFY:
            assert candidate is not None
            return self._verify(bound, candidate)
        if kind == EXPAND:
            return self._expand(bound)
        if kind == WALK:
            assert walk is not None
            return self._walk(bound, candidate, walk)
        return [
            routed
            for node_id in self.loaded.owned
            for routed in self._verify(bound, node_id)
        ]

    def _walk_fits(self, index: int, target: str | None, walk: Walk | None) -> bool:
        """A walk item names a walked path clause of the next variable, a depth within its
        bounds and an end node owned here; it has a target unless it walks the anchor."""
        if walk is None:
            return False
        link, node_id, depth = walk
        pattern = self.pattern
        if link == pattern.anchor_link[index] >= 0:
            fits_kind = target is None and pattern.links[index][link][0].is_path
        else:
            fits_kind = target is not None and link in pattern.path_checks[index]
        return fits_kind and 0 <= depth <= pattern.walk_bounds[index][link][1] and self.loaded.partition.owns(node_id)

    def _expand(self, bound: tuple[str, ...]) -> list[tuple[int, Item]]:
        """Candidates for the next variable: the anchor's neighbours (the anchor is owned here),
        or the ends of walks along its path clause."""
        index = len(bound)
        clause, other, forward = self.pattern.anchor[index]  # type: ignore[misc]
        if clause.is_path:
            return self._walk(bound, None, (self.pattern.anchor_link[index], bound[other], 0))
        owner = self.loaded.partitioning.owner
        return [
            (owner(node_id), (VERIFY, bound, node_id, None))
            for node_id in sorted(_reach(self.graph, bound[other], clause, forward))
            if node_id not in bound
        ]

    def _walk(self, bound: tuple[str, ...], target: str | None, walk: Walk) -> list[tuple[int, Item]]:
        """One state of a walk along a path clause (its end node is owned here): the end counts
        at a depth within the bounds, and the walk goes one hop further while below max."""
        key = (bound, target, walk)
        if key in self.seen:
            return []
        self.seen.add(key)
        link, node_id, depth = walk
        index = len(bound)
        low, high = self.pattern.walk_bounds[index][link]
        routed = self._walk_end(bound, target, link, node_id) if depth >= low else []
        if depth < high:
            clause = self.pattern.links[index][link][0]
            direction = self.pattern.walk_direction[index][link]
            owner = self.loaded.partitioning.owner
            routed.extend(
                (owner(nbr), (WALK, bound, target, (link, nbr, depth + 1)))
                for nbr in dict.fromkeys(_step(self.graph, node_id, direction, clause.edge_type))
            )
        return routed

    def _walk_end(self, bound: tuple[str, ...], target: str | None, link: int, node_id: str) -> list[tuple[int, Item]]:
        """A walk reached `node_id` at a depth within its bounds: a candidate (once) when it
        walks the anchor, else the check of path clause `link` holds if it reached its target."""
        if target is None:
            outcome: tuple = (VERIFY, bound, node_id)
            if node_id in bound or outcome in self.seen:
                return []
            self.seen.add(outcome)
            return self._verify(bound, node_id)
        outcome = (WALK, bound, target, link)
        if node_id != target or outcome in self.seen:
            return []
        self.seen.add(outcome)
        return self._check_paths(bound, target, link + 1)

    def _verify(self, bound: tuple[str, ...], node_id: str) -> list[tuple[int, Item]]:
        """Bind the next variable to `node_id` (owned here) if every check holds."""
        index = len(bound)
        if node_id in bound or not self._type_ok(self.pattern.variables[index], node_id):
            return []
        for clause, other, forward in self.pattern.fixed_checks[index]:
            if other == index:
                if node_id not in _reach(self.graph, node_id, clause, True):
                    return []
            elif not _linked(self.graph, bound[other], node_id, clause, forward):
                return []
        return self._check_paths(bound, node_id, 0)

    def _check_paths(self, bound: tuple[str, ...], node_id: str, first: int) -> list[tuple[int, Item]]:
        """Walk the next path clause (from link `first` on) that `node_id` must satisfy, from
        its other end; when none is left, `node_id` is bound."""
        index = len(bound)
        for link in self.pattern.path_checks[index]:
            if link >= first:
                other = self.pattern.links[index][link][1]
                origin = node_id if other == index else bound[other]
                return [(self.loaded.partitioning.owner(origin), (WALK, bound, node_id, (link, origin, 0)))]
        extended = (*bound, node_id)
        if len(extended) == len(self.pattern.variables):
            self.found.append(GList(extended[position] for position in self.pattern.visible))
            return []
        return self._next(extended)

    def _next(self, bound: tuple[str, ...]) -> list[tuple[int, Item]]:
        anchor = self.pattern.anchor[len(bound)]
        if anchor is None:
            return [(part, (EXPAND_OWNED, bound, None, None)) for part in range(self.loaded.partitioning.count)]
        return [(self.loaded.partitioning.owner(bound[anchor[1]]), (EXPAND, bound, None, None))]

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
            items: list[Item] = [(EXPAND_OWNED, (), None, None)] if pattern.variables else []
        else:
            arrived = state.batches.get(step - 1, {})
            if len(arrived) < count - 1:
                return
            del state.batches[step - 1]
            items = [item for source in sorted(arrived) for item in arrived[source]]
        state.done = step
        try:
            matcher = PartitionMatcher(self._loaded(state.graph, state.part), pattern, state.seen)
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
    return msgpack.packb([[kind, list(bound), candidate, walk] for kind, bound, candidate, walk in items])


def _unpack_items(data: bytes) -> list[Item]:
    try:
        raw = msgpack.unpackb(data, raw=False)
    except Exception:  # noqa: BLE001 - hostile or broken bytes
        raw = None
    if type(raw) is not list:
        raise GraphoidError("ProtocolError", "malformed pattern batch")
    items: list[Item] = []
    for entry in raw:
        if (type(entry) is not list or len(entry) != 4 or type(entry[1]) is not list
                or not all(type(node_id) is str for node_id in entry[1])):
            raise GraphoidError("ProtocolError", "malformed pattern work item")
        kind, bound, candidate, walk = entry
        # VERIFY names its candidate, WALK may name its target and carries its walk
        if kind == VERIFY:
            fits = type(candidate) is str and walk is None
        elif kind == EXPAND or kind == EXPAND_OWNED:
            fits = candidate is None and walk is None
        else:
            fits = kind == WALK and (candidate is None or type(candidate) is str) and _walk_shape_fits(walk)
        if not fits:
            raise GraphoidError("ProtocolError", "malformed pattern work item")
        items.append((kind, tuple(bound), candidate, (walk[0], walk[1], walk[2]) if walk is not None else None))
    return items


def _walk_shape_fits(walk: Any) -> bool:
    return (type(walk) is list and len(walk) == 3 and type(walk[0]) is int and type(walk[1]) is str
            and type(walk[2]) is int)


__all__ = ["CompiledPattern", "PatternSteps", "with_path_bounds"]
