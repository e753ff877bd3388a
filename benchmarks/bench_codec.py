"""Value codec throughput against raw msgpack of the equivalent plain Python data.

Run: python benchmarks/bench_codec.py [--reps N]
Goal (issue 8): lists of floats and maps of scalars stay on msgpack's C path, so encode/decode
cost a small constant factor over raw msgpack (one copy per list/map, no per-element Python).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import msgpack  # noqa: E402

from graphoid.distributed.codec import decode, encode  # noqa: E402
from graphoid.graphs.graph import Graph  # noqa: E402
from graphoid.values.types import GList, GMap, Symbol  # noqa: E402


def best_of(reps: int, action: Callable[[], Any]) -> float:
    best = float("inf")
    for _ in range(reps):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def cases() -> list[tuple[str, Any, Any]]:
    floats = [i * 0.5 for i in range(1_000_000)]
    entries = {f"key{i}": i * 1.5 for i in range(100_000)}
    rows = [{"id": i, "name": f"n{i}", "score": i / 7} for i in range(100_000)]
    graph = Graph()
    for i in range(20_000):
        graph.add_node(str(i), i * 0.5)
    for i in range(20_000):
        graph.add_edge(str(i), str((i * 7 + 1) % 20_000), "link", 1.0)
    return [
        ("list of 1M floats", GList(floats), floats),
        ("map of 100k entries", GMap(entries), entries),
        ("100k small maps", GList(GMap(row) for row in rows), rows),
        ("list of 100k symbols", GList(Symbol(f"s{i % 100}") for i in range(100_000)), None),
        ("graph 20k nodes/edges", graph, None),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=5)
    reps = parser.parse_args().reps
    print(f"{'case':24} {'encode ms':>10} {'raw ms':>8} {'ratio':>6} {'decode ms':>10} {'raw ms':>8} {'ratio':>6}")
    for name, value, raw in cases():
        data = encode(value)
        enc = best_of(reps, lambda: encode(value))
        dec = best_of(reps, lambda: decode(data))
        if raw is None:
            print(f"{name:24} {enc * 1e3:10.1f} {'-':>8} {'-':>6} {dec * 1e3:10.1f} {'-':>8} {'-':>6}")
            continue
        raw_data = msgpack.packb(raw)
        raw_enc = best_of(reps, lambda: msgpack.packb(raw))
        raw_dec = best_of(reps, lambda: msgpack.unpackb(raw_data))
        print(f"{name:24} {enc * 1e3:10.1f} {raw_enc * 1e3:8.1f} {enc / raw_enc:6.2f}"
              f" {dec * 1e3:10.1f} {raw_dec * 1e3:8.1f} {dec / raw_dec:6.2f}")


if __name__ == "__main__":
    main()
