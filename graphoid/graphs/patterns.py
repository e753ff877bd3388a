"""Graph pattern queries: pattern objects, pattern literals, the matcher and its results.

`g.match(node("a"), edge(type: "T"), node("b"), ...)` and the literal `pattern { a -> b [T] }`
both become a `Pattern`: variables in order of first appearance plus clauses
`(src, dst, direction, edge_type, min, max)`. The matcher binds every variable to a distinct
data node such that every clause holds (an edge, or for `min`/`max` a walk of that many edges
of the type) and returns bindings sorted by their node ids taken in variable order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

import attrs

from graphoid.errors import GraphoidError
from graphoid.graphs.graph import entry_type
from graphoid.values.types import GList, GMap, Symbol
from graphoid.values.format import describe
from graphoid.values.limits import metered

if TYPE_CHECKING:
    from graphoid.graphs.graph import Graph

_DIRECTIONS = {
    "outgoing": "->",
    "out": "->",
    "->": "->",
    "incoming": "<-",
    "in": "<-",
    "<-": "<-",
    "both": "-",
    "either": "-",
    "any": "-",
    "-": "-",
}
_HIDDEN_PREFIX = "__anon"


def _name(value: Any) -> Any:
    return value.name if isinstance(value, Symbol) else value


def _direction(value: Any) -> str:
    key = _name(value) if value is not None else "outgoing"
    if key.__class__ is not str or key not in _DIRECTIONS:
        raise GraphoidError("ValueError", f"Unknown edge direction '{describe(key)}' (:outgoing, :incoming or :both)")
    return _DIRECTIONS[key]


# The Graphoid-visible `.direction` of an edge/path pattern, by clause arrow.
_DIRECTION_SYMBOLS = {"->": Symbol("outgoing"), "<-": Symbol("incoming"), "-": Symbol("both")}


def _bound(value: Any, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or value != int(value):
        raise GraphoidError("ValueError", f"path {what} must be a non-negative whole number")
    return int(value)


class _PatternValue:
    """Shared plumbing: attribute-style reads and method calls from Graphoid code."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def get_property(self, name: str, default: Any = None) -> Any:
        if name in self._fields:
            return getattr(self, name)
        return default

    def get_member(self, name: str) -> Any:
        """`p.variable`, `e.direction`, ... from Graphoid code."""
        if name in self._fields:
            return getattr(self, name)
        raise GraphoidError("RuntimeError", f"{self.gd_type_name} has no field '{name}'")  # type: ignore[attr-defined]

    def call(self, name: str, args: tuple = (), kwargs: dict | None = None) -> Any:
        # fields double as zero-argument methods, except `type()`: that is the value's type
        if name in self._fields and name != "type" and not args and not kwargs:
            return getattr(self, name)
        if name == "bind" and hasattr(self, "bind"):
            return self.bind(*args)  # type: ignore[attr-defined]
        try:
            from graphoid.values.methods.registry import find_method
        except ImportError:
            find_method = None  # type: ignore[assignment]
        fn = find_method(self, name) if find_method is not None else None
        if fn is None:
            raise GraphoidError("RuntimeError", f"Unknown method '{name}' on {self.gd_type_name}")  # type: ignore[attr-defined]
        return fn(self, *args, **(kwargs or {}))


class NodePattern(_PatternValue):
    """`node(var?, type: T)`."""

    gd_type_name = "pattern_node"
    __slots__ = ("variable", "type")
    _fields = ("variable", "type")

    def __init__(self, variable: Any = None, type: Any = None) -> None:
        if variable is not None and not isinstance(variable, str):
            raise GraphoidError("TypeError", "node() variable must be a string")
        self.variable = variable
        self.type = _name(type)

    def bind(self, name: Any) -> "NodePattern":
        return NodePattern(name, self.type)

    def display(self) -> str:
        parts = [f'"{self.variable}"'] if self.variable else []
        if self.type:
            parts.append(f"type: {self.type}")
        return f"node({', '.join(parts)})"


class _EdgeLike(_PatternValue):
    """Shared fields of edge and path patterns: `type` aliases edge_type; `direction` a symbol."""

    __slots__ = ()

    @property
    def type(self) -> Any:
        return self.edge_type

    @property
    def direction(self) -> Symbol:
        return _DIRECTION_SYMBOLS[self.arrow]


class EdgePattern(_EdgeLike):
    """`edge(type: T, direction: :outgoing | :incoming | :both)`."""

    gd_type_name = "pattern_edge"
    # `arrow` is the clause form ("->", "<-", "-"); `.direction` shows it as a symbol.
    __slots__ = ("edge_type", "arrow")
    _fields = ("edge_type", "direction", "type")

    def __init__(self, type: Any = None, direction: Any = None, edge_type: Any = None) -> None:
        self.edge_type = _name(edge_type if edge_type is not None else type)
        self.arrow = _direction(direction)

    def display(self) -> str:
        return f"edge(type: {self.edge_type}, direction: :{self.direction.name})"


class PathPattern(_EdgeLike):
    """`path(type:/edge_type: T, min: 1, max: 3, direction: ...)`: a walk of min..max edges."""

    gd_type_name = "pattern_path"
    __slots__ = ("edge_type", "min", "max", "arrow")
    _fields = ("edge_type", "min", "max", "direction", "type")

    def __init__(
        self, type: Any = None, min: Any = 1, max: Any = None, direction: Any = None, edge_type: Any = None
    ) -> None:
        self.edge_type = _name(edge_type if edge_type is not None else type)
        self.min = _bound(min, "min") if min is not None else 1
        self.max = _bound(max, "max")
        if self.max is not None and self.max < self.min:
            raise GraphoidError("ValueError", "path max must be at least min")
        self.arrow = _direction(direction)

    def display(self) -> str:
        return (f"path(type: {self.edge_type}, min: {self.min}, max: {self.max}, "
                f"direction: :{self.direction.name})")


@attrs.frozen
class Clause:
    """One relationship: src -> dst ("->"), dst -> src ("<-") or either ("-")."""

    src: str
    dst: str | None
    direction: str = "->"
    edge_type: str | None = None
    min: int | None = None
    max: int | None = None

    @property
    def is_path(self) -> bool:
        return self.min is not None or self.max is not None


class Pattern(_PatternValue):
    """A compiled pattern (the value of `pattern { ... }`): variables, clauses, node types."""

    gd_type_name = "pattern"
    __slots__ = ("clauses", "variables", "node_types")
    _fields = ("variables",)

    def __init__(self, clauses: Iterable[Clause], node_types: dict[str, str] | None = None) -> None:
        self.clauses: tuple[Clause, ...] = tuple(clauses)
        order: list[str] = []
        for clause in self.clauses:
            for var in (clause.src, clause.dst):
                if var is not None and var not in order:
                    order.append(var)
        self.variables = GList(order)
        self.node_types = dict(node_types or {})

    def visible(self) -> list[str]:
        return [var for var in self.variables if not var.startswith(_HIDDEN_PREFIX)]

    def display(self) -> str:
        parts = []
        for c in self.clauses:
            if c.dst is None:
                parts.append(c.src)
                continue
            label = c.edge_type or ""
            if c.is_path:
                label += f"*{c.min if c.min is not None else 1}..{c.max if c.max is not None else ''}"
            parts.append(f"{c.src} {c.direction} {c.dst}" + (f" [{label}]" if label else ""))
        return "pattern { " + ", ".join(parts) + " }"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pattern) and (self.clauses, self.node_types) == (other.clauses, other.node_types)

    __hash__ = None  # type: ignore[assignment]


def make_pattern(clauses: Iterable[tuple]) -> Pattern:
    """Build the pattern-literal value from `(src, dst, direction, edge_type, min, max)` tuples."""
    built = []
    for raw in clauses:
        src, dst, direction, edge_type, low, high = raw
        if direction not in ("->", "<-", "-"):
            raise GraphoidError("ValueError", f"Unknown pattern direction '{describe(direction)}'")
        if (low is not None or high is not None) and low is None:
            low = 1
        built.append(Clause(src, dst, direction, edge_type, low, high))
    return Pattern(built)


def pattern_from_items(items: Iterable[Any]) -> Pattern:
    """`node, edge|path, node, ...` (the g.match argument form) as a Pattern."""
    seq = list(items)
    if len(seq) == 1 and isinstance(seq[0], Pattern):
        return seq[0]
    if len(seq) == 1 and isinstance(seq[0], list):
        seq = list(seq[0])
    if not seq or len(seq) % 2 == 0:
        raise GraphoidError("ValueError", "match() takes node(...) patterns separated by edge(...) or path(...)")
    node_types: dict[str, str] = {}
    names: list[str] = []
    for index, item in enumerate(seq[::2]):
        if not isinstance(item, NodePattern):
            raise GraphoidError("TypeError", f"match() argument {2 * index + 1} must be a node(...) pattern")
        var = item.variable or f"{_HIDDEN_PREFIX}{index}"
        if item.type is not None:
            node_types[var] = item.type
        names.append(var)
    clauses = []
    for index, link in enumerate(seq[1::2]):
        src, dst = names[index], names[index + 1]
        if isinstance(link, EdgePattern):
            clauses.append(Clause(src, dst, link.arrow, link.edge_type))
        elif isinstance(link, PathPattern):
            clauses.append(Clause(src, dst, link.arrow, link.edge_type, link.min, link.max))
        else:
            raise GraphoidError("TypeError", f"match() argument {2 * index + 2} must be edge(...) or path(...)")
    if len(names) == 1:
        clauses.append(Clause(names[0], None))
    return Pattern(clauses, node_types)


# ---------------------------------------------------------------------------- matching


def _step(graph: "Graph", node: str, direction: str, edge_type: str | None) -> Iterator[str]:
    """Neighbours of `node` one edge away in `direction` (relative to the clause's src)."""
    if direction != "<-":
        for nbr, edge in graph._out[node].items():
            if edge_type is None or entry_type(edge) == edge_type:
                yield nbr
    if direction != "->" and graph.directed:
        for nbr, edge in graph.in_map()[node].items():
            if edge_type is None or entry_type(edge) == edge_type:
                yield nbr


def _reach(graph: "Graph", start: str, clause: Clause, forward: bool) -> set[str]:
    """Nodes that `clause` can bind at its other end when one end is `start`."""
    direction = clause.direction
    if not forward and direction != "-":
        direction = "<-" if direction == "->" else "->"
    internal = graph._internal_ids
    if not clause.is_path:
        return {n for n in _step(graph, start, direction, clause.edge_type) if n not in internal}
    low = clause.min if clause.min is not None else 1
    high = clause.max if clause.max is not None else len(graph._nodes)
    found: set[str] = {start} if low == 0 else set()
    frontier = {start}
    seen_at: set[tuple[str, int]] = set()
    for depth in range(1, high + 1):
        nxt: set[str] = set()
        for node in frontier:
            for nbr in _step(graph, node, direction, clause.edge_type):
                if nbr in internal or (nbr, depth) in seen_at:
                    continue
                seen_at.add((nbr, depth))
                nxt.add(nbr)
        if depth >= low:
            found |= nxt
        if not nxt:
            break
        frontier = nxt
    return found


def find_matches(graph: "Graph", pattern: Pattern) -> list[GMap]:
    """Every binding of the pattern's variables to distinct data nodes, sorted."""
    variables = list(pattern.variables)
    if not variables:
        return []
    links: dict[str, list[tuple[Clause, str, bool]]] = {var: [] for var in variables}
    for clause in pattern.clauses:
        if clause.dst is None:
            continue
        links[clause.dst].append((clause, clause.src, True))
        if clause.src != clause.dst:
            links[clause.src].append((clause, clause.dst, False))
    all_nodes = graph.node_ids()
    types = pattern.node_types
    visible = pattern.visible()
    results: dict[tuple, GMap] = {}
    binding: dict[str, str] = {}
    used: set[str] = set()

    def type_ok(var: str, node: str) -> bool:
        wanted = types.get(var)
        if wanted is None:
            return True
        actual = graph.node_type(node)
        if actual is None:
            value = graph._nodes.get(node)
            type_of = getattr(value, "type_of", None)
            actual = type_of() if callable(type_of) else None
        return actual == wanted

    def self_loops_ok(var: str, node: str) -> bool:
        for clause, other, _ in links[var]:
            if other == var and node not in _reach(graph, node, clause, True):
                return False
        return True

    def extend(index: int) -> None:
        if index == len(variables):
            key = tuple(binding[var] for var in visible)
            if key not in results:
                results[key] = GMap((var, binding[var]) for var in visible)
            return
        var = variables[index]
        candidates: set[str] | None = None
        for clause, other, forward in links[var]:
            if other in binding and other != var:
                reach = _reach(graph, binding[other], clause, forward)
                candidates = reach if candidates is None else candidates & reach
        pool: Iterable[str] = all_nodes if candidates is None else sorted(candidates)
        # Backtracking is exponential in the worst case: each candidate tried is a budget step.
        for node in metered(pool):
            if node in used or not type_ok(var, node) or not self_loops_ok(var, node):
                continue
            binding[var] = node
            used.add(node)
            extend(index + 1)
            used.discard(node)
            del binding[var]

    extend(0)
    return [results[key] for key in sorted(results)]


def match_graph(graph: "Graph", items: Iterable[Any]) -> "MatchResults":
    pattern = pattern_from_items(items)
    return MatchResults(graph, find_matches(graph, pattern), pattern.visible())


# ---------------------------------------------------------------------------- results


def _field(value: Any, prop: str) -> Any:
    if isinstance(value, dict):
        return value.get(prop)
    getter = getattr(value, "get_property", None)
    if callable(getter):
        return getter(prop)
    return None


class MatchResults(_PatternValue):
    """The bindings of a match: maps from variable name to node id, in a deterministic order."""

    gd_type_name = "pattern_match_results"
    __slots__ = ("graph", "bindings", "variables")
    _fields = ()

    def __init__(self, graph: "Graph", bindings: list[GMap], variables: list[str]) -> None:
        self.graph = graph
        self.bindings = bindings
        self.variables = variables

    def __len__(self) -> int:
        return len(self.bindings)

    def __iter__(self) -> Iterator[GMap]:
        return iter(self.bindings)

    def gd_iter(self) -> list[GMap]:
        """`for binding in results` in Graphoid."""
        return list(self.bindings)

    def __getitem__(self, index: int) -> GMap:
        return self.bindings[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, MatchResults):
            return self.bindings == other.bindings
        if isinstance(other, list):
            return self.bindings == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def display(self) -> str:
        from graphoid.values.format import display

        return display(GList(self.bindings))

    def where(self, predicate: Callable[[GMap], Any]) -> "MatchResults":
        """Keep the bindings for which `predicate(binding_map)` is truthy."""
        if not callable(predicate):
            raise GraphoidError("TypeError", "where() expects a function of the binding map")
        kept = [b for b in metered(self.bindings) if (lambda r: r is not None and r is not False)(predicate(b))]
        return type(self)(self.graph, kept, self.variables)

    def node_value(self, node_id: str) -> Any:
        """The value of a bound node (for `return(["a.prop"])`)."""
        return self.graph._nodes.get(node_id)

    def project(self, specs: Any) -> GList:
        """`return([...])`: per binding a map of "var" -> id and "var.prop" -> node field."""
        wanted = [specs] if isinstance(specs, str) else list(specs)
        rows = GList()
        for binding in self.bindings:
            row = GMap()
            for spec in wanted:
                if not isinstance(spec, str):
                    raise GraphoidError("TypeError", "return() takes variable names like \"a\" or \"a.name\"")
                var, _, prop = spec.partition(".")
                if var not in binding:
                    raise GraphoidError("KeyError", f"Unknown pattern variable '{var}'")
                row[spec] = _field(self.node_value(binding[var]), prop) if prop else binding[var]
            rows.append(row)
        return rows

    def call(self, name: str, args: tuple = (), kwargs: dict | None = None) -> Any:
        method = _RESULT_METHODS.get(name)
        if method is None:
            return super().call(name, args, kwargs)
        return method(self, *args, **(kwargs or {}))


_RESULT_METHODS: dict[str, Callable[..., Any]] = {
    "len": lambda r: len(r.bindings),
    "length": lambda r: len(r.bindings),
    "count": lambda r: len(r.bindings),
    "size": lambda r: len(r.bindings),
    "is_empty": lambda r: not r.bindings,
    "where": lambda r, pred: r.where(pred),
    "filter": lambda r, pred: r.where(pred),
    "return": lambda r, specs: r.project(specs),
    "select": lambda r, specs: r.project(specs),
    "first": lambda r: r.bindings[0] if r.bindings else None,
    "to_list": lambda r: GList(r.bindings),
    "bindings": lambda r: GList(r.bindings),
    "variables": lambda r: GList(r.variables),
}


# ---------------------------------------------------------------------------- builtins


def node(variable: Any = None, type: Any = None) -> NodePattern:
    return NodePattern(variable, type)


def edge(type: Any = None, direction: Any = None, edge_type: Any = None) -> EdgePattern:
    return EdgePattern(type, direction, edge_type)


def path(type: Any = None, min: Any = 1, max: Any = None, direction: Any = None, edge_type: Any = None) -> PathPattern:
    return PathPattern(type, min, max, direction, edge_type)


node._gd_name = "node"  # type: ignore[attr-defined]
node._gd_params = ("variable", "type")  # type: ignore[attr-defined]
edge._gd_name = "edge"  # type: ignore[attr-defined]
edge._gd_params = ("type", "direction")  # type: ignore[attr-defined]
path._gd_name = "path"  # type: ignore[attr-defined]
path._gd_params = ("type", "min", "max", "direction")  # type: ignore[attr-defined]
