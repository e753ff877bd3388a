"""Placing a driver's graph on the workers in bounded, columnar chunks.

The driver never builds the partition graphs: `PlacementStream` reads each partition's nodes
and adjacency straight from the graph and cuts them into chunks of at most CHUNK_ENTRIES
entries, so no frame takes msgpack seconds (the loop threads keep answering heartbeats) and a
worker builds chunk k while the driver encodes chunk k+1. `PartitionAssembly` is the worker's
side: it checks every chunk and builds the same partition graph that partition.split gives.

LOAD_PARTITION payload: `[placement]` or `[placement, function]`, `placement` a msgpack map
`{"bundle", "count", "strategy", "bounds", "graph_type"}`, `function` the encoded strategy
function of a `:function` partitioning. Then PARTITION_CHUNKs in `chunk` order 0, 1, ..., in
phases (`kind`):

- "nodes": owned nodes, `[ids, values, types]`: ids a msgpack list; values a column; types a
  msgpack map id -> node type, or nil.
- "ghosts": `[ids, owners]`: the other partitions' endpoints (sorted) and their owners.
- "out": adjacency in table order, `[from, to, types, weights, props, forward]`: `from`/`to`
  index the id table (owned ids, then ghosts). An owned node lists every out-edge, a ghost its
  edges into owned nodes. Directed: every entry is a new edge and carries its attributes.
  Undirected (one Edge per edge, under both endpoints): an entry whose `to` comes before its
  `from` reuses the Edge listed earlier the other way; only new entries carry attributes, and
  `forward` (one byte each) says whether the edge's source is `from`.
- "in" (directed): `[to, from]`, in-adjacency in table order, each naming an out entry.
- "end": `[counts]`, msgpack [owned nodes, ghosts, edges] to check the whole arrived.

Index columns are little-endian uint32 arrays; value and weight columns are float64 or int64
arrays when every item is one, else a codec-encoded list (`[tag, bytes]`).
"""

from __future__ import annotations

import logging
import sys
from array import array
from itertools import chain, repeat, zip_longest
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

import msgpack

from graphoid.distributed.codec import CodecError, decode, encode
from graphoid.distributed.loading import bulk_objects
from graphoid.distributed.partition import Partition, Partitioning, ship_plan
from graphoid.distributed.program import FunctionExporter, FunctionTable
from graphoid.distributed.protocol import Message
from graphoid.distributed.shipping import LoadedPartition
from graphoid.errors import GraphoidError
from graphoid.graphs.graph import GRAPH_TYPES, Edge, Graph, entry_props, entry_type, entry_weight, make_entry

if TYPE_CHECKING:
    from graphoid.distributed.core import WorkerCore

LOGGER = logging.getLogger("graphoid.distributed")

CHUNK_ENTRIES = 50_000  # nodes or adjacency entries per chunk
PHASES = ("nodes", "ghosts", "out", "in", "end")
ABORT = "abort"  # the driver could not finish the stream: drop what arrived, answer nothing
_INDEX = "I"
_INT64 = (-(2 ** 63), 2 ** 63 - 1)
_SWAP = sys.byteorder == "big"  # the wire is little-endian

Chunk = tuple[str, list[bytes]]  # (kind, payload frames)


def _bad(what: str) -> CodecError:
    return CodecError("ProtocolError", f"invalid partition chunk: {what}")


# ----------------------------------------------------------------------------- columns


def _index_column(values: array) -> bytes:
    if _SWAP:
        values = array(_INDEX, values)
        values.byteswap()
    return values.tobytes()


def _read_index(frame: bytes, limit: int, what: str) -> array:
    """An index column whose every item is below `limit`."""
    if len(frame) % 4:
        raise _bad(what)
    values = array(_INDEX)
    values.frombytes(frame)
    if _SWAP:
        values.byteswap()
    if values and max(values) >= limit:
        raise _bad(f"{what} beyond the id table")
    return values


def _value_column(values: list, exporter: FunctionExporter | None) -> bytes:
    """Numbers as a packed array when all are floats or all are 64-bit ints, else the codec."""
    kinds = set(map(type, values))
    if kinds == {float}:
        return _tagged("d", values)
    if kinds == {int} and _INT64[0] <= min(values) and max(values) <= _INT64[1]:
        return _tagged("q", values)
    return msgpack.packb(["codec", encode(values, functions=exporter)])


def _tagged(code: str, values: list) -> bytes:
    column = array(code, values)
    if _SWAP:
        column.byteswap()
    return msgpack.packb([code, column.tobytes()])


def _read_values(frame: bytes, length: int, table: FunctionTable | None, what: str) -> list:
    try:
        tag, data = msgpack.unpackb(frame, raw=False)
    except Exception:  # hostile bytes: not a column
        raise _bad(what) from None
    if type(data) is not bytes:
        raise _bad(what)
    if tag in ("d", "q"):
        if len(data) != 8 * length:
            raise _bad(what)
        column = array(tag)
        column.frombytes(data)
        if _SWAP:
            column.byteswap()
        return column.tolist()
    if tag != "codec":
        raise _bad(what)
    values = decode(data, functions=table)
    if not isinstance(values, list) or len(values) != length:  # the codec gives a GList
        raise _bad(what)
    return values


def _strings(frame: bytes, what: str) -> list[str]:
    try:
        values = msgpack.unpackb(frame, raw=False)
    except Exception:  # hostile bytes
        raise _bad(what) from None
    if type(values) is not list or not all(type(value) is str for value in values):
        raise _bad(what)
    return values


# ----------------------------------------------------------------------------- the driver


class PlacementStream:
    """The LOAD_PARTITION payload and the chunks of each partition of `graph`."""

    def __init__(self, graph: Graph, partitioning: Partitioning, exporter: FunctionExporter,
                 chunk_entries: int | None = None) -> None:
        self.graph = graph
        self.partitioning = partitioning
        self.exporter = exporter
        self.chunk_entries = chunk_entries or CHUNK_ENTRIES
        owner = partitioning.owner
        self.owner_of = {node_id: owner(node_id) for node_id, _ in graph.data_items()}

    def header(self) -> list[bytes]:
        partitioning = self.partitioning
        placement = {
            "bundle": self.exporter.bundle.hash, "count": partitioning.count, "strategy": partitioning.strategy,
            "bounds": list(partitioning.bounds), "graph_type": self.graph.graph_type,
        }
        frames = [msgpack.packb(placement)]
        if partitioning.function is not None:
            frames.append(encode(partitioning.function, functions=self.exporter))
        return frames

    def chunks(self, index: int) -> Iterator[Chunk]:
        """Partition `index` as chunks, in the order the worker takes them."""
        graph, owner_of = self.graph, self.owner_of
        owned = [node_id for node_id, owner in owner_of.items() if owner == index]
        yield from self._nodes(owned)
        neighbours = set(chain.from_iterable(side[node_id] for side in self._sides() for node_id in owned))
        ghosts = sorted(neighbours.difference(owned, graph._internal_ids))
        yield from self._ghosts(ghosts)
        position = {node_id: number for number, node_id in enumerate(owned)}
        position.update((node_id, number) for number, node_id in enumerate(ghosts, len(owned)))
        order = owned + ghosts
        edges = [0]
        yield from self._out(order, position, len(owned), edges)
        if graph.directed:
            yield from self._in_chunks(order, position, len(owned))
        yield "end", [msgpack.packb([len(owned), len(ghosts), edges[0]])]

    def _sides(self) -> tuple[dict, ...]:
        graph = self.graph
        return (graph._out, graph.in_map()) if graph.directed else (graph._out,)

    def _nodes(self, owned: list[str]) -> Iterator[Chunk]:
        nodes, node_types = self.graph._nodes, self.graph._node_types
        size = self.chunk_entries
        for start in range(0, len(owned), size):
            ids = owned[start:start + size]
            types = {node_id: node_types[node_id] for node_id in ids if node_id in node_types} if node_types else None
            yield "nodes", [msgpack.packb(ids), _value_column([nodes[node_id] for node_id in ids], self.exporter),
                            msgpack.packb(types or None)]

    def _ghosts(self, ghosts: list[str]) -> Iterator[Chunk]:
        owner_of, size = self.owner_of, self.chunk_entries
        for start in range(0, len(ghosts), size):
            ids = ghosts[start:start + size]
            yield "ghosts", [msgpack.packb(ids), _index_column(array(_INDEX, [owner_of[node_id] for node_id in ids]))]

    def _out(self, order: list[str], position: dict[str, int], owned: int, edges_made: list[int]) -> Iterator[Chunk]:
        """The "out" chunks; adds the number of edges to `edges_made[0]`."""
        out, directed, size = self.graph._out, self.graph.directed, self.chunk_entries
        froms, tos, forward = array(_INDEX), array(_INDEX), bytearray()
        edges: list[Any] = []  # adjacency entries (graphs/graph.py)
        for here, node_id in enumerate(order):
            succ = out[node_id]
            targets, kept = _kept(list(map(position.get, succ)), succ.values(), here >= owned, owned)
            start = 0
            while start < len(targets):  # a node's entries may fill several chunks
                end = start + size - len(froms)
                piece = targets[start:end]
                froms.extend(repeat(here, len(piece)))
                tos.extend(piece)
                if directed:
                    edges.extend(kept[start:end])
                else:  # an entry back to an earlier node reuses the edge listed there
                    fresh = [edge for there, edge in zip(piece, kept[start:end]) if there >= here]
                    edges.extend(fresh)
                    forward.extend([edge.src == node_id for edge in fresh])
                start = end
                if len(froms) >= size:
                    edges_made[0] += len(edges)
                    yield "out", self._out_frames(froms, tos, edges, forward)
                    froms, tos, forward, edges = array(_INDEX), array(_INDEX), bytearray(), []
        if froms:
            edges_made[0] += len(edges)
            yield "out", self._out_frames(froms, tos, edges, forward)

    def _out_frames(self, froms: array, tos: array, edges: list[Any], forward: bytearray) -> list[bytes]:
        types = list(map(entry_type, edges))  # adjacency entries (Edge or a plain type name)
        distinct = sorted(set(types))
        type_index = {edge_type: number for number, edge_type in enumerate(distinct)}
        type_column = b"" if len(distinct) < 2 else _index_column(array(_INDEX, [type_index[t] for t in types]))
        weights = list(map(entry_weight, edges))
        props = list(map(entry_props, edges))
        return [
            _index_column(froms), _index_column(tos), msgpack.packb([distinct, type_column]),
            b"" if not any(weight is not None for weight in weights) else _value_column(weights, self.exporter),
            b"" if not any(prop is not None for prop in props) else encode(props, functions=self.exporter),
            bytes(forward),
        ]

    def _in_chunks(self, order: list[str], position: dict[str, int], owned: int) -> Iterator[Chunk]:
        into, size = self.graph.in_map(), self.chunk_entries
        tos, froms = array(_INDEX), array(_INDEX)
        for here, node_id in enumerate(order):
            sources, _ = _kept(list(map(position.get, into[node_id])), (), here >= owned, owned)
            start = 0
            while start < len(sources):
                end = start + size - len(tos)
                piece = sources[start:end]
                tos.extend(repeat(here, len(piece)))
                froms.extend(piece)
                start = end
                if len(tos) >= size:
                    yield "in", [_index_column(tos), _index_column(froms)]
                    tos, froms = array(_INDEX), array(_INDEX)
        if tos:
            yield "in", [_index_column(tos), _index_column(froms)]


def _kept(positions: list[int | None], edges: Iterable[Any], ghost: bool, owned: int) -> tuple[list[int], list[Any]]:
    """The table positions (and edges, when given) of a node's neighbours in the partition: not
    internal nodes (no position), and for a ghost only the owned ones."""
    if ghost:
        pairs = [(there, edge) for there, edge in zip_longest(positions, edges) if there is not None and there < owned]
    elif None in positions:
        pairs = [(there, edge) for there, edge in zip_longest(positions, edges) if there is not None]
    else:
        return positions, list(edges)  # type: ignore[return-value]
    return [there for there, _ in pairs], [edge for _, edge in pairs]


# ----------------------------------------------------------------------------- the worker


class PartitionAssembly:
    """One partition being built on a worker from its LOAD_PARTITION and chunks."""

    def __init__(self, index: int, header: Sequence[bytes], table_of: Callable[[str], FunctionTable | None]) -> None:
        """CodecError for a malformed LOAD_PARTITION payload."""
        if len(header) not in (1, 2):
            raise _bad("partition payload")
        try:
            raw = msgpack.unpackb(header[0], raw=False)
        except Exception:  # hostile bytes
            raise _bad("partition placement") from None
        if type(raw) is not dict or type(raw.get("bundle")) is not str:
            raise _bad("partition placement")
        count, strategy, graph_type = raw.get("count"), raw.get("strategy"), raw.get("graph_type")
        bounds = raw.get("bounds")
        if (type(count) is not int or count < 1 or not 0 <= index < count or strategy not in ("hash", "range", "function")
                or graph_type not in GRAPH_TYPES or type(bounds) is not list
                or not all(type(bound) is str for bound in bounds)):
            raise _bad("partition placement")
        self.bundle: str = raw["bundle"]
        self.table = table_of(self.bundle)
        function = decode(header[1], functions=self.table) if len(header) == 2 else None
        if (strategy == "function") != (function is not None):
            raise _bad("partition strategy function")
        # bounds may repeat (more partitions than distinct ids): a set would shift every owner after them
        self.partitioning = Partitioning(count, strategy, tuple(sorted(bounds)), function)
        self.index = index
        self.graph = Graph("undirected" if graph_type == "undirected" else "directed")
        self.graph.graph_type = graph_type
        self.graph.in_map()  # the index exists from the start: the chunks fill it alongside _out
        self.ids: list[str] = []
        self.owned = 0
        self.ghost_owners: dict[str, int] = {}
        self.next_chunk = 0
        self.phase = 0
        self.edges = 0

    def add(self, number: int, kind: str, frames: Sequence[bytes]) -> LoadedPartition | None:
        """Take chunk `number`; the partition once its "end" arrived. CodecError when malformed."""
        phase = PHASES.index(kind) if kind in PHASES else -1
        if number != self.next_chunk or phase < self.phase or (kind == "in" and not self.graph.directed):
            raise _bad(f"chunk {number} ({kind}) out of order")
        if kind != "nodes" and self.phase == 0:
            self.owned = len(self.ids)
        self.next_chunk, self.phase = number + 1, phase
        if kind == "nodes":
            self._nodes(*_frames(frames, 3, kind))
        elif kind == "ghosts":
            self._ghosts(*_frames(frames, 2, kind))
        elif kind == "out":
            self._out(*_frames(frames, 6, kind))
        elif kind == "in":
            self._add_in(*_frames(frames, 2, kind))
        else:
            return self._finish(*_frames(frames, 1, kind))
        return None

    def _add_ids(self, ids: list[str], values: Any) -> None:
        graph = self.graph
        nodes, out, into = graph._nodes, graph._out, graph.in_map()
        directed = graph.directed
        for node_id, value in zip(ids, values):
            if node_id in nodes:
                raise _bad(f"node '{node_id}' sent twice")
            nodes[node_id] = value
            out[node_id] = {}
            if directed:
                into[node_id] = {}
        self.ids.extend(ids)

    def _nodes(self, ids_frame: bytes, values_frame: bytes, types_frame: bytes) -> None:
        ids = _strings(ids_frame, "node ids")
        values = _read_values(values_frame, len(ids), self.table, "node values")
        try:
            types = msgpack.unpackb(types_frame, raw=False)
        except Exception:  # hostile bytes
            raise _bad("node types") from None
        if types is not None and (type(types) is not dict or not all(
                type(node_id) is str and type(node_type) is str for node_id, node_type in types.items())):
            raise _bad("node types")
        self._add_ids(ids, values)
        if types:
            if not set(types) <= set(ids):
                raise _bad("node type of a node not in the chunk")
            self.graph._node_types.update(types)

    def _ghosts(self, ids_frame: bytes, owners_frame: bytes) -> None:
        ids = _strings(ids_frame, "ghost ids")
        owners = _read_index(owners_frame, self.partitioning.count, "ghost owners")
        if len(owners) != len(ids) or self.index in owners:
            raise _bad("ghost owners")
        self._add_ids(ids, repeat(None))
        self.ghost_owners.update(zip(ids, owners))

    def _out(self, froms_frame: bytes, tos_frame: bytes, types_frame: bytes, weights_frame: bytes,
             props_frame: bytes, forward: bytes) -> None:
        ids = self.ids
        froms = _read_index(froms_frame, len(ids), "edge sources")
        tos = _read_index(tos_frame, len(ids), "edge targets")
        if len(froms) != len(tos):
            raise _bad("edge columns")
        directed = self.graph.directed
        fresh = len(froms) if directed else sum(1 for here, there in zip(froms, tos) if there >= here)
        types = self._edge_types(types_frame, fresh)
        weights = repeat(None) if not weights_frame else _read_values(weights_frame, fresh, self.table, "weights")
        props = repeat(None) if not props_frame else decode(props_frame, functions=self.table)
        if props_frame and (not isinstance(props, list) or len(props) != fresh):
            raise _bad("edge properties")
        if directed:
            self._out_directed(froms, tos, types, weights, props)
        else:
            if len(forward) != fresh:
                raise _bad("edge orientations")
            self._out_undirected(froms, tos, types, weights, props, forward)

    def _edge_types(self, frame: bytes, fresh: int) -> Any:
        try:
            distinct, column = msgpack.unpackb(frame, raw=False)
        except Exception:  # hostile bytes
            raise _bad("edge types") from None
        if type(distinct) is not list or not all(type(edge_type) is str for edge_type in distinct) or type(column) is not bytes:
            raise _bad("edge types")
        if len(distinct) < 2:
            if fresh and not distinct:
                raise _bad("edge types")
            return repeat(distinct[0] if distinct else None)
        numbers = _read_index(column, len(distinct), "edge types")
        if len(numbers) != fresh:
            raise _bad("edge types")
        return [distinct[number] for number in numbers]

    def _out_directed(self, froms: array, tos: array, types: Any, weights: Any, props: Any) -> None:
        ids, out, owned = self.ids, self.graph._out, self.owned
        for here, there, edge_type, weight, prop in zip(froms, tos, types, weights, props):
            if here >= owned and there >= owned:
                raise _bad("an edge between two ghosts")
            src, dst = ids[here], ids[there]
            out[src][dst] = make_entry(src, dst, edge_type, weight, prop, True)

    def _out_undirected(self, froms: array, tos: array, types: Any, weights: Any, props: Any,
                        forward: bytes) -> None:
        ids, out, owned = self.ids, self.graph._out, self.owned
        fresh = iter(zip(types, weights, props, forward))
        edges = 0
        for here, there in zip(froms, tos):
            if here >= owned and there >= owned:
                raise _bad("an edge between two ghosts")
            node_id, other = ids[here], ids[there]
            if there >= here:
                edge_type, weight, prop, ahead = next(fresh)
                src, dst = (node_id, other) if ahead else (other, node_id)
                out[node_id][other] = Edge(src, dst, edge_type, weight, prop)
                edges += 1
                continue
            edge = out[other].get(node_id)
            if edge is None:
                raise _bad("an edge listed only one way")
            out[node_id][other] = edge
        self.edges += edges

    def _add_in(self, tos_frame: bytes, froms_frame: bytes) -> None:
        ids, out, into = self.ids, self.graph._out, self.graph.in_map()
        tos = _read_index(tos_frame, len(ids), "in-edge targets")
        froms = _read_index(froms_frame, len(ids), "in-edge sources")
        if len(tos) != len(froms):
            raise _bad("in-edge columns")
        for there, here in zip(tos, froms):
            dst, src = ids[there], ids[here]
            edge = out[src].get(dst)
            if edge is None:
                raise _bad("an in-edge with no out-edge")
            into[dst][src] = edge

    def _finish(self, counts_frame: bytes) -> LoadedPartition:
        try:
            owned, ghosts, edges = msgpack.unpackb(counts_frame, raw=False)
        except Exception:  # hostile bytes
            raise _bad("counts") from None
        graph = self.graph
        if graph.directed:  # a repeated entry replaced an edge: the count shows it
            self.edges = sum(map(len, graph._out.values()))
        if [owned, ghosts] != [self.owned, len(self.ids) - self.owned] or (graph.directed and edges != self.edges):
            raise _bad("the partition did not arrive whole")
        graph._edge_count = self.edges
        graph._topo += 1
        graph._vals += 1
        partition = Partition(self.index, graph, set(self.ghost_owners))
        plan = ship_plan(partition, self.partitioning, self.ghost_owners)
        return LoadedPartition(partition, self.partitioning, plan, partition.owned_ids(), self.bundle)


def _frames(frames: Sequence[bytes], count: int, kind: str) -> Sequence[bytes]:
    if len(frames) != count:
        raise _bad(f"{kind} chunk of {len(frames)} frames")
    return frames


class PartitionPlacing:
    """The LOAD_PARTITION and PARTITION_CHUNK handlers of one WorkerCore (installed into its table)."""

    def __init__(self, core: "WorkerCore") -> None:
        self.core = core
        # (graph, part, epoch) -> the partition being built; None once it failed (its
        # remaining chunks are ignored until the stream's last one)
        self.assemblies: dict[tuple[str, int, int], PartitionAssembly | None] = {}
        core.handlers.update({"LOAD_PARTITION": self._load_partition, "PARTITION_CHUNK": self._chunk})

    def _load_partition(self, message: Message) -> None:
        key = (message["graph"], message["part"], message["epoch"])
        try:
            self.assemblies[key] = PartitionAssembly(key[1], message.payload, self.core.table_of)
        except GraphoidError as error:
            self._failed(message, key, error)

    def _chunk(self, message: Message) -> None:
        key = (message["graph"], message["part"], message["epoch"])
        kind = message["kind"]
        if key not in self.assemblies:
            LOGGER.warning("worker %s: dropped a %s chunk of partition %s of graph '%s' that is not being placed",
                           self.core.worker_id, kind, key[1], key[0])
            return
        assembly = self.assemblies[key]
        if kind == ABORT or assembly is None:
            if kind in (ABORT, "end"):
                del self.assemblies[key]
            return
        try:
            with bulk_objects():  # millions of objects in all: no collector passes (heartbeats)
                loaded = assembly.add(message["chunk"], kind, message.payload)
        except GraphoidError as error:
            self._failed(message, key, error)
            if kind == "end":
                del self.assemblies[key]
            return
        if loaded is not None:
            del self.assemblies[key]
            self.core.partitions[(key[0], key[1])] = loaded
            self.core.reply(message, "PARTITION_READY", graph=key[0], part=key[1], epoch=key[2])

    def _failed(self, message: Message, key: tuple[str, int, int], error: GraphoidError) -> None:
        LOGGER.warning("worker %s: partition %s of graph '%s' failed: %s", self.core.worker_id, key[1], key[0],
                       error.display())
        self.assemblies[key] = None
        self.core.reply(message, "PARTITION_FAILED", graph=key[0], part=key[1], epoch=key[2], payload=[encode(error)])
