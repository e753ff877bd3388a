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
from itertools import compress, repeat
from operator import eq, itemgetter, or_
from typing import Callable, Iterable

import attrs

from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Graph, make_entry

DEFAULT_EDGE_TYPE = "edge"
_COMMENT = ord("#")
_FIRST = itemgetter(0)
_SECOND = itemgetter(1)


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
    if _parse_plain(data, chunk):
        return
    _parse_lines(data, chunk, name, offset)


def _parse_plain(data: bytes, chunk: EdgeChunk) -> bool:
    """The common case in C-level passes: after any leading blank and comment lines, every line
    is `source target` (or blank), no `#` anywhere, every id valid UTF-8. False, with `chunk`
    untouched, for anything else: `_parse_lines` then reads it line by line (weights, comments
    further down, errors named by line)."""
    lines = data.split(b"\n")
    start = header_bytes = 0
    for line in lines:  # the header: a few lines at most
        fields = line.split()
        if fields and fields[0][0] != _COMMENT:
            break
        start += 1
        header_bytes += len(line) + 1
    if data.find(b"#", header_bytes) >= 0:
        return False
    body = lines[start:] if start else lines
    split_lines = list(filter(None, map(bytes.split, body)))  # (blank lines have no fields)
    if set(map(len, split_lines)) - {2}:
        return False
    raw_sources = list(map(_FIRST, split_lines))
    raw_targets = list(map(_SECOND, split_lines))
    try:
        # one str per distinct id, as the line-by-line reader makes
        ids = {raw: raw.decode("utf-8") for raw in dict.fromkeys(raw_sources + raw_targets)}
    except UnicodeDecodeError:
        return False
    chunk.sources.extend(map(ids.__getitem__, raw_sources))
    chunk.targets.extend(map(ids.__getitem__, raw_targets))
    return True


def _parse_lines(data: bytes, chunk: EdgeChunk, name: str, offset: int) -> None:
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
    target's (once when they are the same), keeping the file order. In C-level passes: the
    owner of each distinct id once, then per partition the edges that touch it."""
    sources, targets, weights = chunk.sources, chunk.targets, chunk.weights
    owners = {node: owner(node) for node in dict.fromkeys(sources + targets)}
    homes = list(map(owners.__getitem__, sources))
    aways = list(map(owners.__getitem__, targets))
    routed = []
    for index in range(count):
        touches = list(map(or_, map(eq, homes, repeat(index)), map(eq, aways, repeat(index))))
        routed.append(EdgeChunk(list(compress(sources, touches)), list(compress(targets, touches)),
                                None if weights is None else list(compress(weights, touches))))
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
            # (make_entry's answer for a plain directed edge, without the call)
            entry = edge_type if directed and weight is None else make_entry(src, dst, edge_type, weight, None, directed)
            succ[dst] = into[dst][src] = entry
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
