"""What partition tasks hand to user functions: read-only views of nodes and of a partition.

`distributed.map(g, fn(node))` and `distributed.reduce` give `fn` a `NodeView`; `query` gives a
`PartitionView` (RUNTIME_STUDY §2.4). Views never mutate the partition, so a task is safe to
run again. From Graphoid code:

    node.id, node.value, node.get(k)     (k: a key of a map value or a property of a graph value)
    node.degree(), node.in_degree(), node.out_degree(), node.neighbors(via?)  (ids, ghosts included)
    part.index, part.nodes() (NodeViews, ascending id), part.node_count(), part.ghosts(),
    part.edges() ([src, dst, type] of every owned node's out-edges), part.get_node(id)

A view cannot travel: results hold ids instead (`plain_result`).
"""

from __future__ import annotations

import inspect

from typing import Any, Callable

from graphoid.distributed.partition import Partition
from graphoid.errors import GraphoidError
from graphoid.graphs.graph import entry_edge
from graphoid.values.format import describe, register_display, register_type_name
from graphoid.values.types import GList, GMap


def _no_method(view: Any, name: str) -> GraphoidError:
    known = ", ".join(sorted(view.METHODS))
    return GraphoidError("RuntimeError", f"Unknown method '{name}' on {view.gd_type_name} (it has {known})")


def _dispatch(view: Any, name: str, args: tuple, kwargs: dict | None) -> Any:
    """`view.name(...)` from Graphoid: the method of the view's table, its arguments checked
    before the call (so a TypeError raised inside the method is not taken for wrong arguments)."""
    method = type(view).METHODS.get(name)
    if method is None:
        raise _no_method(view, name)
    try:
        inspect.signature(method).bind(view, *args, **(kwargs or {}))
    except TypeError:
        raise GraphoidError("TypeError", f"Wrong number of arguments to {view.gd_type_name}.{name}()") from None
    return method(view, *args, **(kwargs or {}))


def _value_get(value: Any, key: Any) -> Any:
    if isinstance(value, dict):
        return value.get(key)
    get_property = getattr(value, "get_property", None)
    if get_property is not None and isinstance(key, str):
        return get_property(key, None)
    raise GraphoidError("TypeError", f"node.get() needs a map or graph value, not {describe(value)}")


class NodeView:
    """One owned node of a partition, read-only."""

    gd_type_name = "node"
    __slots__ = ("graph", "id")

    METHODS: dict[str, Callable[..., Any]] = {
        "get": lambda view, key: _value_get(view.graph._nodes[view.id], key),
        "degree": lambda view: view.graph.degree(view.id),
        "in_degree": lambda view: view.graph.in_degree(view.id),
        "out_degree": lambda view: view.graph.out_degree(view.id),
        "neighbors": lambda view, via=None: GList(view.graph.successors(view.id, via)),
        "value": lambda view: view.graph._nodes[view.id],
        "id": lambda view: view.id,
    }

    def __init__(self, graph: Any, node_id: str) -> None:
        self.graph = graph
        self.id = node_id

    def get_member(self, name: str) -> Any:
        if name == "id":
            return self.id
        if name == "value":
            return self.graph._nodes[self.id]
        raise GraphoidError("RuntimeError", f"node has no field '{name}' (it has id and value)")

    def call(self, name: str, args: tuple = (), kwargs: dict | None = None) -> Any:
        return _dispatch(self, name, args, kwargs)

    def __eq__(self, other: object) -> bool:
        return type(other) is NodeView and other.graph is self.graph and other.id == self.id  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self.id)

    def display(self) -> str:
        return f'<node "{self.id}">'


class PartitionView:
    """One partition: its owned nodes in ascending id order, their edges, its ghosts."""

    gd_type_name = "partition"
    __slots__ = ("partition", "_owned")

    METHODS: dict[str, Callable[..., Any]] = {
        "nodes": lambda view: GList([NodeView(view.partition.graph, node_id) for node_id in view._owned]),
        "node_count": lambda view: len(view._owned),
        "ghosts": lambda view: GList(sorted(view.partition.ghosts)),
        "edges": lambda view: GList(
            GList([edge.src, edge.dst, edge.type])
            for node_id in view._owned
            for edge in (entry_edge(node_id, other, entry)
                         for other, entry in view.partition.graph._out[node_id].items())
        ),
        "get_node": lambda view, node_id: view.node(node_id),
        "index": lambda view: view.partition.index,
    }

    def __init__(self, partition: Partition, owned: list[str]) -> None:
        self.partition = partition
        self._owned = owned

    def node(self, node_id: Any) -> NodeView:
        if not isinstance(node_id, str) or not self.partition.owns(node_id):
            raise GraphoidError("KeyError", f"partition {self.partition.index} does not own node {describe(node_id)}")
        return NodeView(self.partition.graph, node_id)

    def get_member(self, name: str) -> Any:
        if name == "index":
            return self.partition.index
        raise GraphoidError("RuntimeError", f"partition has no field '{name}' (it has index)")

    def call(self, name: str, args: tuple = (), kwargs: dict | None = None) -> Any:
        return _dispatch(self, name, args, kwargs)

    def display(self) -> str:
        return f"<partition {self.partition.index}: {len(self._owned)} nodes>"


for _view in (NodeView, PartitionView):
    register_type_name(_view, _view.gd_type_name)
    register_display(_view, _view.display)


def plain_result(value: Any) -> Any:
    """A task's result made sendable: a node view, or a list or map value holding them
    directly, gives node ids in their place (views are bound to this worker's partition)."""
    kind = type(value)
    if kind is NodeView:
        return value.id
    if kind is GList and any(type(item) is NodeView for item in value):
        return GList([item.id if type(item) is NodeView else item for item in value])
    if kind is GMap and any(type(item) is NodeView for item in value.values()):
        return GMap({key: item.id if type(item) is NodeView else item for key, item in value.items()})
    return value
