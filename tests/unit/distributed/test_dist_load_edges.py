"""distributed.load_edges, distributed.save / distributed.load (the graph store) and the karate
PageRank example, on the in-process executor and on 2 worker processes (one of each per module)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import msgpack
import pytest
from cluster_support import kill_leftovers

from graphoid import GraphoidError, Interpreter
from graphoid.distributed.api import session_of
from graphoid.distributed.codec import decode
from graphoid.distributed.core import WorkerCore
from graphoid.distributed.graphstore import FORMAT_VERSION
from graphoid.distributed.protocol import Message
from graphoid.graphs.graph import Graph, entry_edge

ROOT = Path(__file__).resolve().parents[3]
KARATE = ROOT / "examples" / "data" / "karate.txt"
pytestmark = pytest.mark.timeout(120)

PAGERANK = """
fn pagerank(graph, iterations) {
    n = graph.node_count()
    graph.broadcast(:init, { rank: 1.0 / n, n: n })
    for i in range(iterations) {
        graph.broadcast(:send_contributions)
        graph.broadcast(:update_rank)
    }
    return graph.request(:get_rank, where: n => true)
}
graph RankNode {
    rank = 0.0
    incoming = 0.0
    n = 1
    fn on_message(msg) {
        match msg {
            [:init, params] => {
                rank = params["rank"]
                n = params["n"]
            }
            :send_contributions => {
                if self.out_degree() > 0 {
                    self.graph.send([:contribution, rank / self.out_degree()], from: self.id, via: "*")
                }
            }
            [:contribution, amount] => { incoming = incoming + amount }
            :update_rank => {
                rank = 0.15 / n + 0.85 * incoming
                incoming = 0.0
            }
            :get_rank => [self.id, rank]
        }
    }
}
"""


def local_graph(path: Path, directed: bool) -> Graph:
    """The reference: every edge line added in file order with Graph.add_edge."""
    g = Graph("directed" if directed else "undirected")
    for raw in path.read_text(encoding="utf-8").splitlines():
        fields = raw.split()
        if not fields or fields[0].startswith("#"):
            continue
        weight = None
        if len(fields) == 3:
            weight = float(fields[2]) if "." in fields[2] else int(fields[2])
        g.add_edge(fields[0], fields[1], "edge", weight)
    return g


def shape(g: Graph) -> tuple:
    """Nodes with values and every edge with its type and weight, in each node's order."""
    nodes = sorted((node_id, value) for node_id, value in g.data_items())
    edges = sorted((e.src, e.dst, e.type, e.weight) for e in (
        entry_edge(src, dst, entry) for src, succ in g._out.items() for dst, entry in succ.items()))
    return nodes, edges


@pytest.fixture(scope="module", params=["inprocess", "cluster"])
def interp(request):
    """An interpreter whose session runs 2 workers of the given executor."""
    interp = Interpreter()
    interp.run(f'import "distributed"\ndistributed.configure({{executor: :{request.param}, workers: 2}})', "setup.gd")
    yield interp
    session = session_of(interp)
    executor = session._executor
    pids = list(getattr(executor, "pids", []))
    session.close()
    kill_leftovers(pids)


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPHOID_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def edge_file(tmp_path):
    """A weighted directed edge list with comments, blank lines, a repeated edge and a self-loop,
    long enough that each worker's byte range holds many lines."""
    lines = ["# a test graph", ""]
    for index in range(300):
        lines.append(f"n{index % 37}\tn{(index * 7 + 3) % 41} {index % 5 + 0.5}")
        if index % 50 == 0:
            lines.append("   # an indented comment")
    lines += ["n1 n1 2", "n1 n4 9"]
    path = tmp_path / "edges.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("directed", [True, False])
def test_load_edges_equals_the_local_graph(interp, edge_file, directed):
    flag = "true" if directed else "false"
    interp.run(f'g = distributed.load_edges({json.dumps(str(edge_file))}, directed: {flag}, partitions: 3)', "t.gd")
    local = local_graph(edge_file, directed)
    assert interp.eval("g.node_count()") == local.node_count()
    assert interp.eval("g.edge_count()") == local.edge_count()
    assert interp.eval("g.partitions().length()") == 3
    got = interp.globals.raw("g").to_local()
    assert got.directed == directed
    assert shape(got) == shape(local)
    interp.globals["expected"] = local
    assert interp.eval('g.neighbors("n1") == expected.neighbors("n1")')


def test_pagerank_on_loaded_and_saved_edges_equals_local(interp, home):
    interp.run(PAGERANK + f'k = distributed.load_edges({json.dumps(str(KARATE))}, directed: false)\n'
               'l = k.to_local()\ndistributed.save(k, "karate")\nj = distributed.load("karate")\n'
               'k.set_behavior(RankNode)\nremote = pagerank(k, 10)\n'
               'j.set_behavior(RankNode)\nreloaded = pagerank(j, 10)\n'
               'l.set_behavior(RankNode)\nlocal = pagerank(l, 10)', "pr.gd")
    remote, reloaded, local = (interp.globals[name] for name in ("remote", "reloaded", "local"))
    assert len(remote) == 34
    # bit-identical ranks (sorted: a local request lists nodes in insertion order)
    assert sorted(map(tuple, remote)) == sorted(map(tuple, local)) == sorted(map(tuple, reloaded))


def test_load_edges_errors_name_the_file_and_line(interp, tmp_path):
    missing = tmp_path / "nope.txt"
    with pytest.raises(GraphoidError) as err:
        interp.run(f'distributed.load_edges({json.dumps(str(missing))})', "e.gd")
    assert err.value.kind == "IOError" and "nope.txt" in err.value.message
    bad = tmp_path / "bad.txt"
    bad.write_text("".join(f"a{i} b{i}\n" for i in range(200)) + "x y z w\n" + "c d oops\n" * 3, encoding="utf-8")
    with pytest.raises(GraphoidError) as err:
        interp.run(f'distributed.load_edges({json.dumps(str(bad))})', "e.gd")
    assert err.value.kind == "ValueError"
    assert f"{bad}:201:" in err.value.message  # the first bad line of the file, whichever worker read it
    for call, kind in [("distributed.load_edges(42)", "TypeError"),
                       ('distributed.load_edges("x", directed: 1)', "TypeError"),
                       (f'distributed.load_edges({json.dumps(str(bad))}, partitions: 0)', "ValueError")]:
        with pytest.raises(GraphoidError) as err:
            interp.run(call, "e.gd")
        assert err.value.kind == kind
    # after a failed load the workers still work
    interp.run(f'ok = distributed.load_edges({json.dumps(str(KARATE))}, directed: false)', "e.gd")
    assert interp.eval("ok.edge_count()") == 78


def test_save_and_load_round_trip(interp, home, edge_file):
    interp.run(f'g = distributed.load_edges({json.dumps(str(edge_file))}, partitions: 3)\n'
               'distributed.save(g, "web")\nh = distributed.load("web")', "s.gd")
    manifest = json.loads((home / "graphs" / "web" / "manifest.json").read_text())
    assert manifest["format"] == FORMAT_VERSION and manifest["partitioning"]["count"] == 3
    assert sorted(os.listdir(home / "graphs" / "web")) == ["manifest.json", "part-0.gdp", "part-1.gdp", "part-2.gdp"]
    assert interp.eval("h.node_count()") == interp.eval("g.node_count()")
    assert interp.eval("h.edge_count()") == interp.eval("g.edge_count()")
    assert shape(interp.globals.raw("h").to_local()) == shape(local_graph(edge_file, True))
    # a distributed local graph with values saves and loads too
    interp.run('v = graph { type: :undirected }\nv.add_edge("a", "b")\nv.add_edge("b", "c")\n'
               'v.add_node("z", {tag: [1, 2.5, "x"]})\n'
               'd = distributed.distribute(v, strategy: :range, partitions: 2)\ndistributed.save(d, "vals")\n'
               'e = distributed.load("vals")', "vals.gd")
    assert interp.eval('e.get_node("z")') == {"tag": [1, 2.5, "x"]}
    assert interp.eval('e.neighbors("b")') == ["a", "c"]
    assert interp.eval('e.partition_of("z")') == interp.eval('d.partition_of("z")')
    # saving again under the same name replaces the graph (and its old partition files)
    interp.run('one = distributed.distribute(v, partitions: 1)\ndistributed.save(one, "web")', "s.gd")
    assert sorted(os.listdir(home / "graphs" / "web")) == ["manifest.json", "part-0.gdp"]
    assert interp.eval('distributed.load("web").node_count()') == 4


def test_store_errors_are_clear(interp, home, edge_file):
    interp.run(f'g = distributed.load_edges({json.dumps(str(edge_file))})\ndistributed.save(g, "kept")', "s.gd")
    directory = home / "graphs" / "kept"

    def load_error(name: str = "kept") -> GraphoidError:
        with pytest.raises(GraphoidError) as err:
            interp.run(f'distributed.load({json.dumps(name)})', "s.gd")
        return err.value

    assert load_error("unknown").kind == "StoreError" and "no saved graph named 'unknown'" in load_error("unknown").message
    for name in ["../escape", "a/b", "a\\\\b", "..", ""]:
        with pytest.raises(GraphoidError) as err:
            interp.run(f'distributed.save(g, {json.dumps(name)})', "s.gd")
        assert err.value.kind == "ValueError"
    part = directory / "part-1.gdp"
    original = part.read_bytes()
    part.write_bytes(original[: len(original) // 2])
    error = load_error()
    assert error.kind == "StoreError" and "part-1.gdp" in error.message and "truncated" in error.message
    part.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
    assert "digest" in load_error().message
    part.unlink()
    assert "cannot read partition file" in load_error().message
    part.write_bytes(original)
    manifest = json.loads((directory / "manifest.json").read_text())
    (directory / "manifest.json").write_text(json.dumps({**manifest, "format": 99}))
    assert "format version 99" in load_error().message
    (directory / "manifest.json").write_text("{not json")
    assert "corrupt" in load_error().message
    (directory / "manifest.json").write_text(json.dumps(manifest))
    assert interp.eval('distributed.load("kept").node_count()') == interp.eval("g.node_count()")
    with pytest.raises(GraphoidError) as err:
        interp.run('distributed.save(42, "x")', "s.gd")
    assert err.value.kind == "TypeError"
    with pytest.raises(GraphoidError) as err:
        interp.run('v2 = graph{}\nf = distributed.distribute(v2, strategy: id => 0, partitions: 1)\n'
                   'distributed.save(f, "fn")', "fnpart.gd")
    assert err.value.kind == "ValueError" and "function" in err.value.message


@pytest.mark.parametrize("executor", ["inprocess", "cluster"])
def test_karate_example_prints_the_same_top_five(executor):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GRAPHOID_WORKERS": "2", "GRAPHOID_EXECUTOR": executor}
    result = subprocess.run([sys.executable, "-m", "graphoid", "run", "examples/karate_pagerank.gd"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=100)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Top 5 of 34 members by PageRank:", "34 0.1009", "1 0.097", "33 0.0717", "3 0.0571", "2 0.0529",
    ]


# ----------------------------------------------------------------------------- hostile messages, sans IO


def test_malformed_load_messages_fail_the_partition_or_are_dropped(tmp_path):
    path = tmp_path / "e.txt"
    path.write_text("a b\nb c\n", encoding="utf-8")
    core = WorkerCore("0", Interpreter)

    def message(type_: str, payload: list[bytes], **fields) -> Message:
        return Message.new(type_, src="1", id=1, payload=payload, **fields)

    read = dict(graph="g", epoch=0, bundle="b", path=str(path), start=0, end=path.stat().st_size, ranges=2,
                directed=True)
    assert core.handle(message("EDGES_READ", [b"\xc1"], range=0, **read)) == []  # owners unreadable: dropped
    assert core.handle(message("EDGES_READ", [msgpack.packb(["0"])], range=5, **read)) == []  # no such range
    assert core.handle(message("EDGES_READ", [msgpack.packb(["0"])], range=0, **read)) == []  # waits for range 1
    out = core.handle(message("EDGES_PUSH", [msgpack.packb([["x"], [], None])], graph="g", epoch=0, range=1, part=0))
    assert [outgoing.message.type for outgoing in out] == ["PARTITION_FAILED"]
    error = decode(out[0].message.payload[0])
    assert error.kind == "ProtocolError" and "malformed edge share" in error.message
    assert ("g", 0) not in core.partitions


def test_a_reader_pushes_the_peers_shares_before_it_adds_its_own(tmp_path, monkeypatch):
    """An owner adds shares in range order: the owner of the next range must not wait for the
    reader's own adds before its share of this range even leaves."""
    from graphoid.distributed import edgelist

    path = tmp_path / "e.txt"
    path.write_text("".join(f"n{i} n{(i * 7) % 50}\n" for i in range(50)), encoding="utf-8")
    core = WorkerCore("0", Interpreter)
    events: list[str] = []
    core.direct = lambda to, message: events.append(f"push {message.type} to {to}") or True
    original_add = edgelist.PartitionBuilder.add
    monkeypatch.setattr(edgelist.PartitionBuilder, "add", lambda self, chunk: (events.append("add"), original_add(self, chunk)))
    read = dict(graph="g", epoch=0, bundle="b", path=str(path), start=0, end=path.stat().st_size, ranges=1,
                directed=True)
    out = core.handle(Message.new("EDGES_READ", src="coordinator", id=1, payload=[msgpack.packb(["0", "1"])],
                                  range=0, **read))
    assert events == ["push EDGES_PUSH to 1", "add"]
    assert [outgoing.message.type for outgoing in out] == ["PARTITION_READY"]  # its own partition: range 0 of 1
