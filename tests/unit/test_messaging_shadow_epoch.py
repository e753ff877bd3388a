"""The route fill's shadow proof: scanned once per context-keys epoch, never stale.

A broadcast whose arm only routes `[h, x]` fills the engine's lane without running the arm,
unless some node holds a `graph` or `id` property (then `self.graph.send(..., from: self.id)`
means something else for it). The proof that none does is cached with the graph's WarmSet and
re-scanned only when the context-keys epoch (graphoid.graphs.classes) moved. Every way a node
can gain such a key, between two calls and during one, must give exactly what node-by-node
delivery gives (an internal node keeps the reference graph off the whole-graph path).
"""

from __future__ import annotations

import pytest

import graphoid.messaging.local as local
from graphoid import Interpreter
from graphoid.graphs import classes
from graphoid.graphs.classes import context_keys_epoch
from graphoid.graphs.graph import Graph
from graphoid.messaging.local import plan_for

PULSE = """
graph Pulse {
    count = 0
    fn on_message(msg) {
        match msg {
            :pulse => { self.graph.send([:count, 1], from: self.id, via: "*") }
            :mark => { if self.id == "c" { self.id = "a" } }
            :spoil => { self.graph = 7 }
            :mark_then_fail => {
                if self.id == "b" { self.id = "d" }
                if self.id == "d" { raise "late failure" }
            }
            [:count, x] => { count = count + x }
        }
    }
}

graph Tagged {
    id = "a"
}

fn counts(g) { return ["a", "b", "c", "d"].map(id => g.get_node(id).count) }

fn pulsed(extra) {
    g = graph { type: :directed }
    for id in ["a", "b", "c", "d"] { g.add_node(id, {}) }
    if extra { g.add_node("__aside", {}) }
    for e in [["a", "b"], ["b", "c"], ["c", "d"], ["d", "a"], ["a", "c"]] { g.add_edge(e[0], e[1]) }
    g.set_behavior(Pulse)
    g.broadcast(:pulse)
    return g
}

fn pulse_logged(g, log) {
    try { g.broadcast(:pulse) } catch as e { log = log.append(e.message()) }
    return log.append(counts(g))
}
"""

# what happens between the first broadcast and the next ones (the graph is `g`)
CHANGES = {
    "an outside write of id": 'g.get_node("c").id = "a"',
    "an outside write of graph": 'g.get_node("d").graph = 7',
    "a handler's write during a targeted call": 'g.send(:mark, to: "c")',
    "a handler's write during a whole-graph broadcast": "g.broadcast(:mark)",
    "a handler's write of graph": 'g.send(:spoil, to: "b")',
    "a node value replaced by a map holding id": 'g.add_node("b", {id: "d"})',
    "a node value replaced by an instance holding id": 'g.add_node("b", Pulse { id: "d" })',
    "a mixin included into a node's instance": 'g.get_node("c").include(Tagged)',
    "a failing call rolled back": 'try { g.broadcast(:mark_then_fail) } catch as e { log = log.append(e.message()) }',
}


def fast_and_slow(change: str) -> tuple[object, object]:
    it = Interpreter()
    it.run(PULSE + f"""
fn scenario(extra) {{
    g = pulsed(extra)
    log = pulse_logged(g, [])
    {change}
    log = pulse_logged(g, log)
    return pulse_logged(g, log)
}}
fast = scenario(false)
slow = scenario(true)
""", filename="shadow.gd")
    return it.globals["fast"], it.globals["slow"]


@pytest.mark.parametrize("change", list(CHANGES.values()), ids=list(CHANGES))
def test_a_key_gained_between_or_during_calls_gives_node_by_node_results(change):
    fast, slow = fast_and_slow(change)
    assert repr(fast) == repr(slow)


def test_the_cases_really_shadow_and_really_fill():
    fast, _ = fast_and_slow('g.get_node("d").graph = 7')
    # two fills, then d's arm runs and finds graph = 7 (the error names d, in superstep 0)
    assert fast[0] == [2, 2, 4, 2]
    assert "Unknown method 'send'" in fast[1] and "node 'd'" in fast[1]
    fast, _ = fast_and_slow('g.get_node("c").id = "a"')
    # c sends from a (along a's edges): b and c get its pulse, d none
    assert fast[1] == [3, 4, 7, 2]


def _pulse_graph(it: Interpreter) -> Graph:
    it.run(PULSE + "g = pulsed(false)\n", filename="scan.gd")
    return it.globals["g"]


def test_the_scan_runs_once_per_epoch(monkeypatch):
    scans = []
    scan = local._shadows_route
    monkeypatch.setattr(local, "_shadows_route", lambda instances: scans.append(1) or scan(instances))
    it = Interpreter()
    g = _pulse_graph(it)
    it.run("g.broadcast(:pulse)\ng.broadcast(:pulse)\n", filename="scan2.gd")
    assert len(scans) <= 1  # the first broadcast of this graph, or one after another graph's write
    scans.clear()
    it.run("g.broadcast(:pulse)\ng.broadcast(:pulse)\n", filename="scan3.gd")
    assert scans == []
    it.run('g.get_node("a").count = 5\ng.broadcast(:pulse)\n', filename="scan4.gd")
    assert scans == []  # a write of another property proves nothing new is needed
    it.run('g.get_node("a").id = "b"\ng.broadcast(:pulse)\ng.broadcast(:pulse)\n', filename="scan5.gd")
    assert scans == [1]
    assert plan_for(g).warm.shadowed()


def test_a_stale_proof_is_caught_by_the_epoch(monkeypatch):
    """Without the epoch moving, the cached proof would fill for a node that now shadows id:
    the check that each write path moves it is what keeps the fill exact."""
    it = Interpreter()
    g = _pulse_graph(it)
    it.run("g.broadcast(:pulse)\n", filename="stale.gd")
    warm = plan_for(g).warm
    assert warm is not None and not warm.shadowed()
    monkeypatch.setattr(classes, "context_keys_may_appear", lambda: None)
    it.run('g.get_node("c").id = "a"\n', filename="stale2.gd")
    assert not warm.shadowed()  # the epoch did not move: the proof stands (wrongly)
    monkeypatch.undo()
    it.run('g.get_node("b").id = "a"\n', filename="stale3.gd")
    assert warm.shadowed()


# ---------------------------------------------------------------------------- each write path


def _instance() -> Graph:
    template = Graph.declare_class("Plain")
    template.define_property("count", 0)
    return template.instantiate()


@pytest.mark.parametrize("name", ["graph", "id"])
def test_set_and_define_property_end_the_epoch_only_for_a_new_context_key(name):
    node = _instance()
    before = context_keys_epoch()
    node.set_property("count", 1)
    node.set_property("ids", 1)
    assert context_keys_epoch() == before
    node.set_property(name, 1)
    moved = context_keys_epoch()
    assert moved != before
    node.set_property(name, 2)  # the key was there already
    assert context_keys_epoch() == moved
    other = _instance()
    other.define_property(name, 3)
    assert context_keys_epoch() != moved


def test_include_ends_the_epoch_when_it_adds_a_context_key():
    mixin = Graph.declare_class("WithId")
    mixin.define_property("id", "x")
    node = _instance()
    before = context_keys_epoch()
    node.include(Graph.declare_class("Nothing"))
    assert context_keys_epoch() == before
    node.include(mixin)
    assert context_keys_epoch() != before and node.get_property("id") == "x"


def test_restoring_properties_that_hold_a_context_key_ends_the_epoch():
    node = _instance()
    snapshot = node.clone()
    before = context_keys_epoch()
    classes.restore_from(node, snapshot)
    assert context_keys_epoch() == before
    snapshot = node.clone()
    snapshot._props["graph"] = 1
    classes.restore_from(node, snapshot)
    assert context_keys_epoch() != before and node.get_property("graph") == 1


@pytest.mark.parametrize("name", ["graph", "id"])
def test_a_methods_implicit_write_of_a_context_key_goes_through_set_property(name):
    """A compiled implicit-self write stores straight into the property dict for any other
    name; `graph` and `id` go through set_property, which ends the epoch when the key is new."""
    it = Interpreter()
    it.run(f"""
graph Keeper {{
    {name} = 0
    other = 0
    fn keep(v) {{
        {name} = v
        other = v
        return {name}
    }}
}}
k = Keeper {{ }}
""", filename="keeper.gd")
    keeper = it.globals["k"]
    del keeper._props[name]  # (no Graphoid operation removes a property: only so can it be new)
    keeper._pview = None
    before = context_keys_epoch()
    it.run("r = k.keep(5)\n", filename="keeper2.gd")
    assert it.globals["r"] == 5 and keeper.get_property(name) == 5
    assert context_keys_epoch() != before
    before = context_keys_epoch()
    it.run("r = k.keep(6)\n", filename="keeper3.gd")
    assert context_keys_epoch() == before and keeper.get_property("other") == 6


def test_a_rollback_ends_the_epoch():
    it = Interpreter()
    g = _pulse_graph(it)
    before = context_keys_epoch()
    it.run('try { g.broadcast(:mark_then_fail) } catch as e { }\n', filename="rb.gd")
    assert context_keys_epoch() != before
    assert [g.get_node(i).get_property("id") for i in "abcd"] == [None] * 4
