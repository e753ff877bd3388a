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
    ("g = x => x\ng(1, 2)", "TypeError", "<lambda at t.gd:1>() takes 1 arguments but 2 were given"),
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


# --------------------------------------------------------------------------- issue 10 §3


def _error(source: str, interp: Interpreter | None = None) -> GraphoidError:
    with pytest.raises(GraphoidError) as info:
        (interp or Interpreter()).run(source, "t.gd")
    return info.value


KIND_CASES = [
    # one kind per problem, whichever path raised it
    ("xs = [1, 2, 3]\nxs[10]", "IndexError", "Index out of bounds: 10 (length 3)"),
    ("xs = [1, 2, 3]\nxs[-4]", "IndexError", "Index out of bounds: -4 (length 3)"),
    ('"abc"[7]', "IndexError", "Index out of bounds: 7 (length 3)"),
    ("xs = [1]\nxs.set(4, 0)", "IndexError", "Index out of bounds: 4 (length 1)"),
    ("xs = [1]\nxs.remove_at_index(2)", "IndexError", "Index out of bounds: 2 (length 1)"),
    ('"ab".char_code(9)', "IndexError", "String index 9 out of bounds for string of length 2"),
    ("nowhere + 1", "NameError", "Undefined variable 'nowhere'"),
    ("fn f(n) { return f(n + 1) }\nf(0)", "RecursionError", "Stack overflow (recursion too deep)"),
    ("fn g(a) { return a }\ng(1, 2)", "TypeError", "g() takes 1 arguments but 2 were given"),
    ("fn g(a) { return a }\ng(1, b: 2)", "TypeError", "g() got an unknown named argument 'b'"),
    ("xs = [1, 2]\nxs[1.5]", "TypeError", "Index must be a whole number, got 1.5"),
    ('xs = [1, 2]\nxs["a"]', "TypeError", "Index must be a whole number, got a string"),
    ('"ab" * 2.5', "TypeError", "A string or list can only be repeated a whole number of times"),
    ('m = {"alpha": 1}\nm["alpah"]', "KeyError", "Key not found: 'alpah'"),
]


@pytest.mark.parametrize("source, kind, message", KIND_CASES)
def test_error_kinds_are_the_documented_ones(source: str, kind: str, message: str) -> None:
    error = _error(source)
    assert (error.kind, error.message) == (kind, message)
    assert not PYTHON_WORDING.search(error.message)


@pytest.mark.parametrize("source, kind", [(s, k) for s, k, _ in KIND_CASES])
def test_catch_by_kind_catches_what_the_language_raises(source: str, kind: str) -> None:
    lines = source.split("\n")
    program = "\n".join(lines[:-1]) + f'\nr = "missed"\ntry {{ {lines[-1]} }} catch {kind} as e {{ r = e.type() }}\nr'
    assert Interpreter().run(program, "t.gd") == kind


def test_the_same_kind_through_call_as_through_run() -> None:
    interp = Interpreter()
    interp.run("fn g(a) { return a }\nfn at(xs, i) { return xs[i] }")
    with pytest.raises(GraphoidError) as arity:
        interp.call("g", 1, 2)
    with pytest.raises(GraphoidError) as index:
        interp.call("at", [1], 3)
    assert (arity.value.kind, index.value.kind) == ("TypeError", "IndexError")
    assert index.value.message == "Index out of bounds: 3 (length 1)"


def test_map_key_typos_get_a_did_you_mean() -> None:
    for source in ('m = {"alpha": 1}\nm["alpah"]', 'm = {"alpha": 1}\nm.alpah'):
        assert _error(source).hint == "did you mean 'alpha'?"


def test_str_of_an_error_starts_with_its_location() -> None:
    assert str(_error("x = 1\ny = [x][4]")).startswith("t.gd:2:5: IndexError: ")
    interp = Interpreter()
    interp.run("fn g(a) { return a }", "lib.gd")
    with pytest.raises(GraphoidError) as info:
        interp.call("g", 1, 2)
    assert str(info.value).startswith("lib.gd:1:1: TypeError: ")


def test_an_error_raised_into_the_host_carries_no_python_chain() -> None:
    for source in ("nowhere", "[1][3]", "1 / 0", "fn f(n) { return f(n + 1) }\nf(0)"):
        error = _error(source)
        assert error.__cause__ is None and error.__suppress_context__
    assert isinstance(_error("nowhere").python_exception, NameError)


def test_an_uncaught_error_in_a_host_script_shows_no_python_internals(tmp_path) -> None:
    import subprocess
    import sys

    script = tmp_path / "host.py"
    script.write_text("import graphoid\ngraphoid.Interpreter().run('x = [1][5]', 'prog.gd')\n")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert "prog.gd:1:5: IndexError: Index out of bounds: 5 (length 1)" in result.stderr
    assert "direct cause" not in result.stderr and "During handling" not in result.stderr


def test_a_long_recursion_trace_says_how_much_it_leaves_out() -> None:
    error = _error("fn f(n) { return f(n + 1) }\nf(0)")
    markers = [entry for entry in error.trace if entry.elided]
    assert len(markers) == 1 and markers[0].function == "f"
    assert len(error.trace) - 1 + markers[0].elided > 1000
    assert f"... {markers[0].elided} more frames of f" in Interpreter().format_error(error)
    mutual = _error("fn g(n) { return h(n) }\nfn h(n) { return g(n + 1) }\ng(0)")
    assert any(entry.elided and entry.function == "g, h" for entry in mutual.trace)


def test_stack_is_innermost_first_and_reports_elisions() -> None:
    out = Interpreter().run(
        "fn f(n) { return f(n + 1) }\n"
        "s = none\ntry { f(0) } catch as e { s = e.stack() }\n"
        "[s[0][\"function\"], s.filter(fr => fr.has_key(\"elided\")).length(), s[-1][\"function\"]]",
        "t.gd",
    )
    assert out == ["f", 1, "<main>"]


SYNTAX_HINTS = [
    ("m = {a:1}", "put a space after the colon (`a: 1`)"),
    ("f(x:1)", "put a space after the colon (`x: 1`)"),
    ("x = 1\nx += 1", "Graphoid has no '+=': write `x = x + ...`"),
    ("x = 1\nx -= 1", "Graphoid has no '-=': write `x = x - ...`"),
    ("x = true\nprint(!x)", "negation is written `not x`"),
    ("if 1 > 2 { print(1) } elif 2 > 1 { print(2) }", "write `else if`"),
    ("let x = 5", "Graphoid has no 'let': assign directly, as in `x = ...`"),
]


@pytest.mark.parametrize("source, hint", SYNTAX_HINTS)
def test_habits_from_other_languages_get_hints(source: str, hint: str) -> None:
    error = _error(source)
    assert error.kind == "SyntaxError" and error.hint is not None and hint in error.hint


def test_the_caret_of_an_unknown_method_is_under_its_name() -> None:
    interp = Interpreter()
    error = _error("xs = [1]\nxs.nosuch(1)", interp)
    assert (error.span.line, error.span.col, error.span.end_col) == (2, 4, 10)
    chained = _error("xs = [1]\nxs\n  .map(x => x)\n  .nosuch(1)")
    assert (chained.span.line, chained.span.col) == (4, 4)


def test_the_documented_kind_hierarchy_is_the_one_the_runtime_uses() -> None:
    from pathlib import Path

    from graphoid.errors import ERROR_PARENTS

    text = (Path(__file__).resolve().parents[2] / "docs" / "language.md").read_text(encoding="utf-8")
    table = text[text.index("| Kind | Parent |"):].split("\n\n", 1)[0]
    documented = {"Error": None}
    for row in table.splitlines()[2:]:
        kinds, parent = row.strip("|").split("|")
        for kind in re.findall(r"`(\w+)`", kinds):
            documented[kind] = parent.strip().strip("`")
    assert documented == ERROR_PARENTS
