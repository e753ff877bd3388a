"""Syntax errors: messages, spans, pathological input, and is_complete() for the REPL."""

from __future__ import annotations

import pytest

from graphoid.errors import GraphoidError, format_error
from graphoid.syntax import is_complete, parse


def error_of(source: str, filename: str = "<string>") -> GraphoidError:
    with pytest.raises(GraphoidError) as info:
        parse(source, filename)
    err = info.value
    assert err.kind == "SyntaxError" and err.is_syntax and err.exit_code == 65
    assert err.span is not None
    return err


MESSAGES = [
    # source, message, (line, col) of the caret
    ("x = 1 +", "expected an expression after '+'", (1, 8)),
    ("x = 1 +\n\n", "expected an expression after '+'", (1, 8)),
    ("x = 1 + * 2", "expected an expression after '+', found '*'", (1, 9)),
    ("x = }", "unexpected '}'", (1, 5)),
    ("f(1 2)", "unexpected number 2, expected ',' or ')'", (1, 5)),
    ("x = [1 2]", "unexpected number 2, expected ',' or ']'", (1, 8)),
    ("y = {a: 1 b: 2}", "unexpected 'b', expected ',' or '}'", (1, 11)),
    ("a b", "unexpected 'b'", (1, 3)),
    ('print("abc', "unterminated string", (1, 7)),
    ("x = 'abc\ny = 2", "unterminated string", (1, 5)),
    ("x = 1 /* never closed", "unterminated comment", (1, 7)),
    ("x = (1 + 2", "'(' is never closed", (1, 5)),
    ("if x {\n  y = 1\n", "'{' is never closed", (1, 6)),
    ("f(]", "unexpected ']' (the '(' at line 1 is not closed)", (1, 3)),
    ("x = 1)", "unexpected ')'", (1, 6)),
    ("x = 1e5", "invalid number literal '1e5'", (1, 5)),
    ("x = 0x", "invalid number literal '0x'", (1, 5)),
    ("x = 1 $ 2", "unexpected character '$'", (1, 7)),
    ("x = 1\x00", "unexpected character U+0000", (1, 6)),
    ("x = /ab", "unterminated regex literal", (1, 5)),
    ("x = /ab/q", "invalid regex flags 'q' (allowed: i, m, s, x)", (1, 9)),
    ("for in xs {}", "unexpected 'in', expected a name", (1, 5)),
    ("fn (a) {}\nfn f(", "'(' is never closed", (2, 5)),
    ("x = ", "expected an expression after '='", (1, 4)),
    ("x = \n", "expected an expression after '='", (1, 4)),
    ("if x {} else", "unexpected end of input", (1, 13)),
    ("1 = x", "cannot assign to this expression", (1, 1)),
    ("fn f(a, a) {}", "duplicate parameter 'a'", (1, 9)),
    ("try { }", "'try' needs a 'catch' or 'finally'", (1, 1)),
    ("x = match v { [...a, b] => 1 }", "'...' must be the last element of a list pattern", (1, 16)),
]


@pytest.mark.parametrize("source,message,where", MESSAGES)
def test_error_messages(source: str, message: str, where: tuple[int, int]) -> None:
    err = error_of(source, "prog.gd")
    assert err.message == message
    assert (err.span.line, err.span.col) == where
    assert err.span.file == "prog.gd"


def test_formatted_error_points_at_the_token() -> None:
    source = "x = 1\ny = (2 +\n  * 3)"
    err = error_of(source, "m.gd")
    text = format_error(err, source)
    assert text.splitlines() == [
        "m.gd:3:3: SyntaxError: expected an expression after '+', found '*'",
        "      * 3)",
        "      ^",
    ]


def test_formatted_source_line_hides_control_characters() -> None:
    source = 'x = "\x1b[2J" $'
    text = format_error(error_of(source, "m.gd"), source)
    assert text.splitlines()[1:] == ['    x = "\ufffd[2J" $', "    " + " " * 11 + "^"]


def test_formatted_long_line_is_a_window_around_the_caret() -> None:
    source = "x = " + "1 + " * 200 + "$" + " + 2" * 200
    err = error_of(source, "m.gd")
    shown, caret = format_error(err, source).splitlines()[1:]
    assert shown.startswith("    ...1 + ") and shown.endswith("...") and len(shown) < 200
    assert shown[caret.index("^")] == "$" and caret.count("^") == 1


def test_hex_and_binary_need_digits() -> None:
    assert error_of("x = 0b_").message == "binary literal needs digits"


def test_huge_literals_are_syntax_errors() -> None:
    assert error_of("x = " + "9" * 10000).message == "number literal is too long"
    assert error_of("x = 0x" + "f" * 10000).message == "number literal is too long"


def test_nesting_limits() -> None:
    assert error_of("x = " + "(" * 300 + "1" + ")" * 300).message == "nesting too deep"
    assert error_of("x = " + "[" * 201 + "]" * 201).message == "nesting too deep"
    assert error_of("x = " + "-" * 5000 + "1").message == "nesting too deep"
    assert error_of("x = " + "not " * 300 + "y").message == "nesting too deep"
    assert error_of("x = " + "+".join(["1"] * 3000)).message == "expression nesting too deep"
    assert error_of("x = a" + ".f()" * 1000).message == "expression nesting too deep"
    # Just under the limits still parses.
    parse("x = " + "(" * 199 + "1" + ")" * 199)
    parse("x = " + "+".join(["1"] * 200))


def test_long_and_odd_input() -> None:
    assert len(parse("x = " + "a" * 200_000).body) == 1
    assert len(parse("\ufeffx = 1").body) == 1
    assert parse("ñame = 'ünï'").body[0].target.id == "ñame"
    assert error_of("x = \x07").message == "unexpected character U+0007"


def test_non_string_source_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        parse(b"x = 1")  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- is_complete

INCOMPLETE = [
    "if x {",
    "if x {\n  y = 1",
    "fn f(a,",
    "x = [1, 2",
    'x = "abc',
    "x = 'multi\nline",
    "x = 1 +",
    "x = a and",
    "x = a.",
    "x =",
    "f(x) { |n|",
    "match x {\n  0 => 1",
    "graph G {\n  x: 1",
    "/* open comment",
    "try {\n}",
    "x = y\n  .map(f) +",
]
COMPLETE = [
    "",
    "x = 1",
    "print(1)\n",
    "if x { y }",
    "fn f() {\n  return 1\n}",
    "x = )",          # an error no more text can fix
    "x = 1 2",
    "}",
    "x = /ab",        # regexes end at the line
    "try { } catch { }",
    "if x { } else { }",
]


@pytest.mark.parametrize("source", INCOMPLETE)
def test_incomplete_input(source: str) -> None:
    assert is_complete(source) is False


@pytest.mark.parametrize("source", COMPLETE)
def test_complete_input(source: str) -> None:
    assert is_complete(source) is True
