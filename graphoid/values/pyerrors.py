"""Turn Python exceptions escaping generated code into GraphoidErrors.

Generated code keeps Graphoid line/column positions on every Python AST node, so the traceback
of any exception tells where in the Graphoid source each frame was. This module maps exception
types to Graphoid kinds and messages, recovers the span of the innermost Graphoid frame and the
Graphoid stack (function names and call sites). It never recurses, so it is safe right after a
RecursionError.
"""

from __future__ import annotations

import functools
import re
import sys
import weakref
from types import CodeType, TracebackType
from typing import Any

from graphoid.errors import GraphoidError, TraceEntry, did_you_mean, is_subkind
from graphoid.values.format import describe
from graphoid.values.lookup import key_not_found
from graphoid.syntax.ast import Span

# Python stack depth budget for Graphoid code: deep enough for real recursion, shallow enough
# that frames which pass through C (method tables calling back into Graphoid) fit the C stack.
RECURSION_LIMIT = 12000
_TRACE_KEEP = 20
_REPEAT_KEEP = 3
# An elision marker names the functions it stands for when there are at most this many.
_NAMES_SHOWN = 3

_GRAPHOID_FILES: set[str] = set()
# Python code object name -> Graphoid function name, for names the compiler had to mangle.
_FUNCTION_NAMES: "weakref.WeakKeyDictionary[CodeType, str]" = weakref.WeakKeyDictionary()
_LABELS_BY_NAME: dict[str, str] = {}


def ensure_recursion_limit() -> None:
    """Raise the interpreter's recursion limit to RECURSION_LIMIT (never lowers it)."""
    if sys.getrecursionlimit() < RECURSION_LIMIT:
        sys.setrecursionlimit(RECURSION_LIMIT)


def register_file(filename: str) -> None:
    """Mark code compiled under `filename` as Graphoid code (for span and stack recovery)."""
    _GRAPHOID_FILES.add(filename)


def is_graphoid_code(code: CodeType) -> bool:
    """Was `code` compiled from Graphoid source?"""
    return code.co_filename in _GRAPHOID_FILES


_PY_TYPE_NAMES = {
    "int": "num", "float": "num", "BigNum": "num", "str": "string", "NoneType": "none",
    "bool": "bool", "GList": "list", "list": "list", "GMap": "map", "dict": "map",
    "function": "function", "Graph": "graph", "Symbol": "symbol", "Regex": "regex",
    "GraphoidError": "error", "tuple": "list", "Overload": "function", "Module": "module",
    "builtin_function_or_method": "function", "method": "function",
}

class _LazyPattern:
    """A regex compiled on its first use: most runs never translate a Python error, and
    compiling these at import would cost start-up time."""

    __slots__ = ("_source", "_compiled")

    def __init__(self, source: str) -> None:
        self._source = source
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(self._source)
        return getattr(self._compiled, name)


_BINOP = _LazyPattern(r"unsupported operand type\(s\) for ([^:]+): '(\w+)' and '(\w+)'")
_COMPARE = _LazyPattern(r"'([<>=!]+)' not supported between instances of '(\w+)' and '(\w+)'")
_UNARY = _LazyPattern(r"bad operand type for unary ([-+~]): '(\w+)'")
_ARITY = _LazyPattern(r"(\S+?)\(\) takes (?:from \d+ to )?(\d+) positional arguments? but (\d+) (?:was|were) given")
_KWARG = _LazyPattern(r"(\S+?)\(\) got an unexpected keyword argument '(\w+)'")
_MISSING_ARGS = _LazyPattern(r"(\S+?)\(\) missing (\d+) required positional arguments?: (.*)")
_MULTI = _LazyPattern(r"(\S+?)\(\) got multiple values for argument '(\w+)'")
_NOT_CALLABLE = _LazyPattern(r"'(\w+)' object is not callable")
_CONCAT = _LazyPattern(r'can only concatenate (\w+) \(not "(\w+)"\) to \w+')
_NAME = _LazyPattern(r"(?:name|local variable|free variable) '(\w+)'")
_NOT_ITERABLE = _LazyPattern(r"^'(\w+)' object is not iterable")
_NOT_CONTAINER = _LazyPattern(r"^argument of type '(\w+)' is not iterable")
_UNHASHABLE = _LazyPattern(r"^unhashable type: '(\w+)'")
_NOT_INDEXABLE = _LazyPattern(r"^'(\w+)' object is not subscriptable")
_NO_ITEM_ASSIGNMENT = _LazyPattern(r"^'(\w+)' object does not support item assignment")
_SEQUENCE_TIMES = _LazyPattern(r"^can't multiply sequence by non-int")
_NO_LENGTH = _LazyPattern(r"^object of type '(\w+)' has no len\(\)")
# CPython's guard against quadratic int <-> str conversions (sys.set_int_max_str_digits).
_TOO_MANY_DIGITS = _LazyPattern(r"^Exceeds the limit \((\d+) digits\) for integer string conversion(?:: value has (\d+) digits)?")


def _tname(py_name: str) -> str:
    return _PY_TYPE_NAMES.get(py_name, py_name.lower())


def _gd_name(py_name: str) -> str:
    name = py_name.rsplit(".", 1)[-1]
    if name in _LABELS_BY_NAME:
        return _LABELS_BY_NAME[name]
    if name.startswith("_u_"):
        name = name[3:]
    return name


def _convert_type_error(message: str) -> tuple[str, str]:
    for pattern, build in (
        (_BINOP, lambda m: ("TypeError", f"Unsupported operation: {_tname(m[2])} {m[1].strip()} {_tname(m[3])}")),
        (_COMPARE, lambda m: ("TypeError", f"Unsupported operation: {_tname(m[2])} {m[1]} {_tname(m[3])}")),
        (_UNARY, lambda m: ("TypeError", f"Unsupported operation: {m[1]}{_tname(m[2])}")),
        (_ARITY, lambda m: ("TypeError", f"{_gd_name(m[1])}() takes {m[2]} arguments but {m[3]} were given")),
        (_KWARG, lambda m: ("TypeError", f"{_gd_name(m[1])}() got an unknown named argument '{_gd_name(m[2])}'")),
        (_MISSING_ARGS, lambda m: ("TypeError", f"{_gd_name(m[1])}() is missing {m[2]} argument(s): "
                                                   + ", ".join(_gd_name(a.strip(" '")) for a in re.split(r",| and ", m[3]) if a.strip(" '")))),
        (_MULTI, lambda m: ("TypeError", f"{_gd_name(m[1])}() got argument '{_gd_name(m[2])}' twice")),
        (_NOT_CALLABLE, lambda m: ("TypeError", f"Cannot call a {_tname(m[1])} value")),
        (_CONCAT, lambda m: ("TypeError", f"Unsupported operation: {_tname(m[1])} + {_tname(m[2])}")),
        (_NOT_ITERABLE, lambda m: ("TypeError", f"Cannot iterate over {_tname(m[1])}")),
        (_NOT_CONTAINER, lambda m: ("TypeError", f"Cannot look for a value in {_tname(m[1])}")),
        (_UNHASHABLE, lambda m: ("TypeError", f"A {_tname(m[1])} cannot be used as a key or id")),
        (_NOT_INDEXABLE, lambda m: ("TypeError", f"Cannot index {_tname(m[1])}")),
        (_NO_ITEM_ASSIGNMENT, lambda m: ("TypeError", f"Cannot assign to an element of {_tname(m[1])}")),
        (_SEQUENCE_TIMES, lambda m: ("TypeError", "A string or list can only be repeated a whole number of times")),
        (_NO_LENGTH, lambda m: ("TypeError", f"{_tname(m[1])} has no length")),
    ):
        found = pattern.search(message)
        if found:
            return build(found)
    return "TypeError", message


def _value_error(message: str) -> GraphoidError:
    digits = _TOO_MANY_DIGITS.search(message)
    if digits:
        count = f"{digits[2]} digits; " if digits[2] else ""
        return GraphoidError("ValueError", f"Number has too many digits to convert ({count}the limit is {digits[1]})")
    return GraphoidError("ValueError", message)


def _innermost_frame(tb: TracebackType | None) -> Any:
    """The innermost Graphoid frame of a traceback (else the innermost frame)."""
    frame = None
    graphoid = None
    while tb is not None:
        frame = tb.tb_frame
        if is_graphoid_code(frame.f_code):
            graphoid = frame
        tb = tb.tb_next
    return graphoid if graphoid is not None else frame


def _name_error(exc: NameError, tb: TracebackType | None) -> GraphoidError:
    found = _NAME.search(str(exc))
    name = found[1] if found else getattr(exc, "name", None) or "?"
    shown = _gd_name(name)
    hint = None
    frame = _innermost_frame(tb)
    if frame is not None:
        candidates: set[str] = set(frame.f_locals) | set(frame.f_globals)
        builtins = frame.f_globals.get("__builtins__")
        if isinstance(builtins, dict):
            candidates |= set(builtins)
        visible = {_gd_name(c) for c in candidates if not c.startswith("_rt") and not c.startswith("__")}
        visible.discard(shown)
        close = did_you_mean(shown, visible)
        if close:
            hint = f"did you mean '{close}'?"
    return GraphoidError("NameError", f"Undefined variable '{shown}'", hint=hint)


def _convert(exc: BaseException, tb: TracebackType | None) -> GraphoidError:
    if isinstance(exc, RecursionError):
        return GraphoidError("RecursionError", "Stack overflow (recursion too deep)")
    if isinstance(exc, ZeroDivisionError):
        text = str(exc)
        if "modulo" in text and "division" not in text.replace("integer division or modulo", ""):
            return GraphoidError("RuntimeError", "Modulo by zero")
        return GraphoidError("RuntimeError", "Division by zero")
    if isinstance(exc, NameError):
        return _name_error(exc, tb)
    if isinstance(exc, TypeError):
        kind, message = _convert_type_error(str(exc))
        return GraphoidError(kind, message)
    if isinstance(exc, IndexError):
        return GraphoidError("IndexError", "Index out of bounds")
    if isinstance(exc, KeyError):
        return key_not_found(exc.args[0] if exc.args else "?")
    if isinstance(exc, OverflowError):
        return GraphoidError("RuntimeError", "Numeric overflow")
    if isinstance(exc, MemoryError):
        return GraphoidError("RuntimeError", "Out of memory")
    if isinstance(exc, ValueError):
        return _value_error(str(exc))
    if isinstance(exc, OSError):
        return GraphoidError("IOError", exc.strerror or str(exc))
    return GraphoidError("RuntimeError", f"Internal error: {type(exc).__name__}: {exc}")


@functools.lru_cache(maxsize=256)
def _positions(code: CodeType) -> tuple:
    """A code object's instruction positions, kept so that locating a frame is an index, not a
    scan of the whole code (errors raised and caught in a loop locate a frame every time)."""
    return tuple(code.co_positions())


def _position(code: CodeType, lasti: int) -> Span | None:
    if lasti < 0:
        return None
    positions = _positions(code)
    index = lasti // 2
    if index >= len(positions):
        return None
    line, end_line, col, end_col = positions[index]
    if line is None or line <= 0:
        return None
    return Span(code.co_filename, line, (col or 0) + 1, end_line or line, (end_col or 0) + 1)


def function_label(code: CodeType) -> str:
    """The Graphoid name of a compiled function (`<main>` for top-level code)."""
    known = _FUNCTION_NAMES.get(code)
    if known is not None:
        return known
    if code.co_name == "<module>":
        return "<main>"
    return _gd_name(code.co_name)


def register_function_name(code: CodeType, name: str) -> None:
    _FUNCTION_NAMES[code] = name
    _LABELS_BY_NAME[code.co_name] = name


def _graphoid_frames(tb: TracebackType | None) -> list[tuple[str, Span]]:
    frames: list[tuple[str, Span]] = []
    while tb is not None:
        code = tb.tb_frame.f_code
        if is_graphoid_code(code):
            span = _position(code, tb.tb_lasti)
            if span is not None:
                frames.append((function_label(code), span))
        tb = tb.tb_next
    return frames


def _trace(frames: list[tuple[str, Span]]) -> list[TraceEntry]:
    """The Graphoid stack, with what it leaves out of a long one said by elision markers."""
    entries: list[TraceEntry] = []
    start = 0
    while start < len(frames):
        # Deep recursion repeats one frame thousands of times; a few copies say enough.
        end = start + 1
        while end < len(frames) and frames[end] == frames[start]:
            end += 1
        name, span = frames[start]
        kept = min(end - start, _REPEAT_KEEP)
        entries.extend(TraceEntry(name, span) for _ in range(kept))
        if end - start > kept:
            entries.append(TraceEntry(name, span, elided=end - start - kept))
        start = end
    if len(entries) <= 2 * _TRACE_KEEP:
        return entries
    middle = entries[_TRACE_KEEP:-_TRACE_KEEP]
    names = sorted({entry.function for entry in middle})
    marker = TraceEntry(
        ", ".join(names) if len(names) <= _NAMES_SHOWN else "",
        middle[0].span,
        elided=sum(entry.elided or 1 for entry in middle),
    )
    return entries[:_TRACE_KEEP] + [marker] + entries[-_TRACE_KEEP:]


def to_graphoid_error(exc: BaseException) -> GraphoidError:
    """The GraphoidError for an exception that escaped (or is caught inside) generated code."""
    try:
        return _to_graphoid_error(exc)
    except RecursionError:
        # Converting needs a few frames; at the very bottom of the stack give up on details.
        if isinstance(exc, GraphoidError):
            return exc
        return GraphoidError("RecursionError", "Stack overflow (recursion too deep)")


def _to_graphoid_error(exc: BaseException) -> GraphoidError:
    error = _error_for(exc)
    error.resolve_location()
    _apply_frames(error, exc.__traceback__)
    return error


def _error_for(exc: BaseException) -> GraphoidError:
    """The GraphoidError standing for exc: exc itself, or its conversion (made once)."""
    if isinstance(exc, GraphoidError):
        return exc
    cached = getattr(exc, "_gd_error", None)
    if cached is not None:
        return cached
    error = _convert(exc, exc.__traceback__)
    error.python_exception = exc
    try:
        exc._gd_error = error  # type: ignore[attr-defined]
    except AttributeError:
        pass
    return error


def _apply_frames(error: GraphoidError, tb: TracebackType | None) -> None:
    """Give the error the span and Graphoid stack of tb's Graphoid frames (unless it has them)."""
    frames = _graphoid_frames(tb)
    if frames:
        if error.span is None:
            error.span = frames[-1][1]
        if not error.trace or error.inner_trace:
            error.trace = [*_trace(frames), *error.inner_trace]


GraphoidError.locate_from_traceback = _apply_frames


def catch(exc: BaseException) -> GraphoidError:
    """The error value a Graphoid `catch` clause sees for a caught Python exception. Its span
    and stack are worked out only if they are read or it escapes (errors caught in a loop are
    rarely shown)."""
    if isinstance(exc, GraphoidError):
        error = exc
    else:
        try:
            error = _error_for(exc)
        except RecursionError:
            return to_graphoid_error(exc)
    # error.defer_location(exc.__traceback__), without the call: this runs for every catch.
    if error._pending_traceback is not None:
        error.resolve_location()
    error._pending_traceback = exc.__traceback__
    return error


# Resource guards a program must not swallow by accident: only `catch LimitError` sees them.
_EXPLICIT_ONLY = frozenset({"LimitError"})


def catches(error: GraphoidError, kind: str) -> bool:
    """Does `catch kind` handle `error`? (`Error` and a bare catch take everything else.)"""
    if error.kind in _EXPLICIT_ONLY:
        return kind == error.kind
    return is_subkind(error.kind, kind)
