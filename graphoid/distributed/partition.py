"""Partitions: which partition owns a node, and one partition as a local graph with ghosts.

A partition is an ordinary local Graph, so the messaging engine that runs a local graph runs
it unchanged. It holds the nodes it owns and every edge that touches one of them; an edge's
other endpoint, when another partition owns it, is a *ghost*: a stub node with no value that
is never listed, never handles a message and holds no state. So a cut edge s -> t is stored
twice: at s's owner (t a ghost: out-degrees are right, routed sends know where to go) and at
t's owner (s a ghost: the predecessor mirror, so in-degrees are right and t's fold reads s's
payload from the same ascending-origin list as on a local graph).

Owners come from a `Partitioning`: a stable hash of the id (never Python's randomised
`hash`), contiguous ranges of the sorted ids, or a user function returning the index.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any, Callable, Iterable, Mapping

import attrs

from graphoid.distributed.ids import stable_hash
from graphoid.errors import GraphoidError
from graphoid.messaging.partition import Boundary
from graphoid.graphs.graph import Edge, Graph

STRATEGIES = ("hash", "range", "function")


@attrs.frozen
class Partitioning:
    """How node ids map to partition indexes 0..count-1."""

    count: int
    strategy: str
    bounds: tuple[str, ...] = ()  # :range: the first id of partitions 1..count-1, ascending
    function: Callable[[str], Any] | None = attrs.field(default=None, eq=False)

    @classmethod
    def by_hash(cls, count: int) -> "Partitioning":
        return cls(_checked_count(count), "hash")

    @classmethod
    def by_range(cls, count: int, node_ids: Iterable[str]) -> "Partitioning":
        """Contiguous ranges of the sorted ids, as equal in size as the ids allow."""
        count = _checked_count(count)
        ids = sorted(set(node_ids))
        bounds = tuple(ids[(i * len(ids)) // count] for i in range(1, count)) if ids else ()
        return cls(count, "range", bounds)

    @classmethod
    def by_function(cls, count: int, function: Callable[[str], Any]) -> "Partitioning":
        return cls(_checked_count(count), "function", function=function)

    def owner(self, node_id: str) -> int:
        """The partition that owns `node_id`."""
        if self.strategy == "hash":
            return stable_hash(node_id) % self.count
        if self.strategy == "range":
            return bisect_right(self.bounds, node_id) if self.bounds else 0
        return self._checked_index(node_id, self.function(node_id))  # type: ignore[misc]

    def _checked_index(self, node_id: str, index: Any) -> int:
        if index.__class__ is float and index.is_integer():
            index = int(index)
        if index.__class__ is not int or not 0 <= index < self.count:
            raise GraphoidError(
                "ValueError",
                f"The partition strategy gave {index!r} for node '{node_id}' "
                f"(expected a whole number from 0 to {self.count - 1})",
            )
        return index


def _checked_count(count: Any) -> int:
    if count.__class__ is not int or count < 1:
        raise GraphoidError("ValueError", f"partitions: must be a positive whole number, not {count!r}")
    return count


@attrs.define
class Partition:
    """One partition: `graph` holds the owned nodes, the ghosts and every edge touching an
    owned node (in the original graph's per-source edge order)."""

    index: int
    graph: Graph
    ghosts: set[str]

    def owned_ids(self) -> list[str]:
        """The ids this partition owns, ascending."""
        ghosts = self.ghosts
        return sorted(node_id for node_id in self.graph._nodes if node_id not in ghosts)

    def owns(self, node_id: str) -> bool:
        return node_id in self.graph._nodes and node_id not in self.ghosts


def split(graph: Graph, partitioning: Partitioning) -> list[Partition]:
    """The data layer of `graph` cut into partitions (values are shared, not copied: the
    caller ships or copies them). Internal nodes stay behind: partitions hold data only.
    An owned node keeps its adjacency exactly, both directions in their original order, so
    `successors`, `predecessors` and degrees read the same as on `graph`."""
    internal = graph._internal_ids
    owner_of = {node_id: partitioning.owner(node_id) for node_id, _ in graph.data_items()}
    parts = [Partition(index, _empty_like(graph), set()) for index in range(partitioning.count)]
    for node_id, value in graph.data_items():
        parts[owner_of[node_id]].graph._nodes[node_id] = value
    for node_id, node_type in graph._node_types.items():
        if node_id in owner_of:  # node types travel with their nodes (pattern node types read them)
            parts[owner_of[node_id]].graph._node_types[node_id] = node_type
    for part in parts:
        _wire(part, graph, owner_of, internal)
    return parts


def _empty_like(graph: Graph) -> Graph:
    part = Graph("directed" if graph.directed else "undirected")
    part.graph_type = graph.graph_type
    part.in_map()  # the index exists from the start: _wire fills it alongside _out
    return part


def _wire(part: Partition, graph: Graph, owner_of: dict[str, int], internal: set[str]) -> None:
    """Fill `part`'s adjacency from `graph`: every edge touching an owned node, one entry
    per edge (an Edge shared by both directions' views, as Graph keeps them; plain entries,
    immutable type names, are shared with `graph`)."""
    index = part.index
    nodes = part.graph._nodes
    owned = list(nodes)
    copies: dict[int, Edge] = {}
    plain: set[tuple[str, str]] = set()  # (src, dst) of the plain edges wired, counted once

    def copy(entry: Any, src: str, dst: str) -> Any:
        if entry.__class__ is not Edge:
            plain.add((src, dst))
            return entry
        found = copies.get(id(entry))
        if found is None:
            found = copies[id(entry)] = Edge(entry.src, entry.dst, entry.type, entry.weight, entry.props)
        return found

    def adjacency(side: dict[str, dict[str, Any]], node_id: str, keep_ghosts: bool, outgoing: bool) -> dict[str, Any]:
        return {
            other: copy(entry, node_id, other) if outgoing else copy(entry, other, node_id)
            for other, entry in side[node_id].items()
            if other not in internal and (keep_ghosts or owner_of[other] == index)
        }

    sides = (graph._out, graph.in_map()) if graph.directed else (graph._out,)
    views = (part.graph._out, part.graph.in_map()) if graph.directed else (part.graph._out,)
    for node_id in owned:
        for outgoing, side, view in zip((True, False), sides, views):
            view[node_id] = adjacency(side, node_id, True, outgoing)
            for other in view[node_id]:
                if other not in nodes:
                    nodes[other] = None
                    part.ghosts.add(other)
    for ghost in sorted(part.ghosts):
        for outgoing, side, view in zip((True, False), sides, views):
            view[ghost] = adjacency(side, ghost, False, outgoing)
    part.graph._edge_count = len(copies) + len(plain)
    part.graph._topo += 1
    part.graph._vals += 1


def join(parts: Iterable[Partition], directed: bool) -> Graph:
    """The local graph the partitions cut (the inverse of `split`, nodes in ascending id
    order): each node with its owner's value, type and adjacency in that owner's order. A cut
    edge is stored at both ends; its two copies become one Edge again, as Graph keeps it."""
    graph = Graph("directed" if directed else "undirected")
    owners: dict[str, Partition] = {}
    for part in parts:
        for node_id in part.owned_ids():
            owners[node_id] = part
    edges: dict[tuple[str, str], Any] = {}

    def rejoined(adjacency: dict[str, Any], node_id: str, outgoing: bool) -> dict[str, Any]:
        joined = {}
        for other, entry in adjacency.items():
            if entry.__class__ is Edge:
                key = (entry.src, entry.dst)
            else:  # a plain entry (directed graphs only) is keyed by where it is stored
                key = (node_id, other) if outgoing else (other, node_id)
            joined[other] = edges.setdefault(key, entry)
        return joined

    into = graph.in_map()  # filled here alongside _out
    for node_id in sorted(owners):
        part = owners[node_id]
        graph._nodes[node_id] = part.graph._nodes[node_id]
        node_type = part.graph._node_types.get(node_id)
        if node_type is not None:
            graph._node_types[node_id] = node_type
        graph._out[node_id] = rejoined(part.graph._out[node_id], node_id, True)
        if directed:
            into[node_id] = rejoined(part.graph.in_map()[node_id], node_id, False)
    graph._edge_count = len(edges)
    return graph


@attrs.frozen
class ShipPlan:
    """What a partition exchanges with each peer for routed sends (a message along every
    out-edge of its sender), in an order both sides know without sending ids:

    `to_peer[q]`: the owned ids, ascending, with an out-edge into a node q owns: the batch to
    q is their payloads in this order. `from_peer[q]`: the ghosts q owns with an out-edge into
    this partition, ascending: the batch from q fills them in this order.
    For any two partitions, `plan[p].to_peer[q] == plan[q].from_peer[p]`."""

    to_peer: dict[int, tuple[str, ...]]
    from_peer: dict[int, tuple[str, ...]]


def ship_plan(part: Partition, partitioning: Partitioning, ghost_owners: Mapping[str, int] | None = None) -> ShipPlan:
    """`ghost_owners`, when the caller knows them, saves asking the partitioning again."""
    graph = part.graph
    ghosts = part.ghosts
    owner_of = ghost_owners if ghost_owners is not None else {ghost: partitioning.owner(ghost) for ghost in ghosts}
    to_peer: dict[int, set[str]] = {}
    from_peer: dict[int, set[str]] = {}
    for node_id, succ in graph._out.items():
        if node_id in ghosts:
            if any(dst not in ghosts for dst in succ):
                from_peer.setdefault(owner_of[node_id], set()).add(node_id)
            continue
        for dst in succ:
            if dst in ghosts:
                to_peer.setdefault(owner_of[dst], set()).add(node_id)
    return ShipPlan(
        {peer: tuple(sorted(ids)) for peer, ids in sorted(to_peer.items())},
        {peer: tuple(sorted(ids)) for peer, ids in sorted(from_peer.items())},
    )


def boundary_of(part: Partition, partitioning: Partitioning, *, node_count: int, edge_count: int,
                has_node: Callable[[str], bool]) -> Boundary:
    """What the messaging engine of `part` needs to know of the rest of the graph."""
    plan = ship_plan(part, partitioning)
    return Boundary(
        index=part.index,
        ghosts=frozenset(part.ghosts),
        to_peer=plan.to_peer,
        from_peer=plan.from_peer,
        peers=tuple(index for index in range(partitioning.count) if index != part.index),
        owner=partitioning.owner,
        has_node=has_node,
        node_count=node_count,
        edge_count=edge_count,
    )
