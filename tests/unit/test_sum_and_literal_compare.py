"""`list.sum()` on its C path (ints only) and off it, and `arithmetic == 0/1` compiled
without the bool test (arithmetic never yields a bool)."""

from __future__ import annotations

import io

import pytest

from graphoid import Interpreter
from graphoid.compiler import dump
from graphoid.errors import GraphoidError
from graphoid.syntax import parse
from graphoid.values.methods.registry import call_method
from graphoid.values.types import BigNum, GList


@pytest.mark.parametrize("items, expected", [
    ([], 0), ([1, 2, 3], 6), ([BigNum(2), 3], 5), ([2 ** 70, 2 ** 70], 2 ** 71), ([1, 2.5], 3.5),
    ([0.1, 0.2, 0.3], 0.1 + 0.2 + 0.3), ([1e16, 1.0, -1e16], (1e16 + 1.0) - 1e16),
])
def test_sum(items: list, expected: object) -> None:
    got = call_method(GList(items), "sum")
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize("items, kind", [([1, True], "bool"), ([1, "2"], "string"), ([None], "none")])
def test_sum_refuses_what_is_not_a_number(items: list, kind: str) -> None:
    with pytest.raises(GraphoidError) as caught:
        call_method(GList(items), "sum")
    assert caught.value.message == f"Method 'sum' expects a number as argument 1, got {kind}"


@pytest.mark.timeout(60)
def test_an_int_sum_is_metered_under_limits() -> None:
    interp = Interpreter(stdout=io.StringIO(), max_steps=50_000)
    interp.run("xs = list.generate(1, 40000, 1)", filename="sum.gd")
    with pytest.raises(GraphoidError) as caught:
        interp.run("while true { xs.sum() }", filename="sum.gd")
    assert caught.value.kind == "LimitError"


def test_arithmetic_compared_with_one_needs_no_bool_test() -> None:
    code = dump(parse("f = x => x % 4 == 1\ng = x => x == 1", "cmp.gd"))
    assert "_rt_mod(x, 4)) == 1\n" in code
    assert "x == 1 and x is not True" in code


@pytest.mark.parametrize("source, expected", [
    ("x = true\n[x * 1 == 1, x + 0 == 0, x - 0 == 1, 7 % 3 == 1, 1.0 * 1 == 1, x == 1]",
     [True, False, True, True, True, False]),
    ("x = false\n[x * 1 == 0, x + 1 != 1, 4 // 4 == 1, 2 ** 0 == 1, x == 0]", [True, False, True, True, False]),
])
def test_arithmetic_compared_with_literals(source: str, expected: list) -> None:
    assert Interpreter(stdout=io.StringIO()).run(source, filename="cmp.gd") == expected
