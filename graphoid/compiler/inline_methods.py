"""Builtin methods the compiler inlines at a call site, under an exact-type guard.

`recv.name(args)` becomes `<inline form> if <guard> else _rt_call_method(recv, name, args)`.
The guard tests the receiver's exact class, and the exact class of the arguments whose type the
method's behaviour depends on, so that for values passing it the inline form does exactly what
the method table's function does (graphoid/values/methods/map.py, string.py). Every other value,
and every error, takes the general dispatch unchanged. Only methods that charge no limits and
cannot fail on the guarded types are listed; the method tables are fixed at import, as for the
`length` specialisation.
"""

from __future__ import annotations

import ast as py
from dataclasses import dataclass
from typing import Callable, Sequence

from graphoid.compiler import pyast as P
from graphoid.values.limits import LIMITED_STRING_CHARS

Build = Callable[[py.expr, list[py.expr]], py.expr]
# (arguments) -> further run-time tests the inline form needs, or None when it is never exact
ArgTests = Callable[[list[py.expr]], "list[py.expr] | None"]


@dataclass(frozen=True)
class InlineMethod:
    """How to inline one builtin method: for which receiver class, arities and argument types."""

    receiver: str  # helper name of the receiver's exact class
    arities: tuple[int, ...]  # accepted numbers of positional arguments
    string_args: int  # how many leading arguments must be exact strings
    build: Build  # (receiver, arguments) -> the inline expression
    nonempty_strings: bool = False  # those string arguments must also be non-empty
    int_args: int = 0  # how many leading arguments must be exact ints (not bools, not floats)
    other: "InlineMethod | None" = None  # the same method on another receiver class, tried next
    arg_tests: ArgTests | None = None  # tests on the arguments the fields above cannot express
    # build gives a new Python list, to wrap as a GList unless the call site takes a plain list
    fresh_list: bool = False


def _py_method(py_name: str) -> Build:
    return lambda receiver, args: P.call(P.attr(receiver, py_name), *args)


def _wrap_list(inner: Build) -> Build:
    return lambda receiver, args: P.call("_rt_GList", inner(receiver, args))


def _contained_in(receiver: py.expr, args: list[py.expr]) -> py.expr:
    return py.Compare(left=args[0], ops=[py.In()], comparators=[receiver])


def _as_list(receiver: py.expr, args: list[py.expr]) -> py.expr:
    return P.call("_rt_GList", receiver)


def _subscript(receiver: py.expr, lower: py.expr | None, upper: py.expr | None) -> py.expr:
    return py.Subscript(value=receiver, slice=py.Slice(lower=lower, upper=upper), ctx=py.Load())


def _slice(receiver: py.expr, args: list[py.expr]) -> py.expr:
    # Python's int slice bounds clamp and count negatives from the end as Graphoid's slice does.
    return _subscript(receiver, args[0], args[1] if len(args) > 1 else None)


def _at_least_zero(arg: py.expr) -> py.expr:
    if isinstance(arg, py.Constant):
        return P.const(max(arg.value, 0))
    return py.IfExp(test=py.Compare(left=arg, ops=[py.Gt()], comparators=[P.const(0)]), body=P.dup(arg),
                    orelse=P.const(0))


def _take(receiver: py.expr, args: list[py.expr]) -> py.expr:
    return _subscript(receiver, None, _at_least_zero(args[0]))


def _skip(receiver: py.expr, args: list[py.expr]) -> py.expr:
    return _subscript(receiver, _at_least_zero(args[0]), None)


def _is_class(value: py.expr, helper: str) -> py.expr:
    return py.Compare(left=P.attr(P.dup(value), "__class__"), ops=[py.Is()], comparators=[P.name(helper)])


def _padding(args: list[py.expr]) -> list[py.expr] | None:
    """`pad_left`/`pad_right` run as `rjust`/`ljust` for an int width no wider than the string
    limit (so the limit check cannot fire, limits on or off) and a one-character fill."""
    tests: list[py.expr] = []
    width = args[0]
    if isinstance(width, py.Constant):
        if type(width.value) is not int or width.value > LIMITED_STRING_CHARS:
            return None
    else:
        tests += [_is_class(width, "_rt_int"),
                  py.Compare(left=P.dup(width), ops=[py.LtE()], comparators=[P.const(LIMITED_STRING_CHARS)])]
    if len(args) > 1:
        fill = args[1]
        if isinstance(fill, py.Constant):
            if type(fill.value) is not str or len(fill.value) != 1:
                return None
        else:
            tests += [_is_class(fill, "_rt_str"),
                      py.Compare(left=P.call("_rt_len", P.dup(fill)), ops=[py.Eq()], comparators=[P.const(1)])]
    return tests


_MAP_HAS = InlineMethod("_rt_GMap", (1,), 1, _contained_in)
_LIST_SKIP = InlineMethod("_rt_GList", (1,), 0, _skip, int_args=1, fresh_list=True)

INLINE_METHODS: dict[str, InlineMethod] = {
    # maps: keys are strings; a non-string key answers the default / false in the method
    "get": InlineMethod("_rt_GMap", (1, 2), 1, _py_method("get")),
    "has_key": _MAP_HAS,
    "has": _MAP_HAS,
    "keys": InlineMethod("_rt_GMap", (0,), 0, _as_list),
    "values": InlineMethod("_rt_GMap", (0,), 0, _wrap_list(_py_method("values"))),
    # strings
    "contains": InlineMethod("_rt_str", (1,), 1, _contained_in),
    "starts_with": InlineMethod("_rt_str", (1,), 1, _py_method("startswith")),
    "ends_with": InlineMethod("_rt_str", (1,), 1, _py_method("endswith")),
    "index_of": InlineMethod("_rt_str", (1,), 1, _py_method("find")),
    "replace": InlineMethod("_rt_str", (2,), 2, _py_method("replace")),
    "upper": InlineMethod("_rt_str", (0,), 0, _py_method("upper")),
    "lower": InlineMethod("_rt_str", (0,), 0, _py_method("lower")),
    "trim": InlineMethod("_rt_str", (0,), 0, _py_method("strip")),
    "pad_left": InlineMethod("_rt_str", (1, 2), 0, _py_method("rjust"), arg_tests=_padding),
    "pad_right": InlineMethod("_rt_str", (1, 2), 0, _py_method("ljust"), arg_tests=_padding),
    "chars": InlineMethod("_rt_str", (0,), 0, _as_list),
    # `split("")` splits between characters in Graphoid, an error in Python: non-empty only
    "split": InlineMethod("_rt_str", (0, 1), 1, _py_method("split"), nonempty_strings=True, fresh_list=True),
    # lists (and strings): slices with int bounds, not the step form
    "slice": InlineMethod("_rt_GList", (2,), 0, _slice, int_args=2, fresh_list=True,
                          other=InlineMethod("_rt_str", (1, 2), 0, _slice, int_args=2)),
    "take": InlineMethod("_rt_GList", (1,), 0, _take, int_args=1, fresh_list=True),
    "skip": _LIST_SKIP,
    "drop": _LIST_SKIP,
}


def _node_value(receiver: py.expr, args: list[py.expr]) -> py.expr:
    return P.call(P.attr(P.attr(receiver, "_nodes"), "get"), args[0])


def _node_present(receiver: py.expr, args: list[py.expr]) -> py.expr:
    return py.Compare(left=args[0], ops=[py.In()], comparators=[P.attr(receiver, "_nodes")])


# Direct graph builtins (graphoid/values/direct_calls.py) that are one read of `Graph._nodes`
# (id -> value) when the id is a string: on a plain graph the call site does the read itself.
GRAPH_INLINE: dict[tuple[str, int], Build] = {
    ("get_node", 1): _node_value,
    ("has_node", 1): _node_present,
}


def guard(spec: InlineMethod, receiver: py.expr, args: list[py.expr], proven_ints: Sequence[bool],
          receiver_known: bool = False) -> py.expr | None:
    """The run-time test under which spec's inline form is exact, or None when it never is.

    Constant arguments are checked here, once, instead of at run time, and so are arguments
    the compiler proved to be ints (proven_ints, one flag per argument); receiver_known: the
    compiler proved the receiver's class (freshvars.py), so it is not tested. With nothing left
    to test the guard is the constant True.
    """
    tests: list[py.expr] = [] if receiver_known else [_is_class(receiver, spec.receiver)]
    for arg in args[:spec.string_args]:
        if isinstance(arg, py.Constant):
            if type(arg.value) is not str or (spec.nonempty_strings and not arg.value):
                return None
            continue
        tests.append(_is_class(arg, "_rt_str"))
        if spec.nonempty_strings:
            tests.append(P.dup(arg))
    for arg, proven in zip(args[:spec.int_args], proven_ints):
        if isinstance(arg, py.Constant):
            if type(arg.value) is not int:
                return None
            continue
        if not proven:
            tests.append(_is_class(arg, "_rt_int"))
    if spec.arg_tests is not None:
        extra = spec.arg_tests(args)
        if extra is None:
            return None
        tests += extra
    if not tests:
        return P.const(True)
    return tests[0] if len(tests) == 1 else py.BoolOp(op=py.And(), values=tests)
