"""List methods. Plain forms return new lists; `bang_mutates` entries are the in-place `!` forms."""

from __future__ import annotations

import functools
import itertools
from typing import Any, Iterator

from graphoid.errors import GraphoidError
from graphoid.values.format import display, equals, is_truthy, type_name
from graphoid.values.limits import build_list, charge, metered
from graphoid.values.lookup import index_out_of_range
from graphoid.values.methods.common import (
    is_number,
    predicate_fn,
    transform_fn,
    want_function,
    want_int,
    want_number,
    want_string,
    want_symbol,
)
from graphoid.values.methods.registry import frozen_error, method
from graphoid.values.methods.rules import admits, transform_one
from graphoid.values.types import BigNum, GList


def _new(items: Any) -> GList:
    return GList(items)


# ---------------------------------------------------------------------------------------------
# queries


@method(GList, "length", "len", "size")
def length(xs: GList) -> int:
    return len(xs)


@method(GList, "is_empty")
def is_empty(xs: GList) -> bool:
    return not xs


@method(GList, "first")
def first(xs: GList) -> Any:
    if not xs:
        raise GraphoidError("RuntimeError", "Cannot get first element of empty list")
    return xs[0]


@method(GList, "last")
def last(xs: GList) -> Any:
    if not xs:
        raise GraphoidError("RuntimeError", "Cannot get last element of empty list")
    return xs[-1]


@method(GList, "contains")
def contains(xs: GList, value: Any) -> bool:
    return any(equals(x, value) for x in metered(xs))


@method(GList, "index_of")
def index_of(xs: GList, value: Any) -> int:
    for i, x in enumerate(metered(xs)):
        if equals(x, value):
            return i
    return -1


@method(GList, "get")
def get(xs: GList, index: Any, default: Any = None) -> Any:
    """`xs.get(i[, default])`: like `xs[i]` but out of range gives the default."""
    i = want_int("get", index)
    if -len(xs) <= i < len(xs):
        return xs[i]
    return default


@method(GList, "count")
def count(xs: GList, what: Any) -> int:
    """Elements for which `what(x)` is truthy, or elements equal to `what`."""
    if callable(what):
        return sum(1 for x in metered(xs) if is_truthy(what(x)))
    return sum(1 for x in metered(xs) if equals(x, what))


@method(GList, "sum")
def sum_(xs: GList) -> Any:
    if set(map(type, xs)) <= _INT_TYPES:
        # Ints only (one C-level type scan): C's sum is exact, as the loop below would be.
        return sum(metered(xs))
    total: Any = 0
    for x in metered(xs):
        total += want_number("sum", x)
    return total


def _extreme(name: str, xs: GList, pick: Any) -> Any:
    if not xs:
        raise GraphoidError("RuntimeError", f"Cannot take {name} of empty list")
    if _natively_ordered(xs):
        return pick(xs)
    raise GraphoidError("TypeError", f"Method '{name}' needs a list of numbers or of strings")


@method(GList, "min")
def min_(xs: GList) -> Any:
    return _extreme("min", xs, min)


@method(GList, "max")
def max_(xs: GList) -> Any:
    return _extreme("max", xs, max)


# ---------------------------------------------------------------------------------------------
# transformations returning new lists


@method(GList, "map")
def map_(xs: GList, fn: Any) -> GList:
    f = transform_fn("map", fn)
    return GList(map(f, metered(xs)))


@method(GList, "filter", "select")
def filter_(xs: GList, fn: Any) -> GList:
    # builtins.filter tests truthiness with bool(), which is is_truthy for every value.
    f = predicate_fn("filter", fn)
    return GList(filter(f, metered(xs)))


@method(GList, "reject")
def reject(xs: GList, fn: Any) -> GList:
    f = predicate_fn("reject", fn)
    return GList(itertools.filterfalse(f, metered(xs)))


@method(GList, "each")
def each(xs: GList, fn: Any) -> GList:
    f = want_function("each", fn)
    for x in metered(list(xs)):
        f(x)
    return xs


@method(GList, "reduce")
def reduce(xs: GList, initial: Any, fn: Any) -> Any:
    f = want_function("reduce", fn, 2)
    acc = initial
    for x in metered(xs):
        acc = f(acc, x)
    return acc


@method(GList, "slice")
def slice_(xs: GList, start: Any, end: Any, step: Any = 1) -> GList:
    """Clamped slice; negative indices count from the end; empty when start > end."""
    s = want_int("slice", start, 1)
    e = want_int("slice", end, 2)
    k = want_int("slice", step, 3)
    if k == 0:
        raise GraphoidError("RuntimeError", "slice step cannot be zero")
    n = len(xs)
    s = max(n + s, 0) if s < 0 else min(s, n)
    e = max(n + e, 0) if e < 0 else min(e, n)
    if k < 0:
        # The reference only walks forward (a negative step never terminates there).
        raise GraphoidError("ValueError", "slice step must be positive")
    if s > e:
        return GList()
    return GList(list.__getitem__(xs, slice(s, e, k)))


@method(GList, "take")
def take(xs: GList, n: Any) -> GList:
    k = want_int("take", n)
    return GList(list.__getitem__(xs, slice(0, max(k, 0))))


@method(GList, "skip", "drop")
def skip(xs: GList, n: Any) -> GList:
    k = want_int("skip", n)
    return GList(list.__getitem__(xs, slice(max(k, 0), None)))


_STRINGS = frozenset({str})


@method(GList, "join")
def join(xs: GList, sep: Any = "") -> str:
    separator = want_string("join", sep)
    items = metered(xs)
    if items is xs and set(map(type, xs)) <= _STRINGS:
        return separator.join(xs)  # only strings, no budget: display() is the identity
    return separator.join([display(x) for x in items])


@method(GList, "uniq")
def uniq(xs: GList) -> GList:
    kept: list = []
    for x in xs:
        # Quadratic: each element is compared with every kept one, and that work is charged.
        charge(len(kept) + 1)
        if not any(equals(x, y) for y in kept):
            kept.append(x)
    return GList(kept)


@method(GList, "compact")
def compact(xs: GList) -> GList:
    return GList([x for x in xs if x is not None])


@method(GList, "zip")
def zip_(xs: GList, other: Any) -> GList:
    if not isinstance(other, list):
        raise GraphoidError("TypeError", f"Method 'zip' expects a list, got {type_name(other)}")
    return GList([GList([a, b]) for a, b in zip(xs, other)])


def _flatten_into(out: list, xs: list, depth: int) -> None:
    for x in xs:
        if isinstance(x, list) and depth != 0:
            _flatten_into(out, x, depth - 1)
        else:
            out.append(x)


@method(GList, "flatten")
def flatten(xs: GList, depth: Any = -1) -> GList:
    """Flatten nested lists completely, or `depth` levels."""
    out: list = []
    _flatten_into(out, xs, want_int("flatten", depth))
    return GList(out)


@method(GList, "sort_by")
def sort_by(xs: GList, key: Any, order: Any = None) -> GList:
    """Stable sort by `key(x)`; `:desc` reverses the order (still stable)."""
    f = want_function("sort_by", key)
    descending = False
    if order is not None:
        direction = want_symbol("sort_by", order, 2).name
        if direction not in ("asc", "desc"):
            raise GraphoidError("ValueError", f"sort_by order must be :asc or :desc, got :{direction}")
        descending = direction == "desc"
    keyed = [(f(x), x) for x in metered(xs)]
    keyed.sort(key=functools.cmp_to_key(lambda a, b: compare_values(a[0], b[0])), reverse=descending)
    return GList([x for _, x in keyed])


def compare_values(a: Any, b: Any) -> int:
    """Ordering used by sort/sort_by: numbers numerically, strings lexically, lists
    element-wise; values of different kinds compare equal (so stable sorts keep their order)."""
    if is_number(a) and is_number(b):
        return (a > b) - (a < b)
    ta = type(a)
    if ta is str and type(b) is str:
        return (a > b) - (a < b)
    if isinstance(a, list) and isinstance(b, list):
        for x, y in zip(a, b):
            c = compare_values(x, y)
            if c:
                return c
        return (len(a) > len(b)) - (len(a) < len(b))
    if ta is bool and type(b) is bool:
        return (a > b) - (a < b)
    return 0


_NUMBER_TYPES = frozenset({int, float, BigNum})
_INT_TYPES = frozenset({int, BigNum})


def _natively_ordered(xs: list) -> bool:
    """All numbers or all strings: Python's own ordering is Graphoid's (the type scan runs in C)."""
    kinds = set(map(type, xs))
    return kinds <= _NUMBER_TYPES or kinds <= _STRINGS


def _sort_in_place(xs: GList) -> None:
    if _natively_ordered(xs):
        list.sort(xs)
    else:
        list.sort(xs, key=functools.cmp_to_key(compare_values))


@method(GList, "to_list")
def to_list(xs: GList) -> GList:
    return xs


# ---------------------------------------------------------------------------------------------
# in-place mutators behind the `!` forms (plain forms run them on a copy)


def _check_frozen(xs: GList) -> None:
    if xs.frozen:
        raise frozen_error(xs, "modify")


def _incoming(xs: GList, value: Any) -> Any:
    return transform_one(xs, value) if xs.rules else value


@method(GList, "append", "push", bang_mutates=True)
def append(xs: GList, value: Any) -> None:
    # Hot path (`append!` in loops): inline checks, no helper calls when there are no rules.
    if xs.frozen:
        raise frozen_error(xs, "modify")
    if xs.rules:
        value = transform_one(xs, value)
        if not admits(xs, value):
            return None
    xs.append(value)
    return None


@method(GList, "prepend", bang_mutates=True)
def prepend(xs: GList, value: Any) -> None:
    _check_frozen(xs)
    value = _incoming(xs, value)
    if xs.rules and not admits(xs, value):
        return None
    list.insert(xs, 0, value)
    return None


@method(GList, "insert", bang_mutates=True)
def insert(xs: GList, index: Any, value: Any) -> None:
    _check_frozen(xs)
    i = want_int("insert", index)
    if i < 0 or i > len(xs):
        raise index_out_of_range(i, len(xs))
    value = _incoming(xs, value)
    if xs.rules and not admits(xs, value):
        return None
    list.insert(xs, i, value)
    return None


@method(GList, "set", bang_mutates=True)
def set_(xs: GList, index: Any, value: Any) -> None:
    _check_frozen(xs)
    i = want_int("set", index)
    if not -len(xs) <= i < len(xs):
        raise index_out_of_range(i, len(xs))
    list.__setitem__(xs, i, _incoming(xs, value))
    return None


@method(GList, "remove", bang_mutates=True)
def remove(xs: GList, value: Any) -> None:
    """Remove the first element equal to `value`; absent values are ignored."""
    _check_frozen(xs)
    for i, x in enumerate(xs):
        if equals(x, value):
            del xs[i]
            break
    return None


@method(GList, "remove_at_index", "remove_at", bang_mutates=True)
def remove_at_index(xs: GList, index: Any) -> None:
    _check_frozen(xs)
    i = want_int("remove_at_index", index)
    if not -len(xs) <= i < len(xs):
        raise index_out_of_range(i, len(xs))
    del xs[i]
    return None


@method(GList, "pop", bang_mutates=True)
def pop_in_place(xs: GList) -> Any:
    """`pop!`: remove the last element and yield it."""
    _check_frozen(xs)
    if not xs:
        raise GraphoidError("RuntimeError", "Cannot pop from empty list")
    return list.pop(xs)


@method(GList, "pop")
def pop(xs: GList) -> Any:
    """Plain `pop()` only reads the last element, as in the reference."""
    if not xs:
        raise GraphoidError("RuntimeError", "Cannot pop from empty list")
    return xs[-1]


@method(GList, "clear", bang_mutates=True)
def clear(xs: GList) -> None:
    _check_frozen(xs)
    list.clear(xs)
    return None


@method(GList, "sort", bang_mutates=True)
def sort(xs: GList) -> None:
    _check_frozen(xs)
    _sort_in_place(xs)
    return None


@method(GList, "reverse", bang_mutates=True)
def reverse(xs: GList) -> None:
    _check_frozen(xs)
    list.reverse(xs)
    return None


@method(GList, "extend", "concat", bang_mutates=True)
def extend(xs: GList, other: Any) -> None:
    _check_frozen(xs)
    if not isinstance(other, list):
        raise GraphoidError("TypeError", f"Method 'extend' expects a list, got {type_name(other)}")
    for value in list(other):
        append(xs, value)
    return None


# ---------------------------------------------------------------------------------------------
# static namespace helpers (`list.generate`, `list.upto`, `list.range`, builtin `range`)


def _num(v: Any) -> Any:
    return int(v) if type(v) is float and v.is_integer() else v


def generate(start: Any, end: Any, step_or_fn: Any) -> GList:
    """Inclusive range with a step, or `fn(i)` for each integer from start to end."""
    a = want_number("generate", start, 1)
    b = want_number("generate", end, 2)
    if is_number(step_or_fn):
        step = step_or_fn
        if step == 0:
            raise GraphoidError("RuntimeError", "generate step cannot be zero")
        if type(a) is int and type(b) is int and type(step) is int:
            return build_list(range(a, b + 1 if step > 0 else b - 1, step))
        return build_list(_stepping(a, b, step, inclusive=True))
    if callable(step_or_fn):
        return GList(map(step_or_fn, metered(range(int(a), int(b) + 1))))
    raise GraphoidError(
        "TypeError",
        f"list.generate() expects third argument to be number or function, got {type_name(step_or_fn)}",
    )


def upto(n: Any) -> GList:
    """`[0, 1, ..., n]` (inclusive)."""
    return build_list(range(0, want_int("upto", n) + 1))


def range_list(*args: Any) -> GList:
    """`range(n)` = [0, n); `range(a, b[, step])` = [a, b) by step (negative steps count down)."""
    if not 1 <= len(args) <= 3:
        raise GraphoidError("TypeError", f"range() expects 1 to 3 arguments, got {len(args)}")
    nums = [want_number("range", a, i + 1) for i, a in enumerate(args)]
    if len(nums) == 1:
        start, stop, step = 0, nums[0], 1
    else:
        start, stop = nums[0], nums[1]
        step = nums[2] if len(nums) == 3 else 1
    if step == 0:
        raise GraphoidError("ValueError", "range step cannot be zero")
    if all(type(n) is int or (type(n) is float and n.is_integer()) for n in (start, stop, step)):
        return build_list(range(int(start), int(stop), int(step)))
    return build_list(_stepping(start, stop, step, inclusive=False))


def _stepping(start: Any, end: Any, step: Any, *, inclusive: bool) -> Iterator[Any]:
    """start, start + step, ... up to `end` (included when `inclusive`), in the step's direction."""
    current = start
    if step > 0:
        while current < end or (inclusive and current == end):
            yield _num(current)
            current += step
    else:
        while current > end or (inclusive and current == end):
            yield _num(current)
            current += step

