"""Both executors through one test body: the in-process one and a 2-worker local cluster.

The seed requirements (RUNTIME_STUDY §4): results stay on workers until fetched, arguments move
worker to worker and are cached, runs are isolated, wrong run ids are clear errors, and a killed
worker fails the operation within 5 s naming it. One cluster serves the whole module; each test
opens its own run. Every process is killed by pid at teardown if it is still running.
"""

from __future__ import annotations

import io
import os
import signal
import threading
import time

import pytest
from cluster_support import kill_leftovers

from graphoid.distributed import placing
from graphoid.distributed.dgraph import DistributedGraph
from graphoid.distributed.executor.base import Parallelism, RunContext
from graphoid.distributed.executor.cluster import ClusterExecutor
from graphoid.distributed.executor.inprocess import InProcessExecutor
from graphoid.distributed.membership import LivenessConfig
from graphoid.distributed.partition import Partitioning
from graphoid.distributed.registry import ObjectMeta
from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Graph
from graphoid.runtime.interpreter import Interpreter
from graphoid.values.types import GList, GMap

pytestmark = pytest.mark.timeout(60)

PROGRAM = """
fn inc(x) { return x + 1 }
fn add(a, b) { return a + b }
fn total(xs) { return xs.reduce(0, (a, b) => a + b) }
fn both(xs, ys) { return xs.length() + ys.length() }
fn block(n) { return range(1, n + 1).map(i => i * 2) }
fn fails_at(x) {
    if x == 7 { return x - "seven" }
    return x
}
fn slow(x) {
    s = 0
    for i in range(0, 300000) { s = s + i }
    return s
}
fn rank(n) { return n.degree() * 10 }
fn count_nodes(acc, n) { return acc + 1 }
fn collect(acc, n) { return acc + [n.id] }
fn plus(a, b) { return a + b }
fn heavy_ids(p) { return p.nodes().filter(n => n.out_degree() > 1).map(n => n.id) }
fn words(n) { return n.value.split(" ").map(w => [w, 1]) }
fn words_of(text) { return text.split(" ").map(w => [w, 1]) }
fn count(k, vs) { return vs.reduce(0, (a, b) => a + b) }
fn say(x) {
    print("hello from a worker")
    return x
}
web = graph { type: :directed }
web.add_node("a", "the cat")
web.add_node("b", "the dog")
web.add_node("c", "a cat and a dog")
web.add_node("d", "the end")
web.add_edge("a", "b")
web.add_edge("a", "c")
web.add_edge("b", "c")
web.add_edge("c", "a")
web.add_edge("d", "a")
"""


@pytest.fixture(scope="module")
def program() -> Interpreter:
    interp = Interpreter(stdout=io.StringIO())
    interp.run(PROGRAM, "exec_prog.gd")
    return interp


@pytest.fixture(scope="module")
def worker_lines():
    return []


@pytest.fixture(scope="module")
def cluster(program, worker_lines):
    # 2 s of silence before a worker counts as dead: no false deaths on a loaded machine.
    executor = ClusterExecutor(2, liveness=LivenessConfig(interval=0.25, misses=8),
                               sink=lambda *line: worker_lines.append(line))
    try:
        executor.load_program(program)
        yield executor
    finally:
        pids = executor.pids
        executor.close()
        kill_leftovers(pids)


@pytest.fixture(scope="module")
def inprocess(program):
    executor = InProcessExecutor(2, make_interpreter=lambda: Interpreter(stdout=io.StringIO()))
    executor.load_program(program)
    yield executor
    executor.close()


@pytest.fixture(params=["inprocess", "cluster"])
def executor(request):
    return request.getfixturevalue(request.param)


@pytest.fixture
def run(executor):
    ctx = executor.new_run()
    yield ctx
    executor.end_run(ctx)


def fn(program: Interpreter, name: str):
    return program.lookup(name)


def stats_of(executor) -> dict[str, dict[str, int]]:
    return executor.stats()


# ----------------------------------------------------------------------------- tasks and maps


def test_run_and_fetch(executor, program, run):
    meta = executor.run(fn(program, "add"), {0: 40, 1: 2}, _ctx=run)
    assert isinstance(meta, ObjectMeta) and meta.type_tag == "num" and meta.owner in executor.worker_ids
    assert executor.fetch(meta) == 42


def test_named_inputs(executor, program, run):
    meta = executor.run(fn(program, "add"), {"b": "!", "a": "hi"}, _ctx=run)
    assert executor.fetch(meta) == "hi!"


@pytest.mark.parametrize("chunk_size", [None, 1, 7, 10_000])
def test_map_matches_a_local_map(executor, program, run, chunk_size):
    items = GList(range(200))
    result = executor.map(fn(program, "inc"), {0: items}, 0, chunk_size=chunk_size, _ctx=run)
    assert len(result) == 200
    fetched = [value for chunk in result.chunks for value in executor.fetch(chunk.meta)]
    assert fetched == [x + 1 for x in items]
    chunk, offset = result.locate(150)
    assert executor.fetch(chunk.meta, item=offset) == 151


def test_map_zips_inputs_and_keeps_constants(executor, program, run):
    result = executor.map(fn(program, "add"), {0: GList(["a", "b"]), 1: GList(["x", "y"])}, [0, 1], _ctx=run)
    assert [v for c in result.chunks for v in executor.fetch(c.meta)] == ["ax", "by"]
    result = executor.map(fn(program, "add"), {"a": GList([1, 2]), "b": 100}, "a", _ctx=run)
    assert [v for c in result.chunks for v in executor.fetch(c.meta)] == [101, 102]


def test_the_first_failing_item_is_reported_with_its_worker_and_stack(executor, program, run):
    with pytest.raises(GraphoidError) as info:
        executor.map(fn(program, "fails_at"), {0: GList(range(20))}, 0, chunk_size=1, _ctx=run)
    error = info.value
    assert error.kind == "TypeError" and error.span.file == "exec_prog.gd" and error.span.line == 8
    assert error.hint.startswith("raised on worker ")
    assert [entry.function for entry in error.trace] == ["fails_at"]
    assert "exec_prog.gd:8" in program.format_error(error)


def test_bad_inputs_are_clear_errors(executor, program, run):
    with pytest.raises(GraphoidError, match="must be a list"):
        executor.map(fn(program, "inc"), {0: 5}, 0, _ctx=run)
    with pytest.raises(GraphoidError, match="not an input"):
        executor.map(fn(program, "inc"), {0: GList([1])}, "nope", _ctx=run)
    with pytest.raises(GraphoidError, match="same length"):
        executor.map(fn(program, "add"), {0: GList([1]), 1: GList([1, 2])}, [0, 1], _ctx=run)
    with pytest.raises(GraphoidError, match=r"0\.\.n-1"):
        executor.run(fn(program, "add"), {1: 1, 2: 2}, _ctx=run)
    with pytest.raises(GraphoidError) as info:
        executor.run(print, {}, _ctx=run)
    assert info.value.kind == "SerializationError"


# ----------------------------------------------------------------------------- seed 000: data stays put


def test_results_stay_on_workers_until_fetched(executor, program, run):
    before = executor.received_bytes
    result = executor.map(fn(program, "block"), {0: GList([2000] * 8)}, 0, chunk_size=1, _ctx=run)
    held = sum(chunk.meta.size for chunk in result.chunks)
    assert held > 8 * 2000  # ints of up to 4000 take 1-3 bytes each
    metadata = executor.received_bytes - before
    assert metadata < held / 10  # DONE reports carried sizes, not values
    fetched_before = executor.fetched_bytes
    value = executor.fetch(result.chunks[3].meta)
    assert len(value[0]) == 2000
    assert executor.fetched_bytes - fetched_before == result.chunks[3].meta.size


def test_an_argument_moves_worker_to_worker_and_is_cached(executor, program, run):
    # chunk 0 on worker 0 (small), chunk 1 on worker 1 (large): a task using both goes to
    # worker 1, which fetches chunk 0 from worker 0 directly, then serves it from its cache.
    parts = executor.map(fn(program, "block"), {0: GList([3, 3000])}, 0, chunk_size=1, _ctx=run)
    small, large = (chunk.meta for chunk in parts.chunks)
    assert (small.owner, large.owner) == ("0", "1")
    before = stats_of(executor)
    driver_bytes = executor.received_bytes
    first = executor.run(fn(program, "both"), {0: small, 1: large}, _ctx=run)
    second = executor.run(fn(program, "both"), {0: small, 1: large}, _ctx=run)
    assert executor.received_bytes - driver_bytes < 64  # two DONE reports: the argument never went via the driver
    assert first.owner == second.owner == "1"
    after = stats_of(executor)
    assert after["0"]["fetches_served"] - before["0"]["fetches_served"] == 1
    assert after["1"]["cache_misses"] - before["1"]["cache_misses"] == 1
    assert after["1"]["cache_hits"] - before["1"]["cache_hits"] == 1
    assert executor.fetch(first) == 2


def test_free_drops_objects_on_their_worker(executor, program, run):
    meta = executor.run(fn(program, "block"), {0: 100}, _ctx=run)
    held = stats_of(executor)[meta.owner]["objects_held"]
    executor.free([meta])
    assert stats_of(executor)[meta.owner]["objects_held"] == held - 1
    with pytest.raises(GraphoidError) as info:
        executor.fetch(meta)
    assert info.value.kind == "ObjectLostError"


# ----------------------------------------------------------------------------- seed 001: runs


def test_runs_of_the_same_program_are_isolated(executor, program):
    first, second = executor.new_run(), executor.new_run()
    try:
        a = executor.run(fn(program, "add"), {0: 1, 1: 1}, output_name="out", _ctx=first)
        b = executor.run(fn(program, "add"), {0: 50, 1: 50}, output_name="out", _ctx=second)
        assert (a.oid, b.oid) == ("out", "out")
        assert executor.fetch(a) == 2 and executor.fetch(b) == 100
        assert [meta.oid for meta in executor.objects(first)] == ["out"]
        with pytest.raises(GraphoidError, match="belongs to run"):
            executor.run(fn(program, "total"), {0: a}, _ctx=second)
    finally:
        executor.end_run(first)
    assert executor.fetch(b) == 100  # ending one run leaves the other alone
    executor.end_run(second)


def test_tasks_of_different_runs_share_a_worker(executor, program):
    runs = [executor.new_run() for _ in range(3)]
    metas = [executor.map(fn(program, "inc"), {0: GList(range(4))}, 0, chunk_size=2, _ctx=ctx) for ctx in runs]
    owners = [{chunk.meta.owner for chunk in result.chunks} for result in metas]
    assert all(owner_set == {"0", "1"} for owner_set in owners)
    assert [executor.fetch(result.chunks[0].meta) for result in metas] == [[1, 2]] * 3
    for ctx in runs:
        executor.end_run(ctx)


def test_concurrent_runs_from_threads(executor, program):
    results: dict[int, object] = {}

    def work(index: int) -> None:
        ctx = executor.new_run()
        result = executor.map(fn(program, "inc"), {0: GList(range(index * 100, index * 100 + 50))}, 0, _ctx=ctx)
        results[index] = [v for chunk in result.chunks for v in executor.fetch(chunk.meta)]
        executor.end_run(ctx)

    threads = [threading.Thread(target=work, args=(index,)) for index in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert results == {i: [x + 1 for x in range(i * 100, i * 100 + 50)] for i in range(3)}


def test_wrong_and_ended_run_ids(executor, program):
    with pytest.raises(GraphoidError) as info:
        executor.run(fn(program, "inc"), {0: 1}, _ctx=RunContext("no-such-run"))
    assert info.value.kind == "RunError" and "'no-such-run'" in info.value.message
    ctx = executor.new_run("my-run-id")
    meta = executor.run(fn(program, "inc"), {0: 1}, _ctx=ctx)
    executor.end_run(ctx)
    with pytest.raises(GraphoidError, match="run 'my-run-id' has ended"):
        executor.fetch(meta)
    with pytest.raises(GraphoidError, match="run 'my-run-id' has ended"):
        executor.objects(ctx)
    with pytest.raises(GraphoidError, match="already|ended"):
        executor.new_run("my-run-id")


# ----------------------------------------------------------------------------- distributed graphs


@pytest.fixture
def placed(executor, program):
    name = f"web-{id(executor)}"
    try:
        executor.placement(name)
    except GraphoidError:
        executor.place_graph(name, program.lookup("web"), Partitioning.by_range(2, ["a", "b", "c", "d"]))
    return name


def test_partition_map_reduce_and_query(executor, program, run, placed):
    assert executor.placement(placed).owners == ("0", "1")
    ranks = executor.partition_map(placed, fn(program, "rank"), _ctx=run)
    merged = {}
    for meta in ranks.parts:
        merged.update(executor.fetch(meta))
    assert merged == {"a": 40, "b": 20, "c": 30, "d": 10}
    assert executor.fetch(ranks.parts[1], key="c") == 30
    ordered = executor.partition_reduce(placed, GList(), fn(program, "collect"), _ctx=run)
    assert executor.fetch(ordered) == ["a", "b", "c", "d"]  # ascending ids, across partitions
    counted = executor.partition_reduce(placed, 0, fn(program, "count_nodes"), fn(program, "plus"), _ctx=run)
    assert executor.fetch(counted) == 4
    heavy = executor.partition_query(placed, fn(program, "heavy_ids"), _ctx=run)
    assert [executor.fetch(meta) for meta in heavy.parts] == [["a"], []]


def test_a_graph_placed_in_many_chunks_comes_back_whole(executor, monkeypatch):
    # chunked placement (placing.py): a graph far bigger than one chunk, weights, properties,
    # edge types; to_local reads every partition back (it leaves out node types and edge
    # properties: test_placing.py checks those arrive)
    monkeypatch.setattr(placing, "CHUNK_ENTRIES", 7)
    graph = Graph()
    for i in range(60):
        graph.add_node(f"n{i}", i * 1.5 if i % 2 else GList([i]))
    for i in range(60):
        for step in (1, 7, 13):
            graph.add_edge(f"n{i}", f"n{(i * step + 1) % 60}", "link" if i % 3 else "edge",
                           i if i % 5 else None, GMap({"i": i}) if i % 4 == 0 else None)
    placement = executor.place_graph("chunked", graph, Partitioning.by_hash(2))
    try:
        back = DistributedGraph(executor, placement, graph.node_count(), graph.edge_count(), True).to_local()
    finally:
        executor.drop_graph("chunked")
    assert dict(back._nodes) == dict(graph._nodes)
    edges = lambda g: sorted((e.src, e.dst, e.type, str(e.weight)) for e in g.iter_edges())  # noqa: E731
    assert edges(back) == edges(graph)


def test_map_reduce_over_a_graph_and_a_list(executor, program, run, placed):
    shuffled = executor.map_reduce(placed, fn(program, "words"), fn(program, "count"), _ctx=run)
    counts = {k: v for meta in shuffled.buckets for k, v in executor.fetch(meta)}
    assert counts == {"the": 3, "cat": 2, "dog": 2, "a": 2, "and": 1, "end": 1}
    texts = GList(["x y", "y z", "x", "z z z"])
    listed = executor.map_reduce(texts, fn(program, "words_of"), fn(program, "count"), _ctx=run)
    assert len(listed.buckets) == 2
    assert {k: v for meta in listed.buckets for k, v in executor.fetch(meta)} == {"x": 2, "y": 2, "z": 4}


def test_a_failing_map_side_fails_the_shuffle(executor, program, run):
    with pytest.raises(GraphoidError) as info:
        executor.map_reduce(GList(["fine", 3]), fn(program, "words_of"), fn(program, "count"), _ctx=run)
    assert info.value.hint.startswith("raised on worker")


def test_a_graph_name_that_is_not_placed(executor, program, run):
    with pytest.raises(GraphoidError, match="no distributed graph named 'nowhere'"):
        executor.partition_map("nowhere", fn(program, "rank"), _ctx=run)


# ----------------------------------------------------------------------------- stats and output


def test_stats_count_work(executor, program, run):
    executor.map(fn(program, "inc"), {0: GList(range(10))}, 0, _ctx=run)
    stats = stats_of(executor)
    assert set(stats) == {"0", "1"}
    for counters in stats.values():
        assert counters["tasks_run"] > 0 and counters["messages_sent"] > 0 and counters["bytes_sent"] > 0
        assert {"objects_held", "bytes_held", "fetches_served", "cache_hits", "cache_misses", "supersteps"} <= set(counters)


def test_worker_output_reaches_the_driver(cluster, program, worker_lines):
    ctx = cluster.new_run()
    cluster.run(fn(program, "say"), {0: 1}, _ctx=ctx)
    cluster.end_run(ctx)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not any("hello from a worker" in line[2] for line in worker_lines):
        time.sleep(0.05)
    assert any(stream == "stdout" and "hello from a worker" in text for _, stream, text in worker_lines)


def test_parallelism_settings_are_checked():
    with pytest.raises(GraphoidError, match="sequential or :parallel"):
        Parallelism(nodes="threaded")
    with pytest.raises(GraphoidError, match="max_workers"):
        Parallelism(max_workers=0)


def test_sequential_maps_give_the_same_results(program):
    executor = InProcessExecutor(3, parallelism=Parallelism(max_workers=2))
    executor.load_program(program)
    result = executor.map(fn(program, "inc"), {0: GList(range(30))}, 0, chunk_size=5)
    assert {chunk.meta.owner for chunk in result.chunks} == {"0", "1"}  # spread over at most 2
    assert [v for chunk in result.chunks for v in executor.fetch(chunk.meta)] == list(range(1, 31))


# ----------------------------------------------------------------------------- lost workers


def test_a_lost_in_process_worker_takes_its_objects_and_partitions(program):
    executor = InProcessExecutor(2)
    executor.load_program(program)
    before = executor.map(fn(program, "inc"), {0: GList([1, 2])}, 0, chunk_size=1)
    executor.place_graph("lost", program.lookup("web"), Partitioning.by_range(2, ["a", "b", "c", "d"]))
    executor.kill("1")
    assert executor.worker_ids == ("0",)
    with pytest.raises(GraphoidError) as info:
        executor.fetch(before.chunks[1].meta)
    assert info.value.kind == "ObjectLostError"
    with pytest.raises(GraphoidError, match="partition 1 of graph 'lost' was lost with worker 1"):
        executor.partition_map("lost", fn(program, "rank"))
    after = executor.map(fn(program, "inc"), {0: GList([1, 2])}, 0, chunk_size=1)  # the survivor carries on
    assert {chunk.meta.owner for chunk in after.chunks} == {"0"}
    assert executor.fetch(before.chunks[0].meta) == [2]


@pytest.mark.timeout(60)
def test_a_killed_worker_fails_the_operation_within_5_seconds(program):
    executor = ClusterExecutor(2, liveness=LivenessConfig(interval=0.25, misses=8), sink=lambda *line: None)
    pids = list(executor.pids)
    try:
        executor.load_program(program)
        ctx = executor.new_run()
        kept = executor.map(fn(program, "inc"), {0: GList(range(4))}, 0, chunk_size=2, _ctx=ctx)
        victim = pids[1]
        killed_at: list[float] = []

        def kill_soon() -> None:
            time.sleep(1.0)
            killed_at.append(time.monotonic())
            os.kill(victim, signal.SIGKILL)

        killer = threading.Thread(target=kill_soon)
        killer.start()
        # each item runs ~0.1 s: 200 items keep both workers busy for ~10 s if nothing fails
        with pytest.raises(GraphoidError) as info:
            executor.map(fn(program, "slow"), {0: GList(range(200))}, 0, chunk_size=1, _ctx=ctx)
        detected = time.monotonic() - killed_at[0]
        killer.join()
        error = info.value
        assert error.kind == "WorkerLostError"
        assert "worker 1" in error.message and f"pid {victim}" in error.message and "SIGKILL" in error.message
        assert "map-" in error.message  # the objects lost with it are named
        assert detected < 5.0
        assert executor.worker_ids == ("0",)
        lost_chunk = next(chunk.meta for chunk in kept.chunks if chunk.meta.owner == "1")
        with pytest.raises(GraphoidError) as info:
            executor.fetch(lost_chunk)
        assert info.value.kind == "ObjectLostError"
        survivor = next(chunk.meta for chunk in kept.chunks if chunk.meta.owner == "0")
        assert executor.fetch(survivor) == [1, 2]
    finally:
        executor.close()
        kill_leftovers(pids)


def test_a_long_task_does_not_silence_its_worker(program):
    # Heartbeats every 0.1 s, dead after 0.3 s of silence; one task of about a second: the
    # worker's loop answers heartbeats while its core thread runs the task.
    executor = ClusterExecutor(1, liveness=LivenessConfig(interval=0.1, misses=3), sink=lambda *line: None)
    pids = list(executor.pids)
    try:
        executor.load_program(program)
        started = time.monotonic()
        result = executor.map(fn(program, "slow"), {0: GList(range(40))}, 0, chunk_size=40)
        assert time.monotonic() - started > 0.3  # longer than the liveness timeout
        assert executor.fetch(result.chunks[0].meta) == [sum(range(300000))] * 40
        assert executor.worker_ids == ("0",)
    finally:
        executor.close()
        kill_leftovers(pids)
