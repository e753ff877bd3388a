"""The entries of a stored result object, in key order: shared by the driver's result handles
and the worker tasks that use a result in place (map, reduce and map_reduce over a result).

A DistributedResult is held as objects of one shape:

- ITEMS: a list chunk of `distributed.map(list, fn)`; entry i is (index, value), already in order;
- NODES: a map node id -> value of `distributed.map(g, fn)`, one per partition, ids ascending;
- KEYED: a map_reduce bucket, a list of [key, result] pairs in first-emitted order.
"""

from __future__ import annotations

from typing import Any, Callable

from graphoid.errors import GraphoidError
from graphoid.values.format import display
from graphoid.values.types import GList, GMap

ITEMS = "items"
NODES = "nodes"
KEYED = "keyed"
SHAPES = frozenset({ITEMS, NODES, KEYED})


def key_order(key: Any) -> tuple[int, Any]:
    """Keys of one kind sort by value; mixed kinds by kind (numbers, then strings, then others)."""
    if isinstance(key, bool):
        return (2, str(key))
    if isinstance(key, (int, float)):
        return (0, key)
    if isinstance(key, str):
        return (1, key)
    return (2, display(key))


def ordered_keys(shape: str, value: Any) -> GList:
    """The keys of a NODES or KEYED object, in key order (ITEMS chunks need none: they are in order)."""
    if shape == NODES:
        return GList(sorted(_nodes(value)))
    return GList(sorted((pair[0] for pair in _pairs(value)), key=key_order))


def ordered_values(shape: str, value: Any) -> list[Any]:
    """The object's values in key order."""
    if shape == ITEMS:
        return _items(value)
    if shape == NODES:
        nodes = _nodes(value)
        return [nodes[key] for key in sorted(nodes)]
    return [pair[1] for pair in sorted(_pairs(value), key=lambda pair: key_order(pair[0]))]


def map_values(shape: str, value: Any, fn: Callable[[Any], Any]) -> Any:
    """The object with fn applied to each value, its keys and layout kept."""
    if shape == ITEMS:
        return GList(fn(item) for item in _items(value))
    if shape == NODES:
        return GMap({key: fn(item) for key, item in _nodes(value).items()})
    return GList(GList([pair[0], fn(pair[1])]) for pair in _pairs(value))


def check_shape(shape: str) -> str:
    if shape not in SHAPES:
        raise GraphoidError("ProtocolError", f"unknown result shape {shape!r}")
    return shape


def _items(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise GraphoidError("TypeError", f"a map result chunk is a list, not {display(value)}")
    return value


def _nodes(value: Any) -> dict[Any, Any]:
    if not isinstance(value, dict):
        raise GraphoidError("TypeError", f"a node result part is a map, not {display(value)}")
    return value


def _pairs(value: Any) -> list[Any]:
    if not isinstance(value, list) or not all(isinstance(pair, list) and len(pair) == 2 for pair in value):
        raise GraphoidError("TypeError", "a map_reduce bucket is a list of [key, result] pairs")
    return value
