"""Local int inference (compiler/intvars.py): proven int variables lose their run-time guards,
and every way a variable could hold something else keeps them (with the same results)."""

from __future__ import annotations

import io
import re
import sys

import pytest

from graphoid import Interpreter
from graphoid.compiler import compile_program, dump
from graphoid.compiler.intvars import INT, NON_NEGATIVE, module_candidates, proven_ints
from graphoid.errors import GraphoidError
from graphoid.syntax import parse


def python_of(source: str) -> str:
    return dump(parse(source, "intvars.gd"))


def run(source: str, **options: object) -> Interpreter:
    interp = Interpreter(stdout=io.StringIO(), **options)  # type: ignore[arg-type]
    interp.run(source, filename="intvars.gd")
    return interp


MOD_LOOP = """
fn run(n) {
    i = 0
    total = 0
    while i < n {
        total = total + i % 7 + i // 3 % 5
        i = i + 1
    }
    return total
}
"""


def test_a_proven_loop_compiles_to_plain_python_arithmetic() -> None:
    code = python_of(MOD_LOOP)
    assert "total = total + i % 7 + i // 3 % 5" in code
    assert "i = i + 1" in code
    assert "_rt_type" not in code and "try" not in code
    assert run(MOD_LOOP).call("run", 100) == sum(i % 7 + i // 3 % 5 for i in range(100))


def test_the_top_level_loop_is_proven_when_the_module_runs_only_operators() -> None:
    source = "i = 0\ntotal = 0\nwhile i < n {\n    total = total + i % 7\n    i = i + 1\n}\nresult = total"
    code = python_of(source)
    assert "total = total + i % 7" in code and "_rt_type" not in code
    interp = Interpreter(stdout=io.StringIO())
    interp.run("n = 20")
    interp.run(source)
    assert interp.lookup("result") == sum(i % 7 for i in range(20))


@pytest.mark.parametrize("source, expected", [
    ("a = 0\nb = a - 3\nc = b * 2 + a", {"a": NON_NEGATIVE, "b": INT, "c": INT}),
    ("a = 5\nb = a % 3\nc = a // 2 * a", {"a": NON_NEGATIVE, "b": NON_NEGATIVE, "c": NON_NEGATIVE}),
    ("a = -5\nb = a % 3", {"a": INT, "b": INT}),
    ("a = 0\na = a + 0.5", {}),
    ("a = 0\na = a + b", {}),
    ("a = 0\nb = a % n", {"a": NON_NEGATIVE}),
    ("a = 0\nb = a % 0", {"a": NON_NEGATIVE}),
    ("a = 0\nb = a / 2", {"a": NON_NEGATIVE}),
    ("a = true\nb = 1", {"b": NON_NEGATIVE}),
    ("a = 0\nb = a\nb = b + 1\na = b", {"a": NON_NEGATIVE, "b": NON_NEGATIVE}),
    ("a = 0\nb = a\nb = b - 1\na = b", {"a": INT, "b": INT}),
])
def test_what_counts_as_an_int(source: str, expected: dict[str, str]) -> None:
    body = parse(source, "intvars.gd").body
    assert proven_ints(body, {"a", "b", "c"}) == expected


@pytest.mark.parametrize("binding", [
    "for i in [1, 2] { }",
    'try { } catch as i { }',
    "match 1 { i => 0 }",
    "i.append!(1)",
    "i[0] = 1",
    "f = () => { i = 1 }",
    "fn inner() { i = 1 }",
    "graph G { fn m() { i = 1 } }",
])
def test_any_other_binding_disqualifies_a_variable(binding: str) -> None:
    body = parse(f"i = 0\nj = 0\n{binding}\ni = i + 1", "intvars.gd").body
    assert proven_ints(body, {"i", "j"}) == {"j": NON_NEGATIVE}


def test_nested_functions_may_read_a_proven_variable() -> None:
    body = parse("i = 0\nf = () => i + 1\ni = i + 1", "intvars.gd").body
    assert proven_ints(body, {"i"}) == {"i": NON_NEGATIVE}


@pytest.mark.parametrize("source, expected", [
    ("i = 0\nwhile i < n { i = i + 1 }", {"i"}),
    ("i = 0\nprint(i)", set()),                       # a call: other code may run
    ("i = 0\ng.x = 1", set()),                       # a property store
    ('i = 0\nload "other.gd"', set()),
    ("total = total + 1", set()),                    # read before this module assigns it
    ("if c { i = 0 }\ni = i + 1", set()),            # first assignment not at top level
    ("j = i\ni = 0", {"j"}),                         # i is mentioned before it is assigned
    ("i = 0\nfn f() { return i }", {"i"}),
])
def test_module_candidates(source: str, expected: set[str]) -> None:
    assert module_candidates(parse(source, "intvars.gd").body) == expected


def test_a_closure_writing_the_variable_keeps_the_guard_and_the_semantics() -> None:
    source = """
fn run() {
    i = 7
    set = () => { i = "text" }
    set()
    return i % 2
}
"""
    assert "_rt_type(i) is _rt_int" in python_of(source)
    with pytest.raises(GraphoidError) as caught:
        run(source).call("run")
    assert caught.value.kind == "TypeError"


def test_negative_proven_ints_keep_the_sign_test() -> None:
    source = "fn run() {\n    i = 0 - 7\n    return i % 3 + i // 2\n}"
    code = python_of(source)
    assert "_rt_type(i)" not in code and "i >= 0" in code
    assert run(source).call("run") == -1 + -3


def test_a_lenient_modulo_by_a_variable_is_not_proven() -> None:
    source = """
fn run(d) {
    configure { error_mode: :lenient } {
        i = 5
        r = i % d
    }
    return r
}
"""
    assert run(source).call("run", 0) is None
    assert run(source).call("run", 3) == 2


def test_an_unproven_sum_still_reports_graphoid_errors() -> None:
    source = 'fn run(x) {\n    i = 0\n    i = i + 1\n    return i + x\n}'
    interp = run(source)
    assert interp.call("run", 2.5) == 3.5
    with pytest.raises(GraphoidError) as caught:
        interp.call("run", [1])
    assert caught.value.kind == "TypeError"


def test_parameters_and_method_locals_are_not_inferred() -> None:
    source = """
fn f(i) { return i % 7 }
graph Counter {
    fn spread(n) {
        k = 0 - n
        return k % 3
    }
}
"""
    assert "_rt_type(i) is _rt_int" in python_of(source)
    interp = run(source)
    assert interp.call("f", -8) == -1
    assert interp.run("Counter.spread(7)") == -1


def test_text_joined_to_a_proven_int() -> None:
    source = 'fn run() {\n    j = 0\n    j = j + 12\n    return "n" + j\n}'
    code = python_of(source)
    # str(), and _rt_int_text for ints over CPython's digit limit (test below)
    assert re.search(r"(_rt_\w+) = _rt_int_str\(j\)\n    except _rt_ValueError:\n        \1 = _rt_int_text\(j\)"
                     r"\n    return 'n' \+ \1\n", code), code
    assert run(source).call("run") == "n12"
    mixed = 'fn run() {\n    j = 12\n    k = 0 - j\n    return (j + "|") + ("x" + k) + "|" + (j * j)\n}'
    assert run(mixed).call("run") == "12|x-12|144"


def test_huge_proven_ints_still_print() -> None:
    source = 'fn run() {\n    i = 1\n    k = 0\n    while k < 15 {\n        i = i * i + 1\n        k = k + 1\n    }\n    return "" + i\n}'
    value = 1
    for _ in range(15):
        value = value * value + 1
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        expected = str(value)
    finally:
        sys.set_int_max_str_digits(limit)
    assert len(expected) > limit  # beyond what str() of an int accepts by default
    assert run(source).call("run") == expected


@pytest.mark.timeout(60)
def test_a_proven_product_is_still_size_checked_under_limits() -> None:
    source = "fn grow() {\n    x = 2\n    while true { x = x * x }\n}\ngrow()"
    with pytest.raises(GraphoidError) as caught:
        run(source, max_steps=10_000_000, time_limit=60)
    assert caught.value.kind == "LimitError"
    assert "Number too large" in caught.value.message


def test_known_globals_are_never_proven() -> None:
    source = "i = 0\nwhile i < 3 { i = i % 5 + 1 }"
    fresh = compile_program(parse(source, "intvars.gd"), "intvars.gd")
    known = compile_program(parse(source, "intvars.gd"), "intvars.gd", known_globals=["i"])
    assert "_rt_type" not in fresh.co_names
    assert "_rt_type" in known.co_names
