"""Map methods."""

from __future__ import annotations

import pytest

from graphoid.errors import GraphoidError
from graphoid.values.format import display
from graphoid.values.methods import call_bang, call_method
from graphoid.values.types import GList, GMap, Symbol


def m(receiver, name, *args):
    return call_method(receiver, name, args)


def test_queries():
    h = GMap({"a": 1, "b": 2})
    assert m(h, "keys") == ["a", "b"] and m(h, "values") == [1, 2]
    assert type(m(h, "keys")) is GList
    assert m(h, "has_key", "a") and not m(h, "has_key", "z") and not m(h, "has_key", 1)
    assert m(h, "size") == m(h, "length") == m(h, "len") == 2
    assert m(GMap(), "is_empty")
    assert m(h, "get", "a") == 1 and m(h, "get", "z") is None and m(h, "get", "z", 0) == 0
    assert m(h, "to_list") == [["a", 1], ["b", 2]]


def test_new_map_methods_leave_receiver_alone():
    h = GMap({"a": 1, "b": 2})
    assert dict(m(h, "remove", "a")) == {"b": 2}
    assert dict(m(h, "remove", "zz")) == {"a": 1, "b": 2}
    assert dict(m(h, "merge", GMap({"b": 3, "c": 4}))) == {"a": 1, "b": 3, "c": 4}
    assert dict(m(h, "set", "c", 3)) == {"a": 1, "b": 2, "c": 3}
    assert dict(h) == {"a": 1, "b": 2}
    with pytest.raises(GraphoidError) as info:
        m(h, "merge", 5)
    assert info.value.kind == "TypeError"
    with pytest.raises(GraphoidError):
        m(h, "set", 1, 2)


def test_higher_order():
    h = GMap({"a": 1, "b": 2})
    seen = []
    assert m(h, "each", lambda k, v: seen.append((k, v))) is h and seen == [("a", 1), ("b", 2)]
    assert dict(m(h, "map", lambda k, v: v * 10)) == {"a": 10, "b": 20}

    def one_param(pair):
        return pair

    one_param._gd_name = None
    one_param._gd_params = ("pair",)
    assert dict(m(h, "map", one_param)) == {"a": ["a", 1], "b": ["b", 2]}
    assert dict(m(h, "filter", lambda k, v: v > 1)) == {"b": 2}
    assert dict(m(h, "reject", lambda k, v: v > 1)) == {"a": 1}


def test_map_rules_transform_values():
    h = m(GMap({"a": None, "b": "x"}), "add_rule", Symbol("none_to_empty"))
    assert display(h) == '{"a": , "b": x}'
    new, _ = call_bang(h, "set", ("c", None), None, True)
    assert new["c"] == ""
    assert m(h, "merge", GMap({"d": None}))["d"] == ""
    upper = m(GMap({"k": "v"}), "add_rule", Symbol("uppercase"))
    assert upper["k"] == "V"


def test_bang_clear_and_remove():
    h = GMap({"a": 1})
    new, value = call_bang(h, "clear", (), None, False)
    assert dict(h) == {"a": 1} and dict(new) == {} and value is None
