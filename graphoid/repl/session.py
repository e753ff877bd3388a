"""What the REPL does with one complete input, independent of the terminal front end.

A `ReplSession` turns text into an `Outcome`: the echo of an expression's value, a formatted
error, the output of a meta command, or the request to quit. Both front ends (prompt_toolkit
on a terminal, plain line reading from a pipe) drive it the same way.
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from graphoid.errors import GraphoidError
import graphoid.distributed  # noqa: F401  (registers `import "distributed"`)
from graphoid.runtime.interpreter import Interpreter

HELP = """\
Enter Graphoid statements; an expression's value is echoed (none is not) and kept in `_`.
A statement continues on the next line while it is unfinished (open bracket or block).
  :help            this text            (/help and a bare `help` also work)
  :help NAME       signature and description of a builtin, function or method
  :quit, :q        leave the REPL       (/exit, /quit, bare `exit` or `quit`, Ctrl-D also work)
  :vars            list top-level variables
Tab completes names, keywords and, after a '.', the methods (and properties) of the value.
Ctrl-C cancels input or a running evaluation. History is kept in ~/.graphoid_history (set
GRAPHOID_HISTORY to move it).
"""

_QUIT = frozenset({":quit", ":q", ":exit", "/exit", "/quit"})
_HELP = frozenset({":help", ":h", "/help"})
_VARS = ":vars"
# Words a newcomer types to get help or leave (as in Python's REPL): commands unless the
# session has defined a variable of that name.
_BARE = {"help": ":help", "help()": ":help", "exit": ":quit", "exit()": ":quit", "quit": ":quit",
         "quit()": ":quit"}
# A lone `:word` is a command (an unknown one is an error), not a symbol to echo.
_COMMAND = re.compile(r":[A-Za-z_][A-Za-z0-9_]*(?:\s+\S+)?\Z")


@attrs.frozen
class Outcome:
    """The result of one input: text for stdout, text for stderr, whether to quit, the exit status."""

    output: str | None = None
    error: str | None = None
    quit: bool = False
    status: int = 0


class ReplSession:
    """One interactive session over an Interpreter; inputs are named `<repl:N>` in errors."""

    def __init__(self, interp: Interpreter | None = None, *, color: bool = False) -> None:
        self.interp = interp if interp is not None else Interpreter()
        self.color = color
        self.count = 0

    def is_complete(self, text: str) -> bool:
        """True when `text` should be run now (a finished statement, a command, or blank)."""
        stripped = text.strip()
        if not stripped or self.is_command(stripped):
            return True
        from graphoid.syntax import is_complete

        try:
            return is_complete(text)
        except Exception:
            # Run it: execution reports whatever is wrong with the input, with a location.
            return True

    def is_command(self, stripped: str) -> bool:
        """True for a meta command (`:help`, `:quit`, ..., an unknown `:word`, a bare `exit`)."""
        return self._command_word(stripped) is not None

    def _command_word(self, stripped: str) -> str | None:
        if stripped in _BARE:
            name = stripped.rstrip("()")
            return None if name in self.interp.globals else _BARE[stripped]
        word = stripped.split(maxsplit=1)[0] if stripped else ""
        if word in _QUIT or word in _HELP or word == _VARS:
            return word
        if _COMMAND.match(stripped):
            return word
        return None

    def execute(self, text: str) -> Outcome:
        """Run one input. Exceptions never escape except KeyboardInterrupt: whatever an input
        does, the session survives it."""
        try:
            return self._execute(text)
        except GraphoidError as err:
            return Outcome(error=self._render(err), status=err.exit_code)
        except KeyboardInterrupt:
            raise
        except Exception as exc:  # an interpreter bug: report it, keep the session alive
            return Outcome(error=self._internal_error(exc), status=70)

    def _execute(self, text: str) -> Outcome:
        stripped = text.strip()
        if not stripped:
            return Outcome()
        if self.is_command(stripped):
            return self._command(stripped)
        self.count += 1
        value = self.interp.run_raw(text, f"<repl:{self.count}>")
        if value is None:
            return Outcome()
        # `_` holds the last echoed value, as in Python's REPL (lists and maps stay values).
        from graphoid.runtime.namespace import mangle

        self.interp.namespace[mangle("_")] = value
        return Outcome(output=self.show(value))

    @staticmethod
    def _internal_error(exc: Exception) -> str:
        from graphoid.console import debug_enabled

        detail = f"internal error: {type(exc).__name__}: {exc}"
        if debug_enabled():
            import traceback

            return "".join(traceback.format_exception(exc)) + detail
        return detail + "\n(this is a bug in graphoid; set GRAPHOID_DEBUG=1 for the Python traceback)"

    def show(self, value: Any) -> str:
        """The echo form of a value: its display form (what print shows)."""
        from graphoid.values.format import display

        return display(value)

    def _render(self, err: GraphoidError) -> str:
        from graphoid.console import debug_enabled

        text = self.interp.format_error(err, color=self.color)
        if debug_enabled():
            import traceback

            text = "".join(traceback.format_exception(err)) + text
        return text

    def _command(self, stripped: str) -> Outcome:
        word = self._command_word(stripped) or ""
        parts = stripped.split(maxsplit=1)
        argument = parts[1].strip() if len(parts) > 1 and parts[0] == word else ""
        if word in _QUIT:
            return Outcome(quit=True)
        if word in _HELP:
            return self._help(argument.strip())
        if word != _VARS:
            return Outcome(error=f"unknown command '{word}' (type :help for the list of commands)", status=64)
        if argument:
            return Outcome(error=f":vars takes no argument (got '{argument}')", status=64)
        return self._vars()

    def _help(self, name: str) -> Outcome:
        if not name:
            return Outcome(output=HELP.rstrip("\n"))
        from graphoid.repl.help import describe

        text = describe(self.interp, name)
        if text is None:
            return Outcome(error=f"no builtin, function or method named '{name}'", status=64)
        return Outcome(output=text)

    def _vars(self) -> Outcome:
        names = [name for name in self.interp.globals if name != "_"]
        if not names:
            return Outcome(output="(no variables)")
        from graphoid.values.format import display

        lines = []
        for name in names:
            shown = display(self.interp.globals.raw(name))
            if len(shown) > 60:
                shown = shown[:57] + "..."
            lines.append(f"{name} = {shown}")
        return Outcome(output="\n".join(lines))
