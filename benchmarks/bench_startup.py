"""Start-up benchmarks: whole `graphoid` processes against `python3`, as an installed package.

Run: python benchmarks/bench_startup.py [--reps N]

The package is installed (pip, which writes the byte code) into a temporary folder from a copy
of this source tree, so the figures are what a user gets, not a checkout that recompiles its
Python sources. Each row runs its two commands alternately and reports the median ratio.
Goal (issue 9 item 3): `graphoid run hello.gd` at most 3x `python3 hello.py`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import PairResult, paired  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SPEC = 'describe "sums" {\n    it "adds" { expect(1 + 1).to_equal(2) }\n}\n'


def install(work: Path) -> Path:
    """pip-install a copy of the source tree into work/site (no dependencies, byte code written)."""
    source = work / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", "__pycache__", "build", "dist", "*.egg-info", ".pytest_cache", ".hypothesis", ".venv"))
    site = work / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--no-index",
                    "--target", str(site), str(source)], check=True, capture_output=True, timeout=600)
    return site


def large_module(lines: int) -> str:
    """A module of many small functions, like a library someone imports."""
    parts = []
    for i in range(lines // 6):
        parts.append(f"fn f{i}(x, y) {{\n    if x > y {{ return [x, y].map(v => v * {i}) }}\n"
                     f"    total = 0\n    for v in [x, y] {{ total = total + v % 7 }}\n    return total\n}}\n")
    return "".join(parts)


def runner(site: Path, cache: Path):
    env = {**os.environ, "PYTHONPATH": str(site), "GRAPHOID_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its byte code
    env.pop("GRAPHOID_NO_CACHE", None)

    def run(*argv: str, cold_modules: bool = False):
        """A command; cold_modules empties the compiled-module cache first (the parser tables
        stay: they are built once per install, not per program)."""

        def command() -> None:
            if cold_modules:
                for entry in cache.glob("module-*"):
                    entry.unlink()
            subprocess.run(list(argv), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)

        return command

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=20)
    args = parser.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="graphoid-startup-") as temp:
        work = Path(temp)
        site = install(work)
        (work / "hello.gd").write_text('print("Hello, Graphoid!")\n')
        (work / "hello.py").write_text('print("Hello, Graphoid!")\n')
        (work / "sum_spec.gd").write_text(SPEC)
        (work / "big.gd").write_text(large_module(3000))
        (work / "use_big.gd").write_text('import "big"\nprint(big.f1(1, 2))\n')
        run = runner(site, work / "cache")
        graphoid = (py, "-m", "graphoid")
        rows: list[PairResult] = [
            paired("hello.gd vs python3 hello.py", run(*graphoid, "run", str(work / "hello.gd")),
                   run(py, str(work / "hello.py")), args.reps),
            paired("--version vs python3 -c pass", run(*graphoid, "--version"), run(py, "-c", "pass"), args.reps),
            paired("spec: warm vs cold module cache", run(*graphoid, "spec", str(work / "sum_spec.gd")),
                   run(*graphoid, "spec", str(work / "sum_spec.gd"), cold_modules=True), args.reps),
            paired("spec vs python3 hello.py", run(*graphoid, "spec", str(work / "sum_spec.gd")),
                   run(py, str(work / "hello.py")), args.reps),
            paired("import 3000 lines: warm vs cold", run(*graphoid, "run", str(work / "use_big.gd")),
                   run(*graphoid, "run", str(work / "use_big.gd"), cold_modules=True), args.reps),
        ]
    print(f"start-up, installed package (medians of {args.reps} paired runs)")
    for row in rows:
        print(row.line())


if __name__ == "__main__":
    main()
