"""Chunked placement (placing.py): the partitions a worker assembles from PlacementStream's
chunks are the graphs partition.split cuts, and hostile chunks fail the partition cleanly."""

from __future__ import annotations

import io
import logging

import msgpack
import pytest

from graphoid.distributed.codec import decode
from graphoid.distributed.core import WorkerCore
from graphoid.distributed.partition import Partitioning, ship_plan, split
from graphoid.distributed.placing import ABORT, PartitionAssembly, PlacementStream
from graphoid.distributed.program import FunctionExporter
from graphoid.distributed.protocol import Message, pack, unpack
from graphoid.distributed.shipping import pack_bundle
from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Edge, Graph
from graphoid.runtime.interpreter import Interpreter
from graphoid.values.types import GList, GMap

PROGRAM = """
fn side(id) {
    if id == "n1" or id == "n4" { return 1 }
    return 0
}
"""


@pytest.fixture(scope="module")
def program() -> Interpreter:
    interp = Interpreter(stdout=io.StringIO())
    interp.run(PROGRAM, "placing_prog.gd")
    return interp


@pytest.fixture(scope="module")
def exporter(program) -> FunctionExporter:
    return FunctionExporter(program)


def sample_graph(directed: bool, values: list) -> Graph:
    """A graph with cut edges, self loops, weights, properties, edge and node types, an
    isolated node, an edge replaced in place, and nodes removed again."""
    g = Graph("directed" if directed else "undirected")
    ids = [f"n{i}" for i in range(len(values))]
    for node_id, value in zip(ids, values):
        g.add_node(node_id, value)
    for i in range(len(ids)):
        for step in (1, 3, 7):
            if (i * step) % 5 != 4:
                g.add_edge(ids[i], ids[(i * step + 2) % len(ids)], "link" if i % 2 else "edge",
                           None if i % 3 else i * 0.5, GMap({"k": i}) if i % 4 == 0 else None)
    g.add_edge(ids[0], ids[0])  # a self loop
    g.add_edge(ids[5], ids[7], "again")  # replaces an edge in place
    g.set_node_type(ids[2], "special")
    g.add_node("doomed", 1)
    g.add_edge("doomed", ids[1])
    g.remove_node("doomed")
    return g


def assemble(stream: PlacementStream, index: int, table=None):
    assembly = PartitionAssembly(index, stream.header(), lambda bundle: table)
    loaded = None
    for number, (kind, frames) in enumerate(stream.chunks(index)):
        assert loaded is None, "a partition is complete only after its last chunk"
        loaded = assembly.add(number, kind, frames)
    assert loaded is not None
    return loaded


def adjacency(side: dict) -> dict:
    """Each node's neighbours in order, with the edges' fields."""
    return {node_id: [(other, _fields(e)) for other, e in entries.items()] for node_id, entries in side.items()}


def _fields(entry: object) -> object:
    """An Edge's fields, or a plain entry (a type name) itself: both sides must use one form."""
    if isinstance(entry, Edge):
        return (entry.src, entry.dst, entry.type, entry.weight, entry.props)
    return entry


def assert_same_partition(built: Graph, cut: Graph, ghosts: set[str]) -> None:
    assert dict(built._nodes) == dict(cut._nodes)
    assert [node for node in built._nodes if node not in ghosts] == [node for node in cut._nodes if node not in ghosts]
    assert list(built._out) == list(cut._out) and adjacency(built._out) == adjacency(cut._out)
    assert list(built.in_map()) == list(cut.in_map()) and adjacency(built.in_map()) == adjacency(cut.in_map())
    assert built._node_types == cut._node_types and built._edge_count == cut._edge_count
    assert built.graph_type == cut.graph_type and built.directed == cut.directed


VALUES = {
    "ints": list(range(12)),
    "floats": [i / 7 for i in range(12)],
    "mixed": [1, 2.5, "three", None, True, GList([1, 2]), GMap({"a": 1}), 2 ** 70, -3, 0.0, "", False],
}


@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize("values", sorted(VALUES))
@pytest.mark.parametrize("chunk_entries", [1, 3, 50_000])
def test_assembled_partitions_are_the_cut_partitions(exporter, directed, values, chunk_entries) -> None:
    g = sample_graph(directed, VALUES[values])
    partitioning = Partitioning.by_hash(3)
    stream = PlacementStream(g, partitioning, exporter, chunk_entries)
    for part in split(g, partitioning):
        loaded = assemble(stream, part.index)
        assert_same_partition(loaded.partition.graph, part.graph, part.ghosts)
        assert loaded.partition.ghosts == part.ghosts
        assert loaded.owned == part.owned_ids()
        assert loaded.plan == ship_plan(part, partitioning)
        assert loaded.partitioning == partitioning and loaded.bundle == exporter.bundle.hash


@pytest.mark.parametrize("directed", [True, False])
def test_assembled_edges_are_shared_as_in_a_graph(exporter, directed) -> None:
    g = sample_graph(directed, VALUES["ints"])
    graph = assemble(PlacementStream(g, Partitioning.by_hash(2), exporter, 4), 0).partition.graph
    for src, entries in graph._out.items():
        for dst, edge in entries.items():
            # one Edge under both endpoints (a plain entry is an immutable type name)
            assert graph.in_map()[dst][src] is edge if isinstance(edge, Edge) else graph.in_map()[dst][src] == edge


def test_chunks_are_bounded(exporter) -> None:
    g = sample_graph(True, VALUES["ints"])
    stream = PlacementStream(g, Partitioning.by_hash(2), exporter, 2)
    kinds = [kind for kind, _ in stream.chunks(0)]
    assert kinds[-1] == "end" and kinds.index("out") < kinds.index("in") and kinds.count("out") > 5
    for kind, frames in stream.chunks(0):
        if kind in ("out", "in"):
            assert len(frames[0]) <= 2 * 4  # at most two uint32 entries


# ----------------------------------------------------------------------------- hostile chunks


def chunks_of(exporter, index: int = 0) -> tuple[list[bytes], list[tuple[str, list[bytes]]]]:
    stream = PlacementStream(sample_graph(True, VALUES["mixed"]), Partitioning.by_hash(2), exporter, 4)
    return stream.header(), list(stream.chunks(index))


def tampered(chunks, kind: str, frame: int, data: bytes):
    position = next(number for number, (each, _) in enumerate(chunks) if each == kind)
    frames = list(chunks[position][1])
    frames[frame] = data
    return chunks[:position] + [(kind, frames)] + chunks[position + 1:]


def index_bytes(*values: int) -> bytes:
    return b"".join(value.to_bytes(4, "little") for value in values)


def hostile_streams(chunks):
    yield "garbage ids", tampered(chunks, "nodes", 0, b"\xc1")
    yield "values of the wrong length", tampered(chunks, "nodes", 1, msgpack.packb(["q", b"\x00" * 8]))
    yield "an unknown value column", tampered(chunks, "nodes", 1, msgpack.packb(["z", b""]))
    yield "an index beyond the table", tampered(chunks, "out", 1, index_bytes(10 ** 6, 0, 0, 0))
    yield "a ragged index column", tampered(chunks, "out", 0, b"\x01\x02\x03")
    yield "a ghost owned here", tampered(chunks, "ghosts", 1, index_bytes(0, 0, 0, 0))
    yield "an in-edge with no out-edge", tampered(chunks, "in", 1, index_bytes(0, 0, 0, 0))
    yield "a missing chunk", [chunk for number, chunk in enumerate(chunks) if number != 2]
    kinds = [kind for kind, _ in chunks]
    ghosts, out = kinds.index("ghosts"), kinds.index("out")
    yield "phases out of order", chunks[:ghosts] + chunks[ghosts + 1:out + 1] + [chunks[ghosts]] + chunks[out + 1:]
    yield "an unknown kind", [("bogus", [])] + chunks
    yield "a wrong frame count", [(kind, frames + [b""]) for kind, frames in chunks]
    yield "lying counts", chunks[:-1] + [("end", [msgpack.packb([1, 2, 3])])]


def test_hostile_chunks_are_protocol_errors(exporter) -> None:
    header, chunks = chunks_of(exporter)
    for what, stream in hostile_streams(chunks):
        assembly = PartitionAssembly(0, header, lambda bundle: None)
        with pytest.raises(GraphoidError) as caught:
            for number, (kind, frames) in enumerate(stream):
                assembly.add(number, kind, frames)
        assert caught.value.kind == "ProtocolError", what


@pytest.mark.parametrize("header", [[], [b"\xc1"], [msgpack.packb({"bundle": "b", "count": 0})],
                                    [msgpack.packb({"bundle": "b", "count": 2, "strategy": "hash", "bounds": [],
                                                    "graph_type": "nonsense"})]])
def test_a_hostile_placement_is_refused(header) -> None:
    with pytest.raises(GraphoidError) as caught:
        PartitionAssembly(0, header, lambda bundle: None)
    assert caught.value.kind == "ProtocolError"


# ----------------------------------------------------------------------------- on a WorkerCore


@pytest.fixture
def core(program, exporter) -> WorkerCore:
    worker = WorkerCore("0", lambda: Interpreter(stdout=io.StringIO()))
    bundle = exporter.bundle.hash
    worker.handle(message("SOURCES", bundle=bundle, payload=[pack_bundle(exporter.bundle)]))
    assert bundle in worker.programs
    return worker


def message(type: str, **fields) -> Message:
    return unpack(pack(Message.new(type, src="coordinator", id=1, run=None, **fields)))


def send_all(core: WorkerCore, header, chunks, epoch: int = 0) -> list:
    replies = core.handle(message("LOAD_PARTITION", graph="g", part=0, epoch=epoch, payload=header))
    for number, (kind, frames) in enumerate(chunks):
        replies += core.handle(message("PARTITION_CHUNK", graph="g", part=0, epoch=epoch, chunk=number, kind=kind,
                                       payload=frames))
    return replies


def test_a_core_installs_the_partition_after_its_last_chunk(core, exporter) -> None:
    header, chunks = chunks_of(exporter)
    (ready,) = send_all(core, header, chunks)
    assert ready.message.type == "PARTITION_READY" and ("g", 0) in core.partitions
    assert core.placing.assemblies == {}


def test_a_hostile_chunk_fails_the_partition_once_and_is_logged(core, exporter, caplog) -> None:
    header, chunks = chunks_of(exporter)
    (ready,) = send_all(core, header, chunks)
    before = core.partitions[("g", 0)]
    with caplog.at_level(logging.WARNING, logger="graphoid.distributed"):
        replies = send_all(core, header, tampered(chunks, "out", 1, index_bytes(10 ** 6)), epoch=1)
    (failed,) = replies  # the chunks after the bad one are ignored
    assert failed.message.type == "PARTITION_FAILED" and decode(failed.message.payload[0]).kind == "ProtocolError"
    assert "partition 0 of graph 'g' failed" in caplog.text
    assert core.partitions[("g", 0)] is before and core.placing.assemblies == {}


def test_a_stray_chunk_is_dropped_and_logged(core, exporter, caplog) -> None:
    _, chunks = chunks_of(exporter)
    kind, frames = chunks[0]
    with caplog.at_level(logging.WARNING, logger="graphoid.distributed"):
        replies = core.handle(message("PARTITION_CHUNK", graph="g", part=0, epoch=0, chunk=0, kind=kind,
                                      payload=frames))
    assert replies == [] and "not being placed" in caplog.text and core.partitions == {}


def test_an_aborted_stream_leaves_nothing_behind(core, exporter) -> None:
    header, chunks = chunks_of(exporter)
    replies = send_all(core, header, chunks[:3] + [(ABORT, [])])
    assert replies == [] and core.placing.assemblies == {} and core.partitions == {}


def test_a_strategy_function_travels_with_the_placement(core, program, exporter) -> None:
    g = sample_graph(True, VALUES["ints"])
    partitioning = Partitioning.by_function(2, program.lookup("side"))
    stream = PlacementStream(g, partitioning, exporter)
    (ready,) = send_all(core, stream.header(), list(stream.chunks(0)))
    assert ready.message.type == "PARTITION_READY"
    loaded, (cut, _) = core.partitions[("g", 0)], split(g, partitioning)
    assert loaded.partition.ghosts == cut.ghosts and loaded.owned == cut.owned_ids()
    assert loaded.partitioning.owner("n4") == 1 and loaded.plan == ship_plan(cut, partitioning)
    with pytest.raises(GraphoidError):  # no program on the worker: the function cannot be rebuilt
        PartitionAssembly(0, stream.header(), lambda bundle: None)


def test_a_chunk_number_skipped_fails_the_partition(core, exporter) -> None:
    header, chunks = chunks_of(exporter)
    assert core.handle(message("LOAD_PARTITION", graph="g", part=0, epoch=0, payload=header)) == []
    kind, frames = chunks[0]
    (failed,) = core.handle(message("PARTITION_CHUNK", graph="g", part=0, epoch=0, chunk=1, kind=kind, payload=frames))
    assert failed.message.type == "PARTITION_FAILED"
    assert "chunk 1 (nodes) out of order" in decode(failed.message.payload[0]).message
