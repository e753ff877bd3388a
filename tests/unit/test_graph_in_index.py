"""A directed graph's in-neighbour index is built on demand (graphs/graph.py, `Graph.in_map`).

Until something asks for predecessors or in-edges a directed graph keeps no index, only a log
of its edges in the order they were added; the first reader builds the index from `_out` in
that order, and every writer keeps it up to date from then on. Nothing a user can observe may
depend on when the index was built: the differential tests run the same operations on a graph
whose index exists from the start and on one whose index is built late (or never)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import graphoid.messaging.local  # noqa: F401  (adds broadcast, send, set_behavior to graphs)
from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Graph
from graphoid.values.types import GList, Symbol


def call(g: Graph, name: str, *args, **kwargs):
    return g.call(name, args, kwargs or None)


def built(g: Graph) -> bool:
    return g._in is not None


def eager(kind: str = "directed") -> Graph:
    """A graph whose in-neighbour index exists from the start."""
    g = Graph(kind)
    g.in_map()
    return g


def outcome(action):
    """What an action returns, or the kind and message of the error it raises."""
    try:
        return ("ok", action())
    except GraphoidError as exc:
        return ("error", exc.kind, exc.message)


def observed(g: Graph) -> tuple:
    """Everything a user sees of a graph's structure, in order."""
    ids = g.node_ids()
    return (
        ids,
        [(edge.src, edge.dst, edge.type, edge.weight) for edge in g.iter_edges()],
        g.edge_count(),
        [(node, g.predecessors(node), g.successors(node), g.in_degree(node), g.degree(node)) for node in ids],
    )


# ---------------------------------------------------------------------------- the two states


def test_a_new_directed_graph_keeps_no_index_until_a_reader_asks():
    g = Graph()
    for node in ("a", "b", "c"):
        g.add_node(node, 1)
    g.add_edge("a", "b")
    g.add_plain_edge("b", "c")
    g.add_edge("c", "a", "link", 2)
    assert not built(g) and g._inlog == ["a", "b", "b", "c", "c", "a"]
    assert call(g, "successors", "a") == GList(["b"]) and call(g, "out_degree", "a") == 1
    assert not built(g)  # out-neighbour reads never build it
    assert call(g, "predecessors", "a") == GList(["c"])
    assert built(g) and g._inlog is None
    g.add_edge("a", "c")
    assert g.in_map()["c"] == {"b": "edge", "a": "edge"}  # maintained once built


def test_an_undirected_graph_shares_its_out_map_as_index():
    g = Graph("undirected")
    g.add_edge("a", "b")
    assert g.in_map() is g._out and g._inlog is None
    assert g.predecessors("b") == ["a"]


def test_a_late_build_keeps_the_order_edges_were_added_in_across_sources():
    """Predecessors list in the order their edges were added, not in node order."""
    late, early = Graph(), eager()
    for g in (late, early):
        for node in ("a", "b", "c"):
            g.add_node(node, None)
        g.add_edge("b", "c")
        g.add_edge("a", "c")
        g.add_edge("b", "c", "again")  # replacing an edge keeps its place
    assert late.predecessors("c") == early.predecessors("c") == ["b", "a"]
    assert late.in_map()["c"]["b"] == "again"


def test_the_built_index_shares_each_entry_with_the_out_map():
    g = Graph()
    g.add_edge("a", "b", "heavy", 3)
    g.add_edge("b", "a")
    into = g.in_map()
    assert into["b"]["a"] is g._out["a"]["b"] and into["a"]["b"] == "edge"


def test_the_first_removal_builds_the_index():
    g = Graph()
    g.add_edge("b", "c")
    g.add_edge("a", "c")
    assert g.remove_edge("a", "c") and built(g)
    g.add_edge("a", "c")
    assert g.predecessors("c") == ["b", "a"]
    other = Graph()
    other.add_edge("x", "y")
    assert other.remove_node("y") and built(other) and other.in_map() == {"x": {}}


def test_missing_nodes_are_the_same_key_errors_in_both_states():
    for g in (Graph(), eager()):
        g.add_edge("a", "b")
        for name in ("predecessors", "in_degree", "degree"):
            with pytest.raises(GraphoidError) as info:
                call(g, name, "zz")
            assert (info.value.kind, info.value.message) == ("KeyError", "Graph has no node 'zz'")


def test_a_clone_keeps_the_state_and_is_independent():
    g = Graph()
    g.add_edge("b", "c")
    g.add_edge("a", "c")
    copy = g.clone()
    assert not built(copy) and copy._inlog == g._inlog and copy._inlog is not g._inlog
    copy.add_edge("d", "c")
    assert g.predecessors("c") == ["b", "a"] and copy.predecessors("c") == ["b", "a", "d"]
    built_copy = g.clone()
    assert built(built_copy) and built_copy.in_map() == g.in_map() and built_copy.in_map() is not g.in_map()


def test_save_and_restore_put_back_either_state():
    for build_first in (False, True):
        g = Graph()
        g.add_edge("b", "c")
        g.add_edge("a", "c")
        if build_first:
            g.in_map()
        saved_out = {node: dict(succ) for node, succ in g._out.items()}
        saved = g.save_in_index()
        g.add_edge("d", "c")
        g.remove_edge("b", "c")
        g._out.clear()
        g._out.update(saved_out)
        g.restore_in_index(saved)
        assert built(g) == build_first
        assert g.predecessors("c") == ["b", "a"] and "d" not in g.in_map()


# ---------------------------------------------------------------------------- readers outside graph.py


def _chain_with_late_edges(g: Graph) -> Graph:
    for node in ("d", "c", "b", "a"):
        g.add_node(node, None)
    g.add_edge("a", "b")
    g.add_edge("c", "d")
    g.add_edge("b", "c")
    return g


@pytest.mark.parametrize(
    "method, args",
    [("topological_sort", ()), ("connected_components", ()), ("to_ascii", ()), ("bfs", ("a",))],
)
def test_algorithms_read_the_same_in_both_states(method, args):
    late, early = _chain_with_late_edges(Graph()), _chain_with_late_edges(eager())
    assert outcome(lambda: call(late, method, *args)) == outcome(lambda: call(early, method, *args))


def test_pattern_matching_against_the_edge_direction_reads_the_same_in_both_states():
    from graphoid.runtime.interpreter import Interpreter

    source = """
late = graph { type: :directed }
early = graph { type: :directed }
early.add_node("c", 0)
early.predecessors("c")
for g in [late, early] {
    g.add_edge("b", "c")
    g.add_edge("a", "c")
}
found = [late, early].map(g => g.match(node("x"), edge(direction: :incoming), node("y")).to_list().map(m => m["x"] + m["y"]))
"""
    interp = Interpreter()
    interp.run(source, filename="t.gd")
    assert [list(found) for found in interp.lookup("found")] == [["ca", "cb"], ["ca", "cb"]]


def test_tree_rules_read_parents_in_both_states():
    for g in (Graph("tree"), eager("tree")):
        g.add_edge("r", "a")
        with pytest.raises(GraphoidError) as info:
            g.add_edge("s", "a")
        assert "already has a parent" in info.value.message


def test_a_method_constraint_undo_restores_the_index_state():
    for build_first in (False, True):
        g = Graph()
        g.add_edge("b", "c")
        if build_first:
            g.in_map()
        call(g, "add_method_constraint", lambda before, after: after.node_count() < 3, "small")
        with pytest.raises(GraphoidError):
            call(g, "add_edge", "a", "c")
        assert built(g) == build_first
        assert g.predecessors("c") == ["b"] and g.node_ids() == ["b", "c"]


def test_a_messaging_rollback_restores_the_index_in_both_states():
    for build_first in (False, True):
        g = Graph("dag")
        for node in ("a", "b"):
            g.add_node(node, None)
        g.add_edge("a", "b")
        if build_first:
            g.in_map()
        template = Graph.declare_class("Cycler")

        def on_message(self, msg):
            me = self.get_property("id")
            graph = self.get_property("graph")
            if msg is Symbol("go") and me == "a":
                graph.call("add_edge", ("extra", "b"))
                graph.call("send", (Symbol("again"),), {"to": "b"})
            elif msg is Symbol("again"):
                graph.call("add_edge", ("b", "a"))  # a cycle: the dag rule refuses it
            return None

        template.define_method("on_message", on_message)
        call(g, "set_behavior", template)
        with pytest.raises(GraphoidError):
            call(g, "broadcast", Symbol("go"))
        assert g.predecessors("b") == ["a"] and not g.has_node("extra")
        g.add_edge("c", "b")
        assert g.predecessors("b") == ["a", "c"]


def test_no_module_outside_graph_py_touches_the_index_directly():
    """Readers go through `Graph.in_map()` (which builds the index); writers that fill `_out`
    themselves build it first, or install one with `set_in_map`."""
    root = Path(__file__).resolve().parents[2] / "graphoid"
    direct = re.compile(r"\._in(?:log)?\b(?!\s*\()")
    found = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.rglob("*.py"))
        if path.relative_to(root).as_posix() != "graphs/graph.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if direct.search(line)
    ]
    assert found == []


# ---------------------------------------------------------------------------- differential


NODES = st.sampled_from(["a", "b", "c", "d", "e", "__hidden"])
MUTATIONS = st.one_of(
    st.tuples(st.just("add_node"), NODES),
    st.tuples(st.just("add_edge"), NODES, NODES, st.sampled_from(["edge", "link"]), st.sampled_from([None, 2])),
    st.tuples(st.just("add_plain_edge"), NODES, NODES),
    st.tuples(st.just("remove_edge"), NODES, NODES),
    st.tuples(st.just("remove_node"), NODES),
    st.tuples(st.just("clone")),
)
READS = st.one_of(
    st.tuples(st.just("predecessors"), NODES, st.sampled_from([None, "link"])),
    st.tuples(st.just("in_degree"), NODES),
    st.tuples(st.just("degree"), NODES),
    st.tuples(st.just("edges")),
    st.tuples(st.just("bfs"), NODES),
    st.tuples(st.just("topological_sort")),
    st.tuples(st.just("connected_components")),
)
# a read in one step of six: most runs build the late graph's index after many mutations
STEPS = st.lists(st.tuples(st.integers(0, 5).map(lambda roll: roll == 0), MUTATIONS, READS), max_size=40)


def _mutate(g: Graph, op: tuple) -> Graph:
    name = op[0]
    if name == "add_node":
        g.add_node(op[1], 0)
    elif name == "add_edge":
        g.add_edge(op[1], op[2], op[3], op[4])
    elif name == "add_plain_edge":
        g.add_plain_edge(op[1], op[2])
    elif name == "remove_edge":
        g.remove_edge(op[1], op[2])
    elif name == "remove_node":
        g.remove_node(op[1])
    else:
        return g.clone()
    return g


def _read(g: Graph, op: tuple):
    name = op[0]
    if name == "predecessors":
        return outcome(lambda: call(g, "predecessors", op[1], *([] if op[2] is None else [Symbol(op[2])])))
    if name == "edges":
        return outcome(lambda: call(g, "edges"))
    return outcome(lambda: call(g, name, *op[1:]))


@settings(max_examples=150, deadline=None)
@given(STEPS, st.sampled_from(["directed", "dag"]))
def test_reads_and_mutations_agree_whenever_the_index_is_built(steps, kind):
    """`read` says whether this step reads (building the late graph's index at the first read
    that needs it); mutations run on both graphs alike and everything observed must agree."""
    late, early = Graph(kind), eager(kind)
    for read, mutation, query in steps:
        late = _mutate(late, mutation) if kind == "directed" else _guarded(late, mutation)
        early = _mutate(early, mutation) if kind == "directed" else _guarded(early, mutation)
        if read:
            assert _read(late, query) == _read(early, query)
    assert observed(late) == observed(early)


def _guarded(g: Graph, op: tuple) -> Graph:
    """A mutation of a dag, which may be refused (the same way in both graphs)."""
    try:
        return _mutate(g, op)
    except GraphoidError:
        return g
