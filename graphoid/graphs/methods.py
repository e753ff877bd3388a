"""The builtin graph methods as Graphoid sees them: `GRAPH_METHODS[name](g, *args, **kwargs)`.

These adapt Graphoid arguments (symbols, maps of options, functions) to the Python API of
`Graph` and the algorithm/rule/export modules, and return Graphoid values (GList, GMap).
`Graph.call` consults this table after user-defined methods.
"""

from __future__ import annotations

from typing import Any, Callable

from graphoid.graphs import algorithms as algo
from graphoid.graphs import rules
from graphoid.graphs.classes import methods_changed
from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Edge, Graph, deep_copy_value, symbol_name, type_label
from graphoid.values.methods.registry import method
from graphoid.values.types import GList, GMap, Symbol
from graphoid.values.format import describe, function_label
from graphoid.values.limits import metered

GRAPH_METHODS: dict[str, Callable[..., Any]] = {}


def graph_method(*names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        for name in names:
            GRAPH_METHODS[name] = fn
        return fn

    return register


def add_graph_method(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator for a method a layer above adds to every graph (messaging's `broadcast`, ...):
    it joins this table and the shared method registry, as registration.py did for the rest."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        GRAPH_METHODS[name] = fn
        method(Graph, name)(fn)
        return fn

    return register


def _truthy(value: Any) -> bool:
    return value is not None and value is not False


def _node_id(value: Any, what: str = "Node id") -> str:
    if isinstance(value, str):
        return value
    raise GraphoidError("TypeError", f"{what} must be a string, got {type_label(value)}")


def _function(value: Any, what: str, optional: bool = True) -> Any:
    if value is None and optional:
        return None
    if callable(value) and not isinstance(value, (list, dict, str, Graph)):
        return value
    raise GraphoidError("TypeError", f"{what} must be a function{' or none' if optional else ''}, got {type_label(value)}")


def _id_list(value: Any, what: str) -> list[str]:
    if not isinstance(value, (list, tuple)):
        raise GraphoidError("TypeError", f"{what} expects a list of node ids, got {type_label(value)}")
    return [_node_id(item) for item in value]


def _is_all(flag: Any) -> bool:
    return isinstance(flag, Symbol) and flag.name == "all" or flag == "all"


# ---------------------------------------------------------------------------- data layer


@graph_method("add_node")
def _add_node(g: Graph, node_id: Any, value: Any = None) -> None:
    g.add_node(node_id if node_id.__class__ is str else _node_id(node_id), value)


@graph_method("add_edge")
def _add_edge(
    g: Graph,
    src: Any,
    dst: Any,
    edge_type: Any = "edge",
    weight: Any = None,
    *,
    type: Any = None,
    properties: Any = None,
) -> None:
    if type is not None:
        edge_type = type
    if weight is not None and (isinstance(weight, bool) or not isinstance(weight, (int, float))):
        raise GraphoidError("TypeError", f"Edge weight must be a number, got {type_label(weight)}")
    # Graph.add_edge reads symbol edge types and checks the ids itself.
    g.add_edge(src, dst, edge_type, weight, properties)


@graph_method("remove_node")
def _remove_node(g: Graph, node_id: Any) -> None:
    g.remove_node(_node_id(node_id))


@graph_method("remove_edge")
def _remove_edge(g: Graph, src: Any, dst: Any) -> None:
    g.remove_edge(_node_id(src), _node_id(dst))


@graph_method("get_node")
def _get_node(g: Graph, node_id: Any) -> Any:
    if node_id.__class__ is str:
        return g._nodes.get(node_id)
    return g.get_node(_node_id(node_id))


@graph_method("has_node")
def _has_node(g: Graph, node_id: Any) -> bool:
    if node_id.__class__ is str:
        return node_id in g._nodes
    return g.has_node(_node_id(node_id))


@graph_method("has_edge")
def _has_edge(g: Graph, src: Any, dst: Any, edge_type: Any = None) -> bool:
    return g.has_edge(_node_id(src), _node_id(dst), edge_type)


@graph_method("get_edge")
def _get_edge(g: Graph, src: Any, dst: Any) -> Any:
    edge = g.get_edge(_node_id(src), _node_id(dst))
    if edge is None:
        return None
    found = GMap({"from": edge.src, "to": edge.dst, "type": edge.type, "weight": edge.weight})
    if edge.props is not None:
        found["properties"] = edge.props
    return found


@graph_method("edge_weight", "get_edge_weight")
def _edge_weight(g: Graph, src: Any, dst: Any) -> Any:
    edge = g.get_edge(_node_id(src), _node_id(dst))
    return None if edge is None else edge.weight


@graph_method("set_edge_weight")
def _set_edge_weight(g: Graph, src: Any, dst: Any, weight: Any) -> None:
    edge = g.get_edge(_node_id(src), _node_id(dst))
    if edge is None:
        raise GraphoidError("KeyError", f"Graph has no edge {src} -> {dst}")
    rules.check_writable(g, "set_edge_weight")
    g.raw_remove_edge(src, dst)
    try:
        g.add_edge(src, dst, edge.type, weight, edge.props)
    except GraphoidError:
        g.raw_add_edge(edge)
        raise


@graph_method("set_node_type")
def _set_node_type(g: Graph, node_id: Any, node_type: Any) -> None:
    g.set_node_type(_node_id(node_id), node_type)


@graph_method("node_type", "get_node_type")
def _node_type(g: Graph, node_id: Any) -> Any:
    return g.node_type(_node_id(node_id))


@graph_method("node_count")
def _node_count(g: Graph) -> int:
    return g.node_count()


@graph_method("edge_count")
def _edge_count(g: Graph) -> int:
    return g.edge_count()


@graph_method("nodes")
def _nodes(g: Graph, which: Any = None) -> GList:
    if which is None and not g._internal_ids:
        return GList(g._nodes)
    return GList(g.nodes_all() if _is_all(which) else g.node_ids())


@graph_method("edges")
def _edges(g: Graph, which: Any = None) -> GList:
    if _is_all(which):
        return GList(GList(edge) for edge in g.edges_all())
    return GList(GList((e.src, e.dst, e.type)) for e in g.iter_edges())


@graph_method("values")
def _values(g: Graph) -> GList:
    return GList(value for _, value in g.data_items())


@graph_method("neighbors", "successors")
def _neighbors(g: Graph, node_id: Any, via: Any = None) -> GList:
    return GList(g.successors(node_id if node_id.__class__ is str else _node_id(node_id), via))


def _nodes_items(g: Graph) -> list[str]:
    """`for id in g.nodes()` from a direct call site: the ids of `_nodes` as a plain list."""
    return list(g._nodes) if not g._internal_ids else g.node_ids()


def _neighbors_items(g: Graph, node_id: Any) -> Any:
    """`for id in g.neighbors(x)` from a direct call site: _neighbors_direct's ids as a plain
    list (a snapshot, as the Graphoid list is: the loop body may change the graph)."""
    if g._msg_ctx is None and node_id.__class__ is str:
        near = g._out.get(node_id)
        if near is not None:
            return [*near]
    return g.call("neighbors", (node_id,))


def _neighbors_direct(g: Graph, node_id: Any) -> GList:
    """`g.neighbors(id)` from a direct call site; a graph running a message handler (and any
    unusual argument) goes through `call`, which answers from the handler's context."""
    if g._msg_ctx is None and node_id.__class__ is str:
        near = g._out.get(node_id)
        if near is not None:
            return GList(near)
    return g.call("neighbors", (node_id,))


@graph_method("predecessors")
def _predecessors(g: Graph, node_id: Any, via: Any = None) -> GList:
    return GList(g.predecessors(_node_id(node_id), via))


@graph_method("in_degree")
def _in_degree(g: Graph, node_id: Any) -> int:
    return g.in_degree(_node_id(node_id))


@graph_method("out_degree")
def _out_degree(g: Graph, node_id: Any) -> int:
    return g.out_degree(node_id if node_id.__class__ is str else _node_id(node_id))


def _out_degree_direct(g: Graph, node_id: Any) -> int:
    """`g.out_degree(id)` from a direct call site (see _neighbors_direct)."""
    if g._msg_ctx is None and node_id.__class__ is str:
        succ = g._out.get(node_id)
        if succ is not None:
            return len(succ)
    return g.call("out_degree", (node_id,))


@graph_method("degree")
def _degree(g: Graph, node_id: Any) -> int:
    return g.degree(_node_id(node_id))


@graph_method("find_nodes")
def _find_nodes(g: Graph, predicate: Callable[..., Any]) -> GList:
    """Ids of data nodes whose value satisfies `predicate(value)`."""
    predicate = _function(predicate, "find_nodes", optional=False)
    return GList(node for node, value in metered(g.data_items()) if _truthy(predicate(value)))


# (name, arity) -> what compiled call sites run for `g.name(...)` with that many positional
# arguments on a plain graph (graphoid/values/direct_calls.py): each does exactly what the
# builtin does then. Graph.add_node and Graph.add_edge check their ids as the adapters do.
DIRECT_FUNCTIONS: dict[tuple[str, int], Callable[..., Any]] = {
    ("add_node", 1): Graph.add_node,
    ("add_node", 2): Graph.add_node,
    ("add_edge", 2): Graph.add_plain_edge,
    ("add_edge", 3): Graph.add_edge,
    ("add_edge", 4): _add_edge,
    ("get_node", 1): _get_node,
    ("has_node", 1): _has_node,
    ("nodes", 0): _nodes,
    ("nodes", 1): _nodes,
    ("neighbors", 1): _neighbors_direct,
    ("out_degree", 1): _out_degree_direct,
}

# the helpers of values/direct_calls.py GRAPH_ITERATED_ARITIES (a `for` loop walks the value)
ITERATED_FUNCTIONS: dict[tuple[str, int], Callable[..., Any]] = {
    ("nodes", 0): _nodes_items,
    ("neighbors", 1): _neighbors_items,
}


# ---------------------------------------------------------------------------- algorithms


@graph_method("bfs")
def _bfs(g: Graph, start: Any, via: Any = None) -> GList:
    return algo.bfs(g, _node_id(start), via)


@graph_method("dfs")
def _dfs(g: Graph, start: Any, via: Any = None) -> GList:
    return algo.dfs(g, _node_id(start), via)


@graph_method("has_path")
def _has_path(g: Graph, src: Any, dst: Any) -> bool:
    return algo.has_path(g, _node_id(src), _node_id(dst))


def _path_options(options: tuple) -> tuple[Any, bool]:
    """(edge type, weighted): paths count hops unless `:weighted` is given (the reference)."""
    edge_type: Any = None
    weighted = False
    for option in options:
        if isinstance(option, Symbol) and option.name in ("weighted", "unweighted"):
            weighted = option.name == "weighted"
        elif option is not None:
            edge_type = option
    return edge_type, weighted


@graph_method("shortest_path")
def _shortest_path(g: Graph, src: Any, dst: Any, *options: Any, type: Any = None) -> GList | None:
    edge_type, weighted = _path_options(options)
    return algo.shortest_path(g, _node_id(src), _node_id(dst), type or edge_type, weighted)


@graph_method("distance")
def _distance(g: Graph, src: Any, dst: Any, *options: Any) -> Any:
    edge_type, weighted = _path_options(options)
    return algo.distance(g, _node_id(src), _node_id(dst), edge_type, weighted)


@graph_method("path_distance")
def _path_distance(g: Graph, path: Any) -> Any:
    return algo.path_distance(g, _id_list(path, "path_distance"))


@graph_method("all_paths")
def _all_paths(g: Graph, src: Any, dst: Any, max_length: Any = None) -> GList:
    if max_length is not None and (isinstance(max_length, bool) or not isinstance(max_length, (int, float))):
        raise GraphoidError("TypeError", f"all_paths max length must be a number, got {type_label(max_length)}")
    return algo.all_paths(g, _node_id(src), _node_id(dst), max_length)


@graph_method("topological_sort")
def _topological_sort(g: Graph) -> GList:
    return algo.topological_sort(g)


@graph_method("has_cycle")
def _has_cycle(g: Graph) -> bool:
    return algo.has_cycle(g)


@graph_method("connected_components")
def _components(g: Graph) -> GList:
    return algo.connected_components(g)


@graph_method("is_connected")
def _is_connected(g: Graph) -> bool:
    return algo.is_connected(g)


@graph_method("subgraph")
def _subgraph(g: Graph, node_ids: Any) -> Graph:
    return algo.subgraph(g, _id_list(node_ids, "subgraph"))


# ---------------------------------------------------------------------------- subgraph operations


@graph_method("extract")
def _extract(g: Graph, node_filter: Any = None, edge_filter: Any = None, include_orphans: Any = True) -> Graph:
    """A new graph of the nodes passing `node_filter(value)` and edges passing
    `edge_filter(from, to, type)`; without orphans, kept nodes need a kept edge."""
    if isinstance(node_filter, dict):
        options = node_filter
        node_filter = options.get("nodes")
        edge_filter = options.get("edges")
        include_orphans = options.get("include_orphans", True)
    node_filter = _function(node_filter, "extract node filter")
    edge_filter = _function(edge_filter, "extract edge filter")
    kept = [n for n, v in g.data_items() if node_filter is None or _truthy(node_filter(v))]
    keep = set(kept)
    edges = [
        e
        for e in g.iter_edges()
        if e.src in keep and e.dst in keep and (edge_filter is None or _truthy(edge_filter(e.src, e.dst, e.type)))
    ]
    if not _truthy(include_orphans):
        touched = {e.src for e in edges} | {e.dst for e in edges}
        kept = [n for n in kept if n in touched]
    return _build_like(g, kept, edges)


@graph_method("delete")
def _delete(g: Graph, node_filter: Any = None, edge_filter: Any = None) -> Graph:
    """A new graph without the nodes matching `node_filter(value)` and edges matching
    `edge_filter(from, to, type)`; the receiver is unchanged."""
    node_filter = _function(node_filter, "delete node filter")
    edge_filter = _function(edge_filter, "delete edge filter")
    kept = [n for n, v in g.data_items() if node_filter is None or not _truthy(node_filter(v))]
    keep = set(kept)
    edges = [
        e
        for e in g.iter_edges()
        if e.src in keep and e.dst in keep and (edge_filter is None or not _truthy(edge_filter(e.src, e.dst, e.type)))
    ]
    return _build_like(g, kept, edges)


def _build_like(g: Graph, node_ids: list[str], edges: list[Edge]) -> Graph:
    new = g.empty_like()
    saved = new.control
    new.control = type(saved)()
    new._refresh_guard()
    for node in node_ids:
        new.add_node(node, deep_copy_value(g._nodes[node]))
    for edge in edges:
        new.raw_add_edge(Edge(edge.src, edge.dst, edge.type, edge.weight, edge.props))
    new.control = saved
    new._refresh_guard()
    return new


@graph_method("add_subgraph")
def _add_subgraph(g: Graph, other: Any, policy: Any = None) -> Graph:
    """A new graph: the receiver merged with `other`; on an id clash `policy` decides:
    none or "keep_original" keeps the receiver's value, "overwrite" takes other's."""
    if not isinstance(other, Graph):
        raise GraphoidError("TypeError", f"add_subgraph expects a graph, got {type_label(other)}")
    mode = symbol_name(policy) if policy is not None else "keep_original"
    if mode not in ("keep_original", "overwrite"):
        raise GraphoidError("ValueError", f"Unknown conflict policy '{describe(mode)}' (keep_original or overwrite)")
    merged = g.clone()
    for node, value in other.data_items():
        if node not in merged._nodes or mode == "overwrite":
            merged.add_node(node, deep_copy_value(value))
    for edge in other.iter_edges():
        if mode == "overwrite" or not merged.has_edge(edge.src, edge.dst):
            merged.add_edge(edge.src, edge.dst, edge.type, edge.weight, edge.props)
    return merged


# ---------------------------------------------------------------------------- copying and equality


@graph_method("clone", "copy")
def _clone(g: Graph) -> Graph:
    return g.clone()


LAYER_NAMES = ("data", "rules", "rulesets", "methods", "properties")


def _layer_list(value: Any) -> list[str]:
    items = value if isinstance(value, (list, tuple)) else [value]
    names = [symbol_name(item) for item in items]
    for name in names:
        if name != "all" and name not in LAYER_NAMES:
            raise GraphoidError("ValueError", f"Unknown graph layer ':{name}' (data, rules, rulesets, methods, properties, all)")
    return list(LAYER_NAMES) if "all" in names else names


def _layer_equal(a: Graph, b: Graph, layer: str) -> bool:
    if layer == "data":
        return a.graph_type == b.graph_type and a.data_equals(b)
    if layer == "rules":
        mine = sorted(repr(r.key()) for r in a.control.rules if r.origin is None)
        theirs = sorted(repr(r.key()) for r in b.control.rules if r.origin is None)
        return mine == theirs
    if layer == "rulesets":
        return sorted(a.control.rulesets) == sorted(b.control.rulesets)
    if layer == "methods":
        return a.method_names() == b.method_names()
    from graphoid.values.format import equals

    return equals(GMap(a._props), GMap(b._props))


@graph_method("equals")
def _equals(g: Graph, other: Any, options: Any = None, *, include: Any = None, only: Any = None) -> bool:
    """Layered comparison: data by default, `include:` adds layers, `only:` picks them."""
    if isinstance(options, dict):
        include = options.get("include", include)
        only = options.get("only", only)
    if not isinstance(other, Graph):
        return False
    if only is not None:
        layers = _layer_list(only)
    else:
        layers = ["data"] + ([name for name in _layer_list(include) if name != "data"] if include is not None else [])
    return all(_layer_equal(g, other, layer) for layer in layers)


# ---------------------------------------------------------------------------- rules


@graph_method("add_rule")
def _add_rule(g: Graph, rule: Any, *args: Any, severity: Any = None) -> None:
    rules.add_rule(g, rule, *args, severity=severity)


@graph_method("remove_rule")
def _remove_rule(g: Graph, rule: Any) -> None:
    rules.remove_rule(g, rule)


@graph_method("has_rule")
def _has_rule(g: Graph, rule: Any) -> bool:
    return rules.has_rule(g, rule)


@graph_method("rule")
def _rule(g: Graph, rule: Any) -> Any:
    return rules.rule_param(g, rule)


@graph_method("rules")
def _rules(g: Graph) -> GList:
    return rules.rule_names(g)


@graph_method("with_ruleset")
def _with_ruleset(g: Graph, ruleset: Any) -> Graph:
    copy = g.clone()
    rules.apply_ruleset(copy, symbol_name(ruleset))
    return copy


@graph_method("has_ruleset")
def _has_ruleset(g: Graph, ruleset: Any) -> bool:
    return symbol_name(ruleset) in g.control.rulesets


@graph_method("rulesets")
def _rulesets(g: Graph) -> GList:
    return GList(Symbol(name) for name in g.control.rulesets)


@graph_method("add_method_constraint")
def _add_method_constraint(g: Graph, check: Any, name: Any = None) -> None:
    if not callable(check):
        raise GraphoidError("TypeError", "add_method_constraint expects a function fn(before, after)")
    rules.check_not_frozen(g)
    label = describe(symbol_name(name)) if name is not None else function_label(check)
    g.control.constraints = (*g.control.constraints, (check, label))
    methods_changed()  # direct-call tables hold methods of graphs without constraints


@graph_method("freeze")
def _freeze(g: Graph) -> Graph:
    rules.freeze(g)
    return g


@graph_method("is_frozen")
def _is_frozen(g: Graph) -> bool:
    return g.control.frozen


@graph_method("add_behavior")
def _add_behavior(g: Graph, fn: Any) -> None:
    """A custom value transformation `fn(value) -> value` applied to node values."""
    if not callable(fn):
        raise GraphoidError("TypeError", "add_behavior expects a function")
    rules.check_not_frozen(g)
    name = getattr(fn, "_gd_name", None) or "behavior"
    g.control.rules = (*g.control.rules, rules.RuleInstance(name, (), "error", "transform", fn))
    for node, value in metered(list(g.data_items())):
        g._nodes[node] = fn(value)
    g._vals += 1
    g._refresh_guard()


# ---------------------------------------------------------------------------- class-like introspection


@graph_method("type_of")
def _type_of(g: Graph) -> str:
    return g.type_of()


@graph_method("is_a")
def _is_a(g: Graph, target: Any) -> bool:
    return g.is_a(target)


@graph_method("template")
def _template(g: Graph) -> Any:
    return g.template()


@graph_method("responds_to")
def _responds_to(g: Graph, name: Any) -> bool:
    return g.responds_to(name)


@graph_method("include")
def _include(g: Graph, mixin: Any) -> GList:
    return g.include(mixin)


@graph_method("remove_method")
def _remove_method(g: Graph, name: Any) -> bool:
    return g.remove_method(name)


@graph_method("ancestors")
def _ancestors(g: Graph) -> GList:
    return g.ancestors()


@graph_method("methods")
def _methods(g: Graph) -> GList:
    return GList(g.method_names())


@graph_method("properties")
def _properties(g: Graph) -> GList:
    return GList(g._props)


def _delegate_one(attribute: str) -> Callable[[Graph, Any], GList]:
    """A builtin `g.attribute(name)` that forwards to the Graph method of the same name."""

    def forward(g: Graph, name: Any) -> GList:
        return getattr(g, attribute)(name)

    forward.__name__ = attribute
    return forward


# Dependency introspection of class-like graphs: each is the Graph method of the same name.
for _attribute in (
    "method_reads", "method_writes", "property_readers", "property_writers", "dependencies", "dependents",
):
    graph_method(_attribute)(_delegate_one(_attribute))


@graph_method("dependency_order")
def _dependency_order(g: Graph) -> GList:
    return g.dependency_order()


# ---------------------------------------------------------------------------- renderings and JSON
# export.py (and the json module under it) is imported on the first rendering: a program that
# renders no graph does not pay for it at start-up (test_cli checks).


@graph_method("to_dot")
def _to_dot(g: Graph, name: Any = "G") -> str:
    from graphoid.graphs import export

    return export.to_dot(g, str(name))


@graph_method("to_ascii")
def _to_ascii(g: Graph) -> str:
    from graphoid.graphs import export

    return export.to_ascii(g)


@graph_method("visualize")
def _visualize(g: Graph) -> str:
    from graphoid.graphs import export

    return export.visualize(g)


@graph_method("to_json")
def _to_json(g: Graph) -> str:
    from graphoid.graphs import export

    return export.to_json(g)


@graph_method("from_json")
def _from_json(g: Graph, text: Any) -> Graph:
    from graphoid.graphs import export

    return export.from_json(text)


# ---------------------------------------------------------------------------- patterns


@graph_method("match")
def _match(g: Graph, *items: Any) -> Any:
    from graphoid.graphs.patterns import match_graph

    return match_graph(g, items)
