"""`import "collections"`: list and map helpers, set operations on lists, counters, grouping,
and the mutable containers deque, queue and stack (docs/stdlib.md#collections).

List functions return new lists. Elements are compared with Graphoid equality (`==`), so
lists and maps may be elements too. A deque, queue or stack is shared like a graph: its
methods change it in place.
"""

from __future__ import annotations

from collections import deque as host_deque
from typing import Any, Callable, Iterable

from graphoid.errors import GraphoidError
from graphoid.library.common import expect, expect_int, members
from graphoid.values import limits
from graphoid.values.format import display
from graphoid.values.methods.registry import method
from graphoid.values.types import GList, GMap


class _Seen:
    """Membership by equality: hashable values in a set, the rest (lists, maps) in a list."""

    def __init__(self, values: Iterable[Any] = ()) -> None:
        self._hashed: set[Any] = set()
        self._other: list[Any] = []
        for value in values:
            self.add(value)

    def __contains__(self, value: Any) -> bool:
        try:
            return value in self._hashed
        except TypeError:
            return value in self._other

    def add(self, value: Any) -> None:
        try:
            self._hashed.add(value)
        except TypeError:
            self._other.append(value)


def _list(value: Any, where: str, param: str = "items") -> GList:
    return expect(value, "list", where, param)


def _function(value: Any, where: str, param: str = "fn") -> Callable[..., Any]:
    return expect(value, "function", where, param)


# ---------------------------------------------------------------------------------- lists


def flatten(items: Any) -> GList:
    """Nested lists flattened into one list, at every depth."""
    out = GList()
    stack = [iter(_list(items, "collections.flatten"))]
    while stack:
        for item in stack[-1]:
            if isinstance(item, list):
                stack.append(iter(item))
                break
            out.append(item)
        else:
            stack.pop()
    return out


def chunk(items: Any, size: Any) -> GList:
    """Consecutive pieces of `size` elements (the last may be shorter)."""
    values = _list(items, "collections.chunk")
    n = expect_int(size, "collections.chunk", "size", minimum=1)
    return GList(GList(values[i:i + n]) for i in range(0, len(values), n))


def partition(items: Any, fn: Any) -> GList:
    """[elements for which fn is truthy, the others]."""
    test = _function(fn, "collections.partition")
    yes, no = GList(), GList()
    for item in limits.metered(_list(items, "collections.partition")):
        (yes if test(item) else no).append(item)
    return GList([yes, no])


def group_by(items: Any, fn: Any) -> GMap:
    """A map from each key fn gives (as its display string) to the elements with that key."""
    key_of = _function(fn, "collections.group_by")
    groups = GMap()
    for item in limits.metered(_list(items, "collections.group_by")):
        groups.setdefault(display(key_of(item)), GList()).append(item)
    return groups


def counter(items: Any) -> GMap:
    """A map from each element (as its display string) to how often it occurs, in first-seen order."""
    counts = GMap()
    for item in _list(items, "collections.counter"):
        key = display(item)
        counts[key] = counts.get(key, 0) + 1
    return counts


def zip_(first: Any, second: Any) -> GList:
    """Pairs [a, b] of elements at the same index (as long as the shorter list)."""
    return GList(GList(pair) for pair in zip(_list(first, "collections.zip", "first"), _list(second, "collections.zip", "second")))


def unzip(pairs: Any) -> GList:
    """[first elements, second elements] of a list of pairs."""
    firsts, seconds = GList(), GList()
    for index, pair in enumerate(_list(pairs, "collections.unzip", "pairs")):
        if not isinstance(pair, list) or len(pair) != 2:
            raise GraphoidError("TypeError", f"collections.unzip() expects pairs, got {display(pair)} at index {index}")
        firsts.append(pair[0])
        seconds.append(pair[1])
    return GList([firsts, seconds])


def take(items: Any, n: Any) -> GList:
    """The first n elements."""
    return GList(_list(items, "collections.take")[: expect_int(n, "collections.take", "n", minimum=0)])


def drop(items: Any, n: Any) -> GList:
    """All but the first n elements."""
    return GList(_list(items, "collections.drop")[expect_int(n, "collections.drop", "n", minimum=0):])


def rotate(items: Any, n: Any) -> GList:
    """The elements shifted left by n (right when negative): rotate([1, 2, 3], 1) is [2, 3, 1]."""
    values = _list(items, "collections.rotate")
    if not values:
        return GList()
    shift = expect_int(n, "collections.rotate", "n") % len(values)
    return GList(values[shift:] + values[:shift])


def unique(items: Any) -> GList:
    """The elements without repeats, in first-seen order."""
    seen = _Seen()
    out = GList()
    for item in _list(items, "collections.unique"):
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


def interleave(first: Any, second: Any) -> GList:
    """a1, b1, a2, b2, ... then the rest of the longer list."""
    a, b = _list(first, "collections.interleave", "first"), _list(second, "collections.interleave", "second")
    out = GList()
    for x, y in zip(a, b):
        out.extend((x, y))
    out.extend(a[len(b):] if len(a) > len(b) else b[len(a):])
    return out


def repeat(value: Any, n: Any) -> GList:
    """A list of n copies of value."""
    count = expect_int(n, "collections.repeat", "n", minimum=0)
    return limits.build_list(value for _ in range(count))


def sliding(items: Any, size: Any) -> GList:
    """Every run of `size` consecutive elements: sliding([1, 2, 3], 2) is [[1, 2], [2, 3]]."""
    values = _list(items, "collections.sliding")
    n = expect_int(size, "collections.sliding", "size", minimum=1)
    return GList(GList(values[i:i + n]) for i in range(len(values) - n + 1))


# ---------------------------------------------------------------------------------- sets on lists


def union(first: Any, second: Any) -> GList:
    """The elements of either list, without repeats, in first-seen order."""
    return unique(GList(_list(first, "collections.union", "first") + _list(second, "collections.union", "second")))


def intersection(first: Any, second: Any) -> GList:
    """The elements of the first list that are also in the second (without repeats)."""
    other = _Seen(_list(second, "collections.intersection", "second"))
    return unique(GList(x for x in _list(first, "collections.intersection", "first") if x in other))


def difference(first: Any, second: Any) -> GList:
    """The elements of the first list that are not in the second (without repeats)."""
    other = _Seen(_list(second, "collections.difference", "second"))
    return unique(GList(x for x in _list(first, "collections.difference", "first") if x not in other))


def symmetric_difference(first: Any, second: Any) -> GList:
    """The elements in exactly one of the lists."""
    return union(difference(first, second), difference(second, first))


def is_subset(first: Any, second: Any) -> bool:
    """True when every element of the first list is in the second."""
    other = _Seen(_list(second, "collections.is_subset", "second"))
    return all(x in other for x in _list(first, "collections.is_subset", "first"))


def is_superset(first: Any, second: Any) -> bool:
    """True when every element of the second list is in the first."""
    return is_subset(second, first)


# ---------------------------------------------------------------------------------- maps


def merge(*maps: Any) -> GMap:
    """One map with the entries of all; later maps win on a shared key."""
    out = GMap()
    for index, value in enumerate(maps):
        out.update(expect(value, "map", "collections.merge", f"argument {index + 1}"))
    return out


def invert(value: Any) -> GMap:
    """A map from each value (as its display string) to its key."""
    return GMap((display(v), k) for k, v in expect(value, "map", "collections.invert", "map").items())


# ---------------------------------------------------------------------------------- containers


class _Container:
    """What deque, queue and stack share: their items and display (methods are per kind)."""

    gd_type_name = "container"
    __slots__ = ("items",)

    def __init__(self, items: Iterable[Any] = ()) -> None:
        self.items: host_deque[Any] = host_deque(items)

    def display(self) -> str:
        return f"{self.gd_type_name}({display(GList(self.items))})"

    def _empty(self, action: str) -> GraphoidError:
        return GraphoidError("IndexError", f"Cannot {action} an empty {self.gd_type_name}")


class Deque(_Container):
    """A double-ended queue (shared, changed in place by its methods)."""

    gd_type_name = "deque"
    __slots__ = ()


class Queue(_Container):
    """First in, first out."""

    gd_type_name = "queue"
    __slots__ = ()


class Stack(_Container):
    """Last in, first out."""

    gd_type_name = "stack"
    __slots__ = ()


def _take(container: _Container, take: Callable[[], Any], action: str) -> Any:
    if not container.items:
        raise container._empty(action)
    return take()


@method(Deque, "push_back")
@method(Queue, "enqueue", "push")
@method(Stack, "push")
def _push_back(container: _Container, value: Any) -> None:
    container.items.append(value)


@method(Deque, "push_front")
def _push_front(container: _Container, value: Any) -> None:
    container.items.appendleft(value)


@method(Deque, "pop_back")
@method(Stack, "pop")
def _pop_back(container: _Container) -> Any:
    return _take(container, container.items.pop, "pop from")


@method(Deque, "pop_front")
@method(Queue, "dequeue", "pop")
def _pop_front(container: _Container) -> Any:
    return _take(container, container.items.popleft, "pop from")


@method(Deque, "peek_back")
@method(Stack, "peek")
def _peek_back(container: _Container) -> Any:
    return _take(container, lambda: container.items[-1], "peek into")


@method(Deque, "peek_front")
@method(Queue, "peek")
def _peek_front(container: _Container) -> Any:
    return _take(container, lambda: container.items[0], "peek into")


for _kind in (Deque, Queue, Stack):
    method(_kind, "size", "length")(lambda container: len(container.items))
    method(_kind, "is_empty")(lambda container: not container.items)
    method(_kind, "to_list")(lambda container: GList(container.items))
    method(_kind, "clear")(lambda container: container.items.clear())


def _container(kind: type[_Container], where: str) -> Callable[..., _Container]:
    def make(items: Any = None) -> _Container:
        return kind(() if items is None else _list(items, where))

    make.__doc__ = f"A new {kind.gd_type_name}, optionally holding `items`."
    return make


def module_members(interp: Any) -> dict[str, Any]:
    """The members of `import "collections"`."""
    return members(
        "collections",
        {
            "flatten": flatten,
            "chunk": chunk,
            "sliding": sliding,
            "partition": partition,
            "group_by": group_by,
            "counter": counter,
            "zip": zip_,
            "unzip": unzip,
            "take": take,
            "drop": drop,
            "rotate": rotate,
            "unique": unique,
            "interleave": interleave,
            "repeat": repeat,
            "union": union,
            "intersection": intersection,
            "difference": difference,
            "symmetric_difference": symmetric_difference,
            "is_subset": is_subset,
            "is_superset": is_superset,
            "merge": merge,
            "invert": invert,
            "deque": _container(Deque, "collections.deque"),
            "queue": _container(Queue, "collections.queue"),
            "stack": _container(Stack, "collections.stack"),
        },
    )


