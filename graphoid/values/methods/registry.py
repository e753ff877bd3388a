"""Method tables and dispatch: `call_method`, `call_bang`, `get_index`, `set_index`.

Each Python type has a dict from method name to `fn(receiver, *args, **kwargs)`. Dispatch is an
exact-type dict lookup followed by a name lookup; everything slower (subclasses, graph-like
objects, universal methods, error reporting) happens only on a miss.

Bang methods (`x.m!(a)`, meaning `x = x.m(a)`) may have an in-place mutator registered with
`bang_mutates=True`: `fn(receiver, *args)` changes the receiver and returns the bang's value.
`call_bang` runs it on the receiver itself when the caller proved the receiver unshared
(`unique=True`) and on a copy otherwise, so value semantics hold without copying on every read.
"""

from __future__ import annotations

import re
import types
from typing import Any, Callable

from graphoid.errors import GraphoidError, did_you_mean
from graphoid.values.format import type_name
from graphoid.values.lookup import bad_index, index_out_of_range, key_not_found
from graphoid.values.types import GList, GMap

Method = Callable[..., Any]

_TABLES: dict[type, dict[str, Method]] = {}
_MUTATORS: dict[type, dict[str, Method]] = {}
_UNIVERSAL: dict[str, Method] = {}
# Tables of graph-like types: their objects dispatch through their own `call`, which looks
# builtin methods up here (after user-defined methods) with `find_method`.
_DELEGATED: dict[type, dict[str, Method]] = {}
_RESOLVED: dict[type, dict[str, Method] | None] = {}
# Plain methods made from mutators (run on a copy); explicit registrations replace them.
_DERIVED: set[Method] = set()

_FUNCTION_TYPES = (
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.BuiltinMethodType,
)


_DELEGATING: dict[type, bool] = {}


def _is_delegating(py_type: type) -> bool:
    """True for graph-like types: their objects receive method calls through `call`."""
    known = _DELEGATING.get(py_type)
    if known is None:
        known = callable(getattr(py_type, "call", None)) and py_type not in _FUNCTION_TYPES
        _DELEGATING[py_type] = known
    return known


def method(py_type: type, *names: str, bang_mutates: bool = False) -> Callable[[Method], Method]:
    """Register `fn(receiver, *args, **kwargs)` as methods `names` of `py_type`.

    With `bang_mutates=True` the function is the in-place mutator behind `name!`; a plain
    `name` without its own registration then runs it on a copy and returns the copy.
    """

    def register(fn: Method) -> Method:
        plain = (_DELEGATED if _is_delegating(py_type) else _TABLES).setdefault(py_type, {})
        if bang_mutates:
            mutators = _MUTATORS.setdefault(py_type, {})
            derived = _pure_from_mutator(fn)
            for name in names:
                mutators[name] = fn
                # The plain form is derived once here; an explicit registration replaces it.
                if name not in plain or plain[name] in _DERIVED:
                    plain[name] = derived
            _DERIVED.add(derived)
        else:
            for name in names:
                plain[name] = fn
        _RESOLVED.clear()
        return fn

    return register


def universal(*names: str) -> Callable[[Method], Method]:
    """Register a method every value has (`to_string`, `type`, ...); type tables win."""

    def register(fn: Method) -> Method:
        for name in names:
            _UNIVERSAL[name] = fn
        return fn

    return register


def method_names(receiver: Any) -> list[str]:
    """Every builtin method name `receiver` answers to (for hints and REPL completion)."""
    t = type(receiver)
    names = set(_table_for(t) or ()) | set(_UNIVERSAL)
    names.update(_delegated_for(t) or ())
    return sorted(names)


def find_method(receiver: Any, name: str) -> Method | None:
    """The builtin method `name` of `receiver` without delegation, or None.

    Graph-like types call this from their own `call` after their user-defined methods.
    """
    t = type(receiver)
    table = _table_for(t)
    if table is not None:
        fn = table.get(name)
        if fn is not None:
            return fn
    delegated = _delegated_for(t)
    if delegated is not None:
        fn = delegated.get(name)
        if fn is not None:
            return fn
    return _UNIVERSAL.get(name)


def _delegated_for(t: type) -> dict[str, Method] | None:
    for base in t.__mro__:
        table = _DELEGATED.get(base)
        if table is not None:
            return table
    return None


def _table_for(t: type) -> dict[str, Method] | None:
    table = _TABLES.get(t)
    if table is not None:
        return table
    if t in _RESOLVED:
        return _RESOLVED[t]
    found: dict[str, Method] | None = None
    for base in t.__mro__[1:]:
        if base in _TABLES:
            found = _TABLES[base]
            break
    if found is None and not _is_delegating(t) and callable_type(t):
        found = _TABLES.get(types.FunctionType)
    _RESOLVED[t] = found
    return found


def callable_type(t: type) -> bool:
    """True for types whose instances are callable (every class is callable; its objects may not be)."""
    return any("__call__" in vars(base) for base in t.__mro__[:-1])


def _mutators_for(t: type) -> dict[str, Method]:
    table = _MUTATORS.get(t)
    if table is not None:
        return table
    for base in t.__mro__[1:]:
        if base in _MUTATORS:
            return _MUTATORS[base]
    return {}


class _BadArity(Exception):
    """Raised by wrappers when the wrapped method could not bind its arguments."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _pure_from_mutator(mutator: Method) -> Method:
    def pure(receiver: Any, *args: Any, **kwargs: Any) -> Any:
        copy = receiver.copy()
        try:
            mutator(copy, *args, **kwargs)
        except TypeError as exc:
            tb = exc.__traceback__
            if tb is not None and tb.tb_next is None:
                raise _BadArity(str(exc)) from None
            raise
        return copy

    pure.__wrapped__ = mutator  # type: ignore[attr-defined]
    return pure


# ---------------------------------------------------------------------------------------------
# calling


def _invoke(fn: Method, receiver: Any, name: str, args: tuple, kwargs: dict | None) -> Any:
    try:
        if kwargs:
            return fn(receiver, *args, **kwargs)
        return fn(receiver, *args)
    except (TypeError, _BadArity) as exc:
        raise _arity_or_same(exc, receiver, name, args, kwargs, fn) from None
    except (OverflowError, MemoryError):
        raise _too_large(receiver, name) from None


def _arity_or_same(
    exc: BaseException, receiver: Any, name: str, args: tuple, kwargs: dict | None, fn: Method
) -> BaseException:
    """The error to raise for a TypeError caught around a method call.

    Only a failure to bind the arguments (raised in the catching frame itself) is the caller's
    arity mistake; a TypeError from deeper down belongs to someone else and is re-raised as is.
    """
    if isinstance(exc, _BadArity):
        return arity_error(receiver, name, args, kwargs, fn, exc.reason)
    tb = exc.__traceback__
    if tb is not None and tb.tb_next is None:
        return arity_error(receiver, name, args, kwargs, fn, str(exc))
    return exc


_UNKNOWN_KEYWORD = re.compile(r"unexpected keyword argument '(\w+)'")


def arity_error(
    receiver: Any, name: str, args: tuple, kwargs: dict | None, fn: Method, reason: str = ""
) -> GraphoidError:
    """TypeError naming the method, its type and the arguments it accepts."""
    import inspect

    unknown = _UNKNOWN_KEYWORD.search(reason)
    if unknown is not None:
        return GraphoidError(
            "TypeError", f"{type_name(receiver)} method '{name}' has no parameter named '{unknown.group(1)}'"
        )
    try:
        params = list(inspect.signature(fn).parameters.values())[1:]
        shown = ", ".join(str(p).replace("*", "...", 1) if p.kind is p.VAR_POSITIONAL else p.name for p in params)
        expected = f"; expected ({shown})"
    except (TypeError, ValueError):
        expected = ""
    given = len(args) + len(kwargs or {})
    noun = "argument" if given == 1 else "arguments"
    return GraphoidError(
        "TypeError",
        f"Wrong arguments for {type_name(receiver)} method '{name}': got {given} {noun}{expected}",
    )


def call_method(receiver: Any, name: str, args: tuple = (), kwargs: dict | None = None) -> Any:
    """`receiver.name(*args, **kwargs)` for any Graphoid value."""
    table = _TABLES.get(type(receiver))
    if table is not None:
        fn = table.get(name)
        if fn is not None:
            # Inlined _invoke: this is the hottest path of method dispatch.
            try:
                if kwargs:
                    return fn(receiver, *args, **kwargs)
                return fn(receiver, *args)
            except (TypeError, _BadArity) as exc:
                raise _arity_or_same(exc, receiver, name, args, kwargs, fn) from None
            except (OverflowError, MemoryError):
                raise _too_large(receiver, name) from None
    elif _DELEGATING.get(type(receiver)):
        # Graphs, modules, messaging facades: straight to their own dispatcher.
        return receiver.call(name, args, kwargs)
    return _call_slow(receiver, name, args, kwargs)


def _too_large(receiver: Any, name: str) -> GraphoidError:
    # Huge counts (`"a".repeat(10 ** 30)`) fail in CPython's size arithmetic, not in user code.
    return GraphoidError("ValueError", f"Number too large in {type_name(receiver)} method '{name}'")


def _call_slow(receiver: Any, name: str, args: tuple, kwargs: dict | None) -> Any:
    t = type(receiver)
    if t is list or t is tuple:
        # Plain Python containers come from embedding code; treat them as Graphoid values.
        return call_method(GList(receiver), name, args, kwargs)
    if t is dict:
        return call_method(GMap(receiver), name, args, kwargs)
    if _is_delegating(t):
        return receiver.call(name, args, kwargs)
    table = _table_for(t)
    fn = table.get(name) if table is not None else None
    if fn is None:
        fn = _UNIVERSAL.get(name)
    if fn is None:
        if t is GMap and name in receiver:
            return _map_entry(receiver, name, args, kwargs)
        raise unknown_method(receiver, name)
    return _invoke(fn, receiver, name, args, kwargs)


def _map_entry(m: GMap, name: str, args: tuple, kwargs: dict | None) -> Any:
    """`m.key()` reads key `key` when no method has that name (reference behaviour); a stored
    function is called with the arguments, so a map can act as a record of functions."""
    value = m[name]
    if callable(value) and type(value) not in (GList, GMap):
        return value(*args, **(kwargs or {}))
    if args or kwargs:
        raise GraphoidError("TypeError", f"Map entry '{name}' is a {type_name(value)}, not a function")
    return value


def unknown_method(receiver: Any, name: str) -> GraphoidError:
    """RuntimeError `Unknown method 'x' on list` with a did-you-mean hint."""
    suggestion = did_you_mean(name, method_names(receiver))
    hint = f"did you mean '{suggestion}'?" if suggestion else None
    return GraphoidError("RuntimeError", f"Unknown method '{name}' on {type_name(receiver)}", hint=hint)


def frozen_error(receiver: Any, what: str) -> GraphoidError:
    return GraphoidError("RuntimeError", f"Cannot {what} a frozen {type_name(receiver)}")


def call_bang(receiver: Any, name: str, args: tuple, kwargs: dict | None, unique: bool) -> tuple[Any, Any]:
    """`receiver.name!(args)`: returns (value to rebind the receiver to, the expression's value).

    The expression's value is none except for mutators that return something (`pop!`).
    With `unique` the receiver itself may be changed; otherwise it is never touched.
    """
    t = type(receiver)
    if t is list or t is tuple:
        return call_bang(GList(receiver), name, args, kwargs, True)
    if t is dict:
        return call_bang(GMap(receiver), name, args, kwargs, True)
    mutators = _MUTATORS.get(t)
    fn = mutators.get(name) if mutators is not None else None
    if fn is None:
        if not _is_delegating(type(receiver)):
            fn = _mutators_for(type(receiver)).get(name)
    if fn is not None:
        if getattr(receiver, "frozen", False):
            raise frozen_error(receiver, "modify")
        target = receiver if unique else receiver.copy()
        try:
            if kwargs:
                return target, fn(target, *args, **kwargs)
            return target, fn(target, *args)
        except (TypeError, _BadArity) as exc:
            raise _arity_or_same(exc, receiver, name + "!", args, kwargs, fn) from None
        except (OverflowError, MemoryError):
            raise _too_large(receiver, name + "!") from None
    return call_method(receiver, name, args, kwargs), None


# ---------------------------------------------------------------------------------------------
# indexing


def _int_index(key: Any, kind: str) -> int:
    t = type(key)
    if t is int:
        return key
    if t is float and key.is_integer():
        return int(key)
    if isinstance(key, int) and t is not bool:
        return int(key)
    raise bad_index(key, f"{kind} index")


def get_index(container: Any, key: Any) -> Any:
    """`container[key]`: lists (negative indices), strings (chars), maps, graphs."""
    t = type(container)
    if t is GList or t is list or t is str or t is tuple:
        i = _int_index(key, "List" if t is not str else "String")
        try:
            return container[i]
        except IndexError:
            raise _out_of_bounds(container, i) from None
    if t is GMap or t is dict:
        try:
            return container[key]
        except KeyError:
            raise key_not_found(key, container) from None
        except TypeError:
            raise GraphoidError("TypeError", f"Map key must be a string, got {type_name(key)}") from None
    getter = getattr(container, "__getitem__", None)
    if getter is None:
        raise GraphoidError("TypeError", f"Cannot index a {type_name(container)}")
    try:
        return getter(key)
    except KeyError:
        raise key_not_found(key) from None
    except IndexError:
        raise GraphoidError("IndexError", f"Index out of bounds: {key}") from None


def _out_of_bounds(container: Any, i: int) -> GraphoidError:
    return index_out_of_range(i, len(container))


def set_index(container: Any, key: Any, value: Any, unique: bool) -> Any:
    """`container[key] = value`; returns the container to rebind (itself only when `unique`)."""
    t = type(container)
    if t is GList or t is GMap:
        if container.frozen:
            raise frozen_error(container, "modify")
        target = container if unique else container.copy()
        if target.rules:
            from graphoid.values.methods.rules import transform_one

            value = transform_one(target, value)
        if t is GList:
            i = _int_index(key, "List")
            try:
                target[i] = value
            except IndexError:
                raise _out_of_bounds(container, i) from None
        else:
            if type(key) is not str:
                raise GraphoidError("TypeError", f"Map key must be a string, got {type_name(key)}")
            target[key] = value
        return target
    if t is list or t is dict:
        return set_index(GList(container) if t is list else GMap(container), key, value, True)
    setter = getattr(container, "__setitem__", None)
    if setter is None or t is str or t is tuple:
        raise GraphoidError("TypeError", f"Cannot assign to an index of a {type_name(container)}")
    setter(key, value)
    return container
