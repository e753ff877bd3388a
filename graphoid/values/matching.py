"""Match patterns at run time.

The compiler turns a match pattern into a constant tuple (so it costs nothing to build):
  ("_",)                         wildcard
  ("lit", value)                 none/bool/number/string literal, compared without coercion
  ("sym", name)                  symbol literal
  ("bind",)                      binds the value
  ("list", items, rest)          rest: None (exact length), "_" (discard) or "bind"
`match_pattern` returns the bound values in left-to-right order, or None when it fails.
"""

from __future__ import annotations

from typing import Any

from graphoid.values.types import GList, Symbol

PatternSpec = tuple


def _literal_equal(value: Any, literal: Any) -> bool:
    if literal is None or type(literal) is bool:
        return value is literal
    if type(value) is bool:
        return False
    if type(literal) is str:
        return type(value) is str and value == literal
    return isinstance(value, (int, float)) and value == literal


def _match_into(spec: PatternSpec, value: Any, out: list[Any]) -> bool:
    tag = spec[0]
    if tag == "bind":
        out.append(value)
        return True
    if tag == "_":
        return True
    if tag == "lit":
        return _literal_equal(value, spec[1])
    if tag == "sym":
        return value is Symbol(spec[1])
    if tag == "list":
        if not isinstance(value, list):
            return False
        items, rest = spec[1], spec[2]
        count = len(items)
        if rest is None:
            if len(value) != count:
                return False
        elif len(value) < count:
            return False
        for item, element in zip(items, value):
            if not _match_into(item, element, out):
                return False
        if rest == "bind":
            out.append(GList(value[count:]))
        return True
    raise ValueError(f"unknown pattern tag {tag!r}")


def match_pattern(spec: PatternSpec, value: Any) -> list[Any] | None:
    """The values bound by `spec` against `value` (possibly empty), or None when no match."""
    out: list[Any] = []
    return out if _match_into(spec, value, out) else None
