"""`configure` state: per interpreter, per file, per block; error modes strict/lenient/collect."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from graphoid.values import ops
from graphoid.errors import GraphoidError
from graphoid.runtime.interpreter import Interpreter


def run(source: str, interp: Interpreter | None = None) -> str:
    out = io.StringIO()
    (interp or Interpreter(stdout=out)).run(source)
    return out.getvalue()


def test_settings_do_not_leak_between_interpreters() -> None:
    a, b = Interpreter(), Interpreter()
    a.run("configure { :unsigned }")
    # The REPL-style session of `a` keeps its setting; `b` and a fresh one never see it.
    assert b.run("-1 >> 60") == -1
    assert a.run("-1 >> 60") == 15
    assert Interpreter().run("-1 >> 60") == -1
    assert ops.CONFIG.unsigned is False
    b.run("configure { integer: :integer }")
    assert a.run("x = 7.5\nx") == 7.5
    assert b.run("y = 7.5\ny") == 7


def test_process_state_is_restored_after_an_error() -> None:
    a = Interpreter()
    with pytest.raises(GraphoidError):
        a.run("configure { :unsigned } { raise \"boom\" }")
    assert ops.CONFIG.unsigned is False
    assert a.run("-1 >> 60") == -1


def test_nested_interpreter_keeps_its_own_settings() -> None:
    inner = Interpreter()
    outer = Interpreter()
    outer.define("inner_shift", lambda: inner.run("-1 >> 60"))
    assert outer.run("configure { :unsigned } { r = [inner_shift(), -1 >> 60] }\nr") == [-1, 15]
    assert outer.run("-1 >> 60") == -1


def test_bodyless_configure_lasts_to_the_end_of_its_file(tmp_path: Path) -> None:
    (tmp_path / "mod.gd").write_text("configure { :unsigned }\ninside = -1 >> 60\n")
    main = tmp_path / "main.gd"
    main.write_text('import "mod"\nprint(mod.inside, -1 >> 60)\n')
    out = io.StringIO()
    Interpreter(stdout=out).run_raw(main.read_text(), str(main), mode="exec")
    assert out.getvalue() == "15 -1\n"


def test_imported_module_runs_under_default_settings(tmp_path: Path) -> None:
    (tmp_path / "shifty.gd").write_text("at_load = -1 >> 60\n")
    main = tmp_path / "main.gd"
    main.write_text('configure { :unsigned }\nimport "shifty"\nprint(shifty.at_load, -1 >> 60)\n')
    out = io.StringIO()
    Interpreter(stdout=out).run_raw(main.read_text(), str(main), mode="exec")
    assert out.getvalue() == "-1 15\n"


def test_configure_block_scope() -> None:
    assert run("configure { :unsigned } { print(-1 >> 60) }\nprint(-1 >> 60)") == "15\n-1\n"


def test_collect_mode_records_and_continues() -> None:
    out = run(
        "configure { error_mode: :collect } {\n"
        "    x = 1 / 0\n"
        "    y = 5 % 0\n"
        "    z = 5 // 0\n"
        "    print(\"after\")\n"
        "}\n"
        "print(x, y, z)\n"
        "errs = get_errors()\n"
        "print(errs)\n"
        "print(errs[0].type(), errs[0].message())\n"
        "clear_errors()\n"
        "print(get_errors())\n"
    )
    assert out == (
        "after\nnone none none\n"
        "[RuntimeError: Division by zero, RuntimeError: Modulo by zero, RuntimeError: Division by zero]\n"
        "RuntimeError Division by zero\n[]\n"
    )


def test_session_settings_apply_to_later_inputs() -> None:
    out = io.StringIO()
    session = Interpreter(stdout=out)
    session.run("configure { error_mode: :collect }")
    session.run("x = 1 / 0")
    session.run("print(x, get_errors())")
    assert out.getvalue() == "none [RuntimeError: Division by zero]\n"


def test_collected_error_has_a_span() -> None:
    interp = Interpreter(stdout=io.StringIO())
    interp.run("configure { error_mode: :collect } {\n    x = 1 / 0\n}")
    [error] = interp.builtins["_rt_errors"].errors
    assert (error.kind, error.message) == ("RuntimeError", "Division by zero")
    assert error.span is not None and error.span.line == 2


def test_lenient_mode_gives_none_and_records_nothing() -> None:
    out = run("configure { error_mode: :lenient } { x = 1 / 0\ny = 1 % 0 }\nprint(x, y, get_errors())")
    assert out == "none none []\n"


def test_collected_errors_are_per_interpreter() -> None:
    a = Interpreter(stdout=io.StringIO())
    b = Interpreter(stdout=io.StringIO())
    a.run("configure { error_mode: :collect } { x = 1 / 0 }")
    assert b.run("get_errors()") == []
    assert len(a.run("get_errors()")) == 1


def test_strict_mode_still_raises() -> None:
    with pytest.raises(GraphoidError, match="Division by zero"):
        Interpreter().run("configure { error_mode: :strict } { x = 1 / 0 }")
    with pytest.raises(GraphoidError, match="Modulo by zero"):
        Interpreter().run("x = 1 % 0")


def test_invalid_error_mode_is_a_value_error_and_leaves_settings_intact() -> None:
    interp = Interpreter()
    with pytest.raises(GraphoidError, match="Invalid error_mode: :bogus"):
        interp.run("configure { :unsigned } {\n    configure { error_mode: :bogus } { x = 1 }\n}")
    assert interp.run("-1 >> 60") == -1
    assert interp.run("configure { :unsigned } { r = -1 >> 60 }\nr") == 15
