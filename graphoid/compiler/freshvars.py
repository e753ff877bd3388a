"""Fresh containers: local lists and maps that are provably plain and held by their variable only.

Index stores and `append!` mutate a list or map in place only when it is a plain (no rules, not
frozen) GList/GMap that nothing else references (copy-on-write, runtime/cow.py); the generated
code tests the class, the `__dict__` and the reference count at run time. A function variable
is proven fresh when every value it ever holds is a new literal and it never lets its value
escape, so those tests always pass and the compiler drops them (docs/design.md, "Compiler"):

- every binding is `v = [...]`, `v = "a b".split(" ")` (a literal split) or `v = {...}` (all
  lists or all maps; no declared type), an element store `v[k] = x`, or (lists)
  `v.append!(x)`: each keeps the one plain container;
- every read is `v[k]`, a read-only builtin method (`v.get(k)`, `v.keys()`, `v.join(s)`...), a
  loop `for x in v` whose body does not write v (the loop holds the list while it runs), or
  `return v` in a function without `finally` (the variable dies with the frame);
- nothing else mentions it: no nested function, lambda or task (which could share it), no
  argument, no other container, no `configure` block anywhere in the function.

`analyse` also uses the proof for `stats = by_city[c] ... by_city[c] = stats`: between the
read and the store-back nothing can observe `by_city`, so the read takes the element out
(leaving none in its slot) and `stats` is then held once, mutated in place instead of copied.
When the statements between them use `stats` only as `stats[k]` reads and `stats[k] = x`
stores (OWNED_MOVE_OUT), none of them can share, freeze or give rules to the element, so the
plain-and-unique test of those stores runs once, at the read, into a flag the stores test.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from graphoid.compiler.scopes import (NESTED_SCOPES, bound_names, children, mentioned_names, pattern_names, root_name,
                                      scope_nodes)
from graphoid.syntax import ast as g

MAP = "map"
LIST = "list"
MOVE_OUT = "move out"
OWNED_MOVE_OUT = "owned move out"  # a move out whose element only index reads and stores touch
PLAIN_OWNED_MOVE_OUT = "plain owned move out"  # the same, out of a map whose elements are plain maps
STORE_BACK = "store back"

# Builtin methods that neither change their receiver nor return it (values/methods/map.py, list.py).
_READ_METHODS = {
    MAP: frozenset({"get", "has_key", "has", "contains", "keys", "values", "length", "len", "size", "is_empty"}),
    LIST: frozenset({"get", "contains", "join", "first", "last", "length", "len", "size", "is_empty"}),
}
_JUMPS = (g.Break, g.Continue, g.Return)


class _Uses:
    """How one function body uses each candidate variable."""

    def __init__(self, candidates: Iterable[str]) -> None:
        self.candidates = set(candidates)
        self.kinds: dict[str, set[str]] = {}  # kinds of the literals bound by plain assignments
        self.methods: dict[str, set[str]] = {}  # non-bang methods called on the variable
        self.appends: set[str] = set()
        self.iterated_lists: set[str] = set()  # looped over by a loop whose body writes it
        self.returned: set[str] = set()
        self.escaped: set[str] = set()
        self.has_finally = False
        self.captured: set[str] = set()  # names any nested scope mentions
        self.literals: dict[str, list[Any]] = {}  # the values of plain assignments, by variable
        self.element_stores: dict[str, list[g.Assign]] = {}  # `v[k] = x` statements, by variable

    def walk(self, node: Any) -> None:
        stack = [node]
        while stack:
            current = stack.pop()
            if isinstance(current, tuple):
                stack.extend(current)
            elif isinstance(current, NESTED_SCOPES):
                self.nested(current)
            else:
                stack.extend(self.visit(current))

    def nested(self, node: Any) -> None:
        self.captured.update(mentioned_names(node))
        if isinstance(node, (g.FnDef, g.GraphDecl)):
            self.escaped.add(node.name)

    def visit(self, node: Any) -> Iterator[Any]:
        """Record node's own use of a candidate; yield the children still to walk."""
        if isinstance(node, g.Name):
            self.escaped.add(node.id)
        elif isinstance(node, g.Assign):
            yield from self.assignment(node)
            return
        elif isinstance(node, g.Index) and self.is_candidate(node.obj):
            yield node.index
            return
        elif isinstance(node, g.MethodCall) and self.is_candidate(node.receiver):
            self.method_call(node)
            yield node.args
            return
        elif isinstance(node, g.MethodCall) and node.bang:
            self.escaped.add(root_name(node.receiver) or "")
        elif isinstance(node, g.For):
            self.escaped.add(node.var)
            if self.is_candidate(node.iterable):
                if node.iterable.id in bound_names(node.body.body):
                    self.iterated_lists.add(node.iterable.id)
                yield node.body
                return
        elif isinstance(node, g.Return) and self.is_candidate(node.value):
            self.returned.add(node.value.id)
            return
        elif isinstance(node, g.Try):
            self.has_finally = self.has_finally or node.finally_ is not None
        elif isinstance(node, g.Catch) and node.var is not None:
            self.escaped.add(node.var)
        elif isinstance(node, (g.MatchArm, g.PatternClause)):
            self.escaped.update(pattern_names(node.pattern))
        elif isinstance(node, g.Import):
            self.escaped.update(bound_names(node))
        elif isinstance(node, g.Configure):
            self.escaped.update(self.candidates)
        yield from children(node)

    def assignment(self, node: g.Assign) -> Iterator[Any]:
        target = node.target
        if isinstance(target, g.Name) and target.id in self.candidates and node.type_name is None:
            self.kinds.setdefault(target.id, set()).add(_literal_kind(node.value))
            self.literals.setdefault(target.id, []).append(node.value)
            yield node.value
            return
        if isinstance(target, g.Index) and self.is_candidate(target.obj) and node.type_name is None:
            self.element_stores.setdefault(target.obj.id, []).append(node)
            yield target.index
            yield node.value
            return
        self.escaped.add(root_name(target) or "")
        yield from children(node)

    def method_call(self, node: g.MethodCall) -> None:
        name = node.receiver.id
        if node.bang:
            if node.name == "append" and len(node.args) == 1 and node.args[0].name is None:
                self.appends.add(name)
            else:
                self.escaped.add(name)
        else:
            self.methods.setdefault(name, set()).add(node.name)

    def is_candidate(self, node: Any) -> bool:
        return isinstance(node, g.Name) and node.id in self.candidates

    def kind(self, name: str) -> str | None:
        """MAP or LIST when name is proven fresh, else None."""
        kinds = self.kinds.get(name, set())
        if len(kinds) != 1 or name in self.escaped or name in self.captured:
            return None
        kind = next(iter(kinds))
        if kind not in (MAP, LIST) or not self.methods.get(name, set()) <= _READ_METHODS[kind]:
            return None
        if kind == MAP and name in self.appends:
            return None
        if kind == LIST and name in self.iterated_lists:
            return None
        if name in self.returned and self.has_finally:
            return None
        return kind


def _literal_kind(value: Any) -> str:
    """MAP or LIST for a value that is always a new plain container, else "other"."""
    if isinstance(value, g.MapLit):
        return MAP
    if isinstance(value, g.ListLit) or _splits_a_constant(value):
        return LIST
    return "other"


def _splits_a_constant(value: Any) -> bool:
    """`"a b".split(" ")`: a string literal split by a non-empty one (or none) is a new list."""
    if not (isinstance(value, g.MethodCall) and value.name == "split" and not value.bang
            and isinstance(value.receiver, g.Const) and type(value.receiver.value) is str):
        return False
    if not value.args:
        return True
    separator = value.args[0].value
    return (len(value.args) == 1 and value.args[0].name is None and isinstance(separator, g.Const)
            and type(separator.value) is str and separator.value != "")


def analyse(body: Any, candidates: Iterable[str]) -> tuple[dict[str, str], dict[int, str]]:
    """(fresh, moves) for a function body: the candidate variables proven fresh (name -> MAP or
    LIST), and by statement id, MOVE_OUT for each `v = m[k]` whose element may be taken out of
    fresh map m and STORE_BACK for its `m[k] = v`.

    A move needs `m[k] = v` later in the same block, with nothing between that mentions m,
    rebinds k, or jumps (break, continue, return), in a function without try (an error then
    leaves the function, and m with it): no code can see m while its slot holds none. The
    store-back runs only after the read succeeded, so k is then a string key of m: a plain store.
    The move is OWNED_MOVE_OUT when the statements between mention v only as `v[k]` reads and
    `v[k] = x` stores (`_only_indexed`).
    """
    uses = _Uses(candidates)
    uses.walk(body)
    fresh = {name: kind for name in uses.candidates if (kind := uses.kind(name)) is not None}
    moves: dict[int, str] = {}
    if not fresh or _contains(body, (g.Try,)):
        return fresh, moves
    locals_ = uses.candidates - uses.captured
    owned_moves: list[tuple[g.Assign, g.Assign]] = []  # (move out, store-back) of owned moves
    for stmts in _blocks(body):
        for position, stmt in enumerate(stmts):
            read = _element_read(stmt, fresh, locals_)
            store = _store_back(stmts[position + 1:], *read) if read is not None else None
            if store is not None:
                end = next(at for at in range(position + 1, len(stmts)) if stmts[at] is store)
                window = tuple(stmts[position + 1:end])
                owned = _only_indexed(window, read[0])
                moves[id(stmt)], moves[id(store)] = OWNED_MOVE_OUT if owned else MOVE_OUT, STORE_BACK
                if owned:
                    owned_moves.append((stmt, store))
    plain = _plain_element_maps(uses, fresh, {id(store): stmt.value.obj.id for stmt, store in owned_moves})
    for stmt, _store in owned_moves:
        if stmt.value.obj.id in plain:
            moves[id(stmt)] = PLAIN_OWNED_MOVE_OUT
    return fresh, moves


def _plain_element_maps(uses: _Uses, fresh: dict[str, str], owned_store_backs: dict[int, str]) -> set[str]:
    """The fresh maps whose elements are always plain GMaps: bound only to map literals whose
    values are map literals, with every element store storing a map literal or being the
    store-back of an owned move (its stores keep the map plain: a frozen map or one with rules
    refuses them or stays off the fast path). Aliases elsewhere may share an element, never
    change it (copy-on-write), so a move out of such a map has only the reference count to test."""
    return {name for name, kind in fresh.items() if kind == MAP
            and all(isinstance(literal, g.MapLit) and all(isinstance(value, g.MapLit) for _key, value in literal.entries)
                    for literal in uses.literals.get(name, ()))
            and all(isinstance(store.value, g.MapLit) or owned_store_backs.get(id(store)) == name
                    for store in uses.element_stores.get(name, ()))}


def _only_indexed(body: Any, name: str) -> bool:
    """Does body mention name only as the container of index reads `name[k]` and of index
    store statements `name[k] = x`? Then nothing in it can share, rebind, freeze or give rules to
    the value (a bare mention, a method call, a nested store or a binding field would)."""
    stack = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, tuple):
            stack.extend(node)
        elif isinstance(node, g.Const):
            continue
        elif isinstance(node, NESTED_SCOPES):
            if name in mentioned_names(node):
                return False
        elif isinstance(node, g.Index) and _is_name(node.obj, name):
            stack.append(node.index)
        elif isinstance(node, g.Assign) and root_name(node.target) == name:
            target = node.target
            if not (isinstance(target, g.Index) and _is_name(target.obj, name) and node.type_name is None):
                return False
            stack.extend((target.index, node.value))
        elif isinstance(node, g.MethodCall) and node.bang and root_name(node.receiver) == name:
            return False
        elif (isinstance(node, g.Name) and node.id == name) or name in _binding_strings(node):
            return False
        else:
            stack.extend(children(node))
    return True


def _is_name(node: Any, name: str) -> bool:
    return isinstance(node, g.Name) and node.id == name


def _binding_strings(node: Any) -> Iterator[str]:
    """The string fields of node (a `for` or `catch` variable, a pattern or function name...):
    any that equals a name may bind it."""
    stack = [getattr(node, field) for field in g.fields(type(node)) if field != "span"]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            yield value
        elif isinstance(value, tuple):
            stack.extend(item for item in value if isinstance(item, (str, tuple)))


def _element_read(stmt: Any, fresh: dict[str, str], locals_: set[str]) -> tuple[str, str, Any] | None:
    """(v, m, k) when stmt is `v = m[k]` with m a fresh map, v a plain local, k a name or string."""
    if not (isinstance(stmt, g.Assign) and stmt.type_name is None and isinstance(stmt.target, g.Name)
            and isinstance(stmt.value, g.Index) and isinstance(stmt.value.obj, g.Name)):
        return None
    value, container, key = stmt.target.id, stmt.value.obj.id, stmt.value.index
    if fresh.get(container) != MAP or value not in locals_ or value == container:
        return None
    if isinstance(key, g.Const) and type(key.value) is str:
        return value, container, key
    if isinstance(key, g.Name) and key.id in locals_ and key.id not in (value, container):
        return value, container, key
    return None


def _store_back(following: list[Any], value: str, container: str, key: Any) -> g.Assign | None:
    """The first later statement that mentions container when it is `container[key] = value`
    and nothing before it rebinds key or jumps, else None."""
    for stmt in following:
        if container in mentioned_names(stmt):
            target = stmt.target if isinstance(stmt, g.Assign) else None
            stored = (isinstance(target, g.Index) and stmt.type_name is None
                      and isinstance(target.obj, g.Name) and target.obj.id == container
                      and _same_key(target.index, key)
                      and isinstance(stmt.value, g.Name) and stmt.value.id == value)
            return stmt if stored else None
        if _contains(stmt, _JUMPS) or (isinstance(key, g.Name) and key.id in bound_names(stmt)):
            return None
    return None


def _same_key(one: Any, other: Any) -> bool:
    if isinstance(one, g.Const) and isinstance(other, g.Const):
        return type(one.value) is str and one.value == other.value
    return isinstance(one, g.Name) and isinstance(other, g.Name) and one.id == other.id


def _blocks(body: Any) -> Iterator[list[Any]]:
    """Every statement list of the function body (nested scopes excluded)."""
    for node in scope_nodes(body):
        if isinstance(node, g.Block):
            yield list(node.body)


def _contains(body: Any, kinds: tuple[type, ...]) -> bool:
    """Does body hold a node of these kinds (nested scopes included: conservative)?"""
    stack = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, tuple):
            stack.extend(node)
        elif isinstance(node, kinds):
            return True
        else:
            stack.extend(children(node))
    return False
