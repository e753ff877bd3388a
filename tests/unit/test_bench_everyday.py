"""The everyday benchmark pairs compute the same answers in Graphoid and in CPython."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import bench_everyday  # noqa: E402


@pytest.mark.parametrize("program", bench_everyday.PROGRAMS, ids=lambda p: p.name)
def test_graphoid_program_matches_its_python_twin(program: bench_everyday.Program) -> None:
    graphoid_run, python_run = bench_everyday.runners(program)
    expected = python_run(program.tiny)
    assert type(expected) in (int, str)
    assert graphoid_run(program.tiny) == expected
    # Run twice: a top-level program must start over, a function must not keep state.
    assert graphoid_run(program.tiny) == expected


def test_suite_covers_the_issue_shapes() -> None:
    names = {p.name for p in bench_everyday.PROGRAMS}
    assert len(names) == len(bench_everyday.PROGRAMS) >= 12
    for program in bench_everyday.PROGRAMS:
        assert (bench_everyday.EVERYDAY / f"{program.name}.gd").is_file()
        assert (bench_everyday.EVERYDAY / f"{program.name}.py").is_file()
