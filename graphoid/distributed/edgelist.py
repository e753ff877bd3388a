"""Whitespace edge lists (the SNAP format), read by byte ranges so that each worker parses its
own share of the file and the driver never holds the graph.

A line is `source target [weight]`, fields separated by spaces or tabs; blank lines and lines
whose first non-blank character is `#` are skipped. A line belongs to the range its first byte
falls in, so ranges that split the file anywhere read every line exactly once.

`PartitionBuilder` turns the edges a partition receives (in file order: chunks are added in
range order) into the same partition graph that cutting the whole loaded graph would give.
"""

from __future__ import annotations

import os
from itertools import repeat
from typing import Callable, Iterable

import attrs

from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Graph, make_entry

DEFAULT_EDGE_TYPE = "edge"
_COMMENT = ord("#")


@attrs.define
class EdgeChunk:
    """The edges of one byte range, as parallel lists (weights None when no line had one)."""

    sources: list[str] = attrs.field(factory=list)
    targets: list[str] = attrs.field(factory=list)
    weights: list[float | int | None] | None = None

    def __len__(self) -> int:
        return len(self.sources)


def byte_ranges(path: str | os.PathLike[str], count: int) -> list[tuple[int, int]]:
    """`count` contiguous ranges covering the file (some may be empty for tiny files)."""
    size = _size(path)
    count = max(1, count)
    bounds = [size * i // count for i in range(count + 1)]
    return [(bounds[i], bounds[i + 1]) for i in range(count)]


def read_range(path: str | os.PathLike[str], start: int, end: int) -> EdgeChunk:
    """The edges of the lines that begin in [start, end)."""
    name = os.fspath(path)
    chunk = EdgeChunk()
    if end <= start:
        return chunk
    try:
        with open(name, "rb") as handle:
            if start > 0:
                handle.seek(start - 1)
                if handle.read(1) != b"\n":
                    handle.readline()  # the line in progress belongs to the previous range
            first = handle.tell()
            if first >= end:
                return chunk
            data = handle.read(end - first)
            if not data.endswith(b"\n"):
                data += handle.readline()  # finish the last line that begins before `end`
    except OSError as exc:
        raise GraphoidError("IOError", f"cannot read edge list '{name}': {exc.strerror or exc}") from None
    _parse(data, chunk, name, first)
    return chunk


def _parse(data: bytes, chunk: EdgeChunk, name: str, offset: int) -> None:
    sources, targets = chunk.sources, chunk.targets
    weights: list[float | int | None] | None = None
    ids: dict[bytes, str] = {}  # one str per distinct id
    position = offset
    for line in data.split(b"\n"):
        fields = line.split()
        length = len(line) + 1
        if not fields or fields[0][0] == _COMMENT:
            position += length
            continue
        if len(fields) == 2:
            src, dst = fields
            weight = None
        elif len(fields) == 3:
            src, dst, raw = fields
            weight = _number(raw, name, position)
        else:
            raise _line_error(name, position, f"expected 'source target [weight]', found {len(fields)} fields")
        source = ids.get(src)
        if source is None:
            source = ids[src] = _text(src, name, position)
        target = ids.get(dst)
        if target is None:
            target = ids[dst] = _text(dst, name, position)
        sources.append(source)
        targets.append(target)
        if weight is not None and weights is None:
            weights = [None] * (len(sources) - 1)
        if weights is not None:
            weights.append(weight)
        position += length
    chunk.weights = weights


def _text(raw: bytes, name: str, position: int) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _line_error(name, position, "a node id is not valid UTF-8") from None


def _number(raw: bytes, name: str, position: int) -> float | int:
    try:
        return int(raw)
    except ValueError:
        pass
    try:
        return float(raw)
    except ValueError:
        raise _line_error(name, position, f"weight '{raw.decode('utf-8', 'replace')}' is not a number") from None


def _line_error(name: str, position: int, message: str) -> GraphoidError:
    """An error naming the line (counted only now: the error path may read the file again)."""
    try:
        with open(name, "rb") as handle:
            line = handle.read(position).count(b"\n") + 1
    except OSError:
        line = 0
    return GraphoidError("ValueError", f"{name}:{line}: {message}")


def _size(path: str | os.PathLike[str]) -> int:
    try:
        return os.path.getsize(path)
    except OSError as exc:
        raise GraphoidError("IOError", f"cannot read edge list '{os.fspath(path)}': {exc.strerror or exc}") from None


def route(chunk: EdgeChunk, owner: Callable[[str], int], count: int) -> list[EdgeChunk]:
    """`chunk` split by destination partition: each edge goes to its source's owner and to its
    target's (once when they are the same), keeping the file order."""
    owners: dict[str, int] = {}
    routed = [EdgeChunk() for _ in range(count)]
    weights = chunk.weights
    if weights is not None:
        for part in routed:
            part.weights = []
    for position, (src, dst) in enumerate(zip(chunk.sources, chunk.targets)):
        home = owners.get(src)
        if home is None:
            home = owners[src] = owner(src)
        away = owners.get(dst)
        if away is None:
            away = owners[dst] = owner(dst)
        for index in (home,) if home == away else (home, away):
            part = routed[index]
            part.sources.append(src)
            part.targets.append(dst)
            if weights is not None:
                part.weights.append(weights[position])  # type: ignore[union-attr]
    return routed


class PartitionBuilder:
    """Builds one partition graph from the edges routed to it (`route`), in file order: owned
    endpoints become nodes with value none, other endpoints ghosts; adjacency as
    `Graph.add_edge` would leave it (a repeated edge replaces the earlier one in place)."""

    def __init__(self, index: int, owner: Callable[[str], int], directed: bool, edge_type: str = DEFAULT_EDGE_TYPE) -> None:
        self.index = index
        self.owner = owner
        self.graph = Graph("directed" if directed else "undirected")
        self.graph.in_map()  # the index exists from the start: add fills it alongside _out
        self.ghosts: set[str] = set()
        self.edge_type = edge_type

    def add(self, chunk: EdgeChunk) -> None:
        """The edges of `chunk` (each touching a node this partition owns), in order."""
        graph = self.graph
        nodes, out, into = graph._nodes, graph._out, graph.in_map()
        directed = graph.directed
        edge_type = self.edge_type
        count = graph._edge_count
        weights: Iterable[float | int | None] = chunk.weights if chunk.weights is not None else repeat(None)
        for src, dst, weight in zip(chunk.sources, chunk.targets, weights):
            if src not in nodes:
                self._node(src, nodes, out, into, directed)
            if dst not in nodes:
                self._node(dst, nodes, out, into, directed)
            succ = out[src]
            if dst not in succ:
                count += 1
            succ[dst] = into[dst][src] = make_entry(src, dst, edge_type, weight, None, directed)
        graph._edge_count = count

    def _node(self, node_id: str, nodes: dict, out: dict, into: dict, directed: bool) -> None:
        nodes[node_id] = None
        out[node_id] = {}
        if directed:
            into[node_id] = {}
        if self.owner(node_id) != self.index:
            self.ghosts.add(node_id)

    def finish(self) -> tuple[Graph, set[str]]:
        graph = self.graph
        graph._topo += 1
        graph._vals += 1
        return graph, self.ghosts
