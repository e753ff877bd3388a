"""Topology changes made inside on_message on a distributed graph, the coordinator's side.

Handlers' `self.graph.add_node / add_edge / remove_node / remove_edge` are buffered by each
partition (as on a local graph) and reported with the superstep's STEP_DONE as `[node id,
sequence, name, args, kwargs]`. At the barrier the coordinator orders every partition's
changes by (node id, sequence), the order a local graph applies them in, and checks each with
the local graph method's own argument checks (so a bad change fails with the local error, named
after the node and the superstep). The checked changes go to every partition as `[op, args]`
(mutations.apply_changes), where each applies those that concern it, in that order.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from graphoid.errors import GraphoidError
from graphoid.graphs.classes import _arity_error
from graphoid.graphs.graph import _edge_type_name
from graphoid.graphs.methods import GRAPH_METHODS
from graphoid.messaging.local import _topology_error
from graphoid.values.types import GList, GMap

_ORDER = itemgetter(0, 1)  # (node id, sequence)


class _Recorder:
    """Stands for the graph while a local graph method checks a change's arguments: records
    the change in the form partitions apply (mutations.py) instead of making it."""

    def __init__(self) -> None:
        self.change: GList | None = None

    def add_node(self, node_id: str, value: Any = None) -> None:
        self.change = GList(("add_node", GList((_data_id(node_id), value))))

    def add_edge(self, src: str, dst: str, edge_type: str, weight: Any = None, props: Any = None) -> None:
        # (checked as Graph.add_edge checks it)
        edge_type = _edge_type_name(edge_type)
        self.change = GList(("add_edge", GList((_data_id(src), _data_id(dst), edge_type, weight, props))))

    def remove_node(self, node_id: str) -> None:
        self.change = GList(("remove_node", GList((node_id,))))

    def remove_edge(self, src: str, dst: str) -> None:
        self.change = GList(("remove_edge", GList((src, dst))))


def _data_id(node_id: str) -> str:
    if node_id.startswith("__"):
        raise GraphoidError("ValueError", f"Node id '{node_id}' is reserved: ids starting with __ are internal")
    return node_id


def ordered_changes(reported: list[Any], step: int) -> tuple[GList, GraphoidError | None, str]:
    """The changes partitions reported for `step`, ordered and checked: `[op, args]` up to the
    first bad one, that one's error (naming node and superstep, as on a local graph) or None,
    and the node whose handler made it ("" when none failed)."""
    changes = GList()
    for node_id, _sequence, name, args, kwargs in sorted(reported, key=_ORDER):
        recorder = _Recorder()
        method = GRAPH_METHODS[name]
        options = dict(kwargs.items()) if isinstance(kwargs, GMap) else {}
        try:
            try:
                method(recorder, *args, **options)
            except TypeError as exc:
                if exc.__traceback__ is not None and exc.__traceback__.tb_next is None:
                    raise _arity_error(name, method, tuple(args), options) from None
                raise
        except Exception as exc:  # noqa: BLE001 - reported as a GraphoidError with node and step
            return changes, _topology_error(exc, name, node_id, step), node_id
        changes.append(recorder.change)
    return changes, None, ""


def reported_changes(value: Any) -> list[tuple[str, int, str, GList, Any]]:
    """A partition's STEP_DONE list of changes, checked for shape (ProtocolError otherwise)."""
    if type(value) is not GList:
        raise GraphoidError("ProtocolError", "malformed topology changes")
    changes = []
    for entry in value:
        if (type(entry) is not GList or len(entry) != 5 or type(entry[0]) is not str or type(entry[1]) is not int
                or entry[2] not in ("add_node", "add_edge", "remove_node", "remove_edge")
                or type(entry[3]) is not GList or not (entry[4] is None or isinstance(entry[4], GMap))):
            raise GraphoidError("ProtocolError", "malformed topology change")
        changes.append(tuple(entry))
    return changes


def packed_changes(changes: list[tuple[str, int, str, tuple, Any]]) -> GList:
    """A partition's buffered changes as the value STEP_DONE carries."""
    return GList(
        GList((node_id, sequence, name, GList(args), None if kwargs is None else GMap(kwargs)))
        for node_id, sequence, name, args, kwargs in changes
    )
