"""The embedding sandbox: what a sandboxed interpreter refuses to do.

A sandboxed Interpreter denies file and network access:
- `import` and `load` of any file outside the allowed roots (the shipped stdlib is always
  allowed; the host adds roots with `Interpreter(allowed_roots=[...])`);
- native modules that declare a capability (`fs`, `net`, `os`, `process`);
- builtins registered with a capability (`exec`, file readers, the distributed runtime): they
  stay defined, so a program gets a clear SandboxError instead of "undefined variable".
The host grants capabilities one by one (`Interpreter(allowed_capabilities=["fs"])`); granted
file access (the standard library's `fs`, `io`, `json.read`, ...) reaches only files under the
host's allowed roots.
Graphoid code has no other way to reach the host: Python builtins and attributes are invisible.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable

import attrs

from graphoid.errors import GraphoidError
from graphoid.syntax.ast import Span

# Builtin name -> the capability it needs. Other packages add theirs with `register_capability`.
_BUILTIN_CAPABILITIES: dict[str, str] = {
    "exec": "fs",
    "open": "fs",
    "read_file": "fs",
    "write_file": "fs",
    "read_lines": "fs",
    "distributed": "net",
    "cluster": "net",
}


# What a host may grant a sandboxed interpreter.
KNOWN_CAPABILITIES = ("fs", "os", "net", "process")


def register_capability(builtin_name: str, capability: str) -> None:
    """Declare that builtin `builtin_name` touches files ("fs") or the network ("net")."""
    _BUILTIN_CAPABILITIES[builtin_name] = capability


def builtin_capabilities() -> dict[str, str]:
    return dict(_BUILTIN_CAPABILITIES)


class Denied:
    """Stands in for a denied builtin: calling it, or a method on it, raises SandboxError."""

    gd_type_name = "function"

    def __init__(self, name: str, capability: str) -> None:
        self._gd_name = name
        self._gd_params = ()
        self._capability = capability

    def _error(self) -> GraphoidError:
        return GraphoidError(
            "SandboxError", f"'{self._gd_name}' is not allowed in the sandbox (no {self._capability} access)"
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise self._error()

    def call(self, name: str, args: tuple = (), kwargs: dict | None = None) -> Any:
        raise self._error()

    def display(self) -> str:
        return f"<function {self._gd_name}>"


@attrs.frozen
class Sandbox:
    """An access policy; `Sandbox.open()` allows everything.

    `roots` are where `import`/`load` may read (the stdlib folder and the host's roots);
    `data_roots` (the host's roots only) are where granted file access may read and write.
    """

    enabled: bool = False
    roots: tuple[Path, ...] = ()
    capabilities: frozenset[str] = frozenset()
    data_roots: tuple[Path, ...] = ()

    @classmethod
    def open(cls) -> "Sandbox":
        return cls(False, ())

    @classmethod
    def closed(
        cls, allowed_roots: Iterable[str | os.PathLike[str]] = (), capabilities: Iterable[str] = ()
    ) -> "Sandbox":
        from graphoid.resources import stdlib_dir

        granted = frozenset(capabilities)
        unknown = sorted(granted - set(KNOWN_CAPABILITIES))
        if unknown:
            raise ValueError(f"unknown capabilities {unknown}: the known ones are {list(KNOWN_CAPABILITIES)}")
        host_roots = tuple(Path(os.path.realpath(root)) for root in allowed_roots)
        return cls(True, (Path(os.path.realpath(stdlib_dir())), *host_roots), granted, host_roots)

    def allows_file(self, path: Path) -> bool:
        if not self.enabled:
            return True
        return _inside(path, self.roots)

    def check_data_file(self, path: str, span: Span | None, action: str) -> None:
        """SandboxError unless a program may `action` the file at `path` (fs granted, inside
        the host's roots); always allowed outside a sandbox."""
        if not self.enabled:
            return
        self.check_capability("fs", f"{action} of '{path}'", span)
        if not _inside(Path(path), self.data_roots):
            raise GraphoidError(
                "SandboxError", f"{action} of '{path}' is not allowed in the sandbox (outside the allowed roots)", span
            )

    def check_file(self, path: Path, span: Span | None, action: str) -> None:
        if not self.allows_file(path):
            raise GraphoidError(
                "SandboxError", f"{action} of '{path}' is not allowed in the sandbox (outside the allowed roots)", span
            )

    def check_capability(self, capability: str, what: str, span: Span | None = None) -> None:
        if self.enabled and capability not in self.capabilities:
            raise GraphoidError("SandboxError", f"{what} is not allowed in the sandbox (no {capability} access)", span)

    def restrict(self, builtins: dict[str, Any]) -> None:
        """Replace every capability-bearing builtin by a `Denied` stand-in (in place)."""
        if not self.enabled:
            return
        for name, capability in _BUILTIN_CAPABILITIES.items():
            if capability not in self.capabilities:
                builtins[name] = Denied(name, capability)


def _inside(path: Path, roots: tuple[Path, ...]) -> bool:
    """True when `path` (symlinks resolved) is one of `roots` or lies under one."""
    try:
        real = Path(os.path.realpath(path))
    except (OSError, ValueError):  # a name too long for the OS, an embedded NUL byte
        return False
    return any(real == root or root in real.parents for root in roots)
