"""Rules, rulesets, severities, transformations, freeze and method constraints on graphs."""

import pytest

from graphoid.graphs import rules as graph_rules
from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Graph
from graphoid.values.types import GList, Symbol

S = Symbol


def call(g, name, *args, **kwargs):
    return g.call(name, args, kwargs or None)


def snapshot(g: Graph):
    return (
        list(g._nodes.items()),
        sorted((e.src, e.dst, e.type, e.weight) for e in g.iter_edges(include_internal=True)),
        g.node_count(),
        g.edge_count(),
    )


def assert_rejected(g: Graph, rule_name: str, action) -> GraphoidError:
    before = snapshot(g)
    with pytest.raises(GraphoidError) as info:
        action()
    assert info.value.kind == "RuleError"
    assert rule_name in info.value.message
    assert snapshot(g) == before
    return info.value


def chain(*ids, graph=None):
    g = graph if graph is not None else Graph()
    for node in ids:
        g.add_node(node, node)
    for a, b in zip(ids, ids[1:]):
        g.add_edge(a, b)
    return g


def test_no_cycles_rejects_closing_edge_and_self_loop():
    g = chain("a", "b", "c")
    call(g, "add_rule", S("no_cycles"))
    assert_rejected(g, "no_cycles", lambda: call(g, "add_edge", "c", "a"))
    assert_rejected(g, "no_cycles", lambda: call(g, "add_edge", "b", "b"))
    call(g, "add_edge", "a", "c")
    assert g.edge_count() == 3


def test_no_cycles_undirected():
    g = Graph("undirected")
    chain("a", "b", "c", graph=g)
    call(g, "add_rule", S("no_cycles"))
    assert_rejected(g, "no_cycles", lambda: call(g, "add_edge", "a", "c"))


def test_adding_a_rule_the_graph_violates_fails_and_adds_nothing():
    g = chain("a", "b")
    g.add_edge("b", "a")
    with pytest.raises(GraphoidError) as info:
        call(g, "add_rule", S("no_cycles"))
    assert info.value.kind == "RuleError" and "no_cycles" in info.value.message
    assert not call(g, "has_rule", S("no_cycles"))


def test_ignore_existing_skips_retroactive_check():
    g = chain("a", "b")
    g.add_edge("b", "a")
    call(g, "add_rule", S("no_cycles"), S("ignore_existing"))
    assert call(g, "has_rule", S("no_cycles"))


def test_single_root_and_binary_tree():
    g = chain("r", "x")
    g.add_node("y", "y")
    call(g, "add_rule", S("single_root"))
    assert_rejected(g, "single_root", lambda: call(g, "add_edge", "y", "x"))
    call(g, "add_edge", "r", "y")
    call(g, "add_rule", S("binary_tree"))
    assert_rejected(g, "binary_tree", lambda: call(g, "add_edge", "r", "z"))


def test_single_root_whole_graph_check():
    g = chain("a", "b")
    chain("c", "d", graph=g)
    with pytest.raises(GraphoidError):
        call(g, "add_rule", S("single_root"))


def test_connected_rejects_disconnecting_removals():
    g = chain("a", "b", "c")
    call(g, "add_rule", S("connected"))
    assert_rejected(g, "connected", lambda: call(g, "remove_edge", "a", "b"))
    assert_rejected(g, "connected", lambda: call(g, "remove_node", "b"))
    call(g, "remove_node", "c")
    assert g.node_ids() == ["a", "b"]


def test_max_degree_with_parameter():
    g = Graph()
    for node in ("hub", "s1", "s2", "s3"):
        g.add_node(node, 0)
    call(g, "add_rule", S("max_degree"), 2)
    call(g, "add_edge", "hub", "s1")
    call(g, "add_edge", "hub", "s2")
    assert_rejected(g, "max_degree", lambda: call(g, "add_edge", "hub", "s3"))
    assert call(g, "rule", S("max_degree")) == 2
    with pytest.raises(GraphoidError):
        call(g, "add_rule", S("max_degree"))


def test_no_duplicates():
    g = Graph()
    call(g, "add_rule", S("no_duplicates"))
    g.add_node("a", 1)
    assert_rejected(g, "no_duplicates", lambda: call(g, "add_node", "b", 1))
    g.add_node("a", 1)  # replacing a node with its own value is fine


def test_weighted_and_unweighted_edges():
    g = Graph()
    call(g, "add_rule", S("weighted_edges"))
    assert_rejected(g, "weighted_edges", lambda: call(g, "add_edge", "a", "b"))
    call(g, "add_edge", "a", "b", "road", 3)
    h = Graph()
    call(h, "add_rule", S("unweighted_edges"))
    assert_rejected(h, "unweighted_edges", lambda: call(h, "add_edge", "a", "b", "road", 3))


def test_read_only_and_removal_rules():
    g = chain("a", "b")
    call(g, "add_rule", S("read_only"))
    assert_rejected(g, "read_only", lambda: call(g, "add_node", "c", 1))
    assert_rejected(g, "read_only", lambda: call(g, "remove_node", "a"))
    h = chain("a", "b", "c")
    call(h, "add_rule", S("no_node_removals"))
    assert_rejected(h, "no_node_removals", lambda: call(h, "remove_node", "a"))
    call(h, "add_node", "d", 4)
    k = chain("a", "b")
    call(k, "add_rule", S("no_edge_removals"))
    assert_rejected(k, "no_edge_removals", lambda: call(k, "remove_edge", "a", "b"))


def test_unknown_rule_and_remove_rule():
    g = Graph()
    with pytest.raises(GraphoidError) as info:
        call(g, "add_rule", S("sparkly"))
    assert info.value.kind == "ValueError"
    call(g, "add_rule", S("no_cycles"))
    call(g, "remove_rule", S("no_cycles"))
    assert not call(g, "has_rule", S("no_cycles"))
    assert not g._guarded


def test_rulesets_and_with_ruleset_returns_new_graph():
    g = Graph()
    h = call(g, "with_ruleset", S("dag"))
    assert call(h, "has_ruleset", S("dag")) and call(h, "has_rule", S("no_cycles"))
    assert not call(g, "has_ruleset", S("dag"))
    t = call(Graph(), "with_ruleset", S("bst"))
    t.add_node("m", 5)
    t.add_node("l", 3)
    t.add_node("r", 8)
    t.add_edge("m", "l", "left")
    assert_rejected(t, "bst_ordering", lambda: call(t, "add_edge", "m", "r", "left"))
    t.add_edge("m", "r", "right")
    with pytest.raises(GraphoidError):
        call(Graph(), "with_ruleset", S("forest"))


def test_severity_warning_and_silent_reject_without_raising():
    messages = []
    old = graph_rules.warn
    graph_rules.warn = messages.append
    try:
        g = chain("a", "b")
        call(g, "add_rule", S("no_cycles"), severity=S("warning"))
        call(g, "add_edge", "b", "a")
        assert not g.has_edge("b", "a")
        assert messages and "no_cycles" in messages[0]
        h = chain("a", "b")
        call(h, "add_rule", S("no_cycles"), S("silent"))
        call(h, "add_edge", "b", "a")
        assert not h.has_edge("b", "a") and len(messages) == 1
    finally:
        graph_rules.warn = old


def test_user_rule_undoes_violating_change():
    def positive(graph):
        return all(v > 0 for _, v in graph.data_items())

    g = Graph()
    g.add_node("a", 1)
    call(g, "add_rule", positive)
    assert call(g, "has_rule", positive)
    err = assert_rejected(g, "positive", lambda: call(g, "add_node", "b", -5))
    assert "undone" in err.message
    assert_rejected(g, "positive", lambda: call(g, "add_node", "a", -1))
    assert g.get_node("a") == 1
    call(g, "add_node", "b", 2)
    call(g, "remove_rule", positive)
    assert not call(g, "has_rule", positive)
    call(g, "add_node", "c", -1)


def test_user_rule_undo_of_edge_and_node_removal():
    g = chain("a", "b", "c")
    call(g, "add_rule", lambda graph: graph.edge_count() == 2 or graph.node_count() == 4)
    assert_rejected(g, "<native function>", lambda: call(g, "add_edge", "c", "a"))
    before = snapshot(g)
    with pytest.raises(GraphoidError):
        call(g, "remove_node", "b")
    assert snapshot(g) == before


def test_transformations_apply_to_new_and_existing_values():
    g = Graph()
    g.add_node("a", None)
    call(g, "add_rule", S("none_to_zero"))
    assert g.get_node("a") == 0
    g.add_node("b", None)
    assert g.get_node("b") == 0
    call(g, "add_rule", S("validate_range"), 0, 10)
    g.add_node("c", 50)
    assert g.get_node("c") == 10
    h = Graph()
    call(h, "add_rule", S("uppercase"))
    h.add_node("n", "abc")
    assert h.get_node("n") == "ABC"
    call(h, "add_behavior", lambda v: v + "!")
    h.add_node("m", "x")
    assert h.get_node("m") == "X!"


def test_freeze_blocks_every_change():
    g = chain("a", "b")
    assert call(g, "freeze") is g
    assert call(g, "is_frozen")
    for action in (
        lambda: call(g, "add_node", "c", 1),
        lambda: call(g, "add_edge", "b", "a"),
        lambda: call(g, "remove_node", "a"),
        lambda: g.set_property("p", 1),
        lambda: call(g, "add_rule", S("no_cycles")),
    ):
        before = snapshot(g)
        with pytest.raises(GraphoidError) as info:
            action()
        assert info.value.kind == "RuleError" and "frozen" in info.value.message
        assert snapshot(g) == before
    assert not call(g, "clone")._guarded


def test_method_constraint_undoes_method_effects():
    g = Graph.declare_class("Account")
    g.define_property("balance", 10)

    def withdraw(self, amount):
        self.set_property("balance", self.get_property("balance") - amount)

    g.define_method("withdraw", withdraw)
    call(g, "add_method_constraint", lambda before, after: after.get_property("balance") >= 0, "non_negative")
    g.call("withdraw", (4,))
    assert g.get_property("balance") == 6
    with pytest.raises(GraphoidError) as info:
        g.call("withdraw", (10,))
    assert info.value.kind == "RuleError" and "non_negative" in info.value.message
    assert g.get_property("balance") == 6
    with pytest.raises(GraphoidError) as info:
        call(g, "add_method_constraint", "not a function")
    assert info.value.kind == "TypeError"


def test_rules_listing_and_params():
    g = Graph()
    call(g, "add_rule", S("no_cycles"))
    call(g, "add_rule", S("max_degree"), 3)
    assert call(g, "rules") == GList([S("no_cycles"), S("max_degree")])
    assert call(g, "rule", S("no_cycles")) is True
    assert call(g, "rule", S("connected")) is None
