"""Distributed graph messaging and placement behave as a local graph (issue 8): several routed
sends per node and superstep across the edge cut, self-looped undirected nodes placed through
the codec. Each program runs on :local, :inprocess and 2 worker processes (one interpreter per
executor serves the module) and must give the local graph's answers everywhere."""

from __future__ import annotations

import io
import itertools

import pytest

import graphoid.distributed  # noqa: F401  (registers the module)
from graphoid.distributed.api import session_of
from graphoid.runtime.interpreter import Interpreter
from graphoid.values.format import display

pytestmark = pytest.mark.timeout(180)

EXECUTORS = ("local", "inprocess", "cluster")

# every message handled is forwarded along the node's out-edges, 4 hops deep
FORWARDER = """
graph Forwarder {
    handled = 0
    fn on_message(msg) {
        match msg {
            [:job, hops] => {
                handled = handled + 1
                if hops < 4 { self.graph.send([:job, hops + 1], from: self.id, via: "*") }
            }
            :count => { return handled }
        }
    }
}
"""

# neighbour order both ways; a graph's own order is its edges' insertion order, self-loops
# and edges added from the far end included
SHAPES = """
fn shape(g, ids) { return ids.map(id => [id, g.neighbors(id)]) }
fn both_ways(g, ids) { return ids.map(id => [id, g.neighbors(id), g.predecessors(id)]) }
fn undirected_graph() {
    u = graph { type: :undirected }
    for pair in [["y", "x"], ["x", "z"], ["x", "x"], ["z", "z"], ["y", "z"], ["w", "x"], ["z", "w"]] {
        u.add_edge(pair[0], pair[1])
    }
    return u
}
fn directed_graph() {
    w = graph { type: :directed }
    for pair in [["z", "x"], ["y", "x"], ["x", "x"], ["x", "y"], ["w", "y"], ["y", "w"], ["x", "w"]] {
        w.add_edge(pair[0], pair[1])
    }
    return w
}
ids = ["w", "x", "y", "z"]
"""


@pytest.fixture(scope="module")
def interpreters(tmp_path_factory):
    started: dict[str, Interpreter] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GRAPHOID_HOME", str(tmp_path_factory.mktemp("home")))  # before any worker starts
        try:
            for executor in EXECUTORS:
                interp = Interpreter(stdout=io.StringIO())
                interp.run(f'import "distributed"\ndistributed.configure({{executor: :{executor}, workers: 2}})\n'
                           + FORWARDER + SHAPES, "messaging_gaps_test.gd")
                started[executor] = interp
            yield started
        finally:
            for interp in started.values():
                session_of(interp).close()


_RUNS = itertools.count()


def run(interp: Interpreter, program: str) -> None:
    """Run `program` as a file of its own: the functions of earlier ones stay sendable."""
    interp.run(program, f"messaging_gaps_{next(_RUNS)}.gd")


def local_answer(interp: Interpreter, program: str, expr: str) -> str:
    """`expr` after `program` on a plain local graph `g` (no `distributed` call at all)."""
    run(interp, program)
    return display(interp.eval(expr))


@pytest.mark.parametrize("executor", EXECUTORS)
def test_routed_sends_from_a_self_loop_with_a_cut_in_edge_are_delivered_once(interpreters, executor):
    """b has a self-loop and an in-edge from d, on the other partition: b handles 1 + 2 * 4 jobs."""
    interp = interpreters[executor]
    program = """
g = graph { type: :directed }
g.add_edge("b", "b")
g.add_edge("d", "b")
g.set_behavior(Forwarder)
"""
    expected = local_answer(interp, program + "g.broadcast([:job, 0])\n",
                            '[g.request(:count, to: "b"), g.request(:count, to: "d")]')
    assert expected == "[9, 1]"
    run(interp, program + 'd = distributed.distribute(g, partitions: 2)\nd.set_behavior(Forwarder)\n'
        'd.broadcast([:job, 0])\n')
    assert display(interp.eval('[d.request(:count, to: "b"), d.request(:count, to: "d")]')) == expected


@pytest.mark.parametrize("executor", EXECUTORS)
@pytest.mark.parametrize("kind", ["undirected", "directed"])
def test_placed_saved_and_loaded_graphs_keep_every_neighbour_order(interpreters, executor, kind):
    interp = interpreters[executor]
    expected = local_answer(interp, f"g = {kind}_graph()\n", "[shape(g, ids), both_ways(g, ids)]")
    run(interp, f'd = distributed.distribute({kind}_graph(), partitions: 2)\n'
                f'distributed.save(d, "order-{kind}-{executor}")\n'
                f'back = distributed.load("order-{kind}-{executor}")\n')
    assert display(interp.eval("[shape(d, ids), both_ways(d.clone(), ids)]" if executor == "local" else
                               "[shape(d, ids), both_ways(d.to_local(), ids)]")) == expected
    assert display(interp.eval("shape(back, ids)")) == display(interp.eval("shape(g, ids)"))
