"""Test harness for the compiler: parse Graphoid source, compile, run with a capturing print."""

from __future__ import annotations

from typing import Any

import graphoid.syntax  # noqa: F401  (import order: the syntax package before the runtime)
from graphoid.compiler import compile_program, register_threshold_source
from graphoid.runtime import cow
from graphoid.runtime.helpers import make_helpers
from graphoid.errors import GraphoidError
from graphoid.values.pyerrors import to_graphoid_error


# what the Interpreter does: compiled code gets the measured copy-on-write thresholds
register_threshold_source(cow.thresholds)


def parse(source: str, filename: str = "<test>") -> Any:
    try:
        from graphoid.syntax import parse as parse_fn
    except ImportError:
        from graphoid.syntax.parser import parse as parse_fn
    return parse_fn(source, filename)


def make_namespace(out: list[str]) -> dict[str, Any]:
    from graphoid.values.format import display

    table = dict(_builtins())
    table.update(make_helpers())

    def gd_print(*args: Any) -> None:
        out.append(" ".join(display(a) for a in args))

    table["print"] = gd_print
    return {"__builtins__": table, "__file__": "<test>"}


def _builtins() -> dict[str, Any]:
    try:
        from graphoid.runtime.builtins import make_builtins
    except ImportError:
        return {}
    try:
        return make_builtins(lambda text: None)
    except Exception:
        return {}


def step_limit(steps: int) -> Any:
    """A `_rt_tick` that raises LimitError after `steps` ticks."""
    budget = [0]

    def tick() -> None:
        budget[0] += 1
        if budget[0] > steps:
            raise GraphoidError("LimitError", f"step limit of {steps} exceeded")

    return tick


def run(source: str, *, mode: str = "exec", limits: bool = False, namespace: dict | None = None,
        known_globals: tuple[str, ...] = ()) -> list[str]:
    """Run a program; returns the printed lines. A GraphoidError propagates converted."""
    out: list[str] = []
    ns = namespace if namespace is not None else make_namespace(out)
    if namespace is not None:
        ns["__builtins__"]["print"] = make_namespace(out)["__builtins__"]["print"]
    if limits and "_rt_tick" not in ns["__builtins__"]:
        ns["__builtins__"]["_rt_tick"] = step_limit(10_000)
    code = compile_program(parse(source), "<test>", mode=mode, limits=limits, known_globals=known_globals)
    _execute(code, ns)
    return out


def _execute(code: Any, ns: dict) -> None:
    """exec, turning every escaping exception into a GraphoidError with span and stack."""
    try:
        exec(code, ns)
    except Exception as exc:
        converted = to_graphoid_error(exc)
        if converted is exc:
            raise
        raise converted from exc


def run_error(source: str) -> GraphoidError:
    """Run a program that must fail; returns the GraphoidError."""
    try:
        run(source)
    except GraphoidError as exc:
        return exc
    raise AssertionError("program did not fail")


def value(source: str) -> Any:
    """The value of the last expression statement (REPL mode)."""
    out: list[str] = []
    ns = make_namespace(out)
    code = compile_program(parse(source), "<test>", mode="repl")
    _execute(code, ns)
    return ns.get("_rt_last")
