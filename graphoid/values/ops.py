"""Operator semantics behind generated code: slow paths and helpers where Python differs.

Generated code runs `+ - * / < <= > >=` as raw Python operators; only when Python's answer would
be wrong or an error (string `+`, a TypeError) does it call into this module. `//`, `%`, `**`,
bitwise operators, `==` between two non-literals, indexing fallbacks, property access and the
configure-state live here too.
"""

from __future__ import annotations

import math
import sys
from typing import Any, Callable

import attrs

from graphoid.errors import ERROR_PARENTS, GraphoidError
from graphoid.values.format import text
from graphoid.values.types import GList, GMap, Regex, Symbol
from graphoid.values.limits import check_power, regex_search
from graphoid.values.lookup import bad_index, index_out_of_range, key_not_found

_MASK64 = (1 << 64) - 1


# --------------------------------------------------------------------------- type names


def type_name(value: Any) -> str:
    """The Graphoid type name used in error messages."""
    from graphoid.values.format import type_name as _type_name

    return _type_name(value)


# --------------------------------------------------------------------------- configure state


@attrs.define(slots=True)
class Config:
    """The `configure { ... }` settings in force (pushed and popped by blocks).

    Each Interpreter owns one (with its stack) and installs it with `swap_config` while its
    code runs, so settings never leak between interpreters or into later runs.
    """

    unsigned: bool = False
    integer: bool = False
    error_mode: str = "strict"
    precision: Any = None
    extra: dict[str, Any] = attrs.field(factory=dict)
    # The interpreter's collected-errors log (`record(error)`), for `error_mode: :collect`.
    errors: Any = None


CONFIG = Config()
_CONFIG_STACK: list[Config] = []


def swap_config(state: tuple[Config, list[Config]]) -> tuple[Config, list[Config]]:
    """Install another (config, stack) as the active configure state; returns the previous one."""
    global CONFIG, _CONFIG_STACK
    previous = (CONFIG, _CONFIG_STACK)
    CONFIG, _CONFIG_STACK = state
    return previous


_FLAG_SETTINGS = {"unsigned": "unsigned", "integer": "integer"}
_ERROR_MODES = frozenset({"strict", "lenient", "collect"})


def _apply_settings(config: Config, settings: tuple[tuple[str | None, Any], ...]) -> None:
    for key, value in settings:
        flag = value.name if isinstance(value, Symbol) else None
        if key is None or (flag in _FLAG_SETTINGS and key not in ("error_mode",)):
            # A bare flag `:unsigned`, or an unknown key whose value is a flag (`integer: :integer`).
            if flag in _FLAG_SETTINGS:
                setattr(config, _FLAG_SETTINGS[flag], True)
            elif flag is not None:
                config.extra[flag] = True
            continue
        if key == "error_mode":
            if flag not in _ERROR_MODES:
                shown = f":{flag}" if flag is not None else type_name(value)
                raise GraphoidError(
                    "ValueError", f"Invalid error_mode: {shown}, expected :strict, :lenient, or :collect")
            config.error_mode = flag
        elif key in ("unsigned", "integer"):
            setattr(config, key, bool(value))
        else:
            config.extra[key] = value


def config_push(settings: tuple[tuple[str | None, Any], ...]) -> None:
    """Enter `configure { settings } { body }`: the settings hold until config_pop."""
    global CONFIG
    new = attrs.evolve(CONFIG, extra=dict(CONFIG.extra))
    _apply_settings(new, settings)  # may raise: push nothing then
    _CONFIG_STACK.append(CONFIG)
    CONFIG = new


def config_pop() -> None:
    global CONFIG
    CONFIG = _CONFIG_STACK.pop()


def config_set(settings: tuple[tuple[str | None, Any], ...]) -> None:
    """`configure { settings }` without a body: in force from here on."""
    _apply_settings(CONFIG, settings)


def precision_push(value: Any) -> None:
    global CONFIG
    _CONFIG_STACK.append(CONFIG)
    new = attrs.evolve(CONFIG, extra=dict(CONFIG.extra))
    new.precision = value.name if isinstance(value, Symbol) else value
    if new.precision == "int":
        new.integer = True
    CONFIG = new


def reset_config() -> None:
    """Back to defaults (a fresh interpreter run)."""
    global CONFIG
    CONFIG = Config()
    _CONFIG_STACK.clear()


def int_mode(value: Any) -> Any:
    """Assignment under `configure { :integer }` truncates numbers; otherwise identity."""
    if CONFIG.integer and type(value) is float and math.isfinite(value):
        return int(value)
    return value


# --------------------------------------------------------------------------- arithmetic


def _unsupported(op: str, a: Any, b: Any) -> GraphoidError:
    return GraphoidError("TypeError", f"Unsupported operation: {type_name(a)} {op} {type_name(b)}")


def _is_num(v: Any) -> bool:
    t = type(v)
    return (t is int or t is float or isinstance(v, (int, float))) and t is not bool


def add(a: Any, b: Any) -> Any:
    """Slow path of `+` (the fast path already failed with a TypeError or is not numeric)."""
    if type(a) is str or type(b) is str:
        return text(a) + text(b)
    if isinstance(a, list) and isinstance(b, list):
        return GList(list.__add__(a, b))
    if _is_num(a) and _is_num(b):
        return a + b
    raise _unsupported("+", a, b)


def _numbers(op: str, a: Any, b: Any) -> None:
    if not (_is_num(a) and _is_num(b)):
        raise _unsupported(op, a, b)


def _by_zero(message: str) -> None:
    """A zero divisor: strict raises; lenient gives none; collect records the error, gives none."""
    mode = CONFIG.error_mode
    if mode == "strict":
        raise GraphoidError("RuntimeError", message)
    if mode == "collect" and CONFIG.errors is not None:
        CONFIG.errors.record(GraphoidError("RuntimeError", message, _caller_span()))
    return None


def _caller_span() -> Any:
    """Span of the innermost running Graphoid code (cold path: collect mode only)."""
    from graphoid.values.pyerrors import _position, is_graphoid_code

    frame = sys._getframe(1)
    while frame is not None:
        if is_graphoid_code(frame.f_code):
            return _position(frame.f_code, frame.f_lasti)
        frame = frame.f_back
    return None


def div(a: Any, b: Any) -> Any:
    """`/` outside the raw fast path (element-wise forms)."""
    _numbers("/", a, b)
    if b == 0:
        return _by_zero("Division by zero")
    return a / b


def floordiv(a: Any, b: Any) -> Any:
    """`//`: division truncated toward zero."""
    _numbers("//", a, b)
    if b == 0:
        return _by_zero("Division by zero")
    if type(a) is int and type(b) is int:
        q = abs(a) // abs(b)
        return q if (a < 0) == (b < 0) else -q
    return float(math.trunc(a / b))


def mod(a: Any, b: Any) -> Any:
    """`%`: the remainder takes the dividend's sign (C fmod)."""
    _numbers("%", a, b)
    if b == 0:
        return _by_zero("Modulo by zero")
    if type(a) is int and type(b) is int:
        r = abs(a) % abs(b)
        return -r if a < 0 else r
    return math.fmod(a, b)


def power(a: Any, b: Any) -> Any:
    """`**`: real power; a complex result (negative base, fractional exponent) is NaN."""
    _numbers("**", a, b)
    if type(b) is int and b > 64:
        # A huge integer power would run for minutes inside one C call: refuse it up front.
        check_power(a, b)
    try:
        result = a ** b
    except ZeroDivisionError:
        raise GraphoidError("RuntimeError", "Division by zero") from None
    except OverflowError:
        return math.inf
    if type(result) is complex:
        return math.nan
    return result


def _to_i64(op: str, a: Any, b: Any = 0) -> tuple[int, int]:
    _numbers(op, a, b)
    try:
        x, y = int(a), int(b)
    except (OverflowError, ValueError):
        raise GraphoidError("ValueError", f"Cannot apply {op} to a non-finite number") from None
    return _wrap(x), _wrap(y)


def _wrap(x: int) -> int:
    x &= _MASK64
    return x - (1 << 64) if x >> 63 else x


def band(a: Any, b: Any) -> int:
    x, y = _to_i64("&", a, b)
    return x & y


def bor(a: Any, b: Any) -> int:
    x, y = _to_i64("|", a, b)
    return x | y


def bxor(a: Any, b: Any) -> int:
    x, y = _to_i64("^", a, b)
    return x ^ y


def shl(a: Any, b: Any) -> int:
    x, y = _to_i64("<<", a, b)
    if y < 0:
        raise GraphoidError("ValueError", "Negative shift count")
    return _wrap(x << min(y, 64))


def shr(a: Any, b: Any) -> int:
    """`>>`: arithmetic, or logical under `configure { :unsigned }`."""
    x, y = _to_i64(">>", a, b)
    if y < 0:
        raise GraphoidError("ValueError", "Negative shift count")
    if CONFIG.unsigned:
        return (x & _MASK64) >> y
    return x >> min(y, 63)


def bnot(a: Any) -> int:
    if not _is_num(a):
        raise GraphoidError("TypeError", f"Unsupported operation: ~{type_name(a)}")
    x, _ = _to_i64("~", a)
    return ~x


# --------------------------------------------------------------------------- comparison


def eq(a: Any, b: Any) -> bool:
    """`==` with no cross-type coercion (1 == true is false, 1 == 1.0 is true)."""
    ta = type(a)
    if ta is type(b) and ta is not GList and ta is not GMap:
        return a is b or a == b
    if not _EQUALS:
        from graphoid.values.format import equals

        _EQUALS.append(equals)
    return _EQUALS[0](a, b)


_EQUALS: list[Callable[[Any, Any], bool]] = []


def ne(a: Any, b: Any) -> bool:
    return not eq(a, b)


def regex_match(a: Any, pattern: Any) -> bool:
    """`a =~ pattern`: a Regex or a string pattern searched in a string."""
    if type(a) is not str:
        raise GraphoidError("TypeError", f"Unsupported operation: {type_name(a)} =~ {type_name(pattern)}")
    if isinstance(pattern, Regex):
        return regex_search(pattern.compiled, a) is not None
    if type(pattern) is str:
        import regex

        try:
            compiled = regex.compile(pattern)
        except regex.error as exc:
            raise GraphoidError("ValueError", f"Invalid regex: {exc}") from None
        return regex_search(compiled, a) is not None
    raise GraphoidError("TypeError", f"Unsupported operation: string =~ {type_name(pattern)}")


def _compare(op: str) -> Callable[[Any, Any], bool]:
    import operator

    fn = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}[op]

    def compare(a: Any, b: Any) -> bool:
        if (_is_num(a) and _is_num(b)) or (type(a) is str and type(b) is str):
            return fn(a, b)
        raise _unsupported(op, a, b)

    return compare


def _sub(a: Any, b: Any) -> Any:
    _numbers("-", a, b)
    return a - b


def _mul(a: Any, b: Any) -> Any:
    _numbers("*", a, b)
    return a * b


_ELEMENTWISE: dict[str, Callable[[Any, Any], Any]] = {
    "+": add, "-": _sub, "*": _mul, "/": div, "//": floordiv, "%": mod, "**": power, "^": power,
    "==": eq, "!=": ne, "<": _compare("<"), "<=": _compare("<="), ">": _compare(">"),
    ">=": _compare(">="),
}


def elementwise(op: str, a: Any, b: Any) -> GList:
    """`.+`, `.*`, ...: apply op per element (list with list of equal length, or with a scalar)."""
    fn = _ELEMENTWISE[op]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            raise GraphoidError("ValueError", f"Element-wise .{op} needs lists of equal length ({len(a)} and {len(b)})")
        return GList([fn(x, y) for x, y in zip(a, b)])
    if isinstance(a, list):
        return GList([fn(x, b) for x in a])
    if isinstance(b, list):
        return GList([fn(a, y) for y in b])
    raise GraphoidError("TypeError", f"Element-wise .{op} needs a list operand")


# --------------------------------------------------------------------------- indexing


def _int_index(index: Any, length: int) -> int:
    if type(index) is float and index.is_integer():
        index = int(index)
    if type(index) is not int and not (isinstance(index, int) and type(index) is not bool):
        raise bad_index(index)
    if index < -length or index >= length:
        raise index_out_of_range(index, length)
    return index


def index(obj: Any, key: Any) -> Any:
    """`obj[key]` after the raw fast path failed: floats, bounds, maps, graphs, errors."""
    if isinstance(obj, (list, str)):
        return obj[_int_index(key, len(obj))]
    if isinstance(obj, dict):
        if type(key) is not str:
            raise GraphoidError("TypeError", f"Map keys are strings, not {type_name(key)}")
        try:
            return obj[key]
        except KeyError:
            raise key_not_found(key, obj) from None
    getter = getattr(type(obj), "__getitem__", None)
    if getter is not None and not isinstance(obj, (int, float)):
        return obj[key]
    raise GraphoidError("TypeError", f"Cannot index {type_name(obj)}")


def _ruled(container: Any, value: Any) -> Any:
    """A value entering a list or map passes through the container's behaviour rules."""
    if getattr(container, "rules", None):
        from graphoid.values.methods.rules import transform_one

        return transform_one(container, value)
    return value


def set_index(obj: Any, key: Any, value: Any, unique: bool) -> Any:
    """`obj[key] = value` under copy-on-write; returns the container to rebind."""
    if type(obj) is GMap and type(key) is str:
        # A map store the compiler could not do in place, mostly the first store into a shared
        # map (`stats = by_city[c]` then `stats[k] = v`): the general branch below, inlined.
        if obj.frozen:
            raise GraphoidError("RuntimeError", "Cannot modify a frozen map")
        target = obj if unique else obj.copy()
        target[key] = value if obj.rules is None else _ruled(obj, value)
        return target
    if isinstance(obj, list):
        key = _int_index(key, len(obj))
        if obj.frozen if type(obj) is GList else False:
            raise GraphoidError("RuntimeError", "Cannot modify a frozen list")
        target = obj if unique else obj.copy()
        target[key] = _ruled(obj, value)
        return target
    if isinstance(obj, dict):
        if type(key) is not str:
            raise GraphoidError("TypeError", f"Map keys are strings, not {type_name(key)}")
        if obj.frozen if type(obj) is GMap else False:
            raise GraphoidError("RuntimeError", "Cannot modify a frozen map")
        target = obj if unique else obj.copy()
        target[key] = _ruled(obj, value)
        return target
    if type(obj) is str:
        raise GraphoidError("TypeError", "Strings are immutable; index assignment is not allowed")
    setter = getattr(type(obj), "__setitem__", None)
    if setter is not None:
        obj[key] = value
        return obj
    raise GraphoidError("TypeError", f"Cannot index-assign into {type_name(obj)}")


# --------------------------------------------------------------------------- properties


# The graph class, registered by the graph package when it loads (the value layer never imports
# graphs); until then no value can be a graph, and isinstance against () is False.
_GRAPH_TYPE: tuple[type, ...] = ()


def register_graph_type(graph_type: type) -> None:
    """Called once by graphoid.graphs: values of this class are graphs (reference values)."""
    global _GRAPH_TYPE
    _GRAPH_TYPE = (graph_type,)


def _graph_type() -> tuple[type, ...]:
    return _GRAPH_TYPE


def is_ref(value: Any) -> bool:
    """True for reference types (graphs): their members mutate in place, no copy needed."""
    return isinstance(value, _graph_type())


def get_attr(obj: Any, name: str) -> Any:
    """`obj.name`: map key, graph property then data node (else none), module member."""
    if isinstance(obj, dict):
        try:
            return obj[name]
        except KeyError:
            raise key_not_found(name, obj) from None
    if isinstance(obj, _graph_type()):
        return obj.get_property(name, None)
    member = getattr(type(obj), "get_member", None)  # modules (and other namespaces)
    if member is not None:
        return member(obj, name)
    if isinstance(obj, GraphoidError):
        from graphoid.values.methods import call_method

        return call_method(obj, name, (), None)
    raise GraphoidError("TypeError", f"Cannot read property '{name}' of {type_name(obj)}")


def set_attr(obj: Any, name: str, value: Any, unique: bool) -> Any:
    """`obj.name = value`; returns the object to rebind (a copy for a shared map)."""
    if isinstance(obj, dict):
        if obj.frozen if type(obj) is GMap else False:
            raise GraphoidError("RuntimeError", "Cannot modify a frozen map")
        target = obj if unique else obj.copy()
        target[name] = value
        return target
    if isinstance(obj, _graph_type()):
        obj.set_property(name, value)
        return obj
    setter = getattr(type(obj), "set_member", None)
    if setter is not None:
        setter(obj, name, value)
        return obj
    raise GraphoidError("TypeError", f"Cannot set property '{name}' on {type_name(obj)}")


# --------------------------------------------------------------------------- iteration


def iterate(value: Any) -> Any:
    """What `for x in value` walks: lists, strings (chars), map keys, graph data node ids."""
    t = type(value)
    if t is GList or t is str:
        return value
    if isinstance(value, (list, str)):
        return value
    if isinstance(value, dict):
        return list(value)
    if isinstance(value, _graph_type()):
        return value.node_ids()
    iterator = getattr(type(value), "gd_iter", None)
    if iterator is not None:
        return iterator(value)
    raise GraphoidError("TypeError", f"Cannot iterate over {type_name(value)}")


# --------------------------------------------------------------------------- raise


def raise_value(value: Any) -> GraphoidError:
    """The exception `raise value` throws: an error value, a string message, else a TypeError."""
    if isinstance(value, GraphoidError):
        return value
    if type(value) is str:
        # `raise "FileError: gone"` raises a FileError (the reference reads the kind from the text).
        kind, separator, message = value.partition(": ")
        if separator and kind in ERROR_PARENTS and kind != "Error":
            return GraphoidError(kind, message)
        return GraphoidError("RuntimeError", value)
    return GraphoidError("TypeError", f"Cannot raise {type_name(value)}; raise an error or a string")
