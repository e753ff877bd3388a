"""Local BSP graph messaging: delivery, payloads, context, ordering, rollback, limits."""

import pytest

from graphoid.errors import GraphoidError
import graphoid.messaging.local  # noqa: F401  (adds broadcast, send, request, set_behavior to graphs)
from graphoid.graphs.graph import Graph
from graphoid.messaging.engine import SuperstepEngine
from graphoid.values.types import GList, GMap, Symbol

S = Symbol


def call(g, name, *args, **kwargs):
    return g.call(name, args, kwargs or None)


def field(value, name):
    """A node value is a map until its node is activated, then the instance graph."""
    return value[name] if isinstance(value, dict) else value.get_property(name)


def pagerank_template() -> Graph:
    t = Graph.declare_class("PageRankNode")
    for prop, value in (("rank", 0.0), ("incoming", 0.0), ("damping", 0.85), ("n", 1)):
        t.define_property(prop, value)

    def on_message(self, msg):
        get, put = self.get_property, self.set_property
        if isinstance(msg, list) and msg[0] is S("init"):
            params = msg[1]
            put("rank", params["rank"])
            put("damping", params["damping"])
            put("n", params["n"])
        elif msg is S("send_contributions"):
            degree = self.call("out_degree", ())
            if degree > 0:
                get("graph").call("send", (GList([S("contribution"), get("rank") / degree]),), {"from": get("id"), "via": "*"})
        elif isinstance(msg, list) and msg[0] is S("contribution"):
            put("incoming", get("incoming") + msg[1])
        elif msg is S("update_rank"):
            put("rank", (1 - get("damping")) / get("n") + get("damping") * get("incoming"))
            put("incoming", 0.0)
        elif msg is S("get_rank"):
            return GMap({"id": get("id"), "rank": get("rank")})
        return None

    t.define_method("on_message", on_message)
    return t


def ring_graph(size: int) -> Graph:
    g = Graph()
    for i in range(size):
        g.add_node(f"n{i}", None)
    for i in range(size):
        g.add_edge(f"n{i}", f"n{(i + 1) % size}")
        g.add_edge(f"n{i}", f"n{(i * 7 + 3) % size}")
    return g


def run_pagerank(g: Graph, iterations: int) -> list:
    n = g.node_count()
    call(g, "set_behavior", pagerank_template())
    call(g, "broadcast", S("init"), GMap({"rank": 1.0 / n, "damping": 0.85, "n": n}))
    for _ in range(iterations):
        call(g, "broadcast", S("send_contributions"))
        call(g, "broadcast", S("update_rank"))
    return call(g, "request", S("get_rank"), where=lambda v: True)


def reference_pagerank(g: Graph, iterations: int) -> dict:
    n = g.node_count()
    rank = {node: 1.0 / n for node in g.node_ids()}
    for _ in range(iterations):
        incoming = {node: 0.0 for node in rank}
        for node in sorted(rank):
            succ = g.successors(node)
            for dst in succ:
                incoming[dst] += rank[node] / len(succ)
        rank = {node: 0.15 / n + 0.85 * incoming[node] for node in rank}
    return rank


def test_pagerank_matches_a_plain_computation():
    g = ring_graph(30)
    replies = run_pagerank(g, 10)
    expected = reference_pagerank(ring_graph(30), 10)
    assert [r["id"] for r in replies] == sorted(expected)
    for reply in replies:
        assert reply["rank"] == pytest.approx(expected[reply["id"]], rel=1e-12)
    assert sum(r["rank"] for r in replies) == pytest.approx(1.0)
    assert g.get_node("n0").type_of() == "PageRankNode"


def test_results_are_deterministic_bitwise():
    first = [r["rank"] for r in run_pagerank(ring_graph(40), 5)]
    second = [r["rank"] for r in run_pagerank(ring_graph(40), 5)]
    assert first == second


def recorder(log: list) -> Graph:
    t = Graph.declare_class("Recorder")
    t.define_property("seen", GList())

    def on_message(self, msg):
        log.append((self.get_property("id"), msg))
        if isinstance(msg, list) and msg[0] is S("hop") and msg[1] > 0:
            self.get_property("graph").call("send", (S("hop"), msg[1] - 1), {"from": self.get_property("id")})
        if msg is S("ping"):
            return "pong:" + self.get_property("id")
        return None

    t.define_method("on_message", on_message)
    return t


def test_payload_packing_and_bare_messages():
    log = []
    g = Graph()
    g.add_node("a", None)
    call(g, "set_behavior", recorder(log))
    call(g, "broadcast", S("bare"))
    call(g, "broadcast", S("with"), 5)
    assert log == [("a", S("bare")), ("a", [S("with"), 5])]


def test_cascades_run_in_later_supersteps_in_id_order():
    log = []
    g = Graph()
    for node in ("c", "a", "b"):
        g.add_node(node, None)
    g.add_edge("a", "b")
    g.add_edge("b", "c")
    g.add_edge("c", "a")
    call(g, "set_behavior", recorder(log))
    call(g, "send", S("hop"), 2, to="a")
    assert [entry[0] for entry in log] == ["a", "b", "c"]
    log.clear()
    call(g, "broadcast", S("hop"), 1)
    # superstep 0: every node in id order; superstep 1: the forwarded copies in id order
    assert [entry[0] for entry in log] == ["a", "b", "c", "a", "b", "c"]
    assert [entry[1][1] for entry in log] == [1, 1, 1, 0, 0, 0]


def test_send_forms_and_request_shapes():
    log = []
    g = Graph()
    for node, value in (("x", GMap({"k": 1})), ("y", GMap({"k": 2})), ("z", GMap({"k": 3}))):
        g.add_node(node, value)
    g.add_edge("x", "y", "T")
    g.add_edge("x", "z", "U")
    call(g, "set_behavior", recorder(log))
    call(g, "send", S("m"), **{"from": "x", "via": "T"})
    assert log == [("y", S("m"))]
    log.clear()
    call(g, "send", S("m"), **{"from": "x", "via": "*"})
    assert [e[0] for e in log] == ["y", "z"]
    assert call(g, "request", S("ping"), to="z") == "pong:z"
    assert call(g, "request", S("ping"), where=lambda v: field(v, "k") >= 2) == ["pong:y", "pong:z"]
    with pytest.raises(GraphoidError):
        call(g, "send", S("m"), to="nobody")
    with pytest.raises(GraphoidError):
        call(g, "send", S("m"))


def test_lazy_activation_seeds_from_map_values():
    t = Graph.declare_class("Doc")
    t.define_property("content", "")
    t.define_property("count", 0)

    def on_message(self, msg):
        if msg is S("count_words"):
            self.set_property("count", len(self.get_property("content").split()))
        elif msg is S("get"):
            return self.get_property("count")

    t.define_method("on_message", on_message)
    g = Graph()
    g.add_node("d1", GMap({"content": "a b c"}))
    g.add_node("d2", GMap({"content": "x"}))
    g.add_node("plain", 7)
    call(g, "set_behavior", t)
    call(g, "broadcast", S("count_words"))
    assert call(g, "request", S("get"), where=lambda v: True) == [3, 1, 0]
    assert t.get_property("content") == ""


def test_nodes_without_handlers_are_skipped():
    g = Graph()
    g.add_node("a", 1)
    call(g, "broadcast", S("anything"))
    assert g.get_node("a") == 1
    assert call(g, "request", S("ping"), where=lambda v: True) == []


def test_handler_context_degrees_and_neighbors():
    seen = {}
    t = Graph.declare_class("Probe")

    def on_message(self, msg):
        seen[self.get_property("id")] = (
            self.call("out_degree", ()),
            self.call("in_degree", ()),
            self.call("degree", ()),
            list(self.call("neighbors", ())),
        )

    t.define_method("on_message", on_message)
    g = Graph()
    g.add_edge("a", "b")
    g.add_edge("a", "c")
    g.add_edge("c", "a")
    call(g, "set_behavior", t)
    call(g, "broadcast", S("go"))
    assert seen == {"a": (2, 1, 3, ["b", "c"]), "b": (0, 1, 1, []), "c": (1, 1, 2, ["a"])}
    assert g.get_node("a").get_property("id") is None


def test_handler_error_rolls_back_and_names_node_and_superstep():
    t = Graph.declare_class("Fragile")
    t.define_property("value", 0)

    def on_message(self, msg):
        if msg is S("inc"):
            self.set_property("value", self.get_property("value") + 1)
            if self.get_property("id") == "a":
                self.get_property("graph").call("send", (S("boom"),), {"to": "c"})
        elif msg is S("boom"):
            raise GraphoidError("ValueError", "exploded")
        elif msg is S("get"):
            return self.get_property("value")

    t.define_method("on_message", on_message)
    g = Graph()
    for node in "abc":
        g.add_node(node, None)
    call(g, "set_behavior", t)
    with pytest.raises(GraphoidError) as info:
        call(g, "broadcast", S("inc"))
    assert info.value.kind == "ValueError"
    assert "node 'c'" in info.value.message and "superstep 1" in info.value.message
    assert [g.get_node(n) for n in "abc"] == [None, None, None]


def test_rollback_restores_existing_instance_state():
    t = Graph.declare_class("Counter")
    t.define_property("value", 0)

    def on_message(self, msg):
        self.set_property("value", self.get_property("value") + 1)
        if msg is S("fail") and self.get_property("id") == "b":
            raise ZeroDivisionError("division by zero")
        return self.get_property("value")

    t.define_method("on_message", on_message)
    g = Graph()
    g.add_node("a", None)
    g.add_node("b", None)
    call(g, "set_behavior", t)
    call(g, "broadcast", S("ok"))
    with pytest.raises(GraphoidError) as info:
        call(g, "broadcast", S("fail"))
    assert "node 'b'" in info.value.message
    assert call(g, "request", S("get"), where=lambda v: True) == [2, 2]


def test_runaway_cascade_hits_max_supersteps():
    t = Graph.declare_class("Echo")

    def on_message(self, msg):
        self.get_property("graph").call("broadcast", (S("again"),))

    t.define_method("on_message", on_message)
    g = Graph()
    g.add_node("a", None)
    call(g, "set_behavior", t)
    with pytest.raises(GraphoidError) as info:
        call(g, "broadcast", S("start"), max_supersteps=5)
    assert info.value.kind == "LimitError" and "5 supersteps" in info.value.message


def test_request_and_rule_changes_inside_handler_are_errors():
    t = Graph.declare_class("Bad")

    def on_message(self, msg):
        if msg is S("ask"):
            self.get_property("graph").call("request", (S("x"),), {"to": "a"})
        else:
            # topology changes are buffered (test_messaging_topology.py); rule changes are not
            self.get_property("graph").call("add_node", ("new", 1))
            self.get_property("graph").call("add_rule", (S("no_cycles"),))

    t.define_method("on_message", on_message)
    g = Graph()
    g.add_node("a", None)
    call(g, "set_behavior", t)
    with pytest.raises(GraphoidError) as info:
        call(g, "send", S("ask"), to="a")
    assert "request" in info.value.message
    with pytest.raises(GraphoidError):
        call(g, "send", S("grow"), to="a")
    assert g.node_ids() == ["a"]


def test_set_behavior_needs_on_message():
    with pytest.raises(GraphoidError):
        call(Graph(), "set_behavior", Graph.declare_class("Nothing"))


def test_engine_is_a_pure_state_machine():
    engine = SuperstepEngine(max_supersteps=3)
    engine.seed(["b", "a"], "m")
    assert engine.take_inbox() == [("a", ["m"]), ("b", ["m"])]
    engine.emit("z", 1)
    engine.emit("y", 2)
    engine.emit("z", 3)
    assert engine.take_inbox() == []
    engine.barrier()
    assert engine.superstep == 1 and engine.has_work()
    assert engine.take_inbox() == [("y", [2]), ("z", [1, 3])]
    engine.barrier()
    assert not engine.has_work() and engine.delivered == 5


def test_handler_reuse_across_calls_follows_method_changes():
    t = Graph.declare_class("Tally")
    t.define_property("hits", 0)
    t.define_method("on_message", lambda self, msg: self.set_property("hits", self.get_property("hits") + 1))
    g = Graph()
    g.add_node("a", None)
    call(g, "set_behavior", t)
    call(g, "broadcast", S("x"))
    first = g.get_node("a")
    call(g, "broadcast", S("x"))
    assert g.get_node("a") is first and first.get_property("hits") == 2
    t.define_method("on_message", lambda self, msg: self.set_property("hits", self.get_property("hits") + 10))
    call(g, "broadcast", S("x"))
    assert first.get_property("hits") == 12
    t.remove_method("on_message")
    call(g, "broadcast", S("x"))
    assert first.get_property("hits") == 12
    g.add_node("a", GMap({"hits": 100}))
    t.define_method("on_message", lambda self, msg: self.set_property("hits", self.get_property("hits") + 1))
    call(g, "broadcast", S("x"))
    assert g.get_node("a") is not first and g.get_node("a").get_property("hits") == 101


def test_handler_error_is_located_in_the_handler_with_the_whole_stack():
    from graphoid.runtime.interpreter import Interpreter

    source = "\n".join([
        "fn check(v) {",
        "    if v > 1 { raise ValueError(\"too big\") }",  # line 2
        "}",
        "graph Checker {",
        "    fn on_message(msg) {",
        "        check(msg[1])",  # line 6
        "    }",
        "}",
        "fn start(g) {",
        "    g.send([:v, 5], to: \"b\")",  # line 10
        "}",
        "g = graph {}",
        "g.add_node(\"a\", {})",
        "g.add_node(\"b\", {})",
        "g.set_behavior(Checker)",
        "start(g)",  # line 16
    ])
    with pytest.raises(GraphoidError) as info:
        Interpreter().run(source, "prog.gd")
    error = info.value
    assert error.message == "too big (in on_message of node 'b' at superstep 0)"
    assert (error.span.line, error.span.col) == (2, 16)
    assert [(entry.function, entry.span.line) for entry in error.trace] == [
        ("<main>", 16),
        ("start", 10),
        ("on_message (node 'b', superstep 0)", 6),
        ("check", 2),
    ]
