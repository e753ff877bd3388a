"""Number formatting, display / to_string forms, type names, truthiness and equality."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphoid.errors import GraphoidError
from graphoid.values.format import (
    display,
    equals,
    format_number,
    is_truthy,
    to_string,
    type_name,
    type_of,
)
from graphoid.values.types import BigNum, GList, GMap, Regex, Symbol


@pytest.mark.parametrize(
    "value, text",
    [
        (5, "5"),
        (5.0, "5"),
        (-0.0, "-0"),
        (0.0, "0"),
        (0.5, "0.5"),
        (-2.25, "-2.25"),
        (0.1 + 0.2, "0.30000000000000004"),
        (1e-7, "0.0000001"),
        (1.5e-10, "0.00000000015"),
        (1e21, "1000000000000000000000"),
        (1e16, "10000000000000000"),
        (123456789.125, "123456789.125"),
        (2**70, "1180591620717411303424"),
        (math.inf, "inf"),
        (-math.inf, "-inf"),
        (math.nan, "NaN"),
        (BigNum(12), "12"),
    ],
)
def test_format_number(value, text):
    assert format_number(value) == text


def test_format_huge_int_beyond_python_str_limit():
    n = 10**5000 + 7
    text = format_number(n)
    assert len(text) == 5001 and text.startswith("1000") and text.endswith("0007")
    assert format_number(-n) == "-" + text


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_format_number_round_trips_without_exponent(x):
    text = format_number(x)
    assert "e" not in text and "E" not in text
    assert float(text) == x


def test_display_forms():
    assert display("raw") == "raw"
    assert display(None) == "none"
    assert display(True) == "true" and display(False) == "false"
    assert display(Symbol("ok")) == ":ok"
    assert display(GList(["a", 1, True, None, 2.5])) == "[a, 1, true, none, 2.5]"
    assert display(GMap({"k": "v", "n": 1.0})) == '{"k": v, "n": 1}'
    assert display(GList([GList([1]), GMap({"a": GList(["x"])})])) == '[[1], {"a": [x]}]'
    assert display(Regex("a+b", "i")) == "/a+b/i"
    assert display(GraphoidError("ValueError", "bad")) == "ValueError: bad"


def test_display_functions():
    def named(x):
        return x

    named._gd_name = "double"
    named._gd_params = ("x",)

    def anon(a, b):
        return a

    anon._gd_name = None
    anon._gd_params = ("a", "b")
    assert display(named) == "<function double>"
    assert display(anon) == "<lambda(a, b)>"
    assert display(len) == "<function len>"


def test_display_graph_like_objects():
    class WithDisplay:
        def display(self):
            return "<graph custom>"

    class Counts:
        def node_count(self):
            return 3

        def edge_count(self):
            return 2

    assert display(WithDisplay()) == "<graph custom>"
    assert display(Counts()) == "<graph: 3 nodes, 2 edges>"


def test_to_string_forms():
    assert to_string(None) == ""
    assert to_string("hi") == "hi"
    assert to_string(42.5) == "42.5"
    assert to_string(7.0) == "7"
    assert to_string(GList([])) == "[]"
    assert to_string(GList([1, 2, 3])) == "[1, 2, 3]"
    assert to_string(GList(["a", 1])) == '["a", 1]'
    assert to_string(GList([GList([1]), GList([2])])) == "[list, list]"
    assert to_string(GList([None, True, Symbol("s"), GMap()])) == "[none, true, symbol, map]"
    # Maps keep the display form of their values.
    assert to_string(GMap({"a": "x", "b": GList(["y"])})) == '{"a": x, "b": [y]}'
    assert to_string(GMap()) == "{}"


def test_type_names():
    assert type_name(1) == "num" and type_name(1.5) == "num"
    assert type_name(BigNum(1)) == "bignum"
    assert type_name("s") == "string"
    assert type_name(True) == "bool"
    assert type_name(None) == "none"
    assert type_name(Symbol("x")) == "symbol"
    assert type_name(GList()) == "list"
    assert type_name(GMap()) == "map"
    assert type_name(lambda: 1) == "function"
    assert type_name(Regex("x")) == "regex"
    err = GraphoidError("ValueError", "m")
    assert type_name(err) == "error"
    assert type_of(err) == "ValueError"
    assert type_of(3) == "num"


def test_truthiness():
    for falsy in (False, None, 0, 0.0, "", GList(), GMap()):
        assert is_truthy(falsy) is False
    for truthy in (True, 1, -0.5, "x", GList([0]), GMap({"a": None}), Symbol("no"), len, math.nan):
        assert is_truthy(truthy) is True


def test_equality_rules():
    assert equals(1, 1.0)
    assert not equals(1, True)
    assert not equals(0, False)
    assert not equals(1, "1")
    assert not equals(None, False)
    assert equals(None, None)
    assert equals(GList([1, "a", GList([2.0])]), GList([1.0, "a", GList([2])]))
    assert not equals(GList([1]), GList([True]))
    assert not equals(GList([1, 2]), GList([1]))
    assert equals(GMap({"a": 1, "b": 2}), GMap({"b": 2.0, "a": 1}))
    assert not equals(GMap({"a": 1}), GMap({"a": True}))
    assert not equals(GMap({"a": 1}), GMap({"b": 1}))
    assert equals(Symbol("a"), Symbol("a")) and not equals(Symbol("a"), Symbol("b"))
    assert equals(GList([1]), [1])
    assert not equals(GList(), GMap())
    e = GraphoidError("ValueError", "x")
    assert equals(e, e) and not equals(e, GraphoidError("ValueError", "x"))
