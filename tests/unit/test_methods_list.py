"""List methods, list behaviours (rules) and the list static namespace helpers."""

from __future__ import annotations

import pytest

from graphoid.errors import GraphoidError
from graphoid.values.format import to_string
from graphoid.values.methods import call_bang, call_method
from graphoid.values.methods.list import generate, range_list, upto
from graphoid.values.types import GList, GMap, Symbol


def m(receiver, name, *args):
    return call_method(receiver, name, args)


def L(*items):
    return GList(items)


def kind_of(fn, *args):
    with pytest.raises(GraphoidError) as info:
        fn(*args)
    return info.value.kind, info.value.message


def test_basic_queries():
    xs = L(1, 2, 3)
    assert m(xs, "length") == m(xs, "len") == m(xs, "size") == 3
    assert m(xs, "first") == 1 and m(xs, "last") == 3
    assert m(xs, "contains", 2.0) and not m(xs, "contains", "2")
    assert m(xs, "index_of", 3) == 2 and m(xs, "index_of", 9) == -1
    assert m(L(), "is_empty") and not m(xs, "is_empty")
    assert kind_of(m, L(), "first") == ("RuntimeError", "Cannot get first element of empty list")
    assert kind_of(m, L(), "last") == ("RuntimeError", "Cannot get last element of empty list")


def test_map_filter_reject_with_functions_and_symbols():
    xs = L(1, 2, 3, 4)
    assert m(xs, "map", lambda x: x * 10) == [10, 20, 30, 40]
    assert m(xs, "map", Symbol("double")) == [2, 4, 6, 8]
    assert m(xs, "map", Symbol("square")) == [1, 4, 9, 16]
    assert m(xs, "map", Symbol("negate")) == [-1, -2, -3, -4]
    assert m(xs, "map", Symbol("inc")) == m(xs, "map", Symbol("increment")) == [2, 3, 4, 5]
    assert m(xs, "map", Symbol("dec")) == [0, 1, 2, 3]
    assert m(xs, "filter", Symbol("even")) == [2, 4]
    assert m(xs, "select", Symbol("odd")) == [1, 3]
    assert m(L(-1, 0, 2), "filter", Symbol("positive")) == [2]
    assert m(L(-1, 0, 2), "filter", Symbol("neg")) == [-1]
    assert m(L(-1, 0, 2), "filter", Symbol("zero")) == [0]
    assert m(xs, "reject", lambda x: x > 2) == [1, 2]
    assert m(xs, "reject", Symbol("even")) == [1, 3]
    assert kind_of(m, L("a"), "map", Symbol("double"))[0] == "RuntimeError"
    assert kind_of(m, xs, "map", Symbol("bogus"))[0] == "RuntimeError"
    assert kind_of(m, xs, "map", 5)[0] == "TypeError"
    assert type(m(xs, "map", Symbol("double"))) is GList


def test_each_reduce_count_sum_min_max():
    seen = []
    xs = L(1, 2, 3)
    assert m(xs, "each", seen.append) is xs and seen == [1, 2, 3]
    assert m(xs, "reduce", 0, lambda acc, x: acc + x) == 6
    assert m(L(), "reduce", "init", lambda acc, x: acc) == "init"
    assert m(L(1, 2, 2, 3), "count", 2) == 2
    assert m(xs, "count", lambda x: x > 1) == 2
    assert m(xs, "sum") == 6 and m(L(), "sum") == 0 and m(L(0.5, 0.25), "sum") == 0.75
    assert m(L(3, 1, 2), "min") == 1 and m(L(3, 1, 2), "max") == 3
    assert m(L("b", "a"), "min") == "a"
    assert kind_of(m, L(), "min")[0] == "RuntimeError"
    assert kind_of(m, L(1, "a"), "max")[0] == "TypeError"
    assert kind_of(m, L(1, "a"), "sum")[0] == "TypeError"


def test_slice_semantics():
    xs = L(0, 1, 2, 3, 4, 5)
    assert m(xs, "slice", 1, 4) == [1, 2, 3]
    assert m(xs, "slice", -3, 6) == [3, 4, 5]
    assert m(xs, "slice", 0, 100) == [0, 1, 2, 3, 4, 5]
    assert m(xs, "slice", 0, 6, 2) == [0, 2, 4]
    assert m(xs, "slice", 4, 2) == []
    assert m(xs, "slice", -100, 2) == [0, 1]
    assert kind_of(m, xs, "slice", 0, 2, 0) == ("RuntimeError", "slice step cannot be zero")


def test_sort_semantics():
    assert m(L(3, 1.5, 2), "sort") == [1.5, 2, 3]
    assert m(L("b", "c", "a"), "sort") == ["a", "b", "c"]
    # Mixed kinds never raise; numbers still come out ordered among themselves here.
    assert m(L(3, "x", 1), "sort") in ([1, "x", 3], [3, "x", 1], [1, 3, "x"], ["x", 1, 3])
    assert m(L(True, 1), "sort") == [True, 1]


def test_sort_by_is_stable_and_supports_desc():
    people = L(GMap({"n": "a", "age": 30}), GMap({"n": "b", "age": 20}), GMap({"n": "c", "age": 30}))
    by_age = m(people, "sort_by", lambda p: p["age"])
    assert [p["n"] for p in by_age] == ["b", "a", "c"]
    desc = m(people, "sort_by", lambda p: p["age"], Symbol("desc"))
    assert [p["n"] for p in desc] == ["a", "c", "b"]
    assert kind_of(m, people, "sort_by", lambda p: 1, Symbol("up"))[0] == "ValueError"


def test_misc_transformations():
    assert m(L(1, 2, 2, 1, 3), "uniq") == [1, 2, 3]
    assert m(L(1, None, 2, None), "compact") == [1, 2]
    assert m(L(1, 2, 3), "reverse") == [3, 2, 1]
    assert m(L(1, 2, 3), "take", 2) == [1, 2] and m(L(1), "take", 5) == [1] and m(L(1), "take", -1) == []
    assert m(L(1, 2, 3), "skip", 1) == [2, 3]
    assert m(L(1, 2, 3), "zip", L("a", "b")) == [[1, "a"], [2, "b"]]
    assert m(L(1, L(2, L(3, L(4)))), "flatten") == [1, 2, 3, 4]
    assert m(L(1, L(2, L(3))), "flatten", 1) == [1, 2, L(3)]
    assert m(L("a", 1, None, True, 2.5), "join", "-") == "a-1-none-true-2.5"
    assert m(L(L(1, "x")), "join", ",") == "[1, x]"
    assert m(L(1, 2), "get", 5, "d") == "d" and m(L(1, 2), "get", -1) == 2


def test_mutating_plain_forms():
    xs = L(1, 2, 3)
    assert m(xs, "append", 4) == [1, 2, 3, 4]
    assert m(xs, "prepend", 0) == [0, 1, 2, 3]
    assert m(xs, "insert", 1, 9) == [1, 9, 2, 3]
    assert m(xs, "insert", 3, 9) == [1, 2, 3, 9]
    assert m(L(1, 2, 1), "remove", 1) == [2, 1]
    assert m(xs, "remove", 42) == [1, 2, 3]
    assert m(xs, "remove_at_index", 1) == [1, 3]
    assert m(xs, "clear") == []
    assert m(xs, "set", 1, "b") == [1, "b", 3]
    assert m(xs, "extend", L(4, 5)) == [1, 2, 3, 4, 5]
    assert xs == [1, 2, 3]
    assert kind_of(m, xs, "insert", 7, 0)[0] == "IndexError"
    assert kind_of(m, xs, "remove_at_index", 3)[0] == "IndexError"
    assert kind_of(m, xs, "set", 3, 0)[0] == "IndexError"
    assert kind_of(m, L(), "pop") == ("RuntimeError", "Cannot pop from empty list")
    assert kind_of(call_bang, L(), "pop", (), None, True)[0] == "RuntimeError"


def test_rules_behaviours_match_reference_strings():
    def rule(xs, *args):
        return to_string(m(xs, "add_rule", *args))

    assert rule(L(1, None, 3, None, 5), Symbol("none_to_zero")) == "[1, 0, 3, 0, 5]"
    assert rule(L(None, None, None), Symbol("none_to_zero")) == "[0, 0, 0]"
    assert rule(L(-5, 10, -3, 7, -1), Symbol("positive")) == "[5, 10, 3, 7, 1]"
    assert rule(L(0, -5, 5), Symbol("positive")) == "[0, 5, 5]"
    assert rule(L(1.2, 3.7, 5.5, 2.1, 8.9), Symbol("round_to_int")) == "[1, 4, 6, 2, 9]"
    assert rule(L(50, 110, 95, 130, 85, 70), Symbol("validate_range"), 60, 100) == "[60, 100, 95, 100, 85, 70]"
    assert rule(L("hello", "WORLD", "GrApHoId"), Symbol("uppercase")) == '["HELLO", "WORLD", "GRAPHOID"]'
    assert rule(L("HELLO", "World"), Symbol("lowercase")) == '["hello", "world"]'
    assert rule(L(None, "a"), Symbol("none_to_empty")) == '["", "a"]'
    assert m(m(L(1, 2, 3, 2, 4, 3, 5), "add_rule", Symbol("no_duplicates")), "length") == 5
    assert m(m(L(1, 1), "add_rule", Symbol("no_dups")), "length") == 1
    chained = m(m(m(L(-5.7, None, 3.2, -1.9, None, 8.1), "add_rule", Symbol("none_to_zero")), "add_rule",
                  Symbol("positive")), "add_rule", Symbol("round_to_int"))
    assert to_string(chained) == "[6, 0, 3, 2, 0, 8]"


def test_rules_apply_to_future_elements_and_can_be_removed():
    xs = m(L(1), "add_rule", Symbol("none_to_zero"))
    assert m(xs, "append", None) == [1, 0]
    new, _ = call_bang(xs, "append", (None,), None, True)
    assert new == [1, 0]
    assert m(xs, "has_rule", Symbol("none_to_zero"))
    assert m(xs, "rules") == [Symbol("none_to_zero")]
    plain = m(xs, "remove_rule", Symbol("none_to_zero"))
    assert m(plain, "append", None) == [1, 0, None]
    assert not m(plain, "has_rule", Symbol("none_to_zero"))
    dedup = m(L(1, 2), "add_rule", Symbol("no_duplicates"))
    assert m(dedup, "append", 2) == [1, 2] and m(dedup, "append", 3) == [1, 2, 3]
    custom = m(L(1, 2), "add_rule", lambda v: v * 100)
    assert m(custom, "append", 3) == [100, 200, 300]


def test_rule_errors():
    assert kind_of(m, L(), "add_rule", Symbol("nope")) == ("RuntimeError", "Unknown rule: :nope")
    assert kind_of(m, L(), "add_rule", Symbol("validate_range"), 1)[0] == "TypeError"
    assert kind_of(m, L(), "add_rule")[0] == "TypeError"
    assert kind_of(m, L(), "add_rule", "none_to_zero")[0] == "TypeError"
    frozen_in = m(L(), "add_rule", Symbol("no_frozen"))
    frozen_value = m(L(1), "freeze")
    assert kind_of(m, frozen_in, "append", frozen_value)[0] == "RuleError"


def test_freeze_is_deep_unless_shallow_rule():
    xs = m(L(L(1), GMap({"a": L(2)})), "freeze")
    assert m(xs, "is_frozen") and m(xs[0], "is_frozen") and m(xs[1]["a"], "is_frozen")
    assert m(xs, "has_frozen")
    counts = m(xs, "has_frozen", Symbol("count"))
    assert dict(counts) == {"has_frozen": True, "frozen_count": 2, "frozen_collections": 2, "frozen_primitives": 0}
    assert m(xs, "has_frozen", Symbol("count"), Symbol("deep"))["frozen_count"] == 3
    assert m(L(L(1), m(L(2), "freeze")), "has_frozen")
    shallow = m(m(L(L(1)), "add_rule", Symbol("shallow_freeze_only")), "freeze")
    assert m(shallow, "is_frozen") and not m(shallow[0], "is_frozen")
    assert not m(L(1, 2), "has_frozen")
    assert m(L(1), "has_frozen", Symbol("count"))["has_frozen"] is False


def test_static_generators():
    assert generate(1, 5, 1) == [1, 2, 3, 4, 5]
    assert generate(0, 1, 0.25) == [0, 0.25, 0.5, 0.75, 1]
    assert generate(5, 1, -2) == [5, 3, 1]
    assert generate(1, 3, lambda i: i * i) == [1, 4, 9]
    assert upto(3) == [0, 1, 2, 3]
    assert range_list(4) == [0, 1, 2, 3]
    assert range_list(2, 5) == [2, 3, 4]
    assert range_list(10, 0, -4) == [10, 6, 2]
    assert range_list(0, 1, 0.5) == [0, 0.5]
    assert type(range_list(3)) is GList
    assert kind_of(generate, 1, 2, 0)[0] == "RuntimeError"
    assert kind_of(generate, 1, 2, "x")[0] == "TypeError"
    assert kind_of(range_list, 1, 2, 0)[0] == "ValueError"
    assert kind_of(range_list)[0] == "TypeError"
    assert kind_of(range_list, "a")[0] == "TypeError"
