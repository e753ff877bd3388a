"""Class-like graphs: properties, methods, dispatch, inheritance, instances, introspection.

Method lookup walks the *chain* of a graph: itself, then its template (for instances made by
`Name { ... }`), else its parent (`from Parent`), repeatedly. Static methods are found first,
then user methods (guarded variants before the unguarded fallback), then the builtin graph
methods, so user methods shadow builtins.

Private methods (`_name`) may only be called while a method of the same receiver is running:
`active_stack()` is the (per-thread) stack of receivers whose user methods are executing, and a
private call is allowed only when its receiver is the top of that stack (i.e. a call on `self`).
"""

from __future__ import annotations

import threading
import types
import weakref
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from graphoid.errors import GraphoidError, did_you_mean
from graphoid.values.direct_calls import GRAPH_DIRECT_ARITIES
from graphoid.graphs.layers import MethodSet
from graphoid.values.types import GList, Symbol

if TYPE_CHECKING:
    from graphoid.graphs.graph import Graph



class _ThreadState(threading.local):
    """Per-thread dispatch state (executors may run node methods on several threads)."""

    def __init__(self) -> None:
        self.active: list[Any] = []
        # (id(graph), property) pairs whose setter is running, so the setter's own write is direct.
        self.in_setter: set[tuple[int, str]] = set()


_STATE = _ThreadState()
# Bumped whenever any graph's methods or links change; method lookup caches compare it.
_METHOD_VERSION = [0]


class WriteEpoch:
    """Proof that implicit-self writes may store straight into `_props` (no setter, not frozen).

    A graph's `_pw` is `DENIED` or the epoch current when that was last verified. Any method
    change ends the current epoch (its `ok` turns False), so every graph re-verifies once;
    freezing resets `_pw` to `DENIED` (`Graph._refresh_guard`). Generated code tests
    `self._pw.ok`: two slot reads instead of a call chain per write. Ending an epoch also
    empties every call-site cache (call_sites), whose entries are only good within one.
    """

    __slots__ = ("ok",)

    def __init__(self, ok: bool) -> None:
        self.ok = ok


DENIED = WriteEpoch(False)
_EPOCH = [WriteEpoch(True)]

# Bumped whenever an existing graph's property dict may be replaced or its write proof denied
# (Graph._refresh_guard, restore_from, messaging's rollback): what caches of many graphs'
# `_props` dicts (messaging's WarmSet.receiver_states) compare, instead of every graph.
PROPS_REPLACED = [0]


def methods_changed() -> None:
    _METHOD_VERSION[0] += 1
    _EPOCH[0].ok = False
    _EPOCH[0] = WriteEpoch(True)
    if _SITES_FILLED[0]:
        _empty_call_sites()


def builtins_epoch(graph: Any) -> WriteEpoch:
    """The current epoch if `graph` runs its builtin methods as they are (no user methods, no
    template or parent to find any in, no method constraints), else DENIED. Methods and
    constraints are only added with methods_changed, which ends the epoch; templates and
    parents are only set on new graphs."""
    behavior = graph.behavior
    metadata = graph.metadata
    if (behavior.methods or behavior.statics or metadata.template is not None or metadata.parent is not None
            or graph.control.constraints):
        return DENIED
    return _EPOCH[0]


def exact_builtins(graph: Any) -> bool:
    """May a compiled loop call the direct builtins of `graph` (exactly a Graph) with no test per
    call (compiler/loop_versions.py)? Its builtins are exact (`_bx`, refreshed here as Graph.call
    refreshes it) and no rule or freezing guards its mutators, so no builtin runs user code."""
    if not graph._bx.ok:
        graph._bx = builtins_epoch(graph)
    return graph._bx.ok and not graph._guarded


def method_version() -> int:
    return _METHOD_VERSION[0]
_BUILTINS: dict[str, Callable[..., Any]] | None = None
# Names answered by the messaging handler context instead of the instance graph.
CONTEXT_METHODS = frozenset({"out_degree", "in_degree", "degree", "neighbors"})
CONTEXT_PROPERTIES = frozenset({"id", "graph"})
# Moves whenever a CONTEXT_PROPERTIES key may have appeared in the property dict of an existing
# graph: a new key stored (set_property, define_property, include; generated code writes these
# two names only through set_property, CodeGen.emit_self_write) or a graph's dict replaced by
# one holding such a key (restore_from, messaging's rollback, the codec). Graphs made since
# start with whatever they hold: a cache of "no node shadows the context" (messaging.local's
# WarmSet) covers a fixed set of existing instances, and re-proves itself when this moved.
_CONTEXT_KEYS_EPOCH = [0]
_MISSING = object()


def context_keys_epoch() -> int:
    """The current epoch of context-property keys (see _CONTEXT_KEYS_EPOCH)."""
    return _CONTEXT_KEYS_EPOCH[0]


def context_keys_may_appear() -> None:
    """End the epoch: some graph may now hold a `graph` or `id` property it did not hold."""
    _CONTEXT_KEYS_EPOCH[0] += 1


def note_props_replaced(props: dict[str, Any]) -> None:
    """A graph's property dict is being replaced by `props`: end the epoch if it holds a
    context-property key."""
    if "graph" in props or "id" in props:
        _CONTEXT_KEYS_EPOCH[0] += 1


# A direct-call table entry (`_mdirect[name]`) is (function, site target). A leaf function
# (functions.as_leaf) runs without its receiver pushed on the active stack, and call sites may
# cache it: its site target is its fast form (`_gd_fast`) if it has one, else itself. Any other
# function's site target is False. NOT_DIRECT: no entry.
NOT_DIRECT: tuple[None, bool] = (None, False)


def _direct_entry(fn: Callable[..., Any]) -> tuple[Callable[..., Any], Any]:
    if getattr(fn, "_gd_leaf", False) is not True:
        return fn, False
    return fn, getattr(fn, "_gd_fast", fn)


class PropertyView:
    """A graph's properties as attributes: its `__dict__` is the graph's `_props` dict itself.

    The fast body of a leaf method (CodeGen.view_body) reads and writes `view.name`, which
    CPython specialises better than `props["name"]`. A graph's `_pview` is None or the view of
    its current `_props`, so every assignment to `_props` sets `_pview = None`
    (tests/unit/test_class_call_sites.py checks the sources). The class defines nothing but
    dunder names, and property names starting with `__` never take the view.
    """


def property_view(graph: Any) -> PropertyView:
    """A new view of the graph's current `_props`, kept as its `_pview`."""
    view = PropertyView()
    view.__dict__ = graph._props
    graph._pview = view
    return view


# A call site's entry in call_sites(): (the receiver's PropertyView, the function to call with
# (receiver, *args)). EMPTY_SITE's key is no graph's view (a graph's `_pview` may be None).
EMPTY_SITE: tuple[object, None] = (object(), None)
# Every interpreter's call-site module. _SITES_FILLED[0]: an entry may have been stored since
# they were last emptied: set by fill_site and by every write proof handed out (a site stores
# an entry inline only for a receiver holding one), so declaring methods, with no property
# write in between, empties the sites once.
_SITE_MODULES: "weakref.WeakSet[types.ModuleType]" = weakref.WeakSet()
_SITES_FILLED = [False]


def call_sites() -> types.ModuleType:
    """Inline caches of the direct method call sites of one interpreter (CodeGen.graph_method_call).

    Attribute `c<unit>_<n>` is one site's last leaf target, keyed by its receiver's
    PropertyView: a call on a graph whose `_pview` is the entry's runs the entry's function
    with no lookup and no test in the method. The view stands for the graph, its current
    property dict and its write proof (`_pview` is reset whenever `_props` is replaced or `_pw`
    is denied: Graph._refresh_guard), and a method change empties every site (methods_changed),
    so a hit needs nothing else checked. An entry is one tuple replaced whole, so another
    thread never sees half of one. A module object with no `__getattr__`, because CPython 3.11
    specialises attribute reads of such modules only; a site read before it exists stores
    EMPTY_SITE itself (the read's AttributeError handler in the generated code), so later
    reads are plain hits.
    """
    sites = types.ModuleType("graphoid call sites")
    _SITE_MODULES.add(sites)
    return sites


class UncachedSites:
    """Call sites that keep no entry: every call dispatches through the method table and
    runs as a call. An interpreter recording its call graph uses these (the recorder must
    see every method call, and a cached site may run a leaf's body in place)."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("c"):
            return EMPTY_SITE
        raise AttributeError(name)

    def __setattr__(self, name: str, value: Any) -> None:
        pass  # an entry stored here is forgotten at once


def fill_site(sites: types.ModuleType, key: str, graph: Any, fn: Callable[..., Any], target: Any) -> None:
    """Cache the leaf method `fn` of `graph` at call site `key` when the site could not store
    the entry inline (CodeGen.graph_method_call: no view yet, or no write proof): `target`
    (fn's fast form, if it has one) when plain writes are allowed (no setter, not frozen: the
    proof set_property would record), else fn."""
    epoch = _EPOCH[0]
    if graph._mcache_ver != _METHOD_VERSION[0]:
        return  # methods changed since fn was read from the graph's table
    proof = graph._pw
    if not proof.ok:
        proof = graph._pw = graph._write_epoch()
    view = graph._pview
    if view is None:
        view = property_view(graph)
    _SITES_FILLED[0] = True
    setattr(sites, key, (view, target if proof.ok else fn))
    if not epoch.ok:
        # methods changed while this entry was made: it may hold a stale target
        setattr(sites, key, EMPTY_SITE)


def _empty_call_sites() -> None:
    """Forget every call-site entry (the methods they hold may have changed)."""
    _SITES_FILLED[0] = False
    for sites in list(_SITE_MODULES):
        entries = sites.__dict__
        for key in [key for key in entries if key[0] == "c"]:
            entries[key] = EMPTY_SITE


def _builtin_table() -> dict[str, Callable[..., Any]]:
    global _BUILTINS
    if _BUILTINS is None:
        from graphoid.graphs.methods import GRAPH_METHODS

        _BUILTINS = GRAPH_METHODS
    return _BUILTINS


def active_stack() -> list[Any]:
    """This thread's stack of receivers of running user methods (messaging pushes handlers)."""
    return _STATE.active


def active_receiver() -> Any:
    """The receiver of the innermost running user method, or None."""
    active = _STATE.active
    return active[-1] if active else None


def _name_of(value: Any) -> str:
    return value.name if isinstance(value, Symbol) else str(value)


def _names(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [_name_of(item) for item in value]
    return [_name_of(value)]


class ClassLikeMixin:
    """Class-like behaviour of `Graph` (kept apart so graph.py stays about the data layer)."""

    __slots__ = ()

    # ------------------------------------------------------------------ declaration

    @staticmethod
    def declare_class(name: str, graph_type: Any = "directed", parent: "Graph | None" = None) -> "Graph":
        """A class-like template `graph Name [from Parent] { ... }` (properties copied from parent)."""
        from graphoid.graphs.graph import Graph, deep_copy_value

        if parent is not None and not isinstance(parent, Graph):
            raise GraphoidError("TypeError", f"'{name}' can only inherit from a graph")
        if parent is not None:
            graph = Graph(graph_type if graph_type not in (None, "directed") else parent.graph_type)
            graph._props = {key: deep_copy_value(value) for key, value in parent._props.items()}
            graph._pview = None
            graph.control = parent.control.copy()
            graph._refresh_guard()
            graph.metadata.parent = parent
        else:
            graph = Graph(graph_type if graph_type is not None else "directed")
        graph.metadata.type_name = name
        return graph

    def chain(self) -> Iterator["Graph"]:
        """self, then template or parent links, for method lookup."""
        graph: Any = self
        while graph is not None:
            yield graph
            meta = graph.metadata
            graph = meta.template if meta.template is not None else meta.parent

    # ------------------------------------------------------------------ properties

    def define_property(self, name: str, value: Any) -> None:
        if self.control.frozen:  # type: ignore[attr-defined]
            raise _frozen()
        props = self._props  # type: ignore[attr-defined]
        if name in CONTEXT_PROPERTIES and name not in props:
            context_keys_may_appear()
        props[name] = value

    def has_property(self, name: str) -> bool:
        return name in self._props  # type: ignore[attr-defined]

    def get_property(self, name: str, default: Any = None) -> Any:
        """Property, then handler context (`id`, `graph`), then data node, then `default`."""
        value = self._props.get(name, _MISSING)  # type: ignore[attr-defined]
        if value is not _MISSING:
            return value
        ctx = self._msg_ctx  # type: ignore[attr-defined]
        if ctx is not None and name in CONTEXT_PROPERTIES:
            return ctx.get(name)
        return self._nodes.get(name, default)  # type: ignore[attr-defined]

    def set_property(self, name: str, value: Any) -> None:
        """`g.name = v` and implicit-self writes; a `set name(v)` setter runs when defined."""
        if self.control.frozen:  # type: ignore[attr-defined]
            raise _frozen()
        setter = self._find_setter(name)
        state = _STATE
        if setter is not None and (id(self), name) not in state.in_setter:
            key = (id(self), name)
            state.in_setter.add(key)
            state.active.append(self)
            try:
                setter(self, value)
            finally:
                state.active.pop()
                state.in_setter.discard(key)
            return
        props = self._props  # type: ignore[attr-defined]
        if name in CONTEXT_PROPERTIES and name not in props:
            context_keys_may_appear()
        props[name] = value
        if setter is None and not self._pw.ok:  # type: ignore[attr-defined]
            self._pw = self._write_epoch()  # type: ignore[attr-defined]

    def _write_epoch(self) -> WriteEpoch:
        """The current epoch when no setter exists along the chain (and not frozen), else DENIED."""
        if self.control.frozen:  # type: ignore[attr-defined]
            return DENIED
        for graph in self.chain():
            if graph.behavior.setters:
                return DENIED
        epoch = _EPOCH[0]
        # after reading the epoch: if it ends meanwhile, the proof is dead and nothing is cached
        _SITES_FILLED[0] = True
        return epoch

    def _find_setter(self, name: str) -> Callable[..., Any] | None:
        """The `set name(v)` setter along the chain (cached with the method lookups)."""
        cache = self._method_cache()
        key = ("setter", name)
        found = cache.get(key, _MISSING)
        if found is _MISSING:
            found = cache[key] = self._resolve_setter(name)
        return found

    def _resolve_setter(self, name: str) -> Callable[..., Any] | None:
        for graph in self.chain():
            if graph.behavior.setters:
                setter = graph.behavior.setters.get(name)
                if setter is not None:
                    return setter
        return None

    # ------------------------------------------------------------------ methods

    def define_method(
        self,
        name: str,
        fn: Callable[..., Any],
        *,
        guard: Callable[..., Any] | None = None,
        static: bool = False,
        private: bool = False,
        setter: bool = False,
    ) -> None:
        """Register a method; `fn(self, *args)`; guarded variants are tried in definition order."""
        if self.control.frozen:  # type: ignore[attr-defined]
            raise _frozen()
        behavior = self.behavior  # type: ignore[attr-defined]
        methods_changed()
        if setter:
            behavior.setters[name] = fn
            return
        if private and not name.startswith("_"):
            name = "_" + name
        if static:
            behavior.statics[name] = fn
            return
        entry = behavior.methods.get(name)
        if entry is None:
            entry = behavior.methods[name] = MethodSet(private=name.startswith("_"))
        if guard is None:
            entry.default = fn
        else:
            entry.guarded.append((guard, fn))

    def add_rule(self, rule: Any, *args: Any, severity: Any = None) -> None:
        """`rule :name[, param]` in a graph body and `g.add_rule(...)` (see graph_rules)."""
        from graphoid.graphs import rules as graph_rules

        graph_rules.add_rule(self, rule, *args, severity=severity)  # type: ignore[arg-type]

    def configure_access(self, readable: Any = (), writable: Any = (), accessible: Any = ()) -> None:
        """`configure { readable: [:p], writable: :q }`: getter `p()` and setter `set_q(v)`."""
        for prop in _names(readable) + _names(accessible):
            self.define_method(prop, _make_getter(prop))
        for prop in _names(writable) + _names(accessible):
            self.define_method("set_" + prop, _make_setter(prop))

    def own_method_names(self) -> list[str]:
        behavior = self.behavior  # type: ignore[attr-defined]
        names = list(behavior.methods)
        names.extend(name for name in behavior.statics if name not in behavior.methods)
        return names

    def find_method(self, name: str) -> tuple[str, Any] | None:
        """("static", fn) or ("method", MethodSet) along the chain, or None (cached per graph)."""
        cache = self._method_cache()
        found = cache.get(name, _MISSING)
        if found is _MISSING:
            found = cache[name] = self._resolve_method(name)
        return found

    def _method_cache(self) -> dict[Any, Any]:
        """The lookup cache, emptied (with the direct-call table) when any method changed."""
        cache = self._mcache  # type: ignore[attr-defined]
        if self._mcache_ver != _METHOD_VERSION[0]:  # type: ignore[attr-defined]
            cache.clear()
            self._mdirect.clear()  # type: ignore[attr-defined]
            self._mcache_ver = _METHOD_VERSION[0]  # type: ignore[attr-defined]
        return cache

    def _resolve_method(self, name: str) -> tuple[str, Any] | None:
        for graph in self.chain():
            fn = graph.behavior.statics.get(name)
            if fn is not None:
                return ("static", fn)
        for graph in self.chain():
            entry = graph.behavior.methods.get(name)
            if entry is not None:
                return ("method", entry)
        return None

    def call(self, name: str, args: tuple = (), kwargs: dict | None = None) -> Any:
        """Dispatch `g.name(*args)`: context names, statics, user methods, then builtins."""
        ctx = self._msg_ctx  # type: ignore[attr-defined]
        if ctx is not None and name in CONTEXT_METHODS:
            return ctx.call(name, args)
        # find_method inlined: every graph method call passes here.
        cache = self._mcache  # type: ignore[attr-defined]
        if self._mcache_ver != _METHOD_VERSION[0]:  # type: ignore[attr-defined]
            cache.clear()
            self._mdirect.clear()  # type: ignore[attr-defined]
            self._mcache_ver = _METHOD_VERSION[0]  # type: ignore[attr-defined]
        found = cache.get(name, _MISSING)
        if found is _MISSING:
            found = cache[name] = self._resolve_method(name)
        if found is not None:
            kind, target = found
            if kind == "static":
                if name not in CONTEXT_METHODS:
                    self._mdirect[name] = _direct_entry(target)  # type: ignore[attr-defined]
                return _run(self, target, args, kwargs)
            if (target.default is not None and not target.guarded and not target.private
                    and not self.control.constraints and name not in CONTEXT_METHODS):  # type: ignore[attr-defined]
                # Nothing for _invoke to check: call sites may run it directly (with _run's push
                # and pop of the active stack, unless it is a leaf) until the next method change
                # (_method_cache).
                self._mdirect[name] = _direct_entry(target.default)  # type: ignore[attr-defined]
            return self._invoke(target, name, args, kwargs)
        builtin = (_BUILTINS or _builtin_table()).get(name)
        if builtin is None:
            builtin = _registry_method(self, name)
            if builtin is None:
                raise unknown_method(name, self)
        if self.control.constraints and name in MUTATING_BUILTINS:  # type: ignore[attr-defined]
            return _constrained_builtin(builtin, self, name, args, kwargs)
        if not self._bx.ok and name in GRAPH_DIRECT_ARITIES:  # type: ignore[attr-defined]
            # compiled call sites of the direct builtins (values/direct_calls.py) test `_bx.ok`
            self._bx = builtins_epoch(self)  # type: ignore[attr-defined]
        try:
            if kwargs:
                return builtin(self, *args, **kwargs)
            return builtin(self, *args)
        except TypeError as exc:
            # A TypeError raised while binding arguments (this very frame) is the caller's
            # arity mistake; one from deeper down passes through untouched.
            tb = exc.__traceback__
            if tb is not None and tb.tb_next is None:
                raise _arity_error(name, builtin, args, kwargs) from None
            raise

    def _invoke(self, entry: MethodSet, name: str, args: tuple, kwargs: dict | None) -> Any:
        active = _STATE.active
        if entry.private and not (active and active[-1] is self):
            raise GraphoidError(
                "RuntimeError", f"Cannot call private method '{name}' from outside the graph's own methods"
            )
        fn = entry.default
        for guard, variant in entry.guarded:
            active.append(self)
            try:
                ok = guard(self, *args)
            finally:
                active.pop()
            if ok is not None and ok is not False:
                fn = variant
                break
        if fn is None:
            raise GraphoidError("RuntimeError", f"No variant of method '{name}' matches (every 'when' guard failed)")
        if self.control.constraints:  # type: ignore[attr-defined]
            return _with_constraints(self, lambda: _run(self, fn, args, kwargs))
        return _run(self, fn, args, kwargs)

    def call_super(self, defining_template: "Graph", name: str, args: tuple = (), kwargs: dict | None = None) -> Any:
        """`super.name(...)` from a method defined in `defining_template`, with self = this graph."""
        parent = defining_template.metadata.parent
        if parent is None:
            raise GraphoidError("RuntimeError", f"'super' used in a graph without a parent ('{name}')")
        found = parent.find_method(name)
        if found is None:
            builtin = _builtin_table().get(name)
            if builtin is None:
                raise GraphoidError("RuntimeError", f"Parent graph has no method '{name}'")
            return builtin(self, *args, **(kwargs or {}))
        kind, target = found
        if kind == "static":
            return _run(self, target, args, kwargs)
        return self._invoke(target, name, args, kwargs)

    def responds_to(self, name: Any) -> bool:
        """True when a user method (or generated accessor) of that name is reachable."""
        return self.find_method(_name_of(name)) is not None

    def remove_method(self, name: Any) -> bool:
        key = _name_of(name)
        behavior = self.behavior  # type: ignore[attr-defined]
        methods_changed()
        removed = behavior.methods.pop(key, None) is not None
        removed = behavior.statics.pop(key, None) is not None or removed
        return removed

    def method_names(self) -> list[str]:
        """Every reachable user method name, nearest definition first, sorted."""
        seen: set[str] = set()
        for graph in self.chain():
            seen.update(graph.behavior.methods)
            seen.update(graph.behavior.statics)
        return sorted(seen)

    # ------------------------------------------------------------------ instances and mixins

    def instantiate(self, props: Any = None) -> "Graph":
        """`Name { k: v }`: a copy of the template's data and properties, methods via the template."""
        instance = self.new_instance()  # type: ignore[attr-defined]
        if props:
            instance._props.update(props)
        return instance

    def include(self, mixin: "Graph") -> GList:
        """Copy the mixin's methods (and missing properties) in; returns the names included."""
        from graphoid.graphs.graph import Graph, deep_copy_value

        if not isinstance(mixin, Graph):
            raise GraphoidError("TypeError", "include() expects a graph")
        if self.control.frozen:  # type: ignore[attr-defined]
            raise _frozen()
        included: list[str] = []
        behavior = self.behavior  # type: ignore[attr-defined]
        methods_changed()
        for graph in reversed(list(mixin.chain())):
            for name, entry in graph.behavior.methods.items():
                behavior.methods[name] = entry.copy()
                if name not in included:
                    included.append(name)
            for name, fn in graph.behavior.statics.items():
                behavior.statics[name] = fn
                if name not in included:
                    included.append(name)
            behavior.setters.update(graph.behavior.setters)
            for name, value in graph._props.items():
                if name in CONTEXT_PROPERTIES and name not in self._props:  # type: ignore[attr-defined]
                    context_keys_may_appear()
                self._props.setdefault(name, deep_copy_value(value))  # type: ignore[attr-defined]
        return GList(included)

    # ------------------------------------------------------------------ type introspection

    def type_of(self) -> str:
        for graph in self.chain():
            if graph.metadata.type_name is not None:
                return graph.metadata.type_name
        return "graph"

    def type_names(self) -> list[str]:
        names: list[str] = []
        for graph in self.chain():
            name = graph.metadata.type_name
            if name is not None and name not in names:
                names.append(name)
        return names

    def is_a(self, target: Any) -> bool:
        from graphoid.graphs.graph import Graph

        if isinstance(target, Graph):
            if any(graph is target for graph in self.chain()):
                return True
            name = target.metadata.type_name
            return name is not None and name in self.type_names()
        name = _name_of(target)
        return name == "graph" or name in self.type_names()

    def template(self) -> Any:
        """The class this graph was made from (instance -> template, clone/child -> parent)."""
        meta = self.metadata  # type: ignore[attr-defined]
        return meta.template if meta.template is not None else meta.parent

    def ancestors(self) -> GList:
        """Type names of the parent chain, nearest first (the graph's own type excluded)."""
        own = self.type_of()
        return GList(name for name in self.type_names() if name != own)

    # ------------------------------------------------------------------ dependency introspection

    def _method_functions(self) -> dict[str, list[Callable[..., Any]]]:
        table: dict[str, list[Callable[..., Any]]] = {}
        for graph in self.chain():
            for name, entry in graph.behavior.methods.items():
                table.setdefault(name, entry.functions())
        return table

    def _access_sets(self, attr: str) -> dict[str, set[str]]:
        return {
            name: {prop for fn in fns for prop in property_access(fn)[attr == "_gd_writes"]}
            for name, fns in self._method_functions().items()
        }

    def method_reads(self, name: Any) -> GList:
        return GList(sorted(self._access_sets("_gd_reads").get(_name_of(name), set())))

    def method_writes(self, name: Any) -> GList:
        return GList(sorted(self._access_sets("_gd_writes").get(_name_of(name), set())))

    def property_readers(self, prop: Any) -> GList:
        key = _name_of(prop)
        return GList(sorted(m for m, props in self._access_sets("_gd_reads").items() if key in props))

    def property_writers(self, prop: Any) -> GList:
        key = _name_of(prop)
        return GList(sorted(m for m, props in self._access_sets("_gd_writes").items() if key in props))

    def _dependency_graph(self) -> dict[str, set[str]]:
        """What each node of the dependency graph depends on.

        Methods are computed properties: a method depends on the properties it reads, and on
        the other methods that write those properties. Properties depend on nothing.
        """
        reads = self._access_sets("_gd_reads")
        writes = self._access_sets("_gd_writes")
        graph: dict[str, set[str]] = {prop: set() for prop in self._props}  # type: ignore[attr-defined]
        for props in list(reads.values()) + list(writes.values()):
            for prop in props:
                graph.setdefault(prop, set())
        for method, read in reads.items():
            writers = {other for other, written in writes.items() if other != method and written & read}
            graph[method] = set(read) | writers
        return graph

    def dependencies(self, name: Any) -> GList:
        """What `name` depends on: the properties a method reads and the methods writing them."""
        return GList(sorted(self._dependency_graph().get(_name_of(name), set())))

    def dependents(self, name: Any) -> GList:
        """The methods that depend on `name` (a property they read, or a method writing one)."""
        key = _name_of(name)
        return GList(sorted(node for node, deps in self._dependency_graph().items() if key in deps))

    def dependency_order(self) -> GList:
        """Properties and methods, each after what it depends on; ties (and cycles) are broken
        by putting properties first, then by name."""
        graph = self._dependency_graph()
        methods = set(self._method_functions())
        done: set[str] = set()
        order: list[str] = []
        while len(order) < len(graph):
            pending = [node for node in graph if node not in done]
            ready = [node for node in pending if graph[node] <= done] or pending
            chosen = min(ready, key=lambda node: (node in methods, node))
            order.append(chosen)
            done.add(chosen)
        return GList(order)


# Helpers compiled code calls for implicit-self property reads and writes.
_READ_HELPERS = frozenset({"_rt_self_get", "_rt_self_read"})
_WRITE_HELPERS = frozenset({"_rt_self_set"})
_RECEIVER_LOADS = frozenset({"LOAD_FAST", "LOAD_DEREF", "LOAD_CLOSURE", "LOAD_NAME", "LOAD_GLOBAL"})


def property_access(fn: Callable[..., Any]) -> tuple[set[str], set[str]]:
    """(reads, writes) of a method: `_gd_reads`/`_gd_writes` when the compiler attached them,
    else found in the bytecode as `_rt_self_get/_rt_self_read/_rt_self_set(self, "name", ...)`."""
    reads = getattr(fn, "_gd_reads", None)
    writes = getattr(fn, "_gd_writes", None)
    if reads is not None or writes is not None:
        return set(reads or ()), set(writes or ())
    found: tuple[set[str], set[str]] = (set(), set())
    code = getattr(fn, "__code__", None)
    if code is not None:
        _scan_code(code, found)
    return found


def _scan_code(code: Any, found: tuple[set[str], set[str]]) -> None:
    import dis

    pending: set[str] | None = None
    for ins in dis.get_instructions(code):
        if ins.opname == "LOAD_GLOBAL" and ins.argval in _READ_HELPERS:
            pending = found[0]
        elif ins.opname == "LOAD_GLOBAL" and ins.argval in _WRITE_HELPERS:
            pending = found[1]
        elif pending is not None and ins.opname == "LOAD_CONST" and isinstance(ins.argval, str):
            pending.add(ins.argval)
            pending = None
        elif ins.opname not in _RECEIVER_LOADS:
            pending = None
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            _scan_code(const, found)


# Builtins that change the data layer; method constraints are checked around them.
MUTATING_BUILTINS = frozenset(
    {"add_node", "add_edge", "remove_node", "remove_edge", "set_node_type", "add_subgraph", "set_property"}
)


def _call_builtin(fn: Callable[..., Any], graph: Any, name: str, args: tuple, kwargs: dict | None) -> Any:
    try:
        return fn(graph, *args, **(kwargs or {}))
    except TypeError as exc:
        tb = exc.__traceback__
        if tb is not None and tb.tb_next is None:
            raise _arity_error(name, fn, args, kwargs) from None
        raise


def _constrained_builtin(fn: Callable[..., Any], graph: Any, name: str, args: tuple, kwargs: dict | None) -> Any:
    # Apart from Graph.call so that its arguments are not closure cells there (a cost per call).
    return _with_constraints(graph, lambda: _call_builtin(fn, graph, name, args, kwargs))


def _arity_error(name: str, fn: Callable[..., Any], args: tuple, kwargs: dict | None) -> GraphoidError:
    import inspect

    try:
        params = [p.name for p in list(inspect.signature(fn).parameters.values())[1:]]
        expected = f"; expected ({', '.join(params)})"
    except (TypeError, ValueError):
        expected = ""
    given = len(args) + len(kwargs or {})
    return GraphoidError("TypeError", f"Wrong arguments for graph method '{name}': got {given}{expected}")


def _registry_method(graph: Any, name: str) -> Callable[..., Any] | None:
    """Universal methods (`type`, `to_string`, ...) from the shared method registry."""
    try:
        from graphoid.values.methods.registry import find_method
    except ImportError:
        return None
    return find_method(graph, name)


def _run(receiver: Any, fn: Callable[..., Any], args: tuple, kwargs: dict | None) -> Any:
    active = _STATE.active
    active.append(receiver)
    try:
        if kwargs:
            return fn(receiver, *args, **kwargs)
        return fn(receiver, *args)
    finally:
        active.pop()


def _with_constraints(graph: Any, action: Callable[[], Any]) -> Any:
    """Run a mutation, then every method constraint fn(before, after); undo on a violation."""
    before = graph.clone()
    result = action()
    for check, name in list(graph.control.constraints):
        ok = check(before, graph)
        if ok is None or ok is False:
            restore_from(graph, before)
            raise GraphoidError("RuleError", f"Method constraint '{name}' violated; the change was undone")
    return result


def restore_from(graph: Any, snapshot: Any) -> None:
    """Put back the data layer and properties of `snapshot` (a clone taken earlier)."""
    graph._nodes = snapshot._nodes
    graph._vals += 1
    graph._out = snapshot._out
    graph.adopt_in_index(snapshot)
    graph._edge_count = snapshot._edge_count
    graph._internal_ids = snapshot._internal_ids
    graph._node_types = snapshot._node_types
    note_props_replaced(snapshot._props)
    graph._props = snapshot._props
    graph._pview = None
    PROPS_REPLACED[0] += 1


def _make_getter(prop: str) -> Callable[..., Any]:
    def getter(self: Any) -> Any:
        return self.get_property(prop)

    getter._gd_name = prop  # type: ignore[attr-defined]
    getter._gd_reads = (prop,)  # type: ignore[attr-defined]
    return getter


def _make_setter(prop: str) -> Callable[..., Any]:
    def setter(self: Any, value: Any) -> None:
        self.set_property(prop, value)

    setter._gd_name = "set_" + prop  # type: ignore[attr-defined]
    setter._gd_writes = (prop,)  # type: ignore[attr-defined]
    return setter


def _frozen() -> GraphoidError:
    return GraphoidError("RuleError", "Cannot modify a frozen graph")


def unknown_method(name: str, graph: Any) -> GraphoidError:
    candidates: Iterable[str] = list(_builtin_table()) + graph.method_names()
    hint = did_you_mean(name, candidates)
    return GraphoidError(
        "RuntimeError", f"Unknown method '{name}' on graph", hint=f"did you mean '{hint}'?" if hint else None
    )
