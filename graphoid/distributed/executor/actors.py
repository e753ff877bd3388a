"""Mixed into MessageDriver: the driver's side of actors on workers (distributed/actors.py).

Spawning is a question the worker's core answers (ACTOR_READY, matched by question number like
READ_REPLY). Messages to actors go through the driver's ActorHost (`actor_host`, `actor_wire`):
the transport posts them at once and hands what arrives to `actor_host.accept` on its own thread.
"""

from __future__ import annotations

from typing import Any

from graphoid.distributed.actors import ActorHost, ActorWire
from graphoid.distributed.codec import encode
from graphoid.distributed.core import COORDINATOR
from graphoid.distributed.executor.messaging import ReadReply
from graphoid.errors import GraphoidError
from graphoid.distributed.protocol import Message
from graphoid.graphs.graph import Graph

WORKER_LOST = "WorkerLostError"


class ActorDriver:
    """It uses MessageDriver's _state, _deliver, _message, _wait_until, _ask, _reads, ..."""

    def _actors_init(self) -> None:
        self.actor_host = ActorHost(COORDINATOR, COORDINATOR)
        self.actor_host.post = self._post_actor_message
        # handles in values the driver sends or receives: encoded with the loaded program
        self.actor_wire = ActorWire(self.actor_host, self._encode_value, self._decode)  # type: ignore[attr-defined]

    def _encode_value(self, value: Any) -> bytes:
        return encode(value, functions=self._require_program())  # type: ignore[attr-defined]

    def _post_actor_message(self, to: str, message: Message) -> None:
        """Send an actor message at once, from any thread (the transport's part)."""
        raise NotImplementedError

    def _actors_lost(self, worker_id: str, reason: str) -> None:
        """Requests waiting for `worker_id` fail, here and on the other workers (any thread:
        it takes no lock of the driver's)."""
        why = f"worker {worker_id} {reason}"
        if self.actor_host.peer_lost(worker_id, why):
            for worker in self._all_workers:  # type: ignore[attr-defined]
                if worker != worker_id:
                    self._post_actor_message(worker, self._message("PEER_LOST", worker=worker_id, reason=why))  # type: ignore[attr-defined]

    def place_actor(self, template: Graph, actor_id: int, run_id: str, on: int | None) -> str:
        """Put a copy of `template` on a worker (`on`: its index among the live workers; by
        default the workers take turns); returns the worker id."""
        with self._state:  # type: ignore[attr-defined]
            live = self._live()  # type: ignore[attr-defined]
            if on is None:
                worker = live[actor_id % len(live)]
            elif 0 <= on < len(live):
                worker = live[on]
            else:
                raise GraphoidError("ValueError", f"on: must be a worker index from 0 to {len(live) - 1}, not {on}")
            exporter = self._require_program()  # type: ignore[attr-defined]
            data = encode(template, functions=exporter)
            self._actor_question(worker, "ACTOR_SPAWN", run_id, actor_id, data, f"#{actor_id}",
                                 bundle=exporter.bundle.hash)
            return worker

    def _actor_question(self, worker: str, type: str, run_id: str, actor_id: int, data: bytes, label: str,
                        **fields: Any) -> Any:
        losses = self._losses()  # type: ignore[attr-defined]
        ask = self._ask()  # type: ignore[attr-defined]
        reply = self._reads[ask] = ReadReply()  # type: ignore[attr-defined]
        try:
            request = self._message(type, run=run_id, actor=actor_id, ask=ask,  # type: ignore[attr-defined]
                                    payload=[data], **fields)
            self._deliver([(worker, request)])  # type: ignore[attr-defined]
            self._wait_until(lambda: reply.arrived, losses)  # type: ignore[attr-defined]
        except GraphoidError as error:
            if error.kind == WORKER_LOST:
                raise GraphoidError(WORKER_LOST, f"actor {label} is lost with its worker: {error.message}") from None
            raise
        finally:
            self._reads.pop(ask, None)  # type: ignore[attr-defined]
        if reply.error is not None:
            reply.error.raised_on = worker  # type: ignore[attr-defined]
            raise reply.error
        return reply.value
