"""Fresh containers whose methods a loop may bind once per run (issue 9).

CPython 3.11 specialises `m.get(k, d)` only on an exact `dict`: on a GMap (a subclass) each call
takes the generic path. A bound method fetched once and kept in a temporary is called at full
speed instead (codegen uses it for `get`; for a GList's `append` it measured slower than the
plain call, so appends stay as they are). That is valid while the variable holds the
same object, which a fresh local (freshvars.py) does for the whole of a loop that never binds
the name as a whole: its element stores and appends change it in place (their fallbacks return
the same container or raise), and no other use of it exists.
"""

from __future__ import annotations

from typing import Any, Iterable

from graphoid.compiler.scopes import NESTED_SCOPES, bound_names, children, root_name
from graphoid.syntax import ast as g

# `!` methods that keep a fresh list the same object (every other one rebinds its variable).
_IN_PLACE_BANGS = frozenset({"append", "push"})


def stable_names(loop: g.While | g.For, candidates: Iterable[str]) -> frozenset[str]:
    """The candidates `loop` never binds as a whole (element stores and appends do not count)."""
    whole = set(bound_names(loop)) - set(bound_names(loop, updates_only=True))
    stack: list[Any] = [loop]
    while stack:
        node = stack.pop()
        if isinstance(node, NESTED_SCOPES):
            continue
        if isinstance(node, g.Assign):
            # `v = x` rebinds v; so, conservatively, does a deeper store such as `v[i][j] = x`
            target = node.target
            if not (isinstance(target, g.Index) and isinstance(target.obj, g.Name)):
                _add_root(whole, target)
        elif isinstance(node, g.MethodCall) and node.bang:
            if not (node.name in _IN_PLACE_BANGS and isinstance(node.receiver, g.Name)):
                _add_root(whole, node.receiver)
        stack.extend(children(node))
    return frozenset(name for name in candidates if name not in whole)


def _add_root(names: set[str], place: Any) -> None:
    name = root_name(place)
    if name is not None:
        names.add(name)
