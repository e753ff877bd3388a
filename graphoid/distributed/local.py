"""The :local executor: every distributed operation on a local graph, run in the driver.

`distributed.configure({executor: :local})` (or GRAPHOID_EXECUTOR=local) starts no workers:
`distribute(g)` gives a local graph and each operation below runs the worker's own code
(core.py's task bodies, views.py) over that graph as one partition, so a program prints what
it prints on the executors. Results are the DistributedResult shapes over local values.
"""

from __future__ import annotations

import os
from typing import Any, Iterable

from graphoid.distributed import codec
from graphoid.distributed.edgelist import PartitionBuilder, byte_ranges, read_range
from graphoid.distributed.core import emitted_pairs, fold_nodes, map_nodes, query_partition, reduce_groups
from graphoid.distributed.graphstore import Manifest, partition_file, read_partition, write_partition
from graphoid.distributed.partition import Partition, Partitioning, join, ship_plan, split
from graphoid.distributed.program import FunctionExporter, FunctionTable
from graphoid.distributed.shipping import LoadedPartition
from graphoid.distributed.results import DistributedResult, LocalItemResults, LocalKeyedResults, LocalNodeResults
from graphoid.distributed.views import NodeView
from graphoid.graphs.graph import Graph
from graphoid.values.types import GList, GMap


def placed_copy(graph: Graph) -> Graph:
    """What `distribute(graph)` gives: a deep copy (the caller's graph stays untouched, as when
    its data goes to workers) whose nodes are in ascending id order, the order a distributed
    graph lists them (nodes(), replies of request, reduce)."""
    return _in_id_order(graph.clone())


def _in_id_order(graph: Graph) -> Graph:
    """`graph` (not yet shared) with its nodes reordered by ascending id; adjacency unchanged."""
    order = sorted(graph._nodes)
    graph._nodes = {node_id: graph._nodes[node_id] for node_id in order}
    out = graph._out
    graph._out = {node_id: out[node_id] for node_id in order}
    into = graph.in_map()
    graph.set_in_map({node_id: into[node_id] for node_id in order})
    return graph


def load_edges(path: str, directed: bool) -> Graph:
    """The edge list read here, as the workers read theirs (edgelist.py), into one partition."""
    (start, end), = byte_ranges(path, 1)
    builder = PartitionBuilder(0, lambda node_id: 0, directed)
    builder.add(read_range(path, start, end))
    graph, _ = builder.finish()
    return _in_id_order(graph)


def save_graph(graph: Graph, directory: str, exporter: FunctionExporter) -> tuple[Partitioning, list[tuple[str, int, str]]]:
    """`graph` written to the store as one partition, the file a worker writes for a
    one-partition distributed graph: its partitioning and [(file, bytes, digest)]."""
    partitioning = Partitioning.by_hash(1)
    part, = split(graph, partitioning)
    loaded = LoadedPartition(part, partitioning, ship_plan(part, partitioning), part.owned_ids(), exporter.bundle.hash)
    path = partition_file(directory, 0)
    size, digest = write_partition(path, loaded, exporter)
    return partitioning, [(os.path.basename(path), size, digest)]


def load_saved(directory: str, manifest: Manifest, table: FunctionTable) -> Graph:
    """A saved graph, every partition file read and checked here, joined into one local graph."""
    parts = [
        read_partition(os.path.join(directory, file), index, size, digest, lambda _saved: table).partition
        for index, (file, size, digest) in enumerate(manifest.files)
    ]
    return join(parts, manifest.directed)


def _owned(graph: Graph) -> list[str]:
    return sorted(graph.node_ids())


def map_graph(graph: Graph, fn: Any) -> LocalNodeResults:
    return LocalNodeResults(map_nodes(graph, _owned(graph), fn))


def map_items(items: Iterable[Any], fn: Any) -> LocalItemResults:
    return LocalItemResults(GList(fn(item) for item in items))


def reduce_graph(graph: Graph, init: Any, fn: Any) -> Any:
    """The fold in ascending id order (with combine: one partition's partial is the result,
    as combine folds the partials starting from the first)."""
    return fold_nodes(graph, _owned(graph), init, fn)


def query_graph(graph: Graph, fn: Any) -> Any:
    """fn(the partition view of the whole graph): a list of the one partial."""
    return GList([query_partition(Partition(0, graph, set()), _owned(graph), fn)])


def map_reduce_local(source: Graph | GList, map_fn: Any, reduce_fn: Any) -> LocalKeyedResults:
    """map per node (ascending id) or item, reduce per key with values in (source, emit) order."""
    if isinstance(source, Graph):
        sources: Iterable[Any] = (NodeView(source, node_id) for node_id in _owned(source))
    else:
        sources = source
    emitted = (emitted_pairs(map_fn(item)) for item in sources)
    return LocalKeyedResults(reduce_groups(emitted, reduce_fn, codec.encode))


# ---------------------------------------------------------------------------- results used again


def map_result(result: DistributedResult, fn: Any) -> DistributedResult:
    """fn over the values of a :local result, its keys kept (as map_values does on workers)."""
    if isinstance(result, LocalNodeResults):
        return LocalNodeResults(GMap((key, fn(value)) for key, value in result.entries()))
    if isinstance(result, LocalKeyedResults):
        return LocalKeyedResults(GList(GList([key, fn(value)]) for key, value in result.entries()))
    return LocalItemResults(GList(fn(value) for value in result.values_in_order()))


def reduce_result(result: DistributedResult, init: Any, fn: Any) -> Any:
    """The fold over the values in key order (with combine: one object, so one partial)."""
    acc = init
    for value in result.values_in_order():
        acc = fn(acc, value)
    return acc
