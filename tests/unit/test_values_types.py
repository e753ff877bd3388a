"""The value classes themselves: Symbol, GList, GMap, BigNum, Regex."""

from __future__ import annotations

import pickle

import pytest

from graphoid.values.types import BigNum, GList, GMap, Regex, Symbol


def test_symbols_are_interned_and_pickle_to_the_same_object():
    assert Symbol("a") is Symbol("a") and Symbol("a") is not Symbol("b")
    assert pickle.loads(pickle.dumps(Symbol("x"))) is Symbol("x")


def test_glist_defaults_and_copy_keep_rules_not_frozen():
    xs = GList([1, 2])
    assert xs.rules is None and xs.frozen is False
    xs.rules = ("r",)
    xs.frozen = True
    ys = xs.copy()
    assert type(ys) is GList and ys == [1, 2] and ys is not xs
    assert ys.rules == ("r",) and ys.frozen is False
    assert GList().rules is None  # instance state never leaks to the class


def test_glist_concatenation_makes_new_lists():
    xs = GList([1])
    ys = xs + [2]
    assert type(ys) is GList and ys == [1, 2] and xs == [1]
    zs = [0] + xs
    assert type(zs) is GList and zs == [0, 1]
    alias = xs
    xs += GList([3])
    assert alias == [1] and xs == [1, 3]
    with pytest.raises(TypeError):
        xs * 2
    with pytest.raises(TypeError):
        xs + 1


def test_lists_and_maps_are_not_hashable():
    with pytest.raises(TypeError):
        hash(GList())
    with pytest.raises(TypeError):
        hash(GMap())


def test_gmap_copy_and_union_refused():
    m = GMap({"a": 1})
    m.rules = ("r",)
    n = m.copy()
    assert type(n) is GMap and n == {"a": 1} and n.rules == ("r",)
    with pytest.raises(TypeError):
        m | GMap()


def test_bignum_is_an_int():
    b = BigNum(2**70)
    assert isinstance(b, int) and b == 2**70 and repr(b) == f"BigNum({2**70})"
    assert type(b + 1) is int


def test_regex_equality_and_flags():
    assert Regex("a+", "i") == Regex("a+", "i") and Regex("a", "") != Regex("a", "i")
    assert Regex("a+", "i").compiled.search("xAAy").group(0) == "AA"
    assert hash(Regex("x")) == hash(Regex("x"))
