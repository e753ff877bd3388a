"""The `graphoid` command: dispatch, exit codes, error output, ARGS, python -m graphoid."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from graphoid.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def graphoid_subprocess(*argv: str, cwd: Path = ROOT, stdin: str | None = None, env: dict | None = None):
    full_env = {k: v for k, v in os.environ.items() if k != "GRAPHOID_DEBUG"}
    full_env.update({"PYTHONPATH": str(ROOT), **(env or {})})
    return subprocess.run(
        [sys.executable, "-m", "graphoid", *argv],
        cwd=cwd, input=stdin, capture_output=True, text=True, env=full_env, timeout=60,
    )


# ----------------------------------------------------------------------------- no language needed


def test_version(capsys):
    for flag in ("--version", "-V", "version"):
        assert run_cli(capsys, flag) == (0, "Graphoid 0.1.0\n", "")


def test_help(capsys):
    code, out, err = run_cli(capsys, "--help")
    assert code == 0 and out.startswith("usage: graphoid run FILE") and "ARGS" in out and err == ""



@pytest.mark.parametrize("command, first_line", [
    ("run", "usage: graphoid run [--workers N] [--trace FILE] FILE [ARGS...]"),
    ("spec", "usage: graphoid spec [--timeout S] [PATH...]"),
    ("repl", "usage: graphoid repl"),
])
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_command_help_is_help_not_a_file_name(capsys, command, first_line, flag):
    code, out, err = run_cli(capsys, command, flag)
    assert code == 0 and err == "" and out.startswith(first_line)


def test_running_a_spec_file_hints_at_graphoid_spec(capsys, tmp_path):
    spec = tmp_path / "sum_spec.gd"
    spec.write_text('describe "sums" {\n  it "adds" { expect(1 + 1).to_equal(2) }\n}\n', encoding="utf-8")
    code, out, err = run_cli(capsys, "run", str(spec))
    assert code == 70 and f"hint: this is a spec file: run it with `graphoid spec {spec}`" in err
    plain = tmp_path / "sum.gd"
    plain.write_text("describe(1)\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "run", str(plain))
    assert code == 70 and "graphoid spec" not in err

@pytest.mark.parametrize(
    "argv, message",
    [
        (["run"], "run needs a FILE argument"),
        (["-c"], "-c needs a CODE argument"),
        (["--frobnicate"], "unknown option '--frobnicate'"),
        (["frobnicate"], "unknown command 'frobnicate'"),
        (["repl", "extra"], "repl takes no arguments"),
    ],
)
def test_usage_errors_exit_64(capsys, argv, message):
    code, out, err = run_cli(capsys, *argv)
    assert code == 64 and out == ""
    assert err.startswith(f"graphoid: {message}") and "Try 'graphoid --help'." in err


def test_missing_file_and_directory_exit_64(capsys, tmp_path):
    code, out, err = run_cli(capsys, "run", str(tmp_path / "nope.gd"))
    assert code == 64 and "No such file" in err and "nope.gd" in err
    code, out, err = run_cli(capsys, "run", str(tmp_path))
    assert code == 64 and "is a directory" in err
    assert "Traceback" not in err


def test_non_utf8_and_binary_files_exit_65(capsys, tmp_path):
    bad = tmp_path / "latin1.gd"
    bad.write_bytes('print("caf\xe9")\n'.encode("latin-1"))
    code, out, err = run_cli(capsys, str(bad))
    assert code == 65 and err.startswith(f"{bad}:1:11: SyntaxError: the file is not valid UTF-8 text (byte 0xe9)")
    assert err.splitlines()[1:3] == ['    print("caf\ufffd")', "    " + " " * 10 + "^"]
    binary = tmp_path / "garbage.gr"
    binary.write_bytes(bytes(range(256)) * 4)
    code, out, err = run_cli(capsys, "run", str(binary))
    assert code == 65 and "SyntaxError" in err and "Traceback" not in err


def test_non_utf8_stdin_shows_location_and_caret(capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'x = 1\ny = "\xff"\n')))
    code, out, err = run_cli(capsys, "-")
    assert code == 65 and err.startswith("<stdin>:2:6: SyntaxError: the file is not valid UTF-8 text (byte 0xff)")
    assert err.splitlines()[1:3] == ['    y = "\ufffd"', "         ^"]


def test_device_that_never_ends_is_refused_at_the_size_cap(capsys):
    if not os.path.exists("/dev/zero"):
        pytest.skip("needs /dev/zero")
    code, out, err = run_cli(capsys, "run", "/dev/zero")
    assert code == 65 and out == ""
    assert err == "/dev/zero: SyntaxError: '/dev/zero' is too large to be Graphoid source (the limit is 16 MiB)\n"


class _EndlessInput:
    """A binary stdin that never ends (like `yes | graphoid -`); refuses unbounded reads."""

    def read(self, size: int = -1) -> bytes:
        assert size >= 0, "stdin must be read with a bound"
        return b"x = 1\n" * (size // 6) + b"x" * (size % 6)


def test_endless_stdin_program_is_refused_at_the_size_cap(capsys, monkeypatch):
    import io

    class EndlessText(io.TextIOBase):
        buffer = _EndlessInput()

    monkeypatch.setattr(sys, "stdin", EndlessText())
    code, out, err = run_cli(capsys, "-")
    assert code == 65 and "'<stdin>' is too large to be Graphoid source (the limit is 16 MiB)" in err


def test_spec_command_delegates_to_the_runner(capsys, monkeypatch):
    import graphoid.spec.runner as runner

    calls = []
    monkeypatch.setattr(runner, "main", lambda paths: calls.append(paths) or 3)
    assert run_cli(capsys, "spec", "a", "b")[0] == 3
    assert run_cli(capsys, "spec")[0] == 3
    assert calls == [["a", "b"], ["."]]


def test_spec_command_without_runner_is_a_clear_error(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "graphoid.spec.runner", None)  # makes the import fail
    code, out, err = run_cli(capsys, "spec", ".")
    assert code == 70 and "spec runner is not available" in err and "Traceback" not in err


def test_keyboard_interrupt_exits_130_quietly(capsys, monkeypatch):
    import graphoid.cli as cli

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_run_path", interrupted)
    assert run_cli(capsys, "run", "x.gd") == (130, "", "")


# ----------------------------------------------------------------------------- end to end


def test_run_prints_and_exits_zero(capsys, tmp_path):
    prog = tmp_path / "p.gd"
    prog.write_text('print("hello", 1 + 2)\n')
    assert run_cli(capsys, "run", str(prog)) == (0, "hello 3\n", "")
    assert run_cli(capsys, str(prog)) == (0, "hello 3\n", "")  # FILE shortcut


def test_gr_extension_and_args(capsys, tmp_path):
    prog = tmp_path / "args.gr"
    prog.write_text("print(ARGS.length(), ARGS)\n")
    assert run_cli(capsys, "run", str(prog), "a", "-x", "--y") == (0, "3 [a, -x, --y]\n", "")
    assert run_cli(capsys, "-c", "print(ARGS)", "one") == (0, "[one]\n", "")


def test_syntax_error_exit_65_with_caret(capsys, tmp_path):
    prog = tmp_path / "bad.gd"
    prog.write_text("x = 1\ny = (2 +\n")
    code, out, err = run_cli(capsys, "run", str(prog))
    assert code == 65 and out == ""
    first = err.splitlines()[0]
    assert first.startswith(f"{prog}:") and "SyntaxError" in first
    assert "^" in err and "Traceback" not in err


def test_runtime_error_exit_70_with_stack(capsys, tmp_path):
    prog = tmp_path / "boom.gd"
    prog.write_text('print("before")\nfn inner(x) {\n    return x / 0\n}\nfn outer() {\n    return inner(1)\n}\nouter()\n')
    code, out, err = run_cli(capsys, "run", str(prog))
    assert code == 70 and out == "before\n"
    lines = err.splitlines()
    assert lines[0] == f"{prog}:3:12: RuntimeError: Division by zero"
    assert lines[1] == "        return x / 0"  # indented by 4 under the header
    assert lines[2].index("^") == 4 + 11  # the caret sits under column 12
    assert "inner" in err and "outer" in err and "Traceback" not in err


def test_graphoid_debug_shows_python_traceback(capsys, tmp_path, monkeypatch):
    prog = tmp_path / "boom.gd"
    prog.write_text("print(1 / 0)\n")
    monkeypatch.setenv("GRAPHOID_DEBUG", "1")
    code, out, err = run_cli(capsys, "run", str(prog))
    assert code == 70 and "Traceback" in err and "RuntimeError: Division by zero" in err


def test_unknown_name_did_you_mean(capsys):
    code, out, err = run_cli(capsys, "-c", "counter = 1\nprint(countr)")
    assert code == 70 and "countr" in err and "did you mean 'counter'?" in err


def test_unbounded_recursion_is_a_clean_error(capsys):
    code, out, err = run_cli(capsys, "-c", "fn f(n) { return f(n + 1) }\nf(0)")
    assert code == 70 and "recursion" in err.lower() and "Traceback" not in err


def test_stdin_as_program(capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO('print("from stdin")\n'))
    assert run_cli(capsys, "run", "-") == (0, "from stdin\n", "")


def test_python_dash_m_and_hello_example():
    result = graphoid_subprocess("run", "examples/hello.gd")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Hello, Graphoid!\n")
    assert result.stderr == ""


def test_start_up_path_imports_no_heavy_modules(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import sys\nfrom graphoid.cli import main\n"
        "code = main(['run', sys.argv[1]])\n"
        "heavy = sorted(m for m in ('zmq', 'prompt_toolkit', 'msgpack', 'networkx', 'numpy', 'lark', 'pickle', 'hashlib')\n"
        "               if m in sys.modules)\n"
        "print('HEAVY', heavy, code)\n"
    )
    # The second run is the one measured: the first may build the parser tables (with Lark)
    # into a cold user cache.
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, str(probe), str(ROOT / "examples" / "hello.gd")],
            cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60,
        )
    assert result.stdout.splitlines()[-1] == "HEAVY [] 0", result.stderr


# Modules a program that uses none of their features must not import at start-up: each is
# imported where its feature is first used (a function, a loop, a method call site, a pattern
# reflection, a graph rendering or JSON import).
LAZY_MODULES = ("graphoid.compiler.inline_leaf", "graphoid.compiler.loop_versions",
                "graphoid.compiler.pattern_reflection", "graphoid.graphs.export", "json", "decimal")
# ...and modules start-up no longer imports at all (text_patterns spells out string.punctuation).
NOT_AT_START_UP = LAZY_MODULES + ("string",)


def _imported_lazy_modules(tmp_path, program: str, modules: tuple[str, ...] = LAZY_MODULES) -> tuple[list[str], str]:
    """Run `program` in a fresh process; which of `modules` it imported, and its output."""
    source = tmp_path / "program.gd"
    source.write_text(program)
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import sys\nfrom graphoid.cli import main\n"
        "code = main(['run', sys.argv[1]])\n"
        f"print('LAZY', sorted(m for m in {modules!r} if m in sys.modules), code)\n"
    )
    result = subprocess.run(
        [sys.executable, str(probe), str(source)],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60,
    )
    *output, last = result.stdout.splitlines()
    assert last.endswith(" 0"), result.stderr
    return eval(last[len("LAZY "):-len(" 0")]), "\n".join(output)  # a list literal of names


def test_hello_imports_no_lazy_feature_module(tmp_path):
    imported, output = _imported_lazy_modules(tmp_path, 'print("hello")\n', NOT_AT_START_UP)
    assert (imported, output) == ([], "hello")


def test_lazily_imported_features_work_on_first_use(tmp_path):
    program = (
        "fn twice(x) { return x * 2 }\n"
        "fn total(items) {\n    sum = 0\n    for v in items { sum = sum + v % 7 }\n    return sum\n}\n"
        "print(twice(21), total([3, 9, 15]))\n"
        "p = reflect.pattern({ a: x, b: 3 })\n"
        'print(p.get_node("field:b"))\n'
        'g = graph { type: :directed }\ng.add_node("a", 1)\ng.add_node("b", 2)\ng.add_edge("a", "b", "k")\n'
        "h = graph_from_json(g.to_json())\n"
        'print(h == g, g.from_json(g.to_json()) == g, g.to_dot().contains("digraph"))\n'
        "big = 10 ** 5000\nprint(0.5 ** 70, big.to_string().length())\n"
    )
    imported, output = _imported_lazy_modules(tmp_path, program)
    assert imported == sorted(LAZY_MODULES)
    assert output.splitlines() == ["42 6", '{"key": b, "type": literal, "value": 3}', "true true true",
                                   "0.0000000000000000000008470329472543003 5001"]


def test_interactive_flag_runs_file_then_repl(tmp_path):
    prog = tmp_path / "defs.gd"
    prog.write_text("fn sq(x) { return x * x }\n")
    result = graphoid_subprocess("-i", str(prog), stdin="sq(9)\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "81\n"


def test_repl_command_reads_piped_stdin():
    result = graphoid_subprocess("repl", stdin='x = 2\nx * 21\nprint("p")\n"s"\nnone\n')
    assert result.returncode == 0, result.stderr
    assert result.stdout == "42\np\ns\n"


def test_broken_pipe_is_quiet(tmp_path):
    prog = tmp_path / "many.gd"
    prog.write_text("i = 0\nwhile i < 100000 {\n    print(i)\n    i = i + 1\n}\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    pipeline = f"{sys.executable} -m graphoid run {prog} | head -n 2"
    result = subprocess.run(["bash", "-c", pipeline], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert result.stdout == "0\n1\n"
    assert "Traceback" not in result.stderr and "Error" not in result.stderr


def test_random_files_end_in_clean_errors(tmp_path):
    """Whatever bytes a file holds, `graphoid run` ends with a known exit code and no traceback."""
    import contextlib
    import io

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from graphoid.values.pyerrors import ensure_recursion_limit

    ensure_recursion_limit()  # raised once up front, as the first compile would, not mid-test
    target = tmp_path / "fuzz.gd"
    pieces = st.sampled_from(list("()[]{}=+-*/.,:;\"'#\n xyz019!<>|&%^~@`\\") + ["fn ", "if ", "print", "=> "])
    program_text = st.lists(pieces, max_size=80).map("".join)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.one_of(st.binary(max_size=300), program_text.map(lambda t: t.encode("utf-8"))))
    def check(data: bytes) -> None:
        target.write_bytes(data)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["run", str(target)])
        assert code in (0, 65, 70), err.getvalue()
        assert "Traceback" not in err.getvalue() and "internal error" not in err.getvalue()

    check()


@pytest.mark.parametrize(
    "command, status",
    [
        ("python -m graphoid -c 'x = 1' >&-", 0),
        ("python -m graphoid --version >&-", 0),
        ("python -m graphoid -c 'print(1)' >&- 2>&-", 0),
        ("python -m graphoid -c '1/0' 2>&-", 70),
        ("echo '1/0' | python -m graphoid repl 2>&-", 70),
    ],
)
def test_closed_standard_streams_keep_the_exit_status(command, status):
    env = {k: v for k, v in os.environ.items() if k != "GRAPHOID_DEBUG"}
    env["PYTHONPATH"] = str(ROOT)
    shell = command.replace("python", sys.executable, 1)
    # The outer stderr collects anything Python itself would print about the closed stream.
    result = subprocess.run(["bash", "-c", f"{shell}; echo status=$?"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == f"status={status}"
    assert "Traceback" not in result.stdout + result.stderr


def test_unwritable_stdout_is_reported_not_a_traceback():
    if not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("GRAPHOID_DEBUG", None)
    for argv in (["--version"], ["-c", "print(1)"]):
        with open("/dev/full", "w") as full:
            result = subprocess.run(
                [sys.executable, "-m", "graphoid", *argv], stdout=full, stderr=subprocess.PIPE, text=True, env=env, timeout=60
            )
        assert result.returncode == 70 and "No space left on device" in result.stderr
        assert "Traceback" not in result.stderr
