"""The executor over a standing cluster (`graphoid run --cluster ADDR`, GRAPHOID_CLUSTER).

The same MessageDriver logic as the other executors; only the transport differs: messages go
through a ClusterClient (client.py) to the standing coordinator, which relays them to the
workers under this driver's tag and relays the answers back (relay.py). Objects still move
worker to worker. The workers are those alive when the driver attaches; closing the executor
detaches, and the workers free everything this driver left on them.

    with StandingClusterExecutor("tcp://10.0.0.5:5555", keys=ClusterKeys.load("keys")) as executor:
        executor.load_program(interp)
"""

from __future__ import annotations

from graphoid.distributed.actors import ACTOR_MESSAGE_TYPES
from graphoid.distributed.client import ClusterClient, worker_messages
from graphoid.distributed.coordinator import WorkerLost
from graphoid.distributed.executor.base import Parallelism
from graphoid.distributed.executor.cluster import Inbox, QueuedDriver
from graphoid.distributed.executor.driver import Outbound
from graphoid.distributed.keys import ClusterKeys
from graphoid.distributed.protocol import Message


class StandingClusterExecutor(QueuedDriver):
    """A driver attached to the standing cluster at `address` (see the module docstring)."""

    def __init__(
        self,
        address: str,
        *,
        keys: ClusterKeys | None = None,
        parallelism: Parallelism = Parallelism(),
        attach_timeout: float = 5.0,
    ) -> None:
        inbox = self._inbox = Inbox()
        self.client = ClusterClient(
            address, on_message=self._on_message, on_lost=self._on_lost, curve=keys.client() if keys else None,
            attach_timeout=attach_timeout,
        )
        workers = self.client.attach()
        super().__init__(sorted(workers, key=lambda worker: (len(worker), worker)), parallelism, inbox)
        self._send_peers(workers)

    @property
    def driver_id(self) -> str:
        return self.client.driver_id

    def _on_message(self, worker_id: str, message: Message) -> None:
        """On the client's loop thread: actor messages go to the actor host at once (its mailbox
        or a waiting requester), the rest to the inbox for the waiting caller."""
        if message.type in ACTOR_MESSAGE_TYPES:
            self.actor_host.accept(message)
        else:
            self._inbox.put(worker_id, message)

    def _on_lost(self, lost: WorkerLost) -> None:
        self._inbox.lost(lost)
        self._actors_lost(lost.worker_id, lost.reason)  # requests waiting for its actors fail now

    def _post_actor_message(self, to: str, message: Message) -> None:
        self._deliver([(to, message)])

    def _deliver(self, messages: list[Outbound]) -> None:
        self.client.send_batch(worker_messages(messages))

    def close(self) -> None:
        self.client.close()
