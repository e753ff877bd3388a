"""The lean graph method path (Graph.call, graphs/methods.py adapters): every case off the
fast path (ids that are not strings, symbol and bad edge types, user overrides, methods added
later, frozen graphs, rules, method constraints, arity mistakes) behaves as before."""

from __future__ import annotations

import io

import pytest

from graphoid import Interpreter
from graphoid.errors import GraphoidError

GRAPH = 'g = graph { type: :directed }\ng.add_node("a", 1)\ng.add_node("b", 2)\n'


def run(source: str) -> object:
    return Interpreter(stdout=io.StringIO()).run(source, filename="path.gd")


def error_of(source: str) -> tuple[str, str]:
    with pytest.raises(GraphoidError) as caught:
        run(source)
    return caught.value.kind, caught.value.message


def test_the_fast_path_answers() -> None:
    source = GRAPH + 'g.add_edge("a", "b")\ng.add_edge("a", "c", :likes)\n' \
        '[g.get_node("b"), g.neighbors("a"), g.out_degree("a"), g.get_node("c"), g.nodes()]'
    assert run(source) == [2, ["b", "c"], 2, None, ["a", "b", "c"]]


def test_symbol_edge_types_are_read() -> None:
    source = GRAPH + 'g.add_edge("a", "b", :likes)\ng.neighbors("a", :likes) + g.neighbors("a", "other")'
    assert run(source) == ["b"]


@pytest.mark.parametrize("call, message", [
    ("g.add_node(5)", "Node id must be a string, got num"),
    ('g.add_edge("a", none)', "Node id must be a string, got none"),
    ('g.add_edge(:a, "b")', "Node id must be a string, got symbol"),
    ("g.get_node([1])", "Node id must be a string, got list"),
    ("g.neighbors(1)", "Node id must be a string, got num"),
    ("g.out_degree(true)", "Node id must be a string, got bool"),
    ('g.add_edge("a", "b", 3)', "Edge type must be a string or symbol, got num"),
])
def test_bad_arguments_are_graphoid_type_errors(call: str, message: str) -> None:
    assert error_of(GRAPH + call) == ("TypeError", message)


def test_wrong_arity_names_the_method() -> None:
    kind, message = error_of(GRAPH + 'g.get_node("a", "b")')
    assert kind == "TypeError" and "graph method 'get_node'" in message


def test_a_user_method_added_later_overrides_the_builtin() -> None:
    source = GRAPH + 'first = g.get_node("a")\nfn g.get_node(id) { return "mine " + id }\n[first, g.get_node("a")]'
    assert run(source) == [1, "mine a"]


def test_a_class_like_override_wins() -> None:
    source = """
graph Counted {
    added: 0
    fn add_node(id, value) {
        added = added + 1
        return added
    }
}
c = Counted.clone()
c.add_node("x", 1)
[c.add_node("y", 2), c.has_node("x")]
"""
    assert run(source) == [2, False]


def test_frozen_graphs_and_constraints_still_guard_mutations() -> None:
    assert error_of(GRAPH + 'g.freeze()\ng.add_node("c", 3)')[0] in ("RuntimeError", "RuleError")
    source = GRAPH + 'g.add_method_constraint((before, after) => false)\ng.add_edge("a", "b")'
    assert error_of(source) == ("RuleError", "Method constraint '<lambda at path.gd:4>' violated; the change was undone")
    undone = GRAPH + 'g.add_method_constraint((before, after) => false)\n' \
        'try { g.add_edge("a", "b") } catch as e { }\ng.neighbors("a")'
    assert run(undone) == []


def test_rules_run_on_the_fast_path_entry() -> None:
    source = GRAPH + 'g.add_rule(:no_cycles)\ng.add_edge("a", "b")\ng.add_edge("b", "a")'
    assert error_of(source)[0] == "RuleError"
