"""dump(): a compact, span-free text form of an AST, for tests and debugging."""

from __future__ import annotations

from graphoid.syntax import ast as A


def dump(node: object) -> str:
    """S-expression-like rendering: `(Binary + (Name x) (Const 1))`; spans omitted."""
    if isinstance(node, tuple):
        return "[" + " ".join(dump(x) for x in node) + "]"
    if isinstance(node, (str, int, float, bool)) or node is None:
        return repr(node)
    cls = type(node)
    fields = [f for f in getattr(cls, "__slots__", ()) if not f.endswith("span") and not f.startswith("__")]
    parts = [cls.__name__]
    for f in fields:
        value = getattr(node, f)
        if isinstance(node, A.FnDef) and f in ("receiver", "guard", "is_static", "is_private", "clauses", "kind"):
            default = {"receiver": None, "guard": None, "is_static": False, "is_private": False,
                       "clauses": (), "kind": "fn"}[f]
            if value == default:
                continue
        parts.append(dump(value))
    return "(" + " ".join(parts) + ")"
