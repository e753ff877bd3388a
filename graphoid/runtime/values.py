"""Graphoid value types that have no natural Python counterpart.

none/bool/num/string are None/bool/int|float/str. Lists and maps are list/dict subclasses so
indexing, len and iteration run at C speed; their value semantics come from copy-on-write
(graphoid/runtime/cow.py), not from copying on every read.
"""

from __future__ import annotations

import re
from typing import Any


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


class GList(list):
    """A Graphoid list. Python list operators that would return a plain list are overridden."""

    __slots__ = ("rules", "frozen")

    def __init__(self, items: Any = ()) -> None:
        super().__init__(items)
        self.rules = None
        self.frozen = False

    def __add__(self, other: Any) -> "GList":
        if isinstance(other, list):
            return GList(list.__add__(self, other))
        return NotImplemented

    def __mul__(self, other: Any) -> "GList":
        return NotImplemented

    __rmul__ = __mul__

    def __getitem__(self, index: Any) -> Any:
        result = list.__getitem__(self, index)
        if isinstance(index, slice):
            return GList(result)
        return result

    def copy(self) -> "GList":
        new = GList(self)
        new.rules = self.rules
        return new

    def __hash__(self) -> int:  # lists may be map values but never keys; make that explicit
        raise TypeError("unhashable type: 'list'")


class GMap(dict):
    """A Graphoid map (string keys, insertion order)."""

    __slots__ = ("rules", "frozen")

    def __init__(self, items: Any = ()) -> None:
        super().__init__(items)
        self.rules = None
        self.frozen = False

    def copy(self) -> "GMap":
        new = GMap(self)
        new.rules = self.rules
        return new

    def __or__(self, other: Any) -> Any:
        return NotImplemented

    def __hash__(self) -> int:
        raise TypeError("unhashable type: 'map'")


class Regex:
    """A compiled regex literal `/pattern/flags`."""

    __slots__ = ("source", "flags", "compiled")

    _FLAG_BITS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}

    def __init__(self, source: str, flags: str = "") -> None:
        bits = 0
        for flag in flags:
            bits |= self._FLAG_BITS[flag]
        self.source = source
        self.flags = flags
        self.compiled = re.compile(source, bits)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Regex) and (self.source, self.flags) == (other.source, other.flags)

    def __hash__(self) -> int:
        return hash((self.source, self.flags))

    def __repr__(self) -> str:
        return f"/{self.source}/{self.flags}"
