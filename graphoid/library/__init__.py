"""The standard library's native modules (docs/stdlib.md): `fs`, `io`, `os`, `json`, `csv`,
`time`, `random`, `constants`, `math`, `statistics`, `collections`, `regex`, `string`, `pp` and
`optparse`, one Python module each.

Importing this package registers every module with the runtime's module system (the runtime
sits below this package and never imports it); a module's code loads on its first `import`.
Modules that touch the host name the capability a sandbox must grant (runtime/sandbox.py).
"""

from __future__ import annotations

import importlib
from typing import Any, Callable

from graphoid.runtime.builtins import StaticNamespace, register_provider
from graphoid.runtime.modules import register_native_module

# Graphoid module name -> (capability a sandbox must grant, or None; the name it binds, or None).
MODULES: dict[str, tuple[str | None, str | None]] = {
    "fs": ("fs", None),
    "io": ("fs", None),
    "os": ("os", None),
    "json": (None, None),
    "csv": (None, None),
    "time": (None, None),
    "random": (None, "rand"),
    "constants": (None, "const"),
    "math": (None, None),
    "statistics": (None, None),
    "collections": (None, None),
    "regex": (None, None),
    "string": (None, "str"),
    "pp": (None, None),
    "optparse": (None, None),
}


def _loader(name: str) -> Callable[[Any], dict[str, Any]]:
    def factory(interp: Any) -> dict[str, Any]:
        return importlib.import_module(f"graphoid.library.{name}").module_members(interp)

    return factory


for _name, (_capability, _alias) in MODULES.items():
    register_native_module(_name, _loader(_name), capability=_capability, alias=_alias)


class _TimeGlobal(StaticNamespace):
    """The global `time` (the reference has it without an import): the `time` module's
    functions, loaded on the first call so that starting an interpreter stays cheap."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__("time", {})

    def call(self, name: str, args: tuple, kwargs: dict | None) -> Any:
        if not self.functions:
            from graphoid.library.time import module_functions

            self.functions.update(module_functions())
        return super().call(name, args, kwargs)


register_provider(lambda write: {"time": _TimeGlobal()})
