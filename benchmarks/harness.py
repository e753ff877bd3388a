"""Paired timing: run a Graphoid case and its baseline interleaved, report the median ratio.

The machine is noisy (PERF_STUDY: 20-60 % between runs), so every goal is a ratio measured side
by side in one process run, never an absolute time.
"""

from __future__ import annotations

import statistics
import time
from typing import Callable

import attrs


@attrs.frozen
class PairResult:
    name: str
    subject_s: float
    baseline_s: float
    ratios: tuple[float, ...]

    @property
    def median_ratio(self) -> float:
        return statistics.median(self.ratios)

    def line(self) -> str:
        return (
            f"{self.name:<34} graphoid {self.subject_s * 1000:9.2f} ms   "
            f"baseline {self.baseline_s * 1000:9.2f} ms   ratio {self.median_ratio:6.2f}x "
            f"(min {min(self.ratios):.2f}, max {max(self.ratios):.2f})"
        )


def _time_once(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def paired(name: str, subject: Callable[[], object], baseline: Callable[[], object], reps: int = 5) -> PairResult:
    """Time subject and baseline alternately `reps` times (after one warm-up each)."""
    subject()
    baseline()
    subject_times, baseline_times, ratios = [], [], []
    for _ in range(reps):
        s = _time_once(subject)
        b = _time_once(baseline)
        subject_times.append(s)
        baseline_times.append(b)
        ratios.append(s / b if b > 0 else float("inf"))
    return PairResult(name, statistics.median(subject_times), statistics.median(baseline_times), tuple(ratios))
