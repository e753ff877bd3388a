"""Loop versioning (compiler/loop_versions.py): a quiet loop's invariant guards are tested once
before it, and a fast copy without them runs when they hold.

Every program here runs twice, with versioning and with CodeGen.loop_version turned off (each
loop compiled once, as before), and must give the same value, output and error (kind, message,
caret and Graphoid stack): on the happy paths, when the test before the loop fails (the general
copy runs) and when an operation of the fast copy fails. The compile-time choice (which loops
are versioned, on which variables) is checked on the generated code."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest

from graphoid import Interpreter
from graphoid.compiler import codegen, dump
from graphoid.compiler.intvars import INT, NON_NEGATIVE, POSITIVE, expr_kind
from graphoid.compiler.loop_versions import MAX_VERSIONED_NODES, closure_writes, loop_version
from graphoid.errors import GraphoidError, format_error
from graphoid.graphs import classes
from graphoid.graphs.graph import Graph
from graphoid.syntax import ast as g
from graphoid.syntax.parser import parse

GRAPH_BUILDING = (Path(__file__).resolve().parents[2] / "benchmarks" / "everyday" / "graph_building.gd").read_text()

BUILD = """
fn build(g, n) {
    i = 0
    while i < n {
        g.add_node("n" + i, i % 13)
        i = i + 1
    }
    i = 0
    while i < n {
        g.add_edge("n" + i, "n" + (i * 3 + 1) % n)
        i = i + 1
    }
    total = 0
    for id in g.nodes() {
        for other in g.neighbors(id) {
            total = total + g.get_node(other)
        }
    }
    return total
}
"""


def outcome(source: str, **options: Any) -> tuple[Any, str, str | None]:
    """(value or error, printed output, the formatted error with caret and stack)."""
    out = io.StringIO()
    interp = Interpreter(stdout=out, **options)
    try:
        return interp.run(source, filename="versions.gd"), out.getvalue(), None
    except GraphoidError as error:
        return (error.kind, error.message), out.getvalue(), format_error(error, source)


def both_ways(source: str, monkeypatch: pytest.MonkeyPatch, **options: Any) -> tuple[Any, str, str | None]:
    """The outcome with versioning, checked equal to the outcome without."""
    versioned = outcome(source, **options)
    with monkeypatch.context() as patch:
        patch.setattr(codegen.CodeGen, "loop_version", lambda self, loop: None)
        general = outcome(source, **options)
    assert versioned == general
    return versioned


def entry_tests(source: str) -> list[str]:
    """The test before each versioned loop, in order."""
    text = dump(parse(source, "versions.gd"))
    return re.findall(r"(?m)^ *(?:_rt_ver\d+ = |if )(.*(?:_rt_exact_builtins\(|is _rt_int\)? and \(?\w+ > 0).*?):?$",
                      text)


# ---------------------------------------------------------------------------- which loops


def test_the_benchmark_loops_are_versioned_on_the_graph_and_the_divisor() -> None:
    tests = entry_tests(GRAPH_BUILDING)
    assert len(tests) == 3
    assert "_rt_exact_builtins(g)" in tests[0] and "n > 0" not in tests[0]
    assert "_rt_exact_builtins(g)" in tests[1] and "(_rt_type(n) is _rt_int) and (n > 0)" in tests[1]
    assert "_rt_exact_builtins(g)" in tests[2]  # the outer `for`: the inner loop is in its copies


def test_the_fast_copy_has_no_guard_left() -> None:
    text = dump(parse(GRAPH_BUILDING, "versions.gd"))
    fast = text.split("if _rt_ver")[2].split("else:")[0]
    assert "_bx" not in fast and "_rt_call_method" not in fast and "_rt_mod(_rt_" not in fast.split("== 0")[1]
    assert "_rt_graph_add_edge_2(g, source, " in fast
    assert "% n" in fast and "_rt_type(n)" not in fast


def test_a_nested_loop_is_not_versioned_again() -> None:
    text = dump(parse(BUILD, "versions.gd"))
    assert text.count("_rt_exact_builtins(") == 3  # parameters: no unbound-name handler either
    assert "_rt_ver" not in text


@pytest.mark.parametrize("body", [
    # the graph assigned in the loop
    'g.add_node("a" + i, i)\nif i == 3 { g = graph {} }',
    # the graph is a loop variable
    'for g in [graph {}] { g.add_node("a", i) }',
    # a call of a user function, which could add methods
    'g.add_node("a" + i, i)\nhelper(g)',
    # a builtin function call
    'g.add_node("a" + i, i)\nprint(i)',
    # a method added to the graph inside the loop
    'fn g.extra() { return 1 }\ng.add_node("a" + i, i)',
    # a method that is no direct builtin, or a direct one with a named argument
    'g.add_node("a" + i, i)\ng.remove_node("a")',
    'g.add_node("a" + i, value: i)',
    # a lambda, an index, a property read
    'g.add_node("a" + i, (x => x)(i))',
    'g.add_node("a" + i, xs[0])',
    'g.add_node("a" + i, g.name)',
    # a `!` call other than append!/push! on a fresh list
    'g.add_node("a" + i, i)\nxs.insert!(0, i)',
])
def test_loops_that_could_change_their_guards_are_not_versioned(body: str) -> None:
    source = (f"fn helper(h) {{ return 1 }}\nfn f(g, n) {{\n xs = [1]\n i = 0\n"
              f" while i < n {{\n{body}\n i = i + 1\n }}\n return i\n}}\n")
    assert entry_tests(source) == []


def test_a_variable_a_closure_writes_is_not_hoisted() -> None:
    source = ("fn f(n) {\n g = graph {}\n reset = () => { g = graph {} }\n i = 0\n"
              " while i < n {\n g.add_node(\"a\" + i, i)\n i = i + 1\n }\n return reset\n}\n")
    assert entry_tests(source) == []
    divisor = "fn f(n) {\n k = 3\n bump = () => { k = k + 1 }\n t = 0\n i = 0\n" \
              " while i < n {\n t = t + i % k\n i = i + 1\n }\n return bump\n}\n"
    assert entry_tests(divisor.replace("% k", "% n")) != []
    assert entry_tests(divisor) == []


def test_appends_to_a_fresh_list_keep_a_loop_quiet() -> None:
    fresh = ('fn f(g, n) {\n out = []\n i = 0\n while i < n {\n out.append!(g.get_node("n" + i))\n'
             ' i = i + 1\n }\n return out\n}\n')
    assert len(entry_tests(fresh)) == 1
    # a parameter may be any list (rules run user code) or a graph with its own append
    assert entry_tests(fresh.replace("fn f(g, n) {\n out = []", "fn f(g, n, out) {")) == []
    # a list given away (not fresh) and a fresh list's other `!` methods
    assert entry_tests(fresh.replace("return out", "keep(out)\n return out")) == []
    assert entry_tests(fresh.replace("out.append!(", "out.insert!(0, ")) == []


def test_globals_methods_and_for_over_a_variable_are_not_versioned() -> None:
    top = 'g = graph {}\ni = 0\nwhile i < 5 {\n g.add_node("a" + i, i)\n i = i + 1\n}\n'
    assert entry_tests(top) == []
    method = ('graph Box {\n fn fill(g, n) {\n i = 0\n while i < n {\n g.add_node("a" + i, i)\n i = i + 1\n }\n }\n}\n')
    assert entry_tests(method) == []
    walk = 'fn f(g, ids) {\n for id in ids {\n g.add_node(id, 1)\n }\n}\n'
    assert entry_tests(walk) == []


def test_a_loop_above_the_size_limit_is_not_versioned() -> None:
    def loop_of(statements: int) -> str:
        steps = "\n".join(f' g.add_node("a{k}", i + {k})' for k in range(statements))
        return f"fn f(g, n) {{\n i = 0\n while i < n {{\n{steps}\n i = i + 1\n }}\n}}\n"

    assert entry_tests(loop_of(MAX_VERSIONED_NODES // 8)) == []  # nine nodes a statement
    assert len(entry_tests(loop_of(3))) == 1


def test_loop_version_on_the_ast() -> None:
    program = parse("fn f(g, n, k) {\n i = 0\n while i < n {\n g.add_node(\"a\", i % n)\n"
                    " i = i + 1 + i // k\n }\n}\n", "versions.gd")
    loop = program.body[0].body.body[1]
    version = loop_version(loop, {"g", "n", "k", "i"}, set())
    assert version is not None and version.graphs == ("g",) and version.divisors == ("n", "k")
    assert loop_version(loop, {"g", "n", "i"}, set()) is not None  # k unknown: not hoisted
    assert loop_version(loop, {"g", "n", "i"}, set()).divisors == ("n",)
    assert loop_version(loop, {"n", "k", "i"}, set()) is None  # a receiver that is not ours
    assert loop_version(loop, {"g", "n", "k", "i"}, {"g", "n", "k"}) is None  # all settled


def test_closure_writes_sees_every_nested_scope() -> None:
    program = parse("fn f() {\n a = 1\n h = () => { b = 2\n inner = () => { c = 3 } }\n"
                    " fn local() { d.append!(1) }\n}\n", "versions.gd")
    assert closure_writes(program.body[0].body) == {"b", "inner", "c", "d"}


def test_expr_kind_with_a_positive_divisor() -> None:
    def name(ident: str) -> g.Name:
        return g.Name(ident, span=g.NO_SPAN)

    mod = g.Binary("%", name("x"), name("n"), span=g.NO_SPAN)
    assert expr_kind(mod, {"x": NON_NEGATIVE, "n": POSITIVE}) is NON_NEGATIVE
    assert expr_kind(mod, {"x": INT, "n": POSITIVE}) is INT
    assert expr_kind(mod, {"x": NON_NEGATIVE, "n": NON_NEGATIVE}) is None  # n may be zero
    assert expr_kind(mod, {"x": POSITIVE, "n": POSITIVE}) is NON_NEGATIVE  # x % n may be zero
    plus = g.Binary("+", name("x"), name("n"), span=g.NO_SPAN)
    assert expr_kind(plus, {"x": NON_NEGATIVE, "n": POSITIVE}) is NON_NEGATIVE


def test_exact_builtins_refreshes_and_refuses() -> None:
    interp = Interpreter(stdout=io.StringIO())
    interp.run('plain = graph {}\nruled = graph { type: :dag }\nfrozen = graph {}\nfrozen.freeze()\n'
               'graph Box { fn size() { return 1 } }\nbox = Box.clone()\n', filename="versions.gd")
    plain = interp.lookup("plain")
    assert plain._bx is classes.DENIED and classes.exact_builtins(plain) and plain._bx.ok
    assert not classes.exact_builtins(interp.lookup("ruled"))
    assert not classes.exact_builtins(interp.lookup("frozen"))
    assert not classes.exact_builtins(interp.lookup("box"))
    classes.methods_changed()
    assert not plain._bx.ok and classes.exact_builtins(plain)


# ---------------------------------------------------------------------------- same meaning


def test_the_benchmark_program(monkeypatch: pytest.MonkeyPatch) -> None:
    value = both_ways(GRAPH_BUILDING + "run(30)\n", monkeypatch)[0]
    assert isinstance(value, int) and value > 0


@pytest.mark.parametrize("call", [
    "build(graph {}, 40)",
    "build(graph { type: :undirected }, 20)",
    "build(graph { type: :dag }, 20)",  # rules: the general copy
    "build(graph {}, 0)",
    "build(graph {}, -3)",
    "build(graph {}, 1)",
    "build(graph {}, 7.5)",  # not an int divisor
    "build(graph {}, true)",
    "build(graph {}, none)",
    "build({}, 3)",  # not a graph: the general copy reports the unknown method
    "build([], 3)",
    "build(Box.clone(), 5)",  # user methods, add_node overridden
    "build(Counted.clone(), 5)",  # user methods beside the builtins
    "build(frozen, 3)",  # frozen: the general copy raises at the first add_node
    "outer(5)",  # an error deep in a call stack
])
def test_build_in_every_way(call: str, monkeypatch: pytest.MonkeyPatch) -> None:
    classes_source = """
graph Box {
    fn add_node(id, value) { print("mine " + id) }
    fn nodes() { return [] }
}
graph Counted {
    count: 0
    fn bump() { count = count + 1 }
}
frozen = graph {}
frozen.freeze()
fn outer(n) { return middle(n) }
fn middle(n) { return build(graph {}, n) + (none % n) }
"""
    both_ways(BUILD + classes_source + call + "\n", monkeypatch)


@pytest.mark.parametrize("program", [
    # a bad node id raises inside the fast copy
    'fn f(g, n) {\n i = 0\n while i < n {\n g.add_node(i, i)\n i = i + 1\n }\n}\nf(graph {}, 3)',
    # a missing node: get_node gives none, and none % 2 raises
    'fn f(g, n) {\n i = 0\n t = 0\n while i < n {\n t = t + g.get_node("n" + i) % 2\n i = i + 1\n }\n'
    ' return t\n}\ng = graph {}\ng.add_node("n0", 4)\nf(g, 3)',
    # a neighbour walk of a node that does not exist
    'fn f(g) {\n t = 0\n for id in g.neighbors("zz") {\n t = t + 1\n }\n return t\n}\nf(graph {})',
    # a divisor that is zero, negative, a float: `%` and `//` as Graphoid computes them
    'fn f(n, m) {\n i = -5\n t = []\n while i < 5 {\n t = t + [i % n, i // n]\n i = i + 1\n }\n return t\n}\n'
    '[f(3, 0), f(-3, 0), f(2.5, 0)]',
    'fn f(n) {\n i = 0\n while i < 3 {\n x = i % n\n i = i + 1\n }\n return x\n}\nf(0)',
    # a value computed from a divisor and formatted as text
    'fn f(n) {\n i = 0\n s = ""\n while i < 5 {\n s = s + "|" + (i * 7) % n + "," + (i - 9) // n\n'
    ' i = i + 1\n }\n return s\n}\n[f(4), f(1), f(-4)]',
    # a rule on the graph rejects an edge: the general copy runs it
    'fn f(g, n) {\n i = 0\n while i < n {\n g.add_edge("n" + i, "n" + (i + 1) % n)\n i = i + 1\n }\n'
    ' return g.edge_count()\n}\nf(graph { type: :dag }, 4)',
    # a user rule (a function) on the graph
    'fn small(g) { return g.node_count() < 3 }\nfn f(g, n) {\n i = 0\n while i < n {\n'
    ' g.add_node("n" + i, i)\n i = i + 1\n }\n}\ng = graph {}\ng.add_rule(small)\nf(g, 5)',
    # a user rule that adds a method to the graph while the loop runs
    'fn sneaky(h) {\n if h.node_count() == 2 { fn h.add_node(id, v) { print("user " + id) } }\n return true\n}\n'
    'fn f(g, n) {\n i = 0\n while i < n {\n g.add_node("a" + i, i)\n i = i + 1\n }\n return g.node_count()\n}\n'
    'g = graph {}\ng.add_rule(sneaky)\nf(g, 5)',
    # the same with the graph's builtins found exact before the loop (`_bx` current)
    'fn sneaky(h) {\n if h.node_count() == 2 { fn h.add_node(id, v) { print("user " + id) } }\n return true\n}\n'
    'fn f(g, n) {\n i = 0\n while i < n {\n g.add_node("a" + i, i)\n i = i + 1\n }\n return g.node_count()\n}\n'
    'g = graph {}\ng.add_rule(sneaky)\ng.add_node("first", 0)\nf(g, 5)',
    # the graph not bound yet when the loop starts (unbound local: NameError before, false test now)
    'fn f(n, make) {\n if make { g = graph {} }\n i = 0\n while i < n {\n g.add_node("a" + i, i)\n'
    ' i = i + 1\n }\n return i\n}\n[f(0, false), f(2, true)]',
    'fn f(n, make) {\n if make { g = graph {} }\n i = 0\n while i < n {\n g.add_node("a" + i, i)\n'
    ' i = i + 1\n }\n return i\n}\nf(2, false)',
    # an alias rebound in the loop leaves the graph variable as it is
    'fn f(n) {\n g = graph {}\n i = 0\n while i < n {\n h = g\n h = {}\n g.add_node("a" + i, i)\n'
    ' i = i + 1\n }\n return [g.node_count(), h]\n}\nf(4)',
    # methods added to the graph before the loop, and by a call inside one (not versioned)
    'fn f(g, n) {\n i = 0\n while i < n {\n g.add_node("a" + i, i)\n i = i + 1\n }\n return g.node_count()\n}\n'
    'g = graph {}\nfn g.add_node(id, v) { print(id) }\nf(g, 3)',
    'fn change(g) { fn g.add_node(id, v) { print("now " + id) } }\nfn f(g, n) {\n i = 0\n'
    ' while i < n {\n g.add_node("a" + i, i)\n if i == 1 { change(g) }\n i = i + 1\n }\n}\nf(graph {}, 4)',
    # a method defined inside the loop
    'fn f(g, n) {\n i = 0\n while i < n {\n g.add_node("a" + i, i)\n if i == 1 { fn g.add_node(id, v) { print(id) } }\n'
    ' i = i + 1\n }\n}\nf(graph {}, 4)',
    # break, continue and return inside the fast copy
    'fn f(g, n) {\n i = 0\n while true {\n i = i + 1\n if i % 2 == 0 { continue }\n if i > n { break }\n'
    ' g.add_node("a" + i, i)\n if g.has_node("a7") { return "early" }\n }\n return g.nodes()\n}\n'
    '[f(graph {}, 5), f(graph {}, 9)]',
    # appends to a fresh list in the fast copy
    'fn f(g, n) {\n out = []\n i = 0\n while i < n {\n out.append!(g.get_node("n" + i % 3))\n'
    ' out.push!(i // n)\n i = i + 1\n }\n return out\n}\ng = graph {}\ng.add_node("n1", [1])\n[f(g, 4), f({}, 2)]',
    # lenient error mode: a zero divisor gives none
    'fn f(n) {\n i = 0\n t = []\n while i < 3 {\n t = t + [i % n]\n i = i + 1\n }\n return t\n}\n'
    'configure { error_mode: :lenient } { [f(0), f(2)] }',
])
def test_fast_and_general_copies_agree(program: str, monkeypatch: pytest.MonkeyPatch) -> None:
    both_ways(program + "\n", monkeypatch)


def test_with_step_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    both_ways(GRAPH_BUILDING + "run(20)\n", monkeypatch, max_steps=10_000_000)
    outcome_ = both_ways(GRAPH_BUILDING + "run(2000)\n", monkeypatch, max_steps=500)
    assert outcome_[2] is not None  # the step limit stops both copies at the same place


def test_a_graph_made_just_before_the_loop_runs_the_fast_copy() -> None:
    interp = Interpreter(stdout=io.StringIO())
    interp.run(BUILD + "g = graph {}\n", filename="versions.gd")
    graph = interp.lookup("g")
    assert isinstance(graph, Graph) and not graph._bx.ok
    interp.run("build(g, 3)\n", filename="versions2.gd")
    assert graph._bx.ok  # the test before the loop refreshed it


# ---------------------------------------------------------------------------- node ids known as text


def test_text_locals_and_walked_ids_need_no_string_test() -> None:
    text = dump(parse(GRAPH_BUILDING, "versions.gd"))
    fast = text.split("if _rt_ver")[2].split("else:")[0] + text.split("if _rt_ver")[3].split("else:")[0]
    assert "g._nodes.get(source)" in fast and "g._nodes.get(other)" in fast
    assert "source.__class__" not in text  # every binding of source is a text chain
    assert "_rt_str" not in fast
    general = text.split("if _rt_ver")[3].split("else:", 1)[1]
    assert "other.__class__ is _rt_str" in general  # ids of a dispatched call may be anything


@pytest.mark.parametrize("bindings, tested", [
    ('k = "n" + i', False),
    ('k = "n"', False),
    ('k = "n" + i\nif i > 2 { k = i }', True),  # also bound to an int
    ('string k = "n" + i', True),  # any declared type (some convert: `bignum k = v`)
    ('bignum k = "n" + i', True),
    ('k = "n" + i\nreset = () => { k = 1 }', True),  # a closure writes it
    ('k = "n" + i\nfor k in [1] { }', True),  # a loop variable
])
def test_which_locals_are_known_as_text(bindings: str, tested: bool) -> None:
    source = f'fn f(g, i) {{\n{bindings}\n return g.get_node(k)\n}}\n'
    assert ("k.__class__ is _rt_str" in dump(parse(source, "versions.gd"))) is tested


def test_a_walked_id_variable_assigned_in_the_body_keeps_its_test() -> None:
    source = ('fn f(g) {\n t = 0\n for id in g.nodes() {\n if t > 1 { id = 5 }\n'
              ' t = t + g.get_node(id)\n }\n return t\n}\n')
    assert "id.__class__ is _rt_str" in dump(parse(source, "versions.gd")).split("else:")[0]


@pytest.mark.parametrize("program", [
    'fn f(g) {\n t = 0\n for id in g.nodes() {\n if t > 1 { id = 5 }\n t = t + g.get_node(id)\n }\n return t\n}\n'
    'g = graph {}\ng.add_node("a", 1)\ng.add_node("b", 2)\ng.add_node("c", 3)\nf(g)',
    'fn f(g, n) {\n i = 0\n t = []\n while i < n {\n k = "n" + i\n t = t + [g.get_node(k), g.has_node(k), "<" + k]\n'
    ' i = i + 1\n }\n return t\n}\ng = graph {}\ng.add_node("n1", 10)\nf(g, 3)',
    'fn f(g) {\n t = 0\n for id in g.nodes() {\n for other in g.neighbors(id) {\n t = t + g.get_node(other)\n }\n }\n'
    ' return t\n}\ng = graph {}\ng.add_edge("a", "b")\nf(g)',  # b's value is none: the `+` fails
])
def test_known_text_ids_agree_with_the_general_path(program: str, monkeypatch: pytest.MonkeyPatch) -> None:
    both_ways(program + "\n", monkeypatch)
