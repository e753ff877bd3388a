"""Superstep batches leave a worker on its core thread's own links (transport.DirectLinks), the
moment the core makes them, not when the loop thread gets the GIL back after the core's next
step.

Checked without timing: which socket and identity a batch arrives from, that it arrives while
the core is still inside the `handle` that made it, that closing a core closes its links (even
under a task still running, so the context terminates), that a batch which cannot go that way
takes the loop's route, and that messaging calls give the same results and errors either way."""

from __future__ import annotations

import io
import select
import threading

import pytest
import zmq

import graphoid.distributed  # noqa: F401  (registers the module)
from graphoid.distributed import worker as worker_module
from graphoid.distributed.api import session_of
from graphoid.distributed.core import COORDINATOR, WorkerCore
from graphoid.distributed.executor.inprocess import InProcessExecutor
from graphoid.distributed.protocol import Message, pack, unpack
from graphoid.distributed.transport import DirectLinks, PeerLinks, bind_router
from graphoid.distributed.worker import CoreThread
from graphoid.errors import GraphoidError
from graphoid.runtime.interpreter import Interpreter
from graphoid.values.format import display

pytestmark = pytest.mark.timeout(60)

BATCH_FIELDS = dict(graph="g", call=1, step=0, part=1, source=0, sent=3, halt=False)


@pytest.fixture
def context():
    ctx = zmq.Context()
    yield ctx
    ctx.term()  # hangs (and the timeout fails the test) if a test leaves a socket open


def _batch(number: int = 1) -> Message:
    return Message.new("STEP_MSGS", src="0", id=number, payload=(b"batch",), **BATCH_FIELDS)


# ----------------------------------------------------------------------------- DirectLinks


def test_direct_links_send_under_their_own_identity_beside_the_loops_link(context) -> None:
    peer = bind_router(context, "tcp://127.0.0.1:*", "1")
    loop_links = PeerLinks(context, "0")
    direct = DirectLinks(context, "0", "0~core")
    try:
        loop_links.link("1", peer.address).send("HEARTBEAT")  # the loop's link, identity "0"
        assert direct.send("1", peer.address, _batch(), drv="d")
        arrived = {envelope.peer: envelope.message for envelope in (peer.recv(10), peer.recv(10))}
        assert set(arrived) == {b"0", b"0~core"}  # the ROUTER kept both connections
        batch = arrived[b"0~core"]
        assert batch.type == "STEP_MSGS" and batch["src"] == "0" and batch["drv"] == "d"
        assert batch["sent"] == 3 and batch.payload == (b"batch",)
        assert direct.peers() == ["1"]
    finally:
        direct.close()
        loop_links.close()
        peer.close()


def test_direct_links_reconnect_when_a_peer_moves(context) -> None:
    first = bind_router(context, "tcp://127.0.0.1:*", "1")
    second = bind_router(context, "tcp://127.0.0.1:*", "1")
    direct = DirectLinks(context, "0", "0~core")
    try:
        assert direct.send("1", first.address, _batch(1))
        assert first.recv(10) is not None
        assert direct.send("1", second.address, _batch(2))  # PEERS now names another address
        moved = second.recv(10)
        assert moved is not None and moved.message.type == "STEP_MSGS"
        assert direct.peers() == ["1"]
    finally:
        direct.close()
        first.close()
        second.close()


def test_a_send_that_cannot_happen_returns_false_and_is_logged(context, caplog) -> None:
    direct = DirectLinks(context, "0", "0~core")
    try:
        assert not direct.send("1", "nonsense://nowhere", _batch())
        assert "goes through the loop" in caplog.text
        assert direct.peers() == []
    finally:
        direct.close()


def test_closed_direct_links_close_their_sockets_and_refuse_sends(context) -> None:
    peer = bind_router(context, "tcp://127.0.0.1:*", "1")
    direct = DirectLinks(context, "0", "0~core")
    try:
        assert direct.send("1", peer.address, _batch())
        direct.close()
        assert direct.closed and direct.peers() == []
        assert not direct.send("1", peer.address, _batch(2))
        direct.close()  # twice: nothing left to close
    finally:
        peer.close()


# ----------------------------------------------------------------------------- WorkerCore.send_now


def _core_with(direct) -> WorkerCore:
    core = WorkerCore("0", Interpreter)
    core.direct = direct
    core.handlers["STEP_BEGIN"] = lambda message: core.send_now("1", "STEP_MSGS", payload=[b"abc"], **BATCH_FIELDS)
    return core


def test_send_now_without_a_direct_route_answers_like_send() -> None:
    core = _core_with(None)
    out = core.handle(Message.new("STEP_BEGIN", src=COORDINATOR, id=1))
    assert [(item.to, item.message.type, item.message.payload) for item in out] == [("1", "STEP_MSGS", (b"abc",))]
    assert core.stats.messages_sent == 1 and core.stats.bytes_sent == 3


def test_send_now_through_the_direct_route_leaves_nothing_for_the_loop() -> None:
    sent: list[tuple[str, Message]] = []
    core = _core_with(lambda to, message: sent.append((to, message)) or True)
    assert core.handle(Message.new("STEP_BEGIN", src=COORDINATOR, id=1)) == []
    ((to, message),) = sent
    assert to == "1" and message.type == "STEP_MSGS" and message["src"] == "0" and message["re"] is None
    unpack(pack(message))  # a valid message
    assert core.stats.messages_sent == 1 and core.stats.bytes_sent == 3


def test_a_refused_direct_send_goes_out_through_the_loop() -> None:
    core = _core_with(lambda to, message: False)
    out = core.handle(Message.new("STEP_BEGIN", src=COORDINATOR, id=1))
    assert [(item.to, item.message.type) for item in out] == [("1", "STEP_MSGS")]
    assert core.stats.messages_sent == 1


# ----------------------------------------------------------------------------- CoreThread


class _BusyStep:
    """A STEP_BEGIN handler that sends a batch, then stays busy until released."""

    def __init__(self, core: WorkerCore) -> None:
        self.core = core
        self.release = threading.Event()
        core.handlers["STEP_BEGIN"] = self

    def __call__(self, message: Message) -> None:
        self.core.send_now("1", "STEP_MSGS", payload=[b"abc"], **BATCH_FIELDS)
        self.release.wait(30)


def test_a_batch_leaves_while_the_core_is_still_busy_with_its_step(context) -> None:
    peer = bind_router(context, "tcp://127.0.0.1:*", "1")
    core = WorkerCore("0", Interpreter)
    core.peers = {"1": peer.address}
    busy = _BusyStep(core)
    thread = CoreThread(core, DirectLinks(context, "0", "0~core"), driver="d7")
    try:
        thread.submit(Message.new("STEP_BEGIN", src=COORDINATOR, id=1))
        envelope = peer.recv(20)  # the loop never runs here: only the core's own link can send it
        assert envelope is not None and envelope.peer == b"0~core"
        assert envelope.message.type == "STEP_MSGS" and envelope.message["drv"] == "d7"
        assert not busy.release.is_set() and thread.results() == []  # handle has not returned
    finally:
        busy.release.set()
        thread.close()
        peer.close()


def test_a_batch_for_a_peer_without_an_address_goes_to_the_loop(context) -> None:
    core = WorkerCore("0", Interpreter)  # PEERS has not named worker "1"
    direct = DirectLinks(context, "0", "0~core")
    thread = CoreThread(core, direct)
    handled = threading.Event()
    core.handlers["STEP_BEGIN"] = lambda message: (
        core.send_now("1", "STEP_MSGS", payload=[b"abc"], **BATCH_FIELDS), handled.set())
    try:
        thread.submit(Message.new("STEP_BEGIN", src=COORDINATOR, id=1))
        assert handled.wait(20)
        results: list = []
        while not results:
            select.select([thread.wake], [], [], 20)
            results = thread.results()
        assert [(item.to, item.message.type) for item in results] == [("1", "STEP_MSGS")]
        assert direct.peers() == []
    finally:
        thread.close()


def test_closing_a_core_closes_its_links_even_under_a_running_task(context) -> None:
    peer = bind_router(context, "tcp://127.0.0.1:*", "1")
    core = WorkerCore("0", Interpreter)
    core.peers = {"1": peer.address}
    busy = _BusyStep(core)
    direct = DirectLinks(context, "0", "0~core")
    thread = CoreThread(core, direct)
    try:
        thread.submit(Message.new("STEP_BEGIN", src=COORDINATOR, id=1))
        assert peer.recv(20) is not None
        thread.close(timeout=0.1)  # the task still runs: the links close anyway
        assert direct.closed and direct.peers() == []
    finally:
        busy.release.set()
        peer.close()
    # (the fixture's context.term() returns only if no socket is left open)


def test_a_worker_process_core_sends_batches_on_its_own_links_with_its_driver_tag(context) -> None:
    peer = bind_router(context, "tcp://127.0.0.1:*", "1")
    default, tagged = (worker_module.serving_core(context, "4", None, driver) for driver in (None, "d2"))
    try:
        for thread in (default, tagged):
            thread.core.peers = {"1": peer.address}
            assert thread.core.direct is not None
            assert thread.core.actors.host.post == thread.post
            thread.core.direct("1", _batch())  # (a test may call the hook: nothing else sends on these links)
        first, second = peer.recv(10), peer.recv(10)
        by_tag = {envelope.message.header.get("drv"): envelope.peer for envelope in (first, second)}
        assert set(by_tag) == {None, "d2"}
        assert all(identity.startswith(b"4~") for identity in by_tag.values())
        assert by_tag[None] != by_tag["d2"]  # one identity per core: the ROUTER keeps both connections
    finally:
        default.close()
        tagged.close()
        peer.close()


def test_a_core_without_direct_links_keeps_its_batches_for_the_loop() -> None:
    core = WorkerCore("0", Interpreter)
    thread = CoreThread(core)
    try:
        assert core.direct is None and thread.direct is None
    finally:
        thread.close()


# ----------------------------------------------------------------------------- same results either way

PROGRAM = """
graph Relay {
    handled = 0
    fn on_message(msg) {
        match msg {
            [:hop, k] => {
                handled = handled + 1
                if k > 0 { self.graph.send([:hop, k - 1], from: self.id, via: "*") }
            }
            [:fail_at, k] => {
                if k == 0 { return self.missing_method() }
                self.graph.send([:fail_at, k - 1], from: self.id, via: "*")
            }
            [:grow_at, k] => {
                handled = handled + 1
                if k == 0 { self.graph.add_node("grown-" + self.id, 0) }
                if k > -2 { self.graph.send([:grow_at, k - 1], from: self.id, via: "*") }
            }
            :count => { return handled }
        }
    }
}
fn ring() {
    g = graph { type: :directed }
    for i in range(12) { g.add_edge("n" + i.to_string(), "n" + ((i + 1) % 12).to_string()) }
    return g
}
fn run(g, msg) {
    g.set_behavior(Relay)
    g.broadcast(msg)
    return [g.node_count(), range(12).map(i => g.request(:count, to: "n" + i.to_string()))]
}
"""


def _run_in_process(message: str, route: str) -> tuple[str, list[str]]:
    """`run(distributed ring, message)` on 3 in-process cores; with `route` "direct" their
    batches take a direct route (straight onto the executor's queue), with "refused" the direct
    route refuses every batch; the result (or error) and the message types it took."""
    interp = Interpreter(stdout=io.StringIO())
    interp.run('import "distributed"\ndistributed.configure({executor: :inprocess, workers: 3})\n' + PROGRAM,
               "direct.gd")
    session = session_of(interp)
    executor = session.executor()
    assert isinstance(executor, InProcessExecutor)
    taken: list[str] = []
    for worker_id, core in executor.cores.items():
        def direct(to: str, message: Message, sender: str = worker_id) -> bool:
            taken.append(message.type)
            if route == "refused":
                return False
            executor._queue.append((to, sender, pack(message)))
            return True
        if route != "plain":
            core.direct = direct
    try:
        result = display(interp.eval(f"run(distributed.distribute(ring(), partitions: 3), {message})"))
    except GraphoidError as error:
        result = f"{error.kind}: {error.message}"
    finally:
        session.close()
    return result, taken


@pytest.mark.parametrize("message", ["[:hop, 5]", "[:fail_at, 2]", "[:grow_at, 1]"])
def test_messaging_gives_the_same_results_and_errors_through_the_direct_route(message, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("GRAPHOID_HOME", str(tmp_path))
    plain, _ = _run_in_process(message, "plain")
    direct, taken = _run_in_process(message, "direct")
    refused, tried = _run_in_process(message, "refused")
    assert direct == plain and refused == plain
    assert taken and set(taken) == {"STEP_MSGS"} and tried == taken
