"""Number methods: abs, sqrt, floor, ceil, round/up/down (places or :nearest_*), log, to_char."""

from __future__ import annotations

import math
from typing import Any, Callable

from graphoid.runtime.errors import GraphoidError
from graphoid.runtime.format import format_number, type_name
from graphoid.runtime.methods.common import normalise_number, round_half_away, want_number
from graphoid.runtime.methods.registry import method
from graphoid.runtime.values import BigNum, Symbol

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
    places = want_number(name, mode)
    # Same float steps as the reference: scale, round, unscale (so 2.675.round(2) is 2.67).
    multiplier = 10.0 ** int(places)
    result = op(n * multiplier) / multiplier
    return _integral(result) if int(places) <= 0 else result


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
    code = int(n)
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
    e = want_number("pow", exponent)
    try:
        return n**e if not (type(n) is int and type(e) is int and e < 0) else float(n) ** e
    except OverflowError:
        return math.inf
    except ZeroDivisionError:
        raise GraphoidError("RuntimeError", "Division by zero") from None


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
    for i in range(int(n)):
        fn(i)
    return None
