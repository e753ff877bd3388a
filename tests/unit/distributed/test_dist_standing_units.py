"""Standing clusters without processes: routing fields, advertised addresses, key directories."""

from __future__ import annotations

import pytest

from graphoid.distributed.keys import ClusterKeys
from graphoid.distributed.protocol import Message, ProtocolError, pack, unpack
from graphoid.distributed.transport import generate_keys
from graphoid.distributed.worker import advertised, parse_args
from graphoid.errors import GraphoidError


@pytest.mark.parametrize("message", [
    Message.new("SUBMIT", src="coordinator", id=1, run="r", task="t", drv="driver-1"),
    Message.new("DONE", src="0", id=2, run="r", task="t", wkr="0"),
    Message.new("STEP_BEGIN", src="coordinator", id=3, graph="g", call=1, step=0, part=0, collect=True, drv="d"),
])
def test_every_message_type_may_carry_the_routing_fields(message):
    assert unpack(pack(message)) == message


@pytest.mark.parametrize("fields", [{"drv": 7}, {"wkr": None}, {"drv": b"bytes"}])
def test_mistyped_routing_fields_are_refused(fields):
    with pytest.raises(ProtocolError, match="must be str"):
        pack(Message.new("HEARTBEAT", src="0", id=1, **fields))


def test_advertised_replaces_the_host_and_keeps_the_port():
    assert advertised("tcp://0.0.0.0:5601", "10.0.0.7") == "tcp://10.0.0.7:5601"
    with pytest.raises(GraphoidError, match="needs a tcp:// data address"):
        advertised("ipc:///tmp/x", "host")


def test_worker_id_is_optional_and_advertise_takes_a_host():
    args = parse_args(["--connect", "tcp://h:1", "--advertise", "worker-7.lan", "--bind", "tcp://0.0.0.0:*"])
    assert (args.id, args.advertise, args.data_bind) == (None, "worker-7.lan", "tcp://0.0.0.0:*")


def test_cluster_keys_name_what_is_missing(tmp_path):
    with pytest.raises(GraphoidError, match="does not exist"):
        ClusterKeys.load(tmp_path / "nowhere")
    generate_keys(tmp_path, "coordinator")
    with pytest.raises(GraphoidError, match="client.key_secret"):
        ClusterKeys.load(tmp_path)
    generate_keys(tmp_path, "client")
    (tmp_path / "coordinator.key_secret").unlink()
    keys = ClusterKeys.load(tmp_path)
    assert keys.client().server_public == keys.coordinator_public
    assert keys.data_client().server_public == keys.member.public
    with pytest.raises(GraphoidError, match="the coordinator needs its secret key"):
        keys.server()


@pytest.mark.parametrize("options, message", [
    ({"address": 5}, "address: must be a non-empty string"),
    ({"keys": ""}, "keys: must be a non-empty string"),
    ({"adress": "tcp://h:1"}, "no setting 'adress' (workers, executor, address, keys)"),
])
def test_configure_checks_the_cluster_settings(options, message):
    from graphoid.distributed.session import Session

    with pytest.raises(GraphoidError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Session(None).configure(options)


def test_an_address_with_workers_is_refused_when_the_executor_starts(monkeypatch):
    from graphoid.distributed.session import Session

    monkeypatch.delenv("GRAPHOID_EXECUTOR", raising=False)
    session = Session(None)
    session.configure({"address": "tcp://127.0.0.1:9", "workers": 2})
    with pytest.raises(GraphoidError, match="workers: cannot be set with address"):
        session.executor()
