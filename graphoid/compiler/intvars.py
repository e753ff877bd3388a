"""Local int inference: variables whose every value is an int, known at compile time.

The arithmetic fast paths test their operands' types at run time (`type(i) is int and i >= 0`
before a raw `i % 7`, a `try` around `a + b`). Where a scope proves a variable always holds an
int (or a non-negative int), the compiler drops those tests (docs/design.md, "Compiler").

A variable is proven when every binding of it in its scope is a plain `name = value` whose value
is an int under the same assumptions (the greatest fixed point): int literals, proven variables,
`+ - *` of proven ints, `%` and `//` of a proven int by a positive int literal, the `length()` of
a variable proven to hold a list or map (compiler/freshvars.py). Nothing else may
write it: no nested function, method or task assigns the name (an assignment there could update
it), and any other binding (loop, catch, match, import, `!` call, element store) disqualifies it.
Reads before the first assignment cannot see another value: in a function they fail (unbound
local); at module level the first top-level statement mentioning the name must assign it, and the
module's own code must be closed (only assignments, loops, conditions and operators on names and
constants at top level), so no code of another compile unit runs while it executes.
"""

from __future__ import annotations

from typing import Any, Collection, Iterable, Mapping

from graphoid.compiler.scopes import NESTED_SCOPES, SIZE_METHODS, children, mentioned_names, pattern_names, root_name
from graphoid.syntax import ast as g

NON_NEGATIVE = "non-negative int"
INT = "int"
# Never inferred here: a loop's fast copy knows a divisor variable is an int above zero
# (compiler/loop_versions.py). It counts as NON_NEGATIVE, and as a divisor it cannot be zero.
POSITIVE = "positive int"

# What a closed module's top level may hold (outside nested functions).
_CLOSED_MODULE_NODES = (g.Assign, g.ExprStmt, g.While, g.If, g.Block, g.Break, g.Continue, g.Const,
                        g.Name, g.Binary, g.Unary, g.Logical, g.Ternary, g.FnDef)
_CLOSED_BINARY_OPS = frozenset({"+", "-", "*", "/", "%", "//", "<", "<=", ">", ">=", "==", "!="})


def expr_kind(node: Any, proven: Mapping[str, str], sized: Collection[str] = ()) -> str | None:
    """NON_NEGATIVE or INT when `node` always evaluates to such an int (given `proven`), else None.

    sized: variables always holding a list or map (freshvars.py), whose `length()` is an int.
    """
    if isinstance(node, g.MethodCall):
        receiver = node.receiver
        is_size = not node.bang and not node.args and node.name in SIZE_METHODS
        return NON_NEGATIVE if is_size and isinstance(receiver, g.Name) and receiver.id in sized else None
    if isinstance(node, g.Const):
        if type(node.value) is not int:
            return None
        return NON_NEGATIVE if node.value >= 0 else INT
    if isinstance(node, g.Name):
        return proven.get(node.id)
    if isinstance(node, g.Unary):
        return INT if node.op == "-" and expr_kind(node.operand, proven) is not None else None
    if not isinstance(node, g.Binary):
        return None
    left = expr_kind(node.left, proven)
    if left is None:
        return None
    if left is POSITIVE:
        left = NON_NEGATIVE
    if node.op in ("%", "//"):
        # Graphoid truncates toward zero: the result has the dividend's sign. A divisor that is
        # not a positive literal could be zero, and a lenient error mode then gives none.
        divisor = node.right
        positive = (isinstance(divisor, g.Const) and type(divisor.value) is int and divisor.value > 0) or (
            isinstance(divisor, g.Name) and proven.get(divisor.id) is POSITIVE)
        return left if positive else None
    if node.op not in ("+", "-", "*"):
        return None
    right = expr_kind(node.right, proven)
    if right is None:
        return None
    if node.op != "-" and left is NON_NEGATIVE and right in (NON_NEGATIVE, POSITIVE):
        return NON_NEGATIVE
    return INT


class Bindings:
    """Every binding of every name in one scope's body, and the names nested scopes assign."""

    def __init__(self) -> None:
        self.values: dict[str, list[Any]] = {}  # name -> values of its plain `name = value`s
        self.other: set[str] = set()  # names bound some other way
        self.nested_writes: set[str] = set()

    def scan(self, node: Any, nested: bool) -> None:
        stack = [(node, nested)]
        while stack:
            current, inside = stack.pop()
            if isinstance(current, tuple):
                stack.extend((item, inside) for item in current)
                continue
            if isinstance(current, NESTED_SCOPES):
                if not inside and isinstance(current, (g.FnDef, g.GraphDecl)):
                    if getattr(current, "receiver", None) is None:
                        self.other.add(current.name)
                inside = True
            self.record(current, inside)
            stack.extend((child, inside) for child in children(current))

    def record(self, node: Any, nested: bool) -> None:
        names: Iterable[str] = ()
        if isinstance(node, g.Assign):
            name = root_name(node.target)
            if name is not None and not nested and isinstance(node.target, g.Name):
                self.values.setdefault(name, []).append(node.value)
                return
            names = (name,) if name is not None else ()
        elif isinstance(node, g.MethodCall) and node.bang:
            name = root_name(node.receiver)
            names = (name,) if name is not None else ()
        elif nested:
            return  # a nested scope's own loop, catch and match variables are its own
        elif isinstance(node, g.For):
            names = (node.var,)
        elif isinstance(node, g.Catch) and node.var is not None:
            names = (node.var,)
        elif isinstance(node, (g.MatchArm, g.PatternClause)):
            names = pattern_names(node.pattern)
        elif isinstance(node, g.Import):
            names = [alias or name for name, alias in node.names or ()]
            if node.alias is not None:
                names.append(node.alias)
        (self.nested_writes if nested else self.other).update(names)


def proven_ints(body: Any, candidates: Iterable[str], sized: Collection[str] = ()) -> dict[str, str]:
    """The candidate variables of a scope whose every value is an int: name -> kind (sized: as
    for expr_kind)."""
    bindings = Bindings()
    bindings.scan(body, False)
    proven = {name: NON_NEGATIVE for name in candidates
              if name in bindings.values and name not in bindings.other and name not in bindings.nested_writes}
    changed = True
    while changed:
        changed = False
        for name in list(proven):
            kinds = [expr_kind(value, proven, sized) for value in bindings.values[name]]
            kind = None if None in kinds else (NON_NEGATIVE if all(k is NON_NEGATIVE for k in kinds) else INT)
            if kind != proven[name]:
                changed = True
                if kind is None:
                    del proven[name]
                else:
                    proven[name] = kind
    return proven


def module_candidates(body: tuple[Any, ...]) -> set[str]:
    """Module variables that may be proven: none unless the top level is closed; then those
    whose first mention at top level is a statement assigning them without reading them."""
    if not _closed(body):
        return set()
    mentioned: set[str] = set()
    candidates: set[str] = set()
    for stmt in body:
        names = set(mentioned_names(stmt))
        if isinstance(stmt, g.Assign) and isinstance(stmt.target, g.Name):
            name = stmt.target.id
            if name not in mentioned and name not in mentioned_names(stmt.value):
                candidates.add(name)
        mentioned |= names
    return candidates


def _closed(body: tuple[Any, ...]) -> bool:
    """Does the module's own code (nested functions aside) run nothing but operators?"""
    stack: list[Any] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, tuple):
            stack.extend(node)
            continue
        if not isinstance(node, _CLOSED_MODULE_NODES):
            return False
        if isinstance(node, g.FnDef):
            if node.receiver is not None:
                return False
            continue
        if isinstance(node, g.Assign) and not isinstance(node.target, g.Name):
            return False
        if isinstance(node, g.Binary) and node.op not in _CLOSED_BINARY_OPS:
            return False
        if isinstance(node, g.Unary) and node.op not in ("-", "not"):
            return False
        stack.extend(children(node))
    return True

