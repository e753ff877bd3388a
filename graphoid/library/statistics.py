"""`import "statistics"`: summaries of lists of numbers (docs/stdlib.md#statistics).

Every function takes a list of numbers; an empty list is a ValueError unless a `default` is
given (the reference's two-argument forms), which is then returned.
"""

from __future__ import annotations

import math
import statistics
from typing import Any, Callable

from graphoid.errors import GraphoidError
from graphoid.library.common import expect, members
from graphoid.values.format import type_name

_NO_DEFAULT = object()


def _numbers(values: Any, where: str) -> list[Any]:
    expect(values, "list", where, "values")
    for index, value in enumerate(values):
        if type(value) not in (int, float) and not (isinstance(value, int) and not isinstance(value, bool)):
            raise GraphoidError("TypeError", f"{where}() expects a list of numbers, got {type_name(value)} at index {index}")
    return values


def _summary(name: str, fn: Callable[[list[Any]], Any], least: int = 1) -> Callable[..., Any]:
    """A function of (values, default) that needs `least` numbers."""
    where = f"statistics.{name}"

    def summarise(values: Any, default: Any = _NO_DEFAULT) -> Any:
        numbers = _numbers(values, where)
        if len(numbers) < least:
            if default is not _NO_DEFAULT:
                return default
            needed = "a non-empty list" if least == 1 else f"at least {least} numbers"
            raise GraphoidError("ValueError", f"{where}() needs {needed}, got {len(numbers)}")
        try:
            result = fn(numbers)
        except OverflowError:
            raise GraphoidError("ValueError", f"{where}(): the numbers are too large") from None
        return int(result) if isinstance(result, float) and result.is_integer() and name in _WHOLE else result

    summarise.__doc__ = fn.__doc__
    return summarise


# Summaries whose integral float results read better as whole numbers (mean of [1, 3] is 2).
_WHOLE = frozenset(("mean", "median", "median_low", "median_high", "range"))


def _mean(values: list[Any]) -> float:
    """The arithmetic mean."""
    return math.fsum(values) / len(values)


def _mode(values: list[Any]) -> Any:
    """The most common value (the first one seen on a tie)."""
    return statistics.mode(values)


def _range(values: list[Any]) -> Any:
    """max - min."""
    return max(values) - min(values)


def _sum(values: list[Any]) -> Any:
    """The sum (exact for floats)."""
    return math.fsum(values) if any(isinstance(v, float) for v in values) else sum(values)


def quantile(values: Any, q: Any, default: Any = _NO_DEFAULT) -> Any:
    """The q-quantile (0 <= q <= 1) with linear interpolation: quantile(xs, 0.5) is the median."""
    numbers = _numbers(values, "statistics.quantile")
    fraction = expect(q, "num", "statistics.quantile", "q")
    if not 0 <= fraction <= 1:
        raise GraphoidError("ValueError", f"statistics.quantile() needs 0 <= q <= 1, got {fraction}")
    if not numbers:
        if default is not _NO_DEFAULT:
            return default
        raise GraphoidError("ValueError", "statistics.quantile() needs a non-empty list, got 0")
    ordered = sorted(numbers)
    position = fraction * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def count(values: Any) -> int:
    return len(_numbers(values, "statistics.count"))


def module_members(interp: Any) -> dict[str, Any]:
    """The members of `import "statistics"`."""
    stdev = _summary("stdev", statistics.stdev, 2)
    return members(
        "statistics",
        {
            "mean": _summary("mean", _mean),
            "median": _summary("median", statistics.median),
            "median_low": _summary("median_low", statistics.median_low),
            "median_high": _summary("median_high", statistics.median_high),
            "mode": _summary("mode", _mode),
            "variance": _summary("variance", statistics.variance, 2),
            "stdev": stdev,
            "std_dev": stdev,
            "pvariance": _summary("pvariance", statistics.pvariance),
            "pstdev": _summary("pstdev", statistics.pstdev),
            "min": _summary("min", min),
            "max": _summary("max", max),
            "sum": _summary("sum", _sum, 0),
            "range": _summary("range", _range),
            "count": count,
            "quantile": quantile,
        },
    )
