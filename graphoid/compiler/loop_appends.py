"""Lists a loop alone appends to: the uniqueness test of `append!` once per loop run (issue 9).

`xs.append!(v)` appends in place when xs is a plain GList that only its variable holds; the
inline test (class, `plain`, reference count) runs before every append. Inside one run of a
loop that test cannot turn false again once it has held, when nothing in the loop but
`xs.append!(v)` statements mentions xs (v not mentioning it): no statement of the loop can share
the list, freeze it, give it rules or rebind the variable, and the fast append itself does none
of these. Other code cannot reach the list either when xs is a local of a function that no
nested function, task or graph mentions (it is no closure cell). Such a loop keeps a flag,
false on entry and set by the first append that passes the test; later appends test the flag.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from graphoid.compiler.scopes import NESTED_SCOPES, children, mentioned_names, scope_nodes
from graphoid.syntax import ast as g

_LOOPS = (g.While, g.For)
_APPENDS = frozenset({"append", "push"})


def owned_appends(region: Any, candidates: Iterable[str]) -> dict[int, frozenset[str]]:
    """For each loop of `region` (a function's statements; nested functions excluded), keyed by
    id(): the candidates it mentions only as receivers of one-argument `append!`/`push!`
    statements. Loops with none are left out."""
    loops: list[Any] = []
    captured: set[str] = set()
    for node in scope_nodes(region):
        if isinstance(node, NESTED_SCOPES):
            captured.update(mentioned_names(node))
        elif isinstance(node, _LOOPS):
            loops.append(node)
    names = set(candidates) - captured
    owned: dict[int, frozenset[str]] = {}
    for loop in loops:
        found = _appended_only(loop) & names
        if found:
            owned[id(loop)] = frozenset(found)
    return owned


def _appended_only(loop: Any) -> set[str]:
    """Names the loop mentions only as receivers of `x.append!(v)` statements (at least once)."""
    receivers: set[str] = set()
    other: set[str] = set()
    stack = [loop]
    while stack:
        node = stack.pop()
        if isinstance(node, tuple):
            stack.extend(node)
            continue
        receiver = _append_receiver(node)
        if receiver is not None:
            receivers.add(receiver)
            stack.append(node.expr.args[0].value)
            continue
        if isinstance(node, g.Name):
            other.add(node.id)
        # A name can also be bound by a string field (a `for` or `catch` variable, a pattern,
        # `fn` and import names): any string equal to the name counts as a mention.
        other.update(_strings(node))
        stack.extend(children(node))
    return receivers - other


def _append_receiver(node: Any) -> str | None:
    """x when node is the statement `x.append!(v)` or `x.push!(v)` (one positional argument)."""
    if not isinstance(node, g.ExprStmt):
        return None
    call = node.expr
    if not (isinstance(call, g.MethodCall) and call.bang and call.name in _APPENDS
            and isinstance(call.receiver, g.Name) and len(call.args) == 1 and call.args[0].name is None):
        return None
    return call.receiver.id


def _strings(node: Any) -> Iterator[str]:
    """The string values of node's own fields (inside tuples too)."""
    stack = [getattr(node, field) for field in g.fields(type(node)) if field != "span"]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            yield value
        elif isinstance(value, tuple):
            stack.extend(value)
