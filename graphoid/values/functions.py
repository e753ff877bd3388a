"""Graphoid function values: naming, arity overloading and arity errors.

A Graphoid function is a plain Python function produced by the compiler (so calls cost what
Python calls cost). Missing arguments fill defaults or none (the compiler gives every parameter
a Python default); extra arguments make CPython raise a TypeError that pyerrors turns into
"f() takes N arguments but M were given". Redefining a name with another arity in the same
scope builds an `Overload` that dispatches on the argument count.
"""

from __future__ import annotations

from typing import Any, Callable

from graphoid.errors import GraphoidError


class _Missing:
    """Default-argument sentinel: the parameter's default expression must run at call time."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<missing>"


MISSING = _Missing()


def make_function(fn: Callable[..., Any], name: str | None, params: tuple[str, ...], rest: bool = False) -> Callable[..., Any]:
    """Attach the Graphoid metadata (`<function f>` / `<lambda(x)>`) to a compiled function."""
    fn._gd_name = name  # type: ignore[attr-defined]
    fn._gd_params = params  # type: ignore[attr-defined]
    fn._gd_rest = rest  # type: ignore[attr-defined]
    return fn


def as_leaf(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a compiled method whose body calls nothing (no calls, lambdas or other code that
    could look at the active receiver stack): direct call sites run it without pushing its
    receiver (graphs/classes.py, CodeGen.graph_method_call)."""
    fn._gd_leaf = True  # type: ignore[attr-defined]
    return fn


def with_fast_form(fn: Callable[..., Any], fast: Callable[..., Any]) -> Callable[..., Any]:
    """Attach a leaf method's fast form (CodeGen.view_body): the same parameters, its body
    reading and writing properties through the receiver's `_pview` with no entry test, which
    a call site runs only when its cache proves the view current and writes plain
    (classes.fill_site)."""
    fn._gd_fast = fast  # type: ignore[attr-defined]
    return fn


def with_folds(fn: Callable[..., Any], folds: tuple[tuple[str, str], ...]) -> Callable[..., Any]:
    """Mark an `on_message` handler's accumulator arms (see CodeGen.accumulator_arms).

    `fn._gd_folds` maps the message symbol to the property that `[:symbol, x]` adds x into;
    the messaging engine may apply such a message itself instead of calling fn.
    """
    from graphoid.values.types import Symbol

    fn._gd_folds = {Symbol(name): prop for name, prop in folds}  # type: ignore[attr-defined]
    return fn


def with_arms(
    fn: Callable[..., Any], arms: tuple[tuple[str, Callable[..., Any], bool, tuple[Any, Any] | None], ...]
) -> Callable[..., Any]:
    """Attach an `on_message` handler's per-symbol arms (see CodeGen.symbol_arms).

    `fn._gd_arms` maps a message symbol to a function `(self, msg)` that runs exactly the arm
    `fn` would run for that message, without matching; a broadcast of that symbol calls it.
    `fn._gd_stateless` holds the symbols whose arm provably changes no node state
    (codegen._keeps_state), for which a broadcast needs no rollback snapshot.
    `fn._gd_route_fills` maps the symbols whose arm only routes the same `[h, x]` from every
    node to that (h, x) (CodeGen.route_fill).
    """
    from graphoid.values.types import Symbol

    fn._gd_arms = {Symbol(name): arm for name, arm, _, _ in arms}  # type: ignore[attr-defined]
    fn._gd_stateless = frozenset(Symbol(name) for name, _, stateless, _ in arms if stateless)  # type: ignore[attr-defined]
    fn._gd_route_fills = {Symbol(name): fill for name, _, _, fill in arms if fill is not None}  # type: ignore[attr-defined]
    return fn


def arity_of(fn: Any) -> tuple[int, bool]:
    """(parameter count, variadic) of a Graphoid function."""
    params = getattr(fn, "_gd_params", None)
    if params is None:
        return -1, True
    return len(params), bool(getattr(fn, "_gd_rest", False))


class Overload:
    """Functions of one name that differ by arity; a call picks by argument count."""

    __slots__ = ("variants", "_gd_name", "_gd_params", "_gd_rest", "__weakref__")

    def __init__(self, name: str | None, variants: list[Callable[..., Any]]) -> None:
        self.variants = variants
        self._gd_name = name
        self._gd_params = getattr(variants[0], "_gd_params", ())
        self._gd_rest = False

    def add(self, fn: Callable[..., Any]) -> "Overload":
        count, rest = arity_of(fn)
        kept = [v for v in self.variants if arity_of(v) != (count, rest)]
        return Overload(self._gd_name, kept + [fn])

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        given = len(args) + len(kwargs)
        fallback = None
        for fn in self.variants:
            count, rest = arity_of(fn)
            if not rest and count == given:
                return fn(*args, **kwargs)
            if rest and given >= count - 1 and fallback is None:
                fallback = fn
        if fallback is not None:
            return fallback(*args, **kwargs)
        arities = sorted({arity_of(v)[0] for v in self.variants})
        shown = ", ".join(str(a) for a in arities)
        raise GraphoidError(
            "TypeError",
            f"{self._gd_name}() takes {shown} arguments but {given} were given",
        )

    def __repr__(self) -> str:
        return f"<function {self._gd_name}>"


def overload(previous: Any, fn: Callable[..., Any]) -> Callable[..., Any]:
    """Redefinition in the same scope: another arity adds an overload, the same arity replaces."""
    if isinstance(previous, Overload):
        return previous.add(fn)
    if previous is None or getattr(previous, "_gd_params", None) is None or getattr(previous, "_gd_name", None) is None:
        return fn
    if arity_of(previous) == arity_of(fn):
        return fn
    return Overload(getattr(fn, "_gd_name", None), [previous, fn])


def call_self_method(receiver: Any, name: str, args: tuple, kwargs: dict | None) -> Any:
    """A bare call `m(...)` inside a graph method: dispatch to the receiver's method."""
    return receiver.call(name, args, kwargs)


def bound_self_method(receiver: Any, name: str) -> Callable[..., Any]:
    """A bare call target that is not a variable inside a graph method: the receiver's method."""
    call = getattr(receiver, "call", None)
    if call is None:
        raise GraphoidError("RuntimeError", f"Undefined function '{name}'")

    def bound(*args: Any, **kwargs: Any) -> Any:
        return call(name, args, kwargs or None)

    return bound
