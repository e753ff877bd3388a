"""Graphoid compiler: AST -> Python AST -> code object (docs/design.md, "Compiler")."""

from __future__ import annotations

import ast as py
import itertools
import warnings
from types import CodeType
from typing import Callable, Iterable

try:  # CPython's own module: hashlib would load OpenSSL too, which costs more than a small compile
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import blake2b

from graphoid.compiler.codegen import LAMBDA_LABEL, CodeGen, mangle
from graphoid.compiler.symbols import register_symbol
from graphoid.errors import GraphoidError
from graphoid.syntax import ast as g

__all__ = ["CompileRecord", "compile_program", "install_record", "mangle", "register_threshold_source", "unit_tag"]

# Units of compiles given no source text: unique in this process, never matched elsewhere.
_UNTAGGED_UNITS = itertools.count()


def unit_tag(filename: str, source: str) -> str:
    """The tag of a compile unit in its generated function names (`_rt_f<tag>_<n>`): a digest
    of the file name and source, so a function's name depends on nothing but its source and
    differs between files and between versions of one file."""
    data = f"{filename}\0{source}".encode("utf-8", "surrogatepass")
    return blake2b(data, digest_size=5).hexdigest()


def compile_program(program: g.Program, filename: str, *, mode: str = "exec", limits: bool = False,
                    known_globals: Iterable[str] = (), integer_mode: bool = False, lenient: bool = False,
                    source: str | None = None, record: CompileRecord | None = None,
                    _probe: bool = False) -> CodeType:
    """Compile a Graphoid program to a code object to run with `exec(code, namespace)`.

    mode "repl" stores the value of a final expression statement in `namespace["_rt_last"]`.
    known_globals names variables that already exist in the namespace (REPL inputs, `load`), so
    functions compiled now update them instead of creating locals.
    limits=True emits `_rt_tick()` at every function entry and loop iteration.
    integer_mode / lenient: compile as if inside `configure { :integer }` / a non-strict
    `error_mode` (a REPL session whose earlier input set them without a body).
    source: the text `program` was parsed from; it names the functions (`unit_tag`).
    record: filled with what installing a stored copy of the code needs (`install_record`).
    """
    from graphoid.values import pyerrors

    if mode not in ("exec", "repl"):
        raise ValueError(f"unknown compile mode {mode!r}")
    pyerrors.ensure_recursion_limit()
    # Calibrated on first need: a program without `!` calls or element assignment never pays it.
    thresholds = None if _probe else _LAZY_THRESHOLDS if record is None else _RecordingThresholds(record)
    unit = unit_tag(filename, source) if source is not None else f"u{next(_UNTAGGED_UNITS)}"
    gen = CodeGen(mode=mode, limits=limits, known_globals=frozenset(known_globals),
                  thresholds=thresholds, unit=unit)
    gen.integer_mode, gen.lenient = integer_mode, lenient
    module = gen.module(program)
    if record is not None:
        record.labels = dict(gen.function_labels)
        record.symbols = _symbol_names(module)
    with warnings.catch_warnings():
        # Identity tests against literals (`x is True`) are deliberate: no cross-type equality.
        warnings.simplefilter("ignore", SyntaxWarning)
        try:
            code = compile(module, filename, "exec")
        except SyntaxError as exc:
            # What CPython still refuses (a duplicate parameter, blocks nested too deeply).
            line = exc.lineno or program.span.line
            span = g.Span(filename, line, (exc.offset or 0) + 1, exc.end_lineno or line, (exc.end_offset or 0) + 1)
            raise GraphoidError("SyntaxError", _python_message(exc.msg), span) from None
    pyerrors.register_file(filename)
    _label_functions(code, gen.function_labels)
    return code


class CompileRecord:
    """What a compile did besides making its code: the function labels, the symbols the code
    reads from `_rt_S`, and the copy-on-write thresholds it baked in."""

    def __init__(self, labels: dict[str, str] | None = None, symbols: tuple[str, ...] = (),
                 thresholds: dict[str, int] | None = None) -> None:
        self.labels = labels if labels is not None else {}
        self.symbols = symbols
        self.thresholds = thresholds if thresholds is not None else {}

    def is_current(self) -> bool:
        """True when the thresholds the code was generated with are still this process's."""
        return all(_LAZY_THRESHOLDS.get(key, 0) == value for key, value in self.thresholds.items())


def install_record(code: CodeType, filename: str, record: CompileRecord) -> None:
    """Prepare the runtime for code compiled earlier (another process) as compile_program does."""
    from graphoid.values import pyerrors

    pyerrors.ensure_recursion_limit()
    for name in record.symbols:
        register_symbol(name)
    pyerrors.register_file(filename)
    _label_functions(code, record.labels)


class _RecordingThresholds:
    """The registered thresholds, noting each one the code generator consults."""

    def __init__(self, record: CompileRecord) -> None:
        self._record = record

    def get(self, key: str, default: int = 0) -> int:
        value = _LAZY_THRESHOLDS.get(key, default)
        self._record.thresholds[key] = value
        return value


def _symbol_names(module: py.Module) -> tuple[str, ...]:
    """The symbols (`_rt_S.<name>`) the generated module reads."""
    return tuple(sorted({node.attr for node in py.walk(module) if isinstance(node, py.Attribute)
                         and isinstance(node.value, py.Name) and node.value.id == "_rt_S"}))


def _python_message(message: str) -> str:
    if message.startswith("duplicate argument"):
        return "duplicate parameter name" + message[len("duplicate argument"):].split(" in function")[0]
    return message


def _label_functions(code: CodeType, labels: dict[str, str]) -> None:
    """Record the Graphoid name of every compiled function for error stacks."""
    from graphoid.values.pyerrors import register_function_name
    from graphoid.values.format import lambda_label

    stack = [code]
    while stack:
        current = stack.pop()
        label = labels.get(current.co_name)
        if label is not None:
            register_function_name(current, lambda_label(current) if label == LAMBDA_LABEL else label)
        stack.extend(c for c in current.co_consts if isinstance(c, CodeType))


# Where the copy-on-write thresholds come from: the runtime registers `cow.thresholds` (it
# measures them by running compiled probes, so the compiler cannot import it). Unregistered,
# every threshold is 0: values are copied always, slow but correct.
_THRESHOLD_SOURCE: list[Callable[[], dict[str, int]]] = []


def register_threshold_source(source: Callable[[], dict[str, int]]) -> None:
    """Set the function that measures (once) and returns the copy-on-write thresholds."""
    _THRESHOLD_SOURCE[:] = [source]


class _LazyThresholds:
    """The registered thresholds as a read-only mapping, calibrated on the first lookup."""

    def get(self, key: str, default: int = 0) -> int:
        if not _THRESHOLD_SOURCE:
            return default
        return _THRESHOLD_SOURCE[0]().get(key, default)


_LAZY_THRESHOLDS = _LazyThresholds()


def dump(program: g.Program, filename: str = "<dump>", *, mode: str = "exec") -> str:
    """The Python source equivalent of what compile_program emits (for debugging and docs)."""
    gen = CodeGen(mode=mode, limits=False, known_globals=frozenset(), thresholds=_LAZY_THRESHOLDS,
                  unit=f"u{next(_UNTAGGED_UNITS)}")
    return py.unparse(gen.module(program))
