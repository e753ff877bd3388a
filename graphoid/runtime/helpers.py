"""The `_rt_*` helpers generated code calls, gathered into one dict for the builtins table.

Helpers from the method, graph and messaging packages are resolved by module name (`_resolve`):
imported now when they can be, else on first use.
"""

from __future__ import annotations

import functools
import importlib
import sys
from typing import Any, Callable

from graphoid.compiler.symbols import SYMBOLS
from graphoid.runtime.builtins import ListNamespace
from graphoid.values import functions, limits, matching, ops, pyerrors
from graphoid.values.format import format_float, int_text, text
from graphoid.errors import GraphoidError, text_error
from graphoid.values.types import GList, GMap, Regex, Symbol
from graphoid.syntax.ast import Span
from graphoid.values.direct_calls import direct_helper, iterated_helper


def _lazy(module: str, attribute: str) -> Callable[..., Any]:
    """A function that imports `module.attribute` on first call and then forwards to it."""
    target: list[Callable[..., Any]] = []

    def forward(*args: Any, **kwargs: Any) -> Any:
        if not target:
            target.append(getattr(importlib.import_module(module), attribute))
        return target[0](*args, **kwargs)

    forward.__name__ = attribute
    return forward


@functools.lru_cache(maxsize=1024)
def _regex(pattern: str, flags: str) -> Regex:
    try:
        return Regex(pattern, flags)
    except Exception as exc:  # re.error, bad flag
        raise GraphoidError("SyntaxError", f"Invalid regex /{pattern}/{flags}: {exc}") from None


def _span(file: str, line: int, col: int, end_line: int, end_col: int) -> Span:
    return Span(file, line, col, end_line, end_col)


def _self_get(receiver: Any, name: str) -> Any:
    """Implicit-self read of a declared property."""
    return receiver.get_property(name, None)


def _self_read(receiver: Any, name: str) -> Any:
    """A bare name inside a graph method that is no variable: a property of self, else undefined."""
    has = getattr(receiver, "has_property", None)
    if has is not None and has(name):
        return receiver.get_property(name, None)
    raise GraphoidError("NameError", f"Undefined variable '{name}'")


def _self_set(receiver: Any, name: str, value: Any) -> None:
    receiver.set_property(name, value)


def _self_has(receiver: Any, name: str) -> bool:
    has = getattr(receiver, "has_property", None)
    return bool(has is not None and has(name))


def _self_method(receiver: Any, name: str) -> Callable[..., Any]:
    responds = getattr(receiver, "responds_to", None)
    if responds is None or not responds(name):
        raise GraphoidError("NameError", f"Undefined variable '{name}'")
    return functions.bound_self_method(receiver, name)


def _block_method(name: str, error: NameError) -> Callable[..., Any]:
    """A bare call in a block passed to a graph method: a method of the running receiver."""
    from graphoid.graphs.classes import active_receiver

    receiver = active_receiver()
    responds = getattr(receiver, "responds_to", None)
    if responds is None or not responds(name):
        raise error
    return functions.bound_self_method(receiver, name)


def _super(receiver: Any, template: Any, name: str, args: tuple, kwargs: dict | None) -> Any:
    return receiver.call_super(template, name, args, kwargs)


def _declare_class(name: str, graph_type: Any, parent: Any) -> Any:
    from graphoid.graphs.graph import Graph

    if isinstance(graph_type, Symbol):
        graph_type = graph_type.name
    if parent is not None and not isinstance(parent, Graph):
        raise GraphoidError("TypeError", f"graph {name} can only inherit from a graph, not {ops.type_name(parent)}")
    return Graph.declare_class(name, graph_type if graph_type is not None else "directed", parent)


def _define_on(receiver: Any, name: str, fn: Callable[..., Any], static: bool) -> None:
    define = getattr(receiver, "define_method", None)
    if define is None:
        raise GraphoidError("TypeError", f"Cannot define method '{name}' on {ops.type_name(receiver)}")
    define(name, fn, static=static)


def _add_behaviors(template: Any, value: Any) -> None:
    for rule in value if isinstance(value, list) else [value]:
        template.add_rule(rule)


def _instantiate(template: Any, props: GMap) -> Any:
    instantiate = getattr(template, "instantiate", None)
    if instantiate is None:
        raise GraphoidError("TypeError", f"Cannot instantiate {ops.type_name(template)}")
    return instantiate(props)


def _graph(config: dict, parent: Any, kind: str) -> Any:
    from graphoid.graphs.graph import new_graph

    return new_graph(config, parent, kind)


def _await(value: Any) -> Any:
    waiter = getattr(type(value), "gd_await", None)
    return waiter(value) if waiter is not None else value


def _resolve(module: str, attribute: str) -> Callable[..., Any]:
    """The real function when its module imports now (no forwarding cost), else a lazy one."""
    try:
        return getattr(importlib.import_module(module), attribute)
    except (ImportError, AttributeError):
        return _lazy(module, attribute)


def _make_append(call_bang: Callable[..., Any]) -> Callable[[Any, Any, bool], Any]:
    """`xs.append!(v)` (also `push!`): the value to rebind xs to."""

    def append_bang(receiver: Any, value: Any, unique: bool) -> Any:
        # A uniquely held plain list (no rules, not frozen) grows in place: what the list
        # method does in that case, minus the generic `!` dispatch.
        if unique and receiver.__class__ is GList and not receiver.rules and not receiver.frozen:
            receiver.append(value)
            return receiver
        return call_bang(receiver, "append", (value,), None, unique)[0]

    return append_bang


def make_helpers() -> dict[str, Any]:
    """Every `_rt_*` name generated code may reference (module helpers come from modules.py)."""
    call_bang = _resolve("graphoid.values.methods", "call_bang")
    from graphoid.graphs import classes
    from graphoid.graphs.graph import Graph
    from graphoid.graphs.methods import DIRECT_FUNCTIONS, ITERATED_FUNCTIONS

    # builtin graph methods run directly on plain graphs (CodeGen.graph_builtin_call)
    direct = {direct_helper(name, arity): fn for (name, arity), fn in DIRECT_FUNCTIONS.items()}
    direct.update((iterated_helper(name, arity), fn) for (name, arity), fn in ITERATED_FUNCTIONS.items())
    return direct | {
        # direct calls of class-like graph methods (CodeGen.graph_method_call)
        "_rt_Graph": Graph,
        "_rt_method_version": classes._METHOD_VERSION,
        "_rt_dispatch_state": classes._STATE,
        "_rt_sites": classes.call_sites(),
        "_rt_fill_site": classes.fill_site,
        "_rt_exact_builtins": classes.exact_builtins,
        "_rt_EMPTY_SITE": classes.EMPTY_SITE,
        "_rt_AttributeError": AttributeError,
        "_rt_view": classes.property_view,
        "_rt_S": SYMBOLS,
        "_rt_append": _make_append(call_bang),
        "_rt_sym": Symbol,
        "_rt_GList": GList,
        "_rt_GMap": GMap,
        "_rt_IndexError": IndexError,
        "_rt_MISSING": functions.MISSING,
        "_rt_TypeError": TypeError,
        "_rt_ValueError": ValueError,
        "_rt_NameError": NameError,
        "_rt_Exception": Exception,
        "_rt_IndexErrors": (IndexError, KeyError, TypeError),
        "_rt_getrefcount": sys.getrefcount,
        "_rt_fn": functions.make_function,
        "_rt_folds": functions.with_folds,
        "_rt_leaf": functions.as_leaf,
        "_rt_fast": functions.with_fast_form,
        "_rt_not_direct": classes.NOT_DIRECT,
        "_rt_arms": functions.with_arms,
        "_rt_overload": functions.overload,
        "_rt_add": ops.add,
        "_rt_text": text,
        "_rt_int_text": int_text,
        "_rt_float_text": format_float,
        "_rt_div": ops.div,
        "_rt_floordiv": ops.floordiv,
        "_rt_mod": ops.mod,
        "_rt_pow": ops.power,
        "_rt_band": ops.band,
        "_rt_bor": ops.bor,
        "_rt_bxor": ops.bxor,
        "_rt_shl": ops.shl,
        "_rt_shr": ops.shr,
        "_rt_bnot": ops.bnot,
        "_rt_eq": ops.eq,
        "_rt_ne": ops.ne,
        "_rt_rematch": ops.regex_match,
        "_rt_elementwise": ops.elementwise,
        "_rt_index": ops.index,
        "_rt_setindex": ops.set_index,
        "_rt_getattr": ops.get_attr,
        "_rt_setattr": ops.set_attr,
        "_rt_isref": ops.is_ref,
        "_rt_iter": ops.iterate,
        "_rt_raise": ops.raise_value,
        "_rt_int_mode": ops.int_mode,
        "_rt_config_push": ops.config_push,
        "_rt_config_pop": ops.config_pop,
        "_rt_config_set": ops.config_set,
        "_rt_precision_push": ops.precision_push,
        "_rt_match": matching.match_pattern,
        "_rt_len": len,
        "_rt_type": type,
        "_rt_int": int,
        "_rt_str": str,
        "_rt_int_str": str,  # str() of a proven int (a pure helper: no user code runs)
        # types whose length()/len()/size() methods are exactly len() (methods/string|list|map.py)
        "_rt_SIZED": frozenset({str, GList, GMap, list}),  # list: plain_lists.py locals
        "_rt_isinstance": isinstance,
        "_rt_list": list,
        # list.generate(a, b, x => e) inline (CodeGen.inline_generate)
        "_rt_ListNamespace": ListNamespace,
        "_rt_range": range,
        "_rt_SelfMiss": (KeyError, AttributeError),
        # what a fast body's property arithmetic falls back on (CodeGen.view_arith)
        "_rt_ViewArithMiss": (AttributeError, TypeError),
        "_rt_budget": limits.active,
        "_rt_catch": pyerrors.catch,
        "_rt_catches": pyerrors.catches,
        "_rt_regex": _regex,
        "_rt_span": _span,
        "_rt_self_get": _self_get,
        "_rt_self_read": _self_read,
        "_rt_self_set": _self_set,
        "_rt_self_has": _self_has,
        "_rt_self_call": functions.call_self_method,
        "_rt_self_method": _self_method,
        "_rt_super": _super,
        "_rt_error": GraphoidError,
        "_rt_text_error": text_error,
        "_rt_block_method": _block_method,
        "_rt_declare_class": _declare_class,
        "_rt_define_on": _define_on,
        "_rt_add_behaviors": _add_behaviors,
        "_rt_instantiate": _instantiate,
        "_rt_graph": _graph,
        "_rt_await": _await,
        "_rt_call_method": _resolve("graphoid.values.methods", "call_method"),
        "_rt_call_bang": call_bang,
        "_rt_route_send": _resolve("graphoid.messaging.local", "self_route_send"),
        "_rt_route_pair": _resolve("graphoid.messaging.local", "self_route_pair"),
        "_rt_self_out_degree": _resolve("graphoid.messaging.local", "self_out_degree"),
        "_rt_pattern": _resolve("graphoid.graphs.patterns", "make_pattern"),
    }
