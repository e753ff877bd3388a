"""The string formatting fast paths: `text` of floats (string `+`), `format_float`, and
pad_left/pad_right off their common case (int width, one fill character)."""

from __future__ import annotations

import io
import math

import pytest

from graphoid import Interpreter
from graphoid.errors import GraphoidError
from graphoid.values.format import display, format_float, text
from graphoid.values.methods.registry import call_method
from graphoid.values.types import BigNum


@pytest.mark.parametrize("value, shown", [
    (math.nan, "NaN"), (math.inf, "inf"), (-math.inf, "-inf"), (-0.0, "-0"), (0.0, "0"), (2.5, "2.5"),
    (1e-7, "0.0000001"), (-1e22, "-10000000000000000000000"), (1e16, "10000000000000000"),
    (123.456, "123.456"), (1e300, str(int(1e300))), (5e-324, "0." + "0" * 323 + "5"),
])
def test_floats_print_the_rust_way(value: float, shown: str) -> None:
    assert format_float(value) == shown
    assert text(value) == display(value) == shown


def test_string_plus_a_float_in_a_program() -> None:
    interp = Interpreter(stdout=io.StringIO())
    assert interp.run('x = 12.5\n"p" + x + "|" + (x * 2) + "|" + (x == 1) + "|" + 7 / 2 + "|" + x / 125000000') == "p12.5|25|false|3.5|0.0000001"


@pytest.mark.parametrize("args, expected", [
    ((5,), "   ab"), ((5, "*"), "***ab"), ((4.9,), "  ab"), ((BigNum(4),), "  ab"), ((1,), "ab"),
    ((-3,), "ab"),
])
def test_pad_left_widths_and_fills(args: tuple, expected: str) -> None:
    assert call_method("ab", "pad_left", args) == expected


@pytest.mark.parametrize("args, expected", [
    ((5,), "ab   "), ((5, "*"), "ab***"), ((4.9,), "ab  "), ((BigNum(4),), "ab  "), ((1,), "ab"),
])
def test_pad_right_widths_and_fills(args: tuple, expected: str) -> None:
    assert call_method("ab", "pad_right", args) == expected


@pytest.mark.parametrize("name", ["pad_left", "pad_right"])
@pytest.mark.parametrize("args, kind, message", [
    ((True,), "TypeError", "expects a number as argument 1, got bool"),
    (("5",), "TypeError", "expects a number as argument 1, got string"),
    ((math.nan,), "ValueError", "expects a finite number"),
    ((5, "ab"), "ValueError", "padding must be a single character"),
    ((5, ""), "ValueError", "padding must be a single character"),
    ((5, 0), "TypeError", "expects a string as argument 2, got num"),
])
def test_pad_argument_errors(name: str, args: tuple, kind: str, message: str) -> None:
    with pytest.raises(GraphoidError) as caught:
        call_method("ab", name, args)
    assert caught.value.kind == kind and message in caught.value.message
