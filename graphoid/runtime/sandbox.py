"""The embedding sandbox: what a sandboxed interpreter refuses to do.

A sandboxed Interpreter denies file and network access:
- `import` and `load` of any file outside the allowed roots (the shipped stdlib is always
  allowed; the host adds roots with `Interpreter(allowed_roots=[...])`);
- native modules that declare a capability (`fs`, `net`, `os`, `process`);
- builtins registered with a capability (`exec`, file readers, the distributed runtime): they
  stay defined, so a program gets a clear SandboxError instead of "undefined variable".
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
    """An access policy; `Sandbox.open()` allows everything."""

    enabled: bool = False
    roots: tuple[Path, ...] = ()

    @classmethod
    def open(cls) -> "Sandbox":
        return cls(False, ())

    @classmethod
    def closed(cls, allowed_roots: Iterable[str | os.PathLike[str]] = ()) -> "Sandbox":
        from graphoid.resources import stdlib_dir

        roots = [Path(os.path.realpath(stdlib_dir()))]
        roots.extend(Path(os.path.realpath(root)) for root in allowed_roots)
        return cls(True, tuple(roots))

    def allows_file(self, path: Path) -> bool:
        if not self.enabled:
            return True
        real = Path(os.path.realpath(path))
        return any(real == root or root in real.parents for root in self.roots)

    def check_file(self, path: Path, span: Span | None, action: str) -> None:
        if not self.allows_file(path):
            raise GraphoidError(
                "SandboxError", f"{action} of '{path}' is not allowed in the sandbox (outside the allowed roots)", span
            )

    def check_capability(self, capability: str, what: str, span: Span | None = None) -> None:
        if self.enabled:
            raise GraphoidError("SandboxError", f"{what} is not allowed in the sandbox (no {capability} access)", span)

    def restrict(self, builtins: dict[str, Any]) -> None:
        """Replace every capability-bearing builtin by a `Denied` stand-in (in place)."""
        if not self.enabled:
            return
        for name, capability in _BUILTIN_CAPABILITIES.items():
            builtins[name] = Denied(name, capability)
