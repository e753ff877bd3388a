"""Argument checks and helpers shared by the per-type method modules."""

from __future__ import annotations

import math
from typing import Any, Callable

from graphoid.errors import GraphoidError
from graphoid.values.format import type_name
from graphoid.values.types import BigNum, Symbol


def is_number(v: Any) -> bool:
    """True for num values (bools are not numbers)."""
    t = type(v)
    return t is int or t is float or t is BigNum


def want_number(method: str, v: Any, position: int = 1) -> int | float:
    if not is_number(v):
        raise GraphoidError(
            "TypeError", f"Method '{method}' expects a number as argument {position}, got {type_name(v)}"
        )
    return v


def want_int(method: str, v: Any, position: int = 1) -> int:
    """A number argument used as a count or index; truncated toward zero like the reference."""
    n = want_number(method, v, position)
    if type(n) is float:
        if not math.isfinite(n):
            raise GraphoidError("ValueError", f"Method '{method}' expects a finite number, got {n}")
        return int(n)
    return int(n)


def want_string(method: str, v: Any, position: int = 1) -> str:
    if type(v) is not str:
        raise GraphoidError(
            "TypeError", f"Method '{method}' expects a string as argument {position}, got {type_name(v)}"
        )
    return v


def want_symbol(method: str, v: Any, position: int = 1) -> Symbol:
    if type(v) is not Symbol:
        raise GraphoidError(
            "TypeError", f"Method '{method}' expects a symbol as argument {position}, got {type_name(v)}"
        )
    return v


def want_function(method: str, v: Any, position: int = 1) -> Callable[..., Any]:
    if not callable(v) or type(v) is Symbol:
        raise GraphoidError(
            "TypeError", f"Method '{method}' expects a function as argument {position}, got {type_name(v)}"
        )
    return v


_I64_MAX = 2**63 - 1
_I64_MIN = -(2**63)


def saturating_int(x: Any, low: int = _I64_MIN, high: int = _I64_MAX) -> int:
    """Rust's `f as i64` (or a narrower type via low/high): truncates, NaN gives 0 and values
    out of range stick to the nearest bound instead of failing."""
    if type(x) is float:
        if x != x:
            return 0
        if x >= high:
            return high
        if x <= low:
            return low
        return int(x)
    return max(low, min(int(x), high))


def normalise_number(n: float) -> int | float:
    """Integral finite floats become ints so later integer work (indices, ranges) stays exact."""
    if type(n) is float and n.is_integer() and abs(n) < 2**53:
        return int(n)
    return n


def round_half_away(x: float) -> float:
    """Rust's `f64::round`: halves go away from zero (Python's round goes to even)."""
    if not math.isfinite(x):
        return x
    t = float(math.trunc(x))
    if abs(x - t) >= 0.5:
        t += math.copysign(1.0, x)
    return t


# Named transformations and predicates accepted by map/filter/reject in place of a function.


def _need_number(name: str, v: Any) -> int | float:
    if not is_number(v):
        raise GraphoidError("RuntimeError", f"Transformation '{name}' requires a number, got {type_name(v)}")
    return v


NAMED_TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "double": lambda v: _need_number("double", v) * 2,
    "square": lambda v: _need_number("square", v) * v,
    "negate": lambda v: -_need_number("negate", v),
    "increment": lambda v: _need_number("increment", v) + 1,
    "inc": lambda v: _need_number("inc", v) + 1,
    "decrement": lambda v: _need_number("decrement", v) - 1,
    "dec": lambda v: _need_number("dec", v) - 1,
}


def _num_pred(test: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda v: is_number(v) and test(v)


NAMED_PREDICATES: dict[str, Callable[[Any], bool]] = {
    "even": _num_pred(lambda n: n % 2 == 0),
    "odd": _num_pred(lambda n: n % 2 != 0),
    "positive": _num_pred(lambda n: n > 0),
    "pos": _num_pred(lambda n: n > 0),
    "negative": _num_pred(lambda n: n < 0),
    "neg": _num_pred(lambda n: n < 0),
    "zero": _num_pred(lambda n: n == 0),
}


def transform_fn(method: str, arg: Any) -> Callable[[Any], Any]:
    """A function, or a symbol naming a built-in transformation (`:double`, `:square`, ...)."""
    if type(arg) is Symbol:
        fn = NAMED_TRANSFORMS.get(arg.name)
        if fn is None:
            raise GraphoidError("RuntimeError", f"Unknown transformation: :{arg.name}")
        return fn
    if callable(arg):
        return arg
    raise GraphoidError("TypeError", f"Method '{method}' expects function or symbol, got {type_name(arg)}")


def predicate_fn(method: str, arg: Any) -> Callable[[Any], Any]:
    """A function, or a symbol naming a built-in predicate (`:even`, `:positive`, ...)."""
    if type(arg) is Symbol:
        fn = NAMED_PREDICATES.get(arg.name)
        if fn is None:
            raise GraphoidError("RuntimeError", f"Unknown predicate: :{arg.name}")
        return fn
    if callable(arg):
        return arg
    raise GraphoidError("TypeError", f"Method '{method}' expects function or symbol, got {type_name(arg)}")
