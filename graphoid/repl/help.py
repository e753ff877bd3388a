"""`:help NAME` in the REPL: the signature and first doc line of a builtin, a function in scope,
or every builtin method of that name (per receiver type)."""

from __future__ import annotations

import inspect
from typing import Any

from graphoid.runtime.interpreter import Interpreter
from graphoid.runtime.namespace import mangle, unmangle


def _samples() -> dict[str, Any]:
    """One value per type whose methods `:help` lists, by the type's Graphoid name."""
    from graphoid.graphs.graph import Graph
    from graphoid.values.types import GList, GMap, Symbol

    return {"list": GList(), "map": GMap(), "string": "", "num": 0, "bool": True, "symbol": Symbol("s"),
            "graph": Graph()}


def signature(name: str, fn: Any, *, drop_receiver: bool = False) -> str:
    """`name(a, b = 1, ...rest)` from a Python callable (parameter names only, no annotations)."""
    try:
        parameters = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return f"{name}(...)"
    if drop_receiver and parameters:
        parameters = parameters[1:]
    if hasattr(fn, "_gd_name"):
        # Compiled Graphoid: its Python defaults only mark optional parameters for arity checks.
        parameters = [parameter.replace(default=parameter.empty) for parameter in parameters]
    shown = []
    for parameter in parameters:
        if parameter.kind is parameter.VAR_POSITIONAL:
            shown.append(f"...{parameter.name}")
        elif parameter.kind is parameter.VAR_KEYWORD:
            shown.append(f"{parameter.name}: ...")
        elif parameter.default is not parameter.empty:
            shown.append(f"{parameter.name} = {_default(parameter.default)}")
        else:
            shown.append(parameter.name)
    return f"{name}({', '.join(shown)})"


def _default(value: Any) -> str:
    from graphoid.values.format import display

    if isinstance(value, str):
        return f'"{value}"'
    if value is None or isinstance(value, (bool, int, float)):
        return display(value)
    return "..."  # an internal sentinel: the parameter is optional


def _entry(heading: str, fn: Any) -> str:
    """The signature, then the first paragraph of the docstring (when there is one)."""
    doc = (inspect.getdoc(fn) or "").strip().split("\n\n", 1)[0].replace("\n", " ")
    return f"{heading}\n    {doc}" if doc else heading


def describe(interp: Interpreter, name: str) -> str | None:
    """The help text for `name`, or None when nothing of that name is known."""
    lines: list[str] = []
    key = mangle(name)
    for table in (interp.namespace, interp.builtins):
        if key in table and unmangle(key) is not None:
            value = table[key]
            if callable(value):
                lines.append(_entry(signature(name, value), value))
            else:
                lines.append(f"{name}: a {_type_name(value)} value")
            break
    lines.extend(_method_lines(name))
    return "\n".join(lines) if lines else None


def _method_lines(name: str) -> list[str]:
    from graphoid.values.methods import registry

    universal = registry.find_method(object(), name)
    if universal is not None:
        return [_entry(f"<any value>.{signature(name, universal, drop_receiver=True)}", universal)]
    lines = []
    for type_name, sample in _samples().items():
        method = registry.find_method(sample, name)
        if method is not None:
            lines.append(_entry(f"{type_name}.{signature(name, method, drop_receiver=True)}", method))
    return lines


def _type_name(value: Any) -> str:
    from graphoid.values.format import type_name

    return type_name(value)
