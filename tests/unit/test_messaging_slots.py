"""The local messaging runtime's slot engine, cached delivery plan and whole-box folding."""

import random
from pathlib import Path

import pytest

from graphoid import Interpreter
from graphoid.errors import GraphoidError
from graphoid.values.functions import with_folds
from graphoid.graphs.graph import Graph
from graphoid.messaging.engine import MIXED, Routes, SlotEngine
from graphoid.messaging.local import plan_for
from graphoid.values.types import GList, GMap, Symbol

S = Symbol


def call(g, name, *args, **kwargs):
    return g.call(name, args, kwargs or None)


def buffers(size):
    return ([[] for _ in range(size)], [[] for _ in range(size)])


def drain(engine):
    return [(slot, list(msgs)) for slot, msgs in engine.take_inbox()]


# ---------------------------------------------------------------------------- SlotEngine


def test_slot_engine_delivers_by_slot_then_arrival_and_empties_boxes():
    engine = SlotEngine(buffers(4), max_supersteps=5)
    engine.seed([3, 1, 3], "m")
    assert engine.has_work() and drain(engine) == [(1, ["m"]), (3, ["m", "m"])]
    engine.emit(2, "a")
    engine.emit_many([0, 2], "b")
    assert engine.inbox == [[], [], [], []]  # nothing sent this step was handled in it (G3)
    engine.barrier()
    assert engine.superstep == 1 and drain(engine) == [(0, ["b"]), (2, ["a", "b"])]
    engine.barrier()
    assert not engine.has_work() and engine.delivered == 6
    assert engine.inbox == engine.outbox == [[], [], [], []]


def test_slot_engine_uniform_seed_keeps_no_boxes():
    engine = SlotEngine(buffers(3), max_supersteps=5)
    engine.seed_all([0, 2], "hi")
    assert engine.inbox == [[], [], []]
    assert [(slot, tuple(msgs)) for slot, msgs in engine.take_inbox()] == [(0, ("hi",)), (2, ("hi",))]
    engine.barrier()
    assert not engine.has_work()


def test_slot_engine_reports_a_common_head_only_when_every_message_shares_it():
    add, other = S("add"), S("other")
    engine = SlotEngine(buffers(3), max_supersteps=9)
    engine.seed_all([0], "go")
    drain(engine)
    engine.emit_many([1, 2], GList([add, 1]))
    engine.emit(1, GList([add, 2]))
    engine.barrier()
    assert engine.inbox_head is add
    drain(engine)
    engine.emit(1, GList([add, 1]))
    engine.emit(2, GList([other, 1]))
    engine.barrier()
    assert engine.inbox_head is MIXED
    drain(engine)
    engine.emit(0, GList([add, 1, 2]))  # three items: not an accumulator shape
    engine.barrier()
    assert engine.inbox_head is MIXED


def test_slot_engine_budget_and_clear():
    engine = SlotEngine(buffers(2), max_supersteps=2)
    engine.seed([0], "x")
    drain(engine)
    engine.emit(1, "y")
    engine.barrier()
    drain(engine)
    engine.emit(0, "z")
    with pytest.raises(GraphoidError) as info:
        engine.barrier()
    assert info.value.kind == "LimitError" and "1 messages still pending" in info.value.message
    engine.clear()
    assert engine.inbox == engine.outbox == [[], []] and not engine.has_work()


def routed_engine():
    # 0 -> 2, 0 -> 1, 1 -> 2, 2 -> 0; slot 3 has no edges
    routes = Routes([[2, 1], [2], [0], []])
    assert [list(s) for s in routes.into] == [[2], [0], [0, 1], []] and routes.receivers == [0, 1, 2] and routes.senders == 3
    engine = SlotEngine(buffers(4), max_supersteps=9, routes=routes)
    engine.seed_all([0, 1, 2, 3], "go")
    drain(engine)
    return engine


def test_routed_sends_from_every_sender_are_read_off_the_reverse_adjacency():
    engine = routed_engine()
    for src in (0, 1, 2):
        engine.emit_route(src, f"m{src}")
    engine.emit_route(3, "nowhere")  # no out-edges: nothing to deliver
    assert engine.outbox == [[], [], [], []]  # O(1) per routed send
    engine.barrier()
    assert drain(engine) == [(0, ["m2"]), (1, ["m0"]), (2, ["m0", "m1"])]
    engine.barrier()
    assert not engine.has_work() and engine.delivered == 4 + 4


@pytest.mark.parametrize(
    "sends, expected",
    [
        # not every sender routed: spread into boxes at the barrier
        ([("route", 0, "a"), ("route", 2, "c")], [(0, ["c"]), (1, ["a"]), (2, ["a"])]),
        # a second routed send from one slot: spread, then boxes, order kept
        ([("route", 0, "a"), ("route", 0, "b"), ("route", 1, "c")], [(1, ["a", "b"]), (2, ["a", "b", "c"])]),
        # a plain send after routed ones, and a routed one after it
        ([("route", 0, "a"), ("emit", 2, "x"), ("route", 1, "c")], [(1, ["a"]), (2, ["a", "x", "c"])]),
    ],
)
def test_routed_sends_fall_back_to_boxes_in_origin_order(sends, expected):
    engine = routed_engine()
    for kind, slot, msg in sends:
        engine.emit_route(slot, msg) if kind == "route" else engine.emit(slot, msg)
    engine.barrier()
    assert drain(engine) == expected
    engine.barrier()
    assert not engine.has_work()


# ---------------------------------------------------------------------------- topology version and plan


def test_every_structural_mutator_bumps_the_topology_version():
    g = Graph()
    seen = [g._topo]

    def bumped():
        seen.append(g._topo)
        return seen[-1] != seen[-2]

    g.add_node("a", 1)
    assert bumped()
    g.add_node("a", 2)  # a new value only
    assert not bumped()
    g.add_edge("a", "b")  # new edge and a new endpoint
    assert bumped()
    g.add_edge("a", "b", "other")  # replaces the edge: same adjacency
    assert not bumped()
    g.remove_edge("a", "b")
    assert bumped()
    g.remove_node("b")
    assert bumped()
    assert g.clone()._topo == 0 and g.clone()._msg_plan is None


def test_plan_is_cached_until_the_structure_changes():
    g = Graph()
    for node in ("c", "a", "b", "__hidden"):
        g.add_node(node, None)
    g.add_edge("a", "c")
    g.add_edge("a", "b")
    plan = plan_for(g)
    assert plan.ids == ["__hidden", "a", "b", "c"]
    assert plan.out[plan.slot["a"]] == [plan.slot["c"], plan.slot["b"]]
    assert [plan.ids[s] for s in plan.data] == ["a", "b", "c"]
    assert plan_for(g) is plan
    g.add_node("a", 5)
    assert plan_for(g) is plan
    g.add_edge("b", "c")
    assert plan_for(g) is not plan


def counter_template():
    t = Graph.declare_class("Counter")
    t.define_property("hits", 0)

    def on_message(self, msg):
        if msg is S("go"):
            self.get_property("graph").call("send", (S("hit"),), {"from": self.get_property("id"), "via": "*"})
        elif msg is S("hit"):
            self.set_property("hits", self.get_property("hits") + 1)

    t.define_method("on_message", on_message)
    return t


def test_messages_follow_edges_added_between_calls():
    g = Graph()
    for node in ("a", "b", "c"):
        g.add_node(node, None)
    g.add_edge("a", "b")
    call(g, "set_behavior", counter_template())
    call(g, "send", S("go"), to="a")
    g.add_edge("a", "c")
    g.remove_edge("a", "b")
    call(g, "send", S("go"), to="a")
    assert [g.get_node(n).get_property("hits") for n in ("a", "b", "c")] == [0, 1, 1]


def test_structure_changed_through_another_reference_is_refused_and_rolled_back():
    g = Graph()
    g.add_node("a", None)
    g.add_node("b", None)
    g.add_edge("a", "b")
    t = Graph.declare_class("Grower")
    t.define_property("hits", 0)

    def on_message(self, msg):
        self.set_property("hits", 1)
        g.add_node("z" + self.get_property("id"), None)

    t.define_method("on_message", on_message)
    call(g, "set_behavior", t)
    with pytest.raises(GraphoidError) as info:
        call(g, "broadcast", S("x"))
    assert info.value.kind == "RuntimeError" and "changed during messaging" in info.value.message
    assert g.get_node("a") is None  # the activation was rolled back


def test_nested_driver_call_does_not_disturb_the_running_call():
    g = Graph()
    for node in ("a", "b"):
        g.add_node(node, None)
    g.add_edge("a", "b")
    t = counter_template()
    inner = t.find_method("on_message")[1].default

    def on_message(self, msg):
        if msg is S("nest"):
            call(g, "send", S("hit"), to="b")
        return inner(self, msg)

    t.define_method("on_message", on_message)
    call(g, "set_behavior", t)
    with pytest.raises(GraphoidError) as info:
        call(g, "send", S("nest"), to="a")
    assert "already running" in info.value.message
    call(g, "send", S("go"), to="a")
    assert g.get_node("b").get_property("hits") == 1


# ---------------------------------------------------------------------------- folding


def adder_template(fallback_log):
    """`[:add, x]` folds into `total`; the handler itself marks each message it sees."""
    t = Graph.declare_class("Adder")
    t.define_property("total", 0)

    def on_message(self, msg):
        if msg is S("fan"):
            me = self.get_property("id")
            self.get_property("graph").call("send", (GList([S("add"), 1]),), {"from": me, "via": "*"})
            self.get_property("graph").call("send", (GList([S("add"), 10]),), {"from": me, "via": "*"})
        elif msg is S("odd"):
            self.get_property("graph").call("send", (GList([S("note"), 0]),), {"from": self.get_property("id"), "via": "*"})
        elif msg[0] is S("add"):
            fallback_log.append(self.get_property("id"))
            props = self._props
            props["total"] = 1000 if props["total"] is None else props["total"] + msg[1]
        elif msg[0] is S("note"):
            fallback_log.append("note")

    t.define_method("on_message", with_folds(on_message, (("add", "total"),)))
    return t


def fan_graph():
    g = Graph()
    for node in ("a", "b", "c"):
        g.add_node(node, None)
    g.add_edge("a", "c")
    g.add_edge("b", "c")
    return g


def test_a_box_of_accumulator_messages_is_folded_without_handler_calls():
    log = []
    g = fan_graph()
    call(g, "set_behavior", adder_template(log))
    call(g, "broadcast", S("fan"))
    assert g.get_node("c").get_property("total") == 22 and log == []


def test_mixed_superstep_takes_the_message_by_message_path():
    log = []
    g = fan_graph()
    call(g, "set_behavior", adder_template(log))
    call(g, "send", S("fan"), to="a")
    call(g, "send", S("odd"), to="b")
    assert g.get_node("c").get_property("total") == 11 and log == ["note"]
    log.clear()
    # both in one superstep: the inbox has no common head, so each message is checked alone
    g2 = fan_graph()
    call(g2, "set_behavior", adder_template(log))
    call(g2, "broadcast", S("fan"))
    call(g2, "send", S("odd"), to="a")
    assert g2.get_node("c").get_property("total") == 22 and log == ["note"]


def test_a_fold_that_cannot_add_runs_the_handler_instead():
    log = []
    g = fan_graph()
    call(g, "set_behavior", adder_template(log))
    call(g, "broadcast", GList([S("add"), 0]))  # activates every node
    g.get_node("c")._props["total"] = None  # `none + 1` raises: fall back to the handler
    call(g, "broadcast", S("fan"))
    # the first `[:add, 1]` runs the handler (total becomes 1000); the rest fold again
    assert log == ["c"]
    assert g.get_node("c").get_property("total") == 1000 + 10 + 1 + 10


def test_a_failing_fold_superstep_rolls_back_and_the_next_call_starts_clean():
    g = fan_graph()
    t = adder_template([])
    call(g, "set_behavior", t)
    call(g, "broadcast", S("fan"))
    g.get_node("c")._props["total"] = "text"

    with pytest.raises(GraphoidError) as info:
        call(g, "broadcast", S("fan"))
    assert "node 'c'" in info.value.message and "superstep 1" in info.value.message
    assert g.get_node("c").get_property("total") == "text"
    g.get_node("c")._props["total"] = 0
    call(g, "broadcast", S("fan"))
    assert g.get_node("c").get_property("total") == 22


def dict_pagerank(succ, iterations, damping=0.85):
    n = len(succ)
    rank = {node: 1.0 / n for node in succ}
    for _ in range(iterations):
        incoming = dict.fromkeys(succ, 0.0)
        for node in sorted(succ):
            if succ[node]:
                share = rank[node] / len(succ[node])
                for dst in succ[node]:
                    incoming[dst] += share
        rank = {node: (1 - damping) / n + damping * incoming[node] for node in succ}
    return rank


def test_folded_messaging_pagerank_is_bit_identical_to_the_dict_loop():
    rng = random.Random(3)
    ids = [f"n{i}" for i in range(60)]
    g = Graph()
    succ = {node: {} for node in ids}
    for node in ids:
        g.add_node(node, GMap())
    for _ in range(400):
        src, dst = rng.choice(ids), rng.choice(ids)
        g.add_edge(src, dst)
        succ[src][dst] = True
    interp = Interpreter()
    source = (Path(__file__).resolve().parents[2] / "examples" / "pagerank.gd").read_text().split("\nweb = graph")[0]
    interp.run(source, filename="pagerank.gd")
    call(g, "set_behavior", interp.globals["PageRankNode"])
    interp.call("pagerank", g, 7, 0.85)
    expected = dict_pagerank(succ, 7)
    assert {node: g.get_node(node).get_property("rank") for node in ids} == expected
