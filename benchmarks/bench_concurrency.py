"""Actors and channels: Graphoid against the same structure with queue.Queue and threads.

Cases (issue 10 §5): an actor ping-pong of 100k request/reply pairs between two actors, 100k
sends into one actor then one request, and a channel pipeline of 1M items (producer task ->
channel -> transformer task -> channel -> consumer), buffered and unbuffered. The programs are
benchmarks/concurrency/actors_channels.gd and its twin actors_channels.py; they compute the
same answers (tests/unit/test_bench_concurrency.py checks it at tiny sizes). Paired reps in
one process run, medians (benchmarks/harness.py).

Run: python benchmarks/bench_concurrency.py [--reps N] [--scale F] [--only NAME ...]
Goal: within 2x of the Python versions.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import paired  # noqa: E402

from graphoid import Interpreter  # noqa: E402

PROGRAMS = Path(__file__).resolve().parent / "concurrency"
BUFFER = 100  # capacity of the buffered pipeline's channels


@attrs.frozen
class Case:
    name: str
    description: str
    function: str  # the function of both programs that runs it
    size: int  # its n
    tiny: int  # n for the equivalence test
    extra: tuple[Any, ...] = ()  # arguments after n

    def scaled(self, factor: float) -> int:
        return max(self.tiny, int(self.size * factor))


CASES = (
    Case("ping_pong", "100k request/reply between two actors", "ping_pong", 100_000, 50),
    Case("send_then_request", "100k sends into one actor, one request", "send_then_request", 100_000, 50),
    Case("pipeline_buffered", f"1M items, two channels of capacity {BUFFER}", "pipeline", 1_000_000, 300, (BUFFER,)),
    Case("pipeline_unbuffered", "1M items, two unbuffered channels", "pipeline", 1_000_000, 100, (0,)),
)


def graphoid_program() -> Interpreter:
    """An interpreter that has run actors_channels.gd (call its functions; close it after)."""
    path = PROGRAMS / "actors_channels.gd"
    interp = Interpreter()
    interp.run(path.read_text(), filename=str(path))
    return interp


def python_program() -> ModuleType:
    """actors_channels.py as a module."""
    path = PROGRAMS / "actors_channels.py"
    module = ModuleType("actors_channels")
    exec(compile(path.read_text(), str(path), "exec"), module.__dict__)
    return module


def runners(case: Case, interp: Interpreter, twin: ModuleType) -> tuple[Callable[[int], Any], Callable[[int], Any]]:
    """(Graphoid run(n), Python run(n)) for one case."""
    python_function = getattr(twin, case.function)
    return (lambda n: interp.call(case.function, n, *case.extra)), (lambda n: python_function(n, *case.extra))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5, help="paired repetitions per case (default 5)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every size (e.g. 0.1 for a quick look)")
    parser.add_argument("--only", action="append", metavar="NAME", help="run only this case (repeatable)")
    args = parser.parse_args()
    unknown = set(args.only or ()) - {case.name for case in CASES}
    if unknown:
        parser.error(f"unknown case(s): {', '.join(sorted(unknown))}; known: {', '.join(c.name for c in CASES)}")
    interp, twin = graphoid_program(), python_program()
    print(f"{'case':<20} {'n':>9} {'graphoid ms':>12} {'python ms':>10} {'ratio':>7}  (min-max)   what")
    try:
        for case in CASES:
            if args.only and case.name not in args.only:
                continue
            n = case.scaled(args.scale)
            graphoid_run, python_run = runners(case, interp, twin)
            result = paired(case.name, lambda: graphoid_run(n), lambda: python_run(n), args.reps)
            print(f"{case.name:<20} {n:>9} {result.subject_s * 1000:12.1f} {result.baseline_s * 1000:10.1f} "
                  f"{result.median_ratio:6.2f}x  ({min(result.ratios):.2f}-{max(result.ratios):.2f})   "
                  f"{case.description}", flush=True)
    finally:
        interp.close()


if __name__ == "__main__":
    main()
