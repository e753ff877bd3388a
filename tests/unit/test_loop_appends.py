"""Loops that alone append to a local list test its uniqueness once per loop run (issue 9, lane
exc2: append_join), and proven ints become text by `str` (compiler/loop_appends.py, codegen).

Which loops own which names is checked on the analysis itself; what programs see is checked
against the value semantics of `append!`: a list shared before the loop, after an inner loop,
with the caller, frozen, or carrying rules, behaves as if every append tested it.
"""

from __future__ import annotations

import io
import math

import pytest

from graphoid import Interpreter
from graphoid.compiler import dump
from graphoid.compiler.loop_appends import owned_appends
from graphoid.errors import GraphoidError
from graphoid.syntax import ast as g
from graphoid.syntax.parser import parse

pytestmark = pytest.mark.timeout(300)
FILE = "appends.gd"


def owned(body: str, candidates: tuple[str, ...] = ("xs", "ys")) -> list[list[str]]:
    """Names each loop of `fn f(n) { body }` owns, loops in source order (unowned: [])."""
    function = parse(f"fn f(n) {{\n{body}\n}}\n", FILE).body[0]
    assert isinstance(function, g.FnDef)
    found = owned_appends(function.body, candidates)
    loops: list[g.While | g.For] = []
    stack: list = [function.body]
    while stack:
        node = stack.pop()
        if isinstance(node, tuple):
            stack.extend(reversed(node))
        elif g.is_node(node) and not isinstance(node, g.Span):
            if isinstance(node, (g.While, g.For)):
                loops.append(node)
            stack.extend(reversed([getattr(node, f) for f in g.fields(type(node)) if f != "span"]))
    return [sorted(found.get(id(loop), ())) for loop in loops]


@pytest.mark.parametrize("body, expected", [
    ("xs = []\ni = 0\nwhile i < n { xs.append!(i)\n i = i + 1 }", [["xs"]]),
    ("xs = []\nfor k in [1, 2] { xs.push!(k * 2) }", [["xs"]]),
    ("xs = []\nys = []\nfor k in [1] { xs.append!(k)\n ys.append!(k) }", [["xs", "ys"]]),
    # any other mention in the loop: a read, a share, a rebinding, another `!` method
    ("xs = []\nwhile xs.length() < n { xs.append!(1) }", [[]]),
    ("xs = []\nfor k in [1] { xs.append!(k)\n ys = xs }", [[]]),
    ("xs = []\nfor k in [1] { xs.append!(k)\n xs = [] }", [[]]),
    ("xs = []\nfor k in [1] { xs.append!(k)\n xs.insert!(0, k) }", [[]]),
    ("xs = []\nfor k in [1] { xs.append!(xs.length()) }", [[]]),
    ("xs = []\nfor k in [1] { xs.append!(k)\n print(xs) }", [[]]),
    ("xs = []\nfor k in [1] { y = xs.append!(k) }", [[]]),
    # bound by the loop, a catch or a match: a string field naming it
    ("xs = []\nfor xs in [[1]] { xs.append!(1) }", [[]]),
    ("xs = []\nfor k in [1] { xs.append!(k)\n try { k } catch as xs { } }", [[]]),
    # captured by a nested function anywhere in the function: a closure cell others can read
    ("xs = []\nfor k in [1] { xs.append!(k) }\nf = () => xs", [[]]),
    # nested loops: each loop owns what only its own appends touch
    ("xs = []\nfor k in [1] { for j in [2] { xs.append!(j) }\n xs.append!(k) }", [["xs"], ["xs"]]),
    ("xs = []\nsaved = []\nfor k in [1] { for j in [2] { xs.append!(j) }\n saved.append!(xs) }",
     [["saved"], ["xs"]]),
])
def test_which_loops_own_which_lists(body: str, expected: list[list[str]]) -> None:
    assert owned(body, ("xs", "ys", "saved")) == expected


def test_the_loop_tests_the_list_once_per_run() -> None:
    # xs starts as a parameter's list, not a literal: a fresh list (freshvars.py) appends untested
    code = dump(parse("fn f(n, start) {\n xs = start\n i = 0\n while i < n {\n xs.append!(\"x\" + i)\n i = i + 1\n }\n"
                      " return xs\n}\n", FILE))
    loop = code.split("while True:")[1]
    assert code.split("while True:")[0].rstrip().endswith("= False")
    assert "if _rt_own" in loop and "elif xs.__class__ is _rt_GList and xs.plain" in loop
    # nothing in a loop that reads the list: the test runs at every append
    plain = dump(parse("fn f(n, start) {\n xs = start\n while xs.length() < n { xs.append!(1) }\n return xs\n}\n", FILE))
    assert "_rt_own" not in plain and "if xs.__class__ is _rt_GList and xs.plain" in plain


def outcome(source: str) -> str:
    """What the program prints, then its escaping error as `Kind: message`."""
    out = io.StringIO()
    try:
        Interpreter(stdout=out).run(source, filename=FILE)
    except GraphoidError as error:
        return out.getvalue() + f"{error.kind}: {error.message}"
    return out.getvalue().rstrip("\n")


def test_a_list_shared_before_the_loop_is_copied_once_and_the_other_keeps_its_value() -> None:
    assert outcome("fn f(n) {\n xs = [0]\n ys = xs\n i = 1\n while i < n { xs.append!(i)\n i = i + 1 }\n"
                   " return [xs, ys]\n}\nprint(f(4))") == "[[0, 1, 2, 3], [0]]"


def test_a_list_shared_between_runs_of_an_inner_loop_is_copied_again() -> None:
    source = """fn f() {
    xs = []
    saved = []
    k = 0
    while k < 3 {
        j = 0
        while j < 2 {
            xs.append!(k * 10 + j)
            j = j + 1
        }
        saved.append!(xs)
        k = k + 1
    }
    return saved
}
print(f())"""
    assert outcome(source) == "[[0, 1], [0, 1, 10, 11], [0, 1, 10, 11, 20, 21]]"


def test_the_callers_list_keeps_its_value() -> None:
    source = """fn fill(xs, n) {
    for k in range(0, n) { xs.append!(k) }
    return xs
}
mine = [9]
print(fill(mine, 3), mine)
print(fill([], 2))"""
    assert outcome(source) == "[9, 0, 1, 2] [9]\n[0, 1]"


def test_frozen_lists_and_lists_with_rules_keep_their_behaviour_in_an_owning_loop() -> None:
    frozen = "fn f() {\n xs = [1].freeze()\n for k in [2, 3] { xs.append!(k) }\n return xs\n}\nprint(f())"
    straight = "fn f() {\n xs = [1].freeze()\n xs.append!(2)\n return xs\n}\nprint(f())"
    assert outcome(frozen) == outcome(straight)
    assert outcome(frozen).startswith("FrozenError") or "frozen" in outcome(frozen)
    ruled = ("fn f() {\n xs = [].add_rule(:none_to_zero)\n for k in [none, 5, none] { xs.append!(k) }\n"
             " return xs\n}\nprint(f())")
    assert outcome(ruled) == "[0, 5, 0]"
    caught = """fn f() {
    xs = [1].freeze()
    for k in [2, 3] {
        try { xs.append!(k) } catch as e { xs = [e.type()] }
    }
    return xs
}
print(f())"""
    assert outcome(caught) == f"[{outcome(straight).split(':')[0]}, 3]"


def test_appends_in_an_owning_loop_still_count_against_the_step_limit() -> None:
    interp = Interpreter(stdout=io.StringIO(), max_steps=10_000, time_limit=120)
    with pytest.raises(GraphoidError) as caught:
        interp.run("fn f() {\n xs = []\n while true { xs.append!(1) }\n}\nf()", filename=FILE)
    assert caught.value.kind == "LimitError"


def test_proven_ints_beyond_the_digit_limit_still_become_text_in_a_loop() -> None:
    # i is a proven int (only `=` of ints): squared 14 times it has over 4300 digits, where
    # str() refuses and the ValueError handler takes _rt_int_text
    source = """fn f() {
    i = 2
    k = 0
    while k < 14 {
        i = i * i
        k = k + 1
    }
    xs = []
    for j in [1, 2] { xs.append!("n" + i) }
    return xs.map(s => s.length())
}
print(f())"""
    digits = int(2 ** 14 * math.log10(2)) + 1
    assert digits > 4300
    assert outcome(source) == f"[{digits + 1}, {digits + 1}]"


def test_the_int_conversion_saves_no_earlier_operand() -> None:
    # the conversion runs no user code and cannot fail, so `h(xs)` is not kept in a temporary
    # (one would hold a second reference to a list across the loop and defeat copy-on-write)
    code = dump(parse('fn f(xs, n) {\n i = 0\n while i < n {\n y = g(h(xs), "a" + i)\n i = i + 1\n }\n}\n', FILE))
    assert "_rt_int_str(i)" in code and "y = g(h(xs), 'a' + " in code and "= h(xs)" not in code
    source = """fn h(x) {
    print("h " + x.length())
    return x
}
fn f(xs) {
    i = 1
    while i < 3 {
        ys = h(xs).concat(["a" + i])
        xs.append!(ys.length())
        i = i + 1
    }
    return xs
}
print(f([0]))"""
    assert outcome(source) == "h 1\nh 2\n[0, 2, 3]"
