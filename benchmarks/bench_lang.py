"""Language-core micro benchmarks (fib, loops, append, start-up): Graphoid against CPython.

Everyday programs (the issue 9 suite) are in bench_everyday.py; this file keeps the micro set.

Run: python benchmarks/bench_lang.py [--reps N]
Goals (issue 2): fib(25) <= 1.5x (must <= 3x); 1M-iteration loop <= 2x; append loop linear in n;
`graphoid run examples/hello.gd` < 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import paired  # noqa: E402

from graphoid import Interpreter  # noqa: E402

GRAPHOID_SOURCE = """
fn fib(n) {
    if n < 2 { return n }
    return fib(n - 1) + fib(n - 2)
}

fn loop(n) {
    i = 0
    total = 0
    while i < n {
        total = total + i * 2 - 1
        i = i + 1
    }
    return total
}

fn build(n) {
    xs = []
    i = 0
    while i < n {
        xs.append!(i)
        i = i + 1
    }
    return xs.length()
}

fn lengths(n) {
    s = "hello"
    xs = [1, 2, 3]
    i = 0
    total = 0
    while i < n {
        total = total + s.length() + xs.length()
        i = i + 1
    }
    return total
}

fn strings(n) {
    s = ""
    i = 0
    while i < n {
        s = s + "ab"
        i = i + 1
    }
    return s.length()
}
"""


def py_fib(n):
    if n < 2:
        return n
    return py_fib(n - 1) + py_fib(n - 2)


def py_loop(n):
    i = 0
    total = 0
    while i < n:
        total = total + i * 2 - 1
        i = i + 1
    return total


def py_build(n):
    xs = []
    i = 0
    while i < n:
        xs.append(i)
        i = i + 1
    return len(xs)


def py_lengths(n):
    s = "hello"
    xs = [1, 2, 3]
    i = 0
    total = 0
    while i < n:
        total = total + len(s) + len(xs)
        i = i + 1
    return total


def py_strings(n):
    s = ""
    i = 0
    while i < n:
        s = s + "ab"
        i = i + 1
    return len(s)


def startup_seconds(reps: int) -> tuple[float, float]:
    """Median wall time of `graphoid run examples/hello.gd` and of `python -c pass`."""
    root = Path(__file__).resolve().parent.parent
    hello = root / "examples" / "hello.gd"
    env = dict(os.environ, PYTHONPATH=str(root))

    def run(cmd):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env, cwd=root)
        return time.perf_counter() - start

    graphoid = sorted(run([sys.executable, "-m", "graphoid", "run", str(hello)]) for _ in range(reps))
    python = sorted(run([sys.executable, "-c", "pass"]) for _ in range(reps))
    return graphoid[len(graphoid) // 2], python[len(python) // 2]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()

    interp = Interpreter()
    interp.run(GRAPHOID_SOURCE, filename="bench_lang.gd")
    call = interp.call

    results = [
        paired("fib(25)", lambda: call("fib", 25), lambda: py_fib(25), args.reps),
        paired("while loop, 1M iterations", lambda: call("loop", 1_000_000), lambda: py_loop(1_000_000), args.reps),
        paired("append! 100k", lambda: call("build", 100_000), lambda: py_build(100_000), args.reps),
        paired("string + 100k", lambda: call("strings", 100_000), lambda: py_strings(100_000), args.reps),
        paired("s.length() + xs.length() 100k", lambda: call("lengths", 100_000), lambda: py_lengths(100_000),
               args.reps),
    ]
    for result in results:
        print(result.line())

    # Linearity: time per append at 100k vs 400k elements (1.0 = perfectly linear). CPython's own
    # list shows the same memory effects, so its ratio is printed alongside for comparison.
    small = paired("append! 100k (linearity)", lambda: call("build", 100_000), lambda: py_build(100_000), 3)
    large = paired("append! 400k (linearity)", lambda: call("build", 400_000), lambda: py_build(400_000), 3)
    print(
        f"{'append! per-item cost 400k / 100k':<34} {large.subject_s / 4 / small.subject_s:6.2f}x "
        f"(1.0 = linear; Python list.append {large.baseline_s / 4 / small.baseline_s:.2f}x)"
    )

    graphoid_s, python_s = startup_seconds(args.reps)
    print(f"{'start-up: run examples/hello.gd':<34} {graphoid_s * 1000:9.1f} ms   python -c pass {python_s * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
