"""Leaf methods' fast forms inlined at their call sites (CodeGen.inline_leaf_sites).

A leaf method's fast form (CodeGen.view_body) reads and writes its receiver's properties
through the receiver's PropertyView and runs no user code. A call site whose cache proves that
the receiver resolves the method to that very fast form, with its view current (the site's
inline entry, classes.fill_site), may run the body in place instead of calling it. The body is
split into a *pure region*, the body with every write to the view deferred (reads of a written
property take the local that holds its new value) and every miss handler dropped, and the
*commits*, the deferred writes in first-write order. The region changes nothing outside the
caller's temporaries, so when anything in it raises, the site calls the fast form instead,
which does everything again from the start and raises (or falls back) exactly as a call does,
with the method's own frame in the Graphoid stack. The commits cannot fail.

A template is refused (None) unless every statement is understood: assignments to locals and
to the view, `try` statements whose handlers catch only the compiler's miss tuples, `if`
statements without view writes or returns inside, expression statements, and one final
`return`; expressions are constants, names, view reads, symbols and operators (no calls, no
subscripts). Names other than the method's locals must be runtime names (`_rt_*`), so the
caller's own variables can never capture them, and every local is assigned before it is read.
"""

from __future__ import annotations

import ast as py
import copy
from dataclasses import dataclass
from typing import Callable, Iterable

from graphoid.compiler import pyast as P
from graphoid.syntax.ast import Span

# Handlers of the fast body the region may drop: a miss raises inside the region and the
# site falls back to calling the fast form, whose own handler then runs.
_MISS_HANDLERS = frozenset({"_rt_ViewArithMiss", "_rt_SelfMiss", "_rt_TypeError"})
_OPERATORS = (py.BinOp, py.UnaryOp, py.BoolOp, py.Compare, py.IfExp)
# Template-level names of the locals holding deferred writes and the result (renamed per site).
_DEFERRED_PREFIX = "_rt_inline_"


@dataclass(frozen=True)
class LeafTemplate:
    """A fast form ready for inlining: see the module docstring."""

    fast_name: str  # the fast form's Python function (a module-level def)
    params: tuple[str, ...]  # its parameters after the receiver
    view: str  # the local holding the receiver's view in the body
    region: tuple[py.stmt, ...]
    commits: tuple[tuple[str, str], ...]  # (property, local holding its final value)
    result: py.expr  # the method's value: a constant or a local
    locals: frozenset[str]  # every name the region assigns (renamed at each site)
    stored_params: frozenset[str]  # parameters the region assigns (copied into fresh locals)


@dataclass(frozen=True)
class InlinedLeaf:
    """A template instantiated at one site."""

    region: list[py.stmt]
    commits: list[py.stmt]
    result: py.expr


def leaf_template(fast: py.FunctionDef) -> LeafTemplate | None:
    """The template of a fast form's def, or None when its body cannot be inlined."""
    arguments = fast.args
    if (arguments.posonlyargs or arguments.vararg or arguments.kwonlyargs or arguments.kwarg
            or arguments.defaults or not arguments.args):
        return None
    receiver, *params = [a.arg for a in arguments.args]
    if not fast.body:
        return None
    view = _view_load(fast.body[0], receiver)
    if view is None:
        return None
    flat = _flatten(fast.body[1:], view)
    if flat is None or not _final_return_only(flat):
        return None
    assigned = _stores(flat)
    # the function's locals include those only the dropped handlers assign: the region must
    # never read one of them unassigned (it would read the caller's variable of that name)
    function_locals = _stores(fast.body) | set(params)
    if receiver in assigned or view in assigned or any(n.startswith(_DEFERRED_PREFIX) for n in function_locals):
        return None
    if not _names_are_safe(flat, function_locals, receiver, view):
        return None
    if not _definitely_assigned(flat, set(params) | {view}, function_locals):
        return None
    region, commits, result = _defer_writes(flat, view, assigned - set(params))
    region_locals = _stores(region)
    return LeafTemplate(fast_name=fast.name, params=tuple(params), view=view, region=tuple(region),
                        commits=tuple(commits), result=result, locals=frozenset(region_locals - set(params)),
                        stored_params=frozenset(region_locals & set(params)))


def instantiate(template: LeafTemplate, view: str, args: list[py.expr], fresh: Callable[[], str]) -> InlinedLeaf:
    """The template's region, commits and result at a site whose receiver's view is in local
    `view`, with simple arguments `args` (one per parameter) and new temporaries from `fresh`."""
    names = {name: fresh() for name in template.locals}
    names[template.view] = view
    prelude: list[py.stmt] = []
    substitutes: dict[str, py.expr] = {}
    loaded = {n.id for stmt in template.region for n in py.walk(stmt) if isinstance(n, py.Name)}
    loaded |= {local for _, local in template.commits}
    if isinstance(template.result, py.Name):
        loaded.add(template.result.id)
    for param, arg in zip(template.params, args):
        if param in template.stored_params:
            names[param] = fresh()
            prelude.append(P.assign(names[param], P.dup(arg)))
        else:
            substitutes[param] = arg
            if param not in loaded and isinstance(arg, py.Name):
                # the call evaluates every argument: an unbound one must fail here too
                prelude.append(P.expr_stmt(P.dup(arg)))
    renamer = _Renamer(names, substitutes)
    region = [renamer.visit(copy.deepcopy(stmt)) for stmt in template.region]
    commits = [P.assign(py.Attribute(value=P.name(view), attr=prop, ctx=py.Store()), P.name(names[local]))
               for prop, local in template.commits]
    result = renamer.visit(copy.deepcopy(template.result))
    return InlinedLeaf(region=prelude + region, commits=commits, result=result)


@dataclass(frozen=True)
class LeafSite:
    """A direct method call site as CodeGen.graph_method_call emitted it: the nodes a rewrite
    changes in place, and the names they use."""

    name: str  # the method name
    key: str  # the site's cache attribute `c<unit>_<n>`
    receiver: py.expr  # simple
    args: list[py.expr]  # simple
    out: str  # where the call's value goes
    entry: str  # the local holding the site's entry (view, function)
    lookup: py.Try  # `try: <entry> = _rt_sites.<key>` ...
    dispatch: py.If  # `if <cached>: <call> else: <uncached>`
    span: Span


def inline_leaf_site(site: LeafSite, template: LeafTemplate, fresh: Callable[..., str]) -> None:
    """Rewrite the site to run the template's body in place while its inline entry (attribute
    `<key>_i`: (view, fast form)) holds the receiver's view, else to dispatch as before. A
    call that finds the usual entry current and holding this fast form copies it into the
    inline entry: a site whose receivers keep changing never pays for storing it (its usual
    entry never matches), one that calls one receiver again soon runs in place.
    The copy is sound as the usual entry is: nothing between reading and storing it can call
    anything (classes.call_sites), and a method change empties both."""
    inline_key = f"{site.key}_i"
    entry, view = fresh(), fresh("v")
    sites = P.name("_rt_sites")
    entry_store = py.Attribute(value=P.name("_rt_sites"), attr=inline_key, ctx=py.Store())
    lookup = P.try_except([P.assign(entry, P.attr(sites, inline_key))], P.name("_rt_AttributeError"),
                          [py.Assign(targets=[P.store(entry), entry_store], value=P.name("_rt_EMPTY_SITE"))])
    guard = py.BoolOp(op=py.And(), values=[
        py.Compare(left=P.attr(P.dup(site.receiver), "__class__"), ops=[py.Is()], comparators=[P.name("_rt_Graph")]),
        py.Compare(left=py.NamedExpr(target=P.store(view), value=P.attr(P.dup(site.receiver), "_pview")),
                   ops=[py.Is()], comparators=[_item(entry, 0)]),
    ])
    inlined = instantiate(template, view, site.args, fresh)
    # anything raised in the region: the fast form runs from the start, as a call would
    fallback = P.assign(site.out, P.call(_item(entry, 1), P.dup(site.receiver), *[P.dup(a) for a in site.args]))
    finish = [*inlined.commits, P.assign(site.out, inlined.result)]
    if inlined.region:
        body: list[py.stmt] = [py.Try(body=inlined.region, handlers=[
            py.ExceptHandler(type=P.name("_rt_Exception"), name=None, body=[fallback])], orelse=finish, finalbody=[])]
    else:
        body = finish
    # the usual site, now the else branch
    usual_lookup = py.copy_location(py.Try(body=site.lookup.body, handlers=site.lookup.handlers, orelse=[],
                                           finalbody=[]), site.lookup)
    usual = py.copy_location(py.If(test=site.dispatch.test, body=site.dispatch.body, orelse=site.dispatch.orelse),
                             site.dispatch)
    site.lookup.body, site.lookup.handlers = lookup.body, lookup.handlers
    site.dispatch.test, site.dispatch.body, site.dispatch.orelse = guard, body, [usual_lookup, usual]
    is_fast = py.Compare(left=_item(site.entry, 1), ops=[py.Is()], comparators=[P.name(template.fast_name)])
    usual.body = [P.if_(is_fast, [py.Assign(targets=[copy.deepcopy(entry_store)], value=P.name(site.entry))]),
                  *usual.body]
    for node in (site.lookup, site.dispatch):
        for child in py.iter_child_nodes(node):
            P.stamp(child, site.span)
        py.fix_missing_locations(node)


def _item(name: str, index: int) -> py.Subscript:
    return py.Subscript(value=P.name(name), slice=P.const(index), ctx=py.Load())


class _Renamer(py.NodeTransformer):
    def __init__(self, names: dict[str, str], substitutes: dict[str, py.expr]) -> None:
        self.names = names
        self.substitutes = substitutes

    def visit_Name(self, node: py.Name) -> py.expr:
        substitute = self.substitutes.get(node.id)
        if substitute is not None:
            return py.copy_location(P.dup(substitute), node)
        renamed = self.names.get(node.id)
        if renamed is not None:
            node.id = renamed
        return node


def _stores(stmts: Iterable[py.stmt]) -> set[str]:
    return {n.id for stmt in stmts for n in py.walk(stmt) if isinstance(n, py.Name) and isinstance(n.ctx, py.Store)}


def _view_load(stmt: py.stmt, receiver: str) -> str | None:
    """`view = receiver._pview`, the fast form's first statement: the view's local."""
    if (isinstance(stmt, py.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], py.Name)
            and isinstance(stmt.value, py.Attribute) and stmt.value.attr == "_pview"
            and isinstance(stmt.value.value, py.Name) and stmt.value.value.id == receiver):
        return stmt.targets[0].id
    return None


def _flatten(stmts: Iterable[py.stmt], view: str) -> list[py.stmt] | None:
    """The statements with miss handlers dropped (a `try` becomes its body), or None when one
    is not understood."""
    flat: list[py.stmt] = []
    for stmt in stmts:
        if isinstance(stmt, py.Try):
            if stmt.orelse or stmt.finalbody or not all(_is_miss_handler(h) for h in stmt.handlers):
                return None
            body = _flatten(stmt.body, view)
            if body is None:
                return None
            flat.extend(body)
        elif isinstance(stmt, py.Pass):
            continue
        elif isinstance(stmt, py.Assign):
            if len(stmt.targets) != 1 or not _is_target(stmt.targets[0], view) or not _pure(stmt.value, view):
                return None
            flat.append(stmt)
        elif isinstance(stmt, (py.Expr, py.Return)):
            if stmt.value is not None and not _pure(stmt.value, view):
                return None
            flat.append(stmt)
        elif isinstance(stmt, py.If):
            body, orelse = _flatten(stmt.body, view), _flatten(stmt.orelse, view)
            if body is None or orelse is None or not _pure(stmt.test, view):
                return None
            if any(isinstance(s, py.Return) or _writes_view(s, view) for s in _walk_stmts(body + orelse)):
                return None
            flat.append(py.copy_location(py.If(test=stmt.test, body=body or [py.Pass()], orelse=orelse), stmt))
        else:
            return None
    return flat


def _is_miss_handler(handler: py.ExceptHandler) -> bool:
    return handler.name is None and isinstance(handler.type, py.Name) and handler.type.id in _MISS_HANDLERS


def _is_target(target: py.expr, view: str) -> bool:
    return isinstance(target, py.Name) or _is_view_attribute(target, view)


def _is_view_attribute(node: py.expr, view: str) -> bool:
    return isinstance(node, py.Attribute) and isinstance(node.value, py.Name) and node.value.id == view


def _pure(node: py.expr, view: str) -> bool:
    """Constants, names, view reads, symbols and operators over them: nothing that calls,
    indexes or changes anything, so evaluating it again gives the same value or error."""
    for child in py.walk(node):
        if isinstance(child, (py.Constant, py.Name, *_OPERATORS)) or isinstance(child, (py.operator, py.unaryop,
                                                                                        py.boolop, py.cmpop,
                                                                                        py.expr_context)):
            continue
        if isinstance(child, py.Attribute) and isinstance(child.value, py.Name) and (
                child.value.id == view or child.value.id == "_rt_S"):
            continue
        return False
    return True


def _walk_stmts(stmts: list[py.stmt]) -> Iterable[py.stmt]:
    for stmt in stmts:
        yield stmt
        if isinstance(stmt, py.If):
            yield from _walk_stmts(stmt.body)
            yield from _walk_stmts(stmt.orelse)


def _writes_view(stmt: py.stmt, view: str) -> bool:
    return isinstance(stmt, py.Assign) and _is_view_attribute(stmt.targets[0], view)


def _final_return_only(flat: list[py.stmt]) -> bool:
    """A `return` only as the last top-level statement (branches hold none: _flatten)."""
    return not any(isinstance(stmt, py.Return) for stmt in flat[:-1])


def _names_are_safe(flat: list[py.stmt], function_locals: set[str], receiver: str, view: str) -> bool:
    """Every name read is a local, the view, or a runtime name no Graphoid variable can
    shadow; the receiver itself is never read (only the dropped handlers read it)."""
    for stmt in flat:
        for node in py.walk(stmt):
            if isinstance(node, py.Name) and isinstance(node.ctx, py.Load):
                if node.id == receiver:
                    return False
                if node.id not in function_locals and node.id != view and not node.id.startswith("_rt"):
                    return False
    return True


def _definitely_assigned(stmts: list[py.stmt], assigned: set[str], local_names: set[str]) -> bool:
    """Is every local read where every path has assigned it? (A stale temporary of an
    earlier call must never stand for the method's unbound local.) Updates `assigned`."""
    for stmt in stmts:
        if isinstance(stmt, py.If):
            if not _reads_assigned(stmt.test, assigned, local_names):
                return False
            then, other = set(assigned), set(assigned)
            if not (_definitely_assigned(stmt.body, then, local_names)
                    and _definitely_assigned(stmt.orelse, other, local_names)):
                return False
            assigned |= then & other
            continue
        value = stmt.value if isinstance(stmt, (py.Assign, py.Expr, py.Return)) else None
        if value is not None and not _reads_assigned(value, assigned, local_names):
            return False
        if isinstance(stmt, py.Assign) and isinstance(stmt.targets[0], py.Name):
            assigned.add(stmt.targets[0].id)
    return True


def _reads_assigned(node: py.expr, assigned: set[str], local_names: set[str]) -> bool:
    return all(n.id in assigned for n in py.walk(node)
               if isinstance(n, py.Name) and isinstance(n.ctx, py.Load) and n.id in local_names)


def _defer_writes(flat: list[py.stmt], view: str,
                  locals_: set[str]) -> tuple[list[py.stmt], list[tuple[str, str]], py.expr]:
    """The region (view writes turned into locals, later reads of those properties reading
    the locals), the commits and the result."""
    store_counts: dict[str, int] = {}
    for stmt in _walk_stmts(flat):
        if isinstance(stmt, py.Assign) and isinstance(stmt.targets[0], py.Name):
            store_counts[stmt.targets[0].id] = store_counts.get(stmt.targets[0].id, 0) + 1
    current: dict[str, str] = {}  # property -> local holding its value written so far
    order: list[str] = []
    region: list[py.stmt] = []
    result: py.expr = P.const(None)
    numbers = iter(range(len(flat) + 1))
    for index, stmt in enumerate(flat):
        stmt = _ReadRedirect(view, current).visit(copy.deepcopy(stmt))
        if isinstance(stmt, py.Return):
            value = stmt.value if stmt.value is not None else P.const(None)
            if isinstance(value, py.Constant) or (isinstance(value, py.Name) and value.id in locals_):
                result = value
            else:
                local = f"{_DEFERRED_PREFIX}{next(numbers)}"
                region.append(py.copy_location(P.assign(local, value), stmt))
                result = P.name(local)
            break
        if isinstance(stmt, py.Assign) and _is_view_attribute(stmt.targets[0], view):
            prop = stmt.targets[0].attr
            value = stmt.value
            if isinstance(value, py.Name) and value.id in locals_ and store_counts.get(value.id) == 1:
                current[prop] = value.id
            else:
                local = f"{_DEFERRED_PREFIX}{next(numbers)}"
                region.append(py.copy_location(P.assign(local, value), stmt))
                current[prop] = local
            if prop not in order:
                order.append(prop)
            continue
        region.append(stmt)
    commits = [(prop, current[prop]) for prop in order]
    return region, commits, result


class _ReadRedirect(py.NodeTransformer):
    """`view.p` read after p was written in the region: the local holding the new value."""

    def __init__(self, view: str, current: dict[str, str]) -> None:
        self.view = view
        self.current = current

    def visit_Attribute(self, node: py.Attribute) -> py.expr:
        if isinstance(node.ctx, py.Load) and _is_view_attribute(node, self.view) and node.attr in self.current:
            return py.copy_location(P.name(self.current[node.attr]), node)
        return self.generic_visit(node)
