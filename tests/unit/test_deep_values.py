"""Values nested deeper than the Python stack: display, equality, conversion, copies, the REPL.

Such values are easy to build (`x = [x]` in a loop) and must work, or fail with a
GraphoidError: never a Python RecursionError.
"""

from __future__ import annotations

import contextlib
import io

import pytest

from graphoid.repl.app import batch
from graphoid.repl.session import ReplSession
from graphoid.errors import GraphoidError
from graphoid.runtime.interpreter import Interpreter, to_graphoid
from graphoid.values.pyerrors import RECURSION_LIMIT

DEPTH = 2 * RECURSION_LIMIT
NEST_LIST = f"z = []\nfor k in range({DEPTH}) {{ z = [z] }}\n"
NEST_MAP = f'm = {{}}\nfor k in range({DEPTH}) {{ m = {{"a": m}} }}\n'


def depth_of(value: object) -> int:
    """How deeply `[[...]]` / `{"a": {...}}` nest, counted without recursion."""
    depth = 0
    while value:
        value = value[0] if isinstance(value, list) else value["a"]
        depth += 1
    return depth


def deep_python_list(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


@pytest.fixture(scope="module")
def interp() -> Interpreter:
    out = io.StringIO()
    interp = Interpreter(stdout=out)
    interp.run(NEST_LIST + NEST_MAP)
    interp.printed = out  # type: ignore[attr-defined]
    return interp


def printed(interp: Interpreter, source: str) -> str:
    out = interp.printed  # type: ignore[attr-defined]
    out.seek(0)
    out.truncate()
    interp.run(source)
    return out.getvalue()


def test_run_eval_and_globals_convert_deep_values(interp: Interpreter) -> None:
    assert depth_of(interp.run("z")) == DEPTH
    assert depth_of(interp.eval("z")) == DEPTH
    assert depth_of(interp.globals["z"]) == DEPTH
    assert depth_of(interp.globals["m"]) == DEPTH


def test_host_values_convert_in(interp: Interpreter) -> None:
    interp.globals["h"] = deep_python_list(DEPTH)
    assert printed(interp, "print(h == z)") == "true\n"
    bad_key: object = {2: "a map key that is not a string, under the deep part"}
    for _ in range(DEPTH):
        bad_key = [bad_key]
    with pytest.raises(GraphoidError, match="map keys must be strings, got int"):
        interp.globals["bad"] = bad_key


def test_host_value_that_contains_itself_is_a_graphoid_error() -> None:
    cyclic: list = [1]
    cyclic.append(cyclic)
    with pytest.raises(GraphoidError, match="contains itself"):
        to_graphoid(cyclic)


def test_display_and_string_forms(interp: Interpreter) -> None:
    assert printed(interp, "print(z)") == "[" * (DEPTH + 1) + "]" * (DEPTH + 1) + "\n"
    shown = printed(interp, 'print("" + m)')
    assert shown.startswith('{"a": {"a": ') and shown.endswith("{}" + "}" * DEPTH + "\n")


def test_equality_of_distinct_deep_values(interp: Interpreter) -> None:
    source = f"y = []\nfor k in range({DEPTH}) {{ y = [y] }}\n"
    assert printed(interp, source + "print(y == z, y != z)") == "true false\n"
    different = f"d = [1]\nfor k in range({DEPTH}) {{ d = [d] }}\n"
    assert printed(interp, different + "print(d == z, [d] == [z])") == "false false\n"
    maps = f'n = {{}}\nfor k in range({DEPTH}) {{ n = {{"a": n}} }}\n'
    assert printed(interp, maps + "print(n == m)") == "true\n"


def test_deep_copy_and_freeze(interp: Interpreter) -> None:
    source = 'g = graph {}\ng.add_node("a", z)\nh = g.clone()\nf = z.freeze()\nprint(h.get_node("a") == z, f.is_frozen(), f == z)'
    assert printed(interp, source) == "true true true\n"


def test_repl_echoes_a_deep_value_and_keeps_going() -> None:
    stdin = io.StringIO(NEST_LIST + "z\n" + 'print("alive")\n')
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = batch(ReplSession(Interpreter()), stdin)
    assert status == 0 and err.getvalue() == ""
    assert out.getvalue().splitlines() == ["[" * (DEPTH + 1) + "]" * (DEPTH + 1), "alive"]


def test_repl_survives_an_unexpected_python_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    session = ReplSession(Interpreter())

    def broken_show(value: object) -> str:
        raise RuntimeError("echo broke")

    monkeypatch.setattr(session, "show", broken_show)
    outcome = session.execute("1 + 1")
    assert outcome.status == 70 and outcome.error.startswith("internal error: RuntimeError: echo broke")
    monkeypatch.undo()
    assert session.execute("2 + 2").output == "4"
