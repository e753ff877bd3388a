"""Building, raising and catching errors on the lean paths (issue 9, exceptions_loop).

Error constructors build a kind-and-message error without GraphoidError.__init__, and
__init__ sets only the fields it was given; what programs, hosts and printed errors see must
be what the full constructor gives.
"""

from __future__ import annotations

import io
import textwrap

import pytest

from graphoid.errors import ERROR_PARENTS, GraphoidError, TraceEntry, format_error
from graphoid.runtime.builtins import error_constructor
from graphoid.runtime.interpreter import Interpreter
from graphoid.syntax.ast import Span


@pytest.mark.parametrize("kind", sorted(ERROR_PARENTS))
def test_a_constructed_error_is_the_full_constructors_error(kind: str) -> None:
    made = error_constructor(kind)("something went wrong")
    full = GraphoidError(kind, "something went wrong")
    assert type(made) is GraphoidError
    assert vars(made) == vars(full)
    assert made.args == full.args
    assert (str(made), repr(made), made.display()) == (str(full), repr(full), full.display())
    assert (made.span, made.cause, made.hint, list(made.trace)) == (None, None, None, [])


def test_an_error_keeps_only_the_fields_it_was_given_and_its_own_trace() -> None:
    span = Span("f.gd", 3, 4, 3, 9)
    entries = [TraceEntry("f", span)]
    traced = GraphoidError("KeyError", "k", span, trace=iter(entries), hint="try has_key")
    plain = GraphoidError("KeyError", "k")
    assert (traced.span, traced.trace, traced.hint) == (span, entries, "try has_key")
    assert traced.trace is not entries and isinstance(traced.trace, list)
    assert (plain.span, list(plain.trace), plain.hint) == (None, [], None)
    plain.trace = entries
    assert plain.trace == entries and list(GraphoidError("KeyError", "k").trace) == []
    assert str(traced) == "f.gd:3:4: KeyError: k"


def run(source: str) -> tuple[list[str], GraphoidError | None]:
    """Printed lines of `source`, and the error that escaped (if any)."""
    out = io.StringIO()
    escaped = None
    try:
        Interpreter(stdout=out).run(textwrap.dedent(source), filename="lean.gd")
    except GraphoidError as error:
        escaped = error
    return out.getvalue().splitlines(), escaped


def test_raise_takes_errors_strings_and_refuses_other_values() -> None:
    lines, escaped = run("""\
        try { raise ValueError("v") } catch ValueError as e { print(e.type(), e.message()) }
        try { raise "FileError: gone" } catch IOError as e { print(e.type(), e.message()) }
        try { raise "plain words" } catch as e { print(e.type(), e.message()) }
        saved = none
        try { raise KeyError("first") } catch as e { saved = e }
        try { raise saved } catch KeyError as e { print(e.message(), e == saved) }
        raise 42
        """)
    assert lines == ["ValueError v", "FileError gone", "RuntimeError plain words", "first true"]
    assert escaped is not None
    assert (escaped.kind, escaped.message) == ("TypeError", "Cannot raise num; raise an error or a string")
    assert (escaped.span.line, escaped.span.col) == (7, 1)


def test_errors_raised_and_caught_in_a_loop_then_escaping_print_where_and_the_stack() -> None:
    source = """\
        fn check(k) {
            if k > 2 { raise ValueError("bad value " + k) }
            return k
        }
        i = 0
        while i < 5 {
            try { check(i) } catch ValueError as e { print(e.message(), e.line(), e.column()) }
            i = i + 1
        }
        check(7)
        """
    lines, escaped = run(source)
    assert lines == ["bad value 3 2 16", "bad value 4 2 16"]
    assert escaped is not None
    assert format_error(escaped, textwrap.dedent(source)).splitlines() == [
        "lean.gd:2:16: ValueError: bad value 7",
        '        if k > 2 { raise ValueError("bad value " + k) }',
        "                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
        "Graphoid stack (most recent call last):",
        "  lean.gd:10:1 in <main>",
        "  lean.gd:2:16 in check",
    ]
