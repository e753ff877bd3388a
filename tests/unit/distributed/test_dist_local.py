"""The :local executor: no workers; distributed operations run in the driver on a local graph
and give what the in-process executor gives on a one-partition graph."""

from __future__ import annotations

import pytest

import graphoid.distributed  # noqa: F401  (registers the module)
from graphoid.distributed.api import session_of
from graphoid.errors import GraphoidError
from graphoid.runtime.interpreter import Interpreter
from graphoid.values.format import display

pytestmark = pytest.mark.timeout(120)

# nodes added in descending id order: operations still see them in ascending order
GRAPH = """
g = graph { type: :directed }
for i in range(8) { g.add_node("n" + (7 - i).to_string(), 7 - i) }
for i in range(7) { g.add_edge("n" + i.to_string(), "n" + (i + 1).to_string()) }
g.add_edge("n7", "n0")
"""

PROGRAM = GRAPH + """
graph Counter {
    total = 0
    fn on_message(msg) {
        match msg {
            :tick => { total = total + 1 }
            :pass => { self.graph.send(:tick, from: self.id, via: "*") }
            :get => total
        }
    }
}
d = distributed.distribute(g, partitions: 1)
doubled = distributed.map(d, node => node.value * 2)
views = distributed.map(d, node => node)
squares = distributed.map([1, 2, 3, 4], x => x * x)
ordered = distributed.reduce(d, "", (acc, node) => acc + node.id)
combined = distributed.reduce(d, 0, (acc, node) => acc + node.value, combine: (a, b) => a + b)
by_parity = distributed.map_reduce(d, map: node => [[node.value % 2, node.id]], reduce: (k, ids) => ids.join(","))
words = distributed.map_reduce(["b a", "a c", "c c"], map: line => line.split(" ").map(w => [w, 1]),
                               reduce: (k, ones) => [k, ones.sum()])
big = distributed.query(d, p => p.nodes().filter(n => n.value > 5))
parts = distributed.query(d, p => p.node_count(), aggregate: counts => counts)
matches = distributed.find_pattern(d, pattern { a -> b }).length()
d.set_behavior(Counter)
rounds = distributed.iterate(d, init: :tick, step: :pass, measure: (acc, n) => acc + 1, start: 0,
                             converged: s => s["iteration"] == 3)
totals = d.request(:get, where: v => true)
"""

NAMES = ("doubled.to_list()", "doubled.keys()", 'doubled.get("n3")', "views.to_list()", "squares.to_list()",
         "squares.get(-1)", "ordered", "combined", "by_parity.to_list()", "by_parity.get(1)", "words.to_list()",
         'words.get("c")', 'words.get("zz")', "big", "parts", "matches", "rounds", "totals", "d.nodes()")


def interpreter(executor: str, source: str) -> Interpreter:
    interp = Interpreter()
    interp.run(f'import "distributed"\ndistributed.configure({{executor: :{executor}, workers: 2}})\n' + source)
    return interp


@pytest.fixture(scope="module")
def programs() -> dict[str, Interpreter]:
    return {executor: interpreter(executor, PROGRAM) for executor in ("local", "inprocess")}


@pytest.mark.parametrize("expr", NAMES)
def test_local_gives_what_a_one_partition_graph_gives(programs, expr: str) -> None:
    assert display(programs["local"].eval(expr)) == display(programs["inprocess"].eval(expr))


def test_local_values_are_the_expected_ones(programs) -> None:
    local = programs["local"]
    assert list(local.eval("d.nodes()")) == [f"n{i}" for i in range(8)]
    assert local.eval("ordered") == "".join(f"n{i}" for i in range(8))
    assert list(local.eval("views.to_list()")) == [f"n{i}" for i in range(8)]  # node views give ids
    assert display(local.eval("by_parity.to_list()")) == "[[0, n0,n2,n4,n6], [1, n1,n3,n5,n7]]"
    assert display(local.eval("words.to_list()")) == "[[a, 2], [b, 1], [c, 3]]"
    assert list(local.eval("parts")) == [8] and local.eval("matches") == 8
    assert local.eval("typeof(doubled)") == "distributed_result"


def test_no_workers_start_and_stats_are_empty(programs) -> None:
    local = programs["local"]
    assert not session_of(local).started
    assert list(local.eval("distributed.stats()")) == []


def test_distribute_copies_the_graph() -> None:
    interp = interpreter("local", GRAPH + """
d = distributed.distribute(g)
d.add_node("extra", 1)
g.add_node("mine", 2)
""")
    assert interp.eval('g.has_node("extra")') is False and interp.eval('d.has_node("mine")') is False
    assert interp.eval("typeof(d)") == "graph"


def test_other_executors_still_want_a_distributed_graph() -> None:
    interp = interpreter("inprocess", GRAPH)
    with pytest.raises(GraphoidError, match="expects a distributed graph"):
        interp.run("distributed.reduce(g, 0, (acc, n) => acc + n.value)")


def test_the_environment_chooses_local(monkeypatch) -> None:
    monkeypatch.setenv("GRAPHOID_EXECUTOR", "local")
    interp = Interpreter()
    interp.run('import "distributed"\n' + GRAPH + "d = distributed.distribute(g)\nn = distributed.map(d, x => 1).size()")
    assert interp.eval("n") == 8 and not session_of(interp).started


@pytest.mark.parametrize(
    "source, kind, message",
    [
        ("distributed.distribute(g, partitions: 0)", "ValueError", "partitions: must be a positive whole number"),
        ("distributed.distribute(g, strategy: :nope)", "ValueError", "strategy: must be"),
        ("distributed.distribute(g, name: 3)", "TypeError", "name: must be a non-empty string"),
        ("distributed.distribute(5)", "TypeError", "expects a graph"),
        ("distributed.map(g, 5)", "TypeError", "expects a function"),
        ("distributed.map([1], x => x, chunk_size: 0)", "ValueError", "chunk_size"),
        ("distributed.reduce([1], 0, (a, n) => a)", "TypeError", "expects a distributed graph"),
        ("distributed.map_reduce(g, map: n => 5, reduce: (k, v) => v)", "TypeError", "list of [key, value] pairs"),
        ("distributed.map_reduce(g, map: n => [5], reduce: (k, v) => v)", "TypeError", "list of [key, value] pairs"),
        ("distributed.map(g, n => n.value).get(3)", "TypeError", "keyed by node id"),
        ("distributed.map([1, 2], x => x).get(2)", "IndexError", "out of range"),
        ("distributed.map([1, 2], x => x).get(\"a\")", "TypeError", "keyed by item index"),
        ("distributed.map(g, n => n.value / 0)", "RuntimeError", "Division by zero"),
        ("distributed.iterate(g, step: :x)", "TypeError", "converged: or max_iterations:"),
    ],
)
def test_bad_input_gets_the_executors_errors(source: str, kind: str, message: str) -> None:
    interp = interpreter("local", GRAPH)
    with pytest.raises(GraphoidError) as caught:
        interp.run(source)
    assert caught.value.kind == kind and message in caught.value.message


def test_configure_after_a_local_operation_is_refused() -> None:
    interp = interpreter("local", GRAPH + "d = distributed.distribute(g)")
    with pytest.raises(GraphoidError, match="must come before the first distributed operation"):
        interp.run("distributed.configure({executor: :inprocess})")


def test_an_unknown_executor_names_local_among_the_choices() -> None:
    with pytest.raises(GraphoidError, match=":local"):
        interpreter("nope", "")


def test_load_edges_reads_the_file_in_the_driver(tmp_path) -> None:
    edges = tmp_path / "edges.txt"
    edges.write_text("# a comment\nb a 2\na c\nc b\n", encoding="utf-8")
    source = f'd = distributed.load_edges("{edges}", directed: true)\n'
    interp = interpreter("local", source)
    assert list(interp.eval("d.nodes()")) == ["a", "b", "c"] and interp.eval("d.edge_count()") == 3
    assert not session_of(interp).started
    inprocess = interpreter("inprocess", source)
    assert display(interp.eval("d.nodes()")) == display(inprocess.eval("d.nodes()"))
    with pytest.raises(GraphoidError, match="cannot read edge list"):
        interp.run(f'distributed.load_edges("{tmp_path / "missing.txt"}")')

