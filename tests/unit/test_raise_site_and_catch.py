"""`raise K(...)` without `_rt_raise`, the first catch of an error inline, and errors without an
instance __dict__ (issue 9, lane exc2: exceptions_loop).

A raise site whose callee is spelled like an error kind skips `_rt_raise` when the name still
holds the builtin constructor (an identity test); every other callee takes the general path.
What a program sees must not depend on the path: each case is run with the constructor called
by its own name and through an alias of the same length (which always takes the general path),
and the caught values, the printed lines and the escaping error (location, caret, stack) must
be the same.
"""

from __future__ import annotations

import io
import re
import textwrap

import pytest

from graphoid.compiler import dump
from graphoid.errors import GraphoidError, format_error
from graphoid.runtime.interpreter import Interpreter
from graphoid.syntax.parser import parse

FILE = "raise.gd"


def run(source: str) -> tuple[list[str], str | None]:
    """Printed lines, and the escaping error as format_error prints it (None if none)."""
    out = io.StringIO()
    source = textwrap.dedent(source)
    try:
        Interpreter(stdout=out).run(source, filename=FILE)
    except GraphoidError as error:
        return out.getvalue().splitlines(), format_error(error, source)
    return out.getvalue().splitlines(), None


RAISED = [
    '{K}("plain message")',
    '{K}("count " + n)',
    "{K}(n)",  # not a string: shown as text
    "{K}()",
    '{K}("with cause", inner)',
    '{K}("bad cause", 5)',
    '{K}("a", inner, "extra")',  # too many arguments
    '{K}("x" + missing_name)',
]


def program(raised: str, kind: str, alias: bool) -> str:
    """A function raising `raised` (its callee written as the kind, or as a same-length alias),
    caught and printed in a loop, then once more escaping."""
    callee = kind.upper() if alias else kind
    return f"""\
        {kind.upper()} = {kind}
        inner = KeyError("inner")
        fn fail(n) {{
            if n > 1 {{ raise {raised.format(K=callee)} }}
            return n
        }}
        i = 0
        while i < 4 {{
            try {{ fail(i) }} catch as e {{ print(e.type(), e.message(), e.line(), e.column(), e.cause()) }}
            i = i + 1
        }}
        fail(9)
        """


@pytest.mark.parametrize("kind", ["ValueError", "Error", "RuntimeError"])
@pytest.mark.parametrize("raised", RAISED)
def test_a_raise_of_a_constructor_call_is_the_general_raise(raised: str, kind: str) -> None:
    fast = run(program(raised, kind, alias=False))
    lines, escaped = run(program(raised, kind, alias=True))
    # the printed source line shows the alias; everything else must be the same
    assert fast == (lines, escaped and escaped.replace(kind.upper(), kind))
    assert fast[1] is not None and fast[1].startswith(f"{FILE}:4:")


def test_the_raise_site_tests_the_constructor_by_identity() -> None:
    code = dump(parse('fn f(k) { raise ValueError("v " + k) }\nfn g(e) { raise e }\n', FILE))
    assert "if ValueError is _rt_ctor_ValueError else _rt_raise(ValueError(" in code
    assert "raise _rt_raise(e)" in code
    # a callee that is no error kind's name, a method call and SyntaxError (no constructor)
    # take the general path
    for raised in ('make("v")', 'box.make("v")', 'SyntaxError("v")'):
        assert "_rt_ctor_" not in dump(parse(f"fn f(box) {{ raise {raised} }}\n", FILE)), raised


@pytest.mark.parametrize("rebinding, expected", [
    ('ValueError = fn(m) { return "IOError: " + m }', "IOError: v"),
    ("ValueError = fn(m) { return 42 }", "TypeError: Cannot raise num; raise an error or a string"),
    ('ValueError = fn(m) { return KeyError(m) }', "KeyError: v"),
])
def test_a_rebound_constructor_name_takes_the_general_path(rebinding: str, expected: str) -> None:
    lines, escaped = run(f"""\
        {rebinding}
        try {{ raise ValueError("v") }} catch as e {{ print(e.type() + ": " + e.message()) }}
        """)
    assert (lines, escaped) == ([expected], None)


def test_a_parameter_named_like_an_error_kind_takes_the_general_path() -> None:
    lines, escaped = run("""\
        fn f(ValueError) { raise ValueError("v") }
        try { f(fn(m) { return "plain " + m }) } catch as e { print(e.type(), e.message()) }
        try { f(KeyError) } catch as e { print(e.type(), e.message()) }
        f(fn(m) { return none })
        """)
    assert lines == ["RuntimeError plain v", "KeyError v"]
    assert escaped is not None
    assert escaped.splitlines()[0] == f"{FILE}:1:20: TypeError: Cannot raise none; raise an error or a string"


def test_catch_records_the_first_catch_inline_and_leaves_the_rest_to_catch() -> None:
    code = dump(parse("try { f() } catch ValueError as e { print(e) }\n", FILE))
    assert re.search(r"except _rt_Exception as (_rt_e\d+):\n    if \1.__class__ is _rt_error and "
                     r"\1._pending_traceback is None:\n        \1._pending_traceback = \1.__traceback__", code), code
    # Rethrown errors (already caught once), translated Python errors and errors from
    # natives all keep the location and stack that catch gives them.
    lines, escaped = run("""\
        fn deep(n) {
            if n == 0 { raise ValueError("deep") }
            return deep(n - 1)
        }
        saved = none
        try { deep(2) } catch as e { saved = e }
        try { raise saved } catch as e { print(e.message(), e.line(), e.column(), e.stack().length()) }
        try { x = 1 / 0 } catch as e { print(e.type(), e.line(), e.column()) }
        try { y = [1, 2][7] } catch as e { print(e.type(), e.line()) }
        try { raise saved } catch KeyError as e { print("wrong") }
        """)
    # taken from the implementation before this lane
    assert lines == ["deep 2 17 4", "RuntimeError 8 11", "IndexError 9"]
    assert escaped is not None
    assert escaped.splitlines()[0] == f"{FILE}:2:17: ValueError: deep"
    assert escaped.splitlines()[3:] == [
        "Graphoid stack (most recent call last):",
        f"  {FILE}:6:7 in <main>", f"  {FILE}:3:12 in deep", f"  {FILE}:3:12 in deep", f"  {FILE}:2:17 in deep",
    ]


def test_errors_raised_and_caught_build_no_instance_dict() -> None:
    interp = Interpreter(stdout=io.StringIO())
    interp.run('fn f() { raise ValueError("v") }\ntry { f() } catch as e { kept = e }\n', filename=FILE)
    kept = interp.namespace["kept"]
    assert isinstance(kept, GraphoidError) and vars(kept) == {}
    assert (kept.kind, kept.message, kept.span.line) == ("ValueError", "v", 1)
