"""The graph store across executors: a graph saved under :local, :inprocess or 2 worker
processes loads under each of them (all nine pairs) and answers the same, bit for bit."""

from __future__ import annotations

import json
import os

import pytest
from cluster_support import kill_leftovers

import graphoid.distributed  # noqa: F401  (registers the module)
from graphoid.distributed.api import session_of
from graphoid.errors import GraphoidError
from graphoid.runtime.interpreter import Interpreter
from graphoid.values.format import display

pytestmark = pytest.mark.timeout(180)
EXECUTORS = ("local", "inprocess", "cluster")

# A directed graph with values of several kinds, a self-loop, a repeated edge, an isolated node
# and edges cut by any 2-way partitioning; and an undirected one.
GRAPHS = """
web = graph { type: :directed }
for i in range(12) { web.add_node("n" + i.to_string(), {rank: i * 0.5, tags: ["t" + i.to_string()]}) }
for i in range(12) {
    web.add_edge("n" + i.to_string(), "n" + ((i * 5 + 1) % 12).to_string(), "link", i)
    web.add_edge("n" + i.to_string(), "n" + ((i + 7) % 12).to_string())
}
web.add_edge("n3", "n3", "self", 2.5)
web.add_edge("n4", "n5", "link", 99)
web.add_node("lonely", none)
ring = graph { type: :undirected }
for i in range(9) { ring.add_edge("r" + i.to_string(), "r" + ((i + 1) % 9).to_string()) }
ring.add_edge("r0", "r0")
ring.add_edge("r4", "r0")
"""

SAVE = """
distributed.save(distributed.distribute(web), "web-{saver}")
distributed.save(distributed.distribute(ring, partitions: 1), "ring-{saver}")
"""

RANK = """
graph RankNode {
    rank = 0.0
    incoming = 0.0
    fn on_message(msg) {
        match msg {
            :init => { rank = 1.0 / 13 }
            :send => { if self.out_degree() > 0 { self.graph.send([:c, rank / self.out_degree()], from: self.id, via: "*") } }
            [:c, amount] => { incoming = incoming + amount }
            :update => {
                rank = 0.15 / 13 + 0.85 * incoming
                incoming = 0.0
            }
            :get => rank
        }
    }
}
fn report(g) {
    ids = g.nodes()
    shape = [g.node_count(), g.edge_count(), ids, ids.map(id => g.get_node(id)), ids.map(id => g.neighbors(id)),
             ids.map(id => g.neighbors(id, "link"))]
    g.set_behavior(RankNode)
    g.broadcast(:init)
    for i in range(5) {
        g.broadcast(:send)
        g.broadcast(:update)
    }
    return [shape, ids.map(id => g.request(:get, to: id))]
}
"""


def interpreter(executor: str) -> Interpreter:
    interp = Interpreter()
    interp.run(f'import "distributed"\ndistributed.configure({{executor: :{executor}, workers: 2}})\n'
               + GRAPHS + RANK, f"{executor}.gd")
    return interp


@pytest.fixture(scope="module")
def programs(tmp_path_factory):
    """One program per executor (one 2-worker cluster for the module), each having saved its graphs."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GRAPHOID_HOME", str(tmp_path_factory.mktemp("home")))
        interps = {executor: interpreter(executor) for executor in EXECUTORS}
        try:
            for executor, interp in interps.items():
                interp.run(SAVE.format(saver=executor), "save.gd")
            yield interps
        finally:
            for interp in interps.values():
                session = session_of(interp)
                pids = list(getattr(session._executor, "pids", []))
                session.close()
                kill_leftovers(pids)


def reported(interp: Interpreter, expression: str) -> str:
    interp.run(f"answer = report({expression})", "report.gd")
    return display(interp.globals["answer"])


@pytest.fixture(scope="module")
def expected(programs) -> dict[str, str]:
    """The reports of the graphs before saving, distributed on :local."""
    local = programs["local"]
    return {name: reported(local, f"distributed.distribute({name})") for name in ("web", "ring")}


@pytest.mark.parametrize("saver", EXECUTORS)
@pytest.mark.parametrize("loader", EXECUTORS)
def test_a_graph_saved_under_one_executor_loads_under_another(programs, expected, saver, loader) -> None:
    interp = programs[loader]
    for name in ("web", "ring"):
        assert reported(interp, f'distributed.load("{name}-{saver}")') == expected[name]


def test_local_save_writes_the_store_format(programs) -> None:
    home = os.environ.get("GRAPHOID_HOME")
    assert home is not None
    directory = os.path.join(home, "graphs", "web-local")
    assert sorted(os.listdir(directory)) == ["manifest.json", "part-0.gdp"]
    with open(os.path.join(directory, "manifest.json"), encoding="utf-8") as handle:
        manifest = json.load(handle)
    assert manifest["partitioning"] == {"count": 1, "strategy": "hash", "bounds": []}
    local = programs["local"]
    assert (manifest["nodes"], manifest["edges"], manifest["directed"]) == (
        local.eval("web.node_count()"), local.eval("web.edge_count()"), True)
    assert not session_of(programs["local"]).started  # no workers for :local


def test_local_load_joins_every_partition_into_one_local_graph(programs) -> None:
    local = programs["local"]
    local.run('loaded = distributed.load("web-cluster")', "load.gd")
    assert local.eval("loaded.type()") == "graph"  # a local graph with the whole API
    assert local.eval('loaded.has_edge("n3", "n3")') and local.eval('loaded.out_degree("n4") == web.out_degree("n4")')
    # a local graph saved without distributing it first
    local.run('distributed.save(ring, "plain")\nplain = distributed.load("plain")', "plain.gd")
    assert display(local.eval('plain.nodes()')) == display(local.eval('ring.nodes().sort()'))


@pytest.mark.parametrize("executor", ["local", "inprocess"])
def test_store_errors_under_local_are_the_executors(programs, executor, tmp_path) -> None:
    interp = programs[executor]
    with pytest.raises(GraphoidError) as caught:
        interp.run('distributed.load("never-saved")', "e.gd")
    assert caught.value.kind == "StoreError" and "no saved graph named 'never-saved'" in caught.value.message
    with pytest.raises(GraphoidError) as caught:
        interp.run('distributed.save(web, "../escape")' if executor == "local"
                   else 'distributed.save(distributed.distribute(web), "../escape")', "e.gd")
    assert caught.value.kind == "ValueError"
    part = os.path.join(os.environ["GRAPHOID_HOME"], "graphs", "ring-inprocess", "part-0.gdp")
    with open(part, "rb") as handle:
        original = handle.read()
    try:
        with open(part, "wb") as handle:
            handle.write(original[: len(original) // 2])
        with pytest.raises(GraphoidError) as caught:
            interp.run('distributed.load("ring-inprocess")', "e.gd")
        assert caught.value.kind == "StoreError" and "part-0.gdp" in caught.value.message
    finally:
        with open(part, "wb") as handle:
            handle.write(original)
