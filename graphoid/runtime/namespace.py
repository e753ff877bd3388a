"""Module namespaces: the dict a compiled Graphoid file runs in, and name mangling.

Every Graphoid file (the main program, each imported module) executes in its own dict. Its
`__builtins__` is the interpreter's Graphoid builtins (print, the `_rt_*` helpers, host
functions), so Python's own builtins are invisible to Graphoid code.
"""

from __future__ import annotations

import keyword
from typing import TYPE_CHECKING, Any, Iterator

if TYPE_CHECKING:
    from graphoid.runtime.interpreter import Interpreter

# Keys Python or the runtime keep in a namespace dict; never Graphoid variables.
FILE_KEY = "__file__"
MODULE_DECL_KEY = "__gd_module__"
PRIVATE_KEY = "__gd_private__"
IMPORTS_KEY = "__gd_imports__"
LAST_VALUE_KEY = "_rt_last"
_PYTHON_KEYS = frozenset({"__builtins__", "__file__", "__name__", "__doc__", "__loader__", "__spec__"})


def new_namespace(interp: "Interpreter", filename: str = "<string>") -> dict[str, Any]:
    """A fresh namespace for one Graphoid file; `filename` is its resolved path or `<string>`."""
    return {"__builtins__": interp.builtins, FILE_KEY: filename}


def mangle(name: str) -> str:
    """The Python identifier the compiler emits for Graphoid identifier `name`."""
    if keyword.iskeyword(name) or name.startswith("_rt") or name.startswith("_u_"):
        return "_u_" + name
    return name


def unmangle(key: str) -> str | None:
    """The Graphoid name behind a namespace key, or None for runtime-internal keys."""
    if key.startswith("_u_"):
        return key[3:]
    if key.startswith("_rt") or key in _PYTHON_KEYS or key.startswith("__gd_"):
        return None
    return key


def user_items(namespace: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(Graphoid name, value) for every user variable of a namespace, in definition order."""
    for key, value in list(namespace.items()):
        name = unmangle(key)
        if name is not None:
            yield name, value


def is_handoff_name(key: str) -> bool:
    """`__X__`-style user variables, which the reference copies between importer and module."""
    return key.startswith("__") and unmangle(key) is not None
