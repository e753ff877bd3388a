"""How Graphoid functions reach workers: the program bundle, function refs, the function table.

Driver side: a `ProgramBundle` is every source file the interpreter compiled (entry file,
imported and loaded modules; stdlib files by name and digest only), content-hashed. A
`FunctionExporter` describes a function value as a `FunctionRef`: where its code is (bundle
hash, file, code qualname, first line; the function id hashes those) plus what it captured
(closure cells and the module globals its code reads, taken by value when it is sent). The
compiler names functions after their file's name and source only (`graphoid.compiler.unit_tag`),
so a qualname means the same code in every process that compiles that source.

Worker side: a `FunctionTable` compiles each bundle file (once) with Graphoid's own compiler, indexes
the code objects by (qualname, first line) and never runs a file's top-level statements.
`materialise(ref)` builds the function with `types.FunctionType` over a fresh namespace (the
worker's builtins plus the captured globals), fresh closure cells and the compiler's metadata
(`_gd_name`, `_gd_params`, `_gd_folds`, `_gd_arms`, ...) put back as the compiler made it.
"""

from __future__ import annotations

import dis
import os
import re
import types
from pathlib import Path
from types import CodeType
from typing import Any, Callable, Mapping

import attrs

from graphoid.compiler import unit_tag
from graphoid.distributed.ids import content_digest, stable_hash
from graphoid.resources import stdlib_dir
from graphoid.errors import GraphoidError
from graphoid.values.format import display
from graphoid.values.functions import MISSING, make_function, with_arms, with_folds
from graphoid.graphs.classes import _make_getter, _make_setter
from graphoid.runtime.interpreter import Interpreter
from graphoid.runtime.namespace import FILE_KEY, new_namespace

__all__ = [
    "AccessorRef", "Captures", "EMPTY_CELL", "FunctionExporter", "FunctionRef", "FunctionTable",
    "NativeRef", "ProgramBundle", "ProgramError", "SourceFile", "StdlibFile", "compiled_from", "function_id",
]

# Kinds of ProgramError: the ref names code this table cannot find (unknown bundle, no such
# function, a shape that differs from the compiled one), or a bundle that is not what it claims.
FUNCTION_NOT_FOUND = "FunctionNotFound"
BUNDLE_MISMATCH = "BundleMismatch"


class ProgramError(GraphoidError):
    """A function or bundle that cannot be resolved on this side."""


class _EmptyCell:
    """Marks a closure cell that had no value yet when the function was sent."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<empty cell>"


EMPTY_CELL = _EmptyCell()


# ------------------------------------------------------------------------------ the bundle


@attrs.frozen(slots=True)
class SourceFile:
    """One shipped source file, under the file name the driver compiled it with."""

    filename: str
    text: str


@attrs.frozen(slots=True)
class StdlibFile:
    """A stdlib module, never shipped: its name in stdlib/ and its content digest."""

    filename: str
    name: str
    digest: str


def _stdlib_root() -> str:
    return os.path.realpath(stdlib_dir())


@attrs.frozen
class ProgramBundle:
    """The program's sources as the driver compiled them, content-addressed by `hash`."""

    entry: str
    sources: tuple[SourceFile, ...]
    stdlib: tuple[StdlibFile, ...] = ()
    hash: str = attrs.field(init=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "hash", self.compute_hash())

    def compute_hash(self) -> str:
        """blake2b over the entry name, every (file, text) pair and every stdlib identity, sorted."""
        parts: list[str] = ["entry", self.entry]
        for source in sorted(self.sources, key=lambda s: s.filename):
            parts += ["src", source.filename, source.text]
        for lib in sorted(self.stdlib, key=lambda s: s.filename):
            parts += ["std", lib.filename, lib.name, lib.digest]
        return content_digest(*parts)

    @property
    def filenames(self) -> frozenset[str]:
        return frozenset(s.filename for s in self.sources) | frozenset(s.filename for s in self.stdlib)

    @classmethod
    def from_sources(cls, entry: str, sources: Mapping[str, str]) -> "ProgramBundle":
        """A bundle of the given file name -> text pairs; stdlib files are recognised by path."""
        shipped: list[SourceFile] = []
        stdlib: list[StdlibFile] = []
        root = _stdlib_root()
        for filename, text in sources.items():
            real = os.path.realpath(filename) if not filename.startswith("<") else filename
            if os.path.dirname(real) == root:
                name = os.path.basename(real)
                stdlib.append(StdlibFile(filename, name, content_digest(text)))
            else:
                shipped.append(SourceFile(filename, text))
        return cls(entry, tuple(shipped), tuple(stdlib))

    @classmethod
    def from_interpreter(cls, interp: Interpreter) -> "ProgramBundle":
        """Everything `interp` compiled: its entry (first) file and every module it ran."""
        sources = dict(interp.sources)
        entry = next(iter(sources), "<string>")
        return cls.from_sources(entry, sources)

    def texts(self) -> dict[str, str]:
        """file name -> source text, stdlib files read from this installation's stdlib/.

        A stdlib file that differs from the driver's (another version) is a BundleMismatch."""
        found = {source.filename: source.text for source in self.sources}
        for lib in self.stdlib:
            path = Path(stdlib_dir()) / lib.name
            try:
                text = path.read_text(encoding="utf-8")
            except OSError:
                raise ProgramError(BUNDLE_MISMATCH, f"stdlib module '{lib.name}' is missing on this worker") from None
            if content_digest(text) != lib.digest:
                raise ProgramError(
                    BUNDLE_MISMATCH,
                    f"stdlib module '{lib.name}' differs on this worker (another graphoid version than the driver's)",
                )
            found[lib.filename] = text
        return found


# A compiled function's name: `_rt_f<unit tag>_<number in its compile>`.
_FUNCTION_NAME = re.compile(r"_rt_f([0-9a-z]+)_\d+")


def compiled_from(qualname: str, tag: str) -> bool:
    """True when every function named in `qualname` comes from the compile unit `tag`."""
    return all(match.group(1) == tag for match in _FUNCTION_NAME.finditer(qualname))


def function_id(bundle_hash: str, file: str, qualname: str, firstlineno: int) -> int:
    """The content-addressed id of a function: the same code in the same bundle, the same id."""
    return stable_hash(content_digest(bundle_hash, file, qualname, str(firstlineno)))


# ------------------------------------------------------------------------------ refs


@attrs.define(eq=False)
class Captures:
    """What a function captured, by value: globals its code reads, closure cells, and the
    compiler's on_message metadata (fold arms: symbol -> property; symbol arms: (symbol,
    function, stateless, route fill `(h, x)` or None), see functions.with_arms)."""

    globals: dict[str, Any]
    cells: list[Any]
    folds: tuple[tuple[str, str], ...] = ()
    arms: tuple[tuple[str, Any, bool, tuple[Any, Any] | None], ...] = ()


@attrs.define(eq=False)
class FunctionRef:
    """A compiled Graphoid function by where its code is, plus its captures.

    `namespace_key` groups functions that share one module namespace (so they share it again
    after materialising); `namespace_file` is that namespace's `__file__`."""

    bundle_hash: str
    file: str
    qualname: str
    firstlineno: int
    function_id: int
    name: str | None
    params: tuple[str, ...]
    rest: bool
    defaults: tuple[bool, ...]  # per default: True = evaluated at call time, False = none
    freevars: tuple[str, ...]
    namespace_key: int
    namespace_file: str
    captures: Captures | None = None


@attrs.frozen(slots=True)
class NativeRef:
    """A builtin function (print, string, an error constructor, ...): travels by name."""

    name: str


@attrs.frozen(slots=True)
class AccessorRef:
    """A getter `p()` or setter `set_p(v)` made by `configure { readable/writable }`."""

    kind: str  # "get" | "set"
    prop: str


_GETTER_CODE = _make_getter("_").__code__
_SETTER_CODE = _make_setter("_").__code__
# namespace keys the worker's fresh namespace provides itself
_UNCAPTURED = frozenset({"__builtins__", FILE_KEY})
_GLOBAL_OPS = frozenset({"LOAD_GLOBAL", "STORE_GLOBAL", "DELETE_GLOBAL", "LOAD_NAME", "STORE_NAME"})


def _global_names(code: CodeType, found: set[str]) -> None:
    """Every name `code` (and code nested in it) reads or writes as a global."""
    for ins in dis.get_instructions(code):
        if ins.opname in _GLOBAL_OPS:
            found.add(ins.argval)
    for const in code.co_consts:
        if isinstance(const, CodeType):
            _global_names(const, found)


class FunctionExporter:
    """Driver side: function values as FunctionRef / NativeRef / AccessorRef."""

    def __init__(self, interp: Interpreter, bundle: ProgramBundle | None = None) -> None:
        self.bundle = bundle if bundle is not None else ProgramBundle.from_interpreter(interp)
        self._files = self.bundle.filenames
        self._tags: dict[str, str] | None = None  # file -> unit tag of the bundle's text
        self._natives = {id(value): key for key, value in interp.builtins.items()}
        self._builtins = interp.builtins
        self._globals_of: dict[CodeType, tuple[str, ...]] = {}
        # the ActorHost that gives actor handles their wire form (distributed/actors.py); None:
        # handles cannot be sent with this exporter
        self.actors: Any = None

    def is_native(self, value: Any) -> bool:
        """True for a builtin of this interpreter (also non-callable ones like `list`)."""
        key = self._natives.get(id(value))
        return key is not None and self._builtins.get(key) is value

    def export(self, fn: Any) -> FunctionRef | NativeRef | AccessorRef:
        """How `fn` travels; SerializationError for functions that are not in the program."""
        if self.is_native(fn):
            return NativeRef(self._natives[id(fn)])
        code = getattr(fn, "__code__", None)
        if not isinstance(fn, types.FunctionType) or code is None:
            raise _cannot_send(fn, "a host function")
        if code is _GETTER_CODE or code is _SETTER_CODE:
            prop = fn.__closure__[0].cell_contents  # type: ignore[index]
            return AccessorRef("get" if code is _GETTER_CODE else "set", prop)
        if code.co_filename not in self._files:
            raise _cannot_send(fn, "not compiled from the program's sources")
        return self._function_ref(fn, code)

    def _function_ref(self, fn: types.FunctionType, code: CodeType) -> FunctionRef:
        bundle_hash = self.bundle.hash
        namespace = fn.__globals__
        qualname = code.co_qualname
        if not compiled_from(qualname, self._tag_of(code.co_filename)):
            raise _cannot_send(fn, f"'{code.co_filename}' was compiled again since it was defined")
        ref = FunctionRef(
            bundle_hash, code.co_filename, qualname, code.co_firstlineno,
            function_id(bundle_hash, code.co_filename, qualname, code.co_firstlineno),
            getattr(fn, "_gd_name", None), tuple(getattr(fn, "_gd_params", ())), bool(getattr(fn, "_gd_rest", False)),
            _default_flags(fn), code.co_freevars, id(namespace), str(namespace.get(FILE_KEY, "<string>")),
        )
        names = self._globals_of.get(code)
        if names is None:
            found: set[str] = set()
            _global_names(code, found)
            names = self._globals_of[code] = tuple(sorted(found))
        captured = {name: namespace[name] for name in names if name in namespace and name not in _UNCAPTURED}
        cells = [_cell_value(cell) for cell in fn.__closure__ or ()]
        folds = tuple((symbol.name, prop) for symbol, prop in getattr(fn, "_gd_folds", {}).items())
        stateless = getattr(fn, "_gd_stateless", frozenset())
        fills = getattr(fn, "_gd_route_fills", {})
        arms = tuple(
            (symbol.name, arm, symbol in stateless, fills.get(symbol)) for symbol, arm in getattr(fn, "_gd_arms", {}).items()
        )
        ref.captures = Captures(captured, cells, folds, arms)
        return ref

    def _tag_of(self, file: str) -> str:
        if self._tags is None:
            self._tags = {name: unit_tag(name, text) for name, text in self.bundle.texts().items()}
        return self._tags[file]


def _default_flags(fn: types.FunctionType) -> tuple[bool, ...]:
    flags = []
    for value in fn.__defaults__ or ():
        if value is not MISSING and value is not None:
            raise _cannot_send(fn, "it has host default values")
        flags.append(value is MISSING)
    return tuple(flags)


def _cell_value(cell: Any) -> Any:
    try:
        return cell.cell_contents
    except ValueError:  # not bound yet
        return EMPTY_CELL


def _cannot_send(fn: Any, why: str) -> GraphoidError:
    return GraphoidError("SerializationError", f"cannot send {display(fn)}: {why}")


# ------------------------------------------------------------------------------ the worker side


class MaterialiseSession:
    """One batch of materialising (one decoded message): functions that shared a namespace on
    the driver share a fresh one here; a ref seen twice gives the same function."""

    def __init__(self, interp: Interpreter) -> None:
        self._interp = interp
        self._namespaces: dict[int, dict[str, Any]] = {}
        self.functions: dict[int, Any] = {}

    def namespace(self, key: int, file: str) -> dict[str, Any]:
        found = self._namespaces.get(key)
        if found is None:
            found = self._namespaces[key] = new_namespace(self._interp, file)
        return found


class FunctionTable:
    """Worker side: compiled bundles by hash; FunctionRef -> a callable Graphoid function."""

    def __init__(self, interp: Interpreter) -> None:
        self.interp = interp
        self._bundles: dict[str, ProgramBundle] = {}
        self._texts: dict[str, dict[str, str]] = {}
        # (bundle hash, file) -> {(qualname, first line): code}
        self._index: dict[tuple[str, str], dict[tuple[str, int], CodeType]] = {}
        # the ActorHost that turns decoded actor addresses into working handles (actors.py)
        self.actors: Any = None

    def load(self, bundle: ProgramBundle, expected_hash: str | None = None) -> None:
        """Accept a bundle; BundleMismatch when its content is not what `expected_hash` says."""
        actual = bundle.compute_hash()
        if expected_hash is not None and actual != expected_hash:
            raise ProgramError(BUNDLE_MISMATCH, f"program bundle hash mismatch: expected {expected_hash}, got {actual}")
        texts = bundle.texts()
        self._bundles[actual] = bundle
        self._texts[actual] = texts
        for filename, text in texts.items():
            self.interp.sources.setdefault(filename, text)

    def has_bundle(self, bundle_hash: str) -> bool:
        return bundle_hash in self._bundles

    def session(self) -> MaterialiseSession:
        return MaterialiseSession(self.interp)

    # ---- finding code

    def code_for(self, ref: FunctionRef) -> CodeType:
        """The compiled code the ref names (checked against the ref's shape)."""
        texts = self._texts.get(ref.bundle_hash)
        if texts is None:
            raise ProgramError(FUNCTION_NOT_FOUND, f"unknown program bundle {ref.bundle_hash} for {_label(ref)}")
        if ref.file not in texts:
            raise ProgramError(FUNCTION_NOT_FOUND, f"file '{ref.file}' is not in program bundle {ref.bundle_hash}")
        # Function names do not depend on the compile mode (the driver compiles its entry file in
        # REPL mode): one compile finds them all. Another shape is not the driver's function.
        code = self._compiled(ref.bundle_hash, ref.file).get((ref.qualname, ref.firstlineno))
        if code is not None and code.co_freevars == ref.freevars and len(ref.defaults) <= code.co_argcount:
            return code
        raise ProgramError(FUNCTION_NOT_FOUND, f"{_label(ref)} is not in '{ref.file}' of bundle {ref.bundle_hash}")

    def _compiled(self, bundle_hash: str, file: str) -> dict[tuple[str, int], CodeType]:
        key = (bundle_hash, file)
        index = self._index.get(key)
        if index is None:
            module = self.interp.compile(self._texts[bundle_hash][file], file, cached=True)
            index = self._index[key] = {}
            pending = [const for const in module.co_consts if isinstance(const, CodeType)]
            while pending:
                code = pending.pop()
                index[(code.co_qualname, code.co_firstlineno)] = code
                pending.extend(const for const in code.co_consts if isinstance(const, CodeType))
        return index

    # ---- building functions

    def shell(self, ref: FunctionRef, session: MaterialiseSession) -> types.FunctionType:
        """The function with empty closure cells and its (shared) namespace; `complete` fills them."""
        expected = function_id(ref.bundle_hash, ref.file, ref.qualname, ref.firstlineno)
        if ref.function_id != expected:
            raise ProgramError(FUNCTION_NOT_FOUND, f"function id {ref.function_id} does not match {_label(ref)}")
        code = self.code_for(ref)
        namespace = session.namespace(ref.namespace_key, ref.namespace_file)
        cells = tuple(types.CellType() for _ in code.co_freevars)
        defaults = tuple(MISSING if flag else None for flag in ref.defaults) or None
        fn = types.FunctionType(code, namespace, code.co_name, defaults, cells)
        return make_function(fn, ref.name, ref.params, ref.rest)

    def complete(self, fn: types.FunctionType, captures: Captures, session: MaterialiseSession) -> None:
        """Put the captured globals, cell contents and on_message metadata into `fn`."""
        cells = fn.__closure__ or ()
        if len(captures.cells) != len(cells):
            raise ProgramError(FUNCTION_NOT_FOUND, f"{len(captures.cells)} captured cells for {len(cells)} free variables")
        namespace = fn.__globals__
        for name, value in captures.globals.items():
            if not isinstance(name, str) or name in ("__builtins__", FILE_KEY):
                raise ProgramError(FUNCTION_NOT_FOUND, f"invalid captured global name {name!r}")
            namespace[name] = value
        for cell, value in zip(cells, captures.cells):
            if value is not EMPTY_CELL:
                cell.cell_contents = value
        if captures.folds:
            with_folds(fn, captures.folds)
        if captures.arms:
            for _, arm, _, _ in captures.arms:
                if not callable(arm):
                    raise ProgramError(FUNCTION_NOT_FOUND, "an on_message arm is not a function")
            with_arms(fn, captures.arms)

    def materialise(self, ref: FunctionRef, session: MaterialiseSession | None = None) -> types.FunctionType:
        """A callable Graphoid function for `ref`; FunctionRefs among its captures (closures,
        globals, arms) are materialised too, each once per session."""
        session = session if session is not None else self.session()
        done = session.functions.get(id(ref))
        if done is not None:
            return done
        if ref.captures is None:
            raise ProgramError(FUNCTION_NOT_FOUND, f"{_label(ref)} carries no captures")
        fn = session.functions[id(ref)] = self.shell(ref, session)
        resolve = lambda value: self._resolve(value, session)  # noqa: E731
        captures = ref.captures
        self.complete(fn, Captures(
            {name: resolve(value) for name, value in captures.globals.items()},
            [resolve(value) for value in captures.cells],
            captures.folds,
            tuple((symbol, resolve(arm), stateless, fill) for symbol, arm, stateless, fill in captures.arms),
        ), session)
        return fn

    def _resolve(self, value: Any, session: MaterialiseSession) -> Any:
        if isinstance(value, FunctionRef):
            return self.materialise(value, session)
        if isinstance(value, (NativeRef, AccessorRef)):
            return self.callable_for(value)
        return value

    def callable_for(self, ref: NativeRef | AccessorRef) -> Callable[..., Any]:
        """The worker's builtin of that name, or a fresh accessor."""
        if isinstance(ref, AccessorRef):
            if not isinstance(ref.prop, str):
                raise ProgramError(FUNCTION_NOT_FOUND, "an accessor names its property by a string")
            return _make_getter(ref.prop) if ref.kind == "get" else _make_setter(ref.prop)
        found = self.interp.builtins.get(ref.name) if isinstance(ref.name, str) else None
        if found is None:
            raise ProgramError(FUNCTION_NOT_FOUND, f"no builtin '{ref.name}' on this worker")
        return found


def _label(ref: FunctionRef) -> str:
    shown = ref.name if ref.name is not None else "<lambda>"
    return f"function {shown} ({ref.file}:{ref.firstlineno})"

