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


@pytest.fixture(scope="module")
def interpreters():
    started: dict[str, Interpreter] = {}
    try:
        for executor in EXECUTORS:
            interp = Interpreter(stdout=io.StringIO())
            interp.run(f'import "distributed"\ndistributed.configure({{executor: :{executor}, workers: 2}})\n'
                       + FORWARDER, "messaging_gaps_test.gd")
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
