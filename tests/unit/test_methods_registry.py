"""Dispatch, errors, copy-on-write contract of call_bang / set_index, indexing."""

from __future__ import annotations

import pytest

from graphoid.errors import GraphoidError
from graphoid.values.methods import call_bang, call_method, find_method, get_index, method, set_index
from graphoid.values.methods.registry import method_names
from graphoid.values.types import GList, GMap, Symbol


def raises(kind, fn, *args, match=None):
    with pytest.raises(GraphoidError) as info:
        fn(*args)
    assert info.value.kind == kind
    if match is not None:
        assert match in info.value.message, info.value.message
    return info.value


# ---------------------------------------------------------------------------------------------
# call_bang copy-on-write contract

MUTATORS = [
    ("append", (4,), [3, 1, 2, 4], None),
    ("prepend", (0,), [0, 3, 1, 2], None),
    ("insert", (1, 9), [3, 9, 1, 2], None),
    ("remove", (1,), [3, 2], None),
    ("remove_at_index", (0,), [1, 2], None),
    ("pop", (), [3, 1], 2),
    ("clear", (), [], None),
    ("sort", (), [1, 2, 3], None),
    ("reverse", (), [2, 1, 3], None),
    ("set", (0, 7), [7, 1, 2], None),
]


@pytest.mark.parametrize("name, args, after, result", MUTATORS)
def test_bang_unique_mutates_in_place(name, args, after, result):
    xs = GList([3, 1, 2])
    new, value = call_bang(xs, name, args, None, True)
    assert new is xs
    assert list(xs) == after
    assert value == result


@pytest.mark.parametrize("name, args, after, result", MUTATORS)
def test_bang_shared_never_touches_receiver(name, args, after, result):
    xs = GList([3, 1, 2])
    new, value = call_bang(xs, name, args, None, False)
    assert new is not xs
    assert list(xs) == [3, 1, 2]
    assert list(new) == after and type(new) is GList
    assert value == result


def test_bang_without_mutator_rebinds_to_method_result():
    new, value = call_bang("abc", "upper", (), None, True)
    assert (new, value) == ("ABC", None)
    xs = GList([1, 2, 2])
    new, value = call_bang(xs, "uniq", (), None, True)
    assert list(new) == [1, 2] and value is None and list(xs) == [1, 2, 2]


def test_bang_on_map_set_and_remove():
    m = GMap({"a": 1})
    new, _ = call_bang(m, "set", ("b", 2), None, False)
    assert dict(m) == {"a": 1} and dict(new) == {"a": 1, "b": 2}
    new2, _ = call_bang(new, "remove", ("a",), None, True)
    assert new2 is new and dict(new) == {"b": 2}


def test_bang_on_frozen_list_is_an_error():
    xs = call_method(GList([1]), "freeze", ())
    raises("RuntimeError", call_bang, xs, "append", (2,), None, True, match="frozen")
    # Plain forms produce new (unfrozen) values.
    assert list(call_method(xs, "append", (2,))) == [1, 2]


def test_pure_forms_of_mutators_copy():
    xs = GList([1, 2])
    ys = call_method(xs, "append", (3,))
    assert list(xs) == [1, 2] and list(ys) == [1, 2, 3]
    assert call_method(xs, "pop", ()) == 2 and list(xs) == [1, 2]


# ---------------------------------------------------------------------------------------------
# set_index / get_index


def test_set_index_unique_and_shared():
    xs = GList([1, 2, 3])
    assert set_index(xs, 0, 9, True) is xs and list(xs) == [9, 2, 3]
    ys = set_index(xs, -1, 0, False)
    assert list(xs) == [9, 2, 3] and list(ys) == [9, 2, 0]
    m = GMap({"a": 1})
    assert set_index(m, "b", 2, True) is m and dict(m) == {"a": 1, "b": 2}
    m2 = set_index(m, "a", 5, False)
    assert m["a"] == 1 and m2["a"] == 5


def test_set_index_errors():
    raises("IndexError", set_index, GList([1]), 3, 0, True, match="Index out of bounds")
    raises("TypeError", set_index, GMap(), 1, 0, True)
    raises("TypeError", set_index, "abc", 0, "x", True)
    frozen = call_method(GMap({"a": 1}), "freeze", ())
    raises("RuntimeError", set_index, frozen, "a", 2, True, match="frozen")


def test_set_index_applies_rules():
    xs = call_method(GList([1]), "add_rule", (Symbol("none_to_zero"),))
    assert list(set_index(xs, 0, None, True)) == [0]


def test_set_index_on_a_shared_map_copies_keeps_rules_and_refuses_frozen():
    ruled = call_method(GMap({"a": 1}), "add_rule", (Symbol("none_to_zero"),))
    copy = set_index(ruled, "b", None, False)
    assert copy is not ruled and dict(copy) == {"a": 1, "b": 0} and dict(ruled) == {"a": 1}
    assert list(set_index(copy, "c", None, True)) == ["a", "b", "c"] and copy["c"] == 0  # the copy keeps the rule
    frozen = call_method(GMap({"a": 1}), "freeze", ())
    raises("RuntimeError", set_index, frozen, "a", 2, False, match="frozen")
    assert dict(frozen) == {"a": 1}


def test_get_index():
    xs = GList(["a", "b", "c"])
    assert get_index(xs, 0) == "a" and get_index(xs, -1) == "c" and get_index(xs, 1.0) == "b"
    assert get_index("héllo", 1) == "é" and get_index("abc", -1) == "c"
    assert get_index(GMap({"k": 5}), "k") == 5
    raises("IndexError", get_index, xs, 3, match="Index out of bounds")
    raises("IndexError", get_index, xs, -4, match="Index out of bounds")
    raises("IndexError", get_index, "", 0, match="Index out of bounds")
    raises("KeyError", get_index, GMap(), "nope", match="Key not found: 'nope'")
    raises("TypeError", get_index, xs, 1.5)
    raises("TypeError", get_index, xs, True)
    raises("TypeError", get_index, 5, 0)


def test_get_index_delegates_to_getitem():
    class Box:
        def __getitem__(self, key):
            if key == "x":
                return 1
            raise KeyError(key)

    assert get_index(Box(), "x") == 1
    raises("KeyError", get_index, Box(), "y", match="Key not found")


# ---------------------------------------------------------------------------------------------
# dispatch


def test_unknown_method_has_hint():
    err = raises("RuntimeError", call_method, GList(), "apend", ())
    assert err.message == "Unknown method 'apend' on list"
    assert err.hint == "did you mean 'append'?"
    err = raises("RuntimeError", call_method, 5, "zzz", ())
    assert err.hint is None and "on num" in err.message


def test_wrong_arity_is_type_error_naming_method():
    err = raises("TypeError", call_method, GList(), "append", (1, 2))
    assert "'append'" in err.message and "list" in err.message
    raises("TypeError", call_method, "abc", "upper", (1,))
    raises("TypeError", call_method, GList([1]), "first", (1,))


def test_named_arguments_bind_by_parameter_name():
    assert call_method(GMap({"a": 1}), "get", ("z",), {"default": 0}) == 0
    assert list(call_method(GList([1, 2]), "slice", (), {"start": 1, "end": 2})) == [2]
    err = raises("TypeError", call_method, GMap(), "get", ("z",), {"fallback": 0})
    assert err.message == "map method 'get' has no parameter named 'fallback'"
    err = raises("TypeError", call_method, GList(), "append", (), {"item": 1})
    assert "no parameter named 'item'" in err.message


def test_type_error_inside_callback_is_not_an_arity_error():
    def bad(x):
        raise TypeError("inner problem")

    with pytest.raises(TypeError, match="inner problem"):
        call_method(GList([1]), "map", (bad,))


def test_graph_like_objects_delegate_to_call():
    seen = []

    class FakeGraph:
        def call(self, name, args, kwargs):
            seen.append((name, args, kwargs))
            return "ok"

    assert call_method(FakeGraph(), "add_node", ("a", 1), {"k": 2}) == "ok"
    assert seen == [("add_node", ("a", 1), {"k": 2})]


def test_registered_methods_of_delegating_types_are_found_by_find_method():
    class Delegating:
        def call(self, name, args, kwargs):
            fn = find_method(self, name)
            return fn(self, *args)

    @method(Delegating, "hello")
    def hello(receiver, who):
        return "hi " + who

    assert call_method(Delegating(), "hello", ("bob",)) == "hi bob"
    # Universal methods are also found.
    assert call_method(Delegating(), "is_frozen", ()) is False


def test_universal_methods_on_every_value():
    for value in (None, True, 3, "s", Symbol("x"), GList(), GMap(), len):
        assert isinstance(call_method(value, "to_string", ()), str)
        assert isinstance(call_method(value, "type", ()), str)
        assert call_method(value, "is_frozen", ()) is False


def test_function_methods():
    def f(a, b):
        return a + b

    f._gd_name = "f"
    f._gd_params = ("a", "b")
    assert call_method(f, "call", (1, 2)) == 3
    assert call_method(f, "name", ()) == "f"
    assert list(call_method(f, "params", ())) == ["a", "b"]
    assert call_method(f, "arity", ()) == 2
    assert call_method(len, "call", ("abc",)) == 3


def test_map_key_fallback_and_stored_functions():
    m = GMap({"name": "Ann", "greet": lambda who: "hi " + who})
    assert call_method(m, "name", ()) == "Ann"
    assert call_method(m, "greet", ("Bo",)) == "hi Bo"
    raises("TypeError", call_method, m, "name", (1,))
    # Real methods win over keys.
    assert call_method(GMap({"keys": 1}), "keys", ()) == ["keys"]


def test_plain_python_containers_are_accepted():
    assert call_method([3, 1, 2], "sort", ()) == [1, 2, 3]
    assert call_method({"a": 1}, "keys", ()) == ["a"]
    new, _ = call_bang([1], "append", (2,), None, False)
    assert type(new) is GList and list(new) == [1, 2]


def test_method_names_lists_mutators_and_universals():
    names = method_names(GList())
    assert {"append", "map", "to_string", "pop", "sort_by"} <= set(names)
