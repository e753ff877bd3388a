"""Inline `%`, `//`, `**`, `&`, `|`, `^` (codegen.inline_int_op) agree with the helpers in
values/ops.py on every operand kind: the Python operator runs only where it means the same."""

from __future__ import annotations

import io
import math
from typing import Any, Callable

import pytest

from graphoid import Interpreter
from graphoid.compiler import dump
from graphoid.errors import GraphoidError
from graphoid.syntax import parse
from graphoid.values import ops

HELPERS: dict[str, Callable[[Any, Any], Any]] = {
    "%": ops.mod, "//": ops.floordiv, "**": ops.power, "&": ops.band, "|": ops.bor, "^": ops.bxor,
}
BIG = 2 ** 70
OPERANDS: list[Any] = [
    0, 1, 7, 3, -7, -3, 64, 65, -1, 2.5, -2.5, 0.0, -0.0, math.inf, True, False, None, "s",
    BIG, -BIG, 2 ** 63 - 1, 2 ** 63, -(2 ** 63), -(2 ** 63) - 1, 255,
]
# `**` with a huge exponent is refused by a size check; keep the grid to quick powers.
QUICK_POWER = {(a, b) for a in OPERANDS for b in OPERANDS if not (type(b) is int and b > 64)}


def outcome(fn: Callable[[], Any]) -> tuple[str, Any]:
    """(type, value) with floats by repr (keeps -0.0 and NaN apart), or the error raised."""
    try:
        value = fn()
    except GraphoidError as error:
        return ("error", (error.kind, error.message))
    except (OverflowError, ValueError) as error:
        # The helper itself hit a Python float error (`inf % 2`); the interpreter reports
        # those as Graphoid errors at the call (see same_outcome).
        return ("python error", type(error).__name__)
    if type(value) is float:
        return ("float", repr(value))
    return (type(value).__name__, value)


def same_outcome(got: tuple[str, Any], expected: tuple[str, Any]) -> bool:
    if expected[0] == "python error":
        return got[0] == "error"
    return got == expected


def interp(source: str) -> Interpreter:
    runner = Interpreter(stdout=io.StringIO())
    runner.run(source, filename="inline_ops.gd")
    return runner


@pytest.mark.parametrize("op", HELPERS)
def test_inline_operator_matches_helper_for_variables(op: str) -> None:
    runner = interp(f"fn apply(a, b) {{ return a {op} b }}")
    for a in OPERANDS:
        for b in OPERANDS:
            if op == "**" and (a, b) not in QUICK_POWER:
                continue
            expected = outcome(lambda: HELPERS[op](a, b))
            got = outcome(lambda: runner.call("apply", a, b))
            assert same_outcome(got, expected), (a, op, b, got, expected)


def _literal(value: Any) -> str:
    return repr(value) if type(value) is int and value >= 0 else f"({value!r})"


@pytest.mark.parametrize("op", HELPERS)
def test_inline_operator_matches_helper_with_a_constant_operand(op: str) -> None:
    constants = [0, 1, 3, 7, 64, 65, 255, -1, -3, 2 ** 63 - 1, 2 ** 63, BIG, 2.5]
    lines = []
    for i, c in enumerate(constants):
        lines.append(f"fn left{i}(b) {{ return {_literal(c)} {op} b }}")
        lines.append(f"fn right{i}(a) {{ return a {op} {_literal(c)} }}")
    runner = interp("\n".join(lines))
    for i, c in enumerate(constants):
        for x in OPERANDS:
            if op != "**" or (c, x) in QUICK_POWER:
                got, expected = outcome(lambda: runner.call(f"left{i}", x)), outcome(lambda: HELPERS[op](c, x))
                assert same_outcome(got, expected), (c, op, x, got, expected)
            if op != "**" or (x, c) in QUICK_POWER:
                got, expected = outcome(lambda: runner.call(f"right{i}", x)), outcome(lambda: HELPERS[op](x, c))
                assert same_outcome(got, expected), (x, op, c, got, expected)


def test_negative_and_float_operands_take_graphoid_rules() -> None:
    runner = interp("fn both(a, b) { return [a % b, a // b] }")
    assert runner.call("both", -7, 3) == [-1, -2]      # truncation, dividend's sign
    assert runner.call("both", 7, -3) == [1, -2]
    assert runner.call("both", 7.5, 2) == [1.5, 3]
    assert runner.call("both", -7.5, 2) == [-1.5, -3]
    assert runner.call("both", 10 ** 30 + 7, 10) == [7, 10 ** 29]


def test_zero_divisor_keeps_its_error_and_lenient_mode() -> None:
    with pytest.raises(GraphoidError, match="Modulo by zero"):
        interp("n = 0\nx = 5 % n")
    with pytest.raises(GraphoidError, match="Division by zero"):
        interp("n = 0\nx = 5 // n")
    out = io.StringIO()
    Interpreter(stdout=out).run('n = 0\nconfigure { error_mode: :lenient } { print(5 % n, 5 // n) }')
    assert out.getvalue().strip() == "none none"


def test_bool_operands_are_errors_not_numbers() -> None:
    with pytest.raises(GraphoidError, match=r"Unsupported operation: bool % num"):
        interp("t = true\nx = t % 2")
    with pytest.raises(GraphoidError, match=r"Unsupported operation: num & bool"):
        interp("t = true\nx = 3 & t")


def test_operands_run_left_to_right_once() -> None:
    out = io.StringIO()
    Interpreter(stdout=out).run(
        'fn f(v) { print("f" + v)\n return v }\nprint(f(17) % f(5), f(2) ** f(3), f(12) & f(10))')
    assert out.getvalue().split() == ["f17", "f5", "f2", "f3", "f12", "f10", "2", "8", "8"]


def test_fast_form_is_emitted_for_ints_and_not_for_other_constants() -> None:
    code = dump(parse("x = a % 7\ny = a % -7\nz = a ** 0.5\nw = a & 255", "inline.gd"))
    assert "a % 7 if _rt_type(a) is _rt_int and a >= 0 else _rt_mod(a, 7)" in code
    assert "_rt_mod(a, -7)" in code and "a % -7" not in code
    assert "_rt_pow(a, 0.5)" in code and "a ** 0.5" not in code
    assert "a & 255 if _rt_type(a) is _rt_int else _rt_band(a, 255)" in code


# ------------------------------------------------------------------ string + value

TEXT_OPERANDS: list[Any] = [1, -7, 1.0, -0.0, 0.1, 2.5e-7, 1e21, math.inf, math.nan, 10 ** 5000, True, None, "t", [1, "a"]]


def test_string_plus_any_value_formats_as_display() -> None:
    runner = interp('fn left(v) { return "x" + v }\nfn right(v) { return v + "y" }\n'
                    'fn middle(v) { return "a" + v + "b" + v }')
    for value in TEXT_OPERANDS:
        assert runner.call("left", value) == ops.add("x", value)
        assert runner.call("right", value) == ops.add(value, "y")
        assert runner.call("middle", value) == ops.add(ops.add(ops.add("a", value), "b"), value)


def test_string_plus_prints_numbers_as_graphoid_does() -> None:
    out = io.StringIO()
    Interpreter(stdout=out).run('z = -0.0\nprint("n=" + 5.0 + "," + z + "," + 0.5 + "," + 1 / 3 + "," + 10 ** 22)')
    assert out.getvalue().strip() == "n=5,-0,0.5,0.3333333333333333,10000000000000000000000"


def test_string_plus_keeps_errors_of_the_non_string_side() -> None:
    with pytest.raises(GraphoidError, match=r"Unsupported operation: none \+ num"):
        interp('v = none\nx = v + 1 + "s"')


def test_string_literal_plus_is_formatted_without_the_slow_path() -> None:
    code = dump(parse('x = "Item-" + i + ":"', "text.gd"))
    assert "'Item-' + (i if _rt_type(i) is _rt_str else _rt_text(i)) + ':'" in code
