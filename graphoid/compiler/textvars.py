"""Local text inference: variables whose every value is a string, known at compile time.

A string `+` chain with a string literal on one side of each `+` (`"n" + i`) always gives a str
(CodeGen.text_concat joins the operands' texts with str `+`). A function's local whose every
binding is a plain `name = value` with such a value (or a string literal), with no declared
type, no other kind of binding and no nested scope assigning it, holds a str whenever a read of
it succeeds (a read before the first assignment fails). Call sites that test an argument for a
string (`g.get_node(id)` reading `_nodes` inline, inline_methods.GRAPH_INLINE) skip the test.
"""

from __future__ import annotations

from typing import Any, Iterable

from graphoid.compiler.intvars import Bindings
from graphoid.compiler.scopes import children
from graphoid.syntax import ast as g


def is_text(node: Any) -> bool:
    """Is node statically a string: a string literal, or a `+` with one?"""
    if isinstance(node, g.Const):
        return type(node.value) is str
    return isinstance(node, g.Binary) and node.op == "+" and (is_text(node.left) or is_text(node.right))


def proven_texts(body: Any, candidates: Iterable[str]) -> frozenset[str]:
    """The candidate variables of a function body whose every value is a str."""
    bindings = Bindings()
    bindings.scan(body, False)
    typed = _typed_assignments(body)
    return frozenset(name for name in candidates
                     if name in bindings.values and name not in bindings.other
                     and name not in bindings.nested_writes and name not in typed
                     and all(is_text(value) for value in bindings.values[name]))


def _typed_assignments(body: Any) -> set[str]:
    """Names assigned with a declared type (`bignum x = v` converts the value)."""
    names: set[str] = set()
    stack = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, tuple):
            stack.extend(node)
            continue
        if isinstance(node, g.Assign) and node.type_name is not None and isinstance(node.target, g.Name):
            names.add(node.target.id)
        stack.extend(children(node))
    return names
