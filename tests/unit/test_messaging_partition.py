"""The local messaging engine run per partition (graphoid.messaging.partition), driven by the
superstep barrier, gives the same node states, replies and errors as the same call on a local
graph, whatever the partition count and strategy. Batches cross through the wire codec.

The driver below is the coordinator's loop without sockets: step every partition, hand each
its peers' batches, let the barrier decide.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphoid.distributed import codec
from graphoid.distributed.barrier import Commit, Continue, Rollback, StepFailure, SuperstepBarrier
from graphoid.distributed.partition import Partitioning, boundary_of, split
from graphoid.errors import GraphoidError
from graphoid.messaging.partition import Batch, PartitionRun
from graphoid.runtime.interpreter import Interpreter
from graphoid.values.types import GList, Symbol

PAGERANK = open(__file__.rsplit("/tests/", 1)[0] + "/examples/pagerank.gd").read().split("web = graph")[0]

# order-sensitive handlers: each node logs what reaches it, in delivery order
GOSSIP = """
graph Gossip {
    log = []
    hops = 0
    fn on_message(msg) {
        match msg {
            [:hello, sender] => {
                log = log + [sender]
                if hops < 2 {
                    hops = hops + 1
                    for n in self.neighbors() { self.graph.send([:hello, self.id], to: n) }
                }
            }
            [:ring, k] => {
                log = log + ["ring" + k.to_string()]
                if k > 0 { self.graph.broadcast([:ring, k - 1]) }
            }
            [:far, target] => {
                log = log + ["far"]
                self.graph.send([:hello, self.id], to: target)
            }
            :boom => {
                if self.id == "n3" or self.id == "n7" { raise RuntimeError("boom at " + self.id) }
                log = log + ["ok"]
            }
            :count => self.graph.node_count()
            [:bump, amount] => { hops = hops + amount }
        }
    }
}
"""


def build(source: str, template: str, edges: list[tuple[str, str]], nodes: list[str], directed: bool) -> Any:
    interp = Interpreter()
    interp.run(source)
    g = interp.run(f'g = graph {{ type: {":directed" if directed else ":undirected"} }}\ng')
    for node in nodes:
        g.add_node(node, None)
    for src, dst in edges:
        g.add_edge(src, dst, "link")
    g.call("set_behavior", (interp.lookup(template),))
    return g


def states(g: Any, node_ids: list[str]) -> dict[str, Any]:
    found = {}
    for node_id in node_ids:
        value = g.get_node(node_id)
        found[node_id] = None if value is None or not hasattr(value, "_props") else {
            k: codec.encode(v) for k, v in sorted(value._props.items())
        }
    return found


def wire(batch: Batch) -> Batch:
    """A batch as the receiving worker sees it: through the codec."""
    routed, head, messages, broadcasts = codec.decode(codec.encode(GList([
        GList(batch.routed) if batch.routed is not None else None, batch.head,
        GList(GList(m) for m in batch.messages), GList(GList(b) for b in batch.broadcasts),
    ])))
    return Batch(None if routed is None else list(routed), head, [list(m) for m in messages], [list(b) for b in broadcasts])


class _PlainProgram:
    """What supersteps' batch packing needs of a program (no functions in these batches)."""

    encode = staticmethod(codec.encode)


def worker_wire(batch: Batch) -> Batch:
    """A batch as a worker ships it (supersteps._pack_batch: payload columns included) and its
    peer unpacks it."""
    from graphoid.distributed.supersteps import _pack_batch, _unpack_batch

    frames, column = _pack_batch(batch, _PlainProgram)
    return _unpack_batch(frames, None, column)


def run_partitioned(g: Any, count: int, strategy: str, calls: list[tuple], seed: int = 0,
                    keep_boundaries: bool = False, like_workers: bool = False) -> tuple[list, Any]:
    """Run `calls` on `g` cut into `count` partitions; returns (per-call replies, partitions).
    `keep_boundaries`: every call gets the same Boundary objects, as a worker's calls do.
    `like_workers`: batches go as a worker packs them, and a whole-graph fold's stores wait
    for the run's own settle points (a worker's core thread settles sooner, never later)."""
    ids = g.node_ids()
    partitioning = Partitioning.by_hash(count) if strategy == "hash" else Partitioning.by_range(count, ids)
    parts = split(g, partitioning)
    everyone = set(ids)
    template = g.behavior.handler_template
    for part in parts:
        part.graph.behavior.handler_template = template
    results = []
    boundaries = []
    for call in calls:
        if not (keep_boundaries and boundaries):
            boundaries = [
                boundary_of(p, partitioning, node_count=len(ids), edge_count=g.edge_count(),
                            has_node=everyone.__contains__)
                for p in parts
            ]
        runs = [PartitionRun(p.graph, b) for p, b in zip(parts, boundaries)]
        if like_workers:
            for run in runs:
                run.defer_hook = _left_for_later
        kind, msg, *rest = call
        collect = kind == "request"
        for run, part in zip(runs, parts):
            if kind == "broadcast":
                run.seed_all(msg)
            else:
                targets = [t for t in rest[0] if part.owns(t)]
                run.seed(targets, msg)
        barrier = SuperstepBarrier.over(range(count), max_supersteps=50)
        order = list(range(count))
        step = 0
        error = None
        while True:
            random.Random(seed + step).shuffle(order)  # partitions finish in any order
            outgoing: dict[int, dict[int, Batch]] = {}
            decision = None
            for index in order:
                run = runs[index]
                try:
                    sent, batches = run.step(step, collect)
                    failure = None
                except GraphoidError as exc:
                    sent, batches = 0, {}
                    failure = StepFailure(run.failed_node or "", exc.kind, exc.message, {"error": exc})
                outgoing[index] = batches
                decision = barrier.report(index, step, sent, failure) or decision
            if isinstance(decision, Continue):
                for index, run in enumerate(runs):
                    carry = worker_wire if like_workers else wire
                    run.accept({peer: carry(outgoing[peer][index]) for peer in outgoing if peer != index})
                step = decision.step
                continue
            if isinstance(decision, Commit):
                for run in runs:
                    run.commit()
            else:
                assert isinstance(decision, Rollback)
                for run in runs:
                    run.abort()
                error = decision.failure.details.get("error") or GraphoidError(decision.failure.kind, decision.failure.message)
            break
        if error is not None:
            results.append(("error", error.kind, error.message))
        elif collect:
            replies = {}
            for run in runs:
                replies.update(run.replies)
            results.append(("replies", {k: codec.encode(v) for k, v in sorted(replies.items())}))
        else:
            results.append(("ok",))
    return results, parts


def _left_for_later(run: Any) -> None:
    """A defer hook that leaves a fold's stores to the run's own settle points."""


def run_local(g: Any, calls: list[tuple]) -> list:
    results = []
    for kind, msg, *rest in calls:
        try:
            if kind == "broadcast":
                g.call("broadcast", (msg,))
                results.append(("ok",))
            elif kind == "send":
                g.call("send", (msg,), {"to": GList(rest[0])})
                results.append(("ok",))
            else:
                replies = g.call("request", (msg,), {"to": GList(rest[0])})
                results.append(("replies", {k: codec.encode(v) for k, v in zip(sorted(rest[0]), replies)}))
        except GraphoidError as exc:
            results.append(("error", exc.kind, exc.message))
    return results


def partition_states(parts: list, node_ids: list[str]) -> dict[str, Any]:
    found = {}
    for part in parts:
        owned = part.owned_ids()
        found.update(states(part.graph, owned))
    return {node_id: found[node_id] for node_id in node_ids}


def check_same(source: str, template: str, edges, nodes, directed, count, strategy, calls, seed=0,
               keep_boundaries: bool = False, like_workers: bool = False) -> None:
    local = build(source, template, edges, nodes, directed)
    expected = run_local(local, calls)
    distributed = build(source, template, edges, nodes, directed)
    got, parts = run_partitioned(distributed, count, strategy, calls, seed, keep_boundaries, like_workers)
    assert got == expected
    ids = sorted(local.node_ids())
    assert partition_states(parts, ids) == states(local, ids)


def S(name: str) -> Symbol:
    return Symbol(name)


def pagerank_calls(iterations: int, n: int) -> list[tuple]:
    calls = [("broadcast", GList((S("init"), _params(n))))]
    for _ in range(iterations):
        calls += [("broadcast", S("send_contributions")), ("broadcast", S("update_rank"))]
    return calls


def _params(n: int) -> Any:
    from graphoid.values.types import GMap

    return GMap({"rank": 1.0 / n, "damping": 0.85, "n": n})


def random_graph(rng: random.Random, size: int, density: float) -> tuple[list[str], list[tuple[str, str]]]:
    nodes = [f"n{i}" for i in range(size)]
    edges = [(a, b) for a in nodes for b in nodes if rng.random() < density]
    rng.shuffle(edges)  # edge order matters (out-edge order): any order must work
    return nodes, edges


@pytest.mark.parametrize("count", [1, 2, 3, 5])
@pytest.mark.parametrize("strategy", ["hash", "range"])
def test_pagerank_ranks_are_bit_identical_to_the_local_graph(count: int, strategy: str) -> None:
    nodes, edges = random_graph(random.Random(count), 40, 0.08)
    check_same(PAGERANK, "PageRankNode", edges, nodes, True, count, strategy, pagerank_calls(5, len(nodes)))


@pytest.mark.parametrize("count", [2, 3])
def test_pagerank_with_the_boundaries_a_worker_keeps_between_calls(count: int) -> None:
    # the routed-exchange slots are then reused from the delivery plan, call after call
    nodes, edges = random_graph(random.Random(10 + count), 40, 0.08)
    check_same(PAGERANK, "PageRankNode", edges, nodes, True, count, "hash", pagerank_calls(5, len(nodes)),
               keep_boundaries=True)


@pytest.fixture()
def numpy_everywhere(monkeypatch):
    """The vector fold and payload columns however small the graph."""
    from graphoid.messaging import vector_fold

    monkeypatch.setattr(vector_fold, "MIN_ENTRIES", 0)
    monkeypatch.setattr(vector_fold, "MIN_COLUMN", 1)


@pytest.mark.parametrize("count", [2, 3])
@pytest.mark.parametrize("strategy", ["hash", "range"])
def test_pagerank_like_workers_columns_and_deferred_stores_is_bit_identical(count, strategy, numpy_everywhere) -> None:
    nodes, edges = random_graph(random.Random(30 + count), 50, 0.08)
    check_same(PAGERANK, "PageRankNode", edges, nodes, True, count, strategy, pagerank_calls(5, len(nodes)),
               keep_boundaries=True, like_workers=True)


ACCUMULATOR = """
graph Acc {
    total = 0
    out = 1
    fn on_message(msg) {
        match msg {
            :go => { self.graph.send([:add, out], from: self.id, via: "*") }
            [:add, x] => { total = total + x }
            [:fail_if, limit] => { if total > limit { raise RuntimeError("too much at " + self.id) } }
            :spoil => { total = none }
            :get => total
        }
    }
}
"""


@pytest.mark.parametrize("count", [2, 3])
def test_a_rollback_after_deferred_fold_stores_restores_the_old_totals(count, numpy_everywhere) -> None:
    nodes, edges = random_graph(random.Random(40 + count), 30, 0.15)
    calls = [("broadcast", S("go")), ("broadcast", S("go")), ("broadcast", GList((S("fail_if"), 3))),
             ("broadcast", S("go")), ("request", S("get"), nodes)]
    check_same(ACCUMULATOR, "Acc", edges, nodes, True, count, "hash", calls, keep_boundaries=True, like_workers=True)


@pytest.mark.parametrize("count", [2, 3])
def test_a_fold_that_fails_on_one_partition_rolls_back_the_deferred_stores_of_the_others(count, numpy_everywhere) -> None:
    nodes, edges = random_graph(random.Random(50 + count), 30, 0.15)
    edges = [*edges, ("n1", "n0")] if ("n1", "n0") not in edges else edges
    # n0's total becomes none: its partition's fold raises (none + num) while the other
    # partitions' folds succeed and leave their stores for later; the rollback undoes them
    calls = [("broadcast", S("go")), ("send", S("spoil"), ["n0"]), ("broadcast", S("go")),
             ("request", S("get"), nodes)]
    check_same(ACCUMULATOR, "Acc", edges, nodes, True, count, "hash", calls, keep_boundaries=True, like_workers=True)


def test_a_deferred_fold_leaves_its_stores_until_the_run_settles(numpy_everywhere) -> None:
    nodes, edges = random_graph(random.Random(7), 20, 0.2)
    g = build(ACCUMULATOR, "Acc", edges, nodes, True)
    parts = split(g, Partitioning.by_hash(1))
    part = parts[0]
    part.graph.behavior.handler_template = g.behavior.handler_template
    boundary = boundary_of(part, Partitioning.by_hash(1), node_count=len(nodes), edge_count=g.edge_count(),
                           has_node=set(nodes).__contains__)
    asked = []
    run = PartitionRun(part.graph, boundary)
    run.defer_hook = asked.append
    run.seed_all(S("go"))
    run.step(0)
    run.step(1)  # the fold
    receivers = [n for n in nodes if any(dst == n for _, dst in edges)]
    assert asked == [run] and receivers
    assert all(part.graph.get_node(n)._props["total"] == 0 for n in receivers)  # not stored yet
    run.commit()  # settles first
    expected = {n: sum(1 for _, dst in edges if dst == n) for n in nodes}
    assert {n: part.graph.get_node(n)._props["total"] for n in nodes} == expected


def test_routed_exchange_slots_are_reused_only_for_the_same_ship_plan() -> None:
    nodes, edges = random_graph(random.Random(5), 30, 0.1)
    g = build(PAGERANK, "PageRankNode", edges, nodes, True)
    partitioning = Partitioning.by_hash(2)
    part = split(g, partitioning)[0]

    def slots_of(boundary: Any) -> tuple[Any, Any]:
        run = PartitionRun(part.graph, boundary)
        run.abort()
        return run.to_peer_slots, run.from_peer_slots

    def fresh_boundary() -> Any:
        return boundary_of(part, partitioning, node_count=len(nodes), edge_count=len(edges),
                           has_node=set(nodes).__contains__)

    kept = fresh_boundary()
    first = slots_of(kept)
    assert all(a is b for a, b in zip(slots_of(kept), first))
    replaced = slots_of(fresh_boundary())  # a new ship plan (as after a mutation): worked out again
    assert replaced == first and not any(a is b for a, b in zip(replaced, first))


LONG = list(range(3, 13)) + list(range(20, 30))  # two runs of ten consecutive slots


@pytest.mark.parametrize("slots, runs", [
    ([], None), ([4], None), (list(range(2, 12)), [(2, 12)]), (LONG, [(3, 13), (20, 30)]),
    (LONG + [31], None), ([2, 4], None), (LONG[::-1], None), (LONG[:5] + LONG[4:], None),
    (LONG[5:] + LONG[:5], None),
], ids=["none", "one", "one run", "two runs", "a short run", "gaps", "descending", "repeated", "rotated"])
def test_exchange_slots_are_copied_by_slices_only_for_long_ascending_runs(slots: list[int], runs: Any) -> None:
    from graphoid.messaging.engine import write_slots
    from graphoid.messaging.partition import _reader, _runs

    assert _runs(slots) == runs
    table = [f"p{slot}" for slot in range(40)]
    picked = _reader(slots)(table)
    assert picked == [table[slot] for slot in slots] and type(picked) is list and picked is not table
    if runs is not None:
        stored = table.copy()
        write_slots(stored, slots, runs, [f"v{slot}" for slot in slots])
        assert stored == [f"v{slot}" if slot in slots else f"p{slot}" for slot in range(40)]


@pytest.mark.parametrize("count", [2, 3])
def test_routed_payloads_are_stored_by_runs_or_slot_by_slot_alike(count: int) -> None:
    # two partitions by range: a peer's payloads fill long runs of ghost slots (slice stores);
    # three by hash: two peers' ghosts interleave by id (stores slot by slot)
    nodes, edges = random_graph(random.Random(30 + count), 60, 0.3)
    strategy = "range" if count == 2 else "hash"
    check_same(PAGERANK, "PageRankNode", edges, nodes, True, count, strategy, pagerank_calls(3, len(nodes)))
    g = build(PAGERANK, "PageRankNode", edges, nodes, True)
    partitioning = Partitioning.by_range(count, nodes) if count == 2 else Partitioning.by_hash(count)
    part = split(g, partitioning)[0]
    run = PartitionRun(part.graph, boundary_of(part, partitioning, node_count=len(nodes), edge_count=len(edges),
                                               has_node=set(nodes).__contains__))
    run.abort()
    found = list(run.from_peer_runs.values())
    assert found and all((runs is not None) == (count == 2) for runs in found)


def test_pagerank_example_graph_on_three_partitions() -> None:
    nodes = ["home", "about", "blog", "post1", "post2", "contact"]
    edges = [("home", "about"), ("home", "blog"), ("blog", "post1"), ("blog", "post2"), ("post1", "home"),
             ("post2", "home"), ("post2", "post1"), ("about", "contact"), ("contact", "home")]
    calls = pagerank_calls(20, len(nodes)) + [("request", S("get_rank"), nodes)]
    check_same(PAGERANK, "PageRankNode", edges, nodes, True, 3, "hash", calls)


@pytest.mark.parametrize("count", [1, 2, 4])
def test_targeted_sends_arrive_in_origin_order_across_partitions(count: int) -> None:
    nodes, edges = random_graph(random.Random(7), 12, 0.25)
    calls = [("broadcast", GList((S("hello"), "driver"))), ("send", GList((S("far"), "n11")), ["n0", "n5"])]
    check_same(GOSSIP, "Gossip", edges, nodes, True, count, "hash", calls)


@pytest.mark.parametrize("count", [2, 3])
def test_broadcast_inside_handlers_reaches_every_partition(count: int) -> None:
    nodes, edges = random_graph(random.Random(3), 9, 0.2)
    calls = [("send", GList((S("ring"), 2)), ["n4"])]
    check_same(GOSSIP, "Gossip", edges, nodes, False, count, "hash", calls)


@pytest.mark.parametrize("count", [1, 2, 3])
def test_a_handler_error_rolls_every_partition_back_and_names_the_first_node(count: int) -> None:
    nodes, edges = random_graph(random.Random(5), 10, 0.2)
    calls = [("broadcast", GList((S("bump"), 5))), ("broadcast", S("boom")), ("request", S("count"), ["n1", "n9"])]
    check_same(GOSSIP, "Gossip", edges, nodes, True, count, "range", calls)


RELAY = """
graph Relay {
    seen = 0
    fn on_message(msg) {
        seen = seen + 1
        self.graph.send(msg, from: self.id, via: "*")
    }
}
"""


@pytest.mark.parametrize("count", [1, 2, 3])
def test_a_cascade_of_routed_sends_goes_on_across_partitions(count: int) -> None:
    """Routed sends made node by node (an open lane) are counted when the step ends."""
    nodes = [f"n{i}" for i in range(8)]
    edges = [(f"n{i}", f"n{i + 1}") for i in range(7)] + [("n2", "n5")]
    calls = [("send", S("go"), ["n0"]), ("broadcast", S("go"), ["n0"])]
    check_same(RELAY, "Relay", edges, nodes, True, count, "hash", calls)


# several routed sends per handler call (a node handling several messages sends once per
# message; every third job also sends a second one), so a step's routed form breaks at
# different nodes on different partitions; the log keeps the delivery order
FORWARDER = """
graph Forwarder {
    log = []
    sends = 0
    fn on_message(msg) {
        match msg {
            [:job, hops] => {
                log = log + [hops]
                if hops < 3 {
                    self.graph.send([:job, hops + 1], from: self.id, via: "*")
                    sends = sends + 1
                    if sends % 3 == 0 { self.graph.send([:job, hops + 2], from: self.id, via: "*") }
                }
            }
            [:hop, hops, sender] => {
                log = log + [sender]
                if hops < 3 { self.graph.send([:hop, hops + 1, self.id], from: self.id, via: "*") }
            }
        }
    }
}
"""


@pytest.mark.parametrize("strategy", ["hash", "range"])
def test_a_partition_with_nothing_to_do_does_not_ship_its_last_routed_sends_again(strategy: str) -> None:
    """b has a self-loop and an in-edge from d on the other partition; d routes once, at step 0.
    Its routed table must not travel again in the steps where d's partition has no work."""
    calls = [("broadcast", GList((S("job"), 0))), ("broadcast", GList((S("hop"), 0, "driver")))]
    check_same(FORWARDER, "Forwarder", [("b", "b"), ("d", "b")], ["b", "d"], True, 2, strategy, calls)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(2, 14), st.floats(0.0, 0.4), st.integers(1, 5), st.sampled_from(["hash", "range"]), st.booleans(),
    st.integers(0, 10_000),
)
def test_random_graphs_give_the_local_states_for_any_partitioning(size, density, count, strategy, directed, seed) -> None:
    nodes, edges = random_graph(random.Random(seed), size, density)
    calls = pagerank_calls(2, size)
    check_same(PAGERANK, "PageRankNode", edges, nodes, directed, count, strategy, calls, seed)
    calls = [("broadcast", GList((S("hello"), "x"))), ("broadcast", GList((S("ring"), 1)))]
    check_same(GOSSIP, "Gossip", edges, nodes, directed, count, strategy, calls, seed)
    calls = [("broadcast", GList((S("job"), 0))),
             ("send", GList((S("hop"), 0, "driver")), nodes[:3])]
    check_same(FORWARDER, "Forwarder", edges, nodes, directed, count, strategy, calls, seed)
