"""The whole-graph accumulator fold in numpy (graphoid.messaging.vector_fold).

Its totals must be the Python left fold's, bit for bit, and of the same Python types; anything
it does not prove exact (bools, mixed types, big ints, ints that could overflow int64, other
values) must go the Python way, with the same results, errors, carets and rollback. Programs
are run three ways: the vector fold (threshold 0), the Python fold of the whole-graph loop
(threshold out of reach) and node-by-node delivery (an internal node keeps the graph off the
whole-graph path).
"""

from __future__ import annotations

import math
import os
import random
import struct
import subprocess
import sys
from functools import reduce
from operator import add
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphoid import Interpreter
from graphoid.errors import GraphoidError, format_error
from graphoid.messaging import vector_fold
from graphoid.messaging.engine import UNSENT, Routes
from graphoid.messaging.local import plan_for
from graphoid.messaging.vector_fold import FoldIndex
from graphoid.values.types import GList

ROOT = Path(__file__).resolve().parents[2]


def bits(value):
    """What must agree exactly: the type, and a float's 64 bits (a nan's sign and payload too)."""
    if type(value) is float:
        return ("float", struct.pack("<d", value))
    return (type(value).__name__, value)


def python_fold(routes, table, olds):
    """The arm's fold: old + x1 + x2 + ..., left to right with Python's `+`."""
    return [reduce(add, (table[src] for src in sources), old) for old, sources in zip(olds, routes.sources)]


def random_routes(rng, size, owned=None):
    out = [sorted(rng.sample(range(size), rng.randint(0, min(size, 4)))) for _ in range(size)]
    return Routes(out, owned, [f"n{slot:03d}" for slot in range(size)])


def table_for(routes, values):
    """A routed table: each sending slot's payload, UNSENT where a slot sent nothing."""
    senders = {src for sources in routes.sources for src in sources}
    return [values[slot] if slot in senders else UNSENT for slot in range(len(routes.out))]


# ---------------------------------------------------------------------------- the fold itself

FLOATS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True),
    st.sampled_from([0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
                     -1.7976931348623157e308, 1e-300, 1e300, 0.1, -0.1, math.inf, -math.inf, math.nan,
                     struct.unpack("<d", struct.pack("<Q", 0xFFF8000000000001))[0]]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), size=st.integers(1, 40), data=st.data())
def test_float_folds_are_the_left_fold_bit_for_bit(seed, size, data):
    rng = random.Random(seed)
    routes = random_routes(rng, size)
    values = data.draw(st.lists(FLOATS, min_size=size, max_size=size))
    olds = data.draw(st.lists(FLOATS, min_size=len(routes.receivers), max_size=len(routes.receivers)))
    table = table_for(routes, values)
    got = FoldIndex(routes.sources).fold(table, olds)
    read = [table[src] for sources in routes.sources for src in sources]
    if not olds or any(map(math.isnan, read)):
        # nothing receives; or a NaN payload, which may meet a NaN sum (module docstring)
        assert got is None
        return
    assert list(map(bits, got)) == list(map(bits, python_fold(routes, table, olds)))


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**32), size=st.integers(2, 30), data=st.data())
def test_int_and_float_mixes_of_whole_tables_are_the_left_fold(seed, size, data):
    # int olds with float payloads, float olds with int payloads (ints up to and past 2**53,
    # where the conversion rounds, and past the doubles, where both sides refuse)
    rng = random.Random(seed)
    routes = random_routes(rng, size)
    if not routes.receivers:
        return
    ints = st.one_of(st.integers(-(2**70), 2**70), st.sampled_from([2**53 + 1, -(2**53) - 1, 2**63, 10**400]))
    payload_kind, old_kind = data.draw(st.sampled_from([(ints, FLOATS), (FLOATS, ints), (FLOATS, FLOATS)]))
    values = data.draw(st.lists(payload_kind, min_size=size, max_size=size))
    olds = data.draw(st.lists(old_kind, min_size=len(routes.receivers), max_size=len(routes.receivers)))
    table = table_for(routes, values)
    try:
        expected = list(map(bits, python_fold(routes, table, olds)))
    except OverflowError:
        expected = None  # an int too large for a double: the Python fold raises, numpy declines
    got = FoldIndex(routes.sources).fold(table, olds)
    read = [table[src] for sources in routes.sources for src in sources]
    if expected is not None and not any(type(x) is float and math.isnan(x) for x in read):
        assert got is not None and list(map(bits, got)) == expected
    else:
        assert got is None


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**32), size=st.integers(2, 30), data=st.data())
def test_int_folds_are_exact_python_ints_or_declined(seed, size, data):
    rng = random.Random(seed)
    routes = random_routes(rng, size)
    if not routes.receivers:
        return
    magnitude = data.draw(st.sampled_from([10, 2**31, 2**60, 2**61, 2**62, 2**63 - 1, 2**64]))
    values = data.draw(st.lists(st.integers(-magnitude, magnitude), min_size=size, max_size=size))
    olds = data.draw(st.lists(st.integers(-magnitude, magnitude), min_size=len(routes.receivers),
                              max_size=len(routes.receivers)))
    table = table_for(routes, values)
    index = FoldIndex(routes.sources)
    got = index.fold(table, olds)
    used = [table[src] for sources in routes.sources for src in sources]
    largest = max(map(abs, olds)) + index.max_in_degree * max(map(abs, used))
    assert (got is not None) == (largest < 2**62)  # int64 only with room to spare
    if got is not None:
        assert all(type(total) is int for total in got)
        assert got == python_fold(routes, table, olds)


def test_ints_near_the_int64_limits_are_declined():
    routes = Routes([[1], [0], [0, 1]])  # 0 <- 1, 2; 1 <- 0, 2
    index = FoldIndex(routes.sources)
    assert index.fold([1, 2, 3], [10, 20]) == [15, 24]
    assert index.max_in_degree == 2
    assert index.fold([2**61, 1, 1], [0, 0]) is None  # 2 * 2**61: too close to the limit
    assert index.fold([1, 1, 1], [2**62, 0]) is None
    assert index.fold([2**63, 1, 1], [0, 0]) is None  # beyond int64
    assert index.fold([1, 1, 1], [-(2**63), 0]) is None
    assert index.fold([10**30, 1, 1], [0, 0]) is None  # a big int
    assert index.fold([2**60, -(2**60), 3], [2**60, 5]) == [2**60 - 2**60 + 3, 5 + 2**60 + 3]


@pytest.mark.parametrize("table, olds", [
    ([True, 1, 2], [0, 0]),          # a bool payload
    ([1, 2, 3], [False, 0]),         # a bool old value
    ([1.0, 2, 3.0], [0.0, 0.0]),     # a mixed payload table
    ([1.0, 2.0, 3.0], [0, 0.5]),     # mixed old values
    (["a", "b", "c"], ["x", "y"]),  # strings
    ([1, 2, 3], [None, 0]),
    ([GList((1,)), 2, 3], [0, 0]),   # a list
    ([1, 2, 3], [0, 10**400]),       # a big int
    ([1.5, 2.5, 3.5], [10**400, 0]),  # too big for a double (Python's + raises)
], ids=["bool payload", "bool old", "mixed payloads", "mixed olds", "strings", "none", "list", "big int",
        "int past the doubles"])
def test_anything_but_exact_ints_and_floats_is_declined(table, olds):
    assert FoldIndex(Routes([[1], [0], [0, 1]]).sources).fold(table, olds) is None


def test_results_are_python_numbers():
    index = FoldIndex(Routes([[1], [0], [0, 1]]).sources)
    assert all(type(v) is float for v in index.fold([0.5, 0.25, 1.0], [1.0, -0.0]))
    assert all(type(v) is float for v in index.fold([1, 2, 3], [1.0, -0.0]))
    assert all(type(v) is float for v in index.fold([0.5, 0.25, 1.0], [1, 2]))
    assert all(type(v) is int for v in index.fold([1, 2, 3], [1, 2]))


def test_an_old_negative_zero_keeps_its_sign():
    index = FoldIndex(Routes([[1], [0]]).sources)
    assert list(map(bits, index.fold([-0.0, -0.0], [-0.0, -0.0]))) == [bits(-0.0), bits(-0.0)]
    assert list(map(bits, index.fold([0.0, -0.0], [-0.0, -0.0]))) == [bits(-0.0), bits(0.0)]


def test_ghost_slots_are_read_in_origin_order():
    # slots 0-2 owned, 3-4 ghosts whose ids sort between the owned ones
    routes = Routes([[1, 2], [2], [0], [2, 0], [2]], owned=3, keys=["b", "d", "f", "a", "e"])
    table = [0.1, 1e16, UNSENT, 1.0, -1e16]
    table[2] = 3.0
    olds = [0.0, 0.0, 1.0]
    assert list(map(bits, FoldIndex(routes.sources).fold(table, olds))) == list(
        map(bits, python_fold(routes, table, olds)))


# ---------------------------------------------------------------------------- programs

PROGRAM = """
graph Acc {
    total = 0
    out = 0
    fn on_message(msg) {
        match msg {
            :go => { self.graph.send([:add, out], from: self.id, via: "*") }
            :boom => { self.graph.send([:add, none], from: self.id, via: "*") }
            :fail => {
                total = total + 1
                if self.id == "n1020" { raise "failing on purpose" }
            }
            [:add, x] => { total = total + x }
        }
    }
    fn bump(n) { total = total + n }
}

fn build(starts, outs, extra) {
    g = graph { type: :directed }
    n = starts.length()
    for i in range(n) { g.add_node("n" + (1000 + i).to_string(), {total: starts[i], out: outs[i]}) }
    if extra { g.add_node("__aside", {}) }
    for i in range(n) {
        for k in [1, 3, 7] {
            if (i * k + 2) % 5 != 0 {
                g.add_edge("n" + (1000 + i).to_string(), "n" + (1000 + (i * k + k) % n).to_string(), "x")
            }
        }
    }
    g.set_behavior(Acc)
    return g
}

fn totals(g) {
    return g.nodes().filter(id => id != "__aside").map(id => g.get_node(id).total)
}
"""


@pytest.fixture()
def interp():
    it = Interpreter()
    it.run(PROGRAM, filename="acc.gd")
    return it


class Spy:
    """Counts the vector folds that computed totals and those that declined."""

    def __init__(self, monkeypatch):
        self.done = self.declined = 0
        self.outcomes: list[str] = []  # in call order
        original = FoldIndex.fold

        def fold(index, table, olds, typed=None):
            result = original(index, table, olds, typed)
            if result is None:
                self.declined += 1
            else:
                self.done += 1
            self.outcomes.append("declined" if result is None else "done")
            return result

        monkeypatch.setattr(FoldIndex, "fold", fold)


def three_ways(interp, monkeypatch, starts, outs, calls=2, message=":go"):
    """(vector, python fold, node by node): each the totals after `calls` broadcasts, or the
    error raised (kind, message, rendered with its caret) and the totals after its rollback."""
    results = []
    for threshold, extra in ((0, False), (10**9, False), (0, True)):
        monkeypatch.setattr(vector_fold, "MIN_ENTRIES", threshold)
        graph = interp.call("build", GList(starts), GList(outs), extra)
        outcome = None
        for _ in range(calls):
            try:
                graph.call("broadcast", (interp.eval(message),))
            except GraphoidError as error:
                outcome = (error.kind, error.message, format_error(error, PROGRAM))
                break
        results.append((outcome, list(map(bits, interp.call("totals", graph)))))
    return results


def test_float_programs_fold_alike_every_way(interp, monkeypatch):
    rng = random.Random(5)
    specials = [0.1, -0.0, 1e308, -1e308, 5e-324, math.inf, 1e-300, 3.0]
    starts = [rng.choice(specials + [rng.uniform(-1e6, 1e6)]) for _ in range(60)]
    outs = [rng.choice(specials + [rng.uniform(-1, 1)]) for _ in range(60)]
    spy = Spy(monkeypatch)
    vector, python, by_node = three_ways(interp, monkeypatch, starts, outs)
    assert vector == python == by_node
    assert spy.done == 2  # both calls of the first run took the vector fold


def test_int_programs_fold_alike_every_way(interp, monkeypatch):
    rng = random.Random(6)
    starts = [rng.randint(-(2**40), 2**40) for _ in range(60)]
    outs = [rng.randint(-(2**40), 2**40) for _ in range(60)]
    spy = Spy(monkeypatch)
    vector, python, by_node = three_ways(interp, monkeypatch, starts, outs)
    assert vector == python == by_node
    assert all(kind == "int" for kind, _ in vector[1])
    assert spy.done == 2


@pytest.mark.parametrize("starts, outs", [
    ([0] * 59 + [True], [1] * 60),                      # a bool old value
    ([0] * 60, [1] * 59 + [True]),                      # a bool payload
    ([0] * 60, [2**62] * 60),                           # ints that could overflow int64
    ([2**63 - 1] * 60, [1] * 60),                       # past int64 on the first add
    ([10**30] * 60, [1] * 60),                          # big ints
    ([0] * 60, [1.5] * 59 + [2]),                       # a mixed payload table
    ([0.5] * 59 + [0], [1.5] * 60),                     # an old value of another type
    ([0] * 60, [2**53 + 1] * 30 + [0.5] * 30),          # where an int prefix sum stays exact
    (["s"] * 60, ["t"] * 60),                           # strings
], ids=["bool old", "bool payload", "int64 overflow", "int64 limit", "big ints", "mixed payloads",
        "mixed olds", "exact int prefix", "strings"])
def test_declined_folds_give_the_python_fold(interp, monkeypatch, starts, outs):
    spy = Spy(monkeypatch)
    vector, python, by_node = three_ways(interp, monkeypatch, starts, outs)
    assert vector == python == by_node
    # (the Python fold of the first call may leave exact ints or floats: True + 1 is 2)
    assert spy.outcomes[0] == "declined"


@pytest.mark.parametrize("starts", [[0] * 60, [0.5] * 60, [0] * 59 + ["s"]], ids=["ints", "floats", "one string"])
def test_a_handler_error_in_the_fold_step_reports_and_rolls_back_alike(interp, monkeypatch, starts):
    # every payload is none: each receiver's `total + none` fails; the per-receiver loop
    # names the first receiver with its caret
    vector, python, by_node = three_ways(interp, monkeypatch, starts, [0] * 60, calls=1, message=":boom")
    assert vector == python == by_node
    outcome, after = vector
    assert outcome is not None and "Unsupported operation" in outcome[1] and "superstep 1" in outcome[1]
    assert "^" in outcome[2]
    assert after == list(map(bits, starts))  # rolled back


def test_a_failure_after_a_vector_fold_restores_the_old_values(interp, monkeypatch):
    from graphoid.messaging import local as messaging

    monkeypatch.setattr(vector_fold, "MIN_ENTRIES", 0)
    graph = interp.call("build", GList([0.5] * 40), GList([0.25] * 40), False)
    graph.call("broadcast", (interp.eval(":go"),))
    before = list(map(bits, interp.call("totals", graph)))
    original = messaging.MessageRun._run_routed

    def fold_then_fail(self, *args):
        original(self, *args)
        assert self.fold_undo
        raise GraphoidError("RuntimeError", "failure after the fold")

    monkeypatch.setattr(messaging.MessageRun, "_run_routed", fold_then_fail)
    with pytest.raises(GraphoidError):
        graph.call("broadcast", (interp.eval(":go"),))
    monkeypatch.setattr(messaging.MessageRun, "_run_routed", original)
    assert list(map(bits, interp.call("totals", graph))) == before


def _add_setter(it):
    # a setter on the template ends every write proof's epoch: the warm fold must notice
    def set_total(instance, value):
        instance._props["total"] = value + 1000

    it.globals["Acc"].define_method("total", set_total, setter=True)


CHANGES = {
    "frozen receiver": lambda it: it.run('g.get_node("n1003").freeze()', filename="change.gd"),
    "replaced value": lambda it: it.run('g.add_node("n1003", {total: 7, out: 1})', filename="change.gd"),
    "float value set": lambda it: it.run('g.get_node("n1003").total = 2.5', filename="change.gd"),
    "none value set": lambda it: it.run('g.get_node("n1003").total = none', filename="change.gd"),
    "setter added": _add_setter,
    "rule added": lambda it: it.run('g.get_node("n1003").add_rule(:none_to_zero)', filename="change.gd"),
    "method called": lambda it: it.run('g.get_node("n1003").bump(0.5)', filename="change.gd"),
    # a failed call puts back every node's property dict (its rollback snapshots)
    "rolled back": lambda it: it.run('try { g.broadcast(:fail) } catch as e { print(e.message()) }',
                                     filename="change.gd"),
    # a method constraint's violation puts back the node's property dict from its copy
    "constraint restored": lambda it: it.run(
        'try { g.get_node("n1003").bump(1000) } catch as e { print(e.message()) }', filename="change.gd"),
    "behaviour set again": lambda it: it.run("g.set_behavior(Acc)", filename="change.gd"),
}


@pytest.mark.parametrize("change", list(CHANGES.values()), ids=list(CHANGES))
def test_changes_between_calls_are_seen_by_the_vector_fold(change):
    """A node's state or write proof changed between two calls: the same results as the
    Python fold and node-by-node delivery (errors and rollback included)."""
    results = []
    with pytest.MonkeyPatch.context() as patch:
        for threshold, extra in ((0, False), (10**9, False), (0, True)):
            patch.setattr(vector_fold, "MIN_ENTRIES", threshold)
            it = Interpreter()
            it.run(PROGRAM, filename="acc.gd")
            it.globals["g"] = it.call("build", GList([1] * 40), GList([2] * 40), extra)
            it.run("g.broadcast(:go)", filename="first.gd")  # (activates the nodes)
            it.run('g.get_node("n1003").add_method_constraint(fn(before, after) { return after.total < 500 }, "small")',
                   filename="constraint.gd")
            it.run("g.broadcast(:go)", filename="cached.gd")  # what the fold caches, made after that
            try:
                change(it)
                it.run("g.broadcast(:go)", filename="second.gd")
                outcome = "ok"
            except GraphoidError as error:
                outcome = (error.kind, error.message)
            results.append((outcome, repr(it.call("totals", it.globals["g"]))))
    assert results[0] == results[1] == results[2]


def test_the_fold_index_is_made_once_per_plan(interp, monkeypatch):
    monkeypatch.setattr(vector_fold, "MIN_ENTRIES", 0)
    graph = interp.call("build", GList([1.0] * 30), GList([0.5] * 30), False)
    graph.call("broadcast", (interp.eval(":go"),))
    index = plan_for(graph).fold_index
    assert index is not None
    graph.call("broadcast", (interp.eval(":go"),))
    assert plan_for(graph).fold_index is index
    graph.call("remove_edge", ("n1000", next(iter(graph._out["n1000"]))))  # a new plan, a new index
    graph.call("broadcast", (interp.eval(":go"),))
    assert plan_for(graph).fold_index is not index


def test_small_folds_stay_in_python(interp, monkeypatch):
    spy = Spy(monkeypatch)
    graph = interp.call("build", GList([1.0] * 20), GList([0.5] * 20), False)
    graph.call("broadcast", (interp.eval(":go"),))
    assert spy.done == spy.declined == 0  # under MIN_ENTRIES incoming payloads
    assert plan_for(graph).fold_index is None


def test_numpy_is_not_imported_by_programs_that_never_fold_a_large_graph(tmp_path):
    source = tmp_path / "small.gd"
    source.write_text(PROGRAM + '\ng = build([1, 2, 3], [4, 5, 6], false)\ng.broadcast(:go)\nprint(totals(g))\n')
    check = (
        "import sys, runpy\n"
        f"sys.argv = ['graphoid', 'run', {str(source)!r}]\n"
        "try:\n    runpy.run_module('graphoid', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print('numpy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    lines = done.stdout.split("\n")
    assert lines[-2:] == ["False", ""], done



def test_running_totals_fed_back_are_known_by_identity_and_nothing_else():
    routes = Routes([[1, 2], [0, 2], [0], []])
    index = FoldIndex(routes.sources)
    table = [3, 4, 5, 6]
    olds = [1, 2, 3]
    for _ in range(3):  # the totals of one call are the olds of the next
        expected = python_fold(routes, table, olds)
        olds = index.fold(table, olds)
        assert olds == expected and all(type(v) is int for v in olds)
    # an equal value of another type put into the very list returned: no longer the objects
    # returned, so the types are looked at again (a mixed table: declined)
    olds[1] = float(olds[1])
    assert index.fold(table, olds) is None
    olds = [float(v) for v in olds]
    assert list(map(bits, index.fold(table, olds))) == list(map(bits, python_fold(routes, table, olds)))
    # float payloads onto int running totals, then int payloads onto float ones
    olds = index.fold(table, [1, 2, 3])
    floats = [0.1, 0.2, 0.3, 0.4]
    got = index.fold(floats, olds)
    assert list(map(bits, got)) == list(map(bits, python_fold(routes, floats, olds)))
    again = index.fold(table, got)
    assert list(map(bits, again)) == list(map(bits, python_fold(routes, table, got)))
