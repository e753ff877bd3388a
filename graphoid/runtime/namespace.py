"""Module namespaces: the dict a compiled Graphoid file runs in, and name mangling.

Every Graphoid file (the main program, each imported module) executes in its own dict. Its
`__builtins__` is the interpreter's Graphoid builtins (print, the `_rt_*` helpers, host
functions), so Python's own builtins are invisible to Graphoid code.

Mangling keeps the runtime's keys out of reach: every Python name the runtime owns starts with
one of RESERVED_PREFIXES, and every Graphoid identifier that would start with one is emitted
as `_u_` + identifier, so no Graphoid identifier can ever name a runtime key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from graphoid.compiler.names import RESERVED_PREFIXES, USER_PREFIX, mangle, unmangle  # noqa: F401  (re-exported)

if TYPE_CHECKING:
    from graphoid.runtime.interpreter import Interpreter

# Keys Python or the runtime keep in a namespace dict; never Graphoid variables.
FILE_KEY = "__file__"
MODULE_DECL_KEY = "__gd_module__"
PRIVATE_KEY = "__gd_private__"
IMPORTS_KEY = "__gd_imports__"
LAST_VALUE_KEY = "_rt_last"
# `__MODULE__` names the running module: its import path in a module's namespace; the builtins
# hold MAIN_MODULE_NAME, so every other namespace (main program, REPL, spec file) reads that.
MODULE_NAME_VARIABLE = "__MODULE__"
MAIN_MODULE_NAME = "__main__"


def new_namespace(interp: "Interpreter", filename: str = "<string>") -> dict[str, Any]:
    """A fresh namespace for one Graphoid file; `filename` is its resolved path or `<string>`."""
    return {"__builtins__": interp.builtins, FILE_KEY: filename}


def user_items(namespace: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(Graphoid name, value) for every user variable of a namespace, in definition order."""
    for key, value in list(namespace.items()):
        name = unmangle(key)
        if name is not None:
            yield name, value


def is_handoff_name(key: str) -> bool:
    """Keys of `__X__`-style user variables, which the reference copies between importer and module
    (all but `__MODULE__`, which each module has for itself)."""
    name = unmangle(key)
    return name is not None and name.startswith("__") and name != MODULE_NAME_VARIABLE
