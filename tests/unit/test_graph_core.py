"""Data layer, layer visibility, equality, copying and the builtin method table of graphs."""

import pytest

from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Graph, new_graph
from graphoid.graphs.layers import is_internal
from graphoid.values.types import GList, GMap, Symbol


def call(g, name, *args, **kwargs):
    return g.call(name, args, kwargs or None)


def sample() -> Graph:
    g = Graph()
    for node, value in (("A", 1), ("B", 2), ("C", 3)):
        g.add_node(node, value)
    g.add_edge("A", "B", "e1")
    g.add_edge("B", "C", "e2")
    return g


def test_is_internal_is_prefix_predicate():
    assert is_internal("__methods__/x")
    assert is_internal("__x")
    assert not is_internal("_x")
    assert not is_internal("x__")


def test_add_node_returns_none_and_replaces():
    g = Graph()
    assert call(g, "add_node", "a", 1) is None
    call(g, "add_node", "a", 2)
    assert call(g, "get_node", "a") == 2
    assert call(g, "node_count") == 1


def test_get_node_missing_is_none_and_index_missing_errors():
    g = Graph()
    assert call(g, "get_node", "nope") is None
    with pytest.raises(GraphoidError) as info:
        g["nope"]
    assert info.value.kind == "KeyError"


def test_edges_are_from_to_type_lists_with_default_type():
    g = Graph()
    g.add_node("A", 1)
    g.add_node("B", 2)
    call(g, "add_edge", "A", "B")
    assert call(g, "edges") == [["A", "B", "edge"]]
    assert isinstance(call(g, "edges")[0], GList)


def test_add_edge_creates_missing_endpoints_with_none():
    g = Graph()
    call(g, "add_edge", "x", "y", "link")
    assert call(g, "nodes") == ["x", "y"]
    assert call(g, "get_node", "x") is None
    assert call(g, "edge_count") == 1


def test_add_edge_weight_positional_and_named():
    g = Graph()
    call(g, "add_edge", "a", "b", "road", 5)
    call(g, "add_edge", "b", "c", "road", weight=7)
    assert call(g, "edge_weight", "a", "b") == 5
    assert call(g, "get_edge", "b", "c")["weight"] == 7
    with pytest.raises(GraphoidError):
        call(g, "add_edge", "a", "c", "road", "heavy")


def test_non_string_node_id_is_type_error():
    g = Graph()
    with pytest.raises(GraphoidError) as info:
        call(g, "add_node", 1, "x")
    assert info.value.kind == "TypeError"


def test_replacing_an_edge_keeps_the_count():
    g = sample()
    g.add_edge("A", "B", "other")
    assert g.edge_count() == 2
    assert g.get_edge("A", "B").type == "other"


def test_remove_node_removes_its_edges():
    g = sample()
    call(g, "remove_node", "B")
    assert call(g, "nodes") == ["A", "C"]
    assert call(g, "edges") == []
    assert g.edge_count() == 0
    assert call(g, "neighbors", "A") == []


def test_remove_edge():
    g = sample()
    call(g, "remove_edge", "A", "B")
    assert call(g, "edges") == [["B", "C", "e2"]]
    assert not call(g, "has_edge", "A", "B")


def test_neighbors_degrees_and_via():
    g = sample()
    g.add_edge("A", "C", "e2")
    assert call(g, "neighbors", "A") == ["B", "C"]
    assert call(g, "neighbors", "A", "e2") == ["C"]
    assert call(g, "out_degree", "A") == 2
    assert call(g, "in_degree", "C") == 2
    assert call(g, "degree", "B") == 2
    assert call(g, "predecessors", "C") == ["B", "A"]
    with pytest.raises(GraphoidError):
        call(g, "degree", "missing")


def test_undirected_edges_go_both_ways_and_list_once():
    g = Graph("undirected")
    g.add_edge("a", "b", "f")
    assert call(g, "neighbors", "b") == ["a"]
    assert call(g, "edges") == [["a", "b", "f"]]
    assert g.edge_count() == 1
    assert call(g, "has_edge", "b", "a")
    call(g, "remove_edge", "b", "a")
    assert g.edge_count() == 0 and not g.has_edge("a", "b")


def test_unknown_graph_type():
    with pytest.raises(GraphoidError) as info:
        Graph("circular")
    assert info.value.kind == "ValueError"


def test_graph_literal_settings():
    g = new_graph({"type": Symbol("undirected")})
    assert g.graph_type == "undirected"
    dag = new_graph({"type": Symbol("dag")})
    assert call(dag, "has_rule", Symbol("no_cycles"))
    tree = new_graph(None, kind="tree")
    assert call(tree, "has_ruleset", Symbol("tree"))
    with pytest.raises(GraphoidError):
        new_graph({"colour": 1})


# ------------------------------------------------------------------ layer visibility


def class_graph() -> Graph:
    g = Graph.declare_class("Counter")
    g.define_property("count", 0)
    g.define_method("value", lambda self: self.get_property("count"))
    return g


def test_nodes_and_edges_see_data_only():
    g = class_graph()
    g.add_node("x", 1)
    assert call(g, "nodes") == ["x"]
    assert call(g, "node_count") == 1
    assert call(g, "edges") == []
    all_nodes = call(g, "nodes", Symbol("all"))
    assert "__properties__/count" in all_nodes
    assert "__methods__" in all_nodes and "__methods__/value" in all_nodes
    assert ["__methods__", "__methods__/value", "has_method"] in call(g, "edges", Symbol("all"))


def test_counts_equal_list_lengths_and_plain_graph_all_equals_data():
    g = sample()
    assert len(call(g, "nodes")) == call(g, "node_count")
    assert len(call(g, "edges")) == call(g, "edge_count")
    assert call(g, "nodes", Symbol("all")) == call(g, "nodes")
    assert call(g, "edges", Symbol("all")) == call(g, "edges")


def test_user_internal_ids_are_hidden_from_data_views():
    g = sample()
    g.add_node("__hidden", 9)
    g.add_edge("A", "__hidden")
    assert call(g, "node_count") == 3
    assert "__hidden" not in call(g, "nodes")
    assert "__hidden" in call(g, "nodes", Symbol("all"))
    assert call(g, "edge_count") == 2
    assert ["A", "__hidden", "edge"] in call(g, "edges", Symbol("all"))
    assert list(g) == ["A", "B", "C"]
    assert len(g) == 3


def test_truthiness_and_iteration():
    g = Graph()
    assert not g
    g.add_node("a", 1)
    assert g and list(g) == ["a"]


def test_equality_is_data_layer_and_type():
    a, b = sample(), sample()
    call(b, "add_rule", Symbol("no_duplicates"))
    b.define_property("p", 1)
    assert a == b
    b.add_node("D", 4)
    assert a != b
    c = Graph("undirected")
    d = Graph()
    c.add_node("a", 1)
    d.add_node("a", 1)
    assert c != d


def test_equality_compares_values_without_cross_type_coercion():
    a, b = Graph(), Graph()
    a.add_node("x", 1)
    b.add_node("x", True)
    assert a != b
    assert not call(a, "equals", b)
    b.add_node("x", 1.0)
    assert a == b


def test_equals_layers():
    g1, g2 = Graph(ruleset=Symbol("dag")), Graph(ruleset=Symbol("dag"))
    g1.add_node("a", 1)
    g2.add_node("a", 1)
    call(g1, "add_rule", Symbol("no_duplicates"))
    call(g2, "add_rule", Symbol("no_duplicates"))
    assert call(g1, "equals", g2, GMap({"include": Symbol("rules")}))
    assert call(g1, "equals", g2, include=GList([Symbol("rules"), Symbol("rulesets")]))
    assert call(g1, "equals", g2, GMap({"include": Symbol("all")}))
    g3 = Graph(ruleset=Symbol("tree"))
    g3.add_node("b", 9)
    call(g3, "add_rule", Symbol("positive"))
    assert not call(g1, "equals", g3, GMap({"only": Symbol("rules")}))
    assert not call(g1, "equals", g3, GMap({"only": Symbol("rulesets")}))
    g4 = Graph(ruleset=Symbol("tree"))
    g4.add_node("a", 1)
    assert call(g1, "equals", g4, GMap({"only": Symbol("data")}))
    with pytest.raises(GraphoidError):
        call(g1, "equals", g2, GMap({"only": Symbol("colour")}))


def test_clone_is_deep():
    g = Graph()
    g.add_node("m", GMap({"k": GList([1, 2])}))
    inner = Graph()
    inner.add_node("i", 1)
    g.add_node("g", inner)
    g.add_edge("m", "g", "t", 3)
    copy = call(g, "clone")
    assert copy == g and copy is not g
    copy.get_node("m")["k"].append(3)
    copy.get_node("g").add_node("j", 2)
    assert g.get_node("m")["k"] == [1, 2]
    assert g.get_node("g").node_count() == 1
    copy.add_node("extra", 0)
    assert g.node_count() == 2


def test_unknown_method_has_hint():
    g = Graph()
    with pytest.raises(GraphoidError) as info:
        call(g, "add_nod", "a")
    assert info.value.kind == "RuntimeError"
    assert "add_node" in (info.value.hint or "")


def test_wrong_arity_is_type_error():
    g = Graph()
    with pytest.raises(GraphoidError) as info:
        call(g, "add_node")
    assert info.value.kind == "TypeError"
    assert "add_node" in info.value.message


def test_display_and_type():
    g = sample()
    assert g.display() == "<graph: 3 nodes, 2 edges>"
    assert call(g, "type") == "graph"


def test_set_node_type_and_values():
    g = sample()
    call(g, "set_node_type", "A", Symbol("Person"))
    assert call(g, "node_type", "A") == "Person"
    assert call(g, "values") == [1, 2, 3]
    assert call(g, "find_nodes", lambda v: v > 1) == ["B", "C"]
