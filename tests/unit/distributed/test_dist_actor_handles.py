"""Actor handles on the wire (EXT_ACTOR, distributed/actors.py ActorHost): a task on a worker
sends to and asks actors on the driver, on another worker and on its own worker."""

from __future__ import annotations

import io
import itertools
import os
import signal
import threading

import pytest

from graphoid import GraphoidError, Interpreter
from graphoid.distributed.api import session_of
from graphoid.distributed.codec import CodecError, encode

pytestmark = pytest.mark.timeout(180)

PROGRAM = """
import "distributed"
graph Counter {
    count: 0
    fn on_message(msg) {
        if msg == :get { return count }
        if msg == :boom { raise ValueError("boom") }
        if msg == :slow { timer.sleep(60000) }
        count = count + msg
        return count
    }
}
graph Asker {
    fn on_message(target) { return target.request(100) }
}
fn poke(a, b) {
    a.send(1)
    b.send(2)
    return [a.request(10), b.request(20), a, b]
}
"""

_inputs = itertools.count()


def go(interp: Interpreter, source: str):
    """Run one input under a file name of its own (functions ship by the file they came from)."""
    return interp.run(source, f"handles{next(_inputs)}.gd")


def interpreter(executor: str) -> Interpreter:
    interp = Interpreter(stdout=io.StringIO(), stderr=io.StringIO())
    go(interp, PROGRAM + f"distributed.configure({{executor: :{executor}, workers: 2}})\n")
    return interp


@pytest.fixture(scope="module")
def cluster():
    interp = interpreter("cluster")
    yield interp
    interp.close()
    session_of(interp).close()


@pytest.fixture(scope="module")
def inprocess():
    interp = interpreter("inprocess")
    yield interp
    interp.close()
    session_of(interp).close()


@pytest.fixture(params=["inprocess", "cluster"])
def workers(request):
    return request.getfixturevalue(request.param)


def test_a_task_reaches_actors_on_the_driver_and_on_a_worker(workers) -> None:
    result = go(workers, "here = spawn Counter{}\nthere = distributed.spawn(Counter{}, on: 0)\n"
                         "r = await distributed.submit(poke, here, there)\n"
                         "[r[0], r[1], r[2] == here, r[3] == there, here.request(:get), there.request(:get)]")
    assert result == [11, 22, True, True, 11, 22]
    # the handles that came back are the same actors, still working
    assert go(workers, "r[2].request(1) + r[3].request(1)") == 12 + 23


def test_tasks_on_every_worker_ask_an_actor_on_one_of_them(workers) -> None:
    # some of the tasks run on worker 0 itself: the actor's thread answers while its core waits
    result = go(workers, "box = distributed.spawn(Counter{}, on: 0)\nseen = spawn Counter{}\n"
                         "rs = distributed.map(range(1, 9), fn(x) { seen.send(x)\nreturn box.request(x) })\n"
                         "[rs.to_list().sort()[-1], box.request(:get), seen.request(:get)]")
    assert result == [36, 36, 36]


def test_an_actor_on_one_worker_asks_an_actor_on_another(workers) -> None:
    result = go(workers, "target = distributed.spawn(Counter{}, on: 1)\nasker = distributed.spawn(Asker{}, on: 0)\n"
                         "local_target = spawn Counter{count: 5}\n"
                         "[asker.request(target), asker.request(local_target), target.request(:get)]")
    assert result == [100, 105, 100]


def test_errors_of_remote_actors_reach_the_task_as_actor_errors(workers) -> None:
    go(workers, "failing = distributed.spawn(Counter{}, on: 1)\n"
                "fn ask_boom(a) { try { return a.request(:boom) } catch ActorError as e { return e.message() } }")
    assert go(workers, "await distributed.submit(ask_boom, failing)") == \
        go(workers, "'actor Counter#' + string(failing.id()) + ' on worker 1 failed: ValueError: boom'")
    with pytest.raises(GraphoidError, match="is closed"):
        go(workers, "failing.close()\nawait distributed.submit(fn(a) { a.send(1) }, failing)")


def test_an_actor_spawned_on_a_worker_cannot_leave_it(workers) -> None:
    with pytest.raises(GraphoidError, match="spawned on worker"):
        go(workers, "await distributed.submit(fn() { return spawn Counter{} })")


def test_actor_handles_pass_through_the_local_executor() -> None:
    interp = interpreter("local")
    try:
        assert go(interp, "c = spawn Counter{}\nrs = distributed.map([1, 2, 3], fn(x) { return c.request(x) })\n"
                          "[rs.to_list(), c.request(:get)]") == [[1, 3, 6], 6]
    finally:
        interp.close()
        session_of(interp).close()


def test_a_handle_cannot_be_encoded_without_a_cluster() -> None:
    interp = Interpreter(stdout=io.StringIO(), stderr=io.StringIO())
    try:
        actor = go(interp, "graph E { fn on_message(m) { return m } }\nspawn E{}")
        with pytest.raises(CodecError, match="actor handles travel only between a driver and its workers"):
            encode(actor)
    finally:
        interp.close()


def test_a_lost_worker_fails_the_requests_waiting_for_its_actors(cluster) -> None:
    """The driver asks an actor on worker 1, which asks an actor on worker 0 that is busy for a
    minute; worker 0 is killed meanwhile: both waits end with an error naming worker 0."""
    go(cluster, "sleeper = distributed.spawn(Counter{}, on: 0)\nsleeper.send(:slow)\n"
                "asker = distributed.spawn(Asker{}, on: 1)")
    executor = session_of(cluster).executor()
    victim = executor.worker_ids[0]
    pid = dict(zip(executor.worker_ids, executor.pids))[victim]
    killer = threading.Timer(1.0, os.kill, (pid, signal.SIGKILL))
    killer.start()
    try:
        with pytest.raises(GraphoidError) as caught:
            go(cluster, "asker.request(sleeper)")
    finally:
        killer.join()
    assert caught.value.kind == "ActorError"  # the asker's on_message failed with the loss
    assert f"WorkerLostError: actor Counter#" in caught.value.message
    assert f"is lost with its worker {victim}" in caught.value.message
    with pytest.raises(GraphoidError, match=f"is lost with its worker {victim}") as again:
        go(cluster, "sleeper.send(1)")
    assert again.value.kind == "WorkerLostError"
