"""Direct call sites of builtin graph methods (values/direct_calls.py, CodeGen.graph_builtin_call):
on a plain graph, `g.add_node(...)` and the other listed builtins run their direct function;
every other case (class-like graphs and user overrides, methods or constraints added later,
rules, frozen graphs, the messaging context, bad arguments, wrong arities, non-graph receivers)
behaves exactly as the general dispatch does. Each program warms its graph first (a loop or an
earlier call), so that the failing or overridden call is one the direct branch would take."""

from __future__ import annotations

import io

import pytest

from graphoid import Interpreter
from graphoid.compiler import dump
from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Graph
from graphoid.graphs.methods import DIRECT_FUNCTIONS, GRAPH_METHODS, ITERATED_FUNCTIONS
from graphoid.runtime.helpers import make_helpers
from graphoid.syntax import parse
from graphoid.values.direct_calls import GRAPH_DIRECT_ARITIES, GRAPH_ITERATED_ARITIES, direct_helper, iterated_helper
from graphoid.values.types import GList, Symbol

# a plain graph, warmed: the first builtin call verifies it, the later ones are direct
WARM = 'g = graph { type: :directed }\ng.add_node("a", 1)\ng.add_node("b", 2)\ng.add_edge("a", "b")\n'


def run(source: str, **options: object) -> object:
    return Interpreter(stdout=io.StringIO(), **options).run(source, filename="direct.gd")


def error_of(source: str) -> GraphoidError:
    with pytest.raises(GraphoidError) as caught:
        run(source)
    return caught.value


def compiled(source: str) -> str:
    return dump(parse(source, "direct.gd"), "direct.gd")


# ---------------------------------------------------------------------------- the contract


def test_every_listed_arity_has_a_direct_function_and_a_helper() -> None:
    listed = {(name, arity) for name, arities in GRAPH_DIRECT_ARITIES.items() for arity in arities}
    assert listed == set(DIRECT_FUNCTIONS)
    helpers = make_helpers()
    for name, arity in listed:
        assert helpers[direct_helper(name, arity)] is DIRECT_FUNCTIONS[name, arity]
        assert name in GRAPH_METHODS


def test_listed_calls_compile_to_the_direct_function_and_others_do_not() -> None:
    code = compiled('g.add_node("a", 1)\ng.add_edge("a", "b", :t, 2)\nx = g.nodes()\ny = g.neighbors("a")')
    for helper in ("_rt_graph_add_node_2", "_rt_graph_add_edge_4", "_rt_graph_nodes_0", "_rt_graph_neighbors_1"):
        assert helper in code
    # named arguments, unlisted arities and other methods dispatch as before
    code = compiled('g.add_edge("a", "b", type: :t)\ng.add_node()\ng.get_node("a", "b")\ng.in_degree("a")')
    assert "_rt_graph_" not in code


def test_a_plain_graph_is_verified_once_and_a_method_change_ends_it() -> None:
    interp = Interpreter(stdout=io.StringIO())
    interp.run(WARM, filename="direct.gd")
    graph = interp.lookup("g")
    assert graph._bx.ok
    interp.run("graph Other { fn hello() { return 1 } }", filename="other.gd")
    assert not graph._bx.ok
    assert interp.run('g.add_node("c", 3)\ng.get_node("c")', filename="more.gd") == 3
    assert graph._bx.ok


# ---------------------------------------------------------------------------- answers


def test_the_direct_calls_answer_as_the_builtins_do() -> None:
    source = WARM + """
g.add_edge("a", "c", :likes)
g.add_edge("b", "c", "knows", 2.5)
g.add_node("lonely")
g.add_node("__hidden", 9)
[g.get_node("a"), g.get_node("c"), g.get_node("missing"), g.has_node("b"), g.has_node("nope"),
 g.nodes(), g.nodes(:all), g.neighbors("a"), g.out_degree("a"), g.out_degree("c"), g.get_node("lonely"),
 g.get_edge("b", "c")]
"""
    assert run(source) == [1, None, None, True, False, ["a", "b", "c", "lonely"],
                           ["a", "b", "c", "lonely", "__hidden"], ["b", "c"], 2, 0, None,
                           {"from": "b", "to": "c", "type": "knows", "weight": 2.5}]


def test_inline_node_reads_take_any_id_a_variable_holds() -> None:
    """get_node/has_node read `_nodes` inline for a string id; anything else calls the builtin."""
    source = WARM + """
g.add_node("__hidden", 7)
out = []
for id in ["a", "missing", "__hidden", 5, none] {
    try {
        out.append!([g.get_node(id), g.has_node(id)])
    } catch as e {
        out.append!(e.message)
    }
}
out
"""
    assert run(source) == [[1, True], [None, False], [7, True], "Node id must be a string, got num",
                           "Node id must be a string, got none"]
    code = compiled('g.get_node("a")\ng.get_node(3)\nx = "b"\ng.has_node(x)')
    assert "g._nodes.get('a')" in code and "_rt_graph_get_node_1(g, 3)" in code
    assert "x in g._nodes if x.__class__ is _rt_str else _rt_graph_has_node_1(g, x)" in code


def test_graphs_stay_reference_values_at_direct_sites() -> None:
    source = WARM + """
fn grow(h, count) {
    i = 0
    while i < count {
        h.add_node("g" + i, i)
        i = i + 1
    }
}
alias = g
grow(alias, 3)
kept = {graph: g}
kept["graph"].add_edge("g0", "g2")
copy = g.clone()
copy.add_node("only in the copy")
[g.node_count(), g.neighbors("g0"), copy.has_node("only in the copy"), g.has_node("only in the copy")]
"""
    assert run(source) == [5, ["g2"], True, False]


def test_undirected_graphs_see_edges_from_both_ends() -> None:
    source = """
g = graph { type: :undirected }
i = 0
while i < 3 {
    g.add_edge("hub", "n" + i)
    i = i + 1
}
[g.neighbors("hub"), g.neighbors("n1"), g.out_degree("hub"), g.out_degree("n2"), g.edge_count()]
"""
    assert run(source) == [["n0", "n1", "n2"], ["hub"], 3, 1, 3]


def test_direct_calls_keep_the_version_counters_of_the_general_path() -> None:
    """Messaging caches its plans on `_topo` and `_vals`: both paths must bump them alike."""
    steps = ('g.add_node("a", 1)\ng.add_node("a", 2)\ng.add_edge("a", "b")\ng.add_edge("a", "b", :t)\n'
             'g.add_edge("b", "c", "w", 1)\ng.get_node("a")\ng.nodes()\ng.neighbors("a")\n')
    interp = Interpreter(stdout=io.StringIO())
    interp.run("g = graph {}\ng.has_node(\"warm\")\n" + steps, filename="direct.gd")
    direct = interp.lookup("g")
    general = Graph("directed")
    general.call("add_node", ("a", 1))
    general.call("add_node", ("a", 2))
    general.call("add_edge", ("a", "b"))
    general.call("add_edge", ("a", "b", Symbol("t")))
    general.call("add_edge", ("b", "c", "w", 1))
    counters = ("_topo", "_vals", "_edge_count")
    assert [getattr(direct, name) for name in counters] == [getattr(general, name) for name in counters]
    assert direct == general


# ---------------------------------------------------------------------------- overrides


def test_a_class_like_override_wins_at_a_direct_site() -> None:
    source = """
graph Counted {
    added: 0
    fn add_node(id, value) {
        added = added + 1
        return added
    }
    fn get_node(id) { return "mine " + id }
}
fn fill(g) {
    results = []
    i = 0
    while i < 3 {
        results.append!(g.add_node("n" + i, i))
        i = i + 1
    }
    return results
}
plain = graph {}
c = Counted {}
[fill(plain), fill(c), fill(Counted.clone()), c.has_node("n0"), c.get_node("n0"), plain.get_node("n2")]
"""
    assert run(source) == [[None, None, None], [1, 2, 3], [1, 2, 3], False, "mine n0", 2]


def test_a_graph_from_a_parent_with_an_override_uses_it() -> None:
    source = """
graph Base { fn nodes() { return ["overridden"] } }
child = graph from Base {}
plain = graph {}
plain.add_node("p")
out = []
for g in [plain, child, plain] {
    for id in g.nodes() { out.append!(id) }
}
out
"""
    assert run(source) == ["p", "overridden", "p"]


def test_a_user_method_added_to_a_warm_graph_wins() -> None:
    source = WARM + 'first = g.get_node("a")\nfn g.get_node(id) { return "mine " + id }\n[first, g.get_node("a")]'
    assert run(source) == [1, "mine a"]


def test_a_constraint_added_to_a_warm_graph_is_checked() -> None:
    source = WARM + ('g.add_method_constraint((before, after) => after.node_count() < 3)\n'
                     'try { g.add_node("c") } catch as e { print(e.message) }\n'
                     'try { g.add_edge("a", "z") } catch as e { print(e.message) }\n'
                     'g.add_edge("b", "a")\n[g.nodes(), g.neighbors("b")]')
    out = io.StringIO()
    assert Interpreter(stdout=out).run(source, filename="direct.gd") == [["a", "b"], ["a"]]
    assert out.getvalue().count("violated; the change was undone") == 2


# ---------------------------------------------------------------------------- rules and frozen graphs


def test_rules_added_to_a_warm_graph_run() -> None:
    error = error_of(WARM + 'g.add_rule(:no_cycles)\ng.add_edge("b", "a")')
    assert error.kind == "RuleError" and "cycle" in error.message
    source = WARM + 'g.add_rule(:none_to_zero)\ng.add_node("c")\ng.add_node("d", 4)\n[g.get_node("c"), g.get_node("d")]'
    assert run(source) == [0, 4]


def test_a_dag_refuses_a_cycle_at_a_direct_site() -> None:
    source = 'g = graph { type: :dag }\ni = 0\nwhile i < 3 {\n    g.add_edge("n" + i, "n" + (i + 1) % 3)\n    i = i + 1\n}'
    error = error_of(source)
    assert error.kind == "RuleError" and "n2 -> n0" in error.message


def test_a_frozen_warm_graph_refuses_changes_but_answers_reads() -> None:
    error = error_of(WARM + 'g.freeze()\nx = g.get_node("a")\ng.add_node("c", 3)')
    assert error.kind == "RuleError" and error.message == "Cannot modify a frozen graph"
    assert (error.span.line, error.span.col) == (7, 3)
    assert error_of(WARM + 'g.freeze()\ng.add_edge("a", "c")').message == "Cannot modify a frozen graph"
    assert run(WARM + 'g.freeze()\n[g.get_node("b"), g.nodes(), g.out_degree("a")]') == [2, ["a", "b"], 1]


# ---------------------------------------------------------------------------- errors


@pytest.mark.parametrize("call, kind, message", [
    ("g.add_node(5, 1)", "TypeError", "Node id must be a string, got num"),
    ("g.add_node(none)", "TypeError", "Node id must be a string, got none"),
    ('g.add_edge("a", [1])', "TypeError", "Node id must be a string, got list"),
    ('g.add_edge(:a, "b")', "TypeError", "Node id must be a string, got symbol"),
    ('g.add_edge("a", "b", 5)', "TypeError", "Edge type must be a string or symbol, got num"),
    ('g.add_edge("a", "b", "t", "heavy")', "TypeError", "Edge weight must be a number, got string"),
    ("g.get_node(3)", "TypeError", "Node id must be a string, got num"),
    ("g.has_node(none)", "TypeError", "Node id must be a string, got none"),
    ("g.neighbors(1)", "TypeError", "Node id must be a string, got num"),
    ('g.neighbors("zz")', "KeyError", "Graph has no node 'zz'"),
    ("g.out_degree(true)", "TypeError", "Node id must be a string, got bool"),
    ('g.out_degree("zz")', "KeyError", "Graph has no node 'zz'"),
    ("g.add_node()", "TypeError", "Wrong arguments for graph method 'add_node': got 0; expected (node_id, value)"),
    ('g.add_node("a", 1, 2)', "TypeError",
     "Wrong arguments for graph method 'add_node': got 3; expected (node_id, value)"),
    ('g.get_node("a", "b")', "TypeError", "Wrong arguments for graph method 'get_node': got 2; expected (node_id)"),
    ("g.nodes(:all, 2)", "TypeError", "Wrong arguments for graph method 'nodes': got 2; expected (which)"),
])
def test_errors_at_a_warm_direct_site_are_the_general_ones(call: str, kind: str, message: str) -> None:
    error = error_of(WARM + "x = 0\nx = " + call)
    assert (error.kind, error.message) == (kind, message)
    # the caret sits under the method name, as for the general dispatch
    assert (error.span.line, error.span.col, error.span.end_col) == (6, 7, 7 + len(call.split("(")[0]) - 2)


def test_a_receiver_that_is_no_graph_dispatches_as_before() -> None:
    assert run('m = {nodes: () => [3, 4]}\nout = []\nfor x in m.nodes() { out.append!(x) }\nout') == [3, 4]
    error = error_of('x = 5\nx.add_node("a")')
    assert (error.kind, error.message) == ("RuntimeError", "Unknown method 'add_node' on num")
    assert (error.span.line, error.span.col) == (2, 3)


def test_the_python_api_checks_edge_ids_too() -> None:
    graph = Graph("directed")
    with pytest.raises(GraphoidError, match="Node id must be a string, got num"):
        graph.add_edge("a", 1)
    assert graph.node_count() == 0


# ---------------------------------------------------------------------------- loops


def test_loops_over_nodes_and_neighbors_walk_snapshots() -> None:
    source = WARM + """
seen = []
for id in g.nodes() {
    g.add_node(id + "x")
    seen.append!(id)
}
for other in g.neighbors("a") {
    g.add_edge("a", other + "y")
    seen.append!(other)
}
[seen, g.node_count(), g.out_degree("a")]
"""
    assert run(source) == [["a", "b", "b"], 5, 2]


def test_a_loop_over_an_override_returning_a_map_walks_its_keys() -> None:
    source = 'graph Odd { fn nodes() { return {k1: 1, k2: 2} } }\no = Odd {}\nout = []\n' \
             'for k in o.nodes() { out.append!(k) }\nout'
    assert run(source) == ["k1", "k2"]


@pytest.mark.timeout(120)
def test_the_step_limit_stops_a_loop_of_direct_calls() -> None:
    source = 'g = graph {}\ni = 0\nwhile true {\n    g.add_node("n" + i % 100, i)\n    i = i + 1\n}'
    with pytest.raises(GraphoidError) as caught:
        run(source, max_steps=100_000)
    assert caught.value.kind == "LimitError"


# ---------------------------------------------------------------------------- the messaging context


class _HandlerContext:
    """Stands in for the messaging engine's per-node context (answers neighbors/out_degree)."""

    def call(self, name: str, args: tuple) -> object:
        return GList(["from context", name, *args])


@pytest.mark.parametrize("name", ["neighbors", "out_degree"])
def test_a_graph_running_a_handler_answers_from_its_context(name: str) -> None:
    graph = Graph("directed")
    graph.add_edge("a", "b")
    graph._msg_ctx = _HandlerContext()
    assert DIRECT_FUNCTIONS[name, 1](graph, "a") == ["from context", name, "a"]
    graph._msg_ctx = None
    assert DIRECT_FUNCTIONS[name, 1](graph, "a") == (["b"] if name == "neighbors" else 1)


# ---------------------------------------------------------------------------- loops over id lists


def test_every_iterated_arity_is_a_direct_one_with_its_own_helper() -> None:
    listed = {(name, arity) for name, arities in GRAPH_ITERATED_ARITIES.items() for arity in arities}
    assert listed == set(ITERATED_FUNCTIONS) and listed <= set(DIRECT_FUNCTIONS)
    helpers = make_helpers()
    for name, arity in listed:
        assert helpers[iterated_helper(name, arity)] is ITERATED_FUNCTIONS[name, arity]


def test_only_a_for_loop_over_the_call_takes_the_iterated_helper() -> None:
    code = compiled('for x in g.neighbors("a") { print(x) }\nfor y in g.nodes() { print(y) }')
    assert "_rt_graph_neighbors_1_items" in code and "_rt_graph_nodes_0_items" in code
    code = compiled('x = g.neighbors("a")\nfor y in g.nodes(:all) { print(y) }\nfor z in [g.nodes()] { print(z) }')
    assert "_items" not in code


def _internal_graph() -> Graph:
    graph = Graph("directed")
    for src, dst in (("a", "b"), ("a", "__hidden"), ("b", "a"), ("a", "c")):
        graph.add_edge(src, dst)
    graph.add_node("lone", 1)
    return graph


@pytest.mark.parametrize("graph", [_internal_graph(), Graph("undirected")])
def test_the_iterated_helpers_give_the_ids_the_direct_functions_give(graph: Graph) -> None:
    graph.add_edge("x", "y")
    nodes_items, neighbors_items = ITERATED_FUNCTIONS["nodes", 0], ITERATED_FUNCTIONS["neighbors", 1]
    assert nodes_items(graph) == list(DIRECT_FUNCTIONS["nodes", 0](graph))
    assert type(nodes_items(graph)) is list
    for node_id in graph._nodes:
        items = neighbors_items(graph, node_id)
        assert type(items) is list and items == list(DIRECT_FUNCTIONS["neighbors", 1](graph, node_id))
        assert items is not graph._out[node_id]


@pytest.mark.parametrize("argument, kind, message", [
    ('"zz"', "KeyError", "Graph has no node 'zz'"),
    ("1", "TypeError", "Node id must be a string, got num"),
])
def test_errors_of_a_loop_over_neighbors_are_the_general_ones(argument: str, kind: str, message: str) -> None:
    line = f"for x in g.neighbors({argument}) {{ print(x) }}"
    error = error_of(WARM + "x = 0\n" + line)
    assert (error.kind, error.message) == (kind, message)
    col = line.index("neighbors") + 1
    assert (error.span.line, error.span.col, error.span.end_col) == (6, col, col + len("neighbors"))


def test_a_loop_over_neighbors_in_a_handler_context_walks_the_context_answer() -> None:
    graph = Graph("directed")
    graph.add_edge("a", "b")
    graph._msg_ctx = _HandlerContext()
    assert list(ITERATED_FUNCTIONS["neighbors", 1](graph, "a")) == ["from context", "neighbors", "a"]
