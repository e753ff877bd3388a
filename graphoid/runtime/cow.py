"""Copy-on-write for lists and maps: when may a `!` method or an index assignment mutate in place?

Lists and maps have value semantics, but copying on every `b = a` or every call would make
appending in a loop quadratic. Instead a mutation happens in place only when the container is
referenced by nothing but the variable being rebound. Generated code tests that with
`sys.getrefcount(x) <= K`, where K is the count that a uniquely held value shows at that point
of the emitted code shape. K is measured, not guessed: at first use we compile small probe
programs with the real compiler (in probe mode the test is replaced by the raw count) and run
them with recorders in place of the helpers. An aliased probe must show a larger count, or
copy-on-write is switched off (K = 0 means "always copy"): correctness never depends on K.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

from graphoid.syntax import ast as g

_SPAN = g.Span("<cow-probe>", 1, 1, 1, 2)
_LOCK = threading.Lock()
_THRESHOLDS: dict[str, int] | None = None


def _n(ident: str) -> g.Name:
    return g.Name(ident, span=_SPAN)


def _list(*values: Any) -> g.ListLit:
    return g.ListLit(tuple(g.Const(v, span=_SPAN) for v in values), span=_SPAN)


def _assign(target: Any, value: Any) -> g.Assign:
    return g.Assign(target, value, span=_SPAN)


def _bang(target: Any) -> g.ExprStmt:
    return g.ExprStmt(g.MethodCall(target, "append", (g.Arg(g.Const(2, span=_SPAN), span=_SPAN),), True,
                                   span=_SPAN), span=_SPAN)


def _call(name: str, *args: Any) -> g.ExprStmt:
    return g.ExprStmt(g.Call(_n(name), tuple(g.Arg(a, span=_SPAN) for a in args), span=_SPAN), span=_SPAN)


def _fn(name: str, body: list[Any], params: tuple[str, ...] = ()) -> g.FnDef:
    return g.FnDef(name, tuple(g.Param(p, span=_SPAN) for p in params), g.Block(tuple(body), span=_SPAN),
                   span=_SPAN)


def _probe_programs(alias: bool) -> dict[str, list[Any]]:
    """Probe programs per binding kind; with alias a second variable shares the value."""
    share = [_assign(_n("ys"), _n("xs"))] if alias else []
    setup = [_assign(_n("xs"), _list(1))] + share
    capture = _assign(_n("f"), g.Lambda((), _n("xs"), span=_SPAN))
    index_set = _assign(g.Index(_n("xs"), g.Const(0, span=_SPAN), span=_SPAN), g.Const(5, span=_SPAN))
    map_setup = [_assign(_n("xs"), g.MapLit((("a", g.Const(1, span=_SPAN)),), span=_SPAN))] + share
    attr_set = _assign(g.Attr(_n("xs"), "a", span=_SPAN), g.Const(5, span=_SPAN))
    return {
        "local": [_fn("p", setup + [_bang(_n("xs"))]), _call("p")],
        "global": setup + [_bang(_n("xs"))],
        "cell": [_fn("p", setup + [capture, _bang(_n("xs"))]), _call("p")],
        "index": [_fn("p", setup + [index_set]), _call("p")],
        "attr": [_fn("p", map_setup + [attr_set]), _call("p")],
        "elem": [_fn("p", [_bang(g.Attr(_n("holder"), "items", span=_SPAN))], ("holder",)),
                 _call("p", _n("probe_holder"))],
    }


class _Holder:
    """A stand-in reference value whose `items` sits in exactly one storage slot (or two)."""

    def __init__(self, shared: bool) -> None:
        from graphoid.runtime.values import GList

        items = GList([1])
        self.store = {"items": items, "other": items} if shared else {"items": items}


def _run_probe(body: list[Any], shared: bool, base: dict[str, Any]) -> int | None:
    from graphoid.compiler import compile_program

    seen: list[int] = []

    def record(position: int) -> Callable[..., Any]:
        def recorder(*args: Any) -> Any:
            seen.append(args[position])
            return (args[0], None) if position == 4 else args[0]
        return recorder

    def getattr_(obj: Any, name: str) -> Any:
        return obj.store[name] if isinstance(obj, _Holder) else obj[name]

    helpers = dict(base)
    helpers.update({
        "_rt_call_bang": record(4), "_rt_setindex": record(3), "_rt_setattr": record(3),
        "_rt_getattr": getattr_, "_rt_isref": lambda obj: True,
    })
    holder = _Holder(shared)
    program = g.Program(tuple(body), span=_SPAN)
    code = compile_program(program, "<cow-probe>", _probe=True)
    namespace = {"__builtins__": helpers, "probe_holder": holder}
    exec(code, namespace)
    return seen[0] if seen and isinstance(seen[0], int) else None


def calibrate() -> dict[str, int]:
    """Measure the thresholds: {"var": K for variables, "elem": K for elements of a graph}."""
    from graphoid.compiler.helpers import make_helpers

    base = make_helpers()
    unique = {kind: _run_probe(body, False, base) for kind, body in _probe_programs(False).items()}
    aliased = {kind: _run_probe(body, True, base) for kind, body in _probe_programs(True).items()}
    result: dict[str, int] = {}
    var_kinds = ["local", "global", "cell", "index", "attr"]
    if all(unique[k] is not None and aliased[k] is not None and aliased[k] > unique[k] for k in var_kinds):
        result["var"] = min(unique[k] for k in var_kinds)  # type: ignore[type-var]
    else:
        result["var"] = 0
    elem_u, elem_a = unique["elem"], aliased["elem"]
    result["elem"] = elem_u if elem_u is not None and elem_a is not None and elem_a > elem_u else 0
    return result


def thresholds() -> dict[str, int]:
    """The calibrated thresholds, measured once per process (probe compiles never ask)."""
    global _THRESHOLDS
    if _THRESHOLDS is not None:
        return _THRESHOLDS
    with _LOCK:
        if _THRESHOLDS is None:
            try:
                _THRESHOLDS = calibrate()
            except Exception:
                # A broken probe must not break programs: copying always is slow but correct.
                _THRESHOLDS = {"var": 0, "elem": 0}
    return _THRESHOLDS
