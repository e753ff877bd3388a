"""Local variables that may hold a plain Python list where a slice or `split` made one (issue 9).

A Graphoid list is a GList, a `list` subclass carrying rules and the frozen flag. Wrapping the
new Python list of an inlined `slice`/`take`/`skip`/`split` as a GList costs an allocation and a
copy, and CPython indexes a `list` subclass more slowly than a `list`. The runtime accepts plain
lists everywhere, and three kinds of read behave identically on both: an index read (`v[i]`),
the iterable of a `for` and a size (`v.length()`, `len()`, `size()`: len() on both). A
function's local variable read only in those ways may therefore hold the plain list. Names mentioned in a nested function, task or graph are excluded (they may be
read there in any way), and so are the roots of assignment targets and `!` calls (element
updates go through copy-on-write places).
"""

from __future__ import annotations

from typing import Any, Iterable

from graphoid.compiler.scopes import NESTED_SCOPES, SIZE_METHODS, children, mentioned_names, root_name
from graphoid.syntax import ast as g


def index_only_names(region: Any, candidates: Iterable[str]) -> frozenset[str]:
    """The candidates that `region` (a function's statements) reads only by index or `for`."""
    ok = set(candidates)
    stack = [region]
    while stack and ok:
        node = stack.pop()
        if isinstance(node, tuple):
            stack.extend(node)
        elif isinstance(node, NESTED_SCOPES):
            ok.difference_update(mentioned_names(node))
        elif isinstance(node, g.Name):
            ok.discard(node.id)
        elif isinstance(node, g.Index) and isinstance(node.obj, g.Name):
            stack.append(node.index)
        elif _is_size_of_name(node):
            continue
        elif isinstance(node, g.For) and isinstance(node.iterable, g.Name):
            stack.append(node.body)
        elif isinstance(node, g.Assign) and isinstance(node.target, g.Name):
            stack.append(node.value)
        else:
            if isinstance(node, g.Assign) or (isinstance(node, g.MethodCall) and node.bang):
                ok.discard(root_name(node.target if isinstance(node, g.Assign) else node.receiver))
            stack.extend(children(node))
    return frozenset(ok)


def _is_size_of_name(node: Any) -> bool:
    """`v.length()` (or len/size) on a variable: no arguments, no `!`."""
    return (isinstance(node, g.MethodCall) and node.name in SIZE_METHODS and not node.args
            and not node.bang and isinstance(node.receiver, g.Name))
