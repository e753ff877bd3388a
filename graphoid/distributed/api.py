"""The Graphoid module `distributed` (`import "distributed"`): docs/distributed.md is its manual.

Each member is a Python function bound to the importing Interpreter's Session; Graphoid named
arguments arrive as keyword arguments (`partitions: 4` -> partitions=4).
"""

from __future__ import annotations

from functools import partial
from typing import Any, Callable

from graphoid.distributed.dgraph import DistributedGraph
from graphoid.distributed.graphstore import (
    Manifest, graph_directory, read_manifest, remove_saved_files, write_manifest,
)
from graphoid.distributed import actors, local
from graphoid.distributed import refs
from graphoid.distributed.partition import Partitioning
from graphoid.distributed.program import FunctionExporter, FunctionTable, ProgramBundle
from graphoid.distributed.results import DistributedResult, ItemResults, KeyedResults, NodeResults
from graphoid.distributed.session import Session
from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Graph
from graphoid.graphs.methods import GRAPH_METHODS
from graphoid.values.format import display, type_name
from graphoid.values.types import GList, GMap, Symbol

_SESSIONS_ATTRIBUTE = "_distributed_session"


def session_of(interp: Any) -> Session:
    """The Interpreter's session (made on first use; closed with the interpreter's workers at exit)."""
    session = getattr(interp, _SESSIONS_ATTRIBUTE, None)
    if session is None:
        session = Session(interp)
        setattr(interp, _SESSIONS_ATTRIBUTE, session)
    return session


def module_members(interp: Any) -> dict[str, Any]:
    """The members of `import "distributed"` for `interp`."""
    session = session_of(interp)
    members: dict[str, Callable[..., Any]] = {
        "configure": lambda options: session.configure(options),
        "distribute": lambda graph, **options: distribute(session, graph, **options),
        "graph": lambda config=None: empty_graph(session, config),
        "map": lambda source, fn, **options: map_(session, source, fn, **options),
        "reduce": lambda source, init, fn, **options: reduce_(session, source, init, fn, **options),
        "map_reduce": lambda source, **options: map_reduce(session, source, **options),
        "query": lambda graph, fn, **options: query(session, graph, fn, **options),
        "stats": lambda: stats(session),
        # pattern queries and iterative algorithms
        "find_pattern": lambda graph, *items: find_pattern(session, graph, *items),
        "iterate": lambda graph, **options: iterate(session, graph, **options),
        # load_edges and the graph store
        "load_edges": lambda path, **options: load_edges(session, path, **options),
        "save": lambda graph, name: save(session, graph, name),
        "load": lambda name: load(session, name),
        # futures and runs (refs.py)
        "submit": lambda fn, *args, **kwargs: refs.submit(session, fn, *args, **kwargs),
        "run": lambda fn, inputs=None, **options: refs.run(session, fn, inputs, **options),
        "results": lambda run_id: refs.results(session, run_id),
        "status": lambda run_id: refs.status(session, run_id),
        "end_run": lambda run_id: refs.end_run(session, run_id),
        # actors on workers (actors.py)
        "spawn": lambda template, on=None: actors.spawn(session, template, on),
        # non-blocking submission: wait for some of the refs submit returned (refs.py)
        "wait": lambda refs_, **options: refs.wait(session, refs_, **options),
    }
    for name, fn in members.items():
        fn._gd_name = f"distributed.{name}"  # type: ignore[attr-defined]
    return members


# ---------------------------------------------------------------------------- graphs


def distribute(session: Session, graph: Any, partitions: Any = None, strategy: Any = None, name: Any = None) -> DistributedGraph:
    """A local graph's data layer cut into partitions on the workers."""
    if not isinstance(graph, Graph):
        raise GraphoidError("TypeError", f"distributed.distribute expects a graph, got {type_name(graph)}")
    if session.local():
        _partitioning(strategy, 1 if partitions is None else partitions, graph)  # the same checks
        session.graph_name(name)
        return local.placed_copy(graph)
    executor = session.executor()
    count = len(executor.worker_ids) if partitions is None else partitions
    partitioning = _partitioning(strategy, count, graph)
    placement = executor.place_graph(session.graph_name(name), graph, partitioning)
    handle = DistributedGraph(session.executor, placement, graph.node_count(), graph.edge_count(), graph.directed)
    template = graph.behavior.handler_template
    if template is not None:
        handle.set_behavior(template)
    return handle


def empty_graph(session: Session, config: Any = None) -> DistributedGraph:
    """`distributed.graph({name:, partitions:, strategy:, type:})`: an empty distributed graph."""
    options = dict(config.items()) if isinstance(config, (GMap, dict)) else {}
    if config is not None and not isinstance(config, (GMap, dict)):
        raise GraphoidError("TypeError", "distributed.graph expects a map, e.g. {name: \"web\", partitions: 4}")
    unknown = set(options) - {"name", "partitions", "strategy", "type"}
    if unknown:
        raise GraphoidError("ValueError", f"distributed.graph has no option '{sorted(unknown)[0]}' (name, partitions, strategy, type)")
    kind = options.get("type", Symbol("directed"))
    graph = Graph(kind)
    return distribute(session, graph, options.get("partitions"), options.get("strategy"), options.get("name"))


def _partitioning(strategy: Any, count: Any, graph: Graph) -> Partitioning:
    if type(count) is not int or count < 1:
        raise GraphoidError("ValueError", f"partitions: must be a positive whole number, not {display(count)}")
    if strategy is None or strategy == Symbol("hash"):
        return Partitioning.by_hash(count)
    if strategy == Symbol("range"):
        return Partitioning.by_range(count, graph.node_ids())
    if callable(strategy):
        return Partitioning.by_function(count, strategy)
    raise GraphoidError("ValueError", f"strategy: must be :hash, :range or a function of the node id, not {display(strategy)}")


def _placed(graph: Any, operation: str, session: Session | None = None) -> DistributedGraph | Graph:
    """A distributed graph, or with executor :local a local one (the operation runs in the driver)."""
    if isinstance(graph, Graph) and session is not None and session.local():
        return graph
    if not isinstance(graph, DistributedGraph):
        raise GraphoidError(
            "TypeError", f"distributed.{operation} expects a distributed graph (from distributed.distribute), "
            f"got {type_name(graph)}"
        )
    return graph


# ---------------------------------------------------------------------------- load_edges and the graph store


def load_edges(session: Session, path: Any, directed: Any = True, partitions: Any = None,
               name: Any = None) -> DistributedGraph:
    """A distributed graph from a whitespace edge list (SNAP format), each worker parsing its
    own byte range: node values none, edge type "edge", weights from the third column."""
    if not isinstance(path, str):
        raise GraphoidError("TypeError", f"distributed.load_edges expects a file path (a string), got {type_name(path)}")
    if not isinstance(directed, bool):
        raise GraphoidError("TypeError", f"directed: must be true or false, not {display(directed)}")
    if session.local():
        _partitioning(None, 1 if partitions is None else partitions, Graph())  # the same checks
        session.graph_name(name)
        return local.load_edges(path, directed)
    executor = session.executor()
    count = len(executor.worker_ids) if partitions is None else partitions
    if type(count) is not int or count < 1:
        raise GraphoidError("ValueError", f"partitions: must be a positive whole number, not {display(count)}")
    placement, nodes, edges = executor.load_edges(session.graph_name(name), path, directed, count)
    return DistributedGraph(executor, placement, nodes, edges, directed)


def save(session: Session, graph: Any, name: Any) -> None:
    """Save a distributed graph's partitions under `name` in the graph store (each worker
    writes its own partitions; the manifest is written last). Replaces a graph saved before."""
    placed = _placed(graph, "save", session)
    directory = graph_directory(name)
    if isinstance(placed, Graph):
        remove_saved_files(directory)
        partitioning, files = local.save_graph(placed, directory, FunctionExporter(session.interp))
    else:
        executor = session.executor()
        remove_saved_files(directory)
        partitioning, files = placed.placement.partitioning, executor.save_graph(placed.name, directory)
    write_manifest(directory, Manifest(name, placed.directed, partitioning, placed.node_count(),
                                       placed.edge_count(), tuple(files)))


def load(session: Session, name: Any) -> DistributedGraph | Graph:
    """A saved graph placed on the workers (each reads its own partition files), or with
    executor :local one local graph. Behaviour templates are not saved: call set_behavior again."""
    directory, manifest = read_manifest(name)
    if session.local():
        return local.load_saved(directory, manifest, _function_table(session.interp))
    executor = session.executor()
    placement = executor.load_saved(session.graph_name(name), directory, manifest)
    return DistributedGraph(executor, placement, manifest.node_count, manifest.edge_count, manifest.directed)


def _function_table(interp: Any) -> FunctionTable:
    """The program's own functions, for function values among a saved graph's node values
    (what a worker's table holds)."""
    table = FunctionTable(interp)
    table.load(ProgramBundle.from_interpreter(interp))
    return table


# ---------------------------------------------------------------------------- operations


def map_(session: Session, source: Any, fn: Any, chunk_size: Any = None) -> DistributedResult:
    """fn per node of a distributed graph (keyed by node id) or per item of a list (by index)."""
    _want_function(fn, "map")
    if isinstance(source, Graph) and session.local():
        return local.map_graph(source, fn)
    if isinstance(source, DistributedGraph):
        executor = session.executor()
        results = executor.partition_map(source.name, fn, _ctx=session.context())
        return NodeResults(executor, results, source.placement.partitioning, source.node_count())
    if isinstance(source, (GList, list)):
        if chunk_size is not None and (type(chunk_size) is not int or chunk_size < 1):
            raise GraphoidError("ValueError", f"chunk_size: must be a positive whole number, not {display(chunk_size)}")
        if session.local():
            return local.map_items(source, fn)
        executor = session.executor()
        return ItemResults(executor, executor.map(fn, {0: GList(source)}, 0, _ctx=session.context(),
                                                  chunk_size=chunk_size))
    if isinstance(source, DistributedResult):
        if session.local():
            return local.map_result(source, fn)
        executor = session.executor()
        return source.over(executor.map_values(source.stored(), fn, _ctx=session.context()))
    raise GraphoidError("TypeError", f"distributed.map expects a distributed graph, a list or a distributed result, got {type_name(source)}")


def reduce_(session: Session, source: Any, init: Any, fn: Any, combine: Any = None) -> Any:
    """Fold fn(acc, node) over the nodes in ascending id order (with combine:, per partition
    and then across partitions in partition order)."""
    _want_function(fn, "reduce")
    if combine is not None:
        _want_function(combine, "reduce (combine:)")
    if isinstance(source, DistributedResult):
        return _reduce_result(session, source, init, fn, combine)
    graph = _placed(source, "reduce", session)
    if isinstance(graph, Graph):
        return local.reduce_graph(graph, init, fn)
    executor = session.executor()
    meta = executor.partition_reduce(graph.name, init, fn, combine, _ctx=session.context())
    return executor.fetch(meta)


def _reduce_result(session: Session, source: DistributedResult, init: Any, fn: Any, combine: Any) -> Any:
    """reduce over a result's values in key order, where they are; only the keys of node and
    map_reduce results come to the driver (for the order), and the final value."""
    if session.local():
        return local.reduce_result(source, init, fn)
    executor = session.executor()
    meta = executor.fold_values(source.stored(), init, fn, combine, _ctx=session.context())
    return init if meta is None else executor.fetch(meta)


def map_reduce(session: Session, source: Any, map: Any = None, reduce: Any = None) -> DistributedResult:  # noqa: A002
    """map(node or item) -> [[k, v], ...], shuffled worker to worker; reduce(k, values) per key."""
    _want_function(map, "map_reduce (map:)")
    _want_function(reduce, "map_reduce (reduce:)")
    if isinstance(source, DistributedGraph):
        target: Any = source.name
    elif isinstance(source, (GList, list)):
        target = GList(source)
    elif isinstance(source, DistributedResult):
        if session.local():
            return local.map_reduce_local(GList(source.values_in_order()), map, reduce)
        target = source.stored()
    elif isinstance(source, Graph) and session.local():
        return local.map_reduce_local(source, map, reduce)
    else:
        raise GraphoidError("TypeError", f"distributed.map_reduce expects a distributed graph, a list or a distributed result, got {type_name(source)}")
    if isinstance(target, GList) and session.local():
        return local.map_reduce_local(target, map, reduce)
    executor = session.executor()
    return KeyedResults(executor, executor.map_reduce(target, map, reduce, _ctx=session.context()))


def query(session: Session, graph: Any, fn: Any, aggregate: Any = None) -> Any:
    """fn(partition) at every partition (predicate pushdown): the lists it returns, concatenated
    (sorted by id when they hold nodes), or aggregate(list of partials)."""
    _want_function(fn, "query")
    placed = _placed(graph, "query", session)
    if isinstance(placed, Graph):
        partials = local.query_graph(placed, fn)
    else:
        executor = session.executor()
        results = executor.partition_query(placed.name, fn, _ctx=session.context())
        partials = [executor.fetch(meta) for meta in results.parts]
    if aggregate is not None:
        _want_function(aggregate, "query (aggregate:)")
        return aggregate(GList(partials))
    combined: list[Any] = []
    for partial in partials:
        if isinstance(partial, (GList, list)):
            combined.extend(partial)
        elif partial is not None:
            combined.append(partial)
    if combined and all(isinstance(item, str) for item in combined):
        combined.sort()
    return GList(combined)


def stats(session: Session) -> GList:
    """Per worker: its counters (supersteps, messages and bytes sent, objects held, ...)."""
    if not session.started or session.local():
        return GList()
    executor = session.executor()
    return GList(
        GMap({"worker": worker, **counters}) for worker, counters in sorted(executor.stats().items())
    )


# ---------------------------------------------------------------------------- patterns, iterations


def find_pattern(session: Session, graph: Any, *items: Any) -> Any:
    """The bindings of a pattern (a `pattern { ... }` literal or node()/edge() items), equal to
    local `g.match` on the same graph: match results, sorted by node ids in variable order."""
    if not items:
        raise GraphoidError("TypeError", "distributed.find_pattern expects a graph and a pattern")
    placed = _placed(graph, "find_pattern", session)
    if isinstance(placed, Graph):
        return GRAPH_METHODS["match"](placed, *items)
    return placed.match(*items)


def iterate(session: Session, graph: Any, step: Any = None, init: Any = None, converged: Any = None,
            max_iterations: Any = None, measure: Any = None, start: Any = None) -> int:
    """An iterative algorithm as BSP broadcasts plus a reduce (RUNTIME_STUDY 2.4): broadcast
    `init` once, then per iteration broadcast `step` (each a whole messaging call), fold
    `measure(acc, node)` from `start` over the nodes and stop when `converged(stats)` holds,
    stats = {iteration:, value:}; at most `max_iterations`. Returns the iterations run."""
    placed = _placed(graph, "iterate", session)
    if step is None:
        raise GraphoidError("TypeError", "distributed.iterate needs step: (the message broadcast each iteration)")
    if converged is None and max_iterations is None:
        raise GraphoidError("TypeError", "distributed.iterate needs converged: or max_iterations: (or both)")
    if max_iterations is not None and (type(max_iterations) is not int or max_iterations < 1):
        raise GraphoidError("ValueError",
                            f"max_iterations: must be a positive whole number, not {display(max_iterations)}")
    if converged is not None:
        _want_function(converged, "iterate (converged:)")
    if measure is not None:
        _want_function(measure, "iterate (measure:)")
    broadcast = placed.broadcast if isinstance(placed, DistributedGraph) else partial(GRAPH_METHODS["broadcast"], placed)
    if init is not None:
        broadcast(init)
    iteration = 0
    while max_iterations is None or iteration < max_iterations:
        broadcast(step)
        iteration += 1
        if converged is None:
            continue
        value = reduce_(session, placed, start, measure) if measure is not None else None
        verdict = converged(GMap({"iteration": iteration, "value": value}))
        if verdict is not None and verdict is not False:
            break
    return iteration


def _want_function(fn: Any, operation: str) -> None:
    if not callable(fn) or isinstance(fn, (Graph, DistributedGraph)):
        raise GraphoidError("TypeError", f"distributed.{operation} expects a function, got {type_name(fn)}")
