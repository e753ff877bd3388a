"""Number methods, especially rounding (half away from zero, places, :nearest_*)."""

from __future__ import annotations

import math

import pytest

from graphoid.errors import GraphoidError
from graphoid.values.format import display
from graphoid.values.methods import call_method
from graphoid.values.types import BigNum, Symbol


def m(receiver, name, *args):
    return call_method(receiver, name, args)


@pytest.mark.parametrize(
    "value, expected",
    [(2.5, 3), (-2.5, -3), (-3.5, -4), (0.5, 1), (-0.5, -1), (0.49999999999999994, 0), (1.4, 1), (7, 7)],
)
def test_round_half_away_from_zero(value, expected):
    result = m(value, "round")
    assert result == expected and type(result) is int


def test_round_with_places_and_modes():
    assert m(3.14159, "round", 2) == 3.14
    assert m(2.675, "round", 2) == 2.68  # 2.675 * 100 is exactly 267.5 in f64
    assert m(1.005, "round", 2) == 1.0  # 1.005 * 100 is 100.49999999999999, as in the reference
    assert m(-1.25, "round", 1) == -1.3
    assert m(1234, "round", -2) == 1200
    assert m(1234, "round", Symbol("nearest_ten")) == 1230
    assert m(1250, "round", Symbol("nearest_hundred")) == 1300
    assert m(-1250, "round", Symbol("nearest_hundred")) == -1300
    assert display(m(5.0, "round", 2)) == "5"
    with pytest.raises(GraphoidError) as info:
        m(1.5, "round", Symbol("nearest_thousand"))
    assert info.value.kind == "RuntimeError" and "rounding mode" in info.value.message
    with pytest.raises(GraphoidError) as info:
        m(1.5, "round", "2")
    assert info.value.kind == "TypeError"
    # Places are cast like Rust's `as i32`: NaN is 0, huge values saturate.
    assert m(2.5, "round", math.nan) == 3
    assert math.isnan(m(2.5, "round", 1e30)) and math.isnan(m(2.5, "round", -1e30))
    assert m(math.inf, "round") == math.inf and math.isnan(m(math.nan, "up"))


def test_up_and_down():
    assert m(3.2, "up") == 4 and m(-3.2, "up") == -3
    assert m(3.8, "down") == 3 and m(-3.2, "down") == -4
    assert m(3.141, "up", 2) == 3.15 and m(3.149, "down", 2) == 3.14
    assert m(1201, "up", Symbol("nearest_hundred")) == 1300
    assert m(1299, "down", Symbol("nearest_hundred")) == 1200
    assert m(15, "up", Symbol("nearest_ten")) == 20


def test_basic_math():
    assert m(-4, "abs") == 4 and m(-4.5, "abs") == 4.5
    assert m(16, "sqrt") == 4 and type(m(16, "sqrt")) is int
    assert m(2, "sqrt") == math.sqrt(2)
    assert math.isnan(m(-1, "sqrt"))
    assert m(3.7, "floor") == 3 and m(-3.2, "floor") == -4 and m(3.2, "ceil") == 4
    assert m(math.inf, "floor") == math.inf
    assert m(math.e, "log") == 1.0
    assert m(8, "log", 2) == 3.0
    assert m(0, "log") == -math.inf
    assert m(65, "to_char") == "A"
    for bad in (200, -1, math.inf):
        with pytest.raises(GraphoidError):
            m(bad, "to_char")
    assert m(3.9, "to_int") == 3 and m(-3.9, "to_int") == -3
    assert m(2, "pow", 10) == 1024 and m(2, "pow", -1) == 0.5
    assert m(3, "pow", 100) == 3**100 and m(10, "pow", 10**30) == math.inf
    assert m(0, "pow", -1) == math.inf and math.isnan(m(-8, "pow", 0.5))
    assert m(5, "clamp", 0, 3) == 3 and m(5, "min", 3) == 3 and m(5, "max", 9) == 9
    assert m(2.0, "is_integer") and not m(2.5, "is_integer")
    seen = []
    assert m(3, "times", seen.append) is None and seen == [0, 1, 2]


def test_number_conversions_and_bignum():
    assert m(42.5, "to_string") == "42.5" and m(7.0, "to_string") == "7"
    assert m(0.0, "to_bool") is False and m(-1.0, "to_bool") is True
    assert m(42.5, "to_num") == 42.5
    big = m(5, "to_bignum")
    assert type(big) is BigNum and m(big, "is_bignum") and not m(5, "is_bignum")
    assert m(big, "type") == "bignum" and m(big, "to_num") == 5 and type(m(big, "to_num")) is int
    assert m(big, "fits_in_num") and m(1.5, "fits_in_num") and not m("x", "fits_in_num")
    assert m(BigNum(10**400), "fits_in_num") is False
    assert m(big, "abs") == 5
