"""Builtin graph methods that compiled call sites run directly on a plain graph: the contract
between the compiler (graphoid/compiler/codegen.py `graph_builtin_call`), the graphs package
(graphs/methods.py `DIRECT_FUNCTIONS`, graphs/classes.py `builtins_epoch`) and the runtime's
helper table, kept here because all of them import this layer.

A call `g.name(a, b)` with an arity listed here becomes, under the guard "g is exactly a Graph
whose builtins are exact" (no user methods in its chain, no method constraints: `g._bx.ok`),
a call of the helper named by `direct_helper(name, 2)`, a function that does exactly what the
builtin does when given that many positional arguments. Any other arity, and any other
receiver, takes the general dispatch with its errors.
"""

from __future__ import annotations

__all__ = ["GRAPH_DIRECT_ARITIES", "GRAPH_ITERATED_ARITIES", "direct_helper", "iterated_helper"]

GRAPH_DIRECT_ARITIES: dict[str, tuple[int, ...]] = {
    "add_node": (1, 2),
    "add_edge": (2, 3, 4),
    "get_node": (1,),
    "has_node": (1,),
    "nodes": (0, 1),
    "neighbors": (1,),
    "out_degree": (1,),
}


# Direct builtins that return a new list of ids: where a `for` loop walks the value and nothing
# else sees it, the call site runs the helper named by `iterated_helper`, which returns the
# same ids as a plain Python list (no Graphoid list to build and free per call).
GRAPH_ITERATED_ARITIES: dict[str, tuple[int, ...]] = {
    "nodes": (0,),
    "neighbors": (1,),
}


def direct_helper(name: str, arity: int) -> str:
    """The helper name generated code calls for `name` with `arity` positional arguments."""
    return f"_rt_graph_{name}_{arity}"


def iterated_helper(name: str, arity: int) -> str:
    """The helper name a `for` loop over `name` with `arity` positional arguments calls."""
    return f"_rt_graph_{name}_{arity}_items"
