"""`slice`, `take`, `skip`/`drop` inlined as Python slices under exact-type guards (issue 9).

Each call is run twice, inlined by the compiler and through the method table
(registry.call_method), for receivers and bounds the guard accepts and for those it turns
away: the value, or the error kind and message, must be the same.
"""

from __future__ import annotations

import io
import itertools

import pytest

from graphoid import Interpreter
from graphoid.compiler import dump
from graphoid.errors import GraphoidError
from graphoid.syntax.parser import parse
from graphoid.values.format import display
from graphoid.values.methods.registry import call_method
from graphoid.values.types import GList

RECEIVERS = {"xs": GList([10, 11, 12, 13, 14, 15]), "s": "abcdef", "empty": GList(), "blank": ""}
BOUNDS = {"0": 0, "2": 2, "5": 5, "6": 6, "99": 99, "-1": -1, "-4": -4, "-99": -99,
          "2.7": 2.7, "-1.5": -1.5, "true": True, '"2"': "2", "none": None}
CALLS = [("slice", 2), ("slice", 1), ("take", 1), ("skip", 1), ("drop", 1)]


def outcome_inline(receiver: str, method: str, bounds: list[str], as_variables: bool) -> str:
    """What the compiled call gives; bounds held in variables or written as literals."""
    if as_variables:
        setup = "".join(f"b{i} = {b}\n" for i, b in enumerate(bounds))
        args = ", ".join(f"b{i}" for i in range(len(bounds)))
    else:
        setup, args = "", ", ".join(bounds)
    out = io.StringIO()
    interp = Interpreter(stdout=out)
    interp.run(f"xs = [10, 11, 12, 13, 14, 15]\ns = \"abcdef\"\nempty = []\nblank = \"\"\n{setup}",
               filename="slices.gd")
    try:
        interp.run(f"print({receiver}.{method}({args}))", filename="slices.gd")
    except GraphoidError as error:
        return f"{error.kind}: {error.message}"
    return out.getvalue().rstrip("\n")


def outcome_method_table(receiver: str, method: str, bounds: list[str]) -> str:
    try:
        return display(call_method(RECEIVERS[receiver], method, tuple(BOUNDS[b] for b in bounds)))
    except GraphoidError as error:
        return f"{error.kind}: {error.message}"


CASES = [(receiver, method, list(bounds))
         for receiver in RECEIVERS
         for method, arity in CALLS
         for bounds in itertools.product(BOUNDS, repeat=arity)
         if arity == 1 or bounds[0] in ("2", "-1", "-4", "2.7", "true") or bounds[1] in ("2", "-1", "99")]


@pytest.mark.parametrize(("receiver", "method", "bounds"), CASES)
def test_inlined_slices_match_the_method_table(receiver: str, method: str, bounds: list[str]) -> None:
    expected = outcome_method_table(receiver, method, bounds)
    assert outcome_inline(receiver, method, bounds, as_variables=True) == expected
    assert outcome_inline(receiver, method, bounds, as_variables=False) == expected


def test_int_bounds_compile_to_python_slices() -> None:
    code = dump(parse("xs = [1, 2, 3]\ni = 1\na = xs.slice(i, i + 1)\nb = xs.take(2)\nc = xs.skip(i)\n", "s.gd"))
    assert "_rt_GList(xs[i:_rt_" in code
    assert "_rt_GList(xs[:2]) if xs.__class__ is _rt_GList else" in code
    assert "_rt_GList(xs[i if i > 0 else 0:]) if xs.__class__ is _rt_GList and i.__class__ is _rt_int" in code
    # a literal that is not an int leaves only the general dispatch
    assert "_rt_call_method(xs, 'take', (2.5,), None)" in dump(parse("xs = [1]\nxs.take(2.5)\n", "s.gd"))


def test_slices_are_new_lists_the_original_keeps_its_rules_and_frozen_state() -> None:
    out = io.StringIO()
    Interpreter(stdout=out).run(
        "xs = [1, 2, 3, 4]\n"
        "part = xs.slice(1, 3)\n"
        "part[0] = 99\n"
        "print(xs, part)\n"
        "frozen = [1, 2, 3].freeze()\n"
        "copy = frozen.take(2)\n"
        "copy.append!(7)\n"
        "print(frozen, copy, frozen.is_frozen(), copy.is_frozen())\n",
        filename="slices.gd")
    assert out.getvalue().splitlines() == ["[1, 2, 3, 4] [99, 3]", "[1, 2, 3] [1, 2, 7] true false"]


def test_a_graph_method_named_slice_is_the_graphs() -> None:
    out = io.StringIO()
    Interpreter(stdout=out).run(
        "graph Pie {\n    fn slice(a, b) { return \"piece \" + a + \"-\" + b }\n    fn take(n) { return n * 2 }\n}\n"
        "p = Pie.clone()\nprint(p.slice(1, 2), p.take(4))\n",
        filename="slices.gd")
    assert out.getvalue().splitlines() == ["piece 1-2 8"]
