"""Text forms of Graphoid values and the value predicates every package shares.

Three text forms exist, as in the reference:
- `format_number(n)`: Rust-style numbers (`5`, `0.5`, `-0`, never `5.0`, never exponent form);
- `display(v)`: what `print` and string `+` show (strings raw, lists of display forms);
- `to_string(v)`: the `.to_string()` method (lists quote strings and show nested values by type
  name; `none` gives "").

Dispatch is a dict keyed by exact Python type so the hot path is one lookup.
"""

from __future__ import annotations

from types import CodeType
from typing import TYPE_CHECKING, Any, Callable

from graphoid.errors import GraphoidError
from graphoid.values.types import BigNum, GList, GMap, Regex, Symbol

if TYPE_CHECKING:
    from decimal import Decimal

# `decimal` is imported by the two rare paths below that need it (ints above 4300 digits,
# floats whose repr has an exponent), not at start-up (test_cli checks).

# ---------------------------------------------------------------------------------------------
# numbers


def int_text(n: int) -> str:
    try:
        return str(n)
    except ValueError:
        # CPython refuses str() of ints above 4300 digits; split into chunks it accepts.
        return _huge_int_text(n)


def _huge_int_text(n: int) -> str:
    """Decimal digits of a big int in sub-quadratic time.

    CPython 3.11 converts ints to text in quadratic time (11 s for a million digits). The
    `decimal` module multiplies huge numbers fast, so build the value there from binary
    halves, n = high * 2**k + low, and let it print the digits.
    """
    if n < 0:
        return "-" + _huge_int_text(-n)
    import decimal

    with decimal.localcontext() as context:
        context.prec = decimal.MAX_PREC
        context.Emax = decimal.MAX_EMAX
        powers: dict[int, Decimal] = {}
        return str(_to_decimal(n, n.bit_length(), powers))


# Below this many bits an int converts directly (str() accepts up to 4300 digits).
_DIRECT_BITS = 8192


def _to_decimal(n: int, bits: int, powers: dict[int, Decimal]) -> Decimal:
    """n (at most `bits` wide) as an exact Decimal; `powers` caches 2**k as Decimals."""
    from decimal import Decimal

    if bits <= _DIRECT_BITS:
        return Decimal(str(n))
    # Split at a power of two so the same few 2**k serve every level of the recursion.
    half = 1 << ((bits - 1).bit_length() - 1)
    power = powers.get(half)
    if power is None:
        power = powers[half] = Decimal(2) ** half
    high = _to_decimal(n >> half, bits - half, powers)
    low = _to_decimal(n & ((1 << half) - 1), half, powers)
    return high * power + low


def format_float(n: float) -> str:
    """A float the way Rust's `Display` prints it: shortest round-trip, no exponent."""
    if n.is_integer():  # false for inf and NaN
        # Exact decimal expansion of the integral value, keeping the sign of -0.0.
        return f"{n:.0f}"
    text = repr(n)  # "inf", "-inf" and "nan" for the non-finite ones
    if "e" in text:
        from decimal import Decimal

        return format(Decimal(text), "f")
    return "NaN" if text == "nan" else text


def format_number(n: Any) -> str:
    """`5` for 5 and 5.0, `0.5`, `-0`, `0.0000001`, `1000000000000000000000`, `inf`, `NaN`."""
    if type(n) is float:
        return format_float(n)
    return int_text(int(n))


# ---------------------------------------------------------------------------------------------
# display form (print, string +, join)


def _display_list(v: list) -> str:
    return "[" + ", ".join([display(x) for x in v]) + "]"


def _display_map(v: dict) -> str:
    return "{" + ", ".join([f'"{k}": {display(x)}' for k, x in v.items()]) + "}"


def function_text(fn: Any) -> str:
    """`<function name>` for named functions, `<lambda(a, b)>` for anonymous ones."""
    name = getattr(fn, "_gd_name", _MISSING)
    if name is _MISSING:
        name = getattr(fn, "__name__", None) or "native"
        return f"<function {name}>"
    if name is None:
        params = getattr(fn, "_gd_params", ()) or ()
        return f"<lambda({', '.join(params)})>"
    return f"<function {name}>"


_MISSING = object()


def function_label(fn: Any) -> str:
    """How messages name a function: its Graphoid name, else `<lambda at file:line>`."""
    name = getattr(fn, "_gd_name", None)
    if isinstance(name, str):
        return name
    code = getattr(fn, "__code__", None)
    if code is not None and hasattr(fn, "_gd_name"):
        return lambda_label(code)
    if hasattr(type(fn), "display"):
        return display(fn)
    # A host callable handed in from Python: its own name when it has a usable one.
    native = getattr(fn, "__name__", "")
    return native if isinstance(native, str) and native.isidentifier() else "<native function>"


def lambda_label(code: CodeType) -> str:
    """`<lambda at file:line>` for the compiled code of an anonymous function."""
    return f"<lambda at {code.co_filename}:{code.co_firstlineno}>"


def describe(v: Any) -> str:
    """A value as an error message quotes it: its display form, except that a lambda is
    `<lambda at file:line>` (never a Python repr such as `<function _rt_f0 at 0x...>`)."""
    if type(v) is str:
        return v
    if callable(v) and getattr(v, "_gd_name", _MISSING) is None:
        return function_label(v)
    return display(v)


def _display_other(v: Any) -> str:
    # Looked up on the type: a runtime class (not an instance) must not answer with its method.
    shown = getattr(type(v), "display", None)
    if shown is not None and callable(shown):
        return shown(v)
    if hasattr(v, "node_count") and hasattr(v, "edge_count"):
        return f"<graph: {v.node_count()} nodes, {v.edge_count()} edges>"
    if callable(v):
        return function_text(v)
    return str(v)


_DISPLAY: dict[type, Callable[[Any], str]] = {
    str: lambda v: v,
    type(None): lambda v: "none",
    bool: lambda v: "true" if v else "false",
    int: int_text,
    BigNum: int_text,
    float: format_float,
    Symbol: lambda v: ":" + v.name,
    GList: _display_list,
    list: _display_list,
    tuple: _display_list,
    GMap: _display_map,
    dict: _display_map,
    Regex: lambda v: f"/{v.source}/{v.flags}",
    GraphoidError: lambda v: v.display(),
}


def text(v: Any) -> str:
    """display(v) for the other side of a string `+`: strings, numbers and bools without the dispatch."""
    t = type(v)
    if t is str:
        return v
    if t is int:
        # int_text(v) without its frame: `"text " + n` is common in loops
        try:
            return str(v)
        except ValueError:
            return _huge_int_text(v)
    if t is float:
        return format_float(v)
    if t is bool:
        return "true" if v else "false"
    return display(v)


def display(v: Any) -> str:
    """The print form of any value."""
    try:
        fn = _DISPLAY.get(type(v))
        if fn is not None:
            return fn(v)
        if isinstance(v, GraphoidError):
            return v.display()
        return _display_other(v)
    except RecursionError:
        return _display_deep(v)


def _display_deep(v: Any) -> str:
    """display() for values nested deeper than the Python stack (graphoid.values.deep)."""
    from graphoid.values.deep import rebuild

    return rebuild(
        v,
        display,
        lambda _, items: "[" + ", ".join(items) + "]",
        lambda _, pairs: "{" + ", ".join([f'"{k}": {x}' for k, x in pairs]) + "}",
    )


def register_display(py_type: type, fn: Callable[[Any], str]) -> None:
    """Give a runtime type (graph, module, pattern, ...) its display form."""
    _DISPLAY[py_type] = fn


# ---------------------------------------------------------------------------------------------
# .to_string() form


def _element_to_string(v: Any) -> str:
    t = type(v)
    if t is str:
        return f'"{v}"'
    if t is int or t is float or t is BigNum:
        return format_number(v)
    if t is bool:
        return "true" if v else "false"
    if v is None:
        return "none"
    # The reference names every other element by its type (`[list, symbol]`).
    return type_name(v)


def to_string(v: Any) -> str:
    """The `.to_string()` form; differs from `display` for none and for lists."""
    t = type(v)
    if t is str:
        return v
    if v is None:
        return ""
    if t is GList or t is list or t is tuple:
        return "[" + ", ".join([_element_to_string(x) for x in v]) + "]"
    return display(v)


# ---------------------------------------------------------------------------------------------
# type names, truthiness, equality

_TYPE_NAMES: dict[type, str] = {
    type(None): "none",
    bool: "bool",
    int: "num",
    float: "num",
    BigNum: "bignum",
    str: "string",
    Symbol: "symbol",
    GList: "list",
    list: "list",
    tuple: "list",
    GMap: "map",
    dict: "map",
    Regex: "regex",
}


def type_name(v: Any) -> str:
    """The name `.type_name()` reports (`num`, `string`, `list`, ..., `error` for errors)."""
    name = _TYPE_NAMES.get(type(v))
    if name is not None:
        return name
    declared = getattr(type(v), "gd_type_name", None)
    if isinstance(declared, str):
        return declared
    if isinstance(v, GraphoidError):
        return "error"
    if hasattr(v, "node_count") and hasattr(v, "call"):
        return "graph"
    if callable(v):
        return "function"
    return type(v).__name__.lower()


def type_of(v: Any) -> str:
    """`.type()`: like `type_name` except that an error reports its kind (`ValueError`)."""
    if isinstance(v, GraphoidError):
        return v.kind
    return type_name(v)


def register_type_name(py_type: type, name: str) -> None:
    """Name a runtime type for `type()`/`type_name()`."""
    _TYPE_NAMES[py_type] = name


def is_truthy(v: Any) -> bool:
    """false, none, 0, "", empty list/map and empty graphs are falsy; everything else truthy."""
    # Python's own truth protocol matches the reference rule for every built-in value; graphs
    # provide __bool__ (node count > 0), functions/symbols/errors have none and are truthy.
    return bool(v)


def equals(a: Any, b: Any) -> bool:
    """Graphoid `==`: structural, numbers by value, no cross-type coercion (1 != true)."""
    try:
        ta = type(a)
        tb = type(b)
        if ta is tb:
            if ta is GList or ta is list or ta is tuple:
                return len(a) == len(b) and all(equals(x, y) for x, y in zip(a, b))
            if ta is GMap or ta is dict:
                if len(a) != len(b):
                    return False
                for key, x in a.items():
                    if key not in b or not equals(x, b[key]):
                        return False
                return True
            return a is b or a == b
        if ta in _NUMERIC and tb in _NUMERIC:
            return a == b
        if ta in _SEQUENCE and tb in _SEQUENCE:
            return len(a) == len(b) and all(equals(x, y) for x, y in zip(a, b))
        if ta in _MAPPING and tb in _MAPPING:
            return len(a) == len(b) and all(k in b and equals(x, b[k]) for k, x in a.items())
        if ta is bool or tb is bool or a is None or b is None:
            return False
        if isinstance(a, GraphoidError) or isinstance(b, GraphoidError):
            return a is b
        if hasattr(a, "call") and hasattr(b, "call"):
            return a == b
        return False
    except RecursionError:
        from graphoid.values.deep import all_pairs_equal

        # Leaves compare with equals itself: for non-containers it does not recurse.
        return all_pairs_equal(a, b, equals, _SEQUENCE, _MAPPING)


_NUMERIC = frozenset((int, float, BigNum))
_SEQUENCE = frozenset((GList, list, tuple))
_MAPPING = frozenset((GMap, dict))
