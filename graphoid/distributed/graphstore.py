"""The graph store: named distributed graphs saved in a directory, one directory per name.

    <store>/<name>/manifest.json     format version, partitioning, counts, one entry per partition
    <store>/<name>/part-<i>.gdp      partition i, written and read by the worker that holds it

`<store>` is `$GRAPHOID_HOME/graphs`, else `$XDG_DATA_HOME/graphoid/graphs`, else
`~/.local/share/graphoid/graphs`. A partition file is a msgpack array `[FORMAT_VERSION, frames]`
where `frames` are a LOAD_PARTITION payload (shipping.py: placement, codec-encoded partition
graph with its ghosts, ship plan). The manifest records each file's size and blake2b digest, so
a truncated or altered file is an error naming it, never a wrong graph. The manifest is written
last: a save that failed half-way leaves no loadable graph.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from typing import Any, Callable

import attrs
import msgpack

from graphoid.distributed.partition import Partitioning
from graphoid.distributed.program import FunctionExporter, FunctionTable
from graphoid.distributed.shipping import LoadedPartition, pack_partition, unpack_partition
from graphoid.errors import GraphoidError

FORMAT_VERSION = 2  # 2: codec graphs carry their adjacency maps in order
MANIFEST = "manifest.json"
STORE_ERROR = "StoreError"
_PART_FILE = re.compile(r"part-[0-9]+\.gdp")
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}")


def store_root() -> str:
    """The directory holding every saved graph (not created until a save)."""
    home = os.environ.get("GRAPHOID_HOME")
    if home:
        return os.path.join(os.path.abspath(home), "graphs")
    data = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(os.path.abspath(data), "graphoid", "graphs")


def graph_directory(name: Any) -> str:
    """The directory of a saved graph; a clear error for a name that is not a plain file name."""
    if not isinstance(name, str):
        raise GraphoidError("TypeError", f"a saved graph's name must be a string, not {type(name).__name__}")
    if "/" in name or "\\" in name or os.sep in name:
        raise GraphoidError("ValueError", f"graph name '{name}' must not contain a path separator")
    if _NAME.fullmatch(name) is None:
        raise GraphoidError(
            "ValueError",
            f"graph name '{name}' must be 1-128 letters, digits, '_', '-' or '.', not starting with '.' or '-'",
        )
    return os.path.join(store_root(), name)


def partition_file(directory: str, index: int) -> str:
    return os.path.join(directory, f"part-{index}.gdp")


@attrs.frozen
class Manifest:
    """What a saved graph's manifest.json says."""

    name: str
    directed: bool
    partitioning: Partitioning
    node_count: int
    edge_count: int
    files: tuple[tuple[str, int, str], ...]  # per partition: file name, size in bytes, digest

    def to_json(self) -> str:
        partitioning = self.partitioning
        return json.dumps({
            "format": FORMAT_VERSION,
            "name": self.name,
            "directed": self.directed,
            "partitioning": {"count": partitioning.count, "strategy": partitioning.strategy,
                             "bounds": list(partitioning.bounds)},
            "nodes": self.node_count,
            "edges": self.edge_count,
            "partitions": [{"file": file, "bytes": size, "digest": digest} for file, size, digest in self.files],
        }, indent=1)


def write_manifest(directory: str, manifest: Manifest) -> None:
    _write_atomically(os.path.join(directory, MANIFEST), manifest.to_json().encode("utf-8"))


def read_manifest(name: str) -> tuple[str, Manifest]:
    """The directory and manifest of saved graph `name`; StoreError when absent or unreadable."""
    directory = graph_directory(name)
    path = os.path.join(directory, MANIFEST)
    try:
        with open(path, "rb") as handle:
            raw = json.loads(handle.read().decode("utf-8"))
    except FileNotFoundError:
        raise GraphoidError(STORE_ERROR, f"no saved graph named '{name}' (looked in {store_root()})") from None
    except OSError as exc:
        raise GraphoidError(STORE_ERROR, f"cannot read '{path}': {exc.strerror or exc}") from None
    except ValueError:
        raise GraphoidError(STORE_ERROR, f"'{path}' is corrupt (not a JSON manifest)") from None
    return directory, _manifest(raw, path)


def _manifest(raw: Any, path: str) -> Manifest:
    if type(raw) is not dict:
        raise GraphoidError(STORE_ERROR, f"'{path}' is corrupt (not a manifest)")
    version = raw.get("format")
    if version != FORMAT_VERSION:
        raise GraphoidError(
            STORE_ERROR, f"'{path}' has store format version {version!r}; this Graphoid reads version {FORMAT_VERSION}"
        )
    try:
        spec = raw["partitioning"]
        count, strategy, bounds = spec["count"], spec["strategy"], spec["bounds"]
        files = tuple((entry["file"], entry["bytes"], entry["digest"]) for entry in raw["partitions"])
        name, directed, nodes, edges = raw["name"], raw["directed"], raw["nodes"], raw["edges"]
        valid = (
            type(count) is int and count >= 1 and strategy in ("hash", "range") and type(bounds) is list
            and all(type(bound) is str for bound in bounds) and len(files) == count
            and all(type(file) is str and os.path.basename(file) == file and type(size) is int
                    and type(digest) is str for file, size, digest in files)
            and type(name) is str and type(directed) is bool and type(nodes) is int and type(edges) is int
        )
    except (KeyError, TypeError, ValueError):
        valid = False
    if not valid:
        raise GraphoidError(STORE_ERROR, f"'{path}' is corrupt (missing or malformed fields)")
    return Manifest(name, directed, Partitioning(count, strategy, tuple(bounds)), nodes, edges, files)


def remove_saved_files(directory: str) -> None:
    """Remove a graph saved under `directory` before (manifest first: never a mixed graph)."""
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise GraphoidError(STORE_ERROR, f"cannot read '{directory}': {exc.strerror or exc}") from None
    ordered = sorted(names, key=lambda file: file != MANIFEST)
    for file in ordered:
        if file == MANIFEST or _PART_FILE.fullmatch(file):
            try:
                os.remove(os.path.join(directory, file))
            except OSError as exc:
                raise GraphoidError(STORE_ERROR, f"cannot replace '{directory}': {exc.strerror or exc}") from None


def write_partition(path: str, loaded: LoadedPartition, exporter: FunctionExporter) -> tuple[int, str]:
    """Write one partition file; returns its size and digest (for the manifest)."""
    frames = pack_partition(loaded.partition, loaded.partitioning, loaded.plan, exporter)
    data = msgpack.packb([FORMAT_VERSION, frames])
    _write_atomically(path, data)
    return len(data), _digest(data)


def read_partition(path: str, index: int, size: int, digest: str,
                   table: Callable[[str], FunctionTable | None]) -> LoadedPartition:
    """Read and check one partition file; StoreError naming the file for anything wrong."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise GraphoidError(STORE_ERROR, f"cannot read partition file '{path}': {exc.strerror or exc}") from None
    if len(data) != size:
        raise GraphoidError(STORE_ERROR, f"partition file '{path}' is truncated or corrupt "
                                         f"({len(data)} bytes, the manifest says {size})")
    if _digest(data) != digest:
        raise GraphoidError(STORE_ERROR, f"partition file '{path}' is corrupt (its digest does not match the manifest)")
    try:
        version, frames = msgpack.unpackb(data, raw=False)
    except Exception:  # any parser failure means the same: not a partition file
        raise GraphoidError(STORE_ERROR, f"partition file '{path}' is corrupt") from None
    if version != FORMAT_VERSION:
        raise GraphoidError(STORE_ERROR, f"partition file '{path}' has format version {version!r}; "
                                         f"this Graphoid reads version {FORMAT_VERSION}")
    if type(frames) is not list or not all(type(frame) is bytes for frame in frames):
        raise GraphoidError(STORE_ERROR, f"partition file '{path}' is corrupt")
    try:
        return unpack_partition(index, frames, table)
    except GraphoidError as error:
        raise GraphoidError(STORE_ERROR, f"partition file '{path}' is corrupt ({error.message})") from None


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _write_atomically(path: str, data: bytes) -> None:
    """Write via a temporary file and rename, so a reader never sees half a file."""
    temporary = f"{path}.tmp{os.getpid()}"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError as exc:
        raise GraphoidError(STORE_ERROR, f"cannot write '{path}': {exc.strerror or exc}") from None
