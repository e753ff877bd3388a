"""distributed.spawn: actors on workers, the same handle as local actors (distributed/actors.py)."""

from __future__ import annotations

import io
import itertools
import os
import signal

import pytest

from graphoid import GraphoidError, Interpreter
from graphoid.distributed.api import session_of

pytestmark = pytest.mark.timeout(180)

COUNTER = """
import "distributed"
graph Counter {
    count: 0
    fn on_message(msg) {
        if msg == :boom { raise ValueError("boom at " + string(count)) }
        if msg == :get { return count }
        count = count + msg
        return count
    }
}
"""


_inputs = itertools.count()


def go(interp: Interpreter, source: str):
    """Run one input under a file name of its own (functions ship by the file they came from)."""
    return interp.run(source, f"input{next(_inputs)}.gd")


def interpreter(executor: str) -> Interpreter:
    interp = Interpreter(stdout=io.StringIO(), stderr=io.StringIO())
    go(interp, COUNTER + f"distributed.configure({{executor: :{executor}, workers: 2}})\n")
    return interp


@pytest.fixture(scope="module")
def cluster():
    interp = interpreter("cluster")
    yield interp
    interp.close()
    session_of(interp).close()


@pytest.fixture(params=["local", "inprocess"])
def interp(request):
    made = interpreter(request.param)
    yield made
    made.close()
    session_of(made).close()


def test_ordered_sends_and_requests(interp) -> None:
    assert go(interp, "c = distributed.spawn(Counter{}, on: 1)\nfor i in range(1, 101) { c.send(i) }\nc.request(:get)") == 5050
    assert go(interp, "c.id() > 0 and typeof(c) == \"actor\"") is True


def test_a_failed_request_is_an_actor_error(interp) -> None:
    with pytest.raises(GraphoidError, match="failed: ValueError: boom at 3") as caught:
        go(interp, "c = distributed.spawn(Counter{count: 3})\nc.request(:boom)")
    assert caught.value.kind == "ActorError"
    assert go(interp, "c.request(1)") == 4  # the actor goes on


def test_closed_actor_and_bad_arguments(interp) -> None:
    with pytest.raises(GraphoidError, match="is closed"):
        go(interp, "c = distributed.spawn(Counter{})\nc.close()\nc.send(1)")
    with pytest.raises(GraphoidError, match="expects a graph with an on_message method, got num"):
        go(interp, "distributed.spawn(5)")
    with pytest.raises(GraphoidError, match="on: must be a worker index"):
        go(interp, 'distributed.spawn(Counter{}, on: "x")')


def test_remote_errors_name_the_worker() -> None:
    interp = interpreter("inprocess")
    try:
        with pytest.raises(GraphoidError, match=r"actor Counter#\d+ on worker 0 failed: ValueError"):
            go(interp, "c = distributed.spawn(Counter{}, on: 0)\nc.request(:boom)")
        with pytest.raises(GraphoidError, match="on: must be a worker index from 0 to 1, not 7"):
            go(interp, "distributed.spawn(Counter{}, on: 7)")
    finally:
        session_of(interp).close()


def test_actors_on_real_workers(cluster) -> None:
    assert go(cluster, "a = distributed.spawn(Counter{}, on: 0)\nb = distributed.spawn(Counter{}, on: 1)\n"
                       "for i in range(10) { a.send(1)\nb.send(2) }\n[a.request(:get), b.request(:get)]") == [10, 20]
    with pytest.raises(GraphoidError, match="ActorError|failed: ValueError"):
        go(cluster, "a.request(:boom)")


def test_a_lost_worker_names_the_actor(cluster) -> None:
    go(cluster, "doomed = distributed.spawn(Counter{}, on: 1)\ndoomed.send(1)")
    executor = session_of(cluster).executor()
    victim = executor.worker_ids[1]
    os.kill(dict(zip(executor.worker_ids, executor.pids))[victim], signal.SIGKILL)
    with pytest.raises(GraphoidError) as caught:
        go(cluster, "doomed.request(:get)")
    assert caught.value.kind == "WorkerLostError"
    assert "Counter#" in caught.value.message and f"worker {victim}" in caught.value.message
