"""Embedding: Interpreter API, value conversion, host functions, limits, sandbox, docs examples."""

from __future__ import annotations

import io
import re
import textwrap
from pathlib import Path

import pytest

import graphoid
from graphoid.errors import GraphoidError
from graphoid.runtime.interpreter import GraphoidFunction, Interpreter, host_function, to_graphoid, to_python
from graphoid.values.types import GList, GMap, Regex, Symbol

ROOT = Path(__file__).resolve().parents[2]


# ----------------------------------------------------------------------------- public surface


def test_public_exports_are_pinned_and_lazy():
    assert graphoid.__version__ == "0.1.0"
    assert set(graphoid.__all__) == {
        "__version__", "run", "Interpreter", "GraphoidFunction", "GraphoidError", "Symbol", "GList",
        "GMap", "Regex", "BigNum", "Module", "Graph",
    }
    assert graphoid.Interpreter is Interpreter
    for name in graphoid.__all__:
        assert getattr(graphoid, name) is not None
    assert graphoid.GraphoidError is GraphoidError
    with pytest.raises(AttributeError):
        graphoid.NoSuchThing  # noqa: B018


def test_import_graphoid_is_cheap():
    import subprocess
    import sys

    code = "import sys, graphoid; print(sorted(m for m in sys.modules if m.startswith(('graphoid', 'lark', 'zmq'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "['graphoid']"


# ----------------------------------------------------------------------------- conversion


def test_to_python_copies_collections_deeply():
    inner = GList([1, "a"])
    value = GMap({"xs": inner, "n": None, "s": Symbol("k")})
    converted = to_python(value)
    assert converted == {"xs": [1, "a"], "n": None, "s": Symbol("k")}
    assert type(converted) is dict and type(converted["xs"]) is list
    converted["xs"].append(99)
    assert inner == [1, "a"]  # the host cannot alias Graphoid values


def test_to_graphoid_builds_graphoid_collections():
    value = to_graphoid({"a": [1, (2, 3)], "b": {"c": True}, "s": {3, 1, 2}})
    assert type(value) is GMap and type(value["a"]) is GList and type(value["a"][1]) is GList
    assert value["s"] == [1, 2, 3]
    assert type(value["b"]) is GMap
    assert to_graphoid(Symbol("x")) is Symbol("x")
    assert isinstance(to_graphoid(Regex("a+")), Regex)


def test_to_graphoid_rejects_what_graphoid_cannot_hold():
    with pytest.raises(GraphoidError, match="map keys must be strings"):
        to_graphoid({1: "x"})
    with pytest.raises(GraphoidError, match="cannot convert Python bytes"):
        to_graphoid(b"raw")
    with pytest.raises(GraphoidError, match="cannot convert Python object"):
        to_graphoid(object())


def test_numbers_convert_from_numeric_tower():
    from decimal import Decimal
    from fractions import Fraction

    assert to_graphoid(Fraction(1, 2)) == 0.5 and type(to_graphoid(Fraction(1, 2))) is float
    assert to_graphoid(Decimal("2.5")) == 2.5
    assert type(to_graphoid(True)) is bool


def test_host_function_converts_and_reports_failures():
    seen = []

    def record(xs, *, flag=False):
        seen.append((xs, flag))
        return {"count": len(xs)}

    wrapped = host_function("record", record, None)
    result = wrapped(GList([1, 2]), flag=True)
    assert seen == [([1, 2], True)] and type(seen[0][0]) is list
    assert result == {"count": 2} and type(result) is GMap
    assert wrapped._gd_name == "record" and wrapped._gd_params == ("xs", "flag")
    assert to_python(wrapped) is record
    with pytest.raises(GraphoidError) as info:
        wrapped()
    assert info.value.kind == "TypeError" and info.value.message.startswith("record():")

    def boom():
        raise ValueError("nope")

    with pytest.raises(GraphoidError) as info:
        host_function("boom", boom, None)()
    assert info.value.kind == "RuntimeError"
    assert info.value.message == "host function 'boom' failed: ValueError: nope"


def test_output_targets():
    chunks: list[str] = []
    interp = Interpreter(stdout=chunks.append)
    interp.write("a")
    buffer = io.StringIO()
    Interpreter(stdout=buffer).write("b")
    assert chunks == ["a"] and buffer.getvalue() == "b"
    with pytest.raises(TypeError):
        Interpreter(stdout=42)


def test_constructor_validates_limits():
    with pytest.raises(ValueError):
        Interpreter(max_steps=0)
    with pytest.raises(ValueError):
        Interpreter(time_limit=-1)
    with pytest.raises(ValueError):
        Interpreter().define("not an identifier", print)


# ----------------------------------------------------------------------------- end to end


def test_run_returns_last_expression_value_and_keeps_globals():
    interp = Interpreter()
    assert interp.run("x = 20\nx + 22") == 42
    assert interp.run("x = 1") is None  # an assignment is not an expression statement
    assert interp.eval("x + 1") == 2
    assert interp.run('["a", [1, 2], {"k": :sym}]') == ["a", [1, 2], {"k": Symbol("sym")}]


def test_eval_accepts_exactly_one_expression():
    interp = Interpreter()
    with pytest.raises(GraphoidError) as info:
        interp.eval("1\n2")
    assert info.value.kind == "SyntaxError"


def test_globals_view_reads_writes_and_mangles():
    interp = Interpreter()
    interp.globals["data"] = [3, 1, 2]
    interp.globals["class"] = "kw"  # a Python keyword is a fine Graphoid name
    assert interp.run("data.sort()") == [1, 2, 3]
    assert interp.run("class + \"!\"") == "kw!"
    interp.run("fresh = {\"a\": 1}")
    assert interp.globals["fresh"] == {"a": 1}
    assert set(interp.globals) == {"data", "class", "fresh"}
    assert "print" not in interp.globals  # builtins are not globals
    del interp.globals["fresh"]
    assert "fresh" not in interp.globals
    with pytest.raises(KeyError):
        interp.globals["fresh"]


def test_define_host_function_and_call_graphoid_function():
    interp = Interpreter()
    interp.define("shout", lambda s: s.upper() + "!")
    interp.run('fn greet(name, punct = ".") { return "hi " + shout(name) + punct }')
    assert interp.call("greet", "bob") == "hi BOB!."
    assert interp.call("greet", "bob", "?") == "hi BOB!?"
    with pytest.raises(GraphoidError) as info:
        interp.call("gret", "x")
    assert info.value.hint == "did you mean 'greet'?"


def test_graphoid_function_returned_to_python_is_callable():
    interp = Interpreter()
    adder = interp.run("fn make(n) { return x => x + n }\nmake(10)")
    assert isinstance(adder, GraphoidFunction)
    assert adder(5) == 15
    assert interp.call("make", 1)(1) == 2


def test_output_redirection_of_print():
    chunks: list[str] = []
    Interpreter(stdout=chunks.append).run('print("a", 1, [1, "b"])')
    assert "".join(chunks) == "a 1 [1, b]\n"


def test_errors_surface_as_graphoid_errors_with_spans():
    interp = Interpreter()
    with pytest.raises(GraphoidError) as info:
        interp.run("x = 1\ny = x / 0\n", "calc.gd")
    err = info.value
    assert err.kind == "RuntimeError" and "Division by zero" in err.message
    assert err.span is not None and err.span.file == "calc.gd" and err.span.line == 2
    text = interp.format_error(err)
    assert text.startswith("calc.gd:2:") and "y = x / 0" in text and "^" in text
    with pytest.raises(GraphoidError) as info:
        interp.run("fn (")
    assert info.value.kind == "SyntaxError"


def test_step_limit_stops_a_runaway_loop():
    interp = Interpreter(max_steps=1000)
    with pytest.raises(GraphoidError) as info:
        interp.run("i = 0\nwhile true { i = i + 1 }")
    assert info.value.kind == "LimitError"
    assert info.value.message == "step limit of 1000 exceeded"
    # The budget is per entry: a small program afterwards runs fine.
    assert interp.run("i = 0\nwhile i < 10 { i = i + 1 }\ni") == 10


def test_step_limit_counts_function_calls():
    interp = Interpreter(max_steps=50)
    with pytest.raises(GraphoidError, match="step limit of 50 exceeded"):
        interp.run("fn f(n) { return f(n + 1) }\nf(0)")


def test_time_limit_stops_a_runaway_loop():
    interp = Interpreter(time_limit=0.2)
    with pytest.raises(GraphoidError) as info:
        interp.run("while true { }")
    assert info.value.kind == "LimitError"
    assert info.value.message == "time limit of 0.2 s exceeded"


def test_both_limits_together_whichever_comes_first():
    by_steps = Interpreter(max_steps=200, time_limit=60)
    with pytest.raises(GraphoidError, match="step limit of 200 exceeded"):
        by_steps.run("while true { }")
    by_time = Interpreter(max_steps=10**12, time_limit=0.1)
    with pytest.raises(GraphoidError, match="time limit of 0.1 s exceeded"):
        by_time.run("fn spin() { while true { } }\nspin()")


def test_budget_is_shared_by_nested_entries():
    interp = Interpreter(max_steps=300)
    interp.run("fn step(n) { return n }")
    # A host function that re-enters Graphoid must not get a fresh budget on each call.
    interp.define("again", lambda: interp.call("step", 1))
    with pytest.raises(GraphoidError, match="step limit of 300 exceeded"):
        interp.run("while true { again() }")


def test_limit_error_cannot_be_swallowed_by_catch():
    interp = Interpreter(max_steps=500)
    with pytest.raises(GraphoidError, match="step limit"):
        interp.run("while true {\n  try { x = 1 } catch as e { y = 2 }\n}")


def test_sandbox_denies_file_access(tmp_path):
    secret = tmp_path / "secret.gd"
    secret.write_text("value = 1\n")
    interp = Interpreter(sandbox=True)
    with pytest.raises(GraphoidError) as info:
        interp.run(f'import "{secret}"')
    assert info.value.kind == "SandboxError"
    with pytest.raises(GraphoidError) as info:
        interp.run(f'load "{secret}"')
    assert info.value.kind == "SandboxError"
    with pytest.raises(GraphoidError) as info:
        interp.run('exec("x.gd")')
    assert info.value.kind == "SandboxError"
    allowed = Interpreter(sandbox=True, allowed_roots=[tmp_path])
    allowed.run(f'import "{secret}" as s')
    assert allowed.eval("s.value") == 1


def test_run_file_resolves_imports_next_to_the_file(tmp_path):
    (tmp_path / "lib.gd").write_text("fn twice(x) { return x * 2 }\n")
    main = tmp_path / "main.gd"
    main.write_text('import "./lib"\nlib.twice(21)\n')
    assert Interpreter().run_file(main) == 42


def test_graphoid_catch_sees_host_errors():
    interp = Interpreter()

    def fail():
        raise KeyError("k")

    interp.define("fail", fail)
    assert interp.run('r = "none"\ntry { fail() } catch RuntimeError as e { r = e.message() }\nr').startswith(
        "host function 'fail' failed"
    )


def test_run_convenience_function():
    assert graphoid.run("[1, 2].length()") == 2


# ----------------------------------------------------------------------------- docs


def _doc_examples() -> list[str]:
    text = (ROOT / "docs" / "embedding.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


@pytest.mark.parametrize("index", range(len(_doc_examples())) if (ROOT / "docs" / "embedding.md").exists() else [])
def test_docs_examples_run(index, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = _doc_examples()[index]
    exec(compile(textwrap.dedent(code), f"embedding.md example {index}", "exec"), {"__name__": "doc_example"})
