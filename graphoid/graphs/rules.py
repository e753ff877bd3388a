"""The control layer at work: structural rules, value transformations, user rules, rulesets.

Every guarded mutation follows one protocol: check frozen/read-only, transform the value,
ask each structural rule whether the change is allowed (before touching anything), apply it,
then run user rules on the result and undo the change if one fails. So a rejected change
leaves the graph exactly as it was.

Severities: :error (default) raises GraphoidError("RuleError") naming the rule; :warning
rejects the change and reports through `warn`; :silent rejects it quietly.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, Callable

import attrs

from graphoid.graphs import algorithms as algo
from graphoid.errors import GraphoidError
from graphoid.values.types import GList, Symbol
from graphoid.values.format import describe, function_label

if TYPE_CHECKING:
    from graphoid.graphs.graph import Edge, Graph

SEVERITIES = ("error", "warning", "silent")
_POLICY_ALIASES = {"strict": "error", "error": "error", "warn": "warning", "warning": "warning", "silent": "silent"}


def _stderr_warning(message: str) -> None:
    sys.stderr.write(f"warning: {message}\n")


# Where :warning rule violations are reported; an embedding application may replace it.
warn: Callable[[str], None] = _stderr_warning


@attrs.define(slots=True)
class RuleInstance:
    """One rule attached to a graph."""

    name: str
    params: tuple = ()
    severity: str = "error"
    kind: str = "structural"  # structural | transform | user
    fn: Callable[..., Any] | None = None
    origin: str | None = None  # the ruleset that added it, if any

    def key(self) -> tuple:
        return (self.name, self.params) if self.fn is None else (self.name, id(self.fn))

    def describe(self) -> str:
        return self.name if not self.params else f"{self.name}({', '.join(map(describe, self.params))})"


# ---------------------------------------------------------------------------- structural rules
# Each check returns None when the change is allowed, else a message.


def _no_cycles_edge(g: "Graph", r: RuleInstance, src: str, dst: str, etype: str, weight: Any) -> str | None:
    if src == dst:
        return f"edge {src} -> {dst} is a self-loop"
    if g.has_edge(src, dst):
        return None
    if algo.has_path(g, dst, src) if g.directed else algo.has_path(g, src, dst):
        return f"edge {src} -> {dst} would create a cycle"
    return None


def _single_root_edge(g: "Graph", r: RuleInstance, src: str, dst: str, etype: str, weight: Any) -> str | None:
    preds = g.in_map().get(dst)
    if preds and src not in preds:
        return f"node '{dst}' already has a parent"
    return None


def _single_root_graph(g: "Graph", r: RuleInstance) -> str | None:
    roots = []
    into = g.in_map()
    for node in g.node_ids():
        indeg = len(into[node])
        if indeg > 1:
            return f"node '{node}' has more than one parent"
        if indeg == 0 and g._out[node]:
            roots.append(node)
    if len(roots) > 1:
        return f"graph has {len(roots)} roots ({', '.join(roots)})"
    return None


def _connected_remove_node(g: "Graph", r: RuleInstance, node: str) -> str | None:
    probe = g.clone()
    probe.control.rules = []
    probe._refresh_guard()
    probe.raw_remove_node(node)
    return None if algo.is_connected(probe) else f"removing node '{node}' would disconnect the graph"


def _connected_remove_edge(g: "Graph", r: RuleInstance, src: str, dst: str) -> str | None:
    edge = g.raw_remove_edge(src, dst)
    try:
        ok = algo.is_connected(g)
    finally:
        if edge is not None:
            g.raw_add_edge(edge)
    return None if ok else f"removing edge {src} -> {dst} would disconnect the graph"


def _binary_tree_edge(g: "Graph", r: RuleInstance, src: str, dst: str, etype: str, weight: Any) -> str | None:
    succ = g._out.get(src, {})
    if dst not in succ and len(succ) >= 2:
        return f"node '{src}' already has 2 children"
    return None


def _binary_tree_graph(g: "Graph", r: RuleInstance) -> str | None:
    for node in g.node_ids():
        if len(g._out[node]) > 2:
            return f"node '{node}' has more than 2 children"
    return None


def _max_degree_edge(g: "Graph", r: RuleInstance, src: str, dst: str, etype: str, weight: Any) -> str | None:
    limit = r.params[0]
    if g.has_edge(src, dst):
        return None
    for node in (src, dst):
        degree = g.degree(node) if node in g._nodes else 0
        if degree + 1 > limit:
            return f"node '{node}' would exceed degree {limit}"
    return None


def _max_degree_graph(g: "Graph", r: RuleInstance) -> str | None:
    for node in g.node_ids():
        if g.degree(node) > r.params[0]:
            return f"node '{node}' has degree above {r.params[0]}"
    return None


def _no_duplicates_node(g: "Graph", r: RuleInstance, node: str, value: Any) -> str | None:
    for other, existing in g.data_items():
        if other != node and existing == value:
            return f"value already stored at node '{other}'"
    return None


def _no_duplicates_graph(g: "Graph", r: RuleInstance) -> str | None:
    values: list[Any] = []
    for node, value in g.data_items():
        if value in values:
            return f"duplicate value at node '{node}'"
        values.append(value)
    return None


def _weighted_edge(g: "Graph", r: RuleInstance, src: str, dst: str, etype: str, weight: Any) -> str | None:
    return f"edge {src} -> {dst} needs a weight" if weight is None else None


def _weighted_graph(g: "Graph", r: RuleInstance) -> str | None:
    for edge in g.iter_edges():
        if edge.weight is None:
            return f"edge {edge.src} -> {edge.dst} has no weight"
    return None


def _unweighted_edge(g: "Graph", r: RuleInstance, src: str, dst: str, etype: str, weight: Any) -> str | None:
    return f"edge {src} -> {dst} may not have a weight" if weight is not None else None


def _unweighted_graph(g: "Graph", r: RuleInstance) -> str | None:
    for edge in g.iter_edges():
        if edge.weight is not None:
            return f"edge {edge.src} -> {edge.dst} has a weight"
    return None


def _bst_edge(g: "Graph", r: RuleInstance, src: str, dst: str, etype: str, weight: Any) -> str | None:
    if etype not in ("left", "right"):
        return None
    parent, child = g._nodes.get(src), g._nodes.get(dst)
    try:
        ordered = child < parent if etype == "left" else child > parent
    except TypeError:
        return f"values of {src} and {dst} are not comparable"
    return None if ordered else f"{etype} child '{dst}' breaks the search-tree order of '{src}'"


def _bst_graph(g: "Graph", r: RuleInstance) -> str | None:
    for edge in g.iter_edges():
        problem = _bst_edge(g, r, edge.src, edge.dst, edge.type, edge.weight)
        if problem:
            return problem
    return None


def _reject_all_node(g: "Graph", r: RuleInstance, node: str, value: Any) -> str:
    return "the graph is read-only"


def _reject_all_edge(g: "Graph", r: RuleInstance, src: str, dst: str, etype: str, weight: Any) -> str:
    return "the graph is read-only"


def _reject_remove_node(g: "Graph", r: RuleInstance, node: str) -> str:
    return f"removing node '{node}' is not allowed"


def _reject_remove_edge(g: "Graph", r: RuleInstance, src: str, dst: str) -> str:
    return f"removing edge {src} -> {dst} is not allowed"


def _no_edge_removals_node(g: "Graph", r: RuleInstance, node: str) -> str | None:
    if g._out.get(node) or g.in_map().get(node):
        return f"removing node '{node}' would remove its edges"
    return None


def _whole_cycles(g: "Graph", r: RuleInstance) -> str | None:
    return "the graph has a cycle" if algo.has_cycle(g) else None


def _whole_connected(g: "Graph", r: RuleInstance) -> str | None:
    return None if algo.is_connected(g) else "the graph is not connected"


@attrs.frozen
class StructuralRule:
    """The checks of one built-in rule, per operation, plus a whole-graph check."""

    params: int = 0
    add_node: Callable[..., str | None] | None = None
    add_edge: Callable[..., str | None] | None = None
    remove_node: Callable[..., str | None] | None = None
    remove_edge: Callable[..., str | None] | None = None
    whole: Callable[..., str | None] | None = None


STRUCTURAL: dict[str, StructuralRule] = {
    "no_cycles": StructuralRule(add_edge=_no_cycles_edge, whole=_whole_cycles),
    "single_root": StructuralRule(add_edge=_single_root_edge, whole=_single_root_graph),
    "connected": StructuralRule(
        remove_node=_connected_remove_node, remove_edge=_connected_remove_edge, whole=_whole_connected
    ),
    "binary_tree": StructuralRule(add_edge=_binary_tree_edge, whole=_binary_tree_graph),
    "max_degree": StructuralRule(params=1, add_edge=_max_degree_edge, whole=_max_degree_graph),
    "no_duplicates": StructuralRule(add_node=_no_duplicates_node, whole=_no_duplicates_graph),
    "weighted_edges": StructuralRule(add_edge=_weighted_edge, whole=_weighted_graph),
    "unweighted_edges": StructuralRule(add_edge=_unweighted_edge, whole=_unweighted_graph),
    "read_only": StructuralRule(
        add_node=_reject_all_node,
        add_edge=_reject_all_edge,
        remove_node=_reject_remove_node,
        remove_edge=_reject_remove_edge,
    ),
    "no_node_removals": StructuralRule(remove_node=_reject_remove_node),
    "no_edge_removals": StructuralRule(remove_node=_no_edge_removals_node, remove_edge=_reject_remove_edge),
    "bst_ordering": StructuralRule(add_edge=_bst_edge, whole=_bst_graph),
}
ALIASES = {"no_dups": "no_duplicates", "max_children": "binary_tree", "acyclic": "no_cycles"}


# ---------------------------------------------------------------------------- value transformations


def _num(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _round_half_away(value: float) -> int:
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)


def _clamp(value: Any, low: Any, high: Any) -> Any:
    if not _num(value):
        return value
    return low if value < low else high if value > high else value


TRANSFORMS: dict[str, Callable[..., Any]] = {
    "none_to_zero": lambda v: 0 if v is None else v,
    "none_to_empty": lambda v: "" if v is None else v,
    "positive": lambda v: abs(v) if _num(v) else v,
    "round_to_int": lambda v: _round_half_away(v) if _num(v) else v,
    "uppercase": lambda v: v.upper() if isinstance(v, str) else v,
    "lowercase": lambda v: v.lower() if isinstance(v, str) else v,
    "validate_range": _clamp,
}
TRANSFORM_PARAMS = {"validate_range": 2}


def transform_value(name: str, params: tuple, value: Any) -> Any:
    """Apply the named value transformation (shared with list/map behaviours)."""
    return TRANSFORMS[name](value, *params)


def _transform(g: "Graph", value: Any) -> Any:
    for rule in g.control.rules:
        if rule.kind == "transform":
            value = transform_value(rule.name, rule.params, value) if rule.fn is None else rule.fn(value)
    return value


# ---------------------------------------------------------------------------- rulesets

RULESETS: dict[str, tuple[str, ...]] = {
    "dag": ("no_cycles",),
    "tree": ("no_cycles", "single_root", "connected"),
    "binary_tree": ("no_cycles", "single_root", "connected", "binary_tree"),
    "bst": ("no_cycles", "single_root", "connected", "binary_tree", "bst_ordering"),
}


def apply_ruleset(g: "Graph", name: Any) -> None:
    if name.__class__ is not str or name not in RULESETS:
        shown = f":{name}" if name.__class__ is str else describe(name)
        raise GraphoidError("ValueError", f"Unknown ruleset '{shown}' (expected {', '.join(RULESETS)})")
    if name in g.control.rulesets:
        return
    problems = []
    for rule_name in RULESETS[name]:
        if not has_rule(g, rule_name):
            rule = RuleInstance(rule_name, origin=name)
            problem = STRUCTURAL[rule_name].whole and STRUCTURAL[rule_name].whole(g, rule)
            if problem:
                problems.append(f"{rule_name}: {problem}")
    if problems:
        raise GraphoidError("RuleError", f"Ruleset '{name}' violated: {'; '.join(problems)}")
    g.control.rulesets = (*g.control.rulesets, name)
    for rule_name in RULESETS[name]:
        if not has_rule(g, rule_name):
            g.control.rules = (*g.control.rules, RuleInstance(rule_name, origin=name))
    g._refresh_guard()


# ---------------------------------------------------------------------------- rule management


def _rule_name(rule: Any) -> str:
    name = rule.name if isinstance(rule, Symbol) else rule
    if not isinstance(name, str):
        raise GraphoidError("TypeError", "A rule is named by a symbol or string, or is a function")
    return ALIASES.get(name, name)


def add_rule(g: "Graph", rule: Any, *args: Any, severity: Any = None) -> None:
    """Attach a rule; the graph must already satisfy it (else RuleError, nothing changes)."""
    check_not_frozen(g)
    params: list[Any] = []
    retroactive = True
    level = "error"
    for arg in args:
        name = arg.name if isinstance(arg, Symbol) else None
        if name in _POLICY_ALIASES:
            level = _POLICY_ALIASES[name]
        elif name == "ignore_existing":
            retroactive = False
        else:
            params.append(arg)
    if severity is not None:
        level = _POLICY_ALIASES.get(severity.name if isinstance(severity, Symbol) else str(severity), "")
        if level not in SEVERITIES:
            raise GraphoidError("ValueError", f"Unknown rule severity '{describe(severity)}' (:error, :warning, :silent)")
    if callable(rule) and not isinstance(rule, (str, Symbol)):
        label = function_label(rule)
        instance = RuleInstance(label, (), level, "user", rule)
        if retroactive and not _truthy(rule(g)):
            raise GraphoidError("RuleError", f"Rule '{label}' violated by the graph as it is")
    else:
        name = _rule_name(rule)
        if name in TRANSFORMS:
            expected = TRANSFORM_PARAMS.get(name, 0)
            if len(params) != expected:
                raise GraphoidError("ValueError", f"Rule '{name}' takes {expected} parameter(s)")
            instance = RuleInstance(name, tuple(params), level, "transform")
            _remove_named(g, name)
            g.control.rules = (*g.control.rules, instance)
            for node, value in list(g.data_items()):
                g._nodes[node] = transform_value(name, instance.params, value)
            g._vals += 1
            g._refresh_guard()
            return
        spec = STRUCTURAL.get(name)
        if spec is None:
            raise GraphoidError(
                "ValueError", f"Unknown rule ':{name}'", hint=f"known rules: {', '.join(sorted(STRUCTURAL))}"
            )
        if len(params) != spec.params:
            raise GraphoidError("ValueError", f"Rule '{name}' takes {spec.params} parameter(s), got {len(params)}")
        if spec.params and not all(isinstance(p, (int, float)) and not isinstance(p, bool) for p in params):
            raise GraphoidError("TypeError", f"Rule '{name}' takes a number")
        instance = RuleInstance(name, tuple(params), level, "structural")
        if retroactive and spec.whole is not None:
            problem = spec.whole(g, instance)
            if problem:
                raise GraphoidError("RuleError", f"Rule '{name}' violated by the graph as it is: {problem}")
        _remove_named(g, name)
    g.control.rules = (*g.control.rules, instance)
    g._refresh_guard()


def _remove_named(g: "Graph", name: str) -> bool:
    before = len(g.control.rules)
    g.control.rules = [rule for rule in g.control.rules if rule.name != name]
    return len(g.control.rules) != before


def remove_rule(g: "Graph", rule: Any) -> bool:
    check_not_frozen(g)
    if callable(rule) and not isinstance(rule, (str, Symbol)):
        before = len(g.control.rules)
        g.control.rules = [r for r in g.control.rules if r.fn is not rule]
        removed = len(g.control.rules) != before
    else:
        removed = _remove_named(g, _rule_name(rule))
    g._refresh_guard()
    return removed


def has_rule(g: "Graph", rule: Any) -> bool:
    if callable(rule) and not isinstance(rule, (str, Symbol)):
        return any(r.fn is rule for r in g.control.rules)
    name = _rule_name(rule)
    return any(r.name == name for r in g.control.rules)


def rule_param(g: "Graph", rule: Any) -> Any:
    """The rule's parameter (or list of parameters), none when absent or unparameterised."""
    name = _rule_name(rule)
    for r in g.control.rules:
        if r.name == name:
            if not r.params:
                return True
            return r.params[0] if len(r.params) == 1 else GList(r.params)
    return None


def rule_names(g: "Graph") -> GList:
    return GList(Symbol(r.name) for r in g.control.rules)


def freeze(g: "Graph") -> None:
    g.control.frozen = True
    g._refresh_guard()


# ---------------------------------------------------------------------------- enforcement


def _truthy(value: Any) -> bool:
    return value is not None and value is not False


def check_not_frozen(g: "Graph") -> None:
    if g.control.frozen:
        raise GraphoidError("RuleError", "Cannot modify a frozen graph")


def check_writable(g: "Graph", op: str) -> None:
    check_not_frozen(g)
    for rule in g.control.rules:
        if rule.name == "read_only":
            _enforce([(rule, f"{op} on a read-only graph")])


def _enforce(violations: list[tuple[RuleInstance, str]]) -> bool:
    """True when the change may proceed; raises for :error rules."""
    if not violations:
        return True
    for rule, message in violations:
        if rule.severity == "error":
            raise GraphoidError("RuleError", f"Rule '{rule.describe()}' violated: {message}")
    for rule, message in violations:
        if rule.severity == "warning":
            warn(f"rule '{rule.describe()}' rejected a change: {message}")
    return False


def _structural(g: "Graph", op: str, *args: Any) -> list[tuple[RuleInstance, str]]:
    found = []
    for rule in g.control.rules:
        if rule.kind != "structural":
            continue
        check = getattr(STRUCTURAL[rule.name], op)
        if check is not None:
            problem = check(g, rule, *args)
            if problem:
                found.append((rule, problem))
    return found


def _user_rules_hold(g: "Graph", undo: Callable[[], None]) -> None:
    for rule in g.control.rules:
        if rule.kind == "user" and not _truthy(rule.fn(g)):  # type: ignore[misc]
            undo()
            _enforce([(rule, "the change was undone")])
            return


def guarded_add_node(g: "Graph", node_id: str, value: Any) -> None:
    check_not_frozen(g)  # Graph.add_node checked the id
    value = _transform(g, value)
    if not _enforce(_structural(g, "add_node", node_id, value)):
        return
    existed = node_id in g._nodes
    old = g._nodes.get(node_id)
    g._vals += 1
    if existed:
        g._nodes[node_id] = value
    else:
        g._ensure_node(node_id)
        g._nodes[node_id] = value

    def undo() -> None:
        g._vals += 1
        if existed:
            g._nodes[node_id] = old
        else:
            g.raw_remove_node(node_id)

    _user_rules_hold(g, undo)


def guarded_add_edge(g: "Graph", src: str, dst: str, edge_type: Any, weight: Any, props: Any) -> None:
    from graphoid.graphs.graph import DEFAULT_EDGE_TYPE, Edge

    check_not_frozen(g)
    if edge_type is None:
        edge_type = DEFAULT_EDGE_TYPE
    if not isinstance(edge_type, str):
        raise GraphoidError("TypeError", "Edge type must be a string or symbol")
    if not _enforce(_structural(g, "add_edge", src, dst, edge_type, weight)):
        return
    created = [node for node in dict.fromkeys((src, dst)) if node not in g._nodes]
    old = g.get_edge(src, dst)
    g.raw_add_edge(Edge(src, dst, edge_type, weight, props))

    def undo() -> None:
        g.raw_remove_edge(src, dst)
        if old is not None:
            g.raw_add_edge(old)
        for node in created:
            g.raw_remove_node(node)

    _user_rules_hold(g, undo)


def guarded_remove_node(g: "Graph", node_id: str) -> bool:
    check_not_frozen(g)
    if not _enforce(_structural(g, "remove_node", node_id)):
        return False
    value = g._nodes[node_id]
    node_type = g._node_types.get(node_id)
    from graphoid.graphs.graph import entry_edge

    edges: list["Edge"] = [entry_edge(node_id, d, e) for d, e in g._out[node_id].items()] + [
        entry_edge(s, node_id, e) for s, e in g.in_map()[node_id].items() if s != node_id
    ]
    order = list(g._nodes)
    g.raw_remove_node(node_id)

    def undo() -> None:
        g._ensure_node(node_id)
        g._nodes[node_id] = value
        # restore the original insertion order so iteration is unchanged
        restored = {key: g._nodes[key] for key in order if key in g._nodes}
        g._nodes.clear()
        g._nodes.update(restored)
        g._vals += 1
        if node_type is not None:
            g._node_types[node_id] = node_type
        for edge in edges:
            g.raw_add_edge(edge)

    _user_rules_hold(g, undo)
    return node_id not in g._nodes or False


def guarded_remove_edge(g: "Graph", src: str, dst: str) -> bool:
    check_not_frozen(g)
    if not _enforce(_structural(g, "remove_edge", src, dst)):
        return False
    edge = g.raw_remove_edge(src, dst)

    def undo() -> None:
        if edge is not None:
            g.raw_add_edge(edge)

    _user_rules_hold(g, undo)
    return not g.has_edge(src, dst)
