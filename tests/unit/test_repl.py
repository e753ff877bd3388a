"""The REPL: a real terminal session driven with pexpect, plus its parts in isolation."""

from __future__ import annotations

import io
import os
import re
import sys
import time
from pathlib import Path

import pytest

from graphoid.repl.app import _open_brackets, batch, history_path
from graphoid.repl.session import ReplSession
from graphoid.runtime.interpreter import Interpreter

ROOT = Path(__file__).resolve().parents[2]


# ----------------------------------------------------------------------------- parts


def test_history_path_honours_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("GRAPHOID_HISTORY", str(tmp_path / "h.txt"))
    assert history_path() == tmp_path / "h.txt"
    monkeypatch.delenv("GRAPHOID_HISTORY")
    assert history_path() == Path.home() / ".graphoid_history"


def test_open_bracket_depth_ignores_strings_and_comments():
    assert _open_brackets("fn f(x) {") == 1
    assert _open_brackets('if x { s = "{{" # {\n  y = [1, ') == 2
    assert _open_brackets("a }}") == 0


def test_meta_commands_need_no_language():
    session = ReplSession(Interpreter())
    assert session.execute(":quit").quit and session.execute("/exit").quit and session.execute("/quit").quit
    assert "Enter Graphoid statements" in session.execute(":help").output
    assert session.execute("/help").output == session.execute(":help").output
    assert session.execute("   ").output is None
    assert session.is_complete(":help") and session.is_complete("")


def test_session_echoes_values_but_not_none():
    session = ReplSession(Interpreter())
    assert session.execute("1 + 2").output == "3"
    assert session.execute('["a", 1.5]').output == "[a, 1.5]"
    assert session.execute('print("x")').output is None  # print's value is none
    assert session.execute("y = 5").output is None
    assert session.execute("y").output == "5"
    assert session.execute(":vars").output == "y = 5"


def test_underscore_holds_the_last_echoed_value_as_a_copy():
    session = ReplSession(Interpreter())
    assert session.execute("[1, 2] + [3]").output == "[1, 2, 3]"
    session.execute("ys = _")
    session.execute("ys.append!(4)")
    assert session.execute("print(_, ys)").output is None
    assert session.execute("_.length()").output == "3"
    assert session.execute("_ + 1").output == "4"
    session.execute("print(none)")
    assert session.execute("_").output == "4"


def test_session_errors_have_caret_and_no_traceback():
    session = ReplSession(Interpreter())
    outcome = session.execute("x = 1\nx / 0")
    assert outcome.status == 70 and outcome.output is None
    lines = outcome.error.splitlines()
    assert lines[0].startswith("<repl:1>:2:") and "Division by zero" in lines[0]
    assert lines[1].strip() == "x / 0" and "^" in lines[2]
    assert "Traceback" not in outcome.error
    assert session.execute("fn (").status == 65


def test_session_completeness():
    session = ReplSession(Interpreter())
    assert not session.is_complete("fn f(x) {")
    assert not session.is_complete("xs = [1,")
    assert session.is_complete("fn f(x) { return x }")


def test_batch_mode_reads_multi_line_statements():
    stdin = io.StringIO('fn add(a, b) {\n    return a + b\n}\nadd(2, 3)\nnope(\n')
    import contextlib

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = batch(ReplSession(Interpreter()), stdin)
    assert out.getvalue() == "5\n"
    assert status == 65 and "SyntaxError" in err.getvalue()


def test_batch_mode_rejects_undecodable_input():
    import contextlib

    stdin = io.TextIOWrapper(io.BytesIO(b"1 + 1\n\xff\xfe\n"), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = batch(ReplSession(Interpreter()), stdin)
    assert status == 65 and "not valid UTF-8" in err.getvalue() and "Traceback" not in err.getvalue()


def test_batch_mode_stops_at_an_input_over_the_size_cap(monkeypatch):
    import contextlib

    import graphoid.repl.app as app

    monkeypatch.setattr(app, "MAX_SOURCE_BYTES", 50)

    class NoNewlineEver(io.TextIOBase):
        """Like `cat /dev/zero | graphoid repl`: one line that never ends."""

        def readline(self, size: int = -1) -> str:
            assert size >= 0, "stdin must be read with a bound"
            return "[" * size

    for stdin in (NoNewlineEver(), io.StringIO("1 + 1\n" + "[\n" * 40)):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = batch(ReplSession(Interpreter()), stdin)
        assert status == 65 and "an input is too large (the limit is 16 MiB)" in err.getvalue()


def test_completion_of_names_keywords_and_methods():
    from prompt_toolkit.document import Document

    from graphoid.repl.completion import GraphoidCompleter

    interp = Interpreter()
    interp.run('zebra_count = 3\nwords = ["a"]')
    completer = GraphoidCompleter(interp)

    def complete(text: str) -> list[str]:
        return [c.text for c in completer.get_completions(Document(text), None)]

    assert complete("zeb") == ["zebra_count"]
    assert "while" in complete("whi")
    assert "print" in complete("pri")
    methods = complete("words.")
    assert "append" in methods and "length" in methods
    assert complete("words.appe")[0] == "append"
    assert "upper" in complete('"abc".up')
    assert complete("nosuchthing.") == []



def _completions(interp: Interpreter, text: str) -> list[str]:
    from prompt_toolkit.document import Document

    from graphoid.repl.completion import GraphoidCompleter

    return [c.text for c in GraphoidCompleter(interp).get_completions(Document(text), None)]


def test_completion_after_a_literal_offers_that_type_s_methods_only():
    interp = Interpreter()
    interp.run("xs = [[1]]")
    after_list = _completions(interp, "[1, 2].")
    assert "append" in after_list and "sort" in after_list
    assert "print" not in after_list and "while" not in after_list and "add_node" not in after_list
    assert "keys" not in after_list
    assert _completions(interp, "ys = [1, [2]].so") == [n for n in after_list if n.startswith("so")]
    after_map = _completions(interp, 'm = {"a": 1}.')
    assert "keys" in after_map and "append" not in after_map and "print" not in after_map
    # An index, a call or a block before the dot has no type we know without running it.
    for text in ("xs[0].", "f(1).", "if true { 1 }.", "xs[0].ap"):
        assert _completions(interp, text) == []


def test_completion_offers_the_public_properties_of_class_like_graph_instances():
    interp = Interpreter()
    interp.run("graph Point {\n  x: 1, y: 2, _secret: 3\n  fn norm() { return x + y }\n}\np = Point { x: 5 }")
    names = _completions(interp, "p.")
    assert {"x", "y", "norm", "add_node"} <= set(names)
    assert not [name for name in names if name.startswith("_")]
    narrowed = _completions(interp, "p.no")
    assert "norm" in narrowed and all(name.startswith("no") for name in narrowed)


def test_bare_help_exit_and_quit_work_unless_defined():
    session = ReplSession(Interpreter())
    assert session.execute("help").output == session.execute(":help").output
    assert session.execute("help()").output == session.execute(":help").output
    assert session.execute("exit").quit and session.execute("quit").quit and session.execute("quit()").quit
    assert session.is_complete("exit")
    session.execute("quit = 5")
    outcome = session.execute("quit")
    assert not outcome.quit and outcome.output == "5"


def test_unknown_colon_command_is_an_error():
    session = ReplSession(Interpreter())
    outcome = session.execute(":hlep")
    assert outcome.status == 64 and "unknown command ':hlep'" in outcome.error and ":help" in outcome.error
    assert session.execute(":vars extra").status == 64
    # A symbol inside an expression is still code.
    assert session.execute(":a == :a").output == "true"


def test_help_name_shows_signature_and_doc_line():
    session = ReplSession(Interpreter())
    text = session.execute(":help range").output
    assert text.splitlines()[0] == "range(...args)" and "[0, n)" in text
    methods = session.execute(":help append").output
    assert methods.splitlines()[0] == "list.append(value)"
    mapped = session.execute(":help map").output
    assert "list.map(fn)" in mapped and "map.map(fn)" in mapped and "by `fn(key, value)`" in mapped
    session.execute("fn scale(x, by = 2) { return x * by }")
    assert session.execute(":help scale").output == "scale(x, by)"
    missing = session.execute(":help no_such_name")
    assert missing.status == 64 and "no builtin, function or method named 'no_such_name'" in missing.error

def test_highlighting_styles_tokens():
    from graphoid.repl.highlight import char_styles

    text = 'fn f(x) { return "s" + 12 }  # note'
    styles = char_styles(text)
    assert styles[0] == "class:keyword"
    assert styles[text.index('"s"')] == "class:string"
    assert styles[text.index("12")] == "class:number"
    assert styles[text.index("# note")] == "class:comment"
    assert char_styles('x = "unterminated')[-1] == "class:string"


# ----------------------------------------------------------------------------- real terminal


# prompt_toolkit switches bracketed paste on when it shows a prompt and off when input is
# accepted, so these two sequences delimit "a prompt is up" and "the REPL's output follows".
PROMPT_UP = "\x1b[?2004h"
ACCEPTED = "\x1b[?2004l"


def spawn_repl(tmp_path: Path, *args: str):
    pexpect = pytest.importorskip("pexpect")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "GRAPHOID_HISTORY": str(tmp_path / "history"),
        "NO_COLOR": "1",
        "TERM": "xterm",
        "PROMPT_TOOLKIT_NO_CPR": "1",  # pexpect does not answer cursor-position requests
    }
    env.pop("GRAPHOID_DEBUG", None)
    child = pexpect.spawn(
        sys.executable, ["-m", "graphoid", *args], cwd=str(tmp_path), env=env, encoding="utf-8",
        timeout=15, dimensions=(40, 120),
    )
    child.expect_exact("Graphoid 0.1.0")
    child.expect_exact(PROMPT_UP)
    return child


def ask(child, line: str, expected: str | None) -> None:
    """Type a line; expect `expected` as the first output line (None: no output), then a prompt."""
    child.send(line + "\r")
    child.expect_exact(ACCEPTED)
    if expected is not None:
        child.expect(re.escape(expected) + "\r\n")
    child.expect_exact(PROMPT_UP)
    if expected is None:
        assert "\r\n" not in child.before.strip("\r\n")


def test_terminal_session_end_to_end(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    child = spawn_repl(tmp_path)
    try:
        ask(child, "40 + 2", "42")
        ask(child, 'print("printed")', "printed")
        ask(child, "none", None)
        # multi-line input: an unfinished first line makes Enter continue it
        child.send("fn sq(x) {\r")
        child.expect_exact("...")
        child.send("return x * x\r")
        ask(child, "}", None)
        ask(child, "sq(12)", "144")
        # errors: header, source line, caret, no traceback
        child.send("1 / 0\r")
        child.expect_exact("RuntimeError: Division by zero")
        child.expect_exact("1 / 0")
        child.expect_exact("^")
        child.expect_exact(PROMPT_UP)
        assert "Traceback" not in child.before
        # Tab completes a name in scope, then a method after '.'
        ask(child, "zebra_count = 7007", None)
        child.send("zebra_c\t")
        time.sleep(0.3)
        ask(child, "", "7007")
        child.send('"abc".uppe\t')
        time.sleep(0.3)
        ask(child, "()", "ABC")
        # Ctrl-C while evaluating cancels the evaluation and keeps the REPL and its state
        child.send("while true { }\r")
        child.expect_exact(ACCEPTED)
        time.sleep(0.7)
        child.sendintr()
        child.expect_exact("KeyboardInterrupt")
        child.expect_exact(PROMPT_UP)
        ask(child, "sq(31)", "961")
        # Ctrl-C at the prompt throws the unfinished input away
        child.send("this is not finished (")
        time.sleep(0.2)
        child.sendintr()
        child.expect_exact(PROMPT_UP)
        ask(child, "sq(5) + 1", "26")
        ask(child, ":help", "Enter Graphoid statements; an expression's value is echoed (none is not) and kept in `_`.")
        child.send(":quit\r")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    history = (tmp_path / "history").read_text(encoding="utf-8")
    assert "+sq(12)\n" in history
    assert "+fn sq(x) {\n+    return x * x\n+}\n" in history  # auto-indented, dedented by '}'


def test_terminal_history_persists_and_eof_exits(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    child = spawn_repl(tmp_path)
    ask(child, "marker = 31 + 11", None)
    ask(child, "marker", "42")
    child.sendeof()
    child.expect_exact("Goodbye!")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    again = spawn_repl(tmp_path)
    try:
        ask(again, "marker = 6 * 7", None)
        again.send("\x1b[A")  # Up: this session's "marker = 6 * 7"
        time.sleep(0.2)
        again.send("\x1b[A")  # Up again: "marker", typed in the first session
        time.sleep(0.2)
        ask(again, "", "42")
        again.send("/exit\r")
        again.expect(pexpect.EOF)
    finally:
        again.close(force=True)
    assert again.exitstatus == 0
