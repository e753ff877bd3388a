"""The `_rt_S` object generated code reads symbol literals from (`:name` -> `_rt_S.name`).

Symbols are interned, so one shared object serves every interpreter. The compiler registers
each name it emits before the code can run; the object therefore needs no `__getattr__`,
and CPython specialises `_rt_S.name` as a plain instance-attribute load (a `__getattr__` hook
would make every symbol literal take the slow generic lookup).
"""

from __future__ import annotations

from graphoid.values.types import Symbol


class SymbolTable:
    """Attributes are symbols; filled only through `register_symbol`."""


SYMBOLS = SymbolTable()
_NAMES = SYMBOLS.__dict__


def register_symbol(name: str) -> None:
    """Make `_rt_S.<name>` the interned Symbol `:name` (idempotent; not for dunder names)."""
    if name not in _NAMES:
        _NAMES[name] = Symbol(name)
