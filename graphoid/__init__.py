"""Graphoid: a graph-theoretic programming language, compiled to Python code objects.

    >>> import graphoid
    >>> graphoid.Interpreter().run("1 + 2")
    3

Names are imported on first use so that `import graphoid` (and the CLI's start-up) stays cheap.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "Interpreter": "graphoid.runtime.interpreter",
    "GraphoidFunction": "graphoid.runtime.interpreter",
    "GraphoidError": "graphoid.errors",
    "Symbol": "graphoid.values.types",
    "GList": "graphoid.values.types",
    "GMap": "graphoid.values.types",
    "Regex": "graphoid.values.types",
    "BigNum": "graphoid.values.types",
    "Module": "graphoid.runtime.modules",
    "Graph": "graphoid.runtime.builtins",  # with every layer's graph methods loaded
}

__all__ = ["__version__", "run", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'graphoid' has no attribute {name!r}")
    import importlib

    if module_name.startswith("graphoid.runtime"):
        # registers `import "distributed"` and the standard library's native modules
        importlib.import_module("graphoid.distributed")
    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def run(source: str, filename: str = "<string>", **options: Any) -> Any:
    """Run Graphoid source in a fresh Interpreter(**options); the last expression's value."""
    import graphoid.distributed  # noqa: F401  (registers `import "distributed"`)
    from graphoid.runtime.interpreter import Interpreter

    return Interpreter(**options).run(source, filename)
