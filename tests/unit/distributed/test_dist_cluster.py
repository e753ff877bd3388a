"""Real sockets and real processes: transport, CURVE, workers, the coordinator, and driver death.

Every test binds only 127.0.0.1 or inproc, and every process a test starts (directly or through a
driver) is killed by pid in teardown if it is still running, even when the test failed.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import msgpack
import pytest
import zmq

from graphoid.distributed.coordinator import Coordinator, WorkerLost
from graphoid.distributed.membership import LivenessConfig
from graphoid.distributed.processes import WorkerGroup, describe_exit, print_line
from graphoid.distributed.protocol import MAGIC, Limits, ProtocolError, pack, unpack, Message
from graphoid.distributed.transport import (
    MAX_DROPS_PER_RECEIVE, CurveClient, CurveServer, PeerUnreachable, TransportError, bind_router, check_bind_address,
    connect_dealer, generate_keys, is_loopback, load_keys,
)
from graphoid.errors import GraphoidError

from cluster_support import is_running, wait_until_gone

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.timeout(60)


# ----------------------------------------------------------------------------- helpers and fixtures


@pytest.fixture
def reap():
    """Pids to SIGKILL at teardown if they are still running (processes this test started)."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        if is_running(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture
def context():
    ctx = zmq.Context()
    yield ctx
    ctx.destroy(linger=0)


@pytest.fixture
def lines():
    """A sink that collects forwarded worker output."""
    collected: list[tuple[str, str, str]] = []
    yield collected


@pytest.fixture
def cluster(reap, lines):
    """Start a cluster with a fast heartbeat; close it and check its workers are gone."""
    started: list[Coordinator] = []

    def start(count: int = 2, **options) -> Coordinator:
        # 2 s of silence before a worker counts as dead: quick to detect, yet no false deaths on
        # a loaded machine in the tests that expect none.
        options.setdefault("liveness", LivenessConfig(interval=0.25, misses=8))
        coordinator = Coordinator(count, sink=lambda *line: lines.append(line), **options)
        started.append(coordinator)
        coordinator.start()
        reap.extend(coordinator.pids)
        return coordinator

    yield start
    for coordinator in started:
        coordinator.close(grace=1.0)
        assert wait_until_gone(coordinator.pids, 5.0) == []


def raw_dealer(context: zmq.Context, address: str, identity: bytes | None = None) -> zmq.Socket:
    socket = context.socket(zmq.DEALER)
    socket.linger = 0
    if identity is not None:
        socket.identity = identity
    socket.connect(address)
    return socket


def header(message_type: str, **fields) -> bytes:
    return msgpack.packb({"t": message_type, "run": None, "ep": 0, "src": "x", "id": 1, "re": None, **fields})


HOSTILE_MESSAGES = [
    [b"garbage"],
    [b""],
    [MAGIC],
    [b"GDW9", header("HEARTBEAT")],
    [MAGIC, header("HEARTBEAT")[:-4]],
    [MAGIC, b"\xc1\xc1\xc1"],
    [MAGIC, b"\x80" + b"\x00" * (2 * 1024 * 1024)],  # a header far beyond the 64 KiB limit
    [MAGIC, header("HEARTBEAT"), *([b"x"] * 2000)],  # more payload frames than allowed
    [MAGIC, header("NO_SUCH_TYPE")],
    [MAGIC, header("HELLO", worker=1, data="x", pid=1)],
]


# ----------------------------------------------------------------------------- transport


def test_endpoints_exchange_messages_and_replies(context):
    server = bind_router(context, "tcp://127.0.0.1:*", "coordinator")
    client = connect_dealer(context, server.address, "7")
    try:
        sent_id = client.send("FETCH", oid="o1", run="r", payload=[b"abc"])
        request = server.recv(timeout=5.0)
        assert request is not None and request.peer == b"7"
        assert (request.message.type, request.message["oid"], request.message.payload) == ("FETCH", "o1", (b"abc",))
        assert request.message["id"] == sent_id and request.message["src"] == "7"
        server.reply(request, "NOT_FOUND", oid="o1")
        answer = client.recv(timeout=5.0)
        assert answer is not None and answer.peer is None
        assert (answer.message.type, answer.message["re"], answer.message["run"]) == ("NOT_FOUND", sent_id, "r")
    finally:
        client.close()
        server.close()


def test_forward_sends_what_send_sends_for_the_same_fields(context, monkeypatch):
    """A worker forwards its core's messages as its own: the frames are those `send` makes from
    the message's fields (same header, in the same order), numbered by the endpoint."""
    server = bind_router(context, "tcp://127.0.0.1:*", "coordinator")
    client = connect_dealer(context, server.address, "7")
    frames: list[list[bytes]] = []
    try:
        monkeypatch.setattr(client, "_send_frames", frames.append)
        core_message = Message.new("STEP_DONE", src="core", id=41, run="r", graph="g", call=3, step=1, part=0,
                                   sent=5, payload=[b"p"])
        first = client.forward(core_message, drv="driver-1")
        second = client.send("STEP_DONE", run="r", graph="g", call=3, step=1, part=0, sent=5, payload=[b"p"],
                             drv="driver-1")
        assert second == first + 1
        forwarded, sent = (unpack(message) for message in frames)
        assert forwarded.header["id"] == first and forwarded.header["src"] == "7"
        headers = [list(msgpack.unpackb(message[1]).items()) for message in frames]
        assert headers[0] == [(name, first if name == "id" else value) for name, value in headers[1]]
        assert forwarded.payload == sent.payload == (b"p",)
        with pytest.raises(ProtocolError, match="unknown field 'bogus'"):
            client.forward(core_message, bogus=1)  # checked as any message is
        with pytest.raises(TransportError, match="needs a peer identity"):
            server.forward(core_message)
    finally:
        client.close()
        server.close()


def test_router_send_to_an_unknown_peer_raises(context):
    server = bind_router(context, "tcp://127.0.0.1:*", "coordinator")
    try:
        with pytest.raises(PeerUnreachable, match="HEARTBEAT to 'nobody': peer not connected"):
            server.send("HEARTBEAT", to=b"nobody")
    finally:
        server.close()


def test_endpoint_drops_hostile_messages_and_keeps_serving(context, caplog):
    server = bind_router(context, "inproc://hostile-endpoint", "coordinator", limits=Limits(max_frame_bytes=1024))
    hostile = raw_dealer(context, "inproc://hostile-endpoint", b"evil")
    try:
        for frames in HOSTILE_MESSAGES + [[MAGIC, header("HEARTBEAT"), b"y" * 2048]]:
            hostile.send_multipart(frames)
        flood = MAX_DROPS_PER_RECEIVE + 50
        for _ in range(flood):
            hostile.send(b"junk")
        hostile.send_multipart(pack(Message.new("HEARTBEAT", src="evil", id=5)))
        # One receive call gives control back after a bounded number of drops ...
        assert server.recv_nowait() is None and server.dropped == MAX_DROPS_PER_RECEIVE
        # ... and the valid message behind the garbage still arrives.
        received = server.recv(timeout=5.0)
        assert received is not None and received.peer == b"evil" and received.message["id"] == 5
        assert server.dropped == len(HOSTILE_MESSAGES) + 1 + flood
        assert "coordinator dropped a message from 'evil'" in caplog.text
    finally:
        hostile.close()
        server.close()


@pytest.mark.parametrize(
    "address, loopback",
    [
        ("tcp://127.0.0.1:*", True), ("tcp://127.0.0.2:5555", True), ("tcp://localhost:1", True),
        ("tcp://[::1]:1", True), ("ipc:///tmp/graphoid.sock", True), ("inproc://x", True),
        ("tcp://0.0.0.0:5555", False), ("tcp://*:5555", False), ("tcp://10.1.2.3:5555", False),
        ("tcp://eth0:5555", False), ("tcp://example.org:1", False), ("udp://127.0.0.1:1", False),
    ],
)
def test_loopback_classification(address, loopback):
    assert is_loopback(address) is loopback


@pytest.mark.parametrize("address", ["tcp://0.0.0.0:*", "tcp://*:*", "tcp://10.1.2.3:5555"])
def test_non_loopback_bind_without_curve_is_refused(context, address):
    with pytest.raises(GraphoidError, match="refusing to bind .* without CURVE keys") as caught:
        bind_router(context, address, "coordinator")
    assert caught.value.kind == "NetworkError"


def test_non_loopback_bind_is_allowed_with_curve(tmp_path):
    generate_keys(tmp_path, "server")
    check_bind_address("tcp://0.0.0.0:5555", CurveServer(load_keys(tmp_path / "server.key_secret")))


def test_bind_failure_is_a_clear_error(context):
    first = bind_router(context, "tcp://127.0.0.1:*", "a")
    try:
        with pytest.raises(GraphoidError, match=f"cannot bind {first.address}: Address already in use"):
            bind_router(context, first.address, "b")
    finally:
        first.close()


def test_curve_handshake_on_loopback(context, tmp_path):
    keys = tmp_path / "keys"
    server_public, server_secret = generate_keys(keys, "server")
    _, client_secret = generate_keys(keys, "client")
    assert oct(server_secret.stat().st_mode & 0o777) == "0o600"
    server_keys = load_keys(server_secret)
    assert load_keys(server_public) == type(server_keys)(server_keys.public, None)
    server = bind_router(context, "tcp://127.0.0.1:*", "coordinator", curve=CurveServer(server_keys))
    client = connect_dealer(context, server.address, "0",
                            curve=CurveClient(load_keys(client_secret), server_keys.public))
    try:
        client.send("HEARTBEAT")
        request = server.recv(timeout=5.0)
        assert request is not None and request.peer == b"0"
        server.reply(request, "HEARTBEAT")
        assert client.recv(timeout=5.0) is not None
        assert server.socket.curve_server
    finally:
        client.close()
        server.close()


def test_curve_rejects_a_client_with_the_wrong_server_key(context, tmp_path):
    generate_keys(tmp_path, "server")
    generate_keys(tmp_path, "impostor")
    generate_keys(tmp_path, "client")
    server = bind_router(context, "tcp://127.0.0.1:*", "coordinator",
                         curve=CurveServer(load_keys(tmp_path / "server.key_secret")))
    wrong = load_keys(tmp_path / "impostor.key").public
    client = connect_dealer(context, server.address, "0",
                            curve=CurveClient(load_keys(tmp_path / "client.key_secret"), wrong))
    try:
        client.send("HEARTBEAT")
        assert server.recv(timeout=0.5) is None
    finally:
        client.close()
        server.close()


def send_when_connected(endpoint, message_type: str, within: float) -> None:
    """Send once the endpoint's connection is up (retrying while it finds no peer)."""
    deadline = time.monotonic() + within
    while True:
        try:
            endpoint.send(message_type)
            return
        except PeerUnreachable:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def test_curve_allows_only_authorized_clients(context, tmp_path):
    generate_keys(tmp_path / "server", "server")
    generate_keys(tmp_path / "clients", "friend")
    generate_keys(tmp_path / "others", "stranger")
    server_keys = load_keys(tmp_path / "server" / "server.key_secret")
    authorized = tmp_path / "authorized"
    authorized.mkdir()
    (authorized / "friend.key").write_bytes((tmp_path / "clients" / "friend.key").read_bytes())
    server = bind_router(context, "tcp://127.0.0.1:*", "coordinator",
                         curve=CurveServer(server_keys, authorized_clients=authorized))
    friend = connect_dealer(context, server.address, "friend",
                            curve=CurveClient(load_keys(tmp_path / "clients" / "friend.key_secret"), server_keys.public))
    stranger = connect_dealer(context, server.address, "stranger",
                              curve=CurveClient(load_keys(tmp_path / "others" / "stranger.key_secret"),
                                                server_keys.public))
    try:
        # A refused handshake leaves the stranger no connection to queue on (and the friend's may
        # still be in progress on a busy machine): a send finds no peer until it completes.
        with contextlib.suppress(PeerUnreachable):
            stranger.send("HEARTBEAT")
        send_when_connected(friend, "HEARTBEAT", within=5.0)
        first = server.recv(timeout=5.0)
        assert first is not None and first.peer == b"friend"
        assert server.recv(timeout=0.5) is None
    finally:
        friend.close()
        stranger.close()
        server.close()


def test_key_file_errors_are_clear(tmp_path):
    with pytest.raises(GraphoidError, match="cannot read CURVE key file .*missing.key"):
        load_keys(tmp_path / "missing.key")
    (tmp_path / "bad.key").write_text("not a key\n")
    with pytest.raises(GraphoidError, match="bad.key: No public key found"):
        load_keys(tmp_path / "bad.key")
    (tmp_path / "short.key").write_text('curve\n    public-key = "tooshort"\n')
    with pytest.raises(GraphoidError, match="short.key does not hold a z85 CURVE key"):
        load_keys(tmp_path / "short.key")
    public, _ = generate_keys(tmp_path, "only")
    with pytest.raises(GraphoidError, match="CURVE needs a secret key file"):
        bind_router(zmq.Context.instance(), "tcp://127.0.0.1:*", "c", curve=CurveServer(load_keys(public)))


# ----------------------------------------------------------------------------- a worker against a fake coordinator


def start_worker(reap, address: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "graphoid.distributed.worker", "--connect", address, *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    reap.append(process.pid)
    return process


def test_worker_says_hello_answers_pings_and_leaves_on_shutdown(context, reap):
    coordinator = bind_router(context, "tcp://127.0.0.1:*", "coordinator")
    try:
        worker = start_worker(reap, coordinator.address, "--id", "w-1")
        hello = coordinator.recv(timeout=15.0)
        assert hello is not None and hello.message.type == "HELLO" and hello.peer == b"w-1"
        assert hello.message["worker"] == "w-1" and hello.message["pid"] == worker.pid
        assert hello.message["data"].startswith("tcp://127.0.0.1:")
        coordinator.reply(hello, "WELCOME", interval=0.5, misses=3)
        ping_id = coordinator.send("HEARTBEAT", to=b"w-1")
        pong = coordinator.recv(timeout=5.0)
        assert pong is not None and (pong.message.type, pong.message["re"]) == ("HEARTBEAT", ping_id)
        coordinator.send("SHUTDOWN", to=b"w-1", reason="test")
        bye = coordinator.recv(timeout=5.0)
        assert bye is not None and (bye.message.type, bye.message["reason"]) == ("BYE", "test")
        assert worker.wait(timeout=5.0) == 0
    finally:
        coordinator.close()


def test_worker_exits_when_the_coordinator_goes_silent(context, reap):
    coordinator = bind_router(context, "tcp://127.0.0.1:*", "coordinator")
    try:
        worker = start_worker(reap, coordinator.address, "--id", "0")
        hello = coordinator.recv(timeout=15.0)
        assert hello is not None
        coordinator.reply(hello, "WELCOME", interval=0.1, misses=3)
        assert worker.wait(timeout=10.0) == 70
        assert "stopping: the coordinator stopped answering" in worker.stderr.read()
    finally:
        coordinator.close()


def test_worker_data_socket_survives_hostile_peers(context, reap):
    coordinator = bind_router(context, "tcp://127.0.0.1:*", "coordinator")
    try:
        worker = start_worker(reap, coordinator.address, "--id", "0")
        hello = coordinator.recv(timeout=15.0)
        assert hello is not None
        coordinator.reply(hello, "WELCOME", interval=0.5, misses=20)
        hostile = raw_dealer(context, hello.message["data"], b"evil")
        for frames in HOSTILE_MESSAGES + [pack(Message.new("FETCH", src="evil", id=1, oid="o"))]:
            hostile.send_multipart(frames)
        peer = connect_dealer(context, hello.message["data"], "1")
        ping_id = peer.send("HEARTBEAT")
        pong = peer.recv(timeout=5.0)
        assert pong is not None and (pong.message.type, pong.message["re"]) == ("HEARTBEAT", ping_id)
        # The control plane still works too.
        ping_id = coordinator.send("HEARTBEAT", to=b"0")
        pong = coordinator.recv(timeout=5.0)
        assert pong is not None and pong.message["re"] == ping_id
        # The valid FETCH (of no run) reached the worker's core, which answered NOT_FOUND.
        assert hostile.poll(5000)
        answer = unpack(hostile.recv_multipart())
        assert (answer.type, answer["oid"]) == ("NOT_FOUND", "o")
        hostile.close()
        peer.close()
        coordinator.send("SHUTDOWN", to=b"0")
        assert worker.wait(timeout=5.0) == 0
        stderr = worker.stderr.read()
        assert stderr.count("0 dropped a message from 'evil'") == len(HOSTILE_MESSAGES)
        assert "Traceback" not in stderr
    finally:
        coordinator.close()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--id", "a b"], "invalid worker id 'a b'"),
        (["--advertise", "host:5"], "invalid host 'host:5'"),
        (["--id", "0", "--parent-pid", "x"], "invalid int value"),
    ],
)
def test_worker_usage_errors_exit_64(reap, args, message):
    worker = start_worker(reap, "tcp://127.0.0.1:9", *args)
    assert worker.wait(timeout=15.0) == 64
    assert message in worker.stderr.read()


def test_worker_refuses_to_start_when_its_driver_is_gone(reap):
    worker = start_worker(reap, "tcp://127.0.0.1:9", "--id", "0", "--parent-pid", "1")
    assert worker.wait(timeout=15.0) == 70
    assert "the driver (pid 1) exited before this worker started" in worker.stderr.read()


# ----------------------------------------------------------------------------- processes


def test_print_line_prefixes_each_line(capsys):
    print_line("3", "stdout", "hello")
    print_line("3", "stderr", "oops")
    assert capsys.readouterr() == ("[worker 3] hello\n", "[worker 3] oops\n")


def test_describe_exit():
    assert describe_exit(0) == "exited with code 0"
    assert describe_exit(-9) == "killed by SIGKILL"
    assert describe_exit(64) == "exited with code 64"


def test_worker_output_is_forwarded_line_by_line(reap):
    collected = []
    group = WorkerGroup.start(["4"], "tcp://127.0.0.1:9", extra_args=["--id", "bad id"],
                              sink=lambda *line: collected.append(line))
    reap.extend(group.pids)
    assert group.wait(15.0)
    group.stop()
    assert group.exited() == [("4", 64)]
    assert all(worker == "4" and stream == "stderr" for worker, stream, _ in collected)
    text = [line for _, _, line in collected]
    assert text[0].startswith("usage: python -m graphoid.distributed.worker")
    assert text[-1].endswith("invalid worker id 'bad id' (letters, digits, _ and -, at most 64)")


# ----------------------------------------------------------------------------- the coordinator


def test_two_workers_start_and_shut_down_cleanly(cluster, lines):
    coordinator = cluster(2)
    workers = coordinator.workers
    assert sorted(workers) == ["0", "1"]
    assert sorted(info.pid for info in workers.values()) == sorted(coordinator.pids)
    assert all(info.data_address.startswith("tcp://127.0.0.1:") for info in workers.values())
    coordinator.close(grace=5.0)
    assert wait_until_gone(coordinator.pids, 5.0) == []
    assert coordinator.lost_workers() == []
    assert lines == []  # nothing printed: each worker left on SHUTDOWN, no warnings


def test_a_killed_worker_is_reported_dead_naming_it(cluster):
    reports: list[WorkerLost] = []
    coordinator = cluster(2, on_lost=reports.append)
    victim = coordinator.workers["1"].pid
    os.kill(victim, signal.SIGKILL)
    lost = coordinator.wait_lost(timeout=5.0)
    assert lost == [WorkerLost("1", f"(pid {victim}) killed by SIGKILL")] == reports
    with pytest.raises(GraphoidError, match=rf"worker 1 \(pid {victim}\) killed by SIGKILL") as caught:
        coordinator.raise_if_lost()
    assert caught.value.kind == "WorkerLostError"


def test_a_frozen_worker_is_declared_dead_by_missed_heartbeats(cluster):
    coordinator = cluster(2)
    frozen = coordinator.workers["0"].pid
    os.kill(frozen, signal.SIGSTOP)
    try:
        lost = coordinator.wait_lost(timeout=10.0)
        assert [item.worker_id for item in lost] == ["0"]
        assert lost[0].reason.startswith(f"(pid {frozen}) no heartbeat for ")
    finally:
        os.kill(frozen, signal.SIGCONT)


def test_start_timeout_names_the_missing_workers(cluster, reap):
    # The workers are pointed elsewhere, so they run but never say HELLO.
    with pytest.raises(GraphoidError, match=r"workers 0, 1 did not connect within 1 s \(0 of 2 arrived\)"):
        cluster(2, start_timeout=1.0, worker_args=["--connect", "tcp://127.0.0.1:9"])


def test_a_worker_that_dies_at_start_fails_the_start_with_its_exit(cluster, lines):
    with pytest.raises(GraphoidError, match=r"worker 0 \(pid \d+\) exited with code 64 before connecting"):
        cluster(1, worker_args=["--no-such-flag"])
    assert any("unrecognized arguments: --no-such-flag" in line for _, _, line in lines)


def test_coordinator_refuses_a_public_bind_and_starts_nothing(cluster):
    with pytest.raises(GraphoidError, match="refusing to bind tcp://0.0.0.0:\\* without CURVE keys"):
        cluster(1, bind="tcp://0.0.0.0:*")


def test_zero_workers_is_a_value_error():
    with pytest.raises(GraphoidError, match="at least 1 worker, got 0"):
        Coordinator(0)


def test_hostile_client_cannot_disturb_the_coordinator(cluster, context):
    coordinator = cluster(1)
    hostile = raw_dealer(context, coordinator.control_address, b"evil")
    try:
        for frames in HOSTILE_MESSAGES + [[MAGIC, header("HELLO", worker="0", data="x", pid=1)],
                                           [MAGIC, header("HEARTBEAT")]]:
            hostile.send_multipart(frames)
        # Heartbeats keep flowing: the worker stays alive across several timeouts.
        assert coordinator.wait_lost(timeout=1.5 * coordinator.liveness.timeout) == []
        assert coordinator.dropped_messages == len(HOSTILE_MESSAGES)
        # Valid messages are still handled: a clean SHUTDOWN / BYE round.
        coordinator.close(grace=5.0)
        assert wait_until_gone(coordinator.pids, 5.0) == []
        assert coordinator.lost_workers() == []
    finally:
        hostile.close()


# ----------------------------------------------------------------------------- driver death


DRIVER = textwrap.dedent("""
    import json, sys, time
    from graphoid.distributed.coordinator import Coordinator
    from graphoid.distributed.membership import LivenessConfig
    from graphoid.errors import GraphoidError

    mode, interval = sys.argv[1], float(sys.argv[2])
    coordinator = Coordinator(2, liveness=LivenessConfig(interval=interval, misses=3)).start()
    print(json.dumps(coordinator.pids), flush=True)
    if mode == "raise":
        raise GraphoidError("RuntimeError", "the program failed")
    if mode == "wait":
        time.sleep(120)
""")


@pytest.mark.parametrize(
    "mode, signum",
    [("exit", None), ("raise", None), ("wait", signal.SIGINT), ("wait", signal.SIGTERM), ("wait", signal.SIGKILL)],
)
def test_workers_end_with_their_driver(reap, tmp_path, mode, signum):
    script = tmp_path / "driver.py"
    script.write_text(DRIVER)
    # Heartbeats are slowed to 30 s of silence so only the exit paths under test can end the
    # workers within the 5 s below (for SIGKILL on Linux: the parent-death signal).
    driver = subprocess.Popen(
        [sys.executable, str(script), mode, "10.0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    reap.append(driver.pid)
    pids = json.loads(driver.stdout.readline())
    reap.extend(pids)
    assert len(pids) == 2 and all(is_running(pid) for pid in pids)
    if signum is not None:
        os.kill(driver.pid, signum)
    returncode = driver.wait(timeout=15.0)
    assert wait_until_gone(pids, 5.0) == []
    if signum in (signal.SIGTERM, signal.SIGKILL):
        assert returncode == -signum  # the driver still dies of the signal, after stopping its workers
    elif mode == "raise":
        assert "GraphoidError: RuntimeError: the program failed" in driver.stderr.read()


def test_the_inbox_wakes_the_caller_at_release_for_staged_messages_and_at_once_otherwise():
    from graphoid.distributed.executor.cluster import Inbox

    inbox = Inbox()
    heartbeat = Message.new("HEARTBEAT", src="0", id=1)
    inbox.stage("0", heartbeat)
    inbox.stage("1", heartbeat)
    assert not inbox.arrived.is_set() and inbox.queue.qsize() == 2  # queued: a caller that looks finds them
    inbox.release()
    assert inbox.arrived.is_set()
    inbox.arrived.clear()
    inbox.release()  # nothing staged since: no wake-up
    assert not inbox.arrived.is_set()
    inbox.lost(WorkerLost("1", "exited"))  # a loss wakes the caller at once
    assert inbox.arrived.is_set()
    assert [inbox.queue.get_nowait()[0] for _ in range(3)] == ["0", "1", "1"]
