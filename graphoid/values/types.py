"""Graphoid value types that have no natural Python counterpart.

none/bool/num/string are None/bool/int|float/str. Lists and maps are list/dict subclasses so
indexing, len and iteration run at C speed; their value semantics come from copy-on-write
(graphoid/runtime/cow.py), not from copying on every read.
"""

from __future__ import annotations

from typing import Any

from graphoid.values import native_slots


class Symbol:
    """An interned symbol `:name`; identity comparison is equality."""

    __slots__ = ("name",)
    _table: dict[str, "Symbol"] = {}

    def __new__(cls, name: str) -> "Symbol":
        existing = cls._table.get(name)
        if existing is not None:
            return existing
        obj = super().__new__(cls)
        obj.name = name
        cls._table[name] = obj
        return obj

    def __repr__(self) -> str:
        return f":{self.name}"

    def __reduce__(self):
        return (Symbol, (self.name,))


class BigNum(int):
    """An integer the program asked to treat as a bignum (`to_bignum()`, `bignum x = ...`).

    Plain ints are already exact at any size; this subclass only carries the `bignum` type
    name. Arithmetic on it yields plain ints, as the reference demotes results that fit.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"BigNum({int(self)})"

    # str() of an int subclass would use __repr__; Graphoid prints the digits.
    __str__ = int.__repr__


class GList(list):
    """A Graphoid list: a `list` subclass, so indexing, len and iteration stay at C speed.

    `rules` (a tuple of behaviours, see methods/rules.py) and `frozen` default at class level
    and are only stored on instances that set them: creating a GList costs no Python-level
    `__init__`. Slicing returns a plain `list`; wrap it with `GList(...)` where a Graphoid
    value is needed (every runtime entry point also accepts plain lists).

    `plain` is true while the list has no rules and is not frozen: the compiled `append!` fast
    path tests that one flag. Setting `rules` or `frozen` recomputes it, wherever that happens.
    """

    rules: Any = None
    frozen: bool = False
    plain: bool = True

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
        if name == "rules" or name == "frozen":
            object.__setattr__(self, "plain", not self.rules and not self.frozen)

    def __delattr__(self, name: str) -> None:
        object.__delattr__(self, name)
        if name == "rules" or name == "frozen":
            object.__setattr__(self, "plain", not self.rules and not self.frozen)

    def __add__(self, other: Any) -> Any:
        # `list + list` concatenates into a new list (docs/deviations.md).
        if isinstance(other, list):
            new = GList(self)
            list.extend(new, other)
            return new
        return NotImplemented

    # Never extend in place: the left operand may be shared (copy-on-write).
    __iadd__ = __add__

    def __radd__(self, other: Any) -> Any:
        if isinstance(other, list):
            new = GList(other)
            list.extend(new, self)
            return new
        return NotImplemented

    # `list * n` is not Graphoid; refusing it sends the operator to the runtime's error path.
    def __mul__(self, other: Any) -> Any:
        return NotImplemented

    __rmul__ = __mul__
    __imul__ = __mul__

    def copy(self) -> "GList":
        """An unfrozen shallow copy that keeps the behaviours."""
        new = GList(self)
        if self.rules is not None:
            new.rules = self.rules
        return new

    def __hash__(self) -> int:  # lists may be map values but never keys; make that explicit
        raise TypeError("unhashable type: 'list'")


class GMap(dict):
    """A Graphoid map (string keys, insertion order); `rules`/`frozen` as for GList."""

    rules: Any = None
    frozen: bool = False

    def copy(self) -> "GMap":
        """An unfrozen shallow copy that keeps the behaviours."""
        new = GMap(self)
        if self.rules is not None:
            new.rules = self.rules
        return new

    def __or__(self, other: Any) -> Any:
        return NotImplemented

    def __hash__(self) -> int:
        raise TypeError("unhashable type: 'map'")


class Regex:
    """A compiled regex literal `/pattern/flags`.

    Compiled with the `regex` package (its default, `re`-compatible syntax) because its
    matching methods take a `timeout=`, which keeps the time limit in force during
    catastrophic backtracking (graphoid.values.limits).
    """

    __slots__ = ("source", "flags", "compiled")

    _FLAG_NAMES = {"i": "IGNORECASE", "m": "MULTILINE", "s": "DOTALL", "x": "VERBOSE"}

    def __init__(self, source: str, flags: str = "") -> None:
        import regex  # deferred: importing it costs start-up time most programs never repay

        bits = 0
        for flag in flags:
            bits |= getattr(regex, self._FLAG_NAMES[flag])
        self.source = source
        self.flags = flags
        self.compiled = regex.compile(source, bits)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Regex) and (self.source, self.flags) == (other.source, other.flags)

    def __hash__(self) -> int:
        return hash((self.source, self.flags))

    def __repr__(self) -> str:
        return f"/{self.source}/{self.flags}"


# Reads (`m[k]`, `k in m`, `xs[i]`) through dict's and list's own C functions (native_slots.py).
native_slots.install(GMap, dict)
native_slots.install(GList, list)
