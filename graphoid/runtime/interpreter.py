"""The Interpreter facade: run Graphoid source from Python, and the embedding boundary.

    >>> from graphoid import Interpreter
    >>> interp = Interpreter()
    >>> interp.run("fn sq(x) { return x * x }\\nsq(7)")
    49

An Interpreter owns one main namespace (top-level variables persist across `run` calls), its
builtins (Graphoid builtins, runtime helpers, host functions), the module cache, the output
streams, the step/time budget and the sandbox policy. Values cross the boundary converted
(`to_python` / `to_graphoid`): lists and maps become fresh plain `list`/`dict` copies, so the
host can never alias a Graphoid value.
"""

from __future__ import annotations

import inspect
import math
import numbers
import os
import re
import sys
import time
from collections.abc import MutableMapping
from types import CodeType
from typing import Any, Callable, Iterable, Iterator, NoReturn

from graphoid.values import ops
from graphoid.errors import GraphoidError, did_you_mean, format_error
from graphoid.values import limits, ops
from graphoid.runtime.introspection import Introspection, introspection_builtins
from graphoid.runtime.modules import ModuleSystem, read_source_file
from graphoid.runtime.namespace import (
    FILE_KEY, LAST_VALUE_KEY, MAIN_MODULE_NAME, MODULE_NAME_VARIABLE, mangle, new_namespace, unmangle, user_items
)
from graphoid.runtime.sandbox import Sandbox
from graphoid.syntax.ast import Span
from graphoid.values.types import GList, GMap

Writer = Callable[[str], Any]
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_PASS_THROUGH = (KeyboardInterrupt, SystemExit, GeneratorExit)


def _copy_on_write_thresholds() -> dict[str, int]:
    """The compiler's copy-on-write thresholds, measured (runtime/cow.py) on the first need."""
    from graphoid.runtime import cow

    return cow.thresholds()


def _writer(target: Any, stream: str) -> Writer:
    """A text sink: None means the process stream as it is at each write (so captures work)."""
    if target is None:
        return lambda text: getattr(sys, stream).write(text)
    write = getattr(target, "write", None)
    if callable(write):
        return write
    if callable(target):
        return target
    raise TypeError(f"{stream} must have a write method or be callable, not {type(target).__name__}")


class Interpreter:
    """A Graphoid interpreter for embedding; see docs/embedding.md."""

    def __init__(
        self,
        *,
        stdout: Any = None,
        stderr: Any = None,
        sandbox: bool = False,
        max_steps: int | None = None,
        time_limit: float | None = None,
        argv: Iterable[str] = (),
        allowed_roots: Iterable[str | os.PathLike[str]] = (),
        allowed_capabilities: Iterable[str] = (),
        loader: Callable[[str], str | None] | None = None,
    ) -> None:
        if max_steps is not None and (not isinstance(max_steps, int) or max_steps <= 0):
            raise ValueError("max_steps must be a positive integer")
        if time_limit is not None and (not isinstance(time_limit, (int, float)) or not time_limit > 0):
            raise ValueError("time_limit must be a positive number of seconds")
        self._write = _writer(stdout, "stdout")
        self._write_err = _writer(stderr, "stderr")
        self.sandbox = Sandbox.closed(allowed_roots, allowed_capabilities) if sandbox else Sandbox.open()
        self.max_steps = max_steps
        self.time_limit = time_limit
        self.limits = max_steps is not None or time_limit is not None
        self.argv = [str(arg) for arg in argv]
        # Host hook for `import "name"`: source text for a bare module name, or None.
        self.loader = loader
        self.modules = ModuleSystem(self)
        self.main_file: str | None = None
        self.sources: dict[str, str] = {}
        self._builtins: dict[str, Any] | None = None
        self._main: dict[str, Any] | None = None
        # [steps taken, monotonic deadline]; reset when the host enters Graphoid code.
        self._budget: list[float] = [0, math.inf]
        # What builtins charge (graphoid.values.limits), installed while this interpreter's
        # code runs; `_outer_budgets` holds what each entry displaced.
        self._meter = limits.Budget(self._budget, max_steps, time_limit) if self.limits else None
        self._outer_budgets: list[limits.Budget | None] = []
        self._depth = 0
        # This interpreter's `configure` state (settings, block stack), installed in
        # graphoid.values.ops while its code runs; `_outer_config` is what it displaced.
        self._config: Any = None
        self._outer_config: Any = None
        self._config_depth = 0
        self._actors: Any = None  # graphoid.concurrency.ActorSystem, made by the first `spawn`
        self.introspection = Introspection(self)

    # ------------------------------------------------------------------ namespaces

    @property
    def builtins(self) -> dict[str, Any]:
        """The `__builtins__` dict every namespace of this interpreter shares."""
        if self._builtins is None:
            self._builtins = self._make_builtins()
        return self._builtins

    def _make_builtins(self) -> dict[str, Any]:
        from graphoid.compiler import register_threshold_source
        from graphoid.runtime.builtins import make_builtins
        from graphoid.runtime.concurrency import concurrency_builtins
        from graphoid.runtime.helpers import make_helpers

        register_threshold_source(_copy_on_write_thresholds)

        table = dict(make_builtins(self._write))
        table.update(make_helpers())
        table.update(self.modules.helpers())
        table["ARGS"] = GList(self.argv)
        table[mangle(MODULE_NAME_VARIABLE)] = MAIN_MODULE_NAME
        table.update(introspection_builtins(self.introspection))
        table["_rt_declare_class"] = self.introspection.recording_declare(table["_rt_declare_class"])
        # `spawn` builds the actor system on first use (no threads or imports before).
        table["_rt_spawn"] = lambda template: self.actors.spawn(template)
        table["_rt_spawn_task"] = lambda body, values: self.actors.spawn_task(body, values)
        table.update(concurrency_builtins(self))
        if self.limits:
            table["_rt_tick"] = self._make_tick()
            table.update(limits.limited_helpers())
        self.sandbox.restrict(table)
        return table

    @property
    def namespace(self) -> dict[str, Any]:
        """The raw main namespace (Graphoid values, mangled names)."""
        if self._main is None:
            self._main = new_namespace(self, "<string>")
        return self._main

    @property
    def globals(self) -> "GlobalsView":
        """The top-level variables as a mutable mapping of converted values."""
        return GlobalsView(self)

    @property
    def actors(self) -> Any:
        """This interpreter's actors and `spawn { }` tasks (a graphoid.concurrency.ActorSystem)."""
        if self._actors is None:
            from graphoid.concurrency import ActorSystem

            self._actors = ActorSystem(self.warn, self.format_error)
        return self._actors

    def close(self) -> None:
        """End this interpreter's actors and tasks: queued messages are handled, every thread
        joined (the process's exit does the same for an interpreter never closed)."""
        if self._actors is not None:
            self._actors.close()

    # ------------------------------------------------------------------ limits

    def _make_tick(self) -> Callable[[], None]:
        """The `_rt_tick` generated code calls per function entry and loop iteration."""
        budget = self._budget
        clock = time.monotonic
        meter = self._meter
        assert meter is not None
        step_message = meter.step_error().message
        time_message = meter.time_error().message if self.time_limit else ""
        max_steps = self.max_steps

        # One closure per combination keeps the per-step cost to what was asked for.
        if self.time_limit is None:

            def _rt_tick() -> None:
                budget[0] += 1
                if budget[0] > max_steps:  # type: ignore[operator]
                    raise GraphoidError("LimitError", step_message)

        elif max_steps is None:

            def _rt_tick() -> None:
                if clock() > budget[1]:
                    raise GraphoidError("LimitError", time_message)

        else:

            def _rt_tick() -> None:
                budget[0] += 1
                if budget[0] > max_steps:
                    raise GraphoidError("LimitError", step_message)
                if clock() > budget[1]:
                    raise GraphoidError("LimitError", time_message)

        return _rt_tick

    def running(self) -> "HostRun":
        """Treat the host's calls inside the block (e.g. `execute`) as one top-level run:
        they share one step/time budget and this interpreter's `configure` settings."""
        return HostRun(self)

    @property
    def is_running(self) -> bool:
        """Is this interpreter's code (or a host call into it) running?"""
        return self._depth > 0

    def _enter(self) -> None:
        if self._depth == 0:
            self._budget[0] = 0
            self._budget[1] = time.monotonic() + self.time_limit if self.time_limit else math.inf
            self.introspection.entered()
        self._depth += 1
        self._outer_budgets.append(limits.install(self._meter))
        self._activate_config()

    def _leave(self) -> None:
        self._depth -= 1
        if self._depth == 0:
            self.introspection.left()
        limits.install(self._outer_budgets.pop())
        self._deactivate_config()

    def _activate_config(self) -> None:
        """Make this interpreter's `configure` settings the ones operators consult."""
        if self._config_depth == 0:
            if self._config is None:
                # A host may swap the builtins table; without an error log, collect = lenient.
                self._config = (ops.Config(errors=self.builtins.get("_rt_errors")), [])
            self._outer_config = ops.swap_config(self._config)
        self._config_depth += 1

    def _deactivate_config(self) -> None:
        """Keep the settings in force (body-less `configure` in a REPL session) for next time."""
        self._config_depth -= 1
        if self._config_depth == 0:
            self._config = ops.swap_config(self._outer_config)
            self._outer_config = None

    # ------------------------------------------------------------------ compiling and running

    def compile(
        self, source: str, filename: str = "<string>", *, mode: str = "exec", namespace: dict[str, Any] | None = None,
        cached: bool = False,
    ) -> CodeType:
        """Parse and compile Graphoid source to run in `namespace` (whose existing variables
        functions may then update); SyntaxError (and friends) as GraphoidError.

        cached: look the code up in (and store it into) the user's compiled-module cache.
        """
        from graphoid.syntax import parse

        self.introspection.notice_source(source)
        options = self._compile_options(mode, namespace)

        def compile_fresh(record: Any = None) -> CodeType:
            program = parse_guarded(parse, source, filename)
            return self._compile_program(program, source, filename, options, record)

        if not cached:
            return compile_fresh()
        from graphoid.compiler.cache import compile_cached

        return compile_cached(source, filename, options, compile_fresh)

    def _compile_options(self, mode: str, namespace: dict[str, Any] | None) -> dict[str, Any]:
        """compile_program's keyword arguments for this interpreter's state."""
        options: dict[str, Any] = {"mode": mode}
        if self.limits:
            options["limits"] = True
        if mode == "repl" and self._config_depth:
            # Settings an earlier input made without a body shape how this input compiles.
            if ops.CONFIG.integer:
                options["integer_mode"] = True
            if ops.CONFIG.error_mode != "strict":
                options["lenient"] = True
        if namespace:
            known = tuple(name for name, _ in user_items(namespace))
            if known:
                options["known_globals"] = known
        return options

    def _compile_program(
        self, program: Any, source: str, filename: str, options: dict[str, Any], record: Any = None
    ) -> CodeType:
        from graphoid.compiler import compile_program

        try:
            return compile_program(program, filename, source=source, record=record, **options)
        except RecursionError:
            raise GraphoidError("SyntaxError", "program is nested too deeply to compile", program.span) from None
        except MemoryError:
            raise GraphoidError("SyntaxError", "program is too large to compile", program.span) from None

    def execute(self, source: str, filename: str, namespace: dict[str, Any]) -> None:
        """Run source in `namespace` (the module system's entry; no budget reset)."""
        self.sources[filename] = source
        code = self.compile(source, filename, namespace=namespace, cached=True)
        self._activate_config()
        try:
            self.exec_code(code, namespace)
        finally:
            self._deactivate_config()

    def exec_code(self, code: CodeType, namespace: dict[str, Any]) -> None:
        """exec generated code; any escaping Python exception becomes a GraphoidError."""
        try:
            exec(code, namespace)
        except _PASS_THROUGH:
            raise
        except BaseException as exc:
            _raise_as_graphoid(exc)

    def _set_main_file(self, filename: str) -> None:
        if filename.startswith("<"):
            self.namespace[FILE_KEY] = "<string>"
            return
        real = os.path.realpath(filename)
        self.namespace[FILE_KEY] = real
        if self.main_file is None:
            self.main_file = real

    def run_raw(self, source: str, filename: str = "<string>", *, mode: str = "repl") -> Any:
        """Run source in the main namespace; the last expression statement's Graphoid value
        (always None with mode="exec", which skips recording it)."""
        self._enter()
        try:
            self.sources[filename] = source
            self._set_main_file(filename)
            namespace = self.namespace
            code = self.compile(source, filename, mode=mode, namespace=namespace)
            namespace.pop(LAST_VALUE_KEY, None)
            self.exec_code(code, namespace)
            return namespace.pop(LAST_VALUE_KEY, None)
        finally:
            self._leave()

    def run(self, source: str, filename: str = "<string>") -> Any:
        """Run source; returns the value of its last expression statement, converted to Python."""
        return to_python(self.run_raw(source, filename), self)

    def run_file(self, path: str | os.PathLike[str]) -> Any:
        """Run a .gd/.gr file (relative imports resolve from its folder)."""
        shown = os.fspath(path)
        source = read_source_file(path, shown=shown)
        return self.run(source, shown)

    def eval(self, expr: str) -> Any:
        """Evaluate one Graphoid expression in the main namespace; the converted value."""
        from graphoid.syntax import ast, parse

        filename = "<eval>"
        program = parse_guarded(parse, expr, filename)
        if len(program.body) != 1 or not isinstance(program.body[0], ast.ExprStmt):
            raise GraphoidError("SyntaxError", "eval expects exactly one expression", program.span)
        self._enter()
        try:
            self.sources[filename] = expr
            namespace = self.namespace
            code = self._compile_program(program, expr, filename, self._compile_options("repl", namespace))
            namespace.pop(LAST_VALUE_KEY, None)
            self.exec_code(code, namespace)
            return to_python(namespace.pop(LAST_VALUE_KEY, None), self)
        finally:
            self._leave()

    # ------------------------------------------------------------------ host <-> Graphoid calls

    def define(self, name: str, function: Callable[..., Any]) -> None:
        """Make a Python callable a Graphoid builtin `name` (visible in every module)."""
        _check_identifier(name)
        if not callable(function):
            raise TypeError(f"define() needs a callable, got {type(function).__name__}")
        self.builtins[mangle(name)] = host_function(name, function, self)

    def lookup(self, name: str) -> Any:
        """The raw Graphoid value bound to `name` (top level first, then builtins)."""
        key = mangle(name)
        namespace = self.namespace
        if key in namespace and unmangle(key) is not None:
            return namespace[key]
        if key in self.builtins and unmangle(key) is not None:
            return self.builtins[key]
        known = [n for n, _ in user_items(namespace)] + [n for n, _ in user_items(self.builtins)]
        suggestion = did_you_mean(name, known)
        raise GraphoidError(
            "NameError", f"Undefined variable '{name}'", hint=f"did you mean '{suggestion}'?" if suggestion else None
        )

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Call the Graphoid function `name` with converted arguments; the converted result."""
        function = self.lookup(name)
        if not callable(function):
            raise GraphoidError("TypeError", f"'{name}' is not a function")
        return to_python(self.call_value(function, args, kwargs), self)

    def call_value(self, function: Callable[..., Any], args: tuple, kwargs: dict[str, Any]) -> Any:
        """Call a Graphoid callable with Python arguments; the raw Graphoid result."""
        g_args = [to_graphoid(a, self) for a in args]
        g_kwargs = {k: to_graphoid(v, self) for k, v in kwargs.items()}
        self._enter()
        try:
            return function(*g_args, **g_kwargs)
        except _PASS_THROUGH:
            raise
        except BaseException as exc:
            # A call the host made wrongly (an arity error) fails before any Graphoid line runs:
            # it is reported at the function's definition.
            _to_graphoid_error(exc).with_span(_definition_span(function))
            _raise_as_graphoid(exc)
        finally:
            self._leave()

    # ------------------------------------------------------------------ output and errors

    def write(self, text: str) -> None:
        self._write(text)

    def warn(self, text: str) -> None:
        self._write_err(text + "\n")

    def format_error(self, error: GraphoidError, *, color: bool = False) -> str:
        """`file:line:col: Kind: message`, the source line and caret, the Graphoid stack."""
        source = self.sources.get(error.span.file) if error.span is not None else None
        return format_error(error, source, color=color)


def parse_guarded(parse: Callable[..., Any], source: str, filename: str) -> Any:
    """parse(), with Python-level exhaustion turned into SyntaxErrors."""
    try:
        return parse(source, filename)
    except RecursionError:
        raise GraphoidError("SyntaxError", "program is nested too deeply to parse") from None
    except MemoryError:
        raise GraphoidError("SyntaxError", "program is too large to parse") from None


def _to_graphoid_error(exc: BaseException) -> GraphoidError:
    from graphoid.values.pyerrors import to_graphoid_error

    return to_graphoid_error(exc)


def _raise_as_graphoid(exc: BaseException) -> NoReturn:
    """Re-raise exc as the GraphoidError it stands for (exc itself, traceback kept, if it is
    one), without chaining the Python exceptions behind it (GraphoidError.python_exception
    keeps the one it was translated from)."""
    raise _to_graphoid_error(exc).for_host() from None


def _definition_span(function: Any) -> Span | None:
    """Where a compiled Graphoid function is defined (its first line), else None."""
    from graphoid.values.pyerrors import is_graphoid_code

    code = getattr(function, "__code__", None)
    if code is None or not is_graphoid_code(code):
        return None
    return Span(code.co_filename, code.co_firstlineno, 1, code.co_firstlineno, 1)


def _check_identifier(name: str) -> None:
    if not isinstance(name, str) or not _IDENTIFIER.match(name):
        raise ValueError(f"not a Graphoid identifier: {name!r}")


# ---------------------------------------------------------------------- value conversion


def to_python(value: Any, interp: Interpreter | None = None) -> Any:
    """A Graphoid value as a host value: lists/maps become fresh plain list/dict copies,
    Graphoid functions become Python callables (when `interp` is given); everything else
    (numbers, strings, None, Symbol, Regex, graphs, modules, errors) is returned as is."""
    t = type(value)
    if t is str or t is int or t is float or t is bool or value is None:
        return value
    try:
        if isinstance(value, (list, tuple)):
            return [to_python(item, interp) for item in value]
        if isinstance(value, dict):
            return {key: to_python(item, interp) for key, item in value.items()}
    except RecursionError:
        from graphoid.values.deep import rebuild

        return rebuild(value, lambda leaf: to_python(leaf, interp), _plain_list, _plain_dict)
    if isinstance(value, int) and t is not bool:
        return int(value)
    host = getattr(value, "_gd_host", None)
    if host is not None:
        return host
    if interp is not None and callable(value) and hasattr(value, "_gd_name"):
        return GraphoidFunction(value, interp)
    return value


def to_graphoid(value: Any, interp: Interpreter | None = None) -> Any:
    """A host value as a Graphoid value: list/tuple/set -> GList, dict (string keys) -> GMap,
    callables -> host functions; Graphoid runtime values pass through. Anything else is a
    TypeError, so no arbitrary Python object leaks into a program."""
    t = type(value)
    if t is str or t is int or t is float or t is bool or value is None:
        return value
    if isinstance(value, GraphoidFunction):
        return value.function
    try:
        if isinstance(value, (list, tuple)):
            return GList([to_graphoid(item, interp) for item in value])
        if isinstance(value, dict):
            out = GMap()
            for key, item in value.items():
                _check_map_key(key)
                out[key] = to_graphoid(item, interp)
            return out
    except RecursionError:
        from graphoid.values.deep import rebuild

        return rebuild(value, lambda leaf: to_graphoid(leaf, interp), _graphoid_list, _graphoid_map)
    if isinstance(value, (set, frozenset)):
        items = list(value)
        try:
            items.sort()
        except TypeError:
            pass
        return GList([to_graphoid(item, interp) for item in items])
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real) or (isinstance(value, numbers.Number) and not isinstance(value, numbers.Complex)):
        return float(value)  # Decimal is a Number but not registered as Real
    if _is_runtime_value(value):
        return value
    if callable(value):
        name = getattr(value, "__name__", None) or "host"
        return host_function(name if _IDENTIFIER.match(name) else "host", value, interp)
    raise GraphoidError("TypeError", f"cannot convert Python {type(value).__name__} to a Graphoid value")


def _check_map_key(key: Any) -> None:
    if not isinstance(key, str):
        raise GraphoidError("TypeError", f"map keys must be strings, got {type(key).__name__}")


def _graphoid_list(_original: Any, items: list[Any]) -> GList:
    return GList(items)


def _graphoid_map(_original: Any, pairs: list[tuple[Any, Any]]) -> GMap:
    out = GMap()
    for key, item in pairs:
        _check_map_key(key)
        out[key] = item
    return out


def _plain_list(_original: Any, items: list[Any]) -> list[Any]:
    return items


def _plain_dict(_original: Any, pairs: list[tuple[Any, Any]]) -> dict[Any, Any]:
    return dict(pairs)


def _is_runtime_value(value: Any) -> bool:
    from graphoid.values.types import Regex, Symbol

    if isinstance(value, (Symbol, Regex, GraphoidError)):
        return True
    if hasattr(type(value), "gd_type_name") or hasattr(value, "_gd_name"):
        return True
    # Graphs and other delegating runtime objects answer Graphoid method calls through `call`.
    return callable(getattr(value, "call", None)) and hasattr(value, "node_count")


def host_function(name: str, function: Callable[..., Any], interp: Interpreter | None) -> Callable[..., Any]:
    """Wrap a Python callable for Graphoid: arguments arrive converted, the result goes back
    converted, and a Python exception becomes a RuntimeError naming the host function."""
    try:
        signature: inspect.Signature | None = inspect.signature(function)
    except (TypeError, ValueError):
        signature = None

    def host(*args: Any, **kwargs: Any) -> Any:
        py_args = [to_python(a, interp) for a in args]
        py_kwargs = {k: to_python(v, interp) for k, v in kwargs.items()}
        if signature is not None:
            try:
                signature.bind(*py_args, **py_kwargs)
            except TypeError as exc:
                raise GraphoidError("TypeError", f"{name}(): {exc}") from None
        try:
            result = function(*py_args, **py_kwargs)
        except GraphoidError:
            raise
        except _PASS_THROUGH:
            raise
        except Exception as exc:
            raise GraphoidError(
                "RuntimeError", f"host function '{name}' failed: {type(exc).__name__}: {exc}"
            ) from exc
        return to_graphoid(result, interp)

    host._gd_name = name  # type: ignore[attr-defined]
    host._gd_params = tuple(signature.parameters) if signature is not None else ()  # type: ignore[attr-defined]
    host._gd_host = function  # type: ignore[attr-defined]
    host.__name__ = name
    return host


class HostRun:
    """`with interp.running():` (a class, not a generator context manager: a worker enters
    one per task, and contextlib's machinery cost twice the entering itself)."""

    __slots__ = ("_interp",)

    def __init__(self, interp: Interpreter) -> None:
        self._interp = interp

    def __enter__(self) -> Interpreter:
        self._interp._enter()
        return self._interp

    def __exit__(self, *_exc: object) -> None:
        self._interp._leave()


class GraphoidFunction:
    """A Graphoid function handed to Python: call it with Python values, get Python values."""

    __slots__ = ("function", "_interp")

    def __init__(self, function: Callable[..., Any], interp: Interpreter) -> None:
        self.function = function
        self._interp = interp

    @property
    def name(self) -> str | None:
        return getattr(self.function, "_gd_name", None)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return to_python(self._interp.call_value(self.function, args, kwargs), self._interp)

    def __repr__(self) -> str:
        from graphoid.values.format import display

        return f"GraphoidFunction({display(self.function)})"


class GlobalsView(MutableMapping):
    """The interpreter's top-level variables by Graphoid name; reads and writes convert."""

    def __init__(self, interp: Interpreter) -> None:
        self._interp = interp

    def _key(self, name: str) -> str:
        _check_identifier(name)
        return mangle(name)

    def __getitem__(self, name: str) -> Any:
        return to_python(self.raw(name), self._interp)

    def raw(self, name: str) -> Any:
        """The unconverted Graphoid value (KeyError when undefined)."""
        if not isinstance(name, str) or not _IDENTIFIER.match(name):
            raise KeyError(name)
        key = mangle(name)
        namespace = self._interp.namespace
        if key not in namespace or unmangle(key) is None:
            raise KeyError(name)
        return namespace[key]

    def __setitem__(self, name: str, value: Any) -> None:
        self._interp.namespace[self._key(name)] = to_graphoid(value, self._interp)

    def __delitem__(self, name: str) -> None:
        self.raw(name)
        del self._interp.namespace[mangle(name)]

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in user_items(self._interp.namespace))

    def __len__(self) -> int:
        return sum(1 for _ in user_items(self._interp.namespace))

    def __repr__(self) -> str:
        return f"GlobalsView({sorted(self)})"
