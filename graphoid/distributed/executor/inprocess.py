"""N worker cores in this process, every message packed to bytes and back as on the wire.

The same MessageDriver and the same WorkerCore as a cluster; only the transport differs: one
FIFO queue of packed frames, pumped on the caller's thread whenever the driver waits. So the
order of everything is fixed (deterministic tests, readable debugging) and nothing runs at once.

    with InProcessExecutor(2) as executor:
        executor.load_program(interp)
        result = executor.map(fn, {0: items}, 0)
"""

from __future__ import annotations

from collections import deque
from typing import Any, Callable, Sequence

from graphoid.distributed.core import COORDINATOR, WorkerCore
from graphoid.distributed.executor.base import SEQUENTIAL, Parallelism
from graphoid.distributed.executor.driver import MessageDriver, Outbound
from graphoid.distributed.protocol import Message, pack, unpack
from graphoid.errors import GraphoidError
from graphoid.runtime.interpreter import Interpreter


class InProcessExecutor(MessageDriver):
    """Worker cores "0".."n-1" in this process (see the module docstring)."""

    def __init__(
        self,
        workers: int = 2,
        *,
        parallelism: Parallelism = Parallelism(SEQUENTIAL, SEQUENTIAL),
        make_interpreter: Callable[[], Interpreter] = Interpreter,
    ) -> None:
        if type(workers) is not int or workers < 1:
            raise GraphoidError("ValueError", f"an executor needs at least 1 worker, got {workers!r}")
        ids = [str(index) for index in range(workers)]
        super().__init__(ids, parallelism)
        self.cores = {worker_id: WorkerCore(worker_id, make_interpreter) for worker_id in ids}
        for worker_id, core in self.cores.items():
            core.actors.host.post = self._post_actor_message
        # (destination, sender, frames): the driver's messages and the cores' alike
        self._queue: deque[tuple[str, str, list[bytes]]] = deque()

    def _deliver(self, messages: list[Outbound]) -> None:
        for worker_id, message in messages:
            self._queue.append((worker_id, COORDINATOR, pack(message)))

    def _post_actor_message(self, to: str, message: Message) -> None:
        """Actor messages skip the queue: packed and unpacked as on the wire, then handed to the
        receiving side's ActorHost at once, on the posting thread (as a worker's socket thread
        would take them while its core runs a task that waits for the answer)."""
        if to in self._lost or message["src"] in self._lost:
            return  # to or from a worker that is gone: a dead peer's socket drops it
        host = self.actor_host if to == COORDINATOR else self.cores[to].actors.host
        host.accept(unpack(pack(message)))

    def _wait_until(self, ready: Callable[[], bool], losses: int) -> None:
        queue = self._queue
        while not ready():
            self._raise_if_lost_since(losses)
            if not queue:
                raise GraphoidError("RuntimeError", "the in-process executor has nothing left to run but the "
                                                    "operation is not complete (an internal error)")
            destination, sender, frames = queue.popleft()
            message = unpack(frames)
            if destination == COORDINATOR:
                self.receive(sender, message)
                continue
            core = self.cores.get(destination)
            if core is None or destination in self._lost:
                continue  # a message to a worker that is gone, as a dead peer's socket drops it
            for outgoing in core.handle(message):
                queue.append((outgoing.to, destination, pack(outgoing.message)))

    def _flush_deliveries(self) -> None:
        """Handle everything queued (a COMMIT sent at the end of an operation takes effect now,
        as a worker process would apply it at once, not at the next operation)."""
        self._wait_until(lambda: not self._queue, self._losses())

    def wait_tasks(self, tasks: Sequence[Any], count: int, timeout: float | None) -> None:
        """Without a timeout: here a submitted task runs when the driver waits, and every task
        finishes (or fails) within that wait, one message at a time."""
        super().wait_tasks(tasks, count, None)

    def kill(self, worker_id: str) -> None:
        """Lose a worker as if its process died (for tests of the failure paths)."""
        self.worker_lost(worker_id, "was killed")

    def close(self) -> None:
        self._queue.clear()
