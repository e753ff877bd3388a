"""The whole-graph accumulator fold in numpy (the vector form of MessageRun._run_routed's fold).

A routed superstep in which every receiver d applies `p = p + x` to the payload x of each of
its senders, in origin order, computes `old[d] + x1 + x2 + ...` left to right. Here that is
one `np.add.at(olds, bins, payloads[positions])`: ufunc.at adds its entries one at a time, in
input order, each onto its receiver's running value, which starts as the receiver's old value.
So every receiver gets the same sequence of IEEE double additions as the Python fold, bit for
bit (np.add.reduce, reduceat and sum add pairwise, so they would not; np.bincount starts each
bin at 0.0, which turns an old -0.0 into 0.0).

Only exact Python floats and ints take it (`fold` answers None for anything else and the
caller runs its Python fold):

- floats: every old value and every payload an exact `float` or `int` and at least one side
  all floats; then each step of the Python fold is a double addition too (int + float and
  float + int convert the int first, correctly rounded, as numpy's conversion does; an int
  too large for a double raises there and here alike). No payload may be a NaN: when both
  operands of an addition are NaNs, which one's sign and payload the result keeps depends on
  the operand order the C compiler chose, in CPython and in numpy alike. (A NaN old value,
  or one made by inf + -inf, meets no NaN payload, so it passes through unchanged.)
- ints: every old value and payload an exact `int` (bools, whose sums turn into ints, and int
  subclasses take the Python fold), in int64, and only when no partial sum can overflow:
  max |old| + max in-degree * max |payload| < 2**62, computed in Python ints.

An accumulator's running totals come back as the old values of the next call: `fold`
recognises the very objects it returned last (by identity, so a value replaced by an equal one
of another type is looked at again) and reuses their array instead of converting them.

numpy is imported on first use, so a program that never folds a large graph does not pay for
its import at start-up.
"""

from __future__ import annotations

from array import array
from operator import is_, itemgetter
from typing import Any, Callable, Sequence

# below this many incoming payloads per call the Python fold is as fast (numpy's fixed costs)
MIN_ENTRIES = 512

# the largest magnitude a partial int64 sum may reach (2**63 - 1 is the type's own limit)
_INT_BOUND = 2**62

_numpy: Any = None


def numpy() -> Any:
    """The numpy module, imported on the first vector fold."""
    global _numpy
    if _numpy is None:
        import numpy as np

        _numpy = np
    return _numpy


class FoldIndex:
    """A topology's receivers and their sources as numpy arrays, built once per delivery plan
    (its routes never change while the plan lives).

    `read(table)` gathers the payloads of the slots any receiver reads (ascending slot) out
    of a routed table; `positions[k]` is where the k-th incoming payload (receivers in order,
    each one's sources in origin order: `Routes.sources` flattened) sits in what `read`
    returns, and `bins[k]` the index of the receiver it goes to."""

    __slots__ = ("read", "positions", "bins", "max_in_degree", "_last")

    def __init__(self, sources: Sequence[Sequence[int]]) -> None:
        np = numpy()
        flat = array("l")  # (Routes keeps each receiver's sources as an array("l"))
        for origins in sources:
            flat.extend(origins)
        slots = np.frombuffer(flat, dtype=np.dtype("l")) if flat else np.zeros(0, dtype=np.intp)
        used = np.unique(slots)
        self.read = _reader(used.tolist())
        self.positions = np.searchsorted(used, slots).astype(np.intp)
        degrees = np.fromiter(map(len, sources), dtype=np.intp, count=len(sources))
        self.bins = np.repeat(np.arange(len(sources), dtype=np.intp), degrees)
        self.max_in_degree = int(degrees.max()) if len(sources) else 0
        # the totals this index returned last, as Python numbers and as their array
        self._last: tuple[tuple[Any, ...], Any] = ((), None)

    def fold(self, table: Sequence[Any], olds: list[Any]) -> list[Any] | None:
        """Each receiver's old value plus its payloads in origin order (as `olds`, receivers
        in order), as Python ints or floats; None when the values are not all exact ints and
        floats as the module docstring says (nothing is computed then)."""
        if not olds:
            return None
        payloads = self.read(table)
        step_type = _common_type(payloads)
        if step_type is None:
            return None
        np = numpy()
        known, start = self._last
        if len(known) == len(olds) and all(map(is_, olds, known)):
            # the very objects this index returned last (an accumulator's running totals):
            # their types and their array are known already
            old_type: type | None = int if start.dtype == np.int64 else float
        else:
            start = None
            old_type = _common_type(olds)
            if old_type is None:
                return None
        if old_type is int and step_type is int:
            totals = self._int_totals(olds, start, payloads)
        else:
            totals = self._float_totals(olds, start, payloads)
        if totals is None:
            return None
        result = totals.tolist()
        self._last = (tuple(result), totals)  # (the caller may change its list)
        return result

    def _int_totals(self, olds: list[Any], start: Any, payloads: Sequence[Any]) -> Any:
        """The exact int sums in int64, or None where an int does not fit or a partial sum
        could overflow."""
        np = numpy()
        try:
            if start is None:
                start = np.fromiter(olds, dtype=np.int64, count=len(olds))
            steps = np.fromiter(payloads, dtype=np.int64, count=len(payloads))
        except OverflowError:  # an int beyond int64
            return None
        if not self._fits(start, steps):
            return None
        start = start.copy()  # (the fold works in place; the last totals' array is kept)
        np.add.at(start, self.bins, steps.take(self.positions))
        return start

    def _float_totals(self, olds: list[Any], start: Any, payloads: Sequence[Any]) -> Any:
        """The left folds in IEEE doubles, or None (an int beyond the doubles, a NaN payload)."""
        np = numpy()
        try:
            if start is None:
                start = np.fromiter(olds, dtype=np.float64, count=len(olds))
            else:
                start = start.astype(np.float64)  # (a copy: the fold below works in place)
            steps = np.fromiter(payloads, dtype=np.float64, count=len(payloads))
        except OverflowError:  # an int beyond the doubles: Python's `+` raises as well
            return None
        if np.isnan(steps).any():
            # which of two NaN operands an addition returns is up to the compiled code
            return None
        with np.errstate(all="ignore"):  # inf and nan are results here, as in Python
            np.add.at(start, self.bins, steps.take(self.positions))
        return start

    def _fits(self, olds: Any, steps: Any) -> bool:
        """No partial sum of any receiver leaves (-2**62, 2**62)."""
        largest_old = max(int(olds.max()), -int(olds.min()))
        largest_step = max(int(steps.max()), -int(steps.min())) if len(steps) else 0
        return largest_old + self.max_in_degree * largest_step < _INT_BOUND


def _common_type(values: Sequence[Any]) -> type | None:
    """`float` or `int` when every value is exactly of that type, else None."""
    types = list(map(type, values))
    if not types:
        return None
    first = types[0]
    if (first is float or first is int) and types.count(first) == len(types):
        return first
    return None


def _reader(slots: list[int]) -> Callable[[Sequence[Any]], Sequence[Any]]:
    """A C-level getter of `slots` (ascending) from a table, always answering a sequence."""
    if len(slots) > 1:
        return itemgetter(*slots)
    if slots:
        # (an itemgetter of one index gives the entry itself, not a sequence)
        return itemgetter(slice(slots[0], slots[0] + 1))
    return lambda table: ()
