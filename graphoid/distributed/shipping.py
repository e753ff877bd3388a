"""Payload frames of the two things shipped once and kept: a program bundle and a partition.

SOURCES payload: one msgpack map `{"entry": str, "sources": {file: text}, "stdlib": [[file,
name, digest]]}`; the worker rebuilds the ProgramBundle and checks its hash.

LOAD_PARTITION payload: `[placement, graph]` or `[placement, graph, function]`: `placement` is
a msgpack map `{"bundle", "count", "strategy", "bounds", "ghosts", "to_peer", "from_peer"}`
(ship plans as `[[peer, [ids]]]` pairs), `graph` the codec-encoded partition graph (owned
nodes, ghosts with value none, every edge touching an owned node) and `function` the encoded
strategy function of a `:function` partitioning.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import attrs
import msgpack

from graphoid.distributed.codec import CodecError, decode, encode
from graphoid.distributed.partition import Partition, Partitioning, ShipPlan
from graphoid.distributed.program import FunctionExporter, FunctionTable, ProgramBundle, SourceFile, StdlibFile
from graphoid.graphs.graph import Graph

PROTOCOL_ERROR = "ProtocolError"


def _bad(what: str) -> CodecError:
    return CodecError(PROTOCOL_ERROR, f"invalid {what}")


def _unpack(frame: bytes, what: str) -> Any:
    try:
        return msgpack.unpackb(frame, raw=False, strict_map_key=False)
    except Exception:  # any parser failure means the same: not what the sender claims
        raise _bad(what) from None


# ----------------------------------------------------------------------------- bundles


def pack_bundle(bundle: ProgramBundle) -> bytes:
    return msgpack.packb({
        "entry": bundle.entry,
        "sources": {source.filename: source.text for source in bundle.sources},
        "stdlib": [[lib.filename, lib.name, lib.digest] for lib in bundle.stdlib],
    })


def unpack_bundle(frame: bytes) -> ProgramBundle:
    """The bundle a SOURCES frame holds (its hash is computed from the content)."""
    raw = _unpack(frame, "program bundle")
    if type(raw) is not dict or type(raw.get("entry")) is not str:
        raise _bad("program bundle")
    sources, stdlib = raw.get("sources"), raw.get("stdlib")
    if type(sources) is not dict or not all(type(k) is str and type(v) is str for k, v in sources.items()):
        raise _bad("program bundle sources")
    if type(stdlib) is not list or not all(
        type(item) is list and len(item) == 3 and all(type(part) is str for part in item) for item in stdlib
    ):
        raise _bad("program bundle stdlib list")
    return ProgramBundle(
        raw["entry"],
        tuple(SourceFile(name, text) for name, text in sources.items()),
        tuple(StdlibFile(*item) for item in stdlib),
    )


# ----------------------------------------------------------------------------- partitions


@attrs.define
class LoadedPartition:
    """A partition as a worker holds it: the local graph, how ids map, what it ships to whom."""

    partition: Partition
    partitioning: Partitioning
    plan: ShipPlan
    owned: list[str]  # owned ids, ascending
    bundle: str


def pack_partition(
    partition: Partition, partitioning: Partitioning, plan: ShipPlan, exporter: FunctionExporter
) -> list[bytes]:
    placement = {
        "bundle": exporter.bundle.hash,
        "count": partitioning.count,
        "strategy": partitioning.strategy,
        "bounds": list(partitioning.bounds),
        "ghosts": sorted(partition.ghosts),
        "to_peer": [[peer, list(ids)] for peer, ids in plan.to_peer.items()],
        "from_peer": [[peer, list(ids)] for peer, ids in plan.from_peer.items()],
    }
    frames = [msgpack.packb(placement), encode(partition.graph, functions=exporter)]
    if partitioning.function is not None:
        frames.append(encode(partitioning.function, functions=exporter))
    return frames


def unpack_partition(
    index: int, frames: Sequence[bytes], table_of: Callable[[str], FunctionTable | None]
) -> LoadedPartition:
    """The partition a LOAD_PARTITION carries (`table_of(bundle hash)`: the worker's compiled
    program, for a strategy function or function values in the graph); CodecError for
    anything malformed."""
    if len(frames) not in (2, 3):
        raise _bad("partition payload")
    raw = _unpack(frames[0], "partition placement")
    if type(raw) is not dict or type(raw.get("bundle")) is not str:
        raise _bad("partition placement")
    bundle = raw["bundle"]
    table = table_of(bundle)
    count, strategy = raw.get("count"), raw.get("strategy")
    # bounds may repeat (more partitions than distinct ids): a set would shift every owner after them
    bounds, ghosts = sorted(_string_list(raw.get("bounds"), "bounds")), _strings(raw.get("ghosts"), "ghosts")
    if type(count) is not int or count < 1 or not 0 <= index < count or strategy not in ("hash", "range", "function"):
        raise _bad("partition placement")
    function = decode(frames[2], functions=table) if len(frames) == 3 else None
    if (strategy == "function") != (function is not None):
        raise _bad("partition strategy function")
    graph = decode(frames[1], functions=table)
    if type(graph) is not Graph or not ghosts <= set(graph._nodes):
        raise _bad("partition graph")
    partition = Partition(index, graph, ghosts)
    return LoadedPartition(
        partition,
        Partitioning(count, strategy, tuple(bounds), function),
        ShipPlan(_plan(raw.get("to_peer")), _plan(raw.get("from_peer"))),
        partition.owned_ids(),
        bundle,
    )


def _string_list(value: Any, what: str) -> list[str]:
    if type(value) is not list or not all(type(item) is str for item in value):
        raise _bad(f"partition {what}")
    return value


def _strings(value: Any, what: str) -> set[str]:
    return set(_string_list(value, what))


def _plan(value: Any) -> dict[int, tuple[str, ...]]:
    if type(value) is not list:
        raise _bad("ship plan")
    plan: dict[int, tuple[str, ...]] = {}
    for item in value:
        if type(item) is not list or len(item) != 2 or type(item[0]) is not int:
            raise _bad("ship plan")
        plan[item[0]] = tuple(sorted(_strings(item[1], "ship plan")))
    return plan
