"""The errors of failed lookups (`xs[i]`, `m[k]`, `m.k`), one wording whichever path raised them.

Generated code, the method tables and the Python-exception translation all build these, so a
program sees the same kind and message from `xs[9]`, `xs.set(9, v)` or a host `call`.
"""

from __future__ import annotations

from typing import Any, Iterable

from graphoid.errors import GraphoidError, did_you_mean
from graphoid.values.format import describe, type_name


def index_out_of_range(index: int, length: int) -> GraphoidError:
    """IndexError naming the index and the length it missed."""
    return GraphoidError("IndexError", f"Index out of bounds: {index} (length {length})")


def bad_index(index: Any, what: str = "Index") -> GraphoidError:
    """TypeError for an index that is no whole number (`xs[1.5]`, `xs["a"]`)."""
    if type(index) is float:
        return GraphoidError("TypeError", f"{what} must be a whole number, got {describe(index)}")
    return GraphoidError("TypeError", f"{what} must be a whole number, got a {type_name(index)}")


def key_not_found(key: Any, keys: Iterable[Any] = ()) -> GraphoidError:
    """KeyError for a missing map key, with a did-you-mean hint among the map's string keys."""
    shown = describe(key)
    close = did_you_mean(shown, [k for k in keys if type(k) is str]) if type(key) is str else None
    return GraphoidError(
        "KeyError", f"Key not found: '{shown}'", hint=f"did you mean '{close}'?" if close else None
    )
