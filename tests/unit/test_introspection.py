"""The reflect, runtime and modules namespaces (issue 10 §4)."""

from __future__ import annotations

from pathlib import Path

from graphoid.runtime.interpreter import Interpreter


def run(source: str, interp: Interpreter | None = None, filename: str = "t.gd") -> object:
    return (interp or Interpreter()).run(source, filename)


def test_the_universe_holds_the_type_and_error_hierarchies() -> None:
    checks = run(
        'u = reflect.universe()\n'
        '[u.has_path("type:bignum", "type:any"), u.has_path("type:list", "type:collection"),\n'
        ' u.has_path("type:string", "type:num"), u.has_path("error:FileError", "error:IOError"),\n'
        ' u.has_path("error:IndexError", "type:error"), u.has_path("error:ValueError", "error:IOError"),\n'
        ' u.has_node("scope:main"), reflect.type_hierarchy().has_node("scope:main"),\n'
        ' reflect.type_hierarchy().has_node("error:IOError")]'
    )
    assert checks == [True, True, False, True, True, False, True, False, False]


def test_the_universe_has_imported_modules_and_declared_graphs(tmp_path: Path) -> None:
    (tmp_path / "helper.gd").write_text("module helper\nfn twice(x) { return x * 2 }\n")
    (tmp_path / "main.gd").write_text(
        'import "./helper"\n'
        "graph Vehicle { speed: 0 }\n"
        "fn declare() {\n  graph Car from Vehicle { doors: 4 }\n  return Car\n}\n"
        "declare()\n"
        "u = reflect.universe()\n"
        'result = [u.has_path("scope:main", "module:helper"), u.has_path("graph:Car", "graph:Vehicle"),\n'
        '  u.has_path("graph:Vehicle", "type:graph"), reflect.loaded_modules(), modules.info("helper")["exports"],\n'
        '  reflect.module("helper").name(), reflect.module("nope"), modules.info("nope"), runtime.module_count()]\n'
    )
    interp = Interpreter()
    interp.run_file(tmp_path / "main.gd")
    assert interp.globals["result"] == [True, True, True, ["helper"], ["twice"], "helper", None, None, 1]


def test_the_call_graph_counts_calls_and_traces_exceptions() -> None:
    result = run(
        "fn boom() { raise ValueError(\"oops\") }\n"
        "fn middle() { boom() }\n"
        "fn outer() { middle() }\n"
        "fn add(a, b) { return a + b }\n"
        "add(1, 2)\nadd(3, 4)\n"
        "try { outer() } catch as e { }\n"
        "cg = reflect.call_graph()\n"
        "[cg.get_node(\"fn:add\")[\"call_count\"], cg.get_node(\"fn:add\")[\"name\"],\n"
        " cg.edges().filter(e => e[2] == \"exception\").map(e => e[0] + \">\" + e[1]),\n"
        " cg.edges().filter(e => e[2] == \"calls\").map(e => e[0] + \">\" + e[1])]"
    )
    assert result[:2] == [2, "add"]
    assert set(result[2]) == {"fn:boom>fn:middle", "fn:middle>fn:outer", "fn:outer>fn:<main>"}
    assert set(result[3]) == {"fn:<main>>fn:add", "fn:<main>>fn:outer", "fn:outer>fn:middle", "fn:middle>fn:boom"}


def test_calls_are_recorded_only_for_programs_that_ask_for_the_call_graph() -> None:
    interp = Interpreter()
    run("fn f() { return 1 }\nf()", interp)
    assert interp.introspection.recorder is None
    assert run("reflect.call_graph().node_count()", interp) == 0


def test_current_scope_describes_the_running_code() -> None:
    result = run(
        "top = 1\n"
        "fn inside(a) { b = 2\n  return reflect.current_scope() }\n"
        "s = inside(1)\n"
        "m = reflect.current_scope()\n"
        "[s[\"type\"], s[\"depth\"], s[\"variables\"], m[\"type\"], m[\"depth\"], m[\"variables\"].contains(\"top\")]"
    )
    assert result == ["function", 1, ["a", "b"], "main", 0, True]


def test_runtime_reports_version_uptime_and_memory() -> None:
    version, uptime, memory = run("[runtime.version(), runtime.uptime(), runtime.memory()]")
    assert "." in version and uptime >= 0 and memory["used"] > 0 and memory["peak"] > 0


def test_error_stack_frames_are_maps_innermost_first() -> None:
    frames = run(
        "fn a_fn() { raise(\"boom\") }\nfn b_fn() { a_fn() }\n"
        "s = none\ntry { b_fn() } catch as e { s = e.stack() }\ns"
    )
    assert [f["function"] for f in frames] == ["a_fn", "b_fn", "<main>"]
    assert frames[0] == {"function": "a_fn", "file": "t.gd", "line": 1, "column": 13}


def test_raising_a_kind_prefixed_string_raises_that_kind() -> None:
    assert run('r = none\ntry { raise("FileError: gone") } catch IOError as e { r = [e.type(), e.message()] }\nr') == [
        "FileError", "gone"]
    assert run('r = none\ntry { raise("Oops: x") } catch as e { r = e.type() }\nr') == "RuntimeError"


def test_a_spec_file_sees_its_own_imports_in_the_universe(tmp_path: Path) -> None:
    import subprocess
    import sys

    spec = tmp_path / "imports_spec.gd"
    spec.write_text('describe "universe" {\n    it "links the spec file to what it imports" {\n'
                    '        import "math"\n        u = reflect.universe()\n'
                    '        assert(u.has_path("scope:main", "module:math"))\n    }\n}\n')
    done = subprocess.run([sys.executable, "-m", "graphoid", "spec", str(spec)], capture_output=True, text=True,
                          timeout=120)
    assert "1 passed, 0 failed" in done.stdout, done.stdout + done.stderr
