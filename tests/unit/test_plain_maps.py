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


def test_the_escape_hatch_keeps_the_generic_slots():
    import os
    import subprocess
    import sys

    probe = ("from graphoid.values import native_slots; from graphoid.values.types import GMap, GList; "
             "print(native_slots.installed(GMap, dict), native_slots.installed(GList, list), GMap(a=1)['a'], 'a' in GMap(a=1))")
    env = dict(os.environ, GRAPHOID_NATIVE_SLOTS="0")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60, check=True)
    assert result.stdout.split() == ["False", "False", "1", "True"]


def test_install_is_idempotent():
    assert native_slots.install(GMap, dict) is True
    assert native_slots.install(GList, list) is True
    assert GMap(a=1)["a"] == 1 and GList([5])[0] == 5


# ---------------------------------------------------------------- owned moves (freshvars.py)

import textwrap  # noqa: E402

from test_compiler_support import parse, run, run_error  # noqa: E402

from graphoid import Interpreter  # noqa: E402
from graphoid.compiler import dump  # noqa: E402
from graphoid.compiler.freshvars import (MOVE_OUT, OWNED_MOVE_OUT, PLAIN_OWNED_MOVE_OUT,  # noqa: E402
                                         STORE_BACK, analyse)
from graphoid.syntax import ast as g  # noqa: E402

GROUP_BY = """
fn group(people) {
    by_city = {}
    for person in people {
        city = person["city"]
        if not by_city.has_key(city) {
            by_city[city] = {"count": 0, "ages": 0}
        }
        stats = by_city[city]
        stats["count"] = stats["count"] + 1
        stats["ages"] = stats["ages"] + person["age"]
        by_city[city] = stats
    }
    out = []
    for city in by_city.keys() {
        stats = by_city[city]
        out.append!(city + ":" + stats["count"] + "/" + stats["ages"])
    }
    return out.join(",")
}
"""
PEOPLE = 'group([{"city": "Oslo", "age": 20}, {"city": "Lima", "age": 30}, {"city": "Oslo", "age": 40}])'


def move_kinds(source: str) -> list[str]:
    """The kinds of the move outs of the first function of source (store-backs left out)."""
    program = parse(textwrap.dedent(source))
    body = next(stmt for stmt in program.body if isinstance(stmt, g.FnDef)).body
    names = set()
    stack = [body]
    while stack:  # every assigned name is a candidate, as the function's locals are
        node = stack.pop()
        if isinstance(node, g.Assign) and isinstance(node.target, g.Name):
            names.add(node.target.id)
        if isinstance(node, tuple):
            stack.extend(node)
        elif hasattr(type(node), "__attrs_attrs__") or hasattr(node, "span"):
            stack.extend(getattr(node, field) for field in g.fields(type(node)) if field != "span")
    return sorted(kind for kind in analyse(body, names)[1].values() if kind != STORE_BACK)


def general(source: str) -> str:
    """The same program with moves off: a function holding a `try` never moves (freshvars.py).
    The `try` goes after the last line of the function, so lines and columns stay the same."""
    marker = "    return "
    head, _, tail = source.rpartition(marker)
    return head + marker + tail.replace("\n}", "\n    try { } catch { }\n}", 1)


def same_both_ways(source: str) -> list[str]:
    fast = run(textwrap.dedent(source))
    assert fast == run(textwrap.dedent(general(source)))
    return fast


def same_error_both_ways(source: str):
    fast = run_error(textwrap.dedent(source))
    slow = run_error(textwrap.dedent(general(source)))
    assert (fast.kind, fast.message, fast.span) == (slow.kind, slow.message, slow.span)
    return fast


def test_the_group_by_move_is_owned_and_its_elements_proven_plain():
    assert move_kinds(GROUP_BY) == [PLAIN_OWNED_MOVE_OUT]
    assert move_kinds(general(GROUP_BY + "print(1)\n")) == []


@pytest.mark.parametrize("between", [
    "other = stats",
    "stats.freeze!()",
    "stats.add_rule!(:uppercase)",
    "print(stats)",
    "x = stats.keys()",
    'stats["a"]["b"] = 1',
    'stats["a"].append!(1)',
    "for stats in [1] { }",
    "f = fn() { return stats }",
    "xs = [stats]",
])
def test_a_window_that_can_share_or_change_the_map_is_not_owned(between):
    source = GROUP_BY.replace('        stats["ages"] = stats["ages"] + person["age"]\n',
                              f'        stats["ages"] = stats["ages"] + person["age"]\n        {between}\n')
    assert move_kinds(source) in ([MOVE_OUT], [])  # a captured `stats` is no local: no move at all


@pytest.mark.parametrize("source_of_elements", [
    ('by_city[city] = {"count": 0, "ages": 0}', 'by_city[city] = template'),
    ("by_city = {}", 'by_city = {"x": template}'),
])
def test_elements_from_anywhere_but_literals_are_not_proven_plain(source_of_elements):
    old, new = source_of_elements
    source = GROUP_BY.replace("    by_city = {}\n", '    template = {"count": 0, "ages": 0}\n    by_city = {}\n', 1)
    assert move_kinds(source.replace(old, new)) == [OWNED_MOVE_OUT]


def test_the_generated_code_tests_once_at_the_move():
    Interpreter().builtins  # registers the copy-on-write thresholds, as a run does
    code = dump(parse(textwrap.dedent(GROUP_BY)))
    window = code[code.index("by_city[city] = None"):code.index("by_city[city] = stats")]
    assert window.count("_rt_getrefcount") == 3  # the move's test, the fallbacks of two stores
    assert "__dict__" not in window and "__class__" not in window
    assert "if _rt_own" in window


def test_group_by_answers_both_ways():
    assert same_both_ways(GROUP_BY + f"print({PEOPLE})\n") == ["Oslo:2/60,Lima:1/30"]


def test_an_element_shared_with_a_variable_is_copied_not_changed():
    source = """
    fn f() {
        m = {"k": {"n": 0}}
        before = m["k"]
        stats = m["k"]
        stats["n"] = stats["n"] + 5
        m["k"] = stats
        return m["k"]["n"] + "/" + before["n"]
    }
    print(f())
    """
    assert move_kinds(source) == [PLAIN_OWNED_MOVE_OUT]
    assert same_both_ways(source) == ["5/0"]


def test_an_element_shared_with_the_caller_is_copied_not_changed():
    source = """
    fn f(shared) {
        m = {}
        m["k"] = shared
        stats = m["k"]
        stats["n"] = stats["n"] + 1
        m["k"] = stats
        return m
    }
    s = {"n": 0}
    print(f(s), s)
    """
    assert move_kinds(source) == [OWNED_MOVE_OUT]
    assert same_both_ways(source) == ['{"k": {"n": 1}} {"n": 0}']


def test_a_frozen_element_refuses_the_store_both_ways():
    source = """
    fn f(frozen) {
        m = {}
        m["k"] = frozen
        stats = m["k"]
        stats["n"] = 1
        m["k"] = stats
        return m
    }
    f({"n": 0}.freeze())
    """
    err = same_error_both_ways(source)
    assert err.kind == "RuntimeError" and "frozen" in err.message


def test_an_element_with_a_rule_keeps_applying_it():
    source = """
    fn f(ruled) {
        m = {}
        m["k"] = ruled
        stats = m["k"]
        stats["b"] = "y"
        m["k"] = stats
        return m
    }
    r = {"a": "x"}
    r.add_rule!(:uppercase)
    print(f(r), r)
    """
    assert same_both_ways(source) == ['{"k": {"a": X, "b": Y}} {"a": X}']


@pytest.mark.parametrize("line", ['x = stats["missing"]', "stats[1] = 2", "stats[key] = 2", 'stats["n"] = stats["n"] + "a" - 1'])
def test_errors_in_the_window_are_those_of_the_general_path(line):
    source = f"""
    fn f(key) {{
        m = {{"k": {{"n": 0}}}}
        stats = m["k"]
        {line}
        m["k"] = stats
        return m
    }}
    f(5)
    """
    same_error_both_ways(source)


def test_a_key_variable_store_tests_the_key_class():
    source = """
    fn f(keys) {
        m = {"k": {}}
        for key in keys {
            stats = m["k"]
            stats[key] = key
            m["k"] = stats
        }
        return m
    }
    print(f(["a", "b"]))
    """
    assert move_kinds(source) == [PLAIN_OWNED_MOVE_OUT]
    assert same_both_ways(source) == ['{"k": {"a": a, "b": b}}']
    err = same_error_both_ways(source.replace('print(f(["a", "b"]))', 'f(["a", 1])'))
    assert err.kind == "TypeError"
