"""Small builders for Python AST nodes and the pass that stamps Graphoid positions on them."""

from __future__ import annotations

import ast as py
from typing import Any

from graphoid.syntax.ast import Span

_LOAD = py.Load()
_STORE = py.Store()


def name(ident: str) -> py.Name:
    return py.Name(id=ident, ctx=_LOAD)


def store(ident: str) -> py.Name:
    return py.Name(id=ident, ctx=_STORE)


def const(value: Any) -> py.Constant:
    return py.Constant(value=value)


def call(func: str | py.expr, *args: py.expr, keywords: list[py.keyword] | None = None) -> py.Call:
    target = name(func) if isinstance(func, str) else func
    return py.Call(func=target, args=list(args), keywords=keywords or [])


def assign(target: str | py.expr, value: py.expr) -> py.Assign:
    node = store(target) if isinstance(target, str) else target
    return py.Assign(targets=[node], value=value)


def attr(obj: py.expr, attribute: str) -> py.Attribute:
    return py.Attribute(value=obj, attr=attribute, ctx=_LOAD)


def expr_stmt(value: py.expr) -> py.Expr:
    return py.Expr(value=value)


def tuple_(items: list[py.expr]) -> py.Tuple:
    return py.Tuple(elts=items, ctx=_LOAD)


def try_except(body: list[py.stmt], exc: py.expr, handler: list[py.stmt]) -> py.Try:
    return py.Try(
        body=body,
        handlers=[py.ExceptHandler(type=exc, name=None, body=handler)],
        orelse=[],
        finalbody=[],
    )


def if_(test: py.expr, body: list[py.stmt], orelse: list[py.stmt] | None = None) -> py.If:
    return py.If(test=test, body=body or [py.Pass()], orelse=orelse or [])


def not_(value: py.expr) -> py.UnaryOp:
    return py.UnaryOp(op=py.Not(), operand=value)


def to_bool(value: py.expr) -> py.UnaryOp:
    """`not not value`: truthiness as a bool without a call."""
    return not_(not_(value))


def is_simple(node: py.expr) -> bool:
    """A constant or a name: cheap to evaluate twice, no side effects beyond a lookup."""
    return isinstance(node, (py.Constant, py.Name)) or (
        isinstance(node, py.Attribute) and isinstance(node.value, py.Name) and node.value.id == "_rt_S"
    )


def is_pure(node: py.expr) -> bool:
    """Side-effect-free and deterministic (names, constants, raw arithmetic on them).

    Such an operand can be evaluated again in a fast path's fallback branch instead of being
    saved to a temporary first; if it raised inside the guarded region it raises again there.
    """
    if is_simple(node):
        return True
    if isinstance(node, py.BinOp):
        return is_pure(node.left) and is_pure(node.right)
    if isinstance(node, py.UnaryOp):
        return is_pure(node.operand)
    if isinstance(node, py.Compare):
        return is_pure(node.left) and all(is_pure(c) for c in node.comparators)
    return False


def stamp(node: py.AST, span: Span) -> None:
    """Give every unpositioned node under `node` the Graphoid span (stops at positioned ones)."""
    line = max(1, span.line)
    col = max(0, span.col - 1)
    end_line = max(line, span.end_line)
    end_col = max(0, span.end_col - 1)
    if end_line == line and end_col < col:
        end_col = col
    stack = [node]
    while stack:
        current = stack.pop()
        if "lineno" in current._attributes:
            if getattr(current, "lineno", None) is not None:
                continue
            current.lineno = line
            current.col_offset = col
            current.end_lineno = end_line
            current.end_col_offset = end_col
        stack.extend(py.iter_child_nodes(current))


def stamp_call_at(call: py.expr, span: Span, outer: Span) -> py.expr:
    """Position a call's own instruction at `span` (its operands at `outer`): a failing call
    then points at, say, the method name rather than the whole expression."""
    stamp(call, outer)
    call.lineno = max(1, span.line)
    call.col_offset = max(0, span.col - 1)
    call.end_lineno = max(call.lineno, span.end_line)
    call.end_col_offset = max(call.col_offset if call.end_lineno == call.lineno else 0, span.end_col - 1)
    return call


def dup(node: py.expr) -> py.expr:
    """A fresh copy of a pure node, so one AST node never sits in two places."""
    if isinstance(node, py.BinOp):
        return py.BinOp(left=dup(node.left), op=node.op, right=dup(node.right))
    if isinstance(node, py.UnaryOp):
        return py.UnaryOp(op=node.op, operand=dup(node.operand))
    if isinstance(node, py.Compare):
        return py.Compare(left=dup(node.left), ops=node.ops, comparators=[dup(c) for c in node.comparators])
    if isinstance(node, py.Name):
        return py.Name(id=node.id, ctx=node.ctx)
    if isinstance(node, py.Constant):
        return py.Constant(value=node.value)
    if isinstance(node, py.Attribute):
        return py.Attribute(value=dup(node.value), attr=node.attr, ctx=node.ctx)
    return node
