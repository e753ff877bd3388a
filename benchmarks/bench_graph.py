"""Graph benchmarks: build, BFS and messaging PageRank against networkx and plain dicts.

Run: `python benchmarks/bench_graph.py [--nodes N] [--edges M] [--pagerank-nodes K]`.
Prints each case's time and its ratio to the baseline measured in the same run.
Goal: building within 2x of networkx; messaging PageRank within 2x of a plain-dict loop. Two
PageRank cases: the node behaviour written against the Python API (its accumulator arm declared
with `functions.with_folds`, as the compiler does for `.gd` handlers), and examples/pagerank.gd's
PageRankNode compiled from Graphoid (what users run). Each PageRank rep runs on a freshly built
graph whose building is not timed (the dict baseline's adjacency is prebuilt too; building has
its own cases): the timed work is `set_behavior`, the `:init` broadcast and 20 iterations.
`--pagerank-with-build` times the building as well (how earlier rounds measured).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import deque
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import paired  # noqa: E402

from graphoid.graphs import algorithms as graph_algorithms  # noqa: E402
from graphoid.values.functions import with_folds  # noqa: E402
import graphoid.messaging.local  # noqa: E402,F401  (adds set_behavior, broadcast, ... to graphs)
from graphoid.graphs.graph import Graph  # noqa: E402
from graphoid.values.types import GList, GMap, Symbol  # noqa: E402


def make_edges(nodes: int, edges: int, seed: int = 42) -> tuple[list[str], list[tuple[str, str]]]:
    rng = random.Random(seed)
    ids = [f"n{i}" for i in range(nodes)]
    pairs = [(ids[rng.randrange(nodes)], ids[rng.randrange(nodes)]) for _ in range(edges)]
    return ids, pairs


def build_graphoid(ids: list[str], pairs: list[tuple[str, str]]) -> Graph:
    g = Graph()
    add_node, add_edge = g.add_node, g.add_edge
    for node in ids:
        add_node(node, 0)
    for src, dst in pairs:
        add_edge(src, dst)
    return g


def build_networkx(ids: list[str], pairs: list[tuple[str, str]]):
    import networkx as nx

    g = nx.DiGraph()
    add_node, add_edge = g.add_node, g.add_edge
    for node in ids:
        add_node(node, value=0)
    for src, dst in pairs:
        add_edge(src, dst, type="edge")
    return g


def build_dicts(ids: list[str], pairs: list[tuple[str, str]]) -> dict:
    values = {}
    succ: dict[str, dict[str, str]] = {}
    pred: dict[str, dict[str, str]] = {}
    for node in ids:
        values[node] = 0
        succ[node] = {}
        pred[node] = {}
    for src, dst in pairs:
        succ[src][dst] = "edge"
        pred[dst][src] = "edge"
    return succ


def bfs_dicts(succ: dict, start: str) -> list[str]:
    seen = {start}
    order = [start]
    queue = deque((start,))
    while queue:
        for nbr in succ[queue.popleft()]:
            if nbr not in seen:
                seen.add(nbr)
                order.append(nbr)
                queue.append(nbr)
    return order


def pagerank_template() -> Graph:
    """The PageRankNode class of seeds/003, written against the Python API."""
    t = Graph.declare_class("PageRankNode")
    for prop, value in (("rank", 0.0), ("incoming", 0.0), ("damping", 0.85), ("n", 1)):
        t.define_property(prop, value)
    init, send_c, contribution, update = Symbol("init"), Symbol("send_contributions"), Symbol("contribution"), Symbol("update_rank")

    def on_message(self, msg):
        props = self._props
        if msg is send_c:
            degree = self.call("out_degree", ())
            if degree > 0:
                self.get_property("graph").call(
                    "send", (GList((contribution, props["rank"] / degree)),), {"from": self.get_property("id"), "via": "*"}
                )
        elif msg is update:
            props["rank"] = (1 - props["damping"]) / props["n"] + props["damping"] * props["incoming"]
            props["incoming"] = 0.0
        elif msg[0] is contribution:
            props["incoming"] = props["incoming"] + msg[1]
        elif msg[0] is init:
            params = msg[1]
            props["rank"], props["damping"], props["n"] = params["rank"], params["damping"], params["n"]

    # `[:contribution, x]` is `incoming = incoming + x`: declared so the engine may fold it
    t.define_method("on_message", with_folds(on_message, (("contribution", "incoming"),)))
    return t


def pagerank_messaging(g: Graph, iterations: int) -> None:
    n = g.node_count()
    g.call("set_behavior", (pagerank_template(),))
    g.call("broadcast", (Symbol("init"), GMap({"rank": 1.0 / n, "damping": 0.85, "n": n})))
    for _ in range(iterations):
        g.call("broadcast", (Symbol("send_contributions"),))
        g.call("broadcast", (Symbol("update_rank"),))


def graphoid_pagerank_program() -> "object":
    """examples/pagerank.gd's PageRankNode and pagerank(), compiled (its demo graph left out)."""
    from graphoid import Interpreter

    source = (Path(__file__).resolve().parent.parent / "examples" / "pagerank.gd").read_text()
    definitions = source.split("\nweb = graph")[0]
    interp = Interpreter()
    interp.run(definitions, filename="pagerank.gd")
    return interp


def pagerank_graphoid(interp: "object", g: Graph, iterations: int) -> None:
    """The Graphoid-level PageRank: set_behavior(PageRankNode), then pagerank(g, iterations)."""
    g.call("set_behavior", (interp.globals["PageRankNode"],))  # type: ignore[attr-defined]
    interp.call("pagerank", g, iterations, 0.85)  # type: ignore[attr-defined]


def pagerank_dicts(succ: dict, iterations: int) -> dict:
    n = len(succ)
    rank = {node: 1.0 / n for node in succ}
    for _ in range(iterations):
        incoming = dict.fromkeys(succ, 0.0)
        for node, out in succ.items():
            if out:
                share = rank[node] / len(out)
                for dst in out:
                    incoming[dst] += share
        rank = {node: 0.15 / n + 0.85 * incoming[node] for node in succ}
    return rank


def ranks_of(g: Graph) -> dict[str, float]:
    return {node: g.get_node(node).get_property("rank") for node in g.node_ids()}


def check_pagerank() -> None:
    """Both messaging versions compute the dict loop's ranks (up to the order of float sums)."""
    ids, pairs = make_edges(2_000, 20_000, seed=11)
    expected = pagerank_dicts(build_dicts(ids, pairs), 20)
    g = build_graphoid(ids, pairs)
    pagerank_messaging(g, 20)
    program = graphoid_pagerank_program()
    g2 = build_graphoid(ids, pairs)
    pagerank_graphoid(program, g2, 20)
    for got in (ranks_of(g), ranks_of(g2)):
        worst = max(abs(got[node] - rank) / rank for node, rank in expected.items())
        if worst > 1e-9:
            raise SystemExit(f"PageRank by messaging differs from the dict loop (relative error {worst:.2e})")


def fresh_graphs(ids: list[str], pairs: list[tuple[str, str]], count: int, prebuilt: bool) -> Callable[[], Graph]:
    """A supplier of new graphs: built up front (untimed) when prebuilt, else on each call.

    Prebuilt graphs stay referenced after use (until the supplier goes), so freeing them is
    not timed either: the dict baseline's input is never freed inside its timing.
    """
    if not prebuilt:
        return lambda: build_graphoid(ids, pairs)
    graphs = [build_graphoid(ids, pairs) for _ in range(count)]
    used: list[Graph] = []

    def supply() -> Graph:
        graph = graphs.pop()
        used.append(graph)
        return graph

    return supply


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--edges", type=int, default=1_000_000)
    # the graph (100k nodes, 1M edges); `--pagerank-nodes 10000 --pagerank-edges
    # 100000` gives a quick look in a minute
    parser.add_argument("--pagerank-nodes", type=int, default=100_000)
    parser.add_argument("--pagerank-edges", type=int, default=1_000_000)
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--cases", default="build,bfs,pagerank", help="comma-separated subset to run")
    parser.add_argument("--pagerank-with-build", action="store_true", help="time graph building in PageRank")
    args = parser.parse_args()
    cases = set(args.cases.split(","))

    results = []
    if cases & {"build", "bfs"}:
        ids, pairs = make_edges(args.nodes, args.edges)
        print(f"graph: {args.nodes} nodes, {args.edges} edges")
    if "build" in cases:
        results += [
            paired("build vs networkx", lambda: build_graphoid(ids, pairs), lambda: build_networkx(ids, pairs), args.reps),
            paired("build vs plain dicts", lambda: build_graphoid(ids, pairs), lambda: build_dicts(ids, pairs), args.reps),
        ]
    if "bfs" in cases:
        g = build_graphoid(ids, pairs)
        nxg = build_networkx(ids, pairs)
        succ = build_dicts(ids, pairs)

        import networkx as nx

        start = ids[0]
        assert len(graph_algorithms.bfs(g, start)) == len(bfs_dicts(succ, start))
        results.append(
            paired("bfs vs networkx", lambda: graph_algorithms.bfs(g, start),
                   lambda: [start] + [v for _, v in nx.bfs_edges(nxg, start)], args.reps)
        )
        results.append(paired("bfs vs plain dicts", lambda: graph_algorithms.bfs(g, start), lambda: bfs_dicts(succ, start), args.reps))
    if "pagerank" not in cases:
        for result in results:
            print(result.line())
        return

    check_pagerank()
    pr_ids, pr_pairs = make_edges(args.pagerank_nodes, args.pagerank_edges, seed=7)
    pr_succ = build_dicts(pr_ids, pr_pairs)
    pr_reps = max(1, args.reps - 1)
    prebuilt = not args.pagerank_with_build
    label = "" if prebuilt else " +build"
    next_graph = fresh_graphs(pr_ids, pr_pairs, pr_reps + 1, prebuilt)
    results.append(
        paired(
            f"pagerank x{args.iterations} ({args.pagerank_nodes} nodes){label} vs dicts",
            lambda: pagerank_messaging(next_graph(), args.iterations),
            lambda: pagerank_dicts(pr_succ, args.iterations),
            pr_reps,
        )
    )
    program = graphoid_pagerank_program()
    next_graph = fresh_graphs(pr_ids, pr_pairs, pr_reps + 1, prebuilt)
    results.append(
        paired(
            f"pagerank .gd handler x{args.iterations}{label} vs dicts",
            lambda: pagerank_graphoid(program, next_graph(), args.iterations),
            lambda: pagerank_dicts(pr_succ, args.iterations),
            pr_reps,
        )
    )
    for result in results:
        print(result.line())


if __name__ == "__main__":
    main()
