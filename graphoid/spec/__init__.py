"""gspec, Graphoid's testing framework: discovery, running and reporting of spec files.

The framework itself (Expectation, TestRunner, expect, assert) is Graphoid code in
stdlib/gspec.gd; this package finds `*_spec.gd` / `*_spec.gr` files, runs each in a fresh
interpreter with the gspec DSL bound, and prints the report. `graphoid spec` calls
`graphoid.spec.runner.main`.
"""

from typing import Any

from graphoid.spec.discovery import SPEC_SUFFIXES, discover
from graphoid.spec.report import Failure, FileResult, RunResult

__all__ = ["SPEC_SUFFIXES", "discover", "Failure", "FileResult", "RunResult", "main", "run", "run_file"]


def __getattr__(name: str) -> Any:
    # The runner pulls in the whole language; import it only when asked for.
    if name in ("main", "run", "run_file"):
        from graphoid.spec import runner

        return getattr(runner, name)
    raise AttributeError(name)
