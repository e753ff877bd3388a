"""The driver side of partitions the workers make themselves (worker side: ../loading.py):
load_edges (each worker reads a byte range of the file; the driver sends paths and offsets
and receives counts, never edges) and the graph store (each worker writes and reads the
files of its own partitions; the driver keeps the manifest). A mixin of MessageDriver.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Callable, Sequence

import msgpack

from graphoid.distributed.edgelist import byte_ranges
from graphoid.distributed.graphstore import Manifest, partition_file
from graphoid.distributed.loading import owners_frame
from graphoid.distributed.partition import Partitioning
from graphoid.distributed.protocol import Message
from graphoid.distributed.registry import GraphPlacement
from graphoid.errors import GraphoidError

if TYPE_CHECKING:
    from graphoid.distributed.executor.driver import MessageDriver, Reply

    _Base = MessageDriver
else:
    _Base = object


class GraphLoadingDriver(_Base):
    """load_edges, save_graph and load_saved over the driver's messages."""

    def load_edges(self, name: str, path: str, directed: bool, count: int) -> tuple[GraphPlacement, int, int]:
        """Partitions of the edge list at `path` made on the workers; the placement, node and edge counts."""
        with self._state:
            exporter = self._require_program()
            live = self._live()
            path = os.path.abspath(path)
            ranges = byte_ranges(path, len(live))
            partitioning = Partitioning.by_hash(count)
            owners = tuple(live[index % len(live)] for index in range(count))
            epoch = self._next_epoch(name)
            frame = owners_frame(owners)
            batch = [
                (worker, self._message("EDGES_READ", graph=name, epoch=epoch, bundle=exporter.bundle.hash, path=path,
                                       start=start, end=end, range=number, ranges=len(ranges), directed=directed,
                                       payload=[frame]))
                for number, (worker, (start, end)) in enumerate(zip(live, ranges))
            ]
            replies = self._await_partitions(name, owners, epoch, lambda: self._deliver(batch))
            nodes = edges = 0
            for reply in replies:
                owned, cut = _counts(reply.value)
                nodes += owned
                edges += cut
            placement = GraphPlacement(name, partitioning, owners, epoch)
            self.partitions.place(placement)
            return placement, nodes, edges

    def save_graph(self, name: str, directory: str) -> list[tuple[str, int, str]]:
        """Each partition of graph `name` written by its worker into `directory`: [(file, bytes, digest)]."""
        with self._state:
            placement = self.partitions.get(name)
            if placement.partitioning.strategy == "function":
                raise GraphoidError("ValueError", f"graph '{name}' is partitioned by a function, which belongs to "
                                                  "this program: save a graph partitioned by :hash or :range")
            losses = self._losses()
            replies: list[Reply] = []
            batch = []
            for index, owner in enumerate(placement.owners):
                if owner in self._lost:
                    raise GraphoidError("WorkerLostError", f"partition {index} of graph '{name}' was lost with "
                                                           f"worker {owner}")
                replies.append(self._reply_for(("save", owner, name, index), owner))
                batch.append((owner, self._message("GRAPH_SAVE", graph=name, part=index,
                                                   path=partition_file(directory, index))))
            try:
                self._deliver(batch)
                self._wait_until(lambda: all(reply.arrived for reply in replies), losses)
            finally:
                for index, owner in enumerate(placement.owners):
                    self._requests.pop(("save", owner, name, index), None)
            files = []
            for index, reply in enumerate(replies):
                if reply.error is not None:
                    raise reply.error
                size, digest = _saved(reply.value)
                files.append((os.path.basename(partition_file(directory, index)), size, digest))
            return files

    def load_saved(self, name: str, directory: str, manifest: Manifest) -> GraphPlacement:
        """The saved partitions placed on the workers, each read by the worker it is placed on."""
        with self._state:
            exporter = self._require_program()
            live = self._live()
            count = manifest.partitioning.count
            owners = tuple(live[index % len(live)] for index in range(count))
            epoch = self._next_epoch(name)
            batch = [
                (owner, self._message("GRAPH_READ", graph=name, part=index, epoch=epoch, bundle=exporter.bundle.hash,
                                      path=os.path.join(directory, file), bytes=size, digest=digest))
                for index, (owner, (file, size, digest)) in enumerate(zip(owners, manifest.files))
            ]
            self._await_partitions(name, owners, epoch, lambda: self._deliver(batch))
            placement = GraphPlacement(name, manifest.partitioning, owners, epoch)
            self.partitions.place(placement)
            return placement

    # ------------------------------------------------------------------------- helpers

    def _next_epoch(self, name: str) -> int:
        try:
            return self.partitions.get(name).epoch + 1
        except GraphoidError:
            return 0

    def _reply_for(self, key: tuple, worker: str) -> "Reply":
        # imported here: driver.py imports this mixin
        from graphoid.distributed.executor.driver import Reply

        reply = self._requests[key] = Reply(worker)
        return reply

    def _await_partitions(self, name: str, owners: Sequence[str], epoch: int, send: Callable[[], None]) -> list["Reply"]:
        """Wait for every partition's PARTITION_READY; on any failure the workers drop what they
        built of `name` and the first failure (in partition order) is raised."""
        losses = self._losses()
        keys = [("partition", owner, name, index, epoch) for index, owner in enumerate(owners)]
        replies = [self._reply_for(key, key[1]) for key in keys]
        try:
            send()
            self._wait_until(lambda: all(reply.arrived for reply in replies), losses)
        finally:
            for key in keys:
                self._requests.pop(key, None)
        failed = next((reply.error for reply in replies if reply.error is not None), None)
        if failed is not None:
            self._forget(name)
            raise failed
        return replies

    def _forget(self, name: str) -> None:
        """Drop graph `name` everywhere after a failed load (its partitions may be half replaced)."""
        try:
            self.partitions.drop(name)
        except GraphoidError:
            pass  # no earlier graph of that name
        self._deliver([(worker, self._message("DROP_GRAPH", graph=name)) for worker in self._live()])

    def _on_saved(self, worker_id: str, message: Message) -> None:
        reply = self._requests.get(("save", worker_id, message["graph"], message["part"]))
        if reply is None or reply.arrived:
            return
        reply.arrived = True
        if message.header.get("failed"):
            from graphoid.distributed.executor.driver import _remote_error

            reply.error = _remote_error(worker_id, message)
        else:
            reply.value = message.payload


def _counts(payload: Any) -> tuple[int, int]:
    try:
        owned, edges = msgpack.unpackb(payload[0], raw=False)
    except Exception:  # a malformed reply: a worker bug, reported as such
        raise GraphoidError("ProtocolError", "a worker reported malformed partition counts") from None
    if type(owned) is not int or type(edges) is not int:
        raise GraphoidError("ProtocolError", "a worker reported malformed partition counts")
    return owned, edges


def _saved(payload: Any) -> tuple[int, str]:
    try:
        size, digest = msgpack.unpackb(payload[0], raw=False)
    except Exception:  # a malformed reply: a worker bug, reported as such
        raise GraphoidError("ProtocolError", "a worker reported a malformed save") from None
    if type(size) is not int or type(digest) is not str:
        raise GraphoidError("ProtocolError", "a worker reported a malformed save")
    return size, digest
