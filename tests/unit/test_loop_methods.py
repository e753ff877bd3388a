"""Methods of fresh maps bound once per loop run (compiler/loop_methods.py, codegen
bound_method): which loops may hold them, the code, and that programs see what the general
path (the same program with the container shared, so not fresh) shows, errors and carets too."""

from __future__ import annotations

import io
import textwrap

import pytest

from graphoid import GraphoidError, Interpreter
from graphoid.compiler import dump
from graphoid.compiler.loop_methods import stable_names
from graphoid.syntax import ast as g
from graphoid.syntax.parser import parse

FILE = "methods.gd"


def stable(body: str, candidates: tuple[str, ...] = ("xs", "m")) -> list[str]:
    """The candidates the first loop of `fn f(n) { body }` never rebinds."""
    function = parse(f"fn f(n) {{\n{body}\n}}\n", FILE).body[0]
    loop = next(stmt for stmt in function.body.body if isinstance(stmt, (g.While, g.For)))
    return sorted(stable_names(loop, candidates))


def generated(source: str) -> str:
    Interpreter().builtins  # registers the copy-on-write thresholds, as a run does
    return dump(parse(textwrap.dedent(source), FILE))


def outcome(source: str) -> str:
    """What a program prints, then its error as the user sees it (location and caret)."""
    out = io.StringIO()
    interp = Interpreter(stdout=out)
    try:
        interp.run(textwrap.dedent(source), filename=FILE)
    except GraphoidError as error:
        return out.getvalue() + interp.format_error(error)
    return out.getvalue()


def shared(source: str, name: str) -> str:
    """The same program, lines unmoved, with `name` first made by a function (`keep_`): never
    fresh, so the general path. The first line of every source here is blank."""
    source = textwrap.dedent(source)
    marker = f"{name} = "
    head, tail = source.split(marker, 1)
    value, rest = tail.split("\n", 1)
    if value.endswith(" }"):  # `if c { xs = [] }`
        value = f"keep_({value[:-2]}) }}"
    else:
        value = f"keep_({value})"
    assert source.startswith("\n")
    return f"fn keep_(x) {{ return x }}{head}{marker}{value}\n{rest}"


# ---------------------------------------------------------------- which loops hold the methods

@pytest.mark.parametrize(("body", "expected"), [
    ("xs = []\nm = {}\nfor i in [1] { xs.append!(i)\n m[\"k\"] = m.get(\"k\", 0) + i }", ["m", "xs"]),
    ("xs = []\nwhile n > 0 { xs.push!(n)\n n = n - 1 }", ["m", "xs"]),
    ("xs = []\nfor i in [1] { xs = [] }", ["m"]),
    ("xs = []\nfor i in [1] { xs.sort!() }", ["m"]),
    ("xs = [[1]]\nfor i in [1] { xs[0][0] = 2 }", ["m"]),
    ("xs = [1]\nfor i in [1] { xs[0] = 2 }", ["m", "xs"]),
    ("xs = []\nfor xs in [[1]] { print(xs) }", ["m"]),
    ("m = {}\nfor i in [1] { try { i = 1 } catch as m { print(m) } }", ["xs"]),
    ("m = {}\nfor i in [1] { for j in [2] { m = {} } }", ["xs"]),
    ("m = {}\nfor i in [1] { f = () => { m = {} } }", ["m", "xs"]),  # a nested function's own m
])
def test_which_fresh_locals_a_loop_never_rebinds(body: str, expected: list[str]):
    assert stable(body) == expected


# ---------------------------------------------------------------- the code

WORD_COUNT = """
fn count(words) {
    counts = {}
    for w in words { counts[w] = counts.get(w, 0) + 1 }
    lines = []
    for w in counts.keys() { lines.append!(w + "=" + counts[w]) }
    return lines.join(" ")
}
"""


def test_fresh_containers_call_methods_bound_once_per_loop_run():
    code = generated(WORD_COUNT)
    assert ":= counts.get))(w, 0)" in code and "counts.get(" not in code
    assert "lines.append(" in code and ":= lines.append" not in code  # appends: the plain call
    assert "_rt_call_method(counts, 'get', (w, 0), None)" in code  # a non-string key: general path
    general = generated(shared(WORD_COUNT, "counts"))
    assert ":= counts.get" not in general


def test_a_loop_that_rebinds_the_container_leaves_it_to_the_inner_loop():
    source = """
    fn f(words) {
        sizes = []
        for round in [1, 2, 3] {
            counts = {}
            for w in words { counts[w] = counts.get(w, 0) + round }
            sizes.append!(counts.get("a", 0))
        }
        return sizes
    }
    print(f(["a", "b", "a"]), f([]))
    """
    code = generated(source)
    assert code.count(":= counts.get))") == 1 and "counts.get(" in code
    assert outcome(source) == "[2, 4, 6] [0, 0, 0]\n" == outcome(shared(source, "counts"))


# ---------------------------------------------------------------- what programs see

@pytest.mark.parametrize("words", ['["a", "b", "a"]', "[]", '["a", 1]', '["a", none, "b"]', '["a", [1]]'])
def test_counting_gives_what_the_general_path_gives(words: str):
    source = f"""
    fn count(words) {{
        counts = {{}}
        for w in words {{ counts[w] = counts.get(w, 0) + 1 }}
        return counts
    }}
    print(count({words}))
    """
    assert outcome(source) == outcome(shared(source, "counts"))


@pytest.mark.parametrize("value", ['"x"', "1", "none", "[1, 2]", '{"k": 1}'])
def test_appends_give_what_the_general_path_gives(value: str):
    source = f"""
    fn build(n) {{
        xs = []
        i = 0
        while i < n {{
            xs.append!({value})
            i = i + 1
        }}
        xs.append!(xs.length())
        return xs
    }}
    a = build(2)
    b = build(2)
    a[0] = "changed"
    print(a, b, build(0))
    """
    assert outcome(source) == outcome(shared(source, "xs"))


def test_a_container_unbound_when_the_loop_starts_fails_as_before():
    source = """
    fn f(c) {
        if c { m = {} }
        for k in ["a", "b", "a"] {
            m[k] = m.get(k, 0) + 1
        }
        return m
    }
    print(f(true))
    print(f(false))
    """
    general = shared(source, "m")
    assert ":= m.get" in generated(source) and ":= m.get" not in generated(general)
    assert outcome(source) == outcome(general)
    assert outcome(source).startswith('{"a": 2, "b": 1}\n')


def test_an_error_inside_the_loop_keeps_its_location_and_the_container_its_items():
    source = """
    fn f(words) {
        counts = {}
        seen = []
        for w in words {
            seen.append!(w)
            counts[w] = counts.get(w, 0) + 1
        }
        return [counts, seen]
    }
    print(f(["a", "a"]))
    print(f(["a", 2]))
    """
    result = outcome(source)
    assert result == outcome(shared(source, "counts")) == outcome(shared(source, "seen"))
    assert result.startswith('[{"a": 2}, [a, a]]\n') and "methods.gd:7:9: TypeError" in result


def test_returned_containers_are_independent_per_call():
    source = """
    fn tally(words) {
        counts = {}
        for w in words { counts[w] = counts.get(w, 0) + 1 }
        return counts
    }
    first = tally(["a"])
    second = tally(["a", "a"])
    first["a"] = 10
    copy = second
    copy["b"] = 1
    print(first, second, copy, tally(["a"]))
    """
    assert outcome(source) == '{"a": 10} {"a": 2} {"a": 2, "b": 1} {"a": 1}\n'
