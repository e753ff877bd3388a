"""The one interface the distributed API runs on; it never learns which executor it has.

Seed 002: `run(fn, inputs, output_name=None, _ctx=None)` and `map(fn, inputs, map_over,
output_name=None, _ctx=None)` have the same shape; `_ctx` (a RunContext) is private and
carries the run id. Results stay where they were computed (seed 000): every operation returns
metadata (ObjectMeta and the result shapes below); `fetch` moves a value to the driver.

`inputs` maps argument names to values: an int key is a position (0, 1, ...), a string key a
Graphoid parameter name. A value may be an `ObjectMeta` (an object of the same run: it is
passed by reference and fetched worker to worker, never through the driver).

The executors in this package implement it: InProcessExecutor (cores in this process, for
tests and debugging) and ClusterExecutor (local worker processes); a Dask executor can
implement it later (ROADMAP).
"""

from __future__ import annotations

import abc
from typing import Any, Mapping, Sequence

import attrs

from graphoid.distributed.partition import Partitioning
from graphoid.distributed.registry import GraphPlacement, ObjectMeta
from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Graph
from graphoid.runtime.interpreter import Interpreter

__all__ = [
    "Executor", "GraphPlacement", "MapChunk", "MapResult", "ObjectMeta", "Parallelism", "PartitionResults",
    "RunContext", "ShuffleResult", "StoredValues",
]

SEQUENTIAL = "sequential"
PARALLEL = "parallel"


@attrs.frozen(slots=True)
class RunContext:
    """The private context of a run (seed 002-3): every object it makes is keyed by `run_id`."""

    run_id: str


@attrs.frozen(slots=True)
class MapChunk:
    """One chunk of a map: a list object holding the results of items start..start+count-1."""

    meta: ObjectMeta
    start: int
    count: int


@attrs.frozen
class MapResult:
    """Where a map's results are: chunks in item order."""

    run_id: str
    chunks: tuple[MapChunk, ...]

    def __len__(self) -> int:
        return sum(chunk.count for chunk in self.chunks)

    def locate(self, index: int) -> tuple[MapChunk, int]:
        """The chunk holding item `index` and the item's position in it."""
        for chunk in self.chunks:
            if chunk.start <= index < chunk.start + chunk.count:
                return chunk, index - chunk.start
        raise GraphoidError("IndexError", f"a map of {len(self)} items has no item {index}")


@attrs.frozen
class PartitionResults:
    """One object per partition of graph `graph` (index i: partition i's result)."""

    run_id: str
    graph: str
    parts: tuple[ObjectMeta, ...]


@attrs.frozen
class ShuffleResult:
    """A map_reduce's output: bucket r holds the [key, result] pairs of the keys whose
    stable_hash(encoded key) % len(buckets) is r, in first-emitted order."""

    run_id: str
    buckets: tuple[ObjectMeta, ...]


@attrs.frozen
class StoredValues:
    """A result's objects, used in place by another operation: each of `shape` (entries.py),
    in order (the chunks, partitions or buckets of the result)."""

    shape: str
    objects: tuple[ObjectMeta, ...]


@attrs.frozen
class Parallelism:
    """Seed 002-5: how much of one operation runs at once, set separately for node-level
    work (a run's tasks, one task per partition) and for map items.

    `parallel` spreads an operation's tasks over up to `max_workers` workers (all when None) and
    keeps several in flight on each; `sequential` keeps one task of the operation in flight at a
    time (deterministic interleaving of worker output; for debugging). In one process the
    in-process executor always runs one message at a time, so `sequential` is its honest
    default; with `parallel` it only spreads tasks over its cores as a cluster would."""

    nodes: str = PARALLEL
    maps: str = PARALLEL
    max_workers: int | None = None

    def __attrs_post_init__(self) -> None:
        for name in ("nodes", "maps"):
            if getattr(self, name) not in (SEQUENTIAL, PARALLEL):
                raise GraphoidError("ValueError", f"{name} parallelism must be :sequential or :parallel")
        if self.max_workers is not None and (type(self.max_workers) is not int or self.max_workers < 1):
            raise GraphoidError("ValueError", "max_workers must be a positive whole number")


@attrs.define
class GraphCounts:
    """A distributed graph's node and edge counts, kept by its handle (dgraph.py); a messaging
    call updates them when handlers change the topology."""

    nodes: int
    edges: int


class Executor(abc.ABC):
    """Runs Graphoid functions where the data is; see the module docstring."""

    @property
    @abc.abstractmethod
    def worker_ids(self) -> tuple[str, ...]:
        """The workers that are alive."""

    # ---- programs and runs

    @abc.abstractmethod
    def load_program(self, interp: Interpreter) -> None:
        """Make `interp`'s program (its bundle) the one functions are sent from; ships it to
        every worker that lacks it. Call again after the program has compiled more code."""

    @abc.abstractmethod
    def new_run(self, run_id: str | None = None) -> RunContext:
        """Open a run (a fresh id, or the caller's, who then keeps it unique: seed 001-1)."""

    @abc.abstractmethod
    def end_run(self, _ctx: RunContext) -> None:
        """Close a run: every worker drops its objects and cached arguments."""

    @abc.abstractmethod
    def objects(self, _ctx: RunContext) -> list[ObjectMeta]:
        """Everything the run has computed (metadata only)."""

    # ---- tasks

    @abc.abstractmethod
    def run(self, fn: Any, inputs: Mapping[int | str, Any], output_name: str | None = None,
            _ctx: RunContext | None = None) -> ObjectMeta:
        """fn(inputs) on one worker (the one holding most argument bytes); the result stays there."""

    @abc.abstractmethod
    def submit(self, fn: Any, inputs: Mapping[int | str, Any], output_name: str | None = None,
               _ctx: RunContext | None = None) -> Any:
        """`run` without waiting: a task handle whose `done`, `objects` (the result's ObjectMeta)
        and `error` fill in as the task's reply is handled (by `wait_tasks`, or any later wait)."""

    @abc.abstractmethod
    def wait_tasks(self, tasks: Sequence[Any], count: int, timeout: float | None) -> None:
        """Handle replies until `count` of the submitted `tasks` are done or `timeout` seconds
        passed (None: no limit); a task on a worker that is lost is done with WorkerLostError."""

    @abc.abstractmethod
    def map(self, fn: Any, inputs: Mapping[int | str, Any], map_over: str | int | Sequence[str | int],
            output_name: str | None = None, _ctx: RunContext | None = None,
            chunk_size: int | None = None) -> MapResult:
        """fn once per item of the `map_over` inputs (several are zipped), the other inputs
        fixed; items go out in chunks of `chunk_size` (1: one task and one object per item)."""

    # ---- distributed graphs

    @abc.abstractmethod
    def place_graph(self, name: str, graph: Graph, partitioning: Partitioning) -> GraphPlacement:
        """Cut `graph` into partitions and place partition i on a worker."""

    @abc.abstractmethod
    def drop_graph(self, name: str) -> None:
        """Forget a distributed graph everywhere."""

    @abc.abstractmethod
    def placement(self, name: str) -> GraphPlacement:
        """The current placement of a distributed graph."""

    @abc.abstractmethod
    def partition_map(self, name: str, fn: Any, output_name: str | None = None,
                      _ctx: RunContext | None = None) -> PartitionResults:
        """fn(node view) for every node; partition i's results (a map id -> result) stay on its worker."""

    @abc.abstractmethod
    def partition_reduce(self, name: str, init: Any, fn: Any, combine: Any = None,
                         _ctx: RunContext | None = None) -> ObjectMeta:
        """Fold fn(acc, node view) over the nodes in ascending id order: the accumulator moves
        from partition to partition; with `combine`, partitions fold from `init` at once and
        combine(a, b) folds the partials in partition order."""

    @abc.abstractmethod
    def partition_query(self, name: str, fn: Any, _ctx: RunContext | None = None) -> PartitionResults:
        """fn(partition view) once per partition."""

    @abc.abstractmethod
    def map_reduce(self, source: str | Sequence[Any] | StoredValues, map_fn: Any, reduce_fn: Any,
                   _ctx: RunContext | None = None) -> ShuffleResult:
        """map_fn(node view, item or stored value) -> [[k, v], ...], shuffled worker to worker by
        key; reduce_fn(k, values) with values in (source, emit) order."""

    # ---- results used in place (a DistributedResult passed to another operation)

    @abc.abstractmethod
    def map_values(self, values: StoredValues, fn: Any, _ctx: RunContext | None = None) -> StoredValues:
        """fn over every value, at the worker holding it; keys and layout kept."""

    @abc.abstractmethod
    def fold_values(self, values: StoredValues, init: Any, fn: Any, combine: Any = None,
                    _ctx: RunContext | None = None) -> ObjectMeta | None:
        """Fold fn(acc, value) over the values in key order (the accumulator moves from object to
        object; only keys reach the driver); with `combine`, each object folds from `init` and
        combine(a, b) folds the partials in object order. None when there is no value."""

    # ---- messaging and node reads on distributed graphs

    @abc.abstractmethod
    def messaging(self, name: str, message: Any, *, collect: bool, targets: Any, max_supersteps: int,
                  atomic: bool, counts: "GraphCounts") -> dict[str, Any]:
        """One broadcast/send/request as supersteps on every partition (G1-G5 of a local graph);
        `targets`: None (every node), ("to", ids), ("where", fn) or ("from", id, via); the
        replies of a request (`collect`) by node id. `counts` (the graph's, as its handle
        knows them) follow the topology changes handlers make (at the commit, or as they are
        applied when the call is not atomic)."""

    @abc.abstractmethod
    def graph_read(self, name: str, op: str, *args: Any) -> Any:
        """A question the partitions answer: nodes, get_node, has_node, neighbors, to_local."""

    @abc.abstractmethod
    def set_behavior(self, name: str, template: Any) -> None:
        """Every partition's behaviour template (nodes activate lazily, as on a local graph)."""

    # ---- pattern queries and mutations on distributed graphs

    @abc.abstractmethod
    def find_pattern(self, name: str, pattern: Any) -> list[Any]:
        """The bindings of a Pattern (maps variable -> node id), as local `g.match` gives them."""

    @abc.abstractmethod
    def mutate(self, name: str, op: str, parts: Sequence[int], args: Sequence[Any]) -> list[Any]:
        """Apply a graph mutation (add_node, add_edge, remove_node, remove_edge) at each
        partition of `parts`; each partition's count changes, in ascending partition order."""

    # ---- actors on workers (distributed.spawn; the driver's side is executor/actors.py)

    @abc.abstractmethod
    def place_actor(self, template: Graph, actor_id: int, run_id: str, on: int | None) -> str:
        """Run a copy of `template` as actor `actor_id` of run `run_id` on a worker (`on`: its
        index among the live workers); returns the worker id."""

    # `actor_host` / `actor_wire` (distributed/actors.py): the driver's ActorHost, which carries
    # the messages of actor handles, and the codec handles in the driver's values use.

    # ---- data

    @abc.abstractmethod
    def fetch(self, meta: ObjectMeta, item: int | None = None, key: str | None = None,
              keys: str | None = None) -> Any:
        """Move an object (or one item of a list object, one entry of a map object, or the keys in
        key order of a result object of shape `keys`) to the driver."""

    @abc.abstractmethod
    def free(self, metas: Sequence[ObjectMeta]) -> None:
        """Drop objects before their run ends."""

    @abc.abstractmethod
    def stats(self) -> dict[str, dict[str, int]]:
        """Per worker counters: tasks, messages and bytes sent, objects and bytes held,
        fetches served, cache hits and misses, supersteps."""

    @abc.abstractmethod
    def close(self) -> None:
        """Stop the workers (idempotent)."""

    def __enter__(self) -> "Executor":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
