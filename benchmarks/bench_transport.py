"""Transport overhead: protocol Endpoints against raw pyzmq + msgpack over the same loopback sockets.

Run: python benchmarks/bench_transport.py [--reps N]
Both sides send a burst of messages DEALER -> ROUTER on tcp://127.0.0.1 and receive them all
(one thread, so the figures are per-message costs, not cross-process throughput: PERF_STUDY §1a
has those). Cases: small control messages one by one, and STEP_MSGS batches of 1000 floats.
"""

from __future__ import annotations

import argparse
import sys
from array import array
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import msgpack  # noqa: E402
import zmq  # noqa: E402
from harness import paired  # noqa: E402

from graphoid.distributed.transport import bind_router, connect_dealer  # noqa: E402

BURST = 2000
BATCH = array("d", range(1000)).tobytes()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=5)
    reps = parser.parse_args().reps
    context = zmq.Context()
    server = bind_router(context, "tcp://127.0.0.1:*", "coordinator")
    client = connect_dealer(context, server.address, "0")
    raw_server = context.socket(zmq.ROUTER)
    raw_server.bind("tcp://127.0.0.1:*")
    raw_client = context.socket(zmq.DEALER)
    raw_client.connect(raw_server.getsockopt_string(zmq.LAST_ENDPOINT))

    def endpoint_burst(message_type: str, payload: tuple[bytes, ...], **fields: object) -> None:
        for _ in range(BURST):
            client.send(message_type, payload=payload, **fields)
        for _ in range(BURST):
            server.recv(timeout=5.0)

    def raw_burst(header: dict, payload: tuple[bytes, ...]) -> None:
        for _ in range(BURST):
            raw_client.send_multipart([b"GDW1", msgpack.packb(header), *payload], copy=False)
        for _ in range(BURST):
            frames = raw_server.recv_multipart()
            msgpack.unpackb(frames[2])

    small = {"t": "HEARTBEAT", "run": None, "ep": 0, "src": "0", "id": 1, "re": None}
    batch = {**small, "t": "STEP_MSGS", "graph": "g", "step": 1, "part": 0, "count": 1000}
    results = [
        paired(f"{BURST} control messages", lambda: endpoint_burst("HEARTBEAT", ()), lambda: raw_burst(small, ()),
               reps),
        paired(f"{BURST} batches of 1000 floats",
               lambda: endpoint_burst("STEP_MSGS", (BATCH,), graph="g", step=1, part=0, count=1000),
               lambda: raw_burst(batch, (BATCH,)), reps),
    ]
    for result in results:
        print(result.line().replace("graphoid", "endpoint"))
    for socket in (raw_client, raw_server):
        socket.close(linger=0)
    client.close()
    server.close()
    context.term()


if __name__ == "__main__":
    main()
