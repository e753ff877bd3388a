"""The module system: `import`, `load`, `module ... alias ...`, `priv`, and module values.

Resolution (LANGUAGE_STUDY §1.11): a native module registered under the bare name wins; then a
path starting with `./` or `../` is taken relative to the importing file; any other relative
path is looked up in the importing file's directory and then in the shipped `stdlib/`. `.gd`
then `.gr` are appended when the path has neither. Each resolved file runs once per interpreter
in its own namespace; the importer gets a `Module` value (or the selected names).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import attrs

from graphoid.errors import MAX_SOURCE_BYTES, GraphoidError, did_you_mean
from graphoid.runtime.namespace import (
    FILE_KEY,
    IMPORTS_KEY,
    MODULE_DECL_KEY,
    MODULE_NAME_VARIABLE,
    PRIVATE_KEY,
    is_handoff_name,
    mangle,
    new_namespace,
    unmangle,
    user_items,
)
from graphoid.syntax.ast import Span

if TYPE_CHECKING:
    from graphoid.runtime.interpreter import Interpreter

SOURCE_SUFFIXES = (".gd", ".gr")
_INTROSPECTION = ("name", "path", "exports", "imports")


@attrs.define(eq=False)
class Module:
    """A module value: `m.x` reads a member, `m.f(a)` calls one; private names are refused."""

    gd_type_name = "module"

    module_name: str
    file: str
    namespace: dict[str, Any] = attrs.field(repr=False)
    alias: str | None = None

    @property
    def private(self) -> set[str]:
        return self.namespace.get(PRIVATE_KEY, set())

    def exports(self) -> list[str]:
        """Public member names in definition order."""
        hidden = self.private
        return [name for name, _ in user_items(self.namespace) if name not in hidden and not name.startswith("__")]

    def imported(self) -> list[str]:
        return list(self.namespace.get(IMPORTS_KEY, ()))

    def has_member(self, name: str) -> bool:
        return name not in self.private and unmangle(mangle(name)) is not None and mangle(name) in self.namespace

    def get_member(self, name: str, span: Span | None = None) -> Any:
        """`m.name`; RuntimeError for private or unknown members (with a did-you-mean hint)."""
        if name in self.private:
            raise GraphoidError("RuntimeError", f"'{name}' is private to module '{self.module_name}'", span)
        key = mangle(name)
        if key in self.namespace and unmangle(key) is not None:
            return self.namespace[key]
        raise self._unknown(name, span)

    def set_member(self, name: str, value: Any, span: Span | None = None) -> None:
        """`m.name = value` on a public member (modules are shared, like graphs)."""
        if name in self.private:
            raise GraphoidError("RuntimeError", f"'{name}' is private to module '{self.module_name}'", span)
        self.namespace[mangle(name)] = value

    # The attribute protocol graphoid.values.ops uses for `m.x` and `m.x = v`.
    def gd_member(self, name: str) -> Any:
        return self.get_member(name)

    def gd_set_member(self, name: str, value: Any) -> None:
        self.set_member(name, value)

    def call(self, name: str, args: tuple = (), kwargs: dict | None = None) -> Any:
        """`m.name(args)`: a member function, else the introspection methods name/path/exports/imports."""
        key = mangle(name)
        if name not in self.private and key in self.namespace and unmangle(key) is not None:
            member = self.namespace[key]
            if not callable(member):
                raise GraphoidError("TypeError", f"Member '{name}' of module '{self.module_name}' is not a function")
            return member(*args, **(kwargs or {}))
        if name in _INTROSPECTION and not args and not kwargs:
            from graphoid.values.types import GList

            if name == "name":
                return self.module_name
            if name == "path":
                return self.file
            if name == "exports":
                return GList(self.exports())
            return GList(self.imported())
        if name in self.private:
            raise GraphoidError("RuntimeError", f"'{name}' is private to module '{self.module_name}'")
        from graphoid.values.methods.registry import find_method

        universal = find_method(self, name)  # to_string(), type(), ... like every value
        if universal is not None:
            return universal(self, *args, **(kwargs or {}))
        raise self._unknown(name, None)

    def display(self) -> str:
        return f"<module {self.module_name}>"

    def _unknown(self, name: str, span: Span | None) -> GraphoidError:
        suggestion = did_you_mean(name, self.exports())
        return GraphoidError(
            "RuntimeError",
            f"Module '{self.module_name}' has no member '{name}'",
            span,
            hint=f"did you mean '{suggestion}'?" if suggestion else None,
        )


# --------------------------------------------------------------------------- native modules


@attrs.frozen
class NativeModuleSpec:
    """A module implemented in Python; `capability` ("fs", "net", ...) is checked by the sandbox;
    `alias` is the name `import "name"` binds instead of `name` (the reference's `rand`, `const`)."""

    name: str
    factory: Callable[["Interpreter"], dict[str, Any]]
    capability: str | None = None
    alias: str | None = None


_NATIVE: dict[str, NativeModuleSpec] = {}


def register_native_module(
    name: str,
    factory: Callable[["Interpreter"], dict[str, Any]],
    *,
    capability: str | None = None,
    alias: str | None = None,
) -> None:
    """Make `import "name"` give a module whose members are `factory(interp)`'s entries."""
    _NATIVE[name] = NativeModuleSpec(name, factory, capability, alias)


# --------------------------------------------------------------------------- source files


# MAX_SOURCE_BYTES (graphoid.errors, which also bounds the source lines it shows): source beyond
# it is refused before it is parsed, which bounds what reading a device (/dev/zero), an endless
# pipe or a runaway generated file can cost.
MAX_SOURCE_TEXT = "16 MiB"


def read_source_file(path: str | os.PathLike[str], span: Span | None = None, *, shown: str | None = None) -> str:
    """The text of a Graphoid source file, or a GraphoidError that says what is wrong with it.

    Missing files, directories and unreadable files are IOErrors; bytes that are not UTF-8 text
    (or NUL bytes, the mark of a binary file) are SyntaxErrors located at the offending byte,
    and so is a file over MAX_SOURCE_BYTES (never read further than that).
    """
    name = shown if shown is not None else str(path)
    try:
        with open(path, "rb") as handle:
            data = read_source_bytes(handle)
    except FileNotFoundError:
        raise GraphoidError("IOError", f"No such file: '{name}'", span) from None
    except IsADirectoryError:
        raise GraphoidError("IOError", f"'{name}' is a directory, not a Graphoid file", span) from None
    except PermissionError:
        raise GraphoidError("IOError", f"Permission denied: '{name}'", span) from None
    except OSError as exc:
        raise GraphoidError("IOError", f"Cannot read '{name}': {exc.strerror or exc}", span) from None
    return decode_source(data, name)


def read_source_bytes(stream: Any) -> bytes:
    """At most one byte more than MAX_SOURCE_BYTES from a binary stream (enough for
    decode_source to tell that the source is too large)."""
    return stream.read(MAX_SOURCE_BYTES + 1)


def check_source_size(size: int, name: str, span: Span | None = None) -> None:
    """SyntaxError when a source of `size` bytes (or characters) exceeds MAX_SOURCE_BYTES."""
    if size > MAX_SOURCE_BYTES:
        raise GraphoidError(
            "SyntaxError",
            f"'{name}' is too large to be Graphoid source (the limit is {MAX_SOURCE_TEXT})",
            span if span is not None else Span(name, 0, 0, 0, 0),
        )


def decode_source(data: bytes, name: str) -> str:
    """Source bytes as text; SyntaxError for bytes that are not UTF-8 text or hold NUL bytes,
    or when there are more than MAX_SOURCE_BYTES of them."""
    check_source_size(len(data), name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _bad_byte(name, data, exc.start, f"not valid UTF-8 text (byte 0x{data[exc.start]:02x})") from None
    nul = data.find(b"\0")
    if nul >= 0:
        raise _bad_byte(name, data, nul, "a binary file, not Graphoid source (NUL byte)")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def _bad_byte(name: str, data: bytes, offset: int, what: str) -> GraphoidError:
    # The column counts characters as the line shows when decoded with U+FFFD replacements,
    # which is how error output prints it, so the caret lands under the bad byte.
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    col = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return GraphoidError("SyntaxError", f"the file is {what}", Span(name, line, col, line, col + 1))


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for the OS, an embedded NUL byte
        return False


def _stem(key: Path) -> str:
    """The default module name: the file stem, or the name a loader was asked for."""
    text = str(key)
    if text.startswith("<loader:"):
        return Path(text[len("<loader:"):-1]).stem
    return key.stem


def display_path(path: Path) -> str:
    """A path as errors show it: relative to the working directory when inside it."""
    if str(path).startswith("<"):
        return str(path)
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


# --------------------------------------------------------------------------- the system


class ModuleSystem:
    """Per-interpreter module state: the cache, the chain of files being loaded, the helpers."""

    def __init__(self, interp: "Interpreter") -> None:
        self._interp = interp
        self._cache: dict[Path, Module] = {}
        self._loading: list[Path] = []

    @property
    def loaded(self) -> dict[str, Module]:
        """Loaded modules by resolved path (for introspection and bundling)."""
        return {str(path): module for path, module in self._cache.items()}

    def helpers(self) -> dict[str, Any]:
        """The `_rt_*` functions generated code calls for module statements."""
        return {
            "_rt_import": self.import_,
            "_rt_load": self.load,
            "_rt_module_decl": self.module_decl,
            "_rt_priv": self.priv,
        }

    # ---- resolution

    def _base_dir(self, importer_file: str | None) -> Path:
        if importer_file and not importer_file.startswith("<"):
            return Path(importer_file).parent
        return Path.cwd()

    def _candidates(self, spec: str, bases: list[Path], span: Span | None) -> list[Path]:
        try:
            raw = Path(spec).expanduser()
        except RuntimeError:  # `~name` for a user the system does not know, or no home directory
            home = spec.split("/", 1)[0]
            raise GraphoidError("ImportError", f"Cannot resolve '{spec}': no home directory for '{home}'", span) from None
        roots = [raw] if raw.is_absolute() else [base / raw for base in bases]
        out: list[Path] = []
        for root in roots:
            if root.suffix in SOURCE_SUFFIXES:
                out.append(root)
            else:
                out.extend(root.with_name(root.name + suffix) for suffix in SOURCE_SUFFIXES)
        return out

    def resolve_import(self, spec: str, importer_file: str | None, span: Span | None = None) -> Path:
        """The file `import "spec"` names, as an absolute real path."""
        from graphoid.resources import stdlib_dir

        base = self._base_dir(importer_file)
        explicit = spec.startswith(("./", "../", ".\\", "..\\"))
        bases = [base] if explicit else [base, stdlib_dir()]
        return self._first_file(spec, self._candidates(spec, bases, span), span, "Module not found", "import")

    def resolve_load(self, spec: str, importer_file: str | None, span: Span | None = None) -> Path:
        """The file `load "spec"` names: the working directory first, then the main file's folder
        and the loading file's folder (the reference's order)."""
        bases = [Path.cwd()]
        main = self._interp.main_file
        for file in (main, importer_file):
            folder = self._base_dir(file)
            if folder not in bases:
                bases.append(folder)
        return self._first_file(spec, self._candidates(spec, bases, span), span, "File to load not found", "load")

    def _first_file(self, spec: str, candidates: list[Path], span: Span | None, what: str, action: str) -> Path:
        sandbox = self._interp.sandbox
        # A sandbox must not even reveal whether files outside its roots exist: drop them first.
        allowed = [c for c in candidates if sandbox.allows_file(c)]
        if not allowed:
            raise GraphoidError("SandboxError", f"{action} of '{spec}' is not allowed in the sandbox", span)
        for candidate in allowed:
            if _is_file(candidate):
                resolved = Path(os.path.realpath(candidate))
                sandbox.check_file(resolved, span, action)  # a symlink may point outside
                return resolved
        searched = ", ".join(display_path(c) for c in allowed)
        raise GraphoidError("ImportError", f"{what}: '{spec}' (looked for {searched})", span)

    # ---- helpers emitted by the compiler

    def import_(
        self,
        path: str,
        alias: str | None = None,
        names: tuple[tuple[str, str | None], ...] | None = None,
        span: Span | None = None,
    ) -> None:
        """`import "path" [as alias] [{ a, b as c }]`: bind the module or the selected names."""
        caller = sys._getframe(1).f_globals
        module = self.import_module(path, caller, span)
        if module is None:
            return None
        caller.setdefault(IMPORTS_KEY, []).append(module.module_name)
        if names is not None:
            for name, as_name in names:
                caller[mangle(as_name or name)] = module.get_member(name, span)
        else:
            caller[mangle(alias or module.alias or module.module_name)] = module
        return None

    def import_module(self, path: str, caller: dict[str, Any], span: Span | None = None) -> Module | None:
        """Find, run (once) and return the module `path` names from the file owning `caller`."""
        if not isinstance(path, str):
            raise GraphoidError("TypeError", "import expects a string path", span)
        if not path.strip():
            raise GraphoidError("ImportError", "import needs a module name or path, got an empty string", span)
        if path == "ffi":
            # The reference accepts `import "ffi"` as a no-op with a warning; so do we.
            self._interp.warn("warning: the 'ffi' module is not supported; import ignored")
            return None
        native = _NATIVE.get(path)
        if native is not None:
            return self._native_module(native, span)
        if self._interp.loader is not None and not path.startswith((".", "/", "~")):
            key = Path(f"<loader:{path}>")
            if key in self._cache:
                return self._cache[key]
            text = self._from_loader(path, span)
            if text is not None:
                return self._module(key, path, lambda: text, caller, span)
        resolved = self.resolve_import(path, caller.get(FILE_KEY), span)
        shown = display_path(resolved)
        return self._module(resolved, path, lambda: read_source_file(resolved, span, shown=shown), caller, span)

    def _from_loader(self, name: str, span: Span | None) -> str | None:
        try:
            text = self._interp.loader(name)  # type: ignore[misc]
        except GraphoidError:
            raise
        except Exception as exc:
            raise GraphoidError("ImportError", f"module loader failed for '{name}': {type(exc).__name__}: {exc}", span) from exc
        if text is not None and not isinstance(text, str):
            raise GraphoidError("TypeError", f"module loader returned {type(text).__name__} for '{name}', not source text", span)
        if text is not None:
            check_source_size(len(text), name, span)
        return text

    def _module(
        self, key: Path, import_path: str, read: Callable[[], str], caller: dict[str, Any], span: Span | None
    ) -> Module:
        """The cached module for `key`, else run the source `read()` gives in a fresh namespace
        whose `__MODULE__` is `import_path`, the path as the first importer wrote it."""
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        if key in self._loading:
            raise self._cycle_error(key, span)
        module_ns = new_namespace(self._interp, str(key))
        # The reference copies `__X__` variables into the module and back out again; that is
        # how a program hands parameters to a module (gspec's `__SPEC_PATH__`).
        for name, value in caller.items():
            if is_handoff_name(name):
                module_ns[name] = value
        module_ns[mangle(MODULE_NAME_VARIABLE)] = import_path
        self._run_fresh_settings(key, read(), module_ns)
        for name, value in module_ns.items():
            if is_handoff_name(name):
                caller[name] = value
        declared = module_ns.get(MODULE_DECL_KEY)
        name, alias = declared if declared else (_stem(key), None)
        module = Module(name, str(key), module_ns, alias)
        self._cache[key] = module
        return module

    def _native_module(self, spec: NativeModuleSpec, span: Span | None) -> Module:
        if spec.capability is not None:
            self._interp.sandbox.check_capability(spec.capability, f"module '{spec.name}'", span)
        key = Path(f"<native:{spec.name}>")
        cached = self._cache.get(key)
        if cached is None:
            namespace = new_namespace(self._interp, str(key))
            namespace.update((mangle(k), v) for k, v in spec.factory(self._interp).items())
            cached = Module(spec.name, str(key), namespace, spec.alias)
            self._cache[key] = cached
        return cached

    def load(self, path_value: Any, span: Span | None = None) -> None:
        """`load expr`: run another file's statements in the caller's namespace."""
        caller = sys._getframe(1).f_globals
        if not isinstance(path_value, str):
            raise GraphoidError("TypeError", "load expects a string path", span)
        if not path_value.strip():
            raise GraphoidError("ImportError", "load needs a file path, got an empty string", span)
        resolved = self.resolve_load(path_value, caller.get(FILE_KEY), span)
        if resolved in self._loading:
            raise self._cycle_error(resolved, span)
        self._run_file(resolved, caller, span)
        return None

    def module_decl(self, name: str, alias: str | None = None) -> None:
        """`module name [alias short]` records how importers will bind this module."""
        sys._getframe(1).f_globals[MODULE_DECL_KEY] = (name, alias)
        return None

    def priv(self, names: tuple[str, ...]) -> None:
        """`priv ...` marks Graphoid names private to the calling module."""
        caller = sys._getframe(1).f_globals
        private = caller.get(PRIVATE_KEY)
        if private is None:
            private = caller[PRIVATE_KEY] = set()
        private.update(names)
        return None

    # ---- running

    def _run_file(self, resolved: Path, namespace: dict[str, Any], span: Span | None) -> None:
        source = read_source_file(resolved, span, shown=display_path(resolved))
        self._run_source(resolved, source, namespace)

    def _run_source(self, key: Path, source: str, namespace: dict[str, Any]) -> None:
        self._loading.append(key)
        try:
            self._interp.execute(source, display_path(key), namespace)
        finally:
            self._loading.pop()

    def _run_fresh_settings(self, key: Path, source: str, namespace: dict[str, Any]) -> None:
        """Run a module's top level under default `configure` settings: it runs once and is
        shared, so it must not depend on the settings of whichever file imported it first."""
        from graphoid.values import ops

        outer = ops.swap_config((ops.Config(errors=ops.CONFIG.errors), []))
        try:
            self._run_source(key, source, namespace)
        finally:
            ops.swap_config(outer)

    def _cycle_error(self, resolved: Path, span: Span | None) -> GraphoidError:
        start = self._loading.index(resolved)
        chain = " -> ".join(display_path(p) for p in [*self._loading[start:], resolved])
        return GraphoidError("ImportError", f"Circular import: {chain}", span)
