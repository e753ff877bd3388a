"""Partitions that a worker makes itself: from an edge list, or from the graph store.

load_edges (EDGES_READ, EDGES_PUSH): each worker parses its byte range of the file, routes the
edges to the partitions they touch (edgelist.route) and pushes each partition's share to the
worker that owns it, worker to worker. An owner adds the shares in range order, so a partition
is built from its edges in file order (the graph a local load would give, cut). A range that
could not be read is pushed as its error instead: every owner still hears from every range, and
reports the first error in file order. When all ranges are in, the owner answers
PARTITION_READY with `[owned nodes, edges]` (an edge is counted by its source's owner).

The store (GRAPH_SAVE, GRAPH_READ): the worker holding a partition writes its file; the worker
a saved partition is placed on reads it (graphstore.py).
"""

from __future__ import annotations

import gc
import logging
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Iterator

import attrs
import msgpack

from graphoid.distributed.codec import decode, encode
from graphoid.distributed.edgelist import EdgeChunk, PartitionBuilder, read_range, route
from graphoid.distributed.graphstore import read_partition, write_partition
from graphoid.distributed.partition import Partition, Partitioning, ship_plan
from graphoid.distributed.protocol import Message
from graphoid.distributed.shipping import LoadedPartition
from graphoid.errors import GraphoidError

if TYPE_CHECKING:
    from graphoid.distributed.core import WorkerCore

LOGGER = logging.getLogger("graphoid.distributed")
COORDINATOR = "coordinator"  # core.COORDINATOR (not imported: core imports this module)
# Edges per EDGES_PUSH frame, and at most this many frames per push (protocol.Limits allows 1024).
PIECE_EDGES = 50_000
MAX_PIECES = 1000


@attrs.define(eq=False)
class OwnedBuild:
    """One partition this worker owns, built from the ranges' shares as they arrive in order."""

    builder: PartitionBuilder
    shares: dict[int, EdgeChunk | GraphoidError] = attrs.field(factory=dict)
    next_range: int = 0
    error: GraphoidError | None = None


@attrs.define(eq=False)
class EdgeLoad:
    """One load_edges on this worker: shares arrive before or after its own EDGES_READ."""

    early: dict[int, dict[int, EdgeChunk | GraphoidError]] = attrs.field(factory=dict)  # part -> range -> share
    builds: dict[int, OwnedBuild] | None = None  # known once EDGES_READ arrived
    ranges: int = 0
    partitioning: Partitioning | None = None
    bundle: str = ""


@contextmanager
def bulk_objects() -> Iterator[None]:
    """Make millions of long-lived objects without cyclic collections, then freeze them out
    of the collector's reach: a full collection over a big partition holds the GIL for seconds
    (the loop thread would miss heartbeats) and would find nothing to free."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


class GraphLoading:
    """The load_edges and graph store handlers of one WorkerCore (installed into its table)."""

    def __init__(self, core: "WorkerCore") -> None:
        self.core = core
        self.loads: dict[tuple[str, int], EdgeLoad] = {}
        core.handlers.update({
            "EDGES_READ": _in_bulk(self._edges_read),
            "EDGES_PUSH": _in_bulk(self._edges_push),
            "GRAPH_SAVE": self._graph_save,
            "GRAPH_READ": _in_bulk(self._graph_read),
        })

    # ------------------------------------------------------------------------- load_edges

    def _edges_read(self, message: Message) -> None:
        graph, epoch = message["graph"], message["epoch"]
        owners = _owners(message.payload)
        if owners is None or not 0 <= message["range"] < message["ranges"]:
            LOGGER.warning("worker %s: dropped a malformed EDGES_READ", self.core.worker_id)
            return
        load = self.loads.setdefault((graph, epoch), EdgeLoad())
        partitioning = Partitioning.by_hash(len(owners))
        load.partitioning, load.ranges, load.bundle = partitioning, message["ranges"], message["bundle"]
        me = self.core.worker_id
        load.builds = {
            part: OwnedBuild(PartitionBuilder(part, partitioning.owner, message["directed"]))
            for part, owner in enumerate(owners) if owner == me
        }
        for part, shares in load.early.items():
            for number, share in shares.items():
                self._share(graph, epoch, load, part, number, share)
        load.early.clear()
        try:
            chunk = read_range(message["path"], message["start"], message["end"])
            routed: list[EdgeChunk | GraphoidError] = list(route(chunk, partitioning.owner, len(owners)))
        except GraphoidError as error:
            routed = [error] * len(owners)
        number = message["range"]
        # the peers' shares leave first (now, not after this handle): an owner adds shares in
        # range order, so the owner of the next range would otherwise wait for our own adds
        for part, (owner, share) in enumerate(zip(owners, routed)):
            if owner == me:
                continue
            if isinstance(share, GraphoidError):
                self.core.send_now(owner, "EDGES_PUSH", graph=graph, epoch=epoch, range=number, part=part, failed=True,
                                   payload=[encode(share)])
            else:
                self._push(owner, graph, epoch, number, part, share)
        for part, (owner, share) in enumerate(zip(owners, routed)):
            if owner == me:
                self._share(graph, epoch, load, part, number, share)

    def _push(self, owner: str, graph: str, epoch: int, number: int, part: int, share: EdgeChunk) -> None:
        try:
            frames = _pack_chunk(share)
        except (OverflowError, ValueError):  # a weight beyond 64 bits cannot travel as msgpack
            error = GraphoidError("ValueError", "an edge weight is too large (more than 64 bits)")
            self.core.send_now(owner, "EDGES_PUSH", graph=graph, epoch=epoch, range=number, part=part, failed=True,
                               payload=[encode(error)])
            return
        self.core.send_now(owner, "EDGES_PUSH", graph=graph, epoch=epoch, range=number, part=part, payload=frames)

    def _edges_push(self, message: Message) -> None:
        graph, epoch, part, number = message["graph"], message["epoch"], message["part"], message["range"]
        share: EdgeChunk | GraphoidError | None
        if message.header.get("failed") and len(message.payload) == 1:
            try:
                error = decode(message.payload[0])
            except GraphoidError:  # an unreadable error is a malformed share
                error = None
            share = error if isinstance(error, GraphoidError) else None
        else:
            share = _unpack_chunk(message.payload)
        if share is None:
            share = GraphoidError("ProtocolError", f"worker {message['src']} pushed a malformed edge share")
        load = self.loads.setdefault((graph, epoch), EdgeLoad())
        if load.builds is None:
            load.early.setdefault(part, {})[number] = share
        else:
            self._share(graph, epoch, load, part, number, share)

    def _share(self, graph: str, epoch: int, load: EdgeLoad, part: int, number: int,
               share: EdgeChunk | GraphoidError) -> None:
        """Add the shares that are next in range order; report the partition once all are in."""
        build = load.builds.get(part) if load.builds is not None else None
        if build is None or not 0 <= number < load.ranges or number in build.shares or number < build.next_range:
            return
        build.shares[number] = share
        while build.next_range in build.shares:
            ready = build.shares.pop(build.next_range)
            build.next_range += 1
            if build.error is not None:
                continue
            if isinstance(ready, GraphoidError):
                build.error = ready
            else:
                build.builder.add(ready)
        if build.next_range == load.ranges:
            self._finish(graph, epoch, load, part, build)

    def _finish(self, graph: str, epoch: int, load: EdgeLoad, part: int, build: OwnedBuild) -> None:
        del load.builds[part]  # type: ignore[union-attr]
        if not load.builds:
            del self.loads[(graph, epoch)]
        if build.error is not None:
            self.core.send(COORDINATOR, "PARTITION_FAILED", graph=graph, part=part, epoch=epoch,
                           payload=[encode(build.error)])
            return
        local, ghosts = build.builder.finish()
        partition = Partition(part, local, ghosts)
        partitioning = load.partitioning
        assert partitioning is not None
        loaded = LoadedPartition(partition, partitioning, ship_plan(partition, partitioning), partition.owned_ids(),
                                 load.bundle)
        self.core.partitions[(graph, part)] = loaded
        self.core.send(COORDINATOR, "PARTITION_READY", graph=graph, part=part, epoch=epoch,
                       payload=[msgpack.packb(_counts(loaded))])

    # ------------------------------------------------------------------------- the graph store

    def _graph_save(self, message: Message) -> None:
        graph, part = message["graph"], message["part"]
        try:
            loaded = self.core.partitions.get((graph, part))
            if loaded is None:
                raise GraphoidError("ObjectLostError", f"partition {part} of graph '{graph}' is not on worker "
                                                       f"{self.core.worker_id}")
            program = self.core.programs.get(loaded.bundle)
            if program is None:
                raise GraphoidError("FunctionNotFound", f"worker {self.core.worker_id} has no program {loaded.bundle}")
            size, digest = write_partition(message["path"], loaded, program.exporter)
        except GraphoidError as error:
            self.core.reply(message, "SAVED", graph=graph, part=part, failed=True, payload=[encode(error)])
            return
        self.core.reply(message, "SAVED", graph=graph, part=part, payload=[msgpack.packb([size, digest])])

    def _graph_read(self, message: Message) -> None:
        graph, part, epoch, bundle = message["graph"], message["part"], message["epoch"], message["bundle"]
        program = self.core.programs.get(bundle)
        table = program.table if program is not None else None
        try:
            loaded = read_partition(message["path"], part, message["bytes"], message["digest"], lambda _saved: table)
        except GraphoidError as error:
            self.core.reply(message, "PARTITION_FAILED", graph=graph, part=part, epoch=epoch, payload=[encode(error)])
            return
        loaded.bundle = bundle  # functions in the graph now belong to the loading program
        self.core.partitions[(graph, part)] = loaded
        self.core.reply(message, "PARTITION_READY", graph=graph, part=part, epoch=epoch,
                        payload=[msgpack.packb(_counts(loaded))])


def _in_bulk(handler: Any) -> Any:
    def handle(message: Message) -> None:
        with bulk_objects():
            handler(message)
    return handle


def _counts(loaded: LoadedPartition) -> list[int]:
    """[owned nodes, edges whose source this partition owns] (each edge counted once overall)."""
    graph = loaded.partition.graph
    out = graph._out
    if graph.directed:
        edges = sum(len(out[node_id]) for node_id in loaded.owned)
    else:
        edges = sum(1 for node_id in loaded.owned for edge in out[node_id].values() if edge.src == node_id)
    return [len(loaded.owned), edges]


def _owners(payload: tuple[bytes, ...]) -> list[str] | None:
    try:
        owners = msgpack.unpackb(payload[0], raw=False) if len(payload) == 1 else None
    except Exception:  # hostile bytes: not an owner list
        return None
    if type(owners) is not list or not owners or not all(type(owner) is str for owner in owners):
        return None
    return owners


def _pack_chunk(chunk: EdgeChunk) -> list[bytes]:
    """A share as frames of at most PIECE_EDGES edges (more for huge shares, within the frame
    limit): msgpack holds the GIL while it packs or unpacks one frame, and the loop thread
    needs it to answer heartbeats."""
    size = max(PIECE_EDGES, -(-len(chunk) // MAX_PIECES))
    weights = chunk.weights
    return [
        msgpack.packb([chunk.sources[start:start + size], chunk.targets[start:start + size],
                       weights[start:start + size] if weights is not None else None])
        for start in range(0, max(len(chunk), 1), size)
    ]


def _unpack_chunk(frames: tuple[bytes, ...]) -> EdgeChunk | None:
    """An EDGES_PUSH share, or None when it is not one."""
    chunk = EdgeChunk()
    for frame in frames:
        piece = _unpack_piece(frame)
        if piece is None:
            return None
        sources, targets, weights = piece
        if weights is not None and chunk.weights is None:
            chunk.weights = [None] * len(chunk.sources)
        chunk.sources.extend(sources)
        chunk.targets.extend(targets)
        if chunk.weights is not None:
            chunk.weights.extend(weights if weights is not None else [None] * len(sources))
    return chunk


def _unpack_piece(frame: bytes) -> tuple[list, list, list | None] | None:
    try:
        raw = msgpack.unpackb(frame, raw=False)
    except Exception:  # hostile bytes: not a share
        return None
    if type(raw) is not list or len(raw) != 3:
        return None
    sources, targets, weights = raw
    if type(sources) is not list or type(targets) is not list or len(sources) != len(targets):
        return None
    if not all(type(node_id) is str for node_id in sources) or not all(type(node_id) is str for node_id in targets):
        return None
    if weights is not None and (type(weights) is not list or len(weights) != len(sources) or not all(
            weight is None or type(weight) in (int, float) for weight in weights)):
        return None
    return sources, targets, weights


def owners_frame(owners: Any) -> bytes:
    """The EDGES_READ payload: partition index -> worker id."""
    return msgpack.packb(list(owners))
