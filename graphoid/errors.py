"""The one error model: every problem a user can cause is a GraphoidError.

A GraphoidError is both the Python exception that unwinds the stack and the Graphoid error
value a program sees in `catch ... as e` (kind, message, span, cause, Graphoid stack).
Internal bugs stay ordinary Python exceptions and are only shown with GRAPHOID_DEBUG=1.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Callable, ClassVar, Iterable, Sequence

import attrs

if TYPE_CHECKING:  # the error model sits below the syntax layer, which raises it
    from graphoid.syntax.ast import Span

# Exit codes (sysexits.h): usage, data (syntax), software (runtime).
EXIT_OK = 0
EXIT_USAGE = 64
EXIT_SYNTAX = 65
EXIT_RUNTIME = 70

# The largest source text the runtime reads (graphoid.runtime.modules refuses longer sources).
MAX_SOURCE_BYTES = 16 * 1024 * 1024

# The built-in error hierarchy: kind -> parent kind. "Error" is the root (catch-all).
ERROR_PARENTS: dict[str, str | None] = {
    "Error": None,
    "RuntimeError": "Error",
    "ValueError": "Error",
    "TypeError": "Error",
    "IOError": "Error",
    "NetworkError": "Error",
    "ParseError": "Error",
    "SyntaxError": "Error",
    "FileError": "IOError",
    "NetError": "IOError",
    "NameError": "RuntimeError",
    "IndexError": "RuntimeError",
    "KeyError": "RuntimeError",
    "RecursionError": "RuntimeError",
    "LimitError": "RuntimeError",
    "RuleError": "RuntimeError",
    "ImportError": "RuntimeError",
    "SandboxError": "RuntimeError",
    # the distributed runtime's failures (graphoid/distributed)
    "DistributedError": "RuntimeError",
    "RemoteError": "DistributedError",
    "WorkerLostError": "DistributedError",
    "RunError": "DistributedError",
    "ObjectLostError": "DistributedError",
    # actors (graphoid/concurrency): a failed on_message, a closed actor, a request cycle
    "ActorError": "RuntimeError",
    # channels (graphoid/concurrency/channels.py): a send on a closed channel
    "ChannelError": "RuntimeError",
}


def is_subkind(kind: str, ancestor: str) -> bool:
    """True when `kind` is `ancestor` or descends from it (user kinds descend from Error)."""
    current: str | None = kind
    while current is not None:
        if current == ancestor:
            return True
        current = ERROR_PARENTS.get(current, "Error" if current != "Error" else None)
    return False


@attrs.frozen(slots=True)
class TraceEntry:
    """One Graphoid stack frame: the function's name and where it was executing.

    An entry with `elided` > 0 stands for that many frames left out of a long trace (of
    `function`, when they all ran one function; `function` is "" otherwise)."""

    function: str
    span: Span
    elided: int = 0

    def elision_text(self) -> str:
        """`... 990 more frames of f` for an elision marker."""
        of = f" of {self.function}" if self.function else ""
        return f"... {self.elided} more frames{of}"


class GraphoidError(Exception):
    """A user-facing error, also the value of an error in Graphoid code."""

    # Where a caught error came from (its span and Graphoid stack) is worked out from the
    # traceback only when it is needed: most caught errors are never shown. values/pyerrors.py
    # registers the function that applies a traceback's Graphoid frames to an error.
    locate_from_traceback: ClassVar[Callable[["GraphoidError", TracebackType], None] | None] = None

    # Fields most errors leave empty take their defaults from the class, so that building an
    # error (often in a loop that raises and catches) sets only what it was given.
    _span: Span | None = None
    cause: "GraphoidError | None" = None
    hint: str | None = None
    _trace: Sequence[TraceEntry] = ()
    # The Graphoid frames of a nested run (an on_message handler) the error came out of;
    # pyerrors puts the frames of the code that started the run in front of them.
    inner_trace: Sequence[TraceEntry] = ()
    # The Python exception this error was translated from (shown under GRAPHOID_DEBUG);
    # kept here rather than chained, so a host's traceback shows no runtime internals.
    python_exception: BaseException | None = None

    # Every construction sets these three, so an error raised and caught in a loop builds no
    # instance __dict__ (docs/design.md, "Errors"). _pending_traceback: the traceback of a
    # catch whose frames are not applied yet (see defer_location).
    __slots__ = ("kind", "message", "_pending_traceback")
    _pending_traceback: TracebackType | None

    def __init__(
        self,
        kind: str,
        message: str,
        span: Span | None = None,
        *,
        cause: "GraphoidError | None" = None,
        trace: Iterable[TraceEntry] = (),
        hint: str | None = None,
    ) -> None:
        # No BaseException.__init__: __new__ already keeps the positional arguments as `args`,
        # and str() is this class's own. The error constructors (runtime/builtins.py) build
        # a kind-and-message error without this method: they set the three slots as this does.
        self.kind = kind
        self.message = message
        self._pending_traceback = None
        if span is not None:
            self._span = span
        if cause is not None:
            self.cause = cause
        if trace:
            self._trace = list(trace)
        if hint is not None:
            self.hint = hint

    def defer_location(self, traceback: TracebackType | None) -> None:
        """Apply `traceback`'s Graphoid frames when the span or trace is first read, exactly
        as if they were applied now."""
        if self._pending_traceback is not None:
            self.resolve_location()
        self._pending_traceback = traceback

    def resolve_location(self) -> None:
        """Apply the deferred traceback, if any (before anything reads or changes the location)."""
        traceback = self._pending_traceback
        if traceback is None:
            return
        self._pending_traceback = None
        locate = GraphoidError.locate_from_traceback
        if locate is not None:
            try:
                locate(self, traceback)
            except RecursionError:
                pass  # at the very bottom of the stack the error goes without its location

    @property
    def span(self) -> Span | None:
        if self._pending_traceback is not None:
            self.resolve_location()
        return self._span

    @span.setter
    def span(self, span: Span | None) -> None:
        if self._pending_traceback is not None:
            self.resolve_location()
        self._span = span

    @property
    def trace(self) -> Sequence[TraceEntry]:
        if self._pending_traceback is not None:
            self.resolve_location()
        return self._trace

    @trace.setter
    def trace(self, trace: Iterable[TraceEntry]) -> None:
        if self._pending_traceback is not None:
            self.resolve_location()
        self._trace = list(trace)

    @property
    def is_syntax(self) -> bool:
        return self.kind == "SyntaxError"

    @property
    def exit_code(self) -> int:
        return EXIT_SYNTAX if self.is_syntax else EXIT_RUNTIME

    def with_span(self, span: Span | None) -> "GraphoidError":
        """Attach a location if the error has none yet; returns self."""
        if self.span is None and span is not None:
            self.span = span
        return self

    def display(self) -> str:
        """The display form used by print and to_string: `Kind: message`."""
        return f"{self.kind}: {self.message}"

    def location(self) -> str:
        """`file:line:col: ` (or `file: `) when the error has a span, else ""."""
        span = self.span
        if span is None:
            return ""
        if span.line > 0:
            return f"{span.file}:{span.line}:{span.col}: "
        return f"{span.file}: "

    def __str__(self) -> str:
        # What a host sees (like Python's and lupa's errors): where first, then what.
        return f"{self.location()}{self.kind}: {self.message}"

    def for_host(self) -> "GraphoidError":
        """This error, ready to raise into a host program: no chained Python internals."""
        if self.__cause__ is not None and self.python_exception is None:
            self.python_exception = self.__cause__
        self.__cause__ = None
        self.__suppress_context__ = True
        return self

    def __repr__(self) -> str:
        return f"GraphoidError({self.kind!r}, {self.message!r}, {self.span!r})"


# BaseException.__new__: keeps the positional arguments as `args` and runs no __init__.
_new_error = GraphoidError.__new__


def text_error(kind: str, message: str) -> GraphoidError:
    """GraphoidError(kind, message) for a message known to be a str, without __init__'s frame:
    what `raise K("text")` builds when K is still the builtin constructor (CodeGen.e_Raise).
    It sets exactly the fields __init__ sets for a kind and a message."""
    error = _new_error(GraphoidError, kind, message)
    error.kind = kind
    error.message = message
    error._pending_traceback = None
    return error


def syntax_error(message: str, span: Span | None, hint: str | None = None) -> GraphoidError:
    return GraphoidError("SyntaxError", message, span, hint=hint)


def runtime_error(message: str, span: Span | None = None, kind: str = "RuntimeError") -> GraphoidError:
    return GraphoidError(kind, message, span)


def type_error(message: str, span: Span | None = None) -> GraphoidError:
    return GraphoidError("TypeError", message, span)


def value_error(message: str, span: Span | None = None) -> GraphoidError:
    return GraphoidError("ValueError", message, span)


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """A close candidate for a misspelt name, or None."""
    import difflib

    matches = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.7)
    return matches[0] if matches else None


def source_line(span: Span, source: str | None) -> str | None:
    if source is None or span.line <= 0:
        return None
    lines = source.splitlines()
    if span.line > len(lines):
        return None
    return lines[span.line - 1]


def format_error(error: GraphoidError, source: str | None = None, *, color: bool = False) -> str:
    """`file:line:col: Kind: message`, the source line, a caret, then the Graphoid stack."""
    out: list[str] = []
    head = f"{error.location()}{error.kind}: {error.message}"
    out.append(f"\x1b[1;31m{head}\x1b[0m" if color else head)
    if error.span is not None:
        text = source_line(error.span, source)
        if text is None and error.span.file and not error.span.file.startswith("<"):
            text = _read_line(error.span.file, error.span.line)
        if text is not None:
            out.extend(_caret_lines(text, error.span))
    if error.hint:
        out.append(f"  hint: {error.hint}")
    # A single frame repeats the location already shown in the first line.
    if len(error.trace) > 1:
        out.append("Graphoid stack (most recent call last):")
        for entry in error.trace:
            if entry.elided:
                out.append(f"  {entry.elision_text()}")
            else:
                out.append(f"  {entry.span.file}:{entry.span.line}:{entry.span.col} in {entry.function}")
    cause = error.cause
    while cause is not None:
        out.append(f"caused by: {cause.kind}: {cause.message}")
        cause = cause.cause
    return "\n".join(out)


# A source line longer than this is shown as a window around the caret.
_SHOWN_LINE_MAX = 160
_SHOWN_BEFORE_CARET = 60
# Control characters (a binary file's bytes, escape sequences) would garble the terminal.
_CONTROL = {code: "\ufffd" for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)]}
_CONTROL[ord("\t")] = " "


def _caret_lines(text: str, span: Span) -> list[str]:
    """The source line (printable, clipped around the culprit) and the caret line under it."""
    shown = text.rstrip("\r\n").translate(_CONTROL)
    col = max(1, span.col)
    width = 1
    if span.end_line == span.line and span.end_col > span.col:
        width = min(span.end_col - span.col, max(1, len(shown) - col + 1))
    if len(shown) > _SHOWN_LINE_MAX:
        start = max(0, min(col - 1 - _SHOWN_BEFORE_CARET, len(shown) - _SHOWN_LINE_MAX))
        end = start + _SHOWN_LINE_MAX
        window = shown[start:end]
        if start > 0:
            window = "..." + window
            col = col - start + 3
        if end < len(shown):
            window += "..."
        width = max(1, min(width, len(window) - col + 1))
        shown = window
    return [f"    {shown}", "    " + " " * (col - 1) + "^" * max(1, width)]


def _read_line(path: str, line: int) -> str | None:
    if line <= 0:
        return None
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            # Bounded like source reading: the file may be a device or have grown huge since.
            lines = handle.read(MAX_SOURCE_BYTES).splitlines()
    except (OSError, ValueError):
        return None
    return lines[line - 1] if line <= len(lines) else None
