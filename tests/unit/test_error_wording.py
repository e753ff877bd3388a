"""Errors name Graphoid things, never Python ones (issue 7, part A2).

Each reproducer from the issue, and the siblings found by sweeping the methods that take node
ids or functions, must give a Graphoid kind and message: no Python repr (`<function _rt_f0 at
0x...>`), no Python type or exception wording, no "Internal error".
"""

from __future__ import annotations

import re

import pytest

from graphoid.errors import GraphoidError
from graphoid.values.format import describe, function_label
from graphoid.runtime.interpreter import Interpreter

PYTHON_WORDING = re.compile(
    r"0x[0-9a-f]+|_rt_|Internal error|object is not|unhashable|sys\.|NoneType|\bdict\b|\btuple\b|"
    r"positional|<locals>|make_builtins"
)
GRAPH = 'g = graph {}\ng.add_node("a", 1)\ng.add_node("b", 2)\ng.add_edge("a", "b")\n'

CASES = [
    # the reproducers of the issue
    ('load "~nosuchuser/x"', "ImportError", "Cannot resolve '~nosuchuser/x': no home directory for '~nosuchuser'"),
    ('int("9".repeat(5000))', "ValueError", "Number has too many digits to convert (5000 digits; the limit is 4300)"),
    ("graph {}.with_ruleset(x => x)", "ValueError",
     "Unknown ruleset '<lambda at t.gd:1>' (expected dag, tree, binary_tree, bst)"),
    ("edge(1, print, 5)", "ValueError", "Unknown edge direction '<function print>' (:outgoing, :incoming or :both)"),
    (GRAPH + "g.add_rule(x => x.node_count() < 3)\ng.add_node(\"c\", 3)", "RuleError",
     "Rule '<lambda at t.gd:5>' violated: the change was undone"),
    (GRAPH + "g.request(:get, to: -1)", "TypeError", "to: expects a node id or a list of node ids, got num"),
    ("G = graph {}\nG.get_node([1])", "TypeError", "Node id must be a string, got list"),
    # siblings: other conversions that hit CPython's digit limit
    ('num("9".repeat(5000))', "ValueError", "Number has too many digits to convert (5000 digits; the limit is 4300)"),
    ('"9".repeat(5000).to_num()', "ValueError", "Number has too many digits to convert (5000 digits; the limit is 4300)"),
    ('graph_from_json("{\\"v\\": " + "9".repeat(5000) + "}")', "ValueError",
     "Number has too many digits to convert (5000 digits; the limit is 4300)"),
    # siblings: functions and values quoted inside messages
    ("graph {}.with_ruleset(print)", "ValueError",
     "Unknown ruleset '<function print>' (expected dag, tree, binary_tree, bst)"),
    ("graph {}.with_ruleset([1])", "ValueError", "Unknown ruleset '[1]' (expected dag, tree, binary_tree, bst)"),
    ("graph {}.with_ruleset(:nope)", "ValueError", "Unknown ruleset ':nope' (expected dag, tree, binary_tree, bst)"),
    ("edge(1, [2], 5)", "ValueError", "Unknown edge direction '[2]' (:outgoing, :incoming or :both)"),
    ("fn small(g) { return g.node_count() < 3 }\n" + GRAPH + "g.add_rule(small)\ng.add_node(\"c\", 3)", "RuleError",
     "Rule 'small' violated: the change was undone"),
    (GRAPH + "g.add_rule(print)", "RuleError", "Rule 'print' violated by the graph as it is"),
    (GRAPH + "g.add_method_constraint((before, after) => false)\ng.add_node(\"c\", 3)", "RuleError",
     "Method constraint '<lambda at t.gd:5>' violated; the change was undone"),
    (GRAPH + "g.add_subgraph(graph {}, x => x)", "ValueError",
     "Unknown conflict policy '<lambda at t.gd:5>' (keep_original or overwrite)"),
    ("g = x => x\ng(1, 2)", "RuntimeError", "<lambda at t.gd:1>() takes 1 arguments but 2 were given"),
    (GRAPH + "g.send(:ping, to: [print])", "KeyError", "Cannot send to '<function print>': no such node"),
    (GRAPH + "g.send(:ping, from: x => x)", "KeyError", "Cannot send from '<lambda at t.gd:5>': no such node"),
    (GRAPH + "g.request(:get, to: {})", "TypeError", "to: expects a node id or a list of node ids, got map"),
    (GRAPH + "g.set_node_type(print, :t)", "TypeError", "Node id must be a string, got function"),
    # siblings: every graph method that takes node ids checks them before a lookup
    (GRAPH + "g.has_node([1])", "TypeError", "Node id must be a string, got list"),
    (GRAPH + "g.has_edge(\"a\", {})", "TypeError", "Node id must be a string, got map"),
    (GRAPH + "g.get_edge([1], \"b\")", "TypeError", "Node id must be a string, got list"),
    (GRAPH + "g.edge_weight(\"a\", [1])", "TypeError", "Node id must be a string, got list"),
    (GRAPH + "g.set_edge_weight([1], \"b\", 2)", "TypeError", "Node id must be a string, got list"),
    (GRAPH + "g.node_type([1])", "TypeError", "Node id must be a string, got list"),
    (GRAPH + "g.has_path(\"a\", graph {})", "TypeError", "Node id must be a string, got graph"),
    (GRAPH + "g[[1]]", "TypeError", "Node id must be a string, got list"),
    (GRAPH + "g[\"zz\"]", "KeyError", "Graph has no node 'zz'"),
]


def run_error(source: str) -> GraphoidError:
    with pytest.raises(GraphoidError) as caught:
        Interpreter(sandbox=True, max_steps=100_000).run(source, "t.gd")
    return caught.value


@pytest.mark.parametrize(("source", "kind", "message"), CASES)
def test_error_names_graphoid_things(source: str, kind: str, message: str) -> None:
    error = run_error(source)
    assert (error.kind, error.message) == (kind, message)
    assert not PYTHON_WORDING.search(error.message)


def test_internal_names_in_module_statements_are_user_variables():
    interp = Interpreter()
    assert interp.run("__gd_private__ = 5\npriv fn f() { return 1 }\nf() + __gd_private__") == 6
    assert interp.run('__gd_imports__ = 5\nimport "gspec"\n__gd_imports__') == 5


@pytest.mark.parametrize(("message", "expected"), [
    ("'int' object is not iterable", "Cannot iterate over num"),
    ("argument of type 'NoneType' is not iterable", "Cannot look for a value in none"),
    ("unhashable type: 'GList'", "A list cannot be used as a key or id"),
    ("'function' object is not subscriptable", "Cannot index function"),
    ("'str' object does not support item assignment", "Cannot assign to an element of string"),
    ("object of type 'bool' has no len()", "bool has no length"),
])
def test_python_type_errors_are_reworded(message: str, expected: str) -> None:
    from graphoid.values.pyerrors import to_graphoid_error

    assert to_graphoid_error(TypeError(message)).message == expected


def test_python_key_errors_quote_the_key_as_graphoid_shows_it():
    from graphoid.values.pyerrors import to_graphoid_error

    interp = Interpreter()
    lam = interp.run_raw("x => x", "k.gd")
    assert to_graphoid_error(KeyError(lam)).message == "Key not found: '<lambda at k.gd:1>'"


def test_functions_are_described_by_graphoid_name():
    interp = Interpreter()
    named, lam, builtin = interp.run_raw("fn area(w, h) { return w * h }\n[area, (a) => a, print]", "d.gd")
    assert (function_label(named), function_label(lam), function_label(builtin)) == (
        "area", "<lambda at d.gd:2>", "print")
    assert (describe(named), describe(lam), describe(builtin)) == ("<function area>", "<lambda at d.gd:2>",
                                                                  "<function print>")
    assert describe("text") == "text" and describe([1, "a"]) == "[1, a]"
