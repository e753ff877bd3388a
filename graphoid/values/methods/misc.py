"""Methods of none, bool, symbol, function, regex and error values, and the universal methods
every value answers to (`to_string`, `type`, `to_num`, `freeze`, ...)."""

from __future__ import annotations

import math
import re
import types
from typing import Any

from graphoid.errors import GraphoidError
from graphoid.values.format import display, is_truthy, to_string, type_name, type_of
from graphoid.values.methods.common import want_string
from graphoid.values.methods.registry import method, universal
from graphoid.values.types import BigNum, GList, GMap, Regex, Symbol
from graphoid.values.limits import regex_search

# ---------------------------------------------------------------------------------------------
# universal methods


@universal("to_string")
def to_string_method(v: Any) -> str:
    return to_string(v)


@universal("to_str")
def to_str_method(v: Any) -> str:
    return to_string(v)


@universal("display")
def display_method(v: Any) -> str:
    return display(v)


@universal("type")
def type_method(v: Any) -> str:
    return type_of(v)


@universal("type_name")
def type_name_method(v: Any) -> str:
    return type_name(v)


@universal("to_bool")
def to_bool(v: Any) -> bool:
    return is_truthy(v)


_FLOAT_TEXT = re.compile(r"[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf|infinity|nan)", re.I)
_INT_TEXT = re.compile(r"[+-]?\d+")


def parse_number(text: str) -> int | float | None:
    """Rust `str::parse::<f64>` rules: no surrounding spaces, no underscores; None if invalid."""
    if _INT_TEXT.fullmatch(text):
        n = int(text)
        # "-0" is the float -0.0 in the reference (it prints as -0).
        return -0.0 if n == 0 and text.startswith("-") else n
    if _FLOAT_TEXT.fullmatch(text):
        return float(text)
    return None


@universal("to_num")
def to_num(v: Any) -> Any:
    """Numbers as is; strings parsed (invalid -> none); bools 1/0; none 0; collections length."""
    t = type(v)
    if t is int or t is float:
        return v
    if t is BigNum:
        return int(v)
    if t is str:
        return parse_number(v)
    if t is bool:
        return 1 if v else 0
    if isinstance(v, (list, dict)):
        return len(v)
    return 0


def deep_freeze(v: Any, shallow: bool = False) -> Any:
    """A frozen copy of a list/map (elements frozen too unless `shallow`); other values as is."""
    t = type(v)
    try:
        if t is GList:
            out = GList(v if shallow else [deep_freeze(x) for x in v])
        elif t is GMap:
            out = GMap(v if shallow else {k: deep_freeze(x) for k, x in v.items()})
        else:
            freeze = getattr(v, "freeze", None)
            if freeze is not None and callable(freeze) and not isinstance(v, (str, int, float)):
                return freeze()
            return v
    except RecursionError:
        from graphoid.values.deep import rebuild

        return rebuild(v, deep_freeze, _frozen_list, _frozen_map)
    return _frozen_like(v, out)


def _frozen_like(original: Any, out: Any) -> Any:
    out.rules = original.rules
    out.frozen = True
    return out


def _frozen_list(original: Any, items: list[Any]) -> Any:
    # Plain lists and tuples are not Graphoid values of their own; deep_freeze keeps them.
    return _frozen_like(original, GList(items)) if type(original) is GList else original


def _frozen_map(original: Any, pairs: list[tuple[str, Any]]) -> Any:
    return _frozen_like(original, GMap(pairs)) if type(original) is GMap else original


@universal("freeze")
def freeze(v: Any) -> Any:
    from graphoid.values.methods.rules import has_rule

    shallow = type(v) in (GList, GMap) and has_rule(v, "shallow_freeze_only")
    return deep_freeze(v, shallow)


@universal("is_frozen")
def is_frozen(v: Any) -> bool:
    flag = getattr(v, "frozen", False)
    if callable(flag):
        return bool(flag())
    return bool(flag)


def _children(v: Any) -> list:
    if type(v) is GList:
        return list(v)
    if type(v) is GMap:
        return list(v.values())
    return []


def _count_frozen(v: Any, deep: bool, counts: list[int]) -> None:
    """Accumulate [frozen, frozen collections, frozen primitives] over v's elements."""
    for child in _children(v):
        if is_frozen(child):
            counts[0] += 1
            if isinstance(child, (list, dict)) or hasattr(child, "node_count"):
                counts[1] += 1
            else:
                counts[2] += 1
        if deep:
            _count_frozen(child, deep, counts)


def _any_frozen(v: Any) -> bool:
    return is_frozen(v) or any(_any_frozen(child) for child in _children(v))


@universal("has_frozen")
def has_frozen(v: Any, mode: Any = None, depth: Any = None) -> Any:
    """Whether the value or anything nested in it is frozen. With `:count` (and optionally
    `:deep` to look below the first level) a map of counts, as in the reference."""
    if not (type(mode) is Symbol and mode.name == "count"):
        return _any_frozen(v)
    counts = [0, 0, 0]
    _count_frozen(v, type(depth) is Symbol and depth.name == "deep", counts)
    return GMap(
        {
            "has_frozen": counts[0] > 0,
            "frozen_count": counts[0],
            "frozen_collections": counts[1],
            "frozen_primitives": counts[2],
        }
    )


@universal("to_bignum")
def to_bignum(v: Any) -> Any:
    t = type(v)
    if t is BigNum:
        return v
    if t is int:
        return BigNum(v)
    if t is float:
        if v.is_integer():
            return BigNum(int(v))
        return v
    if t is str:
        parsed = parse_number(v)
        if parsed is None:
            raise GraphoidError("ValueError", f"Cannot convert '{v}' to bignum")
        return to_bignum(parsed)
    if t is bool:
        return BigNum(1 if v else 0)
    raise GraphoidError("TypeError", f"Cannot convert {type_name(v)} to bignum")


@universal("is_bignum")
def is_bignum(v: Any) -> bool:
    return type(v) is BigNum


@universal("fits_in_num")
def fits_in_num(v: Any) -> bool:
    t = type(v)
    if t is int or t is float:
        return True
    if t is BigNum:
        try:
            return math.isfinite(float(v))
        except OverflowError:
            return False
    return False


# ---------------------------------------------------------------------------------------------
# none, bool, symbol


@method(Symbol, "name")
def symbol_name(s: Symbol) -> str:
    return s.name


@method(bool, "not")
def bool_not(b: bool) -> bool:
    return not b


@method(type(None), "is_none")
@method(bool, "is_none")
@method(Symbol, "is_none")
def is_none(v: Any) -> bool:
    return v is None


# ---------------------------------------------------------------------------------------------
# functions (any Python callable that is not another kind of value)


@method(types.FunctionType, "call")
def fn_call(fn: Any, *args: Any, **kwargs: Any) -> Any:
    return fn(*args, **kwargs)


@method(types.FunctionType, "name")
def fn_name(fn: Any) -> Any:
    name = getattr(fn, "_gd_name", None)
    if name is None and not hasattr(fn, "_gd_name"):
        return getattr(fn, "__name__", None)
    return name


@method(types.FunctionType, "params", "parameters")
def fn_params(fn: Any) -> GList:
    return GList(getattr(fn, "_gd_params", ()) or ())


@method(types.FunctionType, "arity")
def fn_arity(fn: Any) -> int:
    return len(getattr(fn, "_gd_params", ()) or ())


# ---------------------------------------------------------------------------------------------
# regex


@method(Regex, "source")
def regex_source(r: Regex) -> str:
    return r.source


@method(Regex, "flags")
def regex_flags(r: Regex) -> str:
    return r.flags


@method(Regex, "test", "matches")
def regex_test(r: Regex, text: Any) -> bool:
    return regex_search(r.compiled, want_string("test", text)) is not None


# ---------------------------------------------------------------------------------------------
# errors


@method(GraphoidError, "message")
def error_message(e: GraphoidError) -> str:
    return e.message


@method(GraphoidError, "type")
def error_type(e: GraphoidError) -> str:
    return e.kind


@method(GraphoidError, "is_kind")
def error_is_kind(e: GraphoidError, kind: Any) -> bool:
    """Whether the error is of kind `kind` or a kind below it (what `catch kind` catches)."""
    from graphoid.errors import is_subkind

    if not isinstance(kind, str):
        raise GraphoidError("TypeError", "is_kind() expects an error kind name (a string)")
    return is_subkind(e.kind, kind)


@method(GraphoidError, "file")
def error_file(e: GraphoidError) -> Any:
    return e.span.file if e.span is not None else None


@method(GraphoidError, "line")
def error_line(e: GraphoidError) -> int:
    return e.span.line if e.span is not None else 0


@method(GraphoidError, "column")
def error_column(e: GraphoidError) -> int:
    return e.span.col if e.span is not None else 0


@method(GraphoidError, "stack")
def error_stack(e: GraphoidError) -> GList:
    """The Graphoid call stack, innermost first: a map per frame (function, file, line,
    column); an elision marker's map says how many frames it stands for (`elided`)."""
    frames = GList()
    for entry in reversed(e.trace):
        frame = GMap(function=entry.function, file=entry.span.file, line=entry.span.line, column=entry.span.col)
        if entry.elided:
            frame["elided"] = entry.elided
        frames.append(frame)
    return frames


@method(GraphoidError, "stack_trace")
def error_stack_trace(e: GraphoidError) -> str:
    lines = [e.display()]
    for entry in reversed(e.trace):
        if entry.elided:
            lines.append(f"  {entry.elision_text()}")
        else:
            lines.append(f"  at {entry.function} ({entry.span.file}:{entry.span.line}:{entry.span.col})")
    return "\n".join(lines)


@method(GraphoidError, "cause")
def error_cause(e: GraphoidError) -> Any:
    return e.cause


@method(GraphoidError, "caused_by")
def error_caused_by(e: GraphoidError, cause: Any) -> GraphoidError:
    """A copy of this error whose cause is `cause`."""
    if not isinstance(cause, GraphoidError):
        raise GraphoidError("TypeError", f"Error.caused_by() expects an error argument, got {type_name(cause)}")
    new = GraphoidError(e.kind, e.message, e.span, cause=cause, trace=e.trace, hint=e.hint)
    return new


@method(GraphoidError, "full_chain")
def error_full_chain(e: GraphoidError) -> str:
    """`Kind: message`, then one `Caused by: Kind: message` line per cause."""
    parts = [e.display()]
    cause = e.cause
    while cause is not None:
        parts.append(f"Caused by: {cause.display()}")
        cause = cause.cause
    return "\n".join(parts)
