"""`import "math"`: numeric functions beyond the num methods (docs/stdlib.md#math).

Arguments outside a function's domain are ValueErrors that name the function, never NaN.
"""

from __future__ import annotations

import math
from typing import Any, Callable

from graphoid.errors import GraphoidError
from graphoid.library.common import expect, expect_int, members, wrong_arguments
from graphoid.values import limits

# factorial/gcd/lcm/comb beyond this many are refused: their results take seconds to compute.
MAX_FACTORIAL = 100_000


def _num(value: Any, where: str, param: str = "x") -> Any:
    return expect(value, "num", where, param)


def _real(name: str, fn: Callable[..., float], params: tuple[str, ...]) -> Callable[..., Any]:
    """`fn` on numbers, with domain and overflow errors as Graphoid ValueErrors."""
    where = f"math.{name}"

    def call(*args: Any) -> Any:
        if len(args) != len(params):
            raise wrong_arguments(where, params, len(args))
        numbers = [_num(value, where, param) for value, param in zip(args, params)]
        try:
            return fn(*numbers)
        except ValueError:
            shown = ", ".join(str(n) for n in numbers)
            raise GraphoidError("ValueError", f"{where}({shown}) is outside the function's domain") from None
        except OverflowError:
            raise GraphoidError("ValueError", f"{where}(): the result is too large") from None

    call.__doc__ = fn.__doc__
    call.__signature__ = _signature(params)  # type: ignore[attr-defined]
    return call


def _signature(params: tuple[str, ...]) -> Any:
    import inspect

    return inspect.Signature([inspect.Parameter(p, inspect.Parameter.POSITIONAL_ONLY) for p in params])


_ONE = ("x",)
_REAL: dict[str, tuple[Callable[..., float], tuple[str, ...]]] = {
    "sqrt": (math.sqrt, _ONE),
    "cbrt": (lambda x: math.copysign(abs(x) ** (1 / 3), x), _ONE),
    "exp": (math.exp, _ONE),
    "log2": (math.log2, _ONE),
    "log10": (math.log10, _ONE),
    "sin": (math.sin, _ONE),
    "cos": (math.cos, _ONE),
    "tan": (math.tan, _ONE),
    "asin": (math.asin, _ONE),
    "acos": (math.acos, _ONE),
    "atan": (math.atan, _ONE),
    "atan2": (math.atan2, ("y", "x")),
    "sinh": (math.sinh, _ONE),
    "cosh": (math.cosh, _ONE),
    "tanh": (math.tanh, _ONE),
    "hypot": (math.hypot, ("x", "y")),
    "degrees": (math.degrees, _ONE),
    "radians": (math.radians, _ONE),
}


def log(x: Any, base: Any = None) -> float:
    """The natural logarithm, or the logarithm in `base`."""
    value = _num(x, "math.log")
    try:
        return math.log(value) if base is None else math.log(value, _num(base, "math.log", "base"))
    except (ValueError, ZeroDivisionError):
        raise GraphoidError("ValueError", f"math.log({value}{'' if base is None else f', {base}'}) is outside the function's domain") from None


def pow_(base: Any, exponent: Any) -> Any:
    """`base` to the power `exponent` (whole numbers stay whole)."""
    b, e = _num(base, "math.pow", "base"), _num(exponent, "math.pow", "exponent")
    limits.check_power(b, e)
    try:
        result = b**e
    except ZeroDivisionError:
        raise GraphoidError("ValueError", "math.pow(): 0 to a negative power is undefined") from None
    except OverflowError:
        raise GraphoidError("ValueError", "math.pow(): the result is too large") from None
    if isinstance(result, complex):
        raise GraphoidError("ValueError", f"math.pow({b}, {e}) has no real value")
    return result


def floor(x: Any) -> int:
    return _whole(math.floor, x, "math.floor")


def ceil(x: Any) -> int:
    return _whole(math.ceil, x, "math.ceil")


def trunc(x: Any) -> int:
    return _whole(math.trunc, x, "math.trunc")


def _whole(fn: Callable[[Any], int], x: Any, where: str) -> int:
    value = _num(x, where)
    if not math.isfinite(value):
        raise GraphoidError("ValueError", f"{where}() cannot make {value} a whole number")
    return fn(value)


def round_(x: Any, digits: Any = 0) -> Any:
    """`x` rounded half away from zero to `digits` decimals (a whole number for 0)."""
    value = _num(x, "math.round")
    places = expect_int(digits, "math.round", "digits")
    if not math.isfinite(value):
        return value
    scale = 10.0**places
    rounded = math.floor(abs(value) * scale + 0.5) / scale
    rounded = math.copysign(rounded, value)
    return int(rounded) if places <= 0 else rounded


def abs_(x: Any) -> Any:
    return abs(_num(x, "math.abs"))


def sign(x: Any) -> int:
    """-1, 0 or 1."""
    value = _num(x, "math.sign")
    return (value > 0) - (value < 0)


def clamp(x: Any, low: Any, high: Any) -> Any:
    """`x` limited to [low, high]."""
    value, lo, hi = _num(x, "math.clamp"), _num(low, "math.clamp", "low"), _num(high, "math.clamp", "high")
    if lo > hi:
        raise GraphoidError("ValueError", f"math.clamp() needs low <= high, got {lo} and {hi}")
    return lo if value < lo else hi if value > hi else value


def _numbers(values: tuple[Any, ...], where: str) -> list[Any]:
    items = list(values[0]) if len(values) == 1 and isinstance(values[0], list) else list(values)
    if not items:
        raise GraphoidError("ValueError", f"{where}() needs at least one number")
    return [_num(v, where, "values") for v in items]


def min_(*values: Any) -> Any:
    """The smallest of the numbers (or of one list of numbers)."""
    return min(_numbers(values, "math.min"))


def max_(*values: Any) -> Any:
    """The largest of the numbers (or of one list of numbers)."""
    return max(_numbers(values, "math.max"))


def sum_(values: Any) -> Any:
    """The sum of a list of numbers (exact for floats: no rounding drift)."""
    items = [_num(v, "math.sum", "values") for v in expect(values, "list", "math.sum", "values")]
    return math.fsum(items) if any(isinstance(v, float) for v in items) else sum(items)


def _bounded_int(value: Any, where: str, param: str = "n") -> int:
    n = expect_int(value, where, param, minimum=0)
    if n > MAX_FACTORIAL:
        raise GraphoidError("ValueError", f"{where}() supports {param} up to {MAX_FACTORIAL}, got {n}")
    return n


def factorial(n: Any) -> int:
    return math.factorial(_bounded_int(n, "math.factorial"))


def comb(n: Any, k: Any) -> int:
    """The number of ways to choose k of n."""
    return math.comb(_bounded_int(n, "math.comb"), _bounded_int(k, "math.comb", "k"))


def gcd(a: Any, b: Any) -> int:
    return math.gcd(expect_int(a, "math.gcd", "a"), expect_int(b, "math.gcd", "b"))


def lcm(a: Any, b: Any) -> int:
    return math.lcm(expect_int(a, "math.lcm", "a"), expect_int(b, "math.lcm", "b"))


def is_finite(x: Any) -> bool:
    return math.isfinite(_num(x, "math.is_finite"))


def is_close(a: Any, b: Any, tolerance: Any = 1e-9) -> bool:
    """True when a and b differ by at most `tolerance` relatively (or absolutely near 0)."""
    tol = _num(tolerance, "math.is_close", "tolerance")
    return math.isclose(_num(a, "math.is_close", "a"), _num(b, "math.is_close", "b"), rel_tol=tol, abs_tol=tol)


def module_members(interp: Any) -> dict[str, Any]:
    """The members of `import "math"`."""
    functions: dict[str, Any] = {name: _real(name, fn, params) for name, (fn, params) in _REAL.items()}
    functions.update(
        {
            "log": log,
            "pow": pow_,
            "floor": floor,
            "ceil": ceil,
            "trunc": trunc,
            "round": round_,
            "abs": abs_,
            "sign": sign,
            "clamp": clamp,
            "min": min_,
            "max": max_,
            "sum": sum_,
            "factorial": factorial,
            "comb": comb,
            "gcd": gcd,
            "lcm": lcm,
            "is_finite": is_finite,
            "is_close": is_close,
            "pi": math.pi,
            "e": math.e,
            "inf": math.inf,
        }
    )
    return members("math", functions)
