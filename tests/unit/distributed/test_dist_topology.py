"""Topology changes inside on_message on a distributed graph (add_node, add_edge, remove_*),
applied at the superstep barrier in (node id, sequence) order: the same graph, node states,
counts and errors as a local graph. A hypothesis property over random graphs, partitionings
and change scripts on the in-process executor; fixed cases on 2 worker processes and on every
executor through `graphoid run`. One executor of each kind serves the module."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cluster_support import two_worker_cluster
from hypothesis import HealthCheck, given, settings, strategies as st

from graphoid.distributed.dgraph import DistributedGraph
from graphoid.distributed.executor.inprocess import InProcessExecutor
from graphoid.distributed.partition import Partitioning, ship_plan, split
from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Graph
from graphoid.graphs.methods import GRAPH_METHODS
from graphoid.runtime.interpreter import Interpreter
from graphoid.values.types import GList, GMap, Symbol

pytestmark = pytest.mark.timeout(240)

ROOT = Path(__file__).resolve().parents[3]
IDS = ["a", "b", "c", "d", "e", "f"]
NEW_IDS = ["x", "y"]

# Each node handling [:run, job] performs the script's actions for (job's step, its id), then
# passes the job on along its out-edges (a routed send; a second one after every second job,
# so one node routes several times in a superstep); `seen` counts the jobs it handled.
GROWER = """
fn everyone(value) { return true }
graph Grower {
    seen = 0
    fn on_message(msg) {
        match msg {
            [:run, job] => {
                seen = seen + 1
                step = job["step"]
                for action in job["script"] {
                    if action[0] == step and action[1] == self.id {
                        kind = action[2]
                        if kind == "add_node" { self.graph.add_node(action[3], {seen: 100}) }
                        if kind == "add_edge" { self.graph.add_edge(action[3], action[4], action[5]) }
                        if kind == "remove_node" { self.graph.remove_node(action[3]) }
                        if kind == "remove_edge" { self.graph.remove_edge(action[3], action[4]) }
                        if kind == "fail" { x = 1 / 0 }
                    }
                }
                if step < job["steps"] {
                    next = [:run, {step: step + 1, steps: job["steps"], script: job["script"]}]
                    self.graph.send(next, from: self.id, via: "*")
                    if seen % 2 == 0 { self.graph.send(next, from: self.id, via: "*") }
                }
            }
            :get => seen
        }
    }
}
"""


@pytest.fixture(scope="module")
def program() -> Interpreter:
    interp = Interpreter(stdout=io.StringIO())
    interp.run(GROWER, "topology_prog.gd")
    return interp


@pytest.fixture(scope="module")
def inprocess(program):
    executor = InProcessExecutor(2, make_interpreter=lambda: Interpreter(stdout=io.StringIO()))
    executor.load_program(program)
    yield executor
    executor.close()


@pytest.fixture(scope="module")
def cluster(program):
    with two_worker_cluster(program) as executor:
        yield executor


@pytest.fixture(params=["inprocess", "cluster"])
def executor(request):
    return request.getfixturevalue(request.param)


def job(script: list, steps: int) -> GList:
    return GList((Symbol("run"), GMap({"step": 0, "steps": steps, "script": GList(GList(a) for a in script)})))


def run_local(graph: Graph, template: Graph, message: GList, **options) -> GraphoidError | None:
    GRAPH_METHODS["set_behavior"](graph, template)
    try:
        GRAPH_METHODS["broadcast"](graph, message, **options)
    except GraphoidError as error:
        return error
    return None


def run_distributed(dgraph: DistributedGraph, template: Graph, message: GList, **options) -> GraphoidError | None:
    dgraph.set_behavior(template)
    try:
        dgraph.broadcast(message, **options)
    except GraphoidError as error:
        return error
    return None


def state(graph: Graph | DistributedGraph, program: Interpreter) -> tuple:
    """Ids, each node's neighbours in order, counts and every node's `seen` (a request)."""
    everyone = program.globals.raw("everyone")
    if isinstance(graph, DistributedGraph):
        ids = list(graph.nodes())
        adjacency = [list(graph.neighbors(node_id)) for node_id in ids]
        seen = list(graph.request(Symbol("get"), where=everyone))
    else:
        ids = sorted(graph.node_ids())
        adjacency = [graph.successors(node_id) for node_id in ids]
        seen = list(GRAPH_METHODS["request"](graph, Symbol("get"), where=everyone))
    return ids, adjacency, graph.node_count(), graph.edge_count(), seen


def assert_partitions_as_if_split(executor: InProcessExecutor, name: str, local: Graph,
                                  partitioning: Partitioning) -> None:
    """Each partition holds the nodes, ghosts and ship plan of the changed local graph, cut."""
    placement = executor.placement(name)
    for fresh in split(local, partitioning):
        loaded = executor.cores[placement.owners[fresh.index]].partitions[(name, fresh.index)]
        assert loaded.partition.ghosts == fresh.ghosts
        assert loaded.owned == fresh.owned_ids()
        assert loaded.plan == ship_plan(fresh, partitioning)


def place(executor, name: str, graph: Graph, partitioning: Partitioning) -> DistributedGraph:
    placement = executor.place_graph(name, graph, partitioning)
    return DistributedGraph(executor, placement, graph.node_count(), graph.edge_count(), graph.directed)


def random_graph(data) -> Graph:
    graph = Graph(data.draw(st.sampled_from(["directed", "undirected"])))
    ids = data.draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=len(IDS), unique=True))
    for node_id in ids:
        graph.add_node(node_id, GMap())
    for src, dst in data.draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=12)):
        graph.add_edge(src, dst, "T")
    return graph


ANY_ID = st.sampled_from(IDS + NEW_IDS)
ACTIONS = st.one_of(
    st.tuples(st.just("add_node"), ANY_ID),
    st.tuples(st.just("add_edge"), ANY_ID, ANY_ID, st.sampled_from(["T", "U"])),
    st.tuples(st.just("remove_node"), ANY_ID),
    st.tuples(st.just("remove_edge"), ANY_ID, ANY_ID),
)
SCRIPTS = st.lists(st.tuples(st.integers(0, 3), ANY_ID, ACTIONS).map(lambda a: [a[0], a[1], *a[2]]), max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), script=SCRIPTS)
def test_changes_in_handlers_give_the_local_graph(program, inprocess, data, script):
    local = random_graph(data)
    count = data.draw(st.integers(1, 4))
    partitioning = (Partitioning.by_range(count, local.node_ids()) if data.draw(st.booleans())
                    else Partitioning.by_hash(count))
    dgraph = place(inprocess, "prop", local, partitioning)
    template = program.globals.raw("Grower")
    message = job(script, 4)
    local_error = run_local(local, template, message)
    remote_error = run_distributed(dgraph, template, message)
    assert (remote_error and (remote_error.kind, remote_error.message)) == (
        local_error and (local_error.kind, local_error.message))
    assert state(dgraph, program) == state(local, program)
    assert_partitions_as_if_split(inprocess, "prop", local, partitioning)


FIXED_SCRIPT = [[0, "a", "add_edge", "a", "x", "T"], [0, "c", "remove_node", "b"], [1, "x", "add_edge", "x", "d", "T"],
                [1, "a", "remove_edge", "c", "a"], [0, "e", "add_node", "y"], [1, "a", "add_edge", "y", "c", "U"],
                [2, "x", "remove_node", "a"], [2, "c", "add_edge", "c", "c", "T"], [0, "b", "add_edge", "b", "f", "T"]]


def fixed_graph(kind: str = "directed") -> Graph:
    graph = Graph(kind)
    for node_id in IDS:
        graph.add_node(node_id, GMap())
    for src, dst in [("a", "b"), ("b", "c"), ("c", "a"), ("d", "e"), ("e", "a"), ("f", "d"), ("a", "f")]:
        graph.add_edge(src, dst, "T")
    return graph


@pytest.mark.parametrize("kind", ["directed", "undirected"])
def test_changes_on_worker_processes_give_the_local_graph(program, executor, kind):
    local = fixed_graph(kind)
    dgraph = place(executor, f"fixed-{kind}", local, Partitioning.by_hash(3))
    template = program.globals.raw("Grower")
    assert run_distributed(dgraph, template, job(FIXED_SCRIPT, 4)) is None
    assert run_local(local, template, job(FIXED_SCRIPT, 4)) is None
    assert state(dgraph, program) == state(local, program)
    assert (dgraph.node_count(), dgraph.edge_count()) == (local.node_count(), local.edge_count())


@pytest.mark.parametrize("action, kind, words", [
    ([1, "c", "add_node", 5], "TypeError", "(add_node from on_message of node 'c', applied at the barrier of superstep 1)"),
    ([1, "c", "add_edge", "c", "d", 7], "TypeError", "(add_edge from on_message of node 'c'"),
    ([2, "a", "fail"], "RuntimeError", "Division by zero"),
])
def test_a_bad_change_or_a_later_error_rolls_everything_back(program, executor, action, kind, words):
    local = fixed_graph()
    dgraph = place(executor, "rollback", local, Partitioning.by_hash(2))
    template = program.globals.raw("Grower")
    dgraph.set_behavior(template)
    before = state(dgraph, program)
    script = FIXED_SCRIPT + [action]
    local_error = run_local(local, template, job(script, 4))
    remote_error = run_distributed(dgraph, template, job(script, 4))
    assert local_error is not None and remote_error is not None
    assert (remote_error.kind, remote_error.message) == (local_error.kind, local_error.message)
    assert remote_error.kind == kind and words in remote_error.message
    assert state(dgraph, program) == state(local, program) == before
    if isinstance(executor, InProcessExecutor):
        assert_partitions_as_if_split(executor, "rollback", local, Partitioning.by_hash(2))


def test_a_call_that_is_not_atomic_keeps_the_changes_before_its_error(program, inprocess):
    local = fixed_graph()
    dgraph = place(inprocess, "partial", local, Partitioning.by_hash(3))
    template = program.globals.raw("Grower")
    script = [[0, "a", "add_node", "x"], [0, "b", "remove_node", "c"], [0, "d", "add_node", 3],
              [0, "e", "add_node", "y"]]
    local_error = run_local(local, template, job(script, 2), atomic=False)
    remote_error = run_distributed(dgraph, template, job(script, 2), atomic=False)
    assert remote_error is not None and local_error is not None and remote_error.message == local_error.message
    assert dgraph.has_node("x") and not dgraph.has_node("c") and not dgraph.has_node("y")
    assert (dgraph.node_count(), dgraph.edge_count()) == (local.node_count(), local.edge_count())
    assert_partitions_as_if_split(inprocess, "partial", local, Partitioning.by_hash(3))


def test_reserved_ids_and_the_superstep_limit(program, inprocess):
    template = program.globals.raw("Grower")
    dgraph = place(inprocess, "limits", fixed_graph(), Partitioning.by_hash(2))
    error = run_distributed(dgraph, template, job([[0, "a", "add_node", "__internal"]], 2))
    assert error is not None and error.kind == "ValueError" and "reserved" in error.message
    assert error.message.endswith("(add_node from on_message of node 'a', applied at the barrier of superstep 0)")
    local = fixed_graph()
    dgraph = place(inprocess, "limits", local, Partitioning.by_hash(2))
    script = [[0, "a", "add_edge", "a", "x", "T"]]
    local_error = run_local(local, template, job(script, 9), max_supersteps=3)
    remote_error = run_distributed(dgraph, template, job(script, 9), max_supersteps=3)
    assert local_error is not None and remote_error is not None
    assert (remote_error.kind, remote_error.message) == (local_error.kind, local_error.message)
    assert dgraph.node_count() == 6 and not dgraph.has_node("x")


SOURCE = GROWER + """
import "distributed"
g = graph { type: :directed }
for id in ["a", "b", "c", "d", "e", "f"] { g.add_node(id, {}) }
for pair in [["a", "b"], ["b", "c"], ["c", "a"], ["d", "e"], ["e", "a"], ["f", "d"], ["a", "f"]] {
    g.add_edge(pair[0], pair[1])
}
script = [[0, "a", "add_edge", "a", "x", "T"], [0, "c", "remove_node", "b"], [1, "x", "add_edge", "x", "d", "T"],
          [1, "a", "remove_edge", "c", "a"], [0, "e", "add_node", "y"], [2, "x", "remove_node", "a"]]
d = distributed.distribute(g, partitions: 3)
d.set_behavior(Grower)
d.broadcast([:run, {step: 0, steps: 4, script: script}])
print(d.request(:get, where: v => true))
print([d.node_count(), d.edge_count()])
print(d.nodes().sort().map(id => [id, d.neighbors(id)]))
"""


def test_the_same_program_prints_the_same_on_every_executor(tmp_path):
    path = tmp_path / "grow.gd"
    path.write_text(SOURCE, encoding="utf-8")
    outputs = {}
    for executor in ("local", "inprocess", "cluster"):
        env = {**os.environ, "PYTHONPATH": str(ROOT), "GRAPHOID_WORKERS": "2", "GRAPHOID_EXECUTOR": executor}
        result = subprocess.run([sys.executable, "-m", "graphoid", "run", str(path)], env=env, capture_output=True,
                                text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        outputs[executor] = result.stdout
    assert outputs["local"] == outputs["inprocess"] == outputs["cluster"]
    assert outputs["local"].splitlines()[1] == "[6, 2]"  # a node and edges added, b and a removed


def test_calls_after_changes_deliver_on_plans_of_the_current_ghosts(program, inprocess):
    """A partition's ghosts reach its delivery plan as one frozenset per topology (lane thru2:
    no rebuild or comparison per call); changes and rollbacks still give the plan of the new
    ghosts, and the results of a local graph."""
    local = fixed_graph()
    partitioning = Partitioning.by_hash(3)
    dgraph = place(inprocess, "ghost-plans", local, partitioning)
    template = program.globals.raw("Grower")
    scripts = [FIXED_SCRIPT, [], [[0, "d", "add_edge", "d", "y", "T"], [1, "a", "fail"]], [[0, "f", "remove_node", "f"]], []]
    for script in scripts:
        local_error = run_local(local, template, job(script, 2))
        remote_error = run_distributed(dgraph, template, job(script, 2))
        assert (remote_error and remote_error.message) == (local_error and local_error.message)
        assert state(dgraph, program) == state(local, program)
    assert_partitions_as_if_split(inprocess, "ghost-plans", local, partitioning)
    placement = inprocess.placement("ghost-plans")
    partitions = [inprocess.cores[owner].partitions[("ghost-plans", index)].partition
                  for index, owner in enumerate(placement.owners)]
    plans = [partition.graph._msg_plan for partition in partitions]
    assert all(plan.ghosts == frozenset(partition.ghosts) for plan, partition in zip(plans, partitions))
    assert run_distributed(dgraph, template, job([], 2)) is None
    # an unchanged topology: the same plans, found by identity
    assert all(partition.graph._msg_plan is plan for partition, plan in zip(partitions, plans))
