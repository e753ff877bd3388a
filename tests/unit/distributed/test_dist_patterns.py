"""find_pattern, graph mutations and iterate on distributed graphs, against the local graph.

find_pattern must give exactly local `g.match`'s bindings (a hypothesis property over random
graphs, partition counts and strategies on the in-process executor, for the fixed patterns below
and for random patterns with variable-length path clauses; fixed cases on 2 worker processes); mutations must leave the partitions equal to the mutated local graph, so that
patterns and PageRank after them give local results. One executor of each kind serves the module.
"""

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
from graphoid.distributed.matching import WALK, CompiledPattern, PartitionMatcher, _unpack_items
from graphoid.distributed.mutations import apply
from graphoid.distributed.partition import Partitioning, ship_plan, split
from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Graph, entry_type
from graphoid.graphs.patterns import (
    Clause, Pattern, edge, find_matches, make_pattern, match_graph, node, path, pattern_from_items,
)
from graphoid.runtime.interpreter import Interpreter

pytestmark = pytest.mark.timeout(120)

ROOT = Path(__file__).resolve().parents[3]
IDS = ["a", "b", "c", "d", "e", "f", "g"]

PATTERNS: list[Pattern] = [
    make_pattern([("x", "y", "->", None, None, None)]),
    make_pattern([("x", "y", "->", "T", None, None), ("y", "z", "<-", None, None, None)]),
    make_pattern([("x", "y", "-", None, None, None), ("y", "z", "-", None, None, None),
                  ("z", "x", "-", None, None, None)]),
    make_pattern([("x", "y", "->", None, None, None), ("x", "z", "->", "U", None, None),
                  ("y", "z", "-", None, None, None)]),
    make_pattern([("x", "x", "->", None, None, None), ("x", "y", "<-", None, None, None)]),
    # two components: the second variable has no clause to the first
    make_pattern([("x", "y", "->", "T", None, None), ("z", "w", "-", "U", None, None)]),
    make_pattern([("x", None, "->", None, None, None)]),
    pattern_from_items([node("p", type="person"), edge(direction="both"), node(), edge(), node("q")]),
]

# Variable-length path clauses: walks of min..max edges (no max: up to the node count).
PATH_PATTERNS: list[Pattern] = [
    make_pattern([("x", "y", "->", "T", 1, 3)]),
    make_pattern([("x", "y", "<-", None, 2, None)]),
    make_pattern([("x", "y", "-", None, 0, 2)]),
    make_pattern([("x", "y", "->", "T", 1, 2), ("y", "z", "-", None, None, None), ("x", "z", "<-", None, 1, 4)]),
    make_pattern([("x", "x", "->", None, 2, 3), ("x", "y", "->", "U", None, None)]),
    make_pattern([("x", "y", "->", None, 5, 9)]),
    pattern_from_items([node("p", type="person"), path(type="T", min=1, max=None), node(), edge(), node("q")]),
]


@st.composite
def path_patterns(draw) -> Pattern:
    """1-3 clauses over up to 3 variables (self-loops included), at least one of them a
    variable-length path clause, sometimes a node type."""
    variables = ["x", "y", "z"]
    clauses = []
    for number in range(draw(st.integers(1, 3))):
        low = draw(st.integers(0, 2))
        high = draw(st.one_of(st.none(), st.integers(low, low + 3)))
        is_path = number == 0 or draw(st.booleans())
        clauses.append(Clause(draw(st.sampled_from(variables)), draw(st.sampled_from(variables)),
                              draw(st.sampled_from(["->", "<-", "-"])), draw(st.sampled_from([None, "T", "U"])),
                              low if is_path else None, high if is_path else None))
    pattern = Pattern(clauses)
    types = draw(st.dictionaries(st.sampled_from(list(pattern.variables)), st.just("person"), max_size=1))
    return Pattern(clauses, types)


def random_graph(data) -> Graph:
    graph = Graph(data.draw(st.sampled_from(["directed", "undirected"])))
    ids = data.draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=len(IDS), unique=True))
    for node_id in ids:
        graph.add_node(node_id, node_id.upper())
    edges = data.draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids), st.sampled_from(["T", "U"])),
                               max_size=14))
    for src, dst, edge_type in edges:
        graph.add_edge(src, dst, edge_type)
    for node_id in data.draw(st.lists(st.sampled_from(ids), max_size=3, unique=True)):
        graph.set_node_type(node_id, "person")
    return graph


def partitioning_for(data, graph: Graph) -> Partitioning:
    count = data.draw(st.integers(1, 4))
    if data.draw(st.booleans()):
        return Partitioning.by_range(count, graph.node_ids())
    return Partitioning.by_hash(count)


@pytest.fixture(scope="module")
def program() -> Interpreter:
    interp = Interpreter(stdout=io.StringIO())
    interp.run("x = 1", "patterns_prog.gd")
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


def handle(executor, name: str, graph: Graph, partitioning: Partitioning) -> DistributedGraph:
    placement = executor.place_graph(name, graph, partitioning)
    return DistributedGraph(executor, placement, graph.node_count(), graph.edge_count(), graph.directed)


def sample_graph(kind: str = "directed") -> Graph:
    graph = Graph(kind)
    for src, dst, edge_type in [("a", "b", "T"), ("b", "c", "T"), ("c", "a", "U"), ("c", "d", "T"), ("d", "a", "T"),
                                ("d", "d", "U"), ("e", "c", "U"), ("b", "e", "T")]:
        graph.add_edge(src, dst, edge_type)
    graph.set_node_type("a", "person")
    graph.set_node_type("c", "person")
    return graph


# ----------------------------------------------------------------------------- find_pattern


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_find_pattern_equals_local_match(inprocess, data):
    graph = random_graph(data)
    partitioning = partitioning_for(data, graph)
    pattern = data.draw(st.sampled_from(PATTERNS))
    inprocess.place_graph("prop", graph, partitioning)
    assert inprocess.find_pattern("prop", pattern) == find_matches(graph, pattern)


@pytest.mark.parametrize("kind", ["directed", "undirected"])
@pytest.mark.parametrize("count", [2, 3])
def test_find_pattern_on_worker_processes_equals_local(executor, kind, count):
    graph = sample_graph(kind)
    executor.place_graph("fixed", graph, Partitioning.by_hash(count))
    for pattern in PATTERNS:
        assert executor.find_pattern("fixed", pattern) == find_matches(graph, pattern), pattern.display()


def test_match_results_read_node_fields_from_the_owners(inprocess):
    graph = sample_graph()
    for node_id in graph.node_ids():
        graph.add_node(node_id, {"name": node_id.upper()})
    dgraph = handle(inprocess, "fields", graph, Partitioning.by_hash(3))
    items = (node("x"), edge(type="T"), node("y"))
    found = dgraph.match(*items)
    local = match_graph(graph, items)
    assert found.bindings == local.bindings
    assert found.project(["x.name", "y"]) == local.project(["x.name", "y"])
    assert found.where(lambda b: b["x"] == "a").bindings == local.where(lambda b: b["x"] == "a").bindings


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), pattern=path_patterns())
def test_find_pattern_with_path_clauses_equals_local_match(inprocess, data, pattern):
    graph = random_graph(data)
    inprocess.place_graph("paths", graph, partitioning_for(data, graph))
    assert inprocess.find_pattern("paths", pattern) == find_matches(graph, pattern), pattern.display()


@pytest.mark.parametrize("kind", ["directed", "undirected"])
def test_path_clauses_on_worker_processes_equal_local(executor, kind):
    graph = sample_graph(kind)
    executor.place_graph("fixed_paths", graph, Partitioning.by_hash(2))
    for pattern in PATH_PATTERNS:
        assert executor.find_pattern("fixed_paths", pattern) == find_matches(graph, pattern), pattern.display()


def test_a_path_clause_without_max_walks_up_to_the_node_count(inprocess):
    # a ring of 4: a walk of 5..8 edges exists from every node to every node, but the local
    # matcher stops at 4 edges (the node count), so it finds nothing; so must the partitions
    ring = Graph("directed")
    for src, dst in [("a", "b"), ("b", "c"), ("c", "d"), ("d", "a")]:
        ring.add_edge(src, dst)
    inprocess.place_graph("ring", ring, Partitioning.by_hash(2))
    beyond = make_pattern([("x", "y", "->", None, 5, None)])
    assert find_matches(ring, beyond) == []
    assert inprocess.find_pattern("ring", beyond) == []
    within = make_pattern([("x", "y", "->", None, 3, None)])
    assert inprocess.find_pattern("ring", within) == find_matches(ring, within) != []


@pytest.mark.parametrize("data", [
    b"\xc1",  # not msgpack
    b"\x91\x94\x07\x90\xc0\xc0",  # unknown kind
    b"\x91\x94\x00\x90\xc0\xc0",  # a verify item without its candidate
    b"\x91\x94\x01\x91\x01\xc0\xc0",  # a bound id that is not a string
    b"\x91\x93\x01\x90\xc0",  # an item of the old three-field shape
    b"\x91\x94\x03\x90\xc0\xc0",  # a walk item without its walk
    b"\x91\x94\x03\x90\xc0\x93\x00\xa1a\xc0",  # a walk without its depth
    b"\x91\x94\x01\x90\xc0\x93\x00\xa1a\x00",  # an expansion carrying a walk
])
def test_hostile_pattern_batches_are_protocol_errors(data):
    with pytest.raises(GraphoidError) as caught:
        _unpack_items(data)
    assert caught.value.kind == "ProtocolError"


@pytest.mark.parametrize("item", [
    (WALK, ("a",), None, (5, "b", 0)),  # no such clause
    (WALK, ("a",), None, (-1, "b", 0)),  # a negative clause index
    (WALK, ("a",), "b", (0, "b", 0)),  # the anchor's walk with a target
    (WALK, ("a",), None, (0, "b", 4)),  # deeper than the clause's max
    (WALK, ("a",), None, (0, "zz", 0)),  # an end node this partition does not own
    (WALK, (), None, (0, "b", 0)),  # the first variable has no clause to walk
])
def test_walk_items_that_do_not_fit_the_pattern_are_protocol_errors(inprocess, item):
    placement = inprocess.place_graph("walks", sample_graph(), Partitioning.by_range(1, []))
    loaded = inprocess.cores[placement.owners[0]].partitions[("walks", 0)]
    matcher = PartitionMatcher(loaded, CompiledPattern(make_pattern([("x", "y", "->", None, 1, 3)])), set())
    with pytest.raises(GraphoidError) as caught:
        matcher.run([item])
    assert caught.value.kind == "ProtocolError"


def test_a_path_clause_without_max_does_not_reach_the_workers():
    with pytest.raises(GraphoidError) as caught:
        CompiledPattern(make_pattern([("x", "y", "->", None, 1, None)]))
    assert caught.value.kind == "ProtocolError"


# ----------------------------------------------------------------------------- mutations


MUTATIONS = st.lists(st.one_of(
    st.tuples(st.just("add_node"), st.sampled_from(IDS), st.integers(0, 9)),
    st.tuples(st.just("add_edge"), st.sampled_from(IDS), st.sampled_from(IDS), st.sampled_from(["T", "U"])),
    st.tuples(st.just("remove_node"), st.sampled_from(IDS)),
    st.tuples(st.just("remove_edge"), st.sampled_from(IDS), st.sampled_from(IDS)),
), max_size=12)


def mutate_both(local: Graph, dgraph: DistributedGraph, mutation: tuple) -> None:
    op, *args = mutation
    if op == "add_edge":
        local.add_edge(args[0], args[1], args[2])
    else:
        getattr(local, op)(*args)
    getattr(dgraph, op)(*args)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), mutations=MUTATIONS)
def test_mutations_keep_the_partitions_equal_to_the_local_graph(inprocess, data, mutations):
    local = random_graph(data)
    partitioning = partitioning_for(data, local)
    dgraph = handle(inprocess, "mut", local, partitioning)
    for mutation in mutations:
        mutate_both(local, dgraph, mutation)
    assert dgraph.to_local() == local
    assert_partitions_as_if_split(inprocess, "mut", local, partitioning)
    assert (dgraph.node_count(), dgraph.edge_count()) == (local.node_count(), local.edge_count())
    for pattern in PATTERNS[:4]:
        assert inprocess.find_pattern("mut", pattern) == find_matches(local, pattern)


def assert_partitions_as_if_split(executor: InProcessExecutor, name: str, local: Graph,
                                  partitioning: Partitioning) -> None:
    """Each mutated partition holds what splitting the mutated local graph gives: the same
    nodes, ghosts and adjacency, so the same ship plan."""
    placement = executor.placement(name)
    for fresh in split(local, partitioning):
        loaded = executor.cores[placement.owners[fresh.index]].partitions[(name, fresh.index)]
        held = loaded.partition
        assert held.ghosts == fresh.ghosts
        assert held.graph._nodes == fresh.graph._nodes
        for side in ("_out", "_in"):
            assert ({node_id: {(dst, entry_type(e)) for dst, e in adjacent.items()}
                     for node_id, adjacent in getattr(held.graph, side).items()}
                    == {node_id: {(dst, entry_type(e)) for dst, e in adjacent.items()}
                        for node_id, adjacent in getattr(fresh.graph, side).items()})
        assert loaded.plan == ship_plan(fresh, partitioning)
        assert loaded.owned == fresh.owned_ids()


@pytest.mark.parametrize("kind", ["directed", "undirected"])
def test_cut_edges_and_their_ghosts_come_and_go_with_mutations(inprocess, kind):
    local = sample_graph(kind)
    partitioning = Partitioning.by_hash(3)
    dgraph = handle(inprocess, "ghosts", local, partitioning)
    for src, dst in [(edge.src, edge.dst) for edge in local.iter_edges()]:
        mutate_both(local, dgraph, ("remove_edge", src, dst))
        assert_partitions_as_if_split(inprocess, "ghosts", local, partitioning)
    for mutation in [("add_edge", "a", "e", "T"), ("add_edge", "x", "b", "U"), ("remove_node", "b"),
                     ("add_edge", "e", "e", "T"), ("remove_node", "e")]:
        mutate_both(local, dgraph, mutation)
        assert_partitions_as_if_split(inprocess, "ghosts", local, partitioning)


def test_mutations_on_worker_processes(executor):
    local = sample_graph()
    dgraph = handle(executor, "mut_fixed", local, Partitioning.by_hash(3))
    for mutation in [("add_edge", "f", "a", "T"), ("remove_node", "c"), ("add_node", "g", 7),
                     ("add_edge", "g", "b", "U"), ("remove_edge", "a", "b"), ("remove_edge", "a", "b")]:
        mutate_both(local, dgraph, mutation)
    assert dgraph.to_local() == local
    assert dgraph.get_node("g") == 7
    assert (dgraph.node_count(), dgraph.edge_count()) == (local.node_count(), local.edge_count())
    assert executor.find_pattern("mut_fixed", PATTERNS[1]) == find_matches(local, PATTERNS[1])


def test_mutation_answers_and_argument_errors(inprocess):
    dgraph = handle(inprocess, "answers", sample_graph(), Partitioning.by_hash(2))
    assert dgraph.remove_edge("a", "b") is True
    assert dgraph.remove_edge("a", "b") is False
    assert dgraph.remove_node("zz") is False
    assert dgraph.remove_node("a") is True
    with pytest.raises(GraphoidError, match="Node id must be a string"):
        dgraph.add_node(5, "x")
    with pytest.raises(GraphoidError, match="reserved"):
        dgraph.add_edge("a", "__hidden")
    with pytest.raises(GraphoidError, match="Edge type must be"):
        dgraph.add_edge("a", "b", 3)
    with pytest.raises(GraphoidError, match="Graph rules are not supported on distributed graphs"):
        dgraph.call("add_rule", ("no_cycles",))


@pytest.mark.parametrize("name, args, kwargs", [
    ("node_count", (1,), {}),  # too many
    ("get_node", (), {}),  # too few
    ("broadcast", (), {}),
    ("broadcast", (":x",), {"max_steps": 3}),  # an unknown keyword
    ("add_edge", ("a", "b", "T", 1), {"weight": 2}),  # weight twice
])
def test_wrong_arguments_are_refused_before_the_call_the_same_every_time(inprocess, name, args, kwargs):
    """The signature check (read once per method) names the method and Python's reason."""
    dgraph = handle(inprocess, "arguments", sample_graph(), Partitioning.by_hash(2))
    errors = []
    for _ in range(2):
        with pytest.raises(GraphoidError) as raised:
            dgraph.call(name, args, kwargs)
        errors.append((raised.value.kind, raised.value.message))
    assert errors[0] == errors[1]
    assert errors[0][0] == "TypeError"
    assert errors[0][1].startswith(f"Wrong arguments for distributed_graph method '{name}': ")
    assert dgraph.node_count() == sample_graph().node_count()  # nothing ran


def test_workers_agree_with_the_driver_on_owners_when_range_bounds_repeat(inprocess):
    # 4 partitions over 2 ids: the bounds repeat; a worker that dropped the repeats owned the wrong ids
    partitioning = Partitioning.by_range(4, ["a", "b"])
    placement = inprocess.place_graph("repeats", sample_graph(), partitioning)
    for index, worker in enumerate(placement.owners):
        held = inprocess.cores[worker].partitions[("repeats", index)].partitioning
        assert held.bounds == partitioning.bounds
        assert [held.owner(node_id) for node_id in IDS] == [partitioning.owner(node_id) for node_id in IDS]


@pytest.mark.parametrize("op, args", [
    ("drop_table", []), ("add_node", [5, 1]), ("add_edge", ["a", "b"]), ("remove_edge", ["a", None]),
    ("add_node", ["zz", 1]),  # owned by partition 1
])
def test_malformed_mutations_are_protocol_errors(inprocess, op, args):
    placement = inprocess.place_graph("hostile", Graph("directed"), Partitioning.by_range(2, ["a", "z"]))
    loaded = inprocess.cores[placement.owners[0]].partitions[("hostile", 0)]
    with pytest.raises(GraphoidError) as caught:
        apply(loaded, op, args)
    assert caught.value.kind == "ProtocolError"


# ----------------------------------------------------------------------------- Graphoid programs

PAGERANK = """
import "distributed"
distributed.configure({executor: :inprocess, workers: 2})

graph RankNode {
    rank = 0.0
    incoming = 0.0
    fn on_message(msg) {
        match msg {
            [:init, n] => { rank = 1.0 / n }
            :spread => {
                if self.out_degree() > 0 {
                    self.graph.send([:share, rank / self.out_degree()], from: self.id, via: "*")
                }
            }
            [:share, amount] => { incoming = incoming + amount }
            :update => {
                rank = 0.15 + 0.85 * incoming
                incoming = 0.0
            }
        }
    }
}

fn pagerank(g) {
    g.broadcast(:init, g.node_count())
    for i in range(5) {
        g.broadcast(:spread)
        g.broadcast(:update)
    }
}

fn local_ranks(g) { return g.nodes().sort().map(id => g.get_node(id).rank) }

fn build() {
    g = graph { type: :directed }
    for pair in [["a", "b"], ["b", "c"], ["c", "a"], ["c", "d"], ["d", "e"], ["e", "a"]] {
        g.add_node(pair[0], RankNode.clone())
        g.add_node(pair[1], RankNode.clone())
        g.add_edge(pair[0], pair[1])
    }
    g.set_behavior(RankNode)
    return g
}

local = build()
d = distributed.distribute(build(), partitions: 3)
for g in [local, d] {
    g.add_node("f", RankNode.clone())
    g.add_edge("f", "a")
    g.add_edge("b", "f")
    g.remove_edge("c", "a")
    g.remove_node("e")
    g.add_edge("d", "a")
}
pagerank(local)
pagerank(d)
print(distributed.map(d, n => n.get("rank")).to_list() == local_ranks(local))
print(d.node_count(), d.edge_count(), local.node_count(), local.edge_count())
"""


def run_program(source: str) -> str:
    out = io.StringIO()
    interp = Interpreter(stdout=out)
    try:
        interp.run(source, "dist_patterns_test.gd")
    finally:
        session = getattr(interp, "_distributed_session", None)
        if session is not None:
            session.close()
    return out.getvalue()


def test_pagerank_after_mutations_equals_local():
    assert run_program(PAGERANK).splitlines() == ["true", "5 6 5 6"]


ITERATE = """
import "distributed"
distributed.configure({executor: :inprocess, workers: 2})
graph Counter {
    count = 0
    fn on_message(msg) {
        if msg == :reset { count = 0 }
        if msg == :tick { count = count + 1 }
    }
}
g = graph { type: :directed }
for id in ["a", "b", "c"] { g.add_node(id, Counter.clone()) }
g.set_behavior(Counter)
d = distributed.distribute(g, partitions: 2)
n = distributed.iterate(d, init: :reset, step: :tick, measure: (acc, node) => acc + node.value.count, start: 0,
                        converged: stats => stats["value"] >= 12, max_iterations: 50)
print(n)
print(distributed.iterate(d, step: :tick, max_iterations: 3))
print(distributed.iterate(d, step: :tick, converged: stats => stats["iteration"] == 2))
print(distributed.reduce(d, 0, (acc, node) => acc + node.get("count")))
"""


def test_iterate_counts_iterations_until_converged():
    assert run_program(ITERATE).splitlines() == ["4", "3", "2", "27"]


PATHS_PROGRAM = """
import "distributed"
distributed.configure({executor: EXECUTOR, workers: 2})
g = graph { type: :directed }
for e in [["a", "b", "T"], ["b", "c", "T"], ["c", "a", "U"], ["c", "d", "T"], ["d", "d", "U"], ["e", "c", "U"]] {
    g.add_edge(e[0], e[1], e[2])
}
d = distributed.distribute(g, partitions: 3)
p = pattern {
    x -> y [T*1..2]
    y - z [*2..4]
}
print(d.match(p).to_list() == g.match(p).to_list(), d.match(p).len())
items = [node("x"), path(type: "T", min: 2, direction: :incoming), node("y")]
print(distributed.find_pattern(d, items).to_list())
print(d.match(items).to_list() == g.match(items).to_list())
"""


@pytest.mark.parametrize("executor_name", [":local", ":inprocess"])
def test_path_patterns_in_a_program_equal_local_match(executor_name):
    lines = run_program(PATHS_PROGRAM.replace("EXECUTOR", executor_name)).splitlines()
    local = Graph("directed")
    for src, dst, edge_type in [("a", "b", "T"), ("b", "c", "T"), ("c", "a", "U"), ("c", "d", "T"), ("d", "d", "U"),
                                ("e", "c", "U")]:
        local.add_edge(src, dst, edge_type)
    literal = make_pattern([("x", "y", "->", "T", 1, 2), ("y", "z", "-", None, 2, 4)])
    assert lines[0] == f"true {len(find_matches(local, literal))}"
    assert lines[1:] == ['[{"x": c, "y": a}, {"x": d, "y": a}, {"x": d, "y": b}]', "true"]


@pytest.mark.parametrize("call, message", [
    ("distributed.iterate(d, max_iterations: 2)", "needs step:"),
    ("distributed.iterate(d, step: :tick)", "needs converged: or max_iterations:"),
    ("distributed.iterate(d, step: :tick, max_iterations: 0)", "max_iterations: must be a positive whole number"),
    ("distributed.iterate(d, step: :tick, converged: 3)", "expects a function"),
    ("distributed.iterate(g, step: :tick, max_iterations: 1)", "expects a distributed graph"),
    ("distributed.find_pattern(d)", "expects a graph and a pattern"),
    ("distributed.find_pattern(g, pattern { x -> y })", "expects a distributed graph"),
])
def test_iterate_and_find_pattern_argument_errors(call, message):
    source = ('import "distributed"\ndistributed.configure({executor: :inprocess, workers: 1})\n'
              'g = graph { type: :directed }\ng.add_node("a", 1)\nd = distributed.distribute(g)\n' + call + "\n")
    with pytest.raises(GraphoidError, match=message):
        run_program(source)


@pytest.mark.timeout(180)
def test_triangles_example_is_the_same_in_process_and_on_two_workers():
    outputs = []
    for executor_env in ({"GRAPHOID_EXECUTOR": "inprocess"}, {}):
        env = {k: v for k, v in os.environ.items() if k != "GRAPHOID_EXECUTOR"}
        env.update(executor_env, GRAPHOID_WORKERS="2", PYTHONPATH=str(ROOT))
        done = subprocess.run([sys.executable, "-m", "graphoid", "run", "examples/triangles.gd"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=150)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0].splitlines() == [
        "triangles: 3", "  alice bob carol", "  alice carol dave", "  carol dave erin", "same as local: true",
    ]
