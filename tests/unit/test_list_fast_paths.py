"""List builtins on C-level paths (join, generate, map, filter, reject, sort) keep their meaning
for every element kind, and still charge the step budget under limits."""

from __future__ import annotations

import io

import pytest

from graphoid import Interpreter
from graphoid.errors import GraphoidError


def printed(source: str) -> list[str]:
    out = io.StringIO()
    Interpreter(stdout=out).run(source, filename="list_fast.gd")
    return out.getvalue().splitlines()


def test_join_of_strings_and_of_other_values() -> None:
    assert printed('print(["a", "b", ""].join("-"))\nprint([].join(","))') == ["a-b-", ""]
    assert printed('z = -0.0\nprint([1, 2.0, z, 0.5, none, true, "s", [1, "x"]].join(","))') == [
        "1,2,-0,0.5,none,true,s,[1, x]"]


def test_join_still_needs_a_string_separator() -> None:
    with pytest.raises(GraphoidError, match="join"):
        printed('print(["a"].join(1))')


def test_generate_with_int_float_and_negative_steps() -> None:
    assert printed("print(list.generate(1, 10, 3))\nprint(list.generate(10, 1, -4))\n"
                   "print(list.generate(0, 1, 0.25))\nprint(list.generate(1, 2.5, 0.5))\n"
                   "print(list.generate(3, 1, 1))\nprint(list.generate(1, 1, -1))") == [
        "[1, 4, 7, 10]", "[10, 6, 2]", "[0, 0.25, 0.5, 0.75, 1]", "[1, 1.5, 2, 2.5]", "[]", "[1]"]
    assert printed("print(list.generate(-2, 2, i => i * i))") == ["[4, 1, 0, 1, 4]"]


def test_filter_and_reject_use_graphoid_truthiness() -> None:
    source = ('g = graph {}\nitems = [0, 1, "", "s", [], [0], {}, {"k": 0}, none, false, true, 0.0, g]\n'
              "print(items.filter(x => x).length(), items.reject(x => x).length())\n"
              "print([1, 2, 3, 4].filter(:even), [1, 2, 3, 4].reject(:even), [1, 2].map(:double))")
    assert printed(source) == ["5 8", "[2, 4] [1, 3] [2, 4]"]


def test_sort_orders_numbers_strings_and_mixed_lists() -> None:
    assert printed("xs = [3, 1.5, -2, 10 ** 20, 0]\nxs.sort!()\nprint(xs)\n"
                   'ys = ["b", "B", "a"]\nys.sort!()\nprint(ys)\n'
                   'zs = [2, "a", 1, true, false]\nzs.sort!()\nprint(zs)\n'
                   "print([true, false].sort(), [2, 1].max(), [\"b\", \"c\"].min())") == [
        "[-2, 0, 1.5, 3, 100000000000000000000]", "[B, a, b]", "[2, a, 1, false, true]",
        "[false, true] 2 b"]
    with pytest.raises(GraphoidError, match="needs a list of numbers or of strings"):
        printed('print([1, "a"].max())')


@pytest.mark.timeout(120)
@pytest.mark.parametrize("call", [
    'list.generate(1, 100000000, 1)',
    'list.generate(1, 100000000, i => i)',
    'list.generate(1, 3000000, 1).map(x => x)',
    'list.generate(1, 3000000, 1).filter(x => x)',
    'list.generate(1, 3000000, 1).reject(x => x)',
    'list.generate(1, 3000000, 1).join(",")',
])
def test_builtins_stop_at_the_step_limit(call: str) -> None:
    """Each call would take seconds to minutes unchecked; the budget stops it with LimitError."""
    interp = Interpreter(stdout=io.StringIO(), max_steps=1_000_000)
    with pytest.raises(GraphoidError) as caught:
        interp.run(f"x = {call}", filename="limit.gd")
    assert caught.value.kind == "LimitError"
