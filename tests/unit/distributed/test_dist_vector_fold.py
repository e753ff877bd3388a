"""Whole-graph folds large enough for the numpy fold (messaging/vector_fold.py) give the same
bits on a local graph, on the in-process executor and on 2 worker processes: each partition
folds its receivers' payloads (its ghosts' included) in origin order, as the local graph does."""

from __future__ import annotations

import io
import random
import struct

import pytest

import graphoid.distributed  # noqa: F401  (registers the module)
from graphoid.distributed.api import session_of
from graphoid.messaging import vector_fold
from graphoid.messaging.vector_fold import FoldIndex
from graphoid.runtime.interpreter import Interpreter
from graphoid.values.types import GList

from cluster_support import kill_leftovers

pytestmark = pytest.mark.timeout(240)

NODES = 500  # with 4 out-edges each, every partition folds far more than MIN_ENTRIES payloads

PROGRAM = """
import "distributed"
graph Acc {
    total = 0
    out = 0
    fn on_message(msg) {
        match msg {
            :go => { self.graph.send([:add, out], from: self.id, via: "*") }
            [:add, x] => { total = total + x }
            :get => total
        }
    }
}

fn build(starts, outs, targets) {
    g = graph { type: :directed }
    for i in range(starts.length()) { g.add_node("n" + (1000 + i).to_string(), {total: starts[i], out: outs[i]}) }
    for i in range(starts.length()) {
        for t in targets[i] { g.add_edge("n" + (1000 + i).to_string(), "n" + (1000 + t).to_string()) }
    }
    return g
}

fn run(g, calls) {
    g.set_behavior(Acc)
    for i in range(calls) { g.broadcast(:go) }
    return g.request(:get, where: v => true)
}
"""


def bits(value):
    if type(value) is float:
        return ("float", struct.pack("<d", value))
    return (type(value).__name__, value)


def inputs(kind: str):
    rng = random.Random(17)
    if kind == "floats":
        # magnitudes far apart, so that the order of the additions shows in the bits
        starts = [rng.uniform(-1, 1) * 10.0 ** rng.randint(-8, 8) for _ in range(NODES)]
        outs = [rng.uniform(-1, 1) * 10.0 ** rng.randint(-8, 8) for _ in range(NODES)]
    else:
        starts = [rng.randint(-(2**40), 2**40) for _ in range(NODES)]
        outs = [rng.randint(-(2**40), 2**40) for _ in range(NODES)]
    targets = [rng.sample(range(NODES), 4) for _ in range(NODES)]
    return GList(starts), GList(outs), GList(GList(t) for t in targets)


def run_everywhere(executor: str, program: str, graph: GList, call: str) -> list:
    """`call` (with `{graph}` for the graph) on `graph` built by `program`'s `build`, on a local
    graph or distributed over 2 partitions on `executor`: the result's bits."""
    interp = Interpreter(stdout=io.StringIO())
    interp.run(program, "vector_fold_test.gd")
    pids: list[int] = []
    try:
        interp.globals["g"] = interp.call("build", *graph)
        if executor == "local":
            interp.run("result = " + call.format(graph="g"), "local_run.gd")
        else:
            interp.run(f"distributed.configure({{executor: :{executor}, workers: 2}})\n"
                       "d = distributed.distribute(g, partitions: 2)\nresult = " + call.format(graph="d"),
                       "distributed_run.gd")
            pids = list(getattr(session_of(interp).executor(), "pids", []))
        return list(map(bits, interp.globals["result"]))
    finally:
        if executor != "local":
            session_of(interp).close()
            kill_leftovers(pids)


def totals(executor: str, kind: str) -> list:
    return run_everywhere(executor, PROGRAM, inputs(kind), "run({graph}, 3)")


@pytest.mark.parametrize("kind", ["floats", "ints"])
def test_large_folds_are_bit_identical_on_every_executor(kind, monkeypatch):
    calls = []
    original = FoldIndex.fold

    def counted(index, table, olds, typed=None):
        result = original(index, table, olds, typed)
        calls.append(result is not None)
        return result

    monkeypatch.setattr(FoldIndex, "fold", counted)
    local = totals("local", kind)
    assert calls == [True] * 3  # the local graph took the vector fold on every call
    assert totals("inprocess", kind) == local
    assert calls[3:] == [True] * 6  # and so did both in-process partitions
    assert totals("cluster", kind) == local
    # the Python fold agrees (the same graph with the threshold out of reach)
    monkeypatch.setattr(vector_fold, "MIN_ENTRIES", 10**9)
    assert totals("local", kind) == local
    assert len(calls) == 9
