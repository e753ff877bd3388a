"""The Graphoid-visible global functions: print, length, conversions, error constructors,
range, the `list`/`string` static namespaces and the collected-errors log.

`make_builtins(write)` builds a fresh dict per interpreter. Providers add globals: the graph
package's (`node`, `edge`, `path`, `graph_from_json`) and any a host registers.
"""

from __future__ import annotations

import math
from typing import Any, Callable

from graphoid.values import methods as _methods  # noqa: F401  (registers method tables)
from graphoid.compiler.names import error_constructor_key
from graphoid.errors import ERROR_PARENTS, GraphoidError
from graphoid.values.format import display, type_name
from graphoid.values.methods import list as list_methods
from graphoid.values.methods import string as string_methods
from graphoid.values.methods.misc import parse_number
from graphoid.values.types import BigNum, GList

# The facade loads every layer that adds graph methods (messaging adds broadcast, send, ...), so
# each graph it hands out, and `graphoid.Graph` (re-exported from here), is complete.
import graphoid.messaging.local  # noqa: F401
from graphoid.graphs.graph import Graph
from graphoid.graphs.registration import graph_builtins

Write = Callable[[str], None]
Provider = Callable[[Write], dict[str, Any]]

_PROVIDERS: list[Provider] = []


def register_provider(provider: Provider) -> Provider:
    """Add globals to every future `make_builtins` result: `provider(write) -> {name: value}`."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def _graph_provider(write: Write) -> dict[str, Any]:
    return graph_builtins()


register_provider(_graph_provider)


def builtin_function(fn: Callable[..., Any], name: str, params: tuple[str, ...]) -> Callable[..., Any]:
    """Mark a Python callable so it displays as `<function name>` and reports its parameters."""
    fn._gd_name = name  # type: ignore[attr-defined]
    fn._gd_params = params  # type: ignore[attr-defined]
    return fn


class StaticNamespace:
    """A value like `list` or `string` whose methods are static functions (`list.upto(5)`)."""

    gd_type_name = "namespace"
    __slots__ = ("name", "functions")

    def __init__(self, name: str, functions: dict[str, Callable[..., Any]]) -> None:
        self.name = name
        self.functions = functions

    def call(self, name: str, args: tuple, kwargs: dict | None) -> Any:
        fn = self.functions.get(name)
        if fn is None:
            raise GraphoidError(
                "RuntimeError", f"{self.name} does not have static method '{name}'"
            )
        try:
            return fn(*args, **(kwargs or {}))
        except TypeError as exc:
            if exc.__traceback__ is not None and exc.__traceback__.tb_next is None:
                raise GraphoidError(
                    "TypeError", f"Wrong arguments for {self.name}.{name}(): got {len(args)}"
                ) from None
            raise

    def display(self) -> str:
        return f"<namespace {self.name}>"

    def __repr__(self) -> str:
        return self.display()


class ErrorLog:
    """Errors recorded under `configure { error_mode: :collect }` (read by get_errors())."""

    __slots__ = ("errors",)

    def __init__(self) -> None:
        self.errors: list[GraphoidError] = []

    def record(self, error: GraphoidError) -> None:
        self.errors.append(error)

    def clear(self) -> None:
        self.errors.clear()


# ---------------------------------------------------------------------------------------------
# conversions


def length(value: Any) -> int:
    """Length of a string (characters), list or map."""
    if isinstance(value, (str, list, dict)):
        return len(value)
    raise GraphoidError("TypeError", f"length() expects a string, list, or map, got {type_name(value)}")


def to_string(value: Any) -> str:
    """`string(x)`: the display form."""
    return display(value)


def to_num(value: Any) -> Any:
    """`num(x)`: numbers as is, numeric strings parsed, bools 1/0; anything else is an error."""
    t = type(value)
    if t is int or t is float:
        return value
    if t is BigNum:
        return int(value)
    if t is bool:
        return 1 if value else 0
    if t is str:
        parsed = parse_number(value)
        if parsed is None:
            raise GraphoidError("RuntimeError", f"Cannot convert '{value}' to number")
        return parsed
    raise GraphoidError("TypeError", f"num() expects a number, string, or boolean, got {type_name(value)}")


def to_int(value: Any) -> int:
    """`int(x)`: truncated toward zero."""
    t = type(value)
    if t is str:
        parsed = parse_number(value)
        if parsed is None:
            raise GraphoidError("RuntimeError", f"Cannot convert '{value}' to int")
        value = parsed
        t = type(value)
    if t is int or t is BigNum:
        return int(value)
    if t is float:
        if not math.isfinite(value):
            raise GraphoidError("ValueError", f"Cannot convert {display(value)} to int")
        return int(value)
    raise GraphoidError("TypeError", f"int() expects a number or string, got {type_name(value)}")


# BaseException.__new__: keeps the positional arguments as `args` and runs no __init__.
_new_exception = GraphoidError.__new__


def error_constructor(kind: str) -> Callable[..., GraphoidError]:
    """`ValueError("msg")` -> an error value of that kind (raise it with `raise`)."""

    def make(message: Any = "", cause: Any = None) -> GraphoidError:
        if type(message) is not str:
            message = display(message)
        if cause is None:
            # GraphoidError(kind, message) without the __init__ frame (programs raise these in
            # loops): for a kind and a message, __init__ sets exactly these two fields.
            error = _new_exception(GraphoidError, kind, message)
            error.kind = kind
            error.message = message
            error._pending_traceback = None
            return error
        if not isinstance(cause, GraphoidError):
            raise GraphoidError("TypeError", f"{kind}() cause must be an error, got {type_name(cause)}")
        return GraphoidError(kind, message, cause=cause)

    return builtin_function(make, kind, ("message",))


class ListNamespace(StaticNamespace):
    """The builtin `list`: compiled `list.generate(a, b, x => e)` runs inline on this class
    (CodeGen.inline_generate), every other receiver through the method call."""

    __slots__ = ()


def _static_list() -> StaticNamespace:
    return ListNamespace(
        "list",
        {
            "generate": list_methods.generate,
            "upto": list_methods.upto,
            "range": list_methods.range_list,
            "new": lambda *items: GList(items),
        },
    )


# ---------------------------------------------------------------------------------------------


def make_builtins(write: Write, errors: ErrorLog | None = None) -> dict[str, Any]:
    """The Graphoid global functions for one interpreter; `write` receives printed text."""
    log = errors if errors is not None else ErrorLog()

    def print_(*args: Any) -> None:
        write(" ".join([display(a) for a in args]) + "\n")

    def get_errors() -> GList:
        return GList(log.errors)

    def clear_errors() -> None:
        log.clear()

    table: dict[str, Any] = {
        "print": builtin_function(print_, "print", ("...values",)),
        "length": builtin_function(length, "length", ("value",)),
        "num": builtin_function(to_num, "num", ("value",)),
        "int": builtin_function(to_int, "int", ("value",)),
        "typeof": builtin_function(type_name, "typeof", ("value",)),
        "range": builtin_function(list_methods.range_list, "range", ("start", "stop", "step")),
        "get_errors": builtin_function(get_errors, "get_errors", ()),
        "clear_errors": builtin_function(clear_errors, "clear_errors", ()),
        "list": _static_list(),
        # `string(x)` converts and `string.generate(...)` is static: one value serves both.
        "string": _StringBuiltin(),
        "_rt_errors": log,
    }
    for kind in ERROR_PARENTS:
        if kind != "SyntaxError":
            table[kind] = table[error_constructor_key(kind)] = error_constructor(kind)
    for provider in _PROVIDERS:
        table.update(provider(write))
    return table


class _StringBuiltin(StaticNamespace):
    """`string(x)` converts to the display form; `string.generate(...)` is the static method."""

    __slots__ = ()
    gd_type_name = "function"

    def __init__(self) -> None:
        super().__init__("string", {"generate": string_methods.generate})

    def __call__(self, value: Any) -> str:
        return display(value)

    def display(self) -> str:
        return "<function string>"


__all__ = [
    "ErrorLog",
    "Graph",
    "StaticNamespace",
    "builtin_function",
    "make_builtins",
    "register_provider",
]
