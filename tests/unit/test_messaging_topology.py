"""Topology changes inside on_message: buffered, applied at the barrier, rolled back on error."""

import pytest

from graphoid.errors import GraphoidError
import graphoid.messaging.local  # noqa: F401  (adds broadcast, send, request, set_behavior to graphs)
from graphoid.graphs.graph import Graph
from graphoid.values.types import GList, Symbol

S = Symbol


def call(g, name, *args, **kwargs):
    return g.call(name, args, kwargs or None)


def grower(log: list) -> Graph:
    """A template whose handler logs deliveries and changes the topology on command.

    `[:spawn, n]`: add node n (edge self -> n) and forward `:hello` along all out-edges;
    `:hello`: log only; `[:drop, n]`: remove node n; `[:look]`: log the node count and own
    successors as seen during the superstep.
    """
    t = Graph.declare_class("Grower")

    def on_message(self, msg):
        me = self.get_property("id")
        graph = self.get_property("graph")
        log.append((me, msg))
        if isinstance(msg, list) and msg[0] is S("spawn"):
            graph.call("add_node", (msg[1], None))
            graph.call("add_edge", (me, msg[1]))
            log.append((me, "count", graph.node_count(), tuple(graph.call("successors", (me,)))))
            graph.call("send", (S("hello"),), {"from": me, "via": "*"})
        elif isinstance(msg, list) and msg[0] is S("drop"):
            graph.call("remove_node", (msg[1],))
            graph.call("broadcast", (S("hello"),))
        elif msg is S("relay"):
            graph.call("send", (S("hello"),), {"from": me, "via": "*"})
        return None

    t.define_method("on_message", on_message)
    return t


def base_graph(log: list) -> Graph:
    g = Graph()
    for node in ("b", "a", "c"):
        g.add_node(node, None)
    call(g, "set_behavior", grower(log))
    return g


def test_changes_are_buffered_until_the_barrier():
    log = []
    g = base_graph(log)
    call(g, "send", GList([S("spawn"), "z"]), to="a")
    # during superstep 0 the handler still sees the start-of-superstep topology
    assert ("a", "count", 3, ()) in log
    assert g.has_node("z") and g.has_edge("a", "z")
    # the :hello sent in superstep 0 followed the old edges (none), so z got nothing yet
    assert [entry for entry in log if entry[0] == "z"] == []


def test_new_node_is_activated_and_receives_from_the_next_superstep():
    log = []
    g = base_graph(log)
    g.add_edge("b", "a")
    # b spawns z (edge b -> z); its :hello of that superstep followed the old edges only
    call(g, "send", GList([S("spawn"), "z"]), to="b")
    log.clear()
    call(g, "send", S("relay"), to="b")
    # b's out-edges are now a and z: the new node receives like the others
    assert log == [("b", S("relay")), ("a", S("hello")), ("z", S("hello"))]
    log.clear()
    call(g, "broadcast", S("relay"))
    # z is a data node like the others: it gets the broadcast and, through b -> z, a relay
    assert ("z", S("relay")) in log
    assert log.count(("z", S("hello"))) == 1
    assert g.get_node("z").type_of() == "Grower"


def test_new_node_gets_messages_sent_after_the_barrier():
    log = []
    g = Graph()
    g.add_node("a", None)
    g.add_node("m", None)
    g.add_edge("a", "m")

    t = Graph.declare_class("Chain")

    def on_message(self, msg):
        me = self.get_property("id")
        graph = self.get_property("graph")
        log.append((me, msg))
        if msg is S("start"):
            graph.call("add_edge", (me, "new"))  # creates node "new" at the barrier
            graph.call("send", (S("step"),), {"to": "m"})
        elif msg is S("step"):
            graph.call("send", (S("late"),), {"to": "new"})  # superstep 1: "new" exists now
        return None

    t.define_method("on_message", on_message)
    call(g, "set_behavior", t)
    call(g, "send", S("start"), to="a")
    assert log == [("a", S("start")), ("m", S("step")), ("new", S("late"))]


def test_removed_node_stops_receiving():
    log = []
    g = base_graph(log)
    g.add_edge("a", "c")
    g.add_edge("b", "c")
    call(g, "send", GList([S("drop"), "c"]), to="a")
    # the broadcast sent in superstep 0 reached a and b only: c was gone at the barrier
    assert not g.has_node("c")
    assert sorted(entry[0] for entry in log[1:]) == ["a", "b"]
    assert g.edge_count() == 0


def test_pending_messages_to_a_removed_node_are_dropped():
    log = []
    g = Graph()
    for node in ("a", "b", "c"):
        g.add_node(node, None)
    g.add_edge("a", "c")
    g.add_edge("b", "c")

    t = Graph.declare_class("Dropper")

    def on_message(self, msg):
        me = self.get_property("id")
        graph = self.get_property("graph")
        log.append((me, msg))
        if msg is S("go"):
            graph.call("send", (S("hi"),), {"from": me, "via": "*"})
            if me == "b":
                graph.call("remove_node", ("c",))
        return None

    t.define_method("on_message", on_message)
    call(g, "set_behavior", t)
    call(g, "broadcast", S("go"))
    assert log == [("a", S("go")), ("b", S("go")), ("c", S("go"))]
    assert g.node_ids() == ["a", "b"]


def ordered_template(log: list) -> Graph:
    t = Graph.declare_class("Ordered")

    def on_message(self, msg):
        me = self.get_property("id")
        graph = self.get_property("graph")
        if msg is S("go"):
            # every node sets the shared node "x" to its own id, then adds an edge: the last
            # writer in (node id, sequence) order wins, whatever the handling order
            graph.call("add_node", ("x", me))
            graph.call("add_node", ("x", me + "!"))
            graph.call("add_edge", (me, "x"))
        return None

    t.define_method("on_message", on_message)
    return t


def test_changes_apply_in_node_id_then_sequence_order():
    log = []
    g = Graph()
    for node in ("q", "b", "k"):
        g.add_node(node, None)
    call(g, "set_behavior", ordered_template(log))
    call(g, "broadcast", S("go"))
    assert g.get_node("x") == "q!"
    assert sorted(g.predecessors("x")) == ["b", "k", "q"]


def test_buffer_is_applied_sorted_even_if_recorded_out_of_order():
    from graphoid.messaging.local import MessageRun

    g = Graph()
    g.add_node("a", None)
    run = MessageRun(g, 10, True)
    run.pending = [("b", 0, "add_node", ("x", "from b"), None), ("a", 1, "add_node", ("x", "from a"), None)]
    run.apply_topology(0)
    assert g.get_node("x") == "from b"


def build_growing(n: int) -> tuple[Graph, list]:
    log: list = []
    g = Graph()
    for i in range(n):
        g.add_node(f"n{i:02}", None)
    for i in range(n):
        g.add_edge(f"n{i:02}", f"n{(i * 5 + 1) % n:02}")

    t = Graph.declare_class("Spreader")

    def on_message(self, msg):
        me = self.get_property("id")
        graph = self.get_property("graph")
        log.append((me, msg))
        if isinstance(msg, list) and msg[0] is S("grow") and msg[1] > 0:
            child = f"{me}.{msg[1]}"
            graph.call("add_edge", (me, child))
            if msg[1] % 2 == 0:
                succ = graph.call("successors", (me,))
                if succ:
                    graph.call("remove_edge", (me, succ[0]))
            graph.call("send", (GList([S("grow"), msg[1] - 1]),), {"from": me, "via": "*"})
        return None

    t.define_method("on_message", on_message)
    call(g, "set_behavior", t)
    return g, log


def test_results_are_deterministic():
    first, log1 = build_growing(12)
    call(first, "send", GList([S("grow"), 4]), to=["n00", "n03", "n07"])
    second, log2 = build_growing(12)
    call(second, "send", GList([S("grow"), 4]), to=["n07", "n00", "n03"])
    assert log1 == log2
    assert first.edges_all() == second.edges_all()
    assert first.node_ids() == second.node_ids()
    assert len(first.node_ids()) > 12


def test_rule_violation_rolls_back_everything():
    g = Graph("dag")
    for node in ("a", "b"):
        g.add_node(node, GList())  # non-map values: the template starts from its defaults
    g.add_edge("a", "b")

    t = Graph.declare_class("Cycler")
    t.define_property("hits", 0)

    def on_message(self, msg):
        me = self.get_property("id")
        graph = self.get_property("graph")
        self.set_property("hits", self.get_property("hits") + 1)
        if msg is S("go"):
            graph.call("add_node", ("extra", None))
            graph.call("add_edge", ("a", "extra"))
            graph.call("send", (S("again"),), {"to": me})
        elif msg is S("again") and me == "b":
            graph.call("add_edge", ("b", "a"))  # closes a cycle: the dag rule refuses it
        return None

    t.define_method("on_message", on_message)
    call(g, "set_behavior", t)
    before_edges = g.edges_all()
    with pytest.raises(GraphoidError) as info:
        call(g, "broadcast", S("go"))
    message = info.value.message
    assert "'b'" in message and "superstep 1" in message
    assert g.node_ids() == ["a", "b"]
    assert g.edges_all() == before_edges
    assert not g.has_node("extra")
    # node states are back too, and the graph still works afterwards
    assert g.get_node("a") == GList() and g.get_node("b") == GList()
    call(g, "send", S("noop"), to="a")
    assert g.get_node("a").get_property("hits") == 1


def test_bad_change_reports_node_and_superstep():
    g = Graph()
    g.add_node("a", None)

    t = Graph.declare_class("Bad")

    def on_message(self, msg):
        self.get_property("graph").call("add_node", (42, None))
        return None

    t.define_method("on_message", on_message)
    call(g, "set_behavior", t)
    with pytest.raises(GraphoidError) as info:
        call(g, "broadcast", S("go"))
    assert "node 'a'" in info.value.message and "superstep 0" in info.value.message
    assert g.node_ids() == ["a"]


def test_other_graph_changes_are_still_refused():
    g = Graph()
    g.add_node("a", None)

    t = Graph.declare_class("Freezer")

    def on_message(self, msg):
        self.get_property("graph").call("freeze", ())
        return None

    t.define_method("on_message", on_message)
    call(g, "set_behavior", t)
    with pytest.raises(GraphoidError, match="freeze"):
        call(g, "broadcast", S("go"))
