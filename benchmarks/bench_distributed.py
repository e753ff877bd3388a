"""Executors: start-up of `graphoid run --workers 2`, per-item cost of `map` on a 2-worker
cluster, and the speed-up of a CPU-bound map.

Run: python benchmarks/bench_distributed.py [--reps N] [--items N] [--startup-reps N]
Goals (docs/benchmarks.md): a one-line distributed program run with 2 workers takes <= 0.4 s
more than the same program on a local graph (fresh processes, paired, median difference); a
trivial map over 10k items costs <= 50 us per item unchunked (one task and one object per item)
and <= 3 us chunked (the default chunking); a CPU-bound map on 2 workers is >= 1.85x as fast as
on 1 worker (paired runs, median ratio). Each map runs in a run of its own, ended after timing,
so objects do not pile up on the workers.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import paired  # noqa: E402

from graphoid.distributed.executor.cluster import ClusterExecutor  # noqa: E402
from graphoid.runtime.interpreter import Interpreter  # noqa: E402
from graphoid.values.types import GList  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# The same one-line program on a local graph and on a distributed one.
STARTUP_LOCAL = 'import "distributed"\ng = graph {}\ng.add_node("a", 1)\nprint(g.node_count())\n'
STARTUP_DISTRIBUTED = STARTUP_LOCAL.replace("g.node_count()", "distributed.distribute(g).node_count()")

PROGRAM = """
fn inc(x) { return x + 1 }
fn burn(x) {
    s = 0
    for i in range(0, 40000) { s = s + (i * x) % 7 }
    return s
}
"""


def timed_map(executor: ClusterExecutor, fn: object, items: GList, chunk_size: int | None) -> Callable[[], float]:
    def once() -> float:
        ctx = executor.new_run()
        start = time.perf_counter()
        executor.map(fn, {0: items}, 0, chunk_size=chunk_size, _ctx=ctx)
        elapsed = time.perf_counter() - start
        executor.end_run(ctx)
        return elapsed
    return once


def per_item(name: str, once: Callable[[], float], items: int, reps: int, goal_us: float) -> None:
    once()  # warm-up: the workers compile the program on first use
    times = [once() for _ in range(reps)]
    median_us = statistics.median(times) / items * 1e6
    verdict = "ok" if median_us <= goal_us else "MISSED"
    print(f"{name:<34} {median_us:8.2f} us/item (min {min(times) / items * 1e6:.2f}, "
          f"max {max(times) / items * 1e6:.2f})   goal <= {goal_us:g} us: {verdict}")


def run_seconds(*args: str) -> float:
    """Wall time of one fresh `python -m graphoid` process."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "graphoid", *args], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def startup(reps: int) -> None:
    """Paired fresh processes: the program on a local graph, then with 2 worker processes."""
    with tempfile.TemporaryDirectory() as folder:
        local, spread = Path(folder, "local.gd"), Path(folder, "distributed.gd")
        local.write_text(STARTUP_LOCAL)
        spread.write_text(STARTUP_DISTRIBUTED)
        run_seconds("run", str(local))  # warm-up: .pyc files, the page cache
        pairs = [(run_seconds("run", str(local)), run_seconds("run", "--workers", "2", str(spread)))
                 for _ in range(reps)]
    extra = statistics.median(workers - alone for alone, workers in pairs)
    verdict = "ok" if extra <= 0.4 else "MISSED"
    print(f"{'start-up, one-line program':<34} local {statistics.median(a for a, _ in pairs):.2f} s   "
          f"2 workers {statistics.median(w for _, w in pairs):.2f} s   extra {extra:.2f} s (median of {reps} "
          f"pairs)   goal <= 0.4 s: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--startup-reps", type=int, default=7)
    args = parser.parse_args()
    startup(args.startup_reps)
    interp = Interpreter(stdout=io.StringIO())
    interp.run(PROGRAM, "bench_distributed.gd")
    items = GList(range(args.items))
    burn_items = GList(range(400))
    quiet = lambda *line: None  # noqa: E731
    with ClusterExecutor(2, sink=quiet) as two, ClusterExecutor(1, sink=quiet) as one:
        for executor in (one, two):
            executor.load_program(interp)
        inc, burn = interp.lookup("inc"), interp.lookup("burn")
        per_item(f"map, {args.items} items, unchunked", timed_map(two, inc, items, 1), args.items, args.reps, 50)
        per_item(f"map, {args.items} items, chunked", timed_map(two, inc, items, None), args.items, args.reps, 3)
        result = paired("CPU-bound map: 1 worker / 2", timed_map(one, burn, burn_items, None),
                        timed_map(two, burn, burn_items, None), args.reps)
        verdict = "ok" if result.median_ratio >= 1.85 else "MISSED"
        print(result.line() + f"   goal >= 1.85x: {verdict}")


if __name__ == "__main__":
    main()
