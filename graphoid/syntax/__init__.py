"""Graphoid front end: source text -> graphoid.syntax.ast.

Public API: `parse`, `is_complete` (REPL input completeness) and `tokenize` (highlighting).
They are loaded on first use: graphoid.errors imports graphoid.syntax.ast, and the
parser imports the errors module, so eager imports here would be circular.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graphoid.syntax.complete import is_complete
    from graphoid.syntax.lexer import tokenize
    from graphoid.syntax.parser import parse

__all__ = ["parse", "is_complete", "tokenize"]

_HOMES = {
    "parse": "graphoid.syntax.parser",
    "is_complete": "graphoid.syntax.complete",
    "tokenize": "graphoid.syntax.lexer",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'graphoid.syntax' has no attribute '{name}'")
    import importlib

    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
