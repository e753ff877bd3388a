"""The interactive REPL (`graphoid` / `graphoid repl`).

`run_repl(interp=None)` picks the prompt_toolkit front end on a terminal and plain statement
reading otherwise; `ReplSession` is the terminal-independent core.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graphoid.runtime.interpreter import Interpreter

__all__ = ["run_repl"]


def run_repl(interp: "Interpreter | None" = None, **options: Any) -> int:
    """Run the REPL until :quit or end of input; returns the exit status."""
    from graphoid.repl.app import run_repl as _run

    return _run(interp, **options)
