"""Graph mutations on a distributed graph, the worker side (MUTATE).

The coordinator sends a mutation to every partition it concerns: a node's owner for add_node; the
owners of both endpoints for add_edge and remove_edge (the cut edge is stored twice, the far end
a ghost); every partition for remove_node (any of them may hold the node as a ghost). Each
partition keeps the invariants `partition.split` establishes: an owned node has all its edges, a
ghost only its edges to owned nodes and disappears with the last of them, and the ship plan is
recomputed from the partition graph, so messaging after a mutation runs as on the mutated local
graph. The answer is `[nodes added, edges added]` as counted at this partition (the node's owner
counts the node; the source's owner counts the edge), which the handle sums into its counts.
`apply_changes` applies a superstep barrier's list of handlers' changes the same way.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from typing import TYPE_CHECKING, Any

from graphoid.distributed.codec import decode, encode
from graphoid.distributed.partition import ship_plan
from graphoid.errors import GraphoidError
from graphoid.values.types import GList

if TYPE_CHECKING:
    from graphoid.distributed.core import WorkerCore
    from graphoid.distributed.protocol import Message
    from graphoid.distributed.shipping import LoadedPartition


class Mutations:
    """The MUTATE handler of one WorkerCore (installed into its handler table)."""

    def __init__(self, core: "WorkerCore") -> None:
        self.core = core
        core.handlers["MUTATE"] = self._mutate

    def _mutate(self, message: "Message") -> None:
        graph_name, part, op, ask = message["graph"], message["part"], message["op"], message["ask"]
        try:
            loaded = self.core.partitions.get((graph_name, part))
            if loaded is None:
                raise GraphoidError("ObjectLostError",
                                    f"partition {part} of graph '{graph_name}' is not on worker {self.core.worker_id}")
            # the program the message names (code compiled since the graph was placed), else the partition's
            program = self.core.programs.get(message.header.get("bundle") or loaded.bundle)
            table = program.table if program is not None else None
            args = decode(message.payload[0], functions=table) if message.payload else GList()
            change = apply(loaded, op, list(args))
            self.core.reply(message, "READ_REPLY", graph=graph_name, part=part, ask=ask, payload=[encode(change)])
        except GraphoidError as error:
            self.core.reply(message, "READ_REPLY", graph=graph_name, part=part, ask=ask, failed=True,
                            payload=[encode(error)])


def apply(loaded: "LoadedPartition", op: str, args: list[Any]) -> GList:
    """Apply one mutation to this partition; `[nodes added, edges added]` counted here."""
    nodes, edges = _applied(loaded, op, args)
    loaded.plan = ship_plan(loaded.partition, loaded.partitioning)
    return GList((nodes, edges))


def apply_changes(loaded: "LoadedPartition", changes: list[Any]) -> tuple[int, int]:
    """Apply, in order, the `[op, args]` changes of a barrier (handlers' topology changes,
    topology.py) that concern this partition; nodes and edges added, counted here."""
    nodes = edges = 0
    for change in changes:
        if type(change) is not GList or len(change) != 2 or type(change[1]) is not GList:
            raise GraphoidError("ProtocolError", "malformed topology change")
        op, args = change[0], list(change[1])
        if _concerns(loaded, op, args):
            added_nodes, added_edges = _applied(loaded, op, args)
            nodes += added_nodes
            edges += added_edges
    loaded.plan = ship_plan(loaded.partition, loaded.partitioning)
    return nodes, edges


def _applied(loaded: "LoadedPartition", op: str, args: list[Any]) -> tuple[int, int]:
    operation = _OPERATIONS.get(op)
    if operation is None or not operation[1] <= len(args) <= operation[2] or not all(
        type(arg) is str for arg in args[:operation[3]]
    ):
        raise GraphoidError("ProtocolError", f"malformed mutation '{op}'")
    return operation[0](loaded, *args)


def _concerns(loaded: "LoadedPartition", op: Any, args: list[Any]) -> bool:
    """Whether the mutation changes this partition: a node's owner, an edge's endpoints'
    owners, every partition for remove_node (any may hold the node as a ghost)."""
    if op == "remove_node":
        return True
    if op == "add_node":
        return bool(args) and type(args[0]) is str and _owns(loaded, args[0])
    return len(args) >= 2 and all(type(arg) is str for arg in args[:2]) and (
        _owns(loaded, args[0]) or _owns(loaded, args[1]))


def _add_node(loaded: "LoadedPartition", node_id: str, value: Any) -> tuple[int, int]:
    if not _owns(loaded, node_id):
        raise GraphoidError("ProtocolError", f"add_node of '{node_id}' reached a partition that does not own it")
    graph = loaded.partition.graph
    new = node_id not in graph._nodes
    graph.add_node(node_id, value)
    if new:
        insort(loaded.owned, node_id)
    return int(new), 0


def _add_edge(loaded: "LoadedPartition", src: str, dst: str, edge_type: Any, weight: Any,
              props: Any = None) -> tuple[int, int]:
    graph = loaded.partition.graph
    added = 0
    for endpoint in (src, dst) if src != dst else (src,):
        if endpoint in graph._nodes:
            continue
        if _owns(loaded, endpoint):
            graph.add_node(endpoint, None)
            insort(loaded.owned, endpoint)
            added += 1
        else:
            graph.add_node(endpoint, None)
            loaded.partition.ghosts.add(endpoint)
    if not _owns(loaded, src) and not _owns(loaded, dst):
        raise GraphoidError("ProtocolError", f"add_edge {src} -> {dst} reached a partition that owns neither end")
    new = dst not in graph._out[src]
    if edge_type is None:
        graph.add_edge(src, dst, weight=weight, props=props)
    else:
        graph.add_edge(src, dst, edge_type, weight, props)
    return added, int(new and _owns(loaded, src))


def _remove_edge(loaded: "LoadedPartition", src: str, dst: str) -> tuple[int, int]:
    graph = loaded.partition.graph
    if not graph.has_edge(src, dst):
        return 0, 0
    graph.remove_edge(src, dst)
    _drop_lonely_ghosts(loaded, (src, dst))
    return 0, -int(_owns(loaded, src))


def _remove_node(loaded: "LoadedPartition", node_id: str) -> tuple[int, int]:
    graph = loaded.partition.graph
    if node_id not in graph._nodes:
        return 0, 0
    if node_id in loaded.partition.ghosts:
        graph.raw_remove_node(node_id)
        loaded.partition.ghosts.discard(node_id)
        return 0, 0
    neighbours = set(graph._out[node_id]) | set(graph.in_map()[node_id])
    edges_before = graph._edge_count
    graph.remove_node(node_id)
    del loaded.owned[bisect_left(loaded.owned, node_id)]
    _drop_lonely_ghosts(loaded, neighbours)
    return -1, graph._edge_count - edges_before


def _drop_lonely_ghosts(loaded: "LoadedPartition", candidates: Any) -> None:
    """A ghost exists for its edges to owned nodes: without any it goes."""
    graph, ghosts = loaded.partition.graph, loaded.partition.ghosts
    for node_id in candidates:
        if node_id in ghosts and not graph._out.get(node_id) and not graph.in_map().get(node_id):
            graph.raw_remove_node(node_id)
            ghosts.discard(node_id)


def _owns(loaded: "LoadedPartition", node_id: str) -> bool:
    return loaded.partitioning.owner(node_id) == loaded.partition.index


# op -> (function, fewest and most arguments, how many leading arguments are node ids)
_OPERATIONS: dict[str, tuple[Any, int, int, int]] = {
    "add_node": (_add_node, 2, 2, 1),
    "add_edge": (_add_edge, 4, 5, 2),  # (the fifth: edge properties, from a handler's properties:)
    "remove_edge": (_remove_edge, 2, 2, 2),
    "remove_node": (_remove_node, 1, 1, 1),
}
