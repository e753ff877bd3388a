"""Plain maps: the fast read slots of GMap/GList (values/native_slots.py) and the owned window of
a map moved out of a fresh map (compiler/freshvars.py), each against the general path."""

from __future__ import annotations

import pytest

from graphoid.values import native_slots
from graphoid.values.types import GList, GMap

pytestmark = pytest.mark.skipif(not native_slots.supported(), reason="CPython type layout unknown")


class GenericMap(GMap):
    """A subclass made after install: CPython gives it the generic slots again."""


class GenericList(GList):
    pass


def outcome(action):
    """(value, None) or (None, (exception class, message)): what a read does."""
    try:
        return action(), None
    except Exception as exc:  # noqa: BLE001 - the exception is what is compared
        return None, (type(exc), str(exc))


def test_gmap_and_glist_read_through_the_base_c_functions():
    assert native_slots.installed(GMap, dict)
    assert native_slots.installed(GList, list)
    assert not native_slots.installed(GenericMap, dict)
    assert not native_slots.installed(GenericList, list)


@pytest.mark.parametrize("key", ["a", "missing", 1, 1.0, None, ("t",), ["unhashable"], GMap()])
def test_map_reads_match_the_generic_slot(key):
    fast, generic = GMap(a=1, b=GMap(c=2)), GenericMap(a=1, b=GMap(c=2))
    fast[1] = generic[1] = "one"
    assert outcome(lambda: fast[key]) == outcome(lambda: generic[key])
    assert outcome(lambda: key in fast) == outcome(lambda: key in generic)


@pytest.mark.parametrize("index", [0, 2, -1, -3, 3, -4, 10**30, "x", 1.0, None, slice(1, None), slice(None, None, -1)])
def test_list_reads_match_the_generic_slot(index):
    fast, generic = GList([1, "two", GList([3])]), GenericList([1, "two", GList([3])])
    assert outcome(lambda: fast[index]) == outcome(lambda: generic[index])


def test_a_missing_hook_of_a_subclass_still_runs():
    class Defaulting(GMap):
        def __missing__(self, key):
            return f"no {key}"

    assert Defaulting(a=1)["a"] == 1
    assert Defaulting()["zz"] == "no zz"


def test_install_refuses_a_class_that_defines_the_read():
    class Custom(dict):
        def __getitem__(self, key):
            return "custom"

    assert native_slots.install(Custom, dict) is False
    assert Custom(a=1)["a"] == "custom"


def test_install_refuses_unknown_bases_and_unrelated_classes():
    class Tuple(tuple):
        pass

    class Unrelated(list):
        pass

    assert native_slots.install(Tuple, tuple) is False
    assert native_slots.install(Unrelated, dict) is False
    assert not native_slots.installed(Unrelated, dict)


def test_installed_slots_follow_a_later_override():
    class Plain(dict):
        pass

    assert native_slots.install(Plain, dict) is True
    assert native_slots.installed(Plain, dict)
    assert Plain(a=1)["a"] == 1 and "a" in Plain(a=1)
    Plain.__getitem__ = lambda self, key: "override"
    Plain.__contains__ = lambda self, key: False
    assert Plain(a=1)["a"] == "override"
    assert "a" not in Plain(a=1)
    assert not native_slots.installed(Plain, dict)


def test_install_is_idempotent():
    assert native_slots.install(GMap, dict) is True
    assert native_slots.install(GList, list) is True
    assert GMap(a=1)["a"] == 1 and GList([5])[0] == 5
