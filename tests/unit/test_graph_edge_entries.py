"""Adjacency entries: a plain edge of a directed graph is stored as its type name, every other
edge as an Edge (graphs/graph.py, "adjacency entries").

The Edge form stays valid for any edge, so the differential tests below turn every plain entry
of a graph into an Edge (the form every edge had before) and check that nothing a user can
observe differs between the two graphs."""

from __future__ import annotations

import gc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphoid.errors import GraphoidError
from graphoid.graphs.graph import (
    DEFAULT_EDGE_TYPE,
    Edge,
    Graph,
    edge_entry,
    entry_edge,
    entry_props,
    entry_type,
    entry_weight,
    make_entry,
)
from graphoid.values.types import GMap, Symbol


def call(g, name, *args):
    return g.call(name, args, None)


def as_edge_objects(g: Graph) -> Graph:
    """A clone of g whose plain entries are Edge objects (one per edge, shared by both maps)."""
    twin = g.clone()
    for src, succ in twin._out.items():
        for dst, entry in list(succ.items()):
            if entry.__class__ is not Edge:
                edge = Edge(src, dst, entry)
                succ[dst] = twin.in_map()[dst][src] = edge
    return twin


def entry_forms(g: Graph) -> set[str]:
    return {"edge" if entry.__class__ is Edge else "plain" for succ in g._out.values() for entry in succ.values()}


# ---------------------------------------------------------------------------- representation


def test_a_plain_directed_edge_is_its_type_name_and_leaves_the_maps_untracked():
    g = Graph()
    g.add_node("a", 1)
    g.add_edge("a", "b")
    g.add_edge("b", "c", Symbol("road"))
    assert g._out["a"]["b"] == DEFAULT_EDGE_TYPE and g.in_map()["b"]["a"] == DEFAULT_EDGE_TYPE
    assert g._out["b"]["c"] == "road"
    # no per-node map of plain edges is for the cyclic collector to traverse
    assert not any(map(gc.is_tracked, g._out.values())) and not any(map(gc.is_tracked, g.in_map().values()))


def test_weighted_edges_property_edges_and_undirected_edges_are_edge_objects():
    g = Graph()
    g.add_edge("a", "b", "edge", 2)
    g.add_edge("b", "c", "edge", None, GMap({"k": 1}))
    assert g._out["a"]["b"].__class__ is Edge and g.in_map()["b"]["a"] is g._out["a"]["b"]
    assert g._out["b"]["c"].__class__ is Edge
    u = Graph("undirected")
    u.add_edge("x", "y")
    assert u._out["x"]["y"].__class__ is Edge and u._out["y"]["x"] is u._out["x"]["y"]


def test_replacing_switches_between_the_forms():
    g = Graph()
    g.add_edge("a", "b", "t", 5)
    g.add_edge("a", "b", "t")  # add_edge replaces: the weight goes
    assert g._out["a"]["b"] == "t" and call(g, "edge_weight", "a", "b") is None
    call(g, "set_edge_weight", "a", "b", 7)
    assert g._out["a"]["b"].__class__ is Edge and call(g, "edge_weight", "a", "b") == 7
    assert g.edge_count() == 1


def test_the_accessors_read_both_forms():
    edge = Edge("a", "b", "road", 3, GMap({"k": 1}))
    assert (entry_type(edge), entry_weight(edge), entry_props(edge)) == ("road", 3, GMap({"k": 1}))
    assert (entry_type("road"), entry_weight("road"), entry_props("road")) == ("road", None, None)
    assert entry_edge("a", "b", edge) is edge
    made = entry_edge("a", "b", "road")
    assert (made.src, made.dst, made.type, made.weight, made.props) == ("a", "b", "road", None, None)
    assert edge_entry(Edge("a", "b", "road"), True) == "road"
    assert edge_entry(edge, True) is edge
    plain_undirected = Edge("a", "b", "road")
    assert edge_entry(plain_undirected, False) is plain_undirected
    assert make_entry("a", "b", "road", None, None, True) == "road"
    assert make_entry("a", "b", "road", 0, None, True).weight == 0  # a zero weight is a weight
    assert make_entry("a", "b", "road", None, None, False).__class__ is Edge


def test_get_edge_of_a_plain_edge_is_a_full_edge():
    g = Graph()
    g.add_edge("a", "b", "road")
    found = call(g, "get_edge", "a", "b")
    assert found == GMap({"from": "a", "to": "b", "type": "road", "weight": None})
    assert call(g, "get_edge", "b", "a") is None


def test_bad_edge_types_and_ids_are_still_errors():
    g = Graph()
    with pytest.raises(GraphoidError) as caught:
        g.add_edge("a", "b", 5)
    assert caught.value.kind == "TypeError" and "Edge type must be a string or symbol" in caught.value.message
    with pytest.raises(GraphoidError) as caught:
        g.add_edge("a", 1)
    assert caught.value.kind == "TypeError" and "Node id must be a string" in caught.value.message
    # as before: the endpoints of the rejected typed edge exist, no edge does
    assert g.node_ids() == ["a", "b"] and g.edge_count() == 0 and g._out["a"] == {}


def test_a_self_loop_to_a_new_node_is_stored_once_per_map():
    g = Graph()
    g.add_edge("a", "a")
    assert g._out["a"] == {"a": "edge"} and g.in_map()["a"] == {"a": "edge"}
    assert g.edge_count() == 1 and call(g, "degree", "a") == 2


# ---------------------------------------------------------------------------- rules and undo


def test_a_rejected_edge_on_a_dag_restores_the_plain_edge_it_replaced():
    g = Graph("dag")
    g.add_edge("a", "b", "t")
    g.add_edge("b", "c")
    with pytest.raises(GraphoidError):
        g.add_edge("c", "a")
    assert g._out["a"]["b"] == "t" and "a" not in g._out["c"]
    assert g.edge_count() == 2


def test_remove_node_undone_by_a_user_rule_restores_plain_and_weighted_edges():
    g = Graph()
    g.add_edge("a", "b", "t")
    g.add_edge("b", "c", "w", 4)
    g.add_edge("c", "b")
    g.control.rules = (*g.control.rules, _keep_node("b"))
    g._refresh_guard()
    from graphoid.graphs import rules as graph_rules

    with pytest.raises(GraphoidError):
        graph_rules.guarded_remove_node(g, "b")
    assert g._out["a"]["b"] == "t" and g._out["c"]["b"] == "edge"
    assert g._out["b"]["c"].weight == 4
    assert sorted(map(list, call(g, "edges"))) == [["a", "b", "t"], ["b", "c", "w"], ["c", "b", "edge"]]
    assert g.edge_count() == 3 and call(g, "edge_weight", "b", "c") == 4


def _keep_node(node_id: str):
    """A user rule (graphs/rules.py RuleInstance) that rejects graphs without node_id."""
    from graphoid.graphs.rules import RuleInstance

    return RuleInstance("keep", kind="user", fn=lambda g: node_id in g._nodes)


# ---------------------------------------------------------------------------- differential


def observations(g: Graph) -> dict:
    """What Graphoid code can see of a graph's edges."""
    ids = list(g._nodes)
    seen = {
        "edges": call(g, "edges"),
        "all": call(g, "edges", Symbol("all")),
        "count": call(g, "edge_count"),
        "dot": call(g, "to_dot"),
        "json": call(g, "to_json"),
        "ascii": call(g, "to_ascii"),
        "pairs": [(a, b, call(g, "get_edge", a, b), call(g, "has_edge", a, b, "road"), call(g, "edge_weight", a, b))
                  for a in ids for b in ids],
        "near": [(a, call(g, "neighbors", a, "road"), call(g, "predecessors", a, "edge"), call(g, "degree", a),
                  call(g, "bfs", a, "road"), call(g, "dfs", a)) for a in ids],
        "cycle": call(g, "has_cycle"),
        "components": call(g, "connected_components"),
    }
    if len(ids) >= 2:
        seen["path"] = call(g, "shortest_path", ids[0], ids[-1], None, True)
        seen["sub"] = call(call(g, "subgraph", ids[: len(ids) // 2 + 1]), "edges")
    copy = g.clone()
    seen["clone"] = (call(copy, "edges"), copy == g, g == copy)
    return seen


IDS = st.sampled_from(["a", "b", "c", "d", "__i"])
TYPES = st.sampled_from([None, "edge", "road", "rail"])
WEIGHTS = st.sampled_from([None, None, 1, 2.5, 0])
OPS = st.lists(
    st.one_of(
        st.tuples(st.just("add_node"), IDS, st.integers(0, 3)),
        st.tuples(st.just("add_edge"), IDS, IDS, TYPES, WEIGHTS, st.booleans()),
        st.tuples(st.just("remove_node"), IDS),
        st.tuples(st.just("remove_edge"), IDS, IDS),
        st.tuples(st.just("set_edge_weight"), IDS, IDS, WEIGHTS),
    ),
    max_size=30,
)


def apply(g: Graph, op: tuple) -> None:
    name, *args = op
    try:
        if name == "add_edge":
            src, dst, edge_type, weight, with_props = args
            props = GMap({"since": 1}) if with_props else None
            if edge_type is None:
                g.add_edge(src, dst, weight=weight, props=props)
            else:
                g.add_edge(src, dst, edge_type, weight, props)
        else:
            call(g, name, *args)
    except GraphoidError:
        pass


@settings(max_examples=80, deadline=None)
@given(OPS, st.sampled_from(["directed", "undirected", "dag"]))
def test_plain_entries_look_exactly_like_edge_objects(ops, graph_type) -> None:
    g = Graph(graph_type)
    for op in ops:
        apply(g, op)
    twin = as_edge_objects(g)
    assert "plain" not in entry_forms(twin)
    assert observations(g) == observations(twin)
    assert g == twin and twin == g


@settings(max_examples=60, deadline=None)
@given(OPS, OPS)
def test_the_same_mutations_give_the_same_graph_from_either_form(first, then) -> None:
    """Mutations applied to a graph of plain entries and to its Edge-object twin agree."""
    g = Graph()
    for op in first:
        apply(g, op)
    twin = as_edge_objects(g)
    for op in then:
        apply(g, op)
        apply(twin, op)
    assert observations(g) == observations(twin)
    assert entry_forms(g) <= {"plain", "edge"}


# ---------------------------------------------------------------------------- add_plain_edge


def _outcome(action):
    try:
        return ("ok", action())
    except GraphoidError as error:
        return (error.kind, error.message)


def _state(g: Graph, base: tuple[int, int]) -> tuple:
    """What users see, and how far the version counters (messaging's caches) moved since base."""
    return (observations(g), g._topo - base[0], g._vals - base[1], g.edge_count(), list(g._nodes),
            sorted(g._internal_ids))


PLAIN_OPS = st.lists(st.tuples(st.sampled_from(["a", "b", "c", "__i", 7, None]), st.sampled_from(["a", "b", "d", "__i", 3])),
                     max_size=12)


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(["directed", "undirected", "dag", "tree"]), OPS, PLAIN_OPS, st.booleans())
def test_add_plain_edge_is_add_edge_with_two_arguments(graph_type, setup, pairs, frozen) -> None:
    fast = Graph(graph_type)
    for op in setup:
        apply(fast, op)
    general = fast.clone()
    if frozen:
        call(fast, "freeze")
        call(general, "freeze")
    fast_base, general_base = (fast._topo, fast._vals), (general._topo, general._vals)
    for src, dst in pairs:
        assert _outcome(lambda: fast.add_plain_edge(src, dst)) == _outcome(lambda: general.add_edge(src, dst))
        assert _state(fast, fast_base) == _state(general, general_base)


def test_add_plain_edge_replaces_a_weighted_edge_and_counts_internal_ends_out():
    g = Graph()
    g.add_edge("a", "b", "road", 3)
    g.add_node("__i")
    g.add_plain_edge("a", "b")
    assert g._out["a"]["b"] == "edge" and g.in_map()["b"]["a"] == "edge" and g.edge_count() == 1
    g.add_plain_edge("a", "__i")
    assert g.edge_count() == 1 and g._out["a"]["__i"] == "edge"
