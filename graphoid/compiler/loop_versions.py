"""Loop versioning: a loop's invariant guards tested once, before it runs (issue 9).

Compiled code guards each fast form per operation: `g.add_node(a, b)` runs the direct builtin
under `g.__class__ is Graph and g._bx.ok`, `x % n` is raw under `type(n) is int and n > 0`. In a
loop those tests repeat on every pass although, for a variable the loop never assigns, their
answer cannot change, provided nothing in the loop can run user code (which could add methods,
rules or constraints, or rebind the variable from a closure). For such a *quiet* loop CodeGen
emits two copies chosen by one test before the loop: a fast copy compiled with the facts
(the graph's builtins are exact, the divisor is a positive int) whose guards are then dropped,
and the general copy, exactly the loop as compiled without versioning.

Quiet means: statements are assignments to plain names, expression statements, `if`, nested
`while`, `for` over a direct builtin or a list literal, `break`/`continue`/`return`, and
`xs.append!(v)`/`push!` on a fresh list (freshvars.py: never given rules or frozen);
expressions are constants, names, list and map literals, the operators of values/ops.py (none
of which calls user code: text formatting of a graph is its `<graph: ...>` form), and direct
builtin calls (values/direct_calls.py) on graph variables the loop never assigns. Any other
call, method call, index, property read, lambda or nested function makes the loop not quiet.

The test before the loop (CodeGen.version_test) requires each graph to be exactly a Graph with
no rules and not frozen (`_guarded` false: then no builtin runs a user rule) whose builtins are
exact (`_bx.ok`, else `_rt_exact_builtins(g)`, graphs/classes.py, refreshes `_bx` as
Graph.call would, so a graph made just before the loop qualifies), and each divisor to be an
int above zero; a variable not yet bound makes it false (the general copy then fails as before).
"""

from __future__ import annotations

from typing import Any, Collection

import attrs

from graphoid.compiler.inline_methods import INLINE_METHODS
from graphoid.compiler.scopes import NESTED_SCOPES, SIZE_METHODS, children, root_name
from graphoid.syntax import ast as g
from graphoid.values.direct_calls import GRAPH_DIRECT_ARITIES

# Loops larger than this (AST nodes, nested loops included) are not copied.
MAX_VERSIONED_NODES = 400
# Operators whose helpers and raw forms run no user code (values/ops.py, values/format.py).
_QUIET_BINARY = frozenset({"+", "-", "*", "/", "%", "//", "**", "<", "<=", ">", ">=", "==", "!=",
                           "&", "|", "^", "<<", ">>"})
_QUIET_UNARY = frozenset({"-", "not"})
_LEAVES = (g.Const, g.SymbolLit, g.RegexLit, g.Break, g.Continue)
_IN_PLACE_BANGS = frozenset({"append", "push"})


@attrs.define(frozen=True)
class LoopVersion:
    """The guards one loop tests before it runs: graph variables whose direct builtins run with
    no test, and divisor variables known to be positive ints."""

    graphs: tuple[str, ...]
    divisors: tuple[str, ...]

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.graphs) | frozenset(self.divisors)


class _Survey:
    """One walk over a loop: is it quiet, what it assigns, what it tests."""

    def __init__(self, fresh_lists: Collection[str]) -> None:
        self.fresh_lists = fresh_lists
        self.quiet = True
        self.size = 0
        self.assigned: set[str] = set()
        self.graphs: dict[str, None] = {}
        self.divisors: dict[str, None] = {}

    def walk(self, node: Any) -> None:
        stack = [node]
        while stack and self.quiet:
            current = stack.pop()
            if isinstance(current, tuple):
                stack.extend(reversed(current))
                continue
            self.size += 1
            if not self.visit(current):
                self.quiet = False
                return
            stack.extend(reversed(list(children(current))))

    def visit(self, node: Any) -> bool:
        """Record node; False when it may run user code."""
        if isinstance(node, _LEAVES + (g.Name, g.Block, g.ExprStmt, g.If, g.While, g.Logical, g.Ternary,
                                       g.ListLit, g.MapLit, g.Return)):
            return True
        if isinstance(node, g.For):
            # `_rt_iter` of a runtime type may block on another thread (a channel): only a
            # direct builtin's id list or a list literal is walked quietly
            self.assigned.add(node.var)
            return isinstance(node.iterable, (g.MethodCall, g.ListLit))
        if isinstance(node, g.Assign):
            if not isinstance(node.target, g.Name) or node.type_name is not None:
                return False
            self.assigned.add(node.target.id)
            return True
        if isinstance(node, g.Unary):
            return node.op in _QUIET_UNARY
        if isinstance(node, g.Binary):
            if node.op in ("%", "//") and isinstance(node.right, g.Name):
                self.divisors.setdefault(node.right.id, None)
            return node.op in _QUIET_BINARY
        if isinstance(node, g.MethodCall):
            return self.fresh_append(node) if node.bang else self.direct_builtin(node)
        if isinstance(node, g.Arg):
            return node.name is None
        return False

    def fresh_append(self, node: g.MethodCall) -> bool:
        """Is node `xs.append!(v)` (or `push!`) on a fresh list, which no rule can watch?"""
        receiver = node.receiver
        if (node.name not in _IN_PLACE_BANGS or not isinstance(receiver, g.Name)
                or receiver.id not in self.fresh_lists or len(node.args) != 1):
            return False
        self.assigned.add(receiver.id)
        return True

    def direct_builtin(self, node: g.MethodCall) -> bool:
        """Is node a call CodeGen.graph_builtin_call compiles, on a plain variable?"""
        if (node.bang or not isinstance(node.receiver, g.Name) or node.name in INLINE_METHODS
                or node.name in SIZE_METHODS or any(a.name is not None for a in node.args)
                or len(node.args) not in GRAPH_DIRECT_ARITIES.get(node.name, ())):
            return False
        self.graphs.setdefault(node.receiver.id, None)
        return True


def loop_version(loop: g.While | g.For, variables: Collection[str], settled: Collection[str],
                 fresh_lists: Collection[str] = ()) -> LoopVersion | None:
    """The guards worth hoisting out of `loop`, or None to compile it once as usual.

    variables: the function's own locals and parameters that no nested scope writes (the only
    ones whose value the loop alone decides); settled: names an enclosing versioned loop
    already tested (its fast copy knows them, its general copy knows they failed);
    fresh_lists: locals always holding a fresh list (freshvars.py)."""
    survey = _Survey(fresh_lists)
    survey.walk(loop)
    if not survey.quiet or survey.size > MAX_VERSIONED_NODES:
        return None

    def hoistable(name: str) -> bool:
        return name in variables and name not in survey.assigned and name not in settled

    graphs = tuple(name for name in survey.graphs if hoistable(name))
    if len(graphs) != len(survey.graphs):
        return None  # a direct call on a receiver the loop may change may run user code
    divisors = tuple(name for name in survey.divisors if hoistable(name))
    if not graphs and not divisors:
        return None
    return LoopVersion(graphs, divisors)


def closure_writes(body: Any) -> frozenset[str]:
    """Every name assigned (or `!`-updated) inside the nested scopes of a function body: a
    superset of the variables a closure may write."""
    names: set[str] = set()
    stack: list[tuple[Any, bool]] = [(body, False)]
    while stack:
        node, nested = stack.pop()
        if isinstance(node, tuple):
            stack.extend((item, nested) for item in node)
            continue
        nested = nested or isinstance(node, NESTED_SCOPES)
        if nested:
            place = node.target if isinstance(node, g.Assign) else (
                node.receiver if isinstance(node, g.MethodCall) and node.bang else None)
            name = root_name(place) if place is not None else None
            if name is not None:
                names.add(name)
        stack.extend((child, nested) for child in children(node))
    return frozenset(names)
