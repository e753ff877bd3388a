"""`while` loops compile to `while True:` with the test inside (CodeGen.s_While), so CPython
closes them with an unconditional JUMP_BACKWARD, the jump that warms a function's bytecode up
for specialisation; `continue`, `break` and tests with statements of their own keep working."""

from __future__ import annotations

import dis
import io

from graphoid import Interpreter

SOURCE = """
fn count(n) {
    i = 0
    kept = []
    while i < n {
        i = i + 1
        if i % 2 == 0 { continue }
        if i > 7 { break }
        kept = kept + [i]
    }
    return kept
}
"""


def test_while_loops_close_with_an_unconditional_backward_jump() -> None:
    interp = Interpreter(stdout=io.StringIO())
    interp.run(SOURCE, filename="loops.gd")
    code = interp.namespace["count"].__code__
    assert "JUMP_BACKWARD" in {instruction.opname for instruction in dis.get_instructions(code)}


def test_continue_break_and_tests_with_statements() -> None:
    interp = Interpreter(stdout=io.StringIO())
    assert interp.run(SOURCE + "count(20)", filename="loops.gd") == [1, 3, 5, 7]
    source = "xs = [3, 2, 1]\nn = 0\nwhile xs.length() > 0 and xs[0] != 0 {\n  xs = xs.skip(1)\n  n = n + 1\n}\nn"
    assert interp.run(source, filename="loops2.gd") == 3
