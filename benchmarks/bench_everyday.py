"""Everyday programs: Graphoid against the same program in idiomatic CPython, in one process run.

Each program is a pair in benchmarks/everyday/: NAME.gd and its twin NAME.py. Most define
`run(n)` returning an int or a string; top-level programs read `n` and set `result`, and are run
as a whole each time (compiled once, so start-up and compiling are excluded from the timings).
The pairs compute the same answer (tests/unit/test_bench_everyday.py checks it at tiny sizes).

Run: python benchmarks/bench_everyday.py [--reps N] [--only NAME ...] [--scale F]
Goal (issue 9): every program within 1.5x of CPython (must: 2x).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Callable

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import paired  # noqa: E402

from graphoid import Interpreter  # noqa: E402

EVERYDAY = Path(__file__).resolve().parent / "everyday"


@attrs.frozen
class Program:
    name: str
    description: str
    size: int  # the benchmark's n
    tiny: int  # n for the equivalence test
    top_level: bool = False
    scalable: bool = True  # False: n is a depth, not a count (--scale leaves it alone)

    def scaled(self, factor: float) -> int:
        return max(self.tiny, int(self.size * factor)) if self.scalable else self.size


PROGRAMS = (
    Program("mod_loop", "while loop in a function, % and //", 1_000_000, 50),
    Program("mod_loop_top", "the same loop at top level", 1_000_000, 50, top_level=True),
    Program("append_join", 'append!("x" + i) then join', 200_000, 30),
    Program("word_count", "counts[w] = counts.get(w, 0) + 1", 1_000_000, 200),
    Program("class_methods", "method calls on a class-like graph", 1_000_000, 40),
    Program("generate_map_filter", "list.generate / map / filter", 1_000_000, 40),
    Program("generate_sort", "generate 1M numbers and sort", 1_000_000, 40),
    Program("string_processing", "split, lower, replace, contains", 50_000, 20),
    Program("map_records", "maps of records, group by", 100_000, 30),
    Program("closures", "closures and higher-order functions", 300_000, 30),
    Program("recursion", "hanoi and a recursive tree sum", 17, 4, scalable=False),
    Program("slicing_indexing", "slices, take/skip, indexing", 400_000, 40),
    Program("exceptions_loop", "raise and catch in a loop", 200_000, 30),
    Program("string_formatting", "numbers into padded text", 100_000, 30),
    Program("graph_building", "graph built with per-node logic", 20_000, 30),
)


def _graphoid_runner(program: Program) -> Callable[[int], Any]:
    """A function running the Graphoid program at size n (compiled once, start-up excluded)."""
    path = EVERYDAY / f"{program.name}.gd"
    source = path.read_text()
    interp = Interpreter()
    if not program.top_level:
        interp.run(source, filename=str(path))
        return lambda n: interp.call("run", n)
    interp.run("n = 0\nresult = none", filename="<setup>")
    namespace = interp.namespace
    code = interp.compile(source, str(path), namespace=namespace)

    def run_top_level(n: int) -> Any:
        interp.run(f"n = {int(n)}", filename="<setup>")
        interp.exec_code(code, namespace)
        return interp.lookup("result")

    return run_top_level


def _python_runner(program: Program) -> Callable[[int], Any]:
    """A function running the Python twin at size n."""
    path = EVERYDAY / f"{program.name}.py"
    code = compile(path.read_text(), str(path), "exec")
    if not program.top_level:
        namespace: dict[str, Any] = {"__name__": f"everyday_{program.name}"}
        exec(code, namespace)
        return namespace["run"]

    def run_top_level(n: int) -> Any:
        namespace = {"__name__": f"everyday_{program.name}", "n": n}
        exec(code, namespace)
        return namespace["result"]

    return run_top_level


# CPython 3.11 specialises ("quickens") a code object only after it has been entered several
# times or has taken enough plain backward jumps; a `while test:` loop in a function called once
# never gets there. The Graphoid compiler emits loops that do, so without a warm-up the Python
# twins would run unspecialised and the ratios would flatter Graphoid. Both sides are therefore
# run WARM_UP_CALLS times at the program's tiny size before anything is timed.
WARM_UP_CALLS = 10


def warm_up(program: Program, run: Callable[[int], Any]) -> None:
    """Run a program at its tiny size often enough for CPython to specialise its code."""
    for _ in range(WARM_UP_CALLS):
        run(program.tiny)


def runners(program: Program) -> tuple[Callable[[int], Any], Callable[[int], Any]]:
    """(Graphoid run(n), Python run(n)) for one program."""
    return _graphoid_runner(program), _python_runner(program)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5, help="paired repetitions per program (default 5)")
    parser.add_argument("--only", action="append", metavar="NAME", help="run only this program (repeatable)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every size (e.g. 0.1 for a quick look)")
    args = parser.parse_args()
    chosen = [p for p in PROGRAMS if not args.only or p.name in args.only]
    unknown = set(args.only or ()) - {p.name for p in PROGRAMS}
    if unknown:
        parser.error(f"unknown program(s): {', '.join(sorted(unknown))}; known: {', '.join(p.name for p in PROGRAMS)}")
    print(f"{'program':<22} {'graphoid ms':>12} {'python ms':>10} {'ratio':>7}  (min-max)   what")
    for program in chosen:
        n = program.scaled(args.scale)
        graphoid_run, python_run = runners(program)
        warm_up(program, graphoid_run)
        warm_up(program, python_run)
        result = paired(program.name, lambda: graphoid_run(n), lambda: python_run(n), args.reps)
        print(f"{program.name:<22} {result.subject_s * 1000:12.1f} {result.baseline_s * 1000:10.1f} "
              f"{result.median_ratio:6.2f}x  ({min(result.ratios):.2f}-{max(result.ratios):.2f})   "
              f"{program.description}")


if __name__ == "__main__":
    main()
