"""The distributed graph handle: a Graphoid value that answers the graph API for a graph whose
partitions live on the workers.

The handle holds metadata only (name, placement, counts, the behaviour template); every
question about nodes goes to the partition that owns them, and messaging (`broadcast`, `send`,
`request`) runs as supersteps on every partition at once with the guarantees of a local graph
(docs/distributed.md). Partition information is metadata: `partitions()`, `partition_of(id)`,
never nodes.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable

from graphoid.distributed.executor.base import Executor, GraphCounts
from graphoid.distributed.registry import GraphPlacement
from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Graph
from graphoid.messaging.local import pack, superstep_limit
from graphoid.values.format import display
from graphoid.values.types import GList, GMap, Symbol



class DistributedGraph:
    """A graph partitioned over the workers (see the module docstring)."""

    gd_type_name = "distributed_graph"

    def __init__(self, executor: Executor | Callable[[], Executor], placement: GraphPlacement, node_count: int,
                 edge_count: int, directed: bool) -> None:
        # a session's `executor()` ships code compiled since the last operation (an `eval`, a
        # REPL input) before each use; a bare executor is used as it is
        self._executor = executor
        self.placement = placement
        self.counts = GraphCounts(node_count, edge_count)  # messaging updates them (topology changes)
        self.directed = directed
        self.template: Graph | None = None

    @property
    def executor(self) -> Executor:
        executor = self._executor
        return executor if isinstance(executor, Executor) else executor()

    @property
    def name(self) -> str:
        return self.placement.name

    # ---- the Graphoid side

    def call(self, name: str, args: tuple = (), kwargs: dict | None = None) -> Any:
        method = _METHODS.get(name)
        if name in _RULE_METHODS:
            raise GraphoidError(
                "RuntimeError",
                f"Graph rules are not supported on distributed graphs ('{name}'); apply rules to the local "
                "graph before distributing it, or to_local() it",
            )
        if method is None:
            raise GraphoidError(
                "RuntimeError",
                f"distributed_graph has no method '{name}'; to_local() gives a local graph with the whole API",
            )
        try:
            _SIGNATURES[name].bind(self, *args, **(kwargs or {}))
        except TypeError as exc:
            raise GraphoidError("TypeError", f"Wrong arguments for distributed_graph method '{name}': {exc}") from None
        return method(self, *args, **(kwargs or {}))

    def display(self) -> str:
        return (f"<distributed graph '{self.name}': {self.counts.nodes} nodes, {self.counts.edges} edges, "
                f"{self.placement.partitioning.count} partitions>")

    def __eq__(self, other: object) -> bool:
        return self is other

    __hash__ = object.__hash__

    # ---- metadata

    def node_count(self) -> int:
        return self.counts.nodes

    def edge_count(self) -> int:
        return self.counts.edges

    def partitions(self) -> GList:
        """One map per partition: its index, name and the worker that holds it."""
        return GList(
            GMap({"index": index, "name": f"p{index}", "worker": worker})
            for index, worker in enumerate(self.placement.owners)
        )

    def partition_of(self, node_id: Any) -> int:
        if not isinstance(node_id, str):
            raise GraphoidError("TypeError", f"Node id must be a string, not {display(node_id)}")
        return self.placement.partitioning.owner(node_id)

    # ---- nodes, answered by the partitions that own them

    def nodes(self) -> GList:
        return GList(self.executor.graph_read(self.name, "nodes"))

    def get_node(self, node_id: Any) -> Any:
        return self.executor.graph_read(self.name, "get_node", self._id(node_id))

    def has_node(self, node_id: Any) -> bool:
        return isinstance(node_id, str) and bool(self.executor.graph_read(self.name, "has_node", node_id))

    def neighbors(self, node_id: Any, via: Any = None) -> GList:
        edge_type = via.name if isinstance(via, Symbol) else via
        return GList(self.executor.graph_read(self.name, "neighbors", self._id(node_id), edge_type))

    def to_local(self) -> Graph:
        """The whole graph as a local graph (every partition's nodes and edges come to the driver)."""
        return self.executor.graph_read(self.name, "to_local", "directed" if self.directed else "undirected")

    @staticmethod
    def _id(node_id: Any) -> str:
        if not isinstance(node_id, str):
            raise GraphoidError("TypeError", f"Node id must be a string, not {display(node_id)}")
        return node_id

    # ---- messaging (supersteps on every partition)

    def set_behavior(self, template: Any) -> None:
        if template is not None and (not isinstance(template, Graph) or not template.responds_to("on_message")):
            raise GraphoidError("TypeError", "set_behavior expects a class-like graph with an on_message method")
        self.executor.set_behavior(self.name, template)
        self.template = template

    def broadcast(self, msg: Any, *payload: Any, max_supersteps: Any = None, atomic: Any = True) -> None:
        self.executor.messaging(self.name, pack(msg, payload), collect=False, targets=None,
                                max_supersteps=superstep_limit(max_supersteps), atomic=atomic is not False,
                                counts=self.counts)

    def send(self, msg: Any, *payload: Any, **options: Any) -> None:
        self._targeted(msg, payload, options, collect=False)

    def request(self, msg: Any, *payload: Any, **options: Any) -> Any:
        to = options.get("to")
        replies = self._targeted(msg, payload, options, collect=True)
        if isinstance(to, str):
            return replies.get(to)
        return GList(replies[node_id] for node_id in sorted(replies))

    def _targeted(self, msg: Any, payload: tuple, options: dict, collect: bool) -> dict[str, Any]:
        limit = superstep_limit(options.pop("max_supersteps", None))
        atomic = options.pop("atomic", True) is not False
        to, where = options.pop("to", None), options.pop("where", None)
        source = options.pop("from", options.pop("_u_from", None))
        via = options.pop("via", None)
        if options:
            raise GraphoidError("TypeError", f"Unknown messaging option '{sorted(options)[0]}'")
        if sum(option is not None for option in (to, where, source)) != 1:
            raise GraphoidError("TypeError", "Give exactly one of to:, where: or from: (with via:)")
        if to is not None:
            targets = [to] if isinstance(to, str) else list(to) if isinstance(to, (list, GList)) else [to]
            for node_id in targets:
                if not isinstance(node_id, str):
                    raise GraphoidError("KeyError", f"Cannot send to {display(node_id)}: no such node")
            selection: Any = ("to", targets)
        elif where is not None:
            if not callable(where):
                raise GraphoidError("TypeError", "where: expects a function of the node's value")
            selection = ("where", where)
        else:
            if not isinstance(source, str):
                raise GraphoidError("KeyError", f"Cannot send from {display(source)}: no such node")
            selection = ("from", source, via.name if isinstance(via, Symbol) else via)
        return self.executor.messaging(self.name, pack(msg, payload), collect=collect, targets=selection,
                                       max_supersteps=limit, atomic=atomic, counts=self.counts)


    # ---- mutations and pattern queries (graphoid.distributed.mutations, matching)

    def add_node(self, node_id: Any, value: Any = None) -> None:
        """Add or replace a node at its owner."""
        node_id = self._data_id(node_id)
        self._apply("add_node", [self.partition_of(node_id)], (node_id, value))

    def add_edge(self, src: Any, dst: Any, type: Any = None, weight: Any = None) -> None:  # noqa: A002
        """Add or replace src -> dst at both endpoints' owners (missing endpoints get value none)."""
        src, dst = self._data_id(src), self._data_id(dst)
        edge_type = type.name if isinstance(type, Symbol) else type
        if edge_type is not None and not isinstance(edge_type, str):
            raise GraphoidError("TypeError", f"Edge type must be a string or symbol, not {display(type)}")
        self._apply("add_edge", self._endpoint_owners(src, dst), (src, dst, edge_type, weight))

    def remove_node(self, node_id: Any) -> bool:
        """Remove a node and its edges (every partition drops its ghost of it); true when it existed."""
        if not isinstance(node_id, str):
            return False
        nodes, _ = self._apply("remove_node", range(self.placement.partitioning.count), (node_id,))
        return nodes < 0

    def remove_edge(self, src: Any, dst: Any) -> bool:
        """Remove src -> dst at both endpoints' owners; true when it existed."""
        if not isinstance(src, str) or not isinstance(dst, str):
            return False
        _, edges = self._apply("remove_edge", self._endpoint_owners(src, dst), (src, dst))
        return edges < 0

    def match(self, *items: Any) -> Any:
        """The bindings of a pattern, as local `g.match` gives them (distributed.find_pattern)."""
        from graphoid.distributed.results import DistributedMatches
        from graphoid.graphs.patterns import pattern_from_items

        pattern = pattern_from_items(items)
        return DistributedMatches(self, self.executor.find_pattern(self.name, pattern), pattern.visible())

    def _endpoint_owners(self, src: str, dst: str) -> list[int]:
        return [self.partition_of(src), self.partition_of(dst)]

    def _apply(self, op: str, parts: Any, args: tuple) -> tuple[int, int]:
        changes = self.executor.mutate(self.name, op, list(parts), GList(args))
        nodes = sum(change[0] for change in changes)
        edges = sum(change[1] for change in changes)
        self.counts.nodes += nodes
        self.counts.edges += edges
        return nodes, edges

    @staticmethod
    def _data_id(node_id: Any) -> str:
        if not isinstance(node_id, str):
            raise GraphoidError("TypeError", f"Node id must be a string, not {display(node_id)}")
        if node_id.startswith("__"):
            raise GraphoidError("ValueError", f"Node id '{node_id}' is reserved: ids starting with __ are internal")
        return node_id


_METHODS: dict[str, Callable[..., Any]] = {
    name: getattr(DistributedGraph, name)
    for name in (
        "node_count", "edge_count", "partitions", "partition_of", "nodes", "get_node", "has_node", "neighbors",
        "to_local", "set_behavior", "broadcast", "send", "request",
        # mutations and pattern queries
        "add_node", "add_edge", "remove_node", "remove_edge", "match",
    )
}
# Control-layer methods a distributed graph refuses with an explanation (rules are out of scope).
_RULE_METHODS = frozenset({
    "add_rule", "remove_rule", "has_rule", "rules", "rule", "ruleset", "rulesets", "with_ruleset", "has_ruleset",
})


def _name(graph: DistributedGraph) -> str:
    return graph.name


_METHODS["name"] = _name
# Each method's signature, read once (inspect.signature costs more than a small call's messaging).
_SIGNATURES: dict[str, inspect.Signature] = {name: inspect.signature(method) for name, method in _METHODS.items()}
