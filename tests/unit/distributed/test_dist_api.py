"""The Graphoid `distributed` module on the in-process executor: what a program sees.

(The same calls on real worker processes are covered by test_dist_examples.py and
test_dist_patterns.py, which run whole programs on both executors.)
"""

from __future__ import annotations

import gc

import pytest

import graphoid.distributed  # noqa: F401  (registers the module)
from graphoid.errors import GraphoidError
from graphoid.runtime.interpreter import Interpreter

SETUP = """
import "distributed"
distributed.configure({executor: :inprocess, workers: 2})
g = graph { type: :directed }
for i in range(8) { g.add_node("n" + i.to_string(), i) }
for i in range(7) { g.add_edge("n" + i.to_string(), "n" + (i + 1).to_string()) }
g.add_edge("n7", "n0")
"""


def run(source: str) -> Interpreter:
    interp = Interpreter()
    interp.run(SETUP + source)
    return interp


def value(source: str, expr: str):
    interp = run(source)
    try:
        return interp.eval(expr)
    finally:
        interp.run("x = 0")  # (sessions close at exit; nothing else to do)


@pytest.mark.parametrize("strategy", ["", ", strategy: :hash", ", strategy: :range", ", strategy: id => id.length() % 3"])
def test_distribute_keeps_every_node_and_edge(strategy: str) -> None:
    interp = run(f"d = distributed.distribute(g, partitions: 3{strategy})")
    assert interp.eval("d.node_count()") == 8 and interp.eval("d.edge_count()") == 8
    assert list(interp.eval("d.nodes()")) == [f"n{i}" for i in range(8)]
    assert interp.eval("d.to_local() == g") is True
    assert interp.eval("d.get_node(\"n5\")") == 5 and interp.eval("d.has_node(\"n9\")") is False
    assert list(interp.eval("d.neighbors(\"n7\")")) == ["n0"]
    owners = [interp.eval(f'd.partition_of("n{i}")') for i in range(8)]
    assert all(0 <= owner < 3 for owner in owners)
    parts = interp.eval("d.partitions()")
    assert [p["index"] for p in parts] == [0, 1, 2] and all(p["worker"] in ("0", "1") for p in parts)


def test_range_partitions_are_contiguous() -> None:
    interp = run("d = distributed.distribute(g, partitions: 2, strategy: :range)")
    assert [interp.eval(f'd.partition_of("n{i}")') for i in range(8)] == [0] * 4 + [1] * 4


def test_results_stay_keyed_and_fetch_on_demand() -> None:
    interp = run("""
d = distributed.distribute(g, partitions: 3)
doubled = distributed.map(d, node => node.value * 2)
squares = distributed.map([1, 2, 3, 4], x => x * x)
total = distributed.reduce(d, 0, (acc, node) => acc + node.value)
ordered = distributed.reduce(d, "", (acc, node) => acc + node.id)
combined = distributed.reduce(d, 0, (acc, node) => acc + node.value, combine: (a, b) => a + b)
counts = distributed.map_reduce(["a b", "b c", "c c"], map: line => line.split(" ").map(w => [w, 1]),
                                reduce: (k, vs) => vs.sum())
big = distributed.query(d, p => p.nodes().filter(n => n.value > 5).map(n => n.id))
""")
    assert interp.eval('doubled.get("n3")') == 6 and interp.eval("doubled.size()") == 8
    assert list(interp.eval("doubled.keys()")) == [f"n{i}" for i in range(8)]
    assert list(interp.eval("doubled.to_list()")) == [2 * i for i in range(8)]
    assert dict(interp.eval("doubled.to_map()"))["n7"] == 14
    assert list(interp.eval("squares.to_list()")) == [1, 4, 9, 16] and interp.eval("squares.get(-1)") == 16
    assert interp.eval("total") == 28 and interp.eval("combined") == 28
    assert interp.eval("ordered") == "".join(f"n{i}" for i in range(8))  # ascending id order
    assert [list(pair) for pair in interp.eval("counts.to_list()")] == [["a", 1], ["b", 2], ["c", 3]]
    assert interp.eval('counts.get("c")') == 3 and interp.eval('counts.get("zz")') is None
    assert list(interp.eval("big")) == ["n6", "n7"]
    interp.run("seen = []\nfor x in squares { seen = seen + [x] }")
    assert list(interp.eval("seen")) == [1, 4, 9, 16]
    assert interp.eval("typeof(squares)") == "distributed_result"


COUNTER = """
graph Counter {
    total = 0
    fn on_message(msg) {
        match msg {
            :tick => { total = total + 1 }
            [:add, n] => { total = total + n }
            :boom => {
                if self.id == "n4" { raise RuntimeError("boom") }
                total = total + 100
            }
            :get => total
            :pass => { self.graph.send(:tick, from: self.id, via: "*") }
        }
    }
}
"""


def test_messaging_gives_the_local_graph_results() -> None:
    interp = run(COUNTER + """
d = distributed.distribute(g, partitions: 3)
d.set_behavior(Counter)
g.set_behavior(Counter)
for target in [d, g] {
    target.broadcast(:tick)
    target.send(:add, 5, to: ["n1", "n2"])
    target.broadcast(:pass)
    target.send(:add, 2, where: v => v.total > 5)
}
""")
    assert gc.isenabled()  # every partition's run finished (its collector pause ended) with its call
    local = list(interp.eval("g.request(:get, where: v => true)"))
    assert list(interp.eval("d.request(:get, where: v => true)")) == local
    assert interp.eval('d.request(:get, to: "n2")') == interp.eval('g.request(:get, to: "n2")')
    assert list(interp.eval('d.request(:get, to: ["n5", "n0"])')) == list(interp.eval('g.request(:get, to: ["n5", "n0"])'))


def test_a_handler_error_rolls_back_every_partition_and_names_the_node() -> None:
    interp = run(COUNTER + """
d = distributed.distribute(g, partitions: 3)
d.set_behavior(Counter)
d.broadcast(:tick)
""")
    with pytest.raises(GraphoidError) as caught:
        interp.run("d.broadcast(:boom)")
    assert caught.value.kind == "RuntimeError"
    assert "boom" in caught.value.message and "node 'n4'" in caught.value.message
    assert list(interp.eval("d.request(:get, where: v => true)")) == [1] * 8  # nothing kept


@pytest.mark.parametrize(
    "source, kind, message",
    [
        ("distributed.distribute(5)", "TypeError", "expects a graph"),
        ("distributed.distribute(g, partitions: 0)", "ValueError", "partitions: must be a positive whole number"),
        ("distributed.distribute(g, strategy: :zigzag)", "ValueError", "strategy: must be :hash, :range or a function"),
        ("distributed.distribute(g, partitions: 2, strategy: id => 7).nodes()", "ValueError", "expected a whole number from 0 to 1"),
        ("distributed.map(g, 5)", "TypeError", "expects a function"),
        ("distributed.reduce(g, 0, (a, n) => a)", "TypeError", "expects a distributed graph"),
        ("distributed.map(distributed.distribute(g), n => n.value).get(3)", "TypeError", "keyed by node id"),
        ("distributed.map([1], x => x).get(5)", "IndexError", "out of range"),
        ("distributed.configure({nope: 1})", "ValueError", "has no setting 'nope'"),
        ("distributed.distribute(g).request(:get, to: 7)", "KeyError", "no such node"),
        ("distributed.distribute(g).frobnicate()", "RuntimeError", "has no method 'frobnicate'"),
    ],
)
def test_bad_calls_are_graphoid_errors(source: str, kind: str, message: str) -> None:
    interp = Interpreter()
    interp.run(SETUP)
    with pytest.raises(GraphoidError) as caught:
        interp.run(source)
    assert caught.value.kind == kind and message in caught.value.message


def test_configure_after_the_first_operation_is_refused() -> None:
    interp = run("d = distributed.distribute(g)")
    with pytest.raises(GraphoidError, match="must come before the first distributed operation"):
        interp.run("distributed.configure({workers: 3})")


def test_stats_has_one_entry_per_worker() -> None:
    interp = run("d = distributed.distribute(g)\nd.nodes()")
    stats = interp.eval("distributed.stats()")
    assert [entry["worker"] for entry in stats] == ["0", "1"]
