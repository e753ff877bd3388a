"""Number methods: abs, sqrt, floor, ceil, round/up/down (places or :nearest_*), log, to_char."""

from __future__ import annotations

import math
from typing import Any, Callable

from graphoid.errors import GraphoidError
from graphoid.values.format import format_number, type_name
from graphoid.values.methods.common import normalise_number, round_half_away, saturating_int, want_number
from graphoid.values.methods.registry import method
from graphoid.values.types import BigNum, Symbol
from graphoid.values.limits import metered

NUM_TYPES = (int, float, BigNum)


def _register(*names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        for t in NUM_TYPES:
            method(t, *names)(fn)
        return fn

    return register


@_register("abs")
def abs_(n: Any) -> Any:
    return abs(n)


@_register("sqrt")
def sqrt(n: Any) -> Any:
    if n < 0:
        return math.nan  # f64::sqrt of a negative number is NaN in the reference
    root = math.sqrt(n)
    return normalise_number(root)


def _integral(x: float) -> Any:
    """Whole-number results as ints when finite (exact indices, no float drift later)."""
    return normalise_number(x) if math.isfinite(x) else x


@_register("floor")
def floor(n: Any) -> Any:
    return n if type(n) is not float else _integral(float(math.floor(n)) if math.isfinite(n) else n)


@_register("ceil")
def ceil(n: Any) -> Any:
    return n if type(n) is not float else _integral(float(math.ceil(n)) if math.isfinite(n) else n)


def _float_floor(x: float) -> float:
    return float(math.floor(x)) if math.isfinite(x) else x


def _float_ceil(x: float) -> float:
    return float(math.ceil(x)) if math.isfinite(x) else x


_NEAREST = {"nearest_ten": 10.0, "nearest_hundred": 100.0}


def _rounding(name: str, n: Any, mode: Any, op: Callable[[float], float]) -> Any:
    """Shared body of round/up/down: no argument, decimal places, or a :nearest_* symbol."""
    if mode is None:
        if type(n) is not float:
            return n
        return _integral(op(n))
    if type(mode) is Symbol:
        unit = _NEAREST.get(mode.name)
        if unit is None:
            raise GraphoidError("RuntimeError", f"Unknown rounding mode: {mode.name}")
        return _integral(op(n / unit) * unit)
    # Same float steps as the reference: `places as i32`, scale, round, unscale (so
    # 1.005.round(2) is 1 because 1.005 * 100 is 100.49999999999999).
    places = saturating_int(want_number(name, mode), -(2**31), 2**31 - 1)
    try:
        multiplier = 10.0**places
    except OverflowError:
        multiplier = math.inf
    scaled = op(float(n) * multiplier)
    result = scaled / multiplier if multiplier != 0 else math.nan
    return _integral(result) if places <= 0 else result


@_register("round")
def round_(n: Any, mode: Any = None) -> Any:
    return _rounding("round", n, mode, round_half_away)


@_register("up")
def up(n: Any, mode: Any = None) -> Any:
    return _rounding("up", n, mode, _float_ceil)


@_register("down")
def down(n: Any, mode: Any = None) -> Any:
    return _rounding("down", n, mode, _float_floor)


@_register("log")
def log(n: Any, base: Any = None) -> Any:
    """Natural log, or log in `base`; log of 0 is -inf and of negatives NaN, like f64."""
    if n == 0:
        return -math.inf
    if n < 0:
        return math.nan
    if base is None:
        return math.log(n)
    b = want_number("log", base)
    if b <= 0 or b == 1:
        return math.nan if b != 1 else math.inf
    return math.log(n, b)


@_register("to_char")
def to_char(n: Any) -> str:
    code = saturating_int(n)
    if code < 0 or code > 127:
        raise GraphoidError("RuntimeError", f"to_char(): value {code} is outside ASCII range (0-127)")
    return chr(code)


@_register("to_str")
def to_str(n: Any) -> str:
    return format_number(n)


@_register("to_int", "truncate")
def to_int(n: Any) -> Any:
    if type(n) is float:
        if not math.isfinite(n):
            raise GraphoidError("ValueError", f"Cannot convert {format_number(n)} to an integer")
        return int(n)
    return n


@_register("is_integer")
def is_integer(n: Any) -> bool:
    return type(n) is not float or n.is_integer()


@_register("pow")
def pow_(n: Any, exponent: Any) -> Any:
    """`n ** exponent`: exact for modest integer powers, else f64 like the reference's powf."""
    e = want_number("pow", exponent)
    if type(n) is not float and type(e) is not float and 0 <= e and e * max(int(n).bit_length(), 1) <= 4096:
        return int(n) ** int(e)
    try:
        return math.pow(n, e)
    except OverflowError:
        return math.inf if n > 0 or float(e) % 2 == 0 else -math.inf
    except ValueError:
        # 0 ** negative is infinite and a negative base with a fractional exponent is NaN in f64.
        return math.inf if n == 0 else math.nan


@_register("min")
def min_(n: Any, other: Any) -> Any:
    return min(n, want_number("min", other))


@_register("max")
def max_(n: Any, other: Any) -> Any:
    return max(n, want_number("max", other))


@_register("clamp")
def clamp(n: Any, low: Any, high: Any) -> Any:
    lo = want_number("clamp", low, 1)
    hi = want_number("clamp", high, 2)
    return lo if n < lo else hi if n > hi else n


@_register("times")
def times(n: Any, fn: Any) -> None:
    """Call `fn(i)` for i in 0..n-1."""
    if not callable(fn):
        raise GraphoidError("TypeError", f"Method 'times' expects a function, got {type_name(fn)}")
    for i in metered(range(saturating_int(n))):
        fn(i)
    return None
