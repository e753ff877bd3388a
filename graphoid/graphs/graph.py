"""The Graphoid graph value: a data layer over adjacency dicts plus four further layers.

Data layer: `_nodes` (id -> value, insertion ordered), `_out`/`_in` (id -> {neighbour -> entry});
undirected graphs store each edge under both endpoints and share one dict for `_out` and `_in`.
A directed graph builds `_in` on first use (`in_map`); until then it logs its edges in order.
An adjacency entry is an `Edge`, or, for a plain edge of a directed graph (no weight, no
properties), just its type name (a str): see "Adjacency entries" below. Readers go through
`entry_type`/`entry_weight`/`entry_props`/`entry_edge`, never through attributes of an entry.
Adding a node or an edge is O(1); neighbour lookups are O(degree). Properties of class-like
graphs live in `_props` (shown as `__properties__/<name>` by `nodes(:all)`).

Graphs are reference values: mutators change the receiver in place (the reference rebinds the
receiver variable to a modified copy instead; see docs/graphs.md).
"""

from __future__ import annotations

from typing import Any, Iterator

from graphoid.errors import GraphoidError
from graphoid.values.format import equals as value_equals
from graphoid.graphs.classes import DENIED, PROPS_REPLACED, ClassLikeMixin
from graphoid.values.format import describe
from graphoid.values.format import type_name
from graphoid.graphs.layers import (  # is_internal is re-exported for callers
    BehaviorLayer,
    BoundaryLayer,
    ControlLayer,
    MetadataLayer,
    is_internal,
)
from graphoid.values.types import GList, GMap, Symbol

__all__ = [
    "DEFAULT_EDGE_TYPE",
    "GRAPH_TYPES",
    "Edge",
    "Graph",
    "deep_copy_value",
    "edge_entry",
    "entry_edge",
    "entry_props",
    "entry_type",
    "entry_weight",
    "is_internal",
    "new_graph",
]

GRAPH_TYPES = ("directed", "undirected", "dag", "tree")
DEFAULT_EDGE_TYPE = "edge"


class Edge:
    """One edge; undirected graphs share a single Edge between both endpoints."""

    __slots__ = ("src", "dst", "type", "weight", "props")

    def __init__(self, src: str, dst: str, edge_type: str, weight: Any = None, props: Any = None) -> None:
        self.src = src
        self.dst = dst
        self.type = edge_type
        self.weight = weight
        self.props = props

    def key(self) -> tuple[str, str, str, Any]:
        return (self.src, self.dst, self.type, self.weight)

    def __repr__(self) -> str:
        return f"Edge({self.src!r}, {self.dst!r}, {self.type!r}, {self.weight!r})"


# ---------------------------------------------------------------------- adjacency entries
#
# A plain edge of a directed graph is stored as its type name alone. A str is not tracked by
# the cyclic garbage collector, and a dict holding only untracked values stays untracked too,
# so a graph of plain edges adds nothing for the collector to traverse again and again as it
# grows (an Edge per edge made half of add_edge's cost the collector's). Every other edge (a
# weight or properties, or any edge of an undirected graph, whose one shared Edge also records
# the orientation it was added in) is an Edge. An entry is an Edge exactly when its class is
# Edge; everything else is a plain type name.


def entry_type(entry: Any) -> str:
    """The edge type of an adjacency entry."""
    return entry.type if entry.__class__ is Edge else entry


def entry_weight(entry: Any) -> Any:
    """The weight of an adjacency entry (none for a plain edge)."""
    return entry.weight if entry.__class__ is Edge else None


def entry_props(entry: Any) -> Any:
    """The properties of an adjacency entry (none for a plain edge)."""
    return entry.props if entry.__class__ is Edge else None


def entry_edge(src: str, dst: str, entry: Any) -> Edge:
    """The entry stored under src -> dst as an Edge (a new one for a plain edge)."""
    if entry.__class__ is Edge:
        return entry
    edge = _new_object(Edge)
    edge.src = src
    edge.dst = dst
    edge.type = entry
    edge.weight = None
    edge.props = None
    return edge


def edge_entry(edge: Edge, directed: bool) -> Any:
    """What a graph stores for `edge`: its type name when it is plain and the graph directed."""
    if directed and edge.weight is None and edge.props is None:
        return edge.type
    return edge


def make_entry(src: str, dst: str, edge_type: str, weight: Any, props: Any, directed: bool) -> Any:
    """The adjacency entry for a new edge (see edge_entry)."""
    if directed and weight is None and props is None:
        return edge_type
    return Edge(src, dst, edge_type, weight, props)


def symbol_name(value: Any) -> Any:
    """`:x` -> "x"; other values unchanged (APIs accept symbols and strings alike)."""
    return value.name if isinstance(value, Symbol) else value


_new_object = object.__new__

# immutable values that a deep copy may share (checked by exact class, before the isinstance chain)
_SHARED_SCALARS = frozenset({int, float, str, bool, type(None), Symbol})


def deep_copy_value(value: Any) -> Any:
    """A deep copy for clone(): lists, maps and graphs are copied, scalars shared."""
    if isinstance(value, Graph):
        return value.clone()
    try:
        if isinstance(value, GList):
            return _list_copy(value, [deep_copy_value(item) for item in value])
        if isinstance(value, GMap):
            return _map_copy(value, [(key, deep_copy_value(item)) for key, item in value.items()])
        if isinstance(value, list):
            return [deep_copy_value(item) for item in value]
        if isinstance(value, dict):
            return {key: deep_copy_value(item) for key, item in value.items()}
    except RecursionError:
        from graphoid.values.deep import rebuild

        return rebuild(value, deep_copy_value, _list_copy, _map_copy)
    return value


def _list_copy(original: Any, items: list[Any]) -> Any:
    if isinstance(original, GList):
        new = GList(items)
        new.rules = original.rules
        return new
    return items if isinstance(original, list) else original


def _map_copy(original: Any, pairs: list[tuple[Any, Any]]) -> Any:
    if isinstance(original, GMap):
        new = GMap(pairs)
        new.rules = original.rules
        return new
    return dict(pairs)


class Graph(ClassLikeMixin):
    """A Graphoid graph (see the module docstring for the layout)."""

    __slots__ = (
        "graph_type",
        "directed",
        "_nodes",
        "_out",
        "_in",
        "_inlog",
        "_edge_count",
        "_internal_ids",
        "_node_types",
        "_props",
        "_pview",
        "behavior",
        "control",
        "metadata",
        "boundary",
        "_guarded",
        "_msg_ctx",
        "_mcache",
        "_mcache_ver",
        "_mdirect",
        "_pw",
        "_bx",
        "_topo",
        "_vals",
        "_msg_plan",
        "__weakref__",
    )

    def __init__(self, graph_type: Any = "directed", ruleset: Any = None) -> None:
        kind = symbol_name(graph_type) if graph_type is not None else "directed"
        if kind not in GRAPH_TYPES:
            raise GraphoidError(
                "ValueError", f"Unknown graph type ':{kind}' (expected :directed, :undirected, :dag or :tree)"
            )
        self.graph_type: str = kind
        self.directed: bool = kind != "undirected"
        self._nodes: dict[str, Any] = {}
        self._out: dict[str, dict[str, Any]] = {}  # entries: Edge or a plain type name
        # a directed graph's in-neighbour index is built on first use (see in_map); until
        # then `_in` is None and `_inlog` lists every edge in the order it was added
        self._in: dict[str, dict[str, Any]] | None = None if self.directed else self._out
        self._inlog: list[str] | None = [] if self.directed else None
        self._edge_count = 0
        self._internal_ids: set[str] = set()
        self._node_types: dict[str, str] = {}
        self._props: dict[str, Any] = {}
        self._pview: Any = None  # classes.PropertyView of _props, made on first use
        self.behavior = BehaviorLayer()
        self.control = ControlLayer()
        self.metadata = MetadataLayer()
        self.boundary = BoundaryLayer()
        self._guarded = False
        self._msg_ctx: Any = None
        self._mcache: dict[str, Any] = {}
        self._mcache_ver = -1
        # name -> function of the user methods a call site may run directly (classes.py `call`)
        self._mdirect: dict[str, Any] = {}
        self._pw = DENIED
        # the method epoch in which this graph was found to have no user methods and no method
        # constraints (classes.builtins_epoch): compiled call sites then run builtins directly
        self._bx = DENIED
        # bumped by every change of the node set or the edge set (messaging caches its
        # integer-slot delivery plan against it); values and edge attributes do not count
        self._topo = 0
        # bumped whenever a node's value is set or replaced (messaging checks its cached
        # per-node activations against it)
        self._vals = 0
        self._msg_plan: Any = None
        from graphoid.graphs import rules as graph_rules

        if kind in ("dag", "tree"):
            graph_rules.apply_ruleset(self, kind)
        if ruleset is not None:
            graph_rules.apply_ruleset(self, symbol_name(ruleset))

    # ------------------------------------------------------------------ guard bookkeeping

    def _refresh_guard(self) -> None:
        """Mutators take the fast path unless the graph is frozen or has rules."""
        self._guarded = bool(self.control.frozen or self.control.rules)
        self._pw = DENIED  # implicit-self writes re-verify (frozen, setters) on the next write
        self._pview = None  # call sites keyed by the old view (classes.call_sites) miss
        PROPS_REPLACED[0] += 1  # cached property dicts and write proofs are checked again

    # ------------------------------------------------------------------ data layer: nodes

    def add_node(self, node_id: str, value: Any = None) -> None:
        """Add or replace a node (returns none)."""
        if node_id.__class__ is not str:
            raise _bad_id(node_id)
        if self._guarded:
            from graphoid.graphs import rules as graph_rules

            graph_rules.guarded_add_node(self, node_id, value)
            return None
        nodes = self._nodes
        if node_id not in nodes:
            self._topo += 1
            self._out[node_id] = {}
            into = self._in
            if into is not None and self.directed:
                into[node_id] = {}
            # a one-character slice is a cached string: cheaper than startswith on every id
            if node_id[:1] == "_" and node_id.startswith("__"):
                self._internal_ids.add(node_id)
        nodes[node_id] = value
        self._vals += 1
        return None

    def _ensure_node(self, node_id: str) -> None:
        """Create a missing edge endpoint with value none (the documented add_edge policy)."""
        if node_id.__class__ is not str:
            raise _bad_id(node_id)
        self._topo += 1
        self._vals += 1
        self._nodes[node_id] = None
        self._out[node_id] = {}
        into = self._in
        if into is not None and self.directed:
            into[node_id] = {}
        if node_id.startswith("__"):
            self._internal_ids.add(node_id)

    def raw_remove_node(self, node_id: str) -> None:
        """Remove a node and its edges without rule checks (callers validated already)."""
        into = self.in_map()
        for dst in list(self._out.get(node_id, ())):
            self.raw_remove_edge(node_id, dst)
        for src in list(into.get(node_id, ())):
            self.raw_remove_edge(src, node_id)
        del self._nodes[node_id]
        self._topo += 1
        self._vals += 1
        self._out.pop(node_id, None)
        if self.directed:
            into.pop(node_id, None)
        self._internal_ids.discard(node_id)
        self._node_types.pop(node_id, None)

    def remove_node(self, node_id: str) -> bool:
        """Remove a node and its edges; true when it existed."""
        if node_id not in self._nodes:
            return False
        if self._guarded:
            from graphoid.graphs import rules as graph_rules

            return graph_rules.guarded_remove_node(self, node_id)
        self.raw_remove_node(node_id)
        return True

    def has_node(self, node_id: str) -> bool:
        return node_id in self._nodes

    def get_node(self, node_id: str) -> Any:
        """The node's value, or none when missing."""
        return self._nodes.get(node_id)

    def set_node_type(self, node_id: str, node_type: Any) -> None:
        if node_id not in self._nodes:
            raise _missing_node(node_id)
        if self._guarded:
            from graphoid.graphs import rules as graph_rules

            graph_rules.check_writable(self, "set_node_type")
        self._node_types[node_id] = symbol_name(node_type)

    def node_type(self, node_id: str) -> str | None:
        return self._node_types.get(node_id)

    # ------------------------------------------------------------------ data layer: edges

    def add_edge(
        self, src: str, dst: str, edge_type: Any = DEFAULT_EDGE_TYPE, weight: Any = None, props: Any = None
    ) -> None:
        """Add or replace the edge src -> dst; missing endpoints are created with value none."""
        if src.__class__ is not str or dst.__class__ is not str:
            src, dst = _string_id(src), _string_id(dst)
        if self._guarded:
            from graphoid.graphs import rules as graph_rules

            graph_rules.guarded_add_edge(self, src, dst, symbol_name(edge_type), weight, props)
            return None
        out = self._out
        succ = out.get(src)
        if succ is None:
            self._ensure_node(src)
            succ = out[src]
        if dst not in out:
            self._ensure_node(dst)
        if edge_type.__class__ is not str:
            edge_type = _edge_type_name(edge_type)
        if weight is None and props is None and self.directed:
            edge = edge_type  # a plain edge (see "adjacency entries")
        else:
            # Edge(...) inlined: a class call runs __init__ as a separate Python frame, more
            # than twice the cost of these stores
            edge = _new_object(Edge)
            edge.src = src
            edge.dst = dst
            edge.type = edge_type
            edge.weight = weight
            edge.props = props
        self._store_entry(succ, src, dst, edge)
        return None

    def _store_entry(self, succ: dict[str, Any], src: str, dst: str, entry: Any) -> None:
        """Store the adjacency entry src -> dst (`succ` is `_out[src]`; both ends exist): counts,
        the topology version and, with no in-index yet, the log that keeps the edge's place."""
        into = self._in
        if dst not in succ:
            self._topo += 1
            if self._is_data_edge(src, dst):
                self._edge_count += 1
            if into is None:
                log = self._inlog
                log.append(src)
                log.append(dst)
        if into is not None:
            into[dst][src] = entry
        succ[dst] = entry

    def add_plain_edge(self, src: str, dst: str) -> None:
        """`add_edge(src, dst)`: the default-typed edge without weight or properties.

        Graph building's hot path: when both ends exist in an unguarded directed graph the
        entry is stored here, else add_edge does everything (ids, rules, new endpoints)."""
        if src.__class__ is str and dst.__class__ is str and not self._guarded and self.directed:
            out = self._out
            succ = out.get(src)
            if succ is not None and dst in out:
                # _store_entry inlined: this is graph building's hottest path
                into = self._in
                if dst not in succ:
                    self._topo += 1
                    internal = self._internal_ids
                    if not internal or (src not in internal and dst not in internal):
                        self._edge_count += 1
                    if into is None:
                        log = self._inlog
                        log.append(src)
                        log.append(dst)
                if into is not None:
                    into[dst][src] = DEFAULT_EDGE_TYPE
                succ[dst] = DEFAULT_EDGE_TYPE
                return None
        return self.add_edge(src, dst)

    def raw_add_edge(self, edge: Edge) -> None:
        """Insert a prepared edge without rule checks (used by guarded paths and undo)."""
        src, dst = edge.src, edge.dst
        if src not in self._nodes:
            self._ensure_node(src)
        if dst not in self._nodes:
            self._ensure_node(dst)
        self._store_entry(self._out[src], src, dst, edge_entry(edge, self.directed))

    def raw_remove_edge(self, src: str, dst: str) -> Edge | None:
        """Remove src -> dst without rule checks; the removed edge (for undo), or none."""
        succ = self._out.get(src)
        if succ is None or dst not in succ:
            return None
        into = self.in_map()  # built before the first removal: the log only knows additions
        entry = succ.pop(dst)
        self._topo += 1
        into[dst].pop(src, None)
        if self._is_data_edge(src, dst):
            self._edge_count -= 1
        return entry_edge(src, dst, entry)

    def remove_edge(self, src: str, dst: str) -> bool:
        """Remove src -> dst (either direction for undirected graphs); true when it existed."""
        if not self.has_edge(src, dst):
            return False
        if self._guarded:
            from graphoid.graphs import rules as graph_rules

            return graph_rules.guarded_remove_edge(self, src, dst)
        self.raw_remove_edge(src, dst)
        return True

    def _is_data_edge(self, src: str, dst: str) -> bool:
        internal = self._internal_ids
        return not internal or (src not in internal and dst not in internal)

    def has_edge(self, src: str, dst: str, edge_type: Any = None) -> bool:
        succ = self._out.get(src)
        if succ is None:
            return False
        entry = succ.get(dst)
        if entry is None:
            return False
        return edge_type is None or entry_type(entry) == symbol_name(edge_type)

    def get_edge(self, src: str, dst: str) -> Edge | None:
        """The edge src -> dst as an Edge (a new one for a plain edge), or none."""
        succ = self._out.get(src)
        entry = None if succ is None else succ.get(dst)
        return None if entry is None else entry_edge(src, dst, entry)

    def iter_edges(self, include_internal: bool = False) -> Iterator[Edge]:
        """Every edge once (undirected edges are reported in the orientation they were added)."""
        internal = self._internal_ids
        directed = self.directed
        for src, succ in self._out.items():
            for dst, entry in succ.items():
                if not directed and entry.src != src:
                    continue
                if not include_internal and internal and (src in internal or dst in internal):
                    continue
                yield entry_edge(src, dst, entry)

    # ------------------------------------------------------------------ in-neighbour index

    def in_map(self) -> dict[str, dict[str, Any]]:
        """id -> {predecessor -> entry}, built on first use (see "the in-neighbour index on
        demand" in docs/design.md) and then kept up to date by every writer; `_out` itself for
        an undirected graph. The only way code outside this module reaches the index."""
        into = self._in
        if into is None:
            into = self._build_in()
        return into

    def _build_in(self) -> dict[str, dict[str, Any]]:
        """The index from `_out`, each predecessor map in the order its edges were added (the
        log's order: neighbour order is part of the value), so a late build equals an early one."""
        out = self._out
        into: dict[str, dict[str, Any]] = {node_id: {} for node_id in out}
        log = self._inlog
        sources = iter(log)
        for src, dst in zip(sources, sources):
            into[dst][src] = out[src][dst]
        self._in = into
        self._inlog = None
        return into

    def set_in_map(self, into: dict[str, dict[str, Any]]) -> None:
        """Install a complete in-neighbour index of this graph's edges (writers that fill
        `_out` and the index themselves: decoders, partition joins, reordering)."""
        self._in = into if self.directed else self._out
        self._inlog = None

    def adopt_in_index(self, source: "Graph") -> None:
        """Take `source`'s index state (built or not) along with its `_out`, which the caller
        has already taken (a method constraint's undo)."""
        self._in = source._in
        self._inlog = source._inlog

    def save_in_index(self) -> Any:
        """A copy of the index state for restore_in_index (messaging's topology undo)."""
        if self._in is None:
            return list(self._inlog)
        if not self.directed:
            return None
        return {node_id: dict(pred) for node_id, pred in self._in.items()}

    def restore_in_index(self, saved: Any) -> None:
        """Put back a state save_in_index returned, taking it over (`_out` is restored already)."""
        if not self.directed:
            self._in, self._inlog = self._out, None
        elif saved.__class__ is list:
            self._in, self._inlog = None, saved
        else:
            self._in, self._inlog = saved, None

    # ------------------------------------------------------------------ neighbourhood

    def successors(self, node_id: str, via: Any = None) -> list[str]:
        return _adjacent(self._out, node_id, via)

    def predecessors(self, node_id: str, via: Any = None) -> list[str]:
        return _adjacent(self.in_map(), node_id, via)

    def out_degree(self, node_id: str) -> int:
        succ = self._out.get(node_id)
        if succ is None:
            raise _missing_node(node_id)
        return len(succ)

    def in_degree(self, node_id: str) -> int:
        pred = self.in_map().get(node_id)
        if pred is None:
            raise _missing_node(node_id)
        return len(pred)

    def degree(self, node_id: str) -> int:
        """Edges touching the node (in + out for directed graphs; a self-loop counts twice)."""
        if self.directed:
            return self.out_degree(node_id) + self.in_degree(node_id)
        succ = self._out.get(node_id)
        if succ is None:
            raise _missing_node(node_id)
        return len(succ) + (1 if node_id in succ else 0)

    # ------------------------------------------------------------------ views

    def node_ids(self, include_internal: bool = False) -> list[str]:
        if include_internal or not self._internal_ids:
            return list(self._nodes)
        internal = self._internal_ids
        return [node for node in self._nodes if node not in internal]

    def node_count(self) -> int:
        return len(self._nodes) - len(self._internal_ids)

    def edge_count(self) -> int:
        return self._edge_count

    def data_items(self) -> Iterator[tuple[str, Any]]:
        internal = self._internal_ids
        for node_id, value in self._nodes.items():
            if not internal or node_id not in internal:
                yield node_id, value

    def nodes_all(self) -> list[str]:
        """Every layer's nodes: data, `__properties__/*`, `__methods__[/*]`, `__self__`/`__parent__`."""
        found = list(self._nodes)
        found.extend(f"__properties__/{name}" for name in self._props)
        method_names = self.own_method_names()
        if method_names:
            found.append("__methods__")
            found.extend(f"__methods__/{name}" for name in method_names)
        if self.metadata.parent is not None:
            found.extend(("__self__", "__parent__"))
        return found

    def edges_all(self) -> list[tuple[str, str, str]]:
        """Data edges, then `has_method` edges, then `__self__ -inherits_from-> __parent__`."""
        found = [(edge.src, edge.dst, edge.type) for edge in self.iter_edges(include_internal=True)]
        found.extend(("__methods__", f"__methods__/{name}", "has_method") for name in self.own_method_names())
        if self.metadata.parent is not None:
            found.append(("__self__", "__parent__", "inherits_from"))
        return found

    # ------------------------------------------------------------------ equality, truth, iteration

    def data_equals(self, other: "Graph") -> bool:
        if self.node_count() != other.node_count() or self._edge_count != other._edge_count:
            return False
        other_nodes = other._nodes
        for node_id, value in self.data_items():
            if node_id not in other_nodes or not value_equals(value, other_nodes[node_id]):
                return False
        for edge in self.iter_edges():
            theirs = other._out.get(edge.src, {}).get(edge.dst)
            if (theirs is None or entry_type(theirs) != edge.type
                    or not value_equals(entry_weight(theirs), edge.weight)):
                return False
        return True

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, Graph):
            return NotImplemented
        return self.graph_type == other.graph_type and self.data_equals(other)

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    __hash__ = None  # type: ignore[assignment]

    def __len__(self) -> int:
        return self.node_count()

    def __bool__(self) -> bool:
        return self.node_count() > 0

    def __iter__(self) -> Iterator[str]:
        return iter(self.node_ids())

    def __contains__(self, node_id: object) -> bool:
        return isinstance(node_id, str) and node_id in self._nodes and node_id not in self._internal_ids

    def __getitem__(self, node_id: str) -> Any:
        """`g["id"]`: the node's value; a missing node is a KeyError."""
        if node_id.__class__ is not str:
            raise _bad_id(node_id)
        if node_id in self._nodes:
            return self._nodes[node_id]
        raise _missing_node(node_id)

    def __setitem__(self, node_id: str, value: Any) -> None:
        self.add_node(node_id, value)

    def __repr__(self) -> str:
        return f"<graph: {self.node_count()} nodes, {self._edge_count} edges>"

    def display(self) -> str:
        """The print form of the reference: `<graph: N nodes, M edges>`."""
        return repr(self)

    # ------------------------------------------------------------------ copying

    def copy_structure(self, *, with_layers: bool = True, behavior: BehaviorLayer | None = None) -> "Graph":
        """A deep copy: data, properties and (when asked) every other layer.

        `behavior` replaces the copied behaviour layer (instantiation gives instances an empty
        one and finds methods through the template).
        """
        control = self.control
        keep_control = with_layers and bool(control.rules or control.rulesets or control.constraints)
        if behavior is None:
            behavior = self.behavior.copy() if with_layers else BehaviorLayer()
        new = self._shell(behavior, control.copy() if keep_control else ControlLayer())
        new.metadata = self.metadata.copy()
        new.boundary = self.boundary.copy()
        nodes = self._nodes
        if nodes:
            new._nodes = {node_id: deep_copy_value(value) for node_id, value in nodes.items()}
            new._out = {node_id: {} for node_id in nodes}
            if not self.directed:
                new._in = new._out
            elif self._in is not None:
                new._in, new._inlog = {node_id: {} for node_id in nodes}, None
            new._internal_ids = set(self._internal_ids)
            new._node_types = dict(self._node_types)
            self._copy_edges(new)
        return new

    def _copy_edges(self, new: "Graph") -> None:
        """Copy every edge into `new` (which has the same nodes), each adjacency map in this
        graph's order, both directions (neighbour order is part of the value; re-adding the
        edges one by one would not keep it). One entry per edge, as here; plain entries (type
        names) are immutable and shared."""
        new_out = new._out
        for node_id, succ in self._out.items():
            mine = new_out[node_id]
            for other, edge in succ.items():
                if edge.__class__ is not Edge:
                    mine[other] = edge
                    continue
                # an undirected edge met from its other end (already copied) is shared
                twin = None if self.directed else new_out[other].get(node_id)
                if twin is None:
                    props = deep_copy_value(edge.props) if edge.props is not None else None
                    twin = Edge(edge.src, edge.dst, edge.type, edge.weight, props)
                mine[other] = twin
        if self._in is None:
            new._inlog = list(self._inlog)
        elif self.directed:
            new_in = new._in
            for node_id, pred in self._in.items():
                new_in[node_id] = {other: new_out[other][node_id] for other in pred}
        new._edge_count = self._edge_count

    def new_instance(self) -> "Graph":
        """An instance of this class-like graph: its data and properties copied, an empty
        behaviour layer (methods are found through `metadata.template`).

        Messaging activates one instance per node, thousands at a time, so a template without
        nodes (the usual case) gets a straight-line construction with fresh small layers."""
        behavior = BehaviorLayer(handler_template=self.behavior.handler_template)
        if self._nodes or self.boundary.interfaces or self.metadata.partition:
            new = self.copy_structure(behavior=behavior)
            new.metadata.template = self
            return new
        control = self.control
        new = self._shell(behavior, control.copy() if control.rules or control.rulesets or control.constraints
                          else ControlLayer())
        meta = self.metadata
        new.metadata = MetadataLayer(meta.type_name, self, meta.parent)
        new.boundary = BoundaryLayer()
        return new

    def _shell(self, behavior: BehaviorLayer, control: ControlLayer) -> "Graph":
        """A graph of this one's type with no nodes, a deep copy of its properties and the
        given behaviour and control layers (copies never start frozen); the caller sets
        `metadata` and `boundary`, and the data layer when it copies nodes."""
        new = Graph.__new__(Graph)
        new.graph_type = self.graph_type
        directed = new.directed = self.directed
        new._nodes = {}
        new._out = out = {}
        new._in = None if directed else out
        new._inlog = [] if directed else None
        new._internal_ids = set()
        new._node_types = {}
        new._edge_count = 0
        new._props = {
            name: value if value.__class__ in _SHARED_SCALARS else deep_copy_value(value)
            for name, value in self._props.items()
        }
        new._pview = None
        new.behavior = behavior
        new.control = control
        new._guarded = bool(control.rules)
        new._msg_ctx = None
        new._mcache = {}
        new._mcache_ver = -1
        new._mdirect = {}
        new._pw = DENIED
        new._bx = DENIED
        new._topo = 0
        new._vals = 0
        new._msg_plan = None
        return new

    def clone(self) -> "Graph":
        """Deep copy of every layer; the copy is not frozen and keeps template/parent links."""
        return self.copy_structure()

    def empty_like(self) -> "Graph":
        """A new empty graph of the same type, rules and rulesets (no data, no methods)."""
        new = Graph(self.graph_type if self.graph_type in ("directed", "undirected") else "directed")
        new.graph_type = self.graph_type
        new.control = self.control.copy()
        new._refresh_guard()
        return new


def _adjacent(adjacency: dict[str, dict[str, Any]], node_id: str, via: Any) -> list[str]:
    """The neighbours of node_id in one direction, optionally only along edges of type `via`."""
    near = adjacency.get(node_id)
    if near is None:
        raise _missing_node(node_id)
    if via is None or via == "*":
        return list(near)
    kind = symbol_name(via)
    return [other for other, entry in near.items() if entry_type(entry) == kind]


def _edge_type_name(edge_type: Any) -> str:
    if edge_type is None:
        return DEFAULT_EDGE_TYPE
    if isinstance(edge_type, Symbol):
        return edge_type.name
    if isinstance(edge_type, str):
        return edge_type
    raise GraphoidError("TypeError", f"Edge type must be a string or symbol, got {type_label(edge_type)}")


def _string_id(node_id: Any) -> str:
    """node_id when it is a string (of any str class), else the TypeError for a bad id."""
    if isinstance(node_id, str):
        return node_id
    raise _bad_id(node_id)


def _bad_id(node_id: Any) -> GraphoidError:
    return GraphoidError("TypeError", f"Node id must be a string, got {type_label(node_id)}")


def _missing_node(node_id: Any) -> GraphoidError:
    return GraphoidError("KeyError", f"Graph has no node '{describe(node_id)}'")


def type_label(value: Any) -> str:
    """The Graphoid type name of a value, for messages."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "num"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Symbol):
        return "symbol"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "map"
    if isinstance(value, Graph):
        return "graph"
    return type_name(value)


def new_graph(config: Any = None, parent: "Graph | None" = None, kind: str = "graph") -> Graph:
    """What `graph { type: ..., ruleset: ... }`, `graph from P {}` and `tree {}` evaluate to."""
    settings = dict(config or {})
    graph_type = settings.pop("type", "tree" if kind == "tree" else "directed")
    ruleset = settings.pop("ruleset", None)
    if settings:
        raise GraphoidError("ValueError", f"Unknown graph setting '{next(iter(settings))}'")
    if parent is not None:
        graph = parent.clone()
        graph.metadata.parent = parent
        graph.metadata.template = None
        if ruleset is not None:
            from graphoid.graphs import rules as graph_rules

            graph_rules.apply_ruleset(graph, symbol_name(ruleset))
        return graph
    return Graph(graph_type, ruleset)

