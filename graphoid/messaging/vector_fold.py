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

Typed payloads (`TypedPayloads`): a routed table whose payloads are already known as numbers
skips reading them back out of Python objects. A route fill of one exact int or float (every
owned sender routes the same payload) makes the owned part one constant; a peer partition's
payloads that came over the wire as a packed column (`pack_column`: int64 or float64 bytes,
made only from exact ints or exact floats) arrive as a numpy array (`GhostColumn`), written
into the Python table only when something other than this fold reads it (`TypedPayloads.write`).
The fold then builds its payload array by one fill and one scatter per peer, under the same
type rules as above; when they do not hold it writes the columns and folds from the table.

numpy is imported on first use, so a program that never folds a large graph does not pay for
its import at start-up.
"""

from __future__ import annotations

from array import array
from operator import is_, itemgetter
from typing import Any, Callable, Sequence

from graphoid.messaging.engine import write_slots

# below this many incoming payloads per call the Python fold is as fast (numpy's fixed costs)
MIN_ENTRIES = 512

# a routed batch for a peer with this many payloads or more travels as a packed column
# (below it, numpy's fixed costs and import are not worth it)
MIN_COLUMN = 128

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

    __slots__ = ("read", "positions", "bins", "max_in_degree", "_last", "used", "owned_used", "read_owned",
                 "_ghost_places")

    def __init__(self, sources: Sequence[Sequence[int]], owned: int | None = None) -> None:
        np = numpy()
        flat = array("l")  # (Routes keeps each receiver's sources as an array("l"))
        for origins in sources:
            flat.extend(origins)
        slots = np.frombuffer(flat, dtype=np.dtype("l")) if flat else np.zeros(0, dtype=np.intp)
        used = np.unique(slots)
        self.used = used
        listed = used.tolist()
        self.read = _reader(listed)
        # the used slots below `owned` (a partition's own senders) come first in `used`
        self.owned_used = int(np.searchsorted(used, owned)) if owned is not None else len(listed)
        self.read_owned = _reader(listed[: self.owned_used])
        # id(ghost slot list) -> (that list, its entries' places in `used`, which of them are used)
        self._ghost_places: dict[int, tuple[Any, Any, Any]] = {}
        self.positions = np.searchsorted(used, slots).astype(np.intp)
        degrees = np.fromiter(map(len, sources), dtype=np.intp, count=len(sources))
        self.bins = np.repeat(np.arange(len(sources), dtype=np.intp), degrees)
        self.max_in_degree = int(degrees.max()) if len(sources) else 0
        # the totals this index returned last, as Python numbers and as their array
        self._last: tuple[tuple[Any, ...], Any] = ((), None)

    def fold(self, table: list[Any], olds: list[Any], typed: "TypedPayloads | None" = None) -> list[Any] | None:
        """Each receiver's old value plus its payloads in origin order (as `olds`, receivers
        in order), as Python ints or floats; None when the values are not all exact ints and
        floats as the module docstring says (nothing is computed then). With `typed`, the
        payloads it knows are taken from it; where that does not do, its columns are
        written into `table` and the payloads read from there."""
        totals = self.fold_array(table, olds, typed)
        return None if totals is None else self.settle(totals)

    def settle(self, totals: Any) -> list[Any]:
        """`fold_array`'s totals as Python numbers, remembered as the next call's likely olds."""
        result = totals.tolist()
        self._last = (tuple(result), totals)  # (the caller may change its list)
        return result

    def fold_array(self, table: list[Any], olds: list[Any], typed: "TypedPayloads | None" = None) -> Any:
        """`fold`'s totals as an int64 or float64 array (None: see fold), for `settle` to turn
        into Python numbers, maybe later: nothing here depends on when."""
        if not olds:
            return None
        steps = None
        if typed is not None:
            steps = self._typed_steps(table, typed)
            if steps is None:
                typed.write(table)
        if steps is None:
            payloads = self.read(table)
            step_type = _common_type(payloads)
            if step_type is None:
                return None
        else:
            payloads = steps
            step_type = int if steps.dtype.kind == "i" else float
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
        return totals

    def _int_totals(self, olds: list[Any], start: Any, payloads: Sequence[Any]) -> Any:
        """The exact int sums in int64, or None where an int does not fit or a partial sum
        could overflow."""
        np = numpy()
        try:
            if start is None:
                start = np.fromiter(olds, dtype=np.int64, count=len(olds))
            else:
                start = start.copy()  # (the fold works in place; the last totals' array is kept)
            steps = _as_array(payloads, np.int64)
        except OverflowError:  # an int beyond int64
            return None
        if not self._fits(start, steps):
            return None
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
            steps = _as_array(payloads, np.float64)
        except OverflowError:  # an int beyond the doubles: Python's `+` raises as well
            return None
        if np.isnan(steps).any():
            # which of two NaN operands an addition returns is up to the compiled code
            return None
        with np.errstate(all="ignore"):  # inf and nan are results here, as in Python
            np.add.at(start, self.bins, steps.take(self.positions))
        return start

    def _typed_steps(self, table: list[Any], typed: "TypedPayloads") -> Any:
        """The payloads at `used` as one int64 or float64 array from what `typed` knows (the
        owned part read from `table` unless it is typed's constant), or None when typed's
        columns do not cover every used ghost slot or the parts are not all of one exact
        type (ints or floats)."""
        np = numpy()
        owned_used = self.owned_used
        constant = typed.constant
        kinds = set()
        owned_values: Any = None
        if owned_used:
            if constant is not None:
                kinds.add(type(constant))
            else:
                owned_values = self.read_owned(table)
                kind = _common_type(owned_values)
                if kind is None:
                    return None
                kinds.add(kind)
        places = []
        covered = 0
        for column in typed.columns:
            where, keep = self._places(column.slots)
            values = column.values if keep is None else column.values[keep]
            covered += len(where)
            kinds.add(int if values.dtype.kind == "i" else float)
            places.append((where, values))
        if covered != len(self.used) - owned_used or len(kinds) > 1:
            return None
        dtype = np.int64 if kinds == {int} or not kinds else np.float64
        steps = np.empty(len(self.used), dtype=dtype)
        try:
            if owned_values is not None:
                steps[:owned_used] = np.fromiter(owned_values, dtype=dtype, count=owned_used)
            elif owned_used:
                steps[:owned_used] = constant
        except OverflowError:  # an int beyond int64 (or the doubles)
            return None
        for where, values in places:
            steps[where] = values
        return steps

    def _places(self, slots: Sequence[int]) -> tuple[Any, Any]:
        """Where the entries of a peer's ghost slot list sit in `used`, and which of them are
        used (None: all), kept per list object (a plan's slot lists live as long as it)."""
        known = self._ghost_places.get(id(slots))
        if known is not None and known[0] is slots:
            return known[1], known[2]
        np = numpy()
        wanted = np.asarray(slots, dtype=np.intp)
        where = np.searchsorted(self.used, wanted)
        inside = where < len(self.used)
        hit = np.zeros(len(wanted), dtype=bool)
        hit[inside] = self.used[where[inside]] == wanted[inside]
        keep = None if hit.all() else np.flatnonzero(hit)
        if keep is not None:
            where = where[keep]
        self._ghost_places[id(slots)] = (slots, where, keep)
        return where, keep

    def _fits(self, olds: Any, steps: Any) -> bool:
        """No partial sum of any receiver leaves (-2**62, 2**62)."""
        largest_old = max(int(olds.max()), -int(olds.min()))
        largest_step = max(int(steps.max()), -int(steps.min())) if len(steps) else 0
        return largest_old + self.max_in_degree * largest_step < _INT_BOUND


class GhostColumn:
    """A peer's routed payloads as one numpy array (int64 from exact ints, float64 from exact
    floats), for the ghost slots `slots` in order; `runs` (or None) are the slots' runs of
    consecutive slots, for slice stores."""

    __slots__ = ("slots", "runs", "values")

    def __init__(self, slots: Sequence[int], runs: list[tuple[int, int]] | None, values: Any) -> None:
        self.slots = slots
        self.runs = runs
        self.values = values

    def write(self, table: list[Any]) -> None:
        """Put the payloads into `table` as Python ints or floats (what msgpack would have given)."""
        write_slots(table, self.slots, self.runs, self.values.tolist())


class TypedPayloads:
    """What is known of a routed payload table as numbers (module docstring): `constant`, the
    exact int or float every owned sender routed (None: not known), and the peers' columns
    not yet written into the table."""

    __slots__ = ("constant", "columns")

    def __init__(self, constant: int | float | None = None) -> None:
        self.constant = constant
        self.columns: list[GhostColumn] = []

    def write(self, table: list[Any]) -> None:
        """Write the pending columns into `table` (once: then nothing is pending)."""
        columns, self.columns = self.columns, []
        for column in columns:
            column.write(table)


# the wire codes of packed payload columns (little-endian, 8 bytes per payload)
COLUMN_INT = "i8"
COLUMN_FLOAT = "f8"
_COLUMN_DTYPES = {COLUMN_INT: "<i8", COLUMN_FLOAT: "<f8"}


def pack_column(values: Sequence[Any], constant: Any = None) -> tuple[str, bytes] | None:
    """`values` as a packed column (code, bytes) when they are all exact ints within int64 or
    all exact floats, else None; `constant`: a value every entry is known to be (no check)."""
    np = numpy()
    if constant is not None:
        kind = type(constant)
        if kind is not int and kind is not float:
            return None
        try:
            array_ = np.full(len(values), constant, dtype=np.int64 if kind is int else np.float64)
        except OverflowError:
            return None
    else:
        kind = _common_type(values)
        if kind is None:
            return None
        try:
            array_ = np.fromiter(values, dtype=np.int64 if kind is int else np.float64, count=len(values))
        except OverflowError:
            return None
    code = COLUMN_INT if kind is int else COLUMN_FLOAT
    return code, array_.astype(_COLUMN_DTYPES[code], copy=False).tobytes()


def unpack_column(code: Any, data: Any) -> Any:
    """The numpy array of a packed column; ValueError when the code or the size is wrong."""
    dtype = _COLUMN_DTYPES.get(code) if type(code) is str else None
    if dtype is None:
        raise ValueError(f"unknown payload column type {code!r}")
    if not isinstance(data, (bytes, bytearray, memoryview)) or len(data) % 8:
        raise ValueError("a payload column is not a whole number of 8-byte values")
    np = numpy()
    return np.frombuffer(data, dtype=dtype).astype(np.int64 if code == COLUMN_INT else np.float64, copy=False)


def _as_array(payloads: Any, dtype: Any) -> Any:
    """Payloads as an array of `dtype`: a typed array as it is (or converted), else from Python values."""
    np = numpy()
    if isinstance(payloads, np.ndarray):
        return payloads if payloads.dtype == dtype else payloads.astype(dtype)
    return np.fromiter(payloads, dtype=dtype, count=len(payloads))


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
