"""Unit tests of the operator runtime (graphoid/values/ops.py) and match patterns."""

from __future__ import annotations

import math

import graphoid.syntax  # noqa: F401  (import order: the syntax package before the runtime)

import pytest

from graphoid.values import ops
from graphoid.errors import GraphoidError
from graphoid.values.functions import Overload, make_function, overload
from graphoid.values.matching import match_pattern
from graphoid.values.types import GList, GMap, Regex, Symbol


def kind_message(fn, *args):
    with pytest.raises(GraphoidError) as info:
        fn(*args)
    return info.value.kind, info.value.message


class TestAdd:
    def test_string_with_any_value_uses_display_form(self):
        assert ops.add("x", None) == "xnone"
        assert ops.add("n=", 3) == "n=3"
        assert ops.add(2.5, "!") == "2.5!"
        assert ops.add("v", 2.0) == "v2"
        assert ops.add("l", GList([1, "a"])) == "l[1, a]"
        assert ops.add(Symbol("k"), "") == ":k"

    def test_lists_concatenate_into_a_new_glist(self):
        a, b = GList([1]), GList([2])
        result = ops.add(a, b)
        assert result == [1, 2] and type(result) is GList
        assert a == [1] and b == [2]

    def test_mismatched_types_are_type_errors(self):
        assert kind_message(ops.add, 1, None) == ("TypeError", "Unsupported operation: num + none")
        assert kind_message(ops.add, GList(), 1) == ("TypeError", "Unsupported operation: list + num")
        assert kind_message(ops.add, GMap(), GMap())[0] == "TypeError"


class TestDivision:
    def test_floordiv_truncates_toward_zero(self):
        assert ops.floordiv(7, 2) == 3
        assert ops.floordiv(-7, 2) == -3
        assert ops.floordiv(7, -2) == -3
        assert ops.floordiv(-7.5, 2) == -3
        assert ops.floordiv(10**30, 3) == 333333333333333333333333333333

    def test_mod_takes_the_dividend_sign(self):
        assert ops.mod(-7, 3) == -1
        assert ops.mod(7, -3) == 1
        assert ops.mod(7, 3) == 1
        assert ops.mod(-7.5, 2) == -1.5

    def test_by_zero(self):
        assert kind_message(ops.floordiv, 1, 0) == ("RuntimeError", "Division by zero")
        assert kind_message(ops.mod, 1, 0) == ("RuntimeError", "Modulo by zero")
        assert kind_message(ops.div, 1, 0.0) == ("RuntimeError", "Division by zero")

    def test_lenient_error_mode_gives_none(self):
        ops.config_push((("error_mode", Symbol("lenient")),))
        try:
            assert ops.floordiv(1, 0) is None
            assert ops.mod(1, 0) is None
        finally:
            ops.config_pop()
        assert kind_message(ops.mod, 1, 0)[1] == "Modulo by zero"

    def test_non_numbers(self):
        assert kind_message(ops.floordiv, "a", 1) == ("TypeError", "Unsupported operation: string // num")


class TestPowerAndBits:
    def test_power(self):
        assert ops.power(2, 10) == 1024
        assert ops.power(2, -1) == 0.5
        assert math.isnan(ops.power(-8, 1 / 3))
        assert kind_message(ops.power, 0, -1)[1] == "Division by zero"

    def test_bitwise_truncate_to_i64(self):
        assert ops.band(5.9, 3) == 1
        assert ops.bor(5, 3) == 7
        assert ops.bxor(12, 10) == 6
        assert ops.bnot(5) == -6
        assert ops.shl(1, 3) == 8
        assert ops.shl(1, 63) == -(2**63)
        assert ops.shr(-8, 1) == -4

    def test_unsigned_shift_is_logical(self):
        ops.config_push(((None, Symbol("unsigned")),))
        try:
            assert ops.shr(-8, 1) == (2**64 - 8) >> 1
        finally:
            ops.config_pop()
        assert ops.shr(-8, 1) == -4

    def test_bitwise_needs_numbers(self):
        assert kind_message(ops.band, "a", 1)[0] == "TypeError"


class TestEquality:
    def test_no_cross_type_coercion(self):
        assert ops.eq(1, 1.0)
        assert not ops.eq(1, True)
        assert not ops.eq(0, False)
        assert not ops.eq(1, "1")
        assert not ops.eq(None, False)
        assert ops.eq(None, None)

    def test_structural(self):
        assert ops.eq(GList([1, GList([2])]), GList([1, GList([2])]))
        assert not ops.eq(GList([1]), GList([True]))
        assert ops.eq(GMap({"a": 1}), GMap({"a": 1.0}))
        assert ops.ne(GMap({"a": 1}), GMap({"a": 2}))
        assert ops.eq(Symbol("a"), Symbol("a"))
        assert not ops.eq(Symbol("a"), "a")

    def test_regex_match(self):
        assert ops.regex_match("hello", Regex("l+"))
        assert not ops.regex_match("HELLO", Regex("l+"))
        assert ops.regex_match("HELLO", Regex("l+", "i"))
        assert kind_message(ops.regex_match, 1, Regex("x"))[0] == "TypeError"

    def test_elementwise(self):
        assert ops.elementwise("+", GList([1, 2]), GList([10, 20])) == [11, 22]
        assert ops.elementwise("*", GList([1, 2]), 3) == [3, 6]
        assert ops.elementwise(">", GList([1, 5]), 2) == [False, True]
        assert kind_message(ops.elementwise, "+", GList([1]), GList([1, 2]))[0] == "ValueError"


class TestIndexing:
    def test_lists_and_strings(self):
        xs = GList([10, 20, 30])
        assert ops.index(xs, 1.0) == 20
        assert ops.index(xs, -1) == 30
        assert ops.index("abc", 2.0) == "c"
        assert kind_message(ops.index, xs, 3) == ("IndexError", "Index out of bounds: 3 (length 3)")
        assert kind_message(ops.index, xs, -4) == ("IndexError", "Index out of bounds: -4 (length 3)")
        assert kind_message(ops.index, xs, 1.5)[0] == "TypeError"
        assert kind_message(ops.index, xs, "a")[0] == "TypeError"

    def test_maps(self):
        m = GMap({"a": 1})
        assert ops.index(m, "a") == 1
        assert kind_message(ops.index, m, "b") == ("KeyError", "Key not found: 'b'")

    def test_not_indexable(self):
        assert kind_message(ops.index, 5, 0) == ("TypeError", "Cannot index num")
        assert kind_message(ops.index, None, 0) == ("TypeError", "Cannot index none")

    def test_set_index_copies_unless_unique(self):
        xs = GList([1, 2])
        shared = ops.set_index(xs, 0, 9, False)
        assert xs == [1, 2] and shared == [9, 2] and shared is not xs
        same = ops.set_index(xs, -1, 7, True)
        assert same is xs and xs == [1, 7]
        m = GMap({"a": 1})
        assert ops.set_index(m, "b", 2, False) == {"a": 1, "b": 2} and m == {"a": 1}
        assert kind_message(ops.set_index, xs, 5, 0, True)[1] == "Index out of bounds: 5 (length 2)"
        assert kind_message(ops.set_index, "abc", 0, "x", True)[0] == "TypeError"

    def test_attributes_of_maps(self):
        m = GMap({"k": 1})
        assert ops.get_attr(m, "k") == 1
        assert kind_message(ops.get_attr, m, "z")[0] == "KeyError"
        updated = ops.set_attr(m, "z", 2, False)
        assert updated == {"k": 1, "z": 2} and m == {"k": 1}
        assert kind_message(ops.get_attr, 3, "x")[0] == "TypeError"


class TestIterationAndMisc:
    def test_iterate(self):
        assert list(ops.iterate(GList([1, 2]))) == [1, 2]
        assert list(ops.iterate("ab")) == ["a", "b"]
        assert list(ops.iterate(GMap({"x": 1, "y": 2}))) == ["x", "y"]
        assert kind_message(ops.iterate, 5) == ("TypeError", "Cannot iterate over num")

    def test_raise_value(self):
        err = GraphoidError("ValueError", "v")
        assert ops.raise_value(err) is err
        assert (ops.raise_value("boom").kind, ops.raise_value("boom").message) == ("RuntimeError", "boom")
        assert ops.raise_value(5).kind == "TypeError"

    def test_integer_mode(self):
        assert ops.int_mode(3.7) == 3.7
        ops.config_push(((None, Symbol("integer")),))
        try:
            assert ops.int_mode(3.7) == 3 and ops.int_mode(-3.7) == -3
            assert ops.int_mode("s") == "s"
        finally:
            ops.config_pop()

    def test_configure_unknown_key_with_flag_value(self):
        ops.config_push((("integer", Symbol("integer")),))
        try:
            assert ops.CONFIG.integer
        finally:
            ops.config_pop()
        assert not ops.CONFIG.integer


class TestFunctions:
    def test_overload_dispatches_on_arity(self):
        one = make_function(lambda a=None: ("one", a), "f", ("a",))
        two = make_function(lambda a=None, b=None: ("two", a, b), "f", ("a", "b"))
        both = overload(one, two)
        assert isinstance(both, Overload)
        assert both(1) == ("one", 1)
        assert both(1, 2) == ("two", 1, 2)
        with pytest.raises(GraphoidError) as info:
            both(1, 2, 3)
        assert "f() takes 1, 2 arguments but 3 were given" in info.value.message

    def test_same_arity_replaces(self):
        first = make_function(lambda a=None: 1, "f", ("a",))
        second = make_function(lambda a=None: 2, "f", ("a",))
        assert overload(first, second) is second
        three = make_function(lambda a=None, b=None: 3, "f", ("a", "b"))
        combined = overload(overload(first, three), second)
        assert combined(0) == 2 and combined(0, 0) == 3

    def test_variadic_is_a_fallback(self):
        fixed = make_function(lambda a=None: "fixed", "f", ("a",))
        rest = make_function(lambda a=None, *r: ("rest", r), "f", ("a", "r"), True)
        both = overload(fixed, rest)
        assert both(1) == "fixed"
        assert both(1, 2, 3) == ("rest", (2, 3))


class TestMatchPatterns:
    def test_literals_never_coerce(self):
        assert match_pattern(("lit", 1), 1) == []
        assert match_pattern(("lit", 1), True) is None
        assert match_pattern(("lit", True), 1) is None
        assert match_pattern(("lit", None), None) == []
        assert match_pattern(("lit", "a"), "a") == []
        assert match_pattern(("sym", "ok"), Symbol("ok")) == []
        assert match_pattern(("sym", "ok"), "ok") is None

    def test_lists_and_rest(self):
        spec = ("list", (("bind",), ("lit", 2)), "bind")
        assert match_pattern(spec, GList([1, 2, 3, 4])) == [1, GList([3, 4])]
        assert match_pattern(spec, GList([1, 3])) is None
        assert match_pattern(("list", (), None), GList()) == []
        assert match_pattern(("list", (), None), GList([1])) is None
        assert match_pattern(("list", (("_",),), "_"), GList([1, 2])) == []
        assert match_pattern(("list", (), None), "") is None
