"""What every native stdlib module shares: naming its functions, checking arguments, and turning
the host's OSErrors into Graphoid IOErrors that name the path."""

from __future__ import annotations

import inspect
from typing import Any, Callable

from graphoid.errors import GraphoidError
from graphoid.values.format import type_name
from graphoid.values.types import GList, GMap

# Graphoid type names of the Python types an argument check accepts.
_ACCEPTS: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "list": (list,),
    "map": (dict,),
    "bool": (bool,),
    "function": (),
}


def members(module: str, functions: dict[str, Any]) -> dict[str, Any]:
    """The members of `import "module"`: every function wrapped by `native`, values as they are."""
    return {name: native(f"{module}.{name}", value) if callable(value) else value for name, value in functions.items()}


def native(qualified: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` as a Graphoid builtin called `qualified`: wrong arguments are a TypeError that shows
    the parameters, never Python's wording."""
    params = _parameters(fn)

    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except TypeError as exc:
            # No frame below this one: binding the arguments failed, not the function's work.
            if exc.__traceback__ is not None and exc.__traceback__.tb_next is None:
                raise wrong_arguments(qualified, params, len(args) + len(kwargs)) from None
            raise

    call._gd_name = qualified  # type: ignore[attr-defined]
    call._gd_params = params  # type: ignore[attr-defined]
    call.__doc__ = fn.__doc__
    return call


def _parameters(fn: Callable[..., Any]) -> tuple[str, ...]:
    shown = []
    for param in inspect.signature(fn).parameters.values():
        if param.kind is param.VAR_POSITIONAL:
            shown.append(f"...{param.name}")
        elif param.kind is not param.VAR_KEYWORD:
            shown.append(param.name)
    return tuple(shown)


def wrong_arguments(qualified: str, params: tuple[str, ...], given: int) -> GraphoidError:
    noun = "argument" if given == 1 else "arguments"
    return GraphoidError("TypeError", f"Wrong arguments for {qualified}(): got {given} {noun}; expected ({', '.join(params)})")


def expect(value: Any, kind: str, where: str, param: str) -> Any:
    """`value` when it is a Graphoid `kind` ("string", "list", "map", "bool", "num", "int",
    "function"), else a TypeError naming the function and parameter."""
    if _is(value, kind):
        return value
    raise GraphoidError("TypeError", f"{where}() expects {param} to be a {_kind_text(kind)}, got {type_name(value)}")


def _is(value: Any, kind: str) -> bool:
    t = type(value)
    if kind == "num":
        return (t is int or t is float or isinstance(value, int)) and t is not bool
    if kind == "int":
        return (t is int or isinstance(value, int) or (t is float and value.is_integer())) and t is not bool
    if kind == "function":
        return callable(value) and t not in (GList, GMap, list, dict)
    return isinstance(value, _ACCEPTS[kind])


def _kind_text(kind: str) -> str:
    return "whole number" if kind == "int" else kind


def expect_int(value: Any, where: str, param: str, minimum: int | None = None) -> int:
    """A whole number (2.0 counts) at least `minimum`, else a TypeError or ValueError."""
    number = int(expect(value, "int", where, param))
    if minimum is not None and number < minimum:
        raise GraphoidError("ValueError", f"{where}() expects {param} to be at least {minimum}, got {number}")
    return number


def expect_list_of(values: Any, kind: str, where: str, param: str) -> list[Any]:
    """A list whose every element is a Graphoid `kind`."""
    expect(values, "list", where, param)
    for index, value in enumerate(values):
        if not _is(value, kind):
            raise GraphoidError(
                "TypeError", f"{where}() expects {param} to hold {kind}s, got {type_name(value)} at index {index}"
            )
    return values


def io_error(exc: OSError | ValueError, action: str, path: str) -> GraphoidError:
    """The Graphoid IOError for a failed file operation on `path`."""
    if isinstance(exc, FileNotFoundError):
        message = f"Cannot {action} '{path}': no such file or directory"
    elif isinstance(exc, IsADirectoryError):
        message = f"Cannot {action} '{path}': it is a directory"
    elif isinstance(exc, NotADirectoryError):
        message = f"Cannot {action} '{path}': a part of the path is not a directory"
    elif isinstance(exc, PermissionError):
        message = f"Cannot {action} '{path}': permission denied"
    elif isinstance(exc, FileExistsError):
        message = f"Cannot {action} '{path}': it already exists"
    elif isinstance(exc, UnicodeDecodeError):
        message = f"Cannot {action} '{path}': not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})"
    elif isinstance(exc, ValueError):  # an embedded NUL byte
        message = f"Cannot {action} '{path}': not a valid path"
    else:
        message = f"Cannot {action} '{path}': {exc.strerror or exc}"
    return GraphoidError("IOError", message)
