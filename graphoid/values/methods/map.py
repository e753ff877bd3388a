"""Map ("hash") methods. Keys are strings; order is insertion order."""

from __future__ import annotations

from typing import Any

from graphoid.errors import GraphoidError
from graphoid.values.format import is_truthy, type_name
from graphoid.values.methods.common import want_function, want_string
from graphoid.values.methods.registry import frozen_error, method
from graphoid.values.methods.rules import transform_one
from graphoid.values.types import GList, GMap
from graphoid.values.limits import metered


@method(GMap, "length", "len", "size")
def length(m: GMap) -> int:
    return len(m)


@method(GMap, "is_empty")
def is_empty(m: GMap) -> bool:
    return not m


@method(GMap, "keys")
def keys(m: GMap) -> GList:
    return GList(m.keys())


@method(GMap, "values")
def values(m: GMap) -> GList:
    return GList(m.values())


@method(GMap, "has_key", "contains", "has")
def has_key(m: GMap, key: Any) -> bool:
    return key in m if type(key) is str else False


@method(GMap, "get")
def get(m: GMap, key: Any, default: Any = None) -> Any:
    if type(key) is not str:
        return default
    return m.get(key, default)


@method(GMap, "to_list", "entries", "items")
def to_list(m: GMap) -> GList:
    """`[[key, value], ...]` in insertion order."""
    return GList([GList([k, v]) for k, v in m.items()])


@method(GMap, "merge")
def merge(m: GMap, other: Any) -> GMap:
    """A new map with `other`'s entries added (they win on equal keys)."""
    if not isinstance(other, dict):
        raise GraphoidError("TypeError", f"Method 'merge' expects a map, got {type_name(other)}")
    out = m.copy()
    for k, v in other.items():
        dict.__setitem__(out, k, transform_one(out, v) if out.rules else v)
    return out


def _call_pair(fn: Any, k: str, v: Any) -> Any:
    """`fn(key, value)`; a Graphoid function declaring one parameter gets `[key, value]`."""
    params = getattr(fn, "_gd_params", None)
    if params is not None and len(params) == 1 and not params[0].startswith("..."):
        return fn(GList([k, v]))
    return fn(k, v)


@method(GMap, "each")
def each(m: GMap, fn: Any) -> GMap:
    """Call `fn(key, value)` for every entry; returns the map."""
    f = want_function("each", fn)
    for k, v in metered(list(m.items())):
        _call_pair(f, k, v)
    return m


@method(GMap, "map")
def map_(m: GMap, fn: Any) -> GMap:
    """A new map with each value replaced by `fn(key, value)`."""
    f = want_function("map", fn)
    return GMap({k: _call_pair(f, k, v) for k, v in metered(m.items())})


@method(GMap, "filter", "select")
def filter_(m: GMap, fn: Any) -> GMap:
    """The entries for which `fn(key, value)` is truthy."""
    f = want_function("filter", fn)
    return GMap({k: v for k, v in metered(m.items()) if is_truthy(_call_pair(f, k, v))})


@method(GMap, "reject")
def reject(m: GMap, fn: Any) -> GMap:
    f = want_function("reject", fn)
    return GMap({k: v for k, v in metered(m.items()) if not is_truthy(_call_pair(f, k, v))})


# ---------------------------------------------------------------------------------------------
# in-place mutators behind `!` (plain forms return changed copies)


def _check_frozen(m: GMap) -> None:
    if m.frozen:
        raise frozen_error(m, "modify")


@method(GMap, "remove", "delete", bang_mutates=True)
def remove(m: GMap, key: Any) -> None:
    """Remove `key` if present."""
    _check_frozen(m)
    if type(key) is str:
        m.pop(key, None)
    return None


@method(GMap, "set", bang_mutates=True)
def set_(m: GMap, key: Any, value: Any) -> None:
    _check_frozen(m)
    want_string("set", key)
    dict.__setitem__(m, key, transform_one(m, value) if m.rules else value)
    return None


@method(GMap, "clear", bang_mutates=True)
def clear(m: GMap) -> None:
    _check_frozen(m)
    dict.clear(m)
    return None
