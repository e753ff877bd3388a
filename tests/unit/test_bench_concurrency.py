"""The concurrency benchmark's Graphoid programs compute what their queue+threads twins do."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import bench_concurrency  # noqa: E402


@pytest.fixture(scope="module")
def programs():
    interp = bench_concurrency.graphoid_program()
    yield interp, bench_concurrency.python_program()
    interp.close()


@pytest.mark.timeout(120)
@pytest.mark.parametrize("case", bench_concurrency.CASES, ids=lambda case: case.name)
def test_graphoid_program_matches_its_python_twin(case: bench_concurrency.Case, programs) -> None:
    graphoid_run, python_run = bench_concurrency.runners(case, *programs)
    expected = python_run(case.tiny)
    assert type(expected) is int and expected > 0
    assert graphoid_run(case.tiny) == expected
    # A second run starts over: new actors and channels, nothing left from the first.
    assert graphoid_run(case.tiny) == expected

