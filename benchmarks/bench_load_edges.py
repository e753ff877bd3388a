"""distributed.load_edges of a 1M-edge SNAP file onto 2 worker processes vs networkx.read_edgelist.

Run: python benchmarks/bench_load_edges.py [--edges N] [--reps N]
Goal (docs/benchmarks.md): load_edges (each worker parses its half of the file, routes the edges
to the partition owners and builds its partitions) is faster than networkx.read_edgelist of the
same file in one process. Times are best-of-reps wall clock; the cluster is started once, before
timing (a load into a running cluster is what a program does after its first distributed call).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import networkx  # noqa: E402

from graphoid.distributed.executor.cluster import ClusterExecutor  # noqa: E402
from graphoid.runtime.interpreter import Interpreter  # noqa: E402


def write_edge_list(path: Path, edges: int, nodes: int) -> None:
    """A random directed graph with `edges` lines, a SNAP-style header and node ids as integers."""
    rng = random.Random(8)
    with path.open("w", encoding="utf-8") as handle:
        handle.write(f"# Directed graph: {nodes} nodes, {edges} edges\n# FromNodeId\tToNodeId\n")
        handle.writelines(f"{rng.randrange(nodes)}\t{rng.randrange(nodes)}\n" for _ in range(edges))


def best(fn, reps: int) -> float:
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "edges.txt"
        write_edge_list(path, args.edges, max(1000, args.edges // 10))
        nx_time = best(lambda: networkx.read_edgelist(str(path), create_using=networkx.DiGraph), args.reps)
        executor = ClusterExecutor(2)
        try:
            executor.load_program(Interpreter())
            counter = iter(range(1_000_000))

            def load() -> None:
                name = f"bench{next(counter)}"
                executor.load_edges(name, str(path), True, 2)

            ours = best(load, args.reps)
        finally:
            executor.close()
    print(f"{args.edges:,} edges: networkx.read_edgelist {nx_time:.2f} s, load_edges on 2 workers {ours:.2f} s, "
          f"ratio {nx_time / ours:.2f}x (goal > 1)")


if __name__ == "__main__":
    main()
