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


def _bang(target: Any, method: str = "append") -> g.ExprStmt:
    return g.ExprStmt(g.MethodCall(target, method, (g.Arg(g.Const(2, span=_SPAN), span=_SPAN),), True,
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
        # `append!` has its own helper (_rt_append); other `!` methods go through _rt_call_bang
        "local_bang": [_fn("p", setup + [_bang(_n("xs"), "insert")]), _call("p")],
        "global": setup + [_bang(_n("xs"))],
        "global_bang": setup + [_bang(_n("xs"), "insert")],
        "cell": [_fn("p", setup + [capture, _bang(_n("xs"))]), _call("p")],
        "index": [_fn("p", setup + [index_set]), _call("p")],
        "attr": [_fn("p", map_setup + [attr_set]), _call("p")],
        "elem": [_fn("p", [_bang(g.Attr(_n("holder"), "items", span=_SPAN))], ("holder",)),
                 _call("p", _n("probe_holder"))],
    }


class _Holder:
    """A stand-in reference value whose `items` sits in exactly one storage slot (or two)."""

    def __init__(self, shared: bool) -> None:
        from graphoid.values.types import GList

        items = GList([1])
        self.store = {"items": items, "other": items} if shared else {"items": items}


def _run_probe(body: list[Any], shared: bool, base: dict[str, Any]) -> dict[str, int]:
    """Run one probe; the first count each helper saw, by helper ("inline": the inline test)."""
    from graphoid.compiler import compile_program

    seen: dict[str, int] = {}

    def record(name: str, position: int) -> Callable[..., Any]:
        def recorder(*args: Any) -> Any:
            if isinstance(args[position], int):
                seen.setdefault(name, args[position])
            return (args[0], None) if name == "bang" else args[0]
        return recorder

    def inline(count: int) -> bool:
        seen.setdefault("inline", count)
        return False  # take the helper branch too, so its count is recorded as well

    def getattr_(obj: Any, name: str) -> Any:
        return obj.store[name] if isinstance(obj, _Holder) else obj[name]

    helpers = dict(base)
    helpers.update({
        "_rt_call_bang": record("bang", 4), "_rt_append": record("append", 2), "_rt_setindex": record("index", 3),
        "_rt_setattr": record("attr", 3), "_rt_inline_probe": inline,
        "_rt_getattr": getattr_, "_rt_isref": lambda obj: True,
    })
    holder = _Holder(shared)
    program = g.Program(tuple(body), span=_SPAN)
    code = compile_program(program, "<cow-probe>", _probe=True)
    namespace = {"__builtins__": helpers, "probe_holder": holder}
    exec(code, namespace)
    return seen


def _first(seen: dict[str, int]) -> int | None:
    """The count the helper of a probe saw (each probe mutates through exactly one helper)."""
    for name in ("bang", "append", "index", "attr"):
        if name in seen:
            return seen[name]
    return None


def _agreed(unique: dict[str, int | None], aliased: dict[str, int | None], kinds: list[str]) -> int:
    """min count over kinds when every aliased probe shows more than its unique one, else 0."""
    if all(unique[k] is not None and aliased[k] is not None and aliased[k] > unique[k] for k in kinds):  # type: ignore[operator]
        return min(unique[k] for k in kinds)  # type: ignore[type-var]
    return 0


def calibrate() -> dict[str, int]:
    """Measure the thresholds: "var" (helpers given a variable), "elem" (element of a graph),
    "inline" (the inline tests of `append!` and of an index store, with no helper call around them)."""
    from graphoid.runtime.helpers import make_helpers

    base = make_helpers()
    programs_unique, programs_aliased = _probe_programs(False), _probe_programs(True)
    runs_u = {kind: _run_probe(body, False, base) for kind, body in programs_unique.items()}
    runs_a = {kind: _run_probe(body, True, base) for kind, body in programs_aliased.items()}
    unique = {kind: _first(seen) for kind, seen in runs_u.items()}
    aliased = {kind: _first(seen) for kind, seen in runs_a.items()}
    result = {
        "var": _agreed(unique, aliased, ["local", "local_bang", "global", "global_bang", "cell", "index", "attr"]),
        "elem": _agreed(unique, aliased, ["elem"]),
    }
    inline_kinds = ["local", "global", "cell", "index"]
    result["inline"] = _agreed({k: runs_u[k].get("inline") for k in inline_kinds},
                               {k: runs_a[k].get("inline") for k in inline_kinds}, inline_kinds)
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
                _THRESHOLDS = {"var": 0, "elem": 0, "inline": 0}
    return _THRESHOLDS

