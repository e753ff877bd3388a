"""The REPL front ends: prompt_toolkit on a terminal, plain statement reading from a pipe."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Iterator, TextIO

from graphoid.repl.session import Outcome, ReplSession
from graphoid.runtime.interpreter import Interpreter
from graphoid.runtime.modules import MAX_SOURCE_BYTES, MAX_SOURCE_TEXT

PROMPT = "> "
CONTINUATION = "... "
INDENT = "    "


def history_path() -> Path:
    """GRAPHOID_HISTORY, else ~/.graphoid_history."""
    configured = os.environ.get("GRAPHOID_HISTORY")
    return Path(configured).expanduser() if configured else Path.home() / ".graphoid_history"


def run_repl(interp: Interpreter | None = None, *, stdin: TextIO | None = None) -> int:
    """Run a REPL over `interp` (a fresh Interpreter by default); returns the exit status."""
    stdin = stdin if stdin is not None else sys.stdin
    if _isatty(stdin) and _isatty(sys.stdout):
        return interactive(ReplSession(interp, color=_color()))
    return batch(ReplSession(interp), stdin)


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _color() -> bool:
    from graphoid.console import use_color

    return use_color(sys.stderr)


def _emit(outcome: Outcome) -> None:
    if outcome.output is not None:
        sys.stdout.write(outcome.output + "\n")
    sys.stdout.flush()
    if outcome.error is not None:
        from graphoid.console import write_stderr

        write_stderr(outcome.error + "\n")


def batch(session: ReplSession, stdin: TextIO) -> int:
    """Read statements from a non-terminal stdin without prompts; echo values like the REPL.

    Returns 0, or the status of the last input that failed.
    """
    status = 0
    pending: list[str] = []
    pending_size = 0
    for line in _lines(stdin):
        if line is None:
            _emit(Outcome(error="<stdin>: SyntaxError: input is not valid UTF-8 text", status=65))
            return 65
        pending.append(line)
        pending_size += len(line)
        if pending_size > MAX_SOURCE_BYTES:
            # An input this long cannot be resynchronised with statement boundaries: stop.
            message = f"<stdin>: SyntaxError: an input is too large (the limit is {MAX_SOURCE_TEXT})"
            _emit(Outcome(error=message, status=65))
            return 65
        text = "".join(pending)
        if not session.is_complete(text):
            continue
        pending = []
        pending_size = 0
        outcome = session.execute(text)
        _emit(outcome)
        if outcome.status:
            status = outcome.status
        if outcome.quit:
            return status
    if pending:
        outcome = session.execute("".join(pending))
        _emit(outcome)
        if outcome.status:
            status = outcome.status
    return status


def _lines(stdin: TextIO) -> Iterator[str | None]:
    """The lines of stdin; None (then the end) when its bytes are not UTF-8 text.

    A line is cut after MAX_SOURCE_BYTES characters, so input without newlines (/dev/zero)
    reaches the size check in `batch` instead of filling memory.
    """
    try:
        while line := stdin.readline(MAX_SOURCE_BYTES + 1):
            yield line
    except UnicodeDecodeError:
        yield None


def _history() -> Any:
    from prompt_toolkit.history import FileHistory, InMemoryHistory

    path = history_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8"):
            pass
    except OSError:
        # A read-only home must not stop the REPL; history is then kept for this session only.
        return InMemoryHistory()
    return FileHistory(str(path))


def _open_brackets(text: str) -> int:
    """How deeply the text's brackets are open (strings and comments skipped), for indenting."""
    depth = 0
    quote = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            newline = text.find("\n", i)
            i = len(text) if newline < 0 else newline
            continue
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        i += 1
    return depth


def _key_bindings(session: ReplSession) -> Any:
    from prompt_toolkit.key_binding import KeyBindings

    bindings = KeyBindings()

    @bindings.add("enter")
    def _enter(event: Any) -> None:
        buffer = event.current_buffer
        state = buffer.complete_state
        if state is not None and state.current_completion is not None:
            buffer.apply_completion(state.current_completion)
            return
        if buffer.document.is_cursor_at_the_end and session.is_complete(buffer.text):
            buffer.validate_and_handle()
            return
        indent = INDENT * _open_brackets(buffer.document.text_before_cursor)
        buffer.insert_text("\n" + indent)

    def _dedent_then_insert(event: Any) -> None:
        # A closing bracket typed on a fresh auto-indented line steps back one level.
        buffer = event.current_buffer
        line = buffer.document.current_line_before_cursor
        if line and line.isspace() and len(line) >= len(INDENT):
            buffer.delete_before_cursor(len(INDENT))
        buffer.insert_text(event.data)

    for closer in "}])":
        bindings.add(closer)(_dedent_then_insert)
    return bindings


def interactive(session: ReplSession) -> int:
    """The prompt_toolkit REPL: multi-line input, history, completion, highlighting."""
    from prompt_toolkit import PromptSession

    from graphoid import __version__
    from graphoid.repl.completion import GraphoidCompleter
    from graphoid.repl.highlight import STYLE, GraphoidLexer

    prompt = PromptSession(
        history=_history(),
        completer=GraphoidCompleter(session.interp),
        lexer=GraphoidLexer(),
        style=STYLE,
        multiline=True,
        key_bindings=_key_bindings(session),
        prompt_continuation=lambda width, line_number, wrap_count: CONTINUATION.rjust(width),
        include_default_pygments_style=False,
        complete_while_typing=False,
    )
    sys.stdout.write(f"Graphoid {__version__}\nType :help for help, :quit (or Ctrl-D) to exit.\n")
    while True:
        try:
            text = prompt.prompt(PROMPT)
        except KeyboardInterrupt:
            continue
        except EOFError:
            sys.stdout.write("Goodbye!\n")
            return 0
        try:
            outcome = session.execute(text)
        except KeyboardInterrupt:
            sys.stdout.flush()
            sys.stderr.write("KeyboardInterrupt (evaluation cancelled)\n")
            continue
        _emit(outcome)
        if outcome.quit:
            return 0
