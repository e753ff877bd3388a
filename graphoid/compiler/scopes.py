"""Scope analysis: which names a function body binds, and where each binding lives.

Graphoid blocks do not open scopes; functions (named, anonymous, lambdas, methods) do. A name a
function assigns is a Python local unless an enclosing function binds it (then `nonlocal`) or
the top level binds it (then `global`): assignment updates the visible variable, as lexical
closures do. Inside graph methods a declared property of the graph wins over globals.
"""

from __future__ import annotations

from typing import Any, Iterator

import attrs

from graphoid.syntax import ast as g

# Node types whose bodies are separate scopes (not searched for bindings of the current one);
# a `spawn { }` body is a task's function.
_FUNCTION_NODES = (g.Lambda, g.SpawnBlock)
# Nodes whose bodies are scopes of their own (the analyses of one function body skip them).
NESTED_SCOPES = (g.Lambda, g.SpawnBlock, g.FnDef, g.GraphDecl)
# Zero-argument builtin methods that are len() on strings, lists and maps (values/methods/*.py).
SIZE_METHODS = frozenset({"length", "len", "size"})


@attrs.define(slots=True)
class MethodContext:
    """What a graph method body knows about its receiver."""

    self_name: str
    props: frozenset[str]
    methods: frozenset[str]
    dynamic: bool  # properties not all known statically (inheritance, `fn g.m()`)
    template_temp: str | None  # the Python temp holding the defining template (for super)


@attrs.define(slots=True, eq=False)
class LoopMethods:
    """One loop's bound methods: the fresh locals it never rebinds, (local, method) -> temporary."""

    stable: frozenset[str]
    temps: dict[tuple[str, str], str] = attrs.field(factory=dict)


@attrs.define(slots=True, eq=False)
class Scope:
    """One Python scope the compiler emits: the module or a function."""

    kind: str  # "module" | "function"
    parent: "Scope | None"
    params: set[str] = attrs.field(factory=set)
    locals: set[str] = attrs.field(factory=set)  # Graphoid names that are Python locals here
    nonlocals: set[str] = attrs.field(factory=set)
    globals: set[str] = attrs.field(factory=set)
    props: set[str] = attrs.field(factory=set)  # names written as implicit-self properties
    dynamic_locals: set[str] = attrs.field(factory=set)  # locals that may be self properties
    dyn_flags: dict[str, str] = attrs.field(factory=dict)  # dynamic local -> per-call flag temp
    method: MethodContext | None = None
    loop_depth: int = 0
    block_self: bool = False  # a block passed to a method: unknown bare calls go to its receiver
    fn_defs: set[str] = attrs.field(factory=set)  # names defined by `fn` so far (overloads)
    # A graph method whose receiver parameter is never rebound: implicit-self reads and writes
    # may touch the receiver's property store directly (`self._props`, `self._pw`).
    self_direct: bool = False
    # While the fast body of a leaf method is compiled (CodeGen.view_body): the local holding
    # the receiver's classes.PropertyView, written without a check (the body proved it may).
    prop_view: str | None = None
    ints: dict[str, str] = attrs.field(factory=dict)  # variables proven ints here -> kind (intvars.py)
    plain_lists: frozenset[str] = frozenset()  # locals that may hold a plain list (plain_lists.py)
    fresh: dict[str, str] = attrs.field(factory=dict)  # variables proven fresh lists/maps (freshvars.py)
    moves: dict[int, str] = attrs.field(factory=dict)  # statement id -> MOVE_OUT / STORE_BACK (freshvars.py)
    # Between an OWNED_MOVE_OUT and its store-back: the moved local -> the flag saying its map
    # passed the plain-and-unique test at the move (freshvars.py).
    owned_moves: dict[str, str] = attrs.field(factory=dict)
    # id(loop) -> locals only that loop's `append!` statements touch (loop_appends.py), and while
    # a loop body is compiled, each such local -> the flag saying its list is known unique.
    owned_appends: dict[int, frozenset[str]] = attrs.field(factory=dict)
    append_flags: dict[str, str] = attrs.field(factory=dict)
    # While loop bodies are compiled: per enclosing loop (outermost first), the fresh locals it
    # never rebinds and their methods bound once per run of it (loop_methods.py).
    loop_methods: list["LoopMethods"] = attrs.field(factory=list)
    # Loop versioning (loop_versions.py): names any nested scope assigns (never hoisted), the
    # names an enclosing versioned loop tested already, and, in its fast copy, the graph
    # variables whose direct builtins run with no test.
    closure_writes: frozenset[str] = frozenset()
    settled: frozenset[str] = frozenset()
    exact_graphs: frozenset[str] = frozenset()
    # Locals always holding a str where they are read (textvars.py), and, while the body of a
    # loop over the ids a direct builtin returns is compiled, its loop variable.
    texts: frozenset[str] = frozenset()
    # Names nested functions, lambdas, tasks or graphs of this function mention (nested_mentions):
    # only these of its locals can change while a call made by its own code runs.
    captured: frozenset[str] = frozenset()
    # Names that are operands of numeric operators here (numeric_operands): a text `+` tests
    # such a variable for an int (formatted in place) before a str.
    numeric: frozenset[str] = frozenset()

    def module_scope(self) -> "Scope":
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope

    def binds_in_enclosing_function(self, name: str) -> bool:
        scope = self.parent
        while scope is not None and scope.kind == "function":
            if name in scope.locals or name in scope.nonlocals:
                return True
            scope = scope.parent
        return False

    def is_global(self, name: str) -> bool:
        scope = self.parent
        while scope is not None and scope.kind == "function":
            if name in scope.globals:
                return True
            scope = scope.parent
        return name in self.module_scope().locals

    def private_local(self, name: str) -> bool:
        """Is `name` a plain local of this function that no other code can rebind (no nested
        scope mentions it, and it is no property of a method's receiver)?"""
        return (self.kind == "function" and name in self.locals and name not in self.captured
                and name not in self.nonlocals and name not in self.globals and name not in self.props
                and name not in self.dynamic_locals)

    def is_variable(self, name: str) -> bool:
        """Statically known as a variable visible here (not counting builtins)."""
        if self.kind == "module":
            return name in self.locals
        if name in self.locals or name in self.nonlocals or name in self.globals:
            return True
        return self.binds_in_enclosing_function(name) or self.is_global(name)


def children(node: Any) -> Iterator[Any]:
    """The direct child nodes of an AST node (through tuples)."""
    for name in g.fields(type(node)):
        if name == "span":
            continue
        yield from _flatten(getattr(node, name))


def _flatten(value: Any) -> Iterator[Any]:
    if isinstance(value, tuple):
        for item in value:
            yield from _flatten(item)
    elif g.is_node(value) and not isinstance(value, g.Span):
        yield value


def pattern_names(pattern: Any) -> list[str]:
    """Names a match pattern binds, left to right."""
    if isinstance(pattern, g.PBind):
        return [] if pattern.name == "_" else [pattern.name]
    if isinstance(pattern, g.PList):
        names = [n for item in pattern.items for n in pattern_names(item)]
        if pattern.rest is not None and pattern.rest != "_":
            names.append(pattern.rest)
        return names
    return []


def root_name(target: Any) -> str | None:
    """The variable at the root of an Index/Attr chain (`a` in `a.b[0]`), if any."""
    while isinstance(target, (g.Index, g.Attr)):
        target = target.obj
    return target.id if isinstance(target, g.Name) else None


def bound_names(body: Any, updates_only: bool = False) -> list[str]:
    """Names the statements of one scope bind, in first-binding order (nested scopes excluded).

    With updates_only, just the names written by `=`, `!` methods and index/property
    assignment: only those may update a variable of an enclosing scope. Loop, catch and match
    variables, `fn` and `graph` names always define a name of their own scope.
    """
    found: dict[str, None] = {}
    stack = [body] if not isinstance(body, tuple) else list(reversed(body))
    while stack:
        node = stack.pop()
        if isinstance(node, tuple):
            stack.extend(reversed(node))
            continue
        if isinstance(node, _FUNCTION_NODES):
            # Parameter defaults run inside the function, so nothing here binds outside.
            continue
        if isinstance(node, g.FnDef):
            if node.receiver is None and not updates_only:
                found.setdefault(node.name, None)
            continue
        if isinstance(node, g.GraphDecl):
            if not updates_only:
                found.setdefault(node.name, None)
            for entry in node.entries:
                if isinstance(entry, g.PropertyDecl):
                    stack.append(entry.value)
            for part in (node.graph_type, node.parent):
                if part is not None:
                    stack.append(part)
            continue
        if isinstance(node, g.Assign):
            name = root_name(node.target)
            if name is not None:
                found.setdefault(name, None)
        elif isinstance(node, g.MethodCall) and node.bang:
            name = root_name(node.receiver)
            if name is not None:
                found.setdefault(name, None)
        elif updates_only:
            pass  # only assignments and bang calls update a name; the kinds below bind new ones
        elif isinstance(node, g.For):
            found.setdefault(node.var, None)
        elif isinstance(node, g.Catch) and node.var is not None:
            found.setdefault(node.var, None)
        elif isinstance(node, (g.MatchArm, g.PatternClause)):
            for name in pattern_names(node.pattern):
                found.setdefault(name, None)
        elif isinstance(node, g.Import):
            if node.names is not None:
                for name, alias in node.names:
                    found.setdefault(alias or name, None)
            elif node.alias is not None:
                found.setdefault(node.alias, None)
        stack.extend(reversed(list(children(node))))
    return list(found)


def mentioned_names(body: Any) -> list[str]:
    """Every bare name read or written anywhere in `body`, nested functions included, in
    first-mention order (what a `spawn { }` task may need a copy of)."""
    found: dict[str, None] = {}
    stack = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, tuple):
            stack.extend(reversed(node))
            continue
        if isinstance(node, g.Name):
            found.setdefault(node.id, None)
        stack.extend(reversed(list(children(node))))
    return list(found)


def scope_nodes(region: Any) -> Iterator[Any]:
    """Every node of `region` (a node or a tuple of them) that belongs to its own scope, plus
    the functions, lambdas, tasks and graphs nested in it, whose insides are not walked."""
    stack = [region]
    while stack:
        node = stack.pop()
        if isinstance(node, tuple):
            stack.extend(node)
            continue
        yield node
        if not isinstance(node, NESTED_SCOPES):
            stack.extend(children(node))


def nested_mentions(region: Any) -> frozenset[str]:
    """The names that a function, lambda, task or graph nested in `region` mentions: the
    variables of the region's function that code outside its own body could rebind."""
    found: set[str] = set()
    for node in scope_nodes(region):
        if isinstance(node, NESTED_SCOPES):
            found.update(mentioned_names(node))
    return frozenset(found)


# Operators only numbers take: a variable that is an operand of one most likely holds a number.
_NUMERIC_OPERATORS = frozenset({"-", "*", "/", "%", "//", "**"})


def numeric_operands(region: Any) -> frozenset[str]:
    """The names that are direct operands of `- * / % // **` in `region` (nested scopes
    excluded): only a hint of what a variable most likely holds, never a proof."""
    found: set[str] = set()
    for node in scope_nodes(region):
        if isinstance(node, g.Binary) and node.op in _NUMERIC_OPERATORS:
            found.update(side.id for side in (node.left, node.right) if isinstance(side, g.Name))
        elif isinstance(node, g.Unary) and node.op == "-" and isinstance(node.operand, g.Name):
            found.add(node.operand.id)
    return frozenset(found)


def has_open_configure(body: Any) -> bool:
    """Does this scope hold a `configure { ... }` without a body (settings that stay in force)?"""
    stack = list(body) if isinstance(body, tuple) else [body]
    while stack:
        node = stack.pop()
        if isinstance(node, tuple):
            stack.extend(node)
            continue
        if isinstance(node, (g.Lambda, g.FnDef, g.GraphDecl)):
            continue
        if isinstance(node, g.Configure) and node.body is None:
            return True
        stack.extend(children(node))
    return False
