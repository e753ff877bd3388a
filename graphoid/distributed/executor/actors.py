"""Mixed into MessageDriver: the driver's side of actors on workers (distributed/actors.py).

Spawning and requests are questions answered by the worker (ACTOR_READY, ACTOR_REPLY, matched
by question number like READ_REPLY); sends are fire and forget. Messages to one actor leave in
call order over one connection, so the worker's core sees them in that order.
"""

from __future__ import annotations

from typing import Any

from graphoid.concurrency.actors import ActorAddress
from graphoid.distributed.codec import encode
from graphoid.distributed.executor.messaging import ReadReply
from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Graph

WORKER_LOST = "WorkerLostError"


class ActorDriver:
    """It uses MessageDriver's _state, _deliver, _message, _wait_until, _ask, _reads, ..."""

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

    def actor_send(self, address: ActorAddress, run_id: str, message: Any) -> None:
        with self._state:  # type: ignore[attr-defined]
            self._check_alive(address)
            data = encode(message, functions=self._require_program())  # type: ignore[attr-defined]
            request = self._message("ACTOR_SEND", run=run_id, actor=address.actor_id,  # type: ignore[attr-defined]
                                    payload=[data])
            self._deliver([(address.location, request)])  # type: ignore[attr-defined]

    def actor_request(self, address: ActorAddress, run_id: str, message: Any) -> Any:
        """on_message's answer; its error carries `raised_on` (the worker)."""
        with self._state:  # type: ignore[attr-defined]
            self._check_alive(address)
            data = encode(message, functions=self._require_program())  # type: ignore[attr-defined]
            return self._actor_question(address.location, "ACTOR_REQUEST", run_id, address.actor_id, data,
                                        address.label)

    def actor_close(self, address: ActorAddress, run_id: str) -> None:
        with self._state:  # type: ignore[attr-defined]
            if address.location in self.worker_ids:  # type: ignore[attr-defined]
                request = self._message("ACTOR_CLOSE", run=run_id, actor=address.actor_id)  # type: ignore[attr-defined]
                self._deliver([(address.location, request)])  # type: ignore[attr-defined]

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

    def _check_alive(self, address: ActorAddress) -> None:
        if address.location not in self.worker_ids:  # type: ignore[attr-defined]
            raise GraphoidError(WORKER_LOST, f"actor {address.label} is lost with its worker {address.location}: "
                                             f"{self._lost.get(address.location, 'not a live worker')}")  # type: ignore[attr-defined]
