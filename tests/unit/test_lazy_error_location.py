"""A caught error's location and Graphoid stack are worked out only when needed (issue 9).

`catch` keeps the traceback; the span and stack are applied when first read, when the error
escapes, or before anything changes them. What a program sees and what is printed must be
exactly what applying them at the catch gave: each case below was taken from the eager
implementation.
"""

from __future__ import annotations

import io
import textwrap

import pytest

from graphoid.errors import GraphoidError, format_error
from graphoid.runtime.interpreter import Interpreter
from graphoid.values import pyerrors

FILE = "lazy.gd"

HELPERS = """\
fn inner(k) {
    if k > 1 { raise ValueError("bad " + k) }
    return k
}
fn middle(k) { return inner(k) }
"""


def run(body: str) -> tuple[list[str], GraphoidError | None]:
    """Printed lines of HELPERS + body, and the error that escaped (if any)."""
    out = io.StringIO()
    interp = Interpreter(stdout=out)
    escaped = None
    try:
        interp.run(HELPERS + textwrap.dedent(body), filename=FILE)
    except GraphoidError as error:
        escaped = error
    return out.getvalue().splitlines(), escaped


def test_errors_kept_from_a_loop_keep_their_own_location_and_stack() -> None:
    lines, escaped = run("""\
        saved = []
        i = 0
        while i < 4 {
            try {
                middle(i)
            } catch ValueError as e {
                saved.append!(e)
            }
            i = i + 1
        }
        for e in saved {
            print(e.line(), e.column(), e.file(), e.stack().map(f => f["function"]))
            print(e.stack_trace())
        }
        """)
    assert escaped is None
    frames = ["ValueError: bad {k}", "  at inner (lazy.gd:2:16)", "  at middle (lazy.gd:5:23)", "  at <main> (lazy.gd:10:9)"]
    expected = []
    for k in (2, 3):
        expected.append("2 16 lazy.gd [inner, middle, <main>]")
        expected.extend(line.format(k=k) for line in frames)
    assert lines == expected


def test_converted_python_errors_are_located_lazily_too() -> None:
    lines, _ = run("""\
        fn zero(x) { return 10 / x }
        try { zero(0) } catch as z { print(z.type(), z.line(), z.column(), z.stack().map(f => f["function"])) }
        try { [1][5] } catch as z { print(z.message(), z.line(), z.column(), z.stack().map(f => f["function"])) }
        """)
    assert lines == ["RuntimeError 6 21 [zero, <main>]", "Index out of bounds: 5 (length 1) 8 7 [<main>]"]


def test_a_rethrown_error_keeps_the_stack_of_its_first_catch() -> None:
    lines, _ = run("""\
        fn rethrow_elsewhere(err) { raise err }
        try {
            try { middle(5) } catch as e { rethrow_elsewhere(e) }
        } catch as outer {
            print(outer.line(), outer.stack().map(f => f["function"]))
            copy = outer.caused_by(RuntimeError("x"))
            print(copy.line(), copy.stack().map(f => f["function"]))
        }
        """)
    assert lines == ["2 [inner, middle, <main>]", "2 [inner, middle, <main>]"]


def test_a_caught_error_raised_again_later_prints_where_it_was_first_caught() -> None:
    lines, escaped = run("""\
        try { middle(9) } catch as e {
            print("caught")
            keep = e
        }
        fn again() { raise keep }
        again()
        """)
    assert lines == ["caught"]
    assert escaped is not None
    assert format_error(escaped, HELPERS) == textwrap.dedent("""\
        lazy.gd:2:16: ValueError: bad 9
                if k > 1 { raise ValueError("bad " + k) }
                           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^
        Graphoid stack (most recent call last):
          lazy.gd:6:7 in <main>
          lazy.gd:5:23 in middle
          lazy.gd:2:16 in inner""")


def test_an_error_no_clause_catches_escapes_with_the_stack_of_that_catch() -> None:
    _, escaped = run("""\
        fn guarded(k) {
            try { middle(k) } catch TypeError as t { print("wrong clause") }
        }
        fn outer() { guarded(3) }
        outer()
        """)
    assert escaped is not None
    assert (escaped.span.line, escaped.span.col) == (2, 16)
    assert [(entry.function, entry.span.line) for entry in escaped.trace] == [
        ("guarded", 7), ("middle", 5), ("inner", 2)]


def test_a_caught_error_rethrown_from_a_function_escapes_with_the_catch_stack() -> None:
    _, escaped = run("""\
        fn wrap() { try { middle(4) } catch as e { raise e } }
        fn top() { wrap() }
        top()
        """)
    assert escaped is not None
    assert [(entry.function, entry.span.line) for entry in escaped.trace] == [
        ("wrap", 6), ("middle", 5), ("inner", 2)]


def test_deep_recursion_keeps_the_squeezed_stack() -> None:
    lines, _ = run("""\
        fn deep(n) {
            if n == 0 { raise RuntimeError("bottom") }
            return deep(n - 1)
        }
        try { deep(50) } catch as e { print(e.stack().length(), e.line()) }
        """)
    assert lines == ["6 7"]  # five frames and the marker of the 47 left out


def test_catch_walks_no_frames_until_the_location_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    walks: list[object] = []
    real = pyerrors._graphoid_frames
    monkeypatch.setattr(pyerrors, "_graphoid_frames", lambda tb: walks.append(tb) or real(tb))
    out = io.StringIO()
    interp = Interpreter(stdout=out)
    interp.run(HELPERS + "i = 0\nwhile i < 50 {\n    try { middle(i) } catch ValueError as e { last = e }\n    i = i + 1\n}\n",
               filename=FILE)
    assert walks == []
    assert interp.run("last.line()", filename="more.gd") == 2
    assert len(walks) == 1


def test_error_constructors_take_any_message_and_only_an_error_as_cause() -> None:
    lines, escaped = run("""\
        print(ValueError(12).message(), ValueError([1, 2]).message(), ValueError("text").message())
        print(ValueError("outer", IOError("inner")).cause().type())
        ValueError("bad", "not an error")
        """)
    assert lines == ["12 [1, 2] text", "IOError"]
    assert escaped is not None
    assert (escaped.kind, escaped.message) == ("TypeError", "ValueError() cause must be an error, got string")


def test_catch_clauses_match_the_kind_its_descendants_and_limits_only_by_name() -> None:
    lines, _ = run("""\
        try { raise KeyError("k") } catch KeyError { print("exact") }
        try { raise KeyError("k") } catch RuntimeError { print("ancestor") }
        try {
            try { raise KeyError("k") } catch ValueError { print("wrong") }
        } catch { print("bare") }
        try {
            try { raise LimitError("l") } catch RuntimeError { print("must not catch") }
        } catch LimitError { print("limit by name") }
        """)
    assert lines == ["exact", "ancestor", "bare", "limit by name"]
