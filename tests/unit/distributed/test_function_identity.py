"""How a function is named across processes: the compiler names functions after their file's
name and source only, so a driver and a worker agree on every function whatever else either
compiled before, during (a nested compile) or after, and in whichever mode."""

from __future__ import annotations

import io
from types import CodeType

import pytest

import graphoid.compiler as compiler
from graphoid.distributed.codec import decode, encode
from graphoid.distributed.program import FunctionExporter, FunctionTable
from graphoid.errors import GraphoidError
from graphoid.runtime.interpreter import Interpreter
from graphoid.values.format import display, equals
from graphoid.values.types import GList, Symbol

# name -> (source, the function value to ship as an expression, arguments, the call's result)
SHAPES: dict[str, tuple[str, str, tuple, object]] = {
    "named": ("fn f(x) { return x + 1 }", "f", (1,), 2),
    "lambda": ("g = x => x * 2", "g", (4,), 8),
    "anonymous fn in named arguments": (
        "fn pick(first, second) { return [first, second] }\n"
        "chosen = pick(second: fn(word, counts) { return [word, counts.sum()] },\n"
        "              first: fn(doc) { return doc.split(\" \") })",
        "chosen[0]", ("a b",), GList(["a", "b"]),
    ),
    "second anonymous fn in named arguments": (
        "fn pick(first, second) { return [first, second] }\n"
        "chosen = pick(second: fn(word, counts) { return [word, counts.sum()] },\n"
        "              first: fn(doc) { return doc.split(\" \") })",
        "chosen[1]", ("w", GList([1, 2])), GList(["w", 3]),
    ),
    "nested closure": (
        "fn outer(a) {\n    fn inner(b) { return c => a + b + c }\n    return inner(10)\n}\nh = outer(1)",
        "h", (100,), 111,
    ),
    "lambda in a match arm": (
        "fn chooser(v) {\n    match v {\n        :inc => { return x => x + 1 }\n        _ => { return x => x - 1 }\n    }\n}\n"
        "dec = chooser(:other)",
        "dec", (5,), 4,
    ),
    "lambda in a lambda in a comprehension": (
        "makers = [1, 2, 3].map(k => (x => x * k))", "makers[2]", (5,), 15,
    ),
    "method of a graph class": (
        "graph Counter {\n    n: 10\n    fn bump(k) { return n + k }\n}\nc = Counter { n: 5 }\n"
        "call_bump = k => c.bump(k)",
        "call_bump", (1,), 6,
    ),
    "on_message in a graph body": (
        "graph Member {\n    label: \"\"\n    fn on_message(msg) {\n        match msg {\n"
        "            :init => { label = \"x\" }\n            _ => label\n        }\n    }\n}\n"
        "ask = msg => Member { label: \"q\" }.on_message(msg)",
        "ask", (Symbol("other"),), "q",
    ),
}


def module_code(source: str, filename: str, mode: str) -> CodeType:
    return Interpreter(stdout=io.StringIO()).compile(source, filename, mode=mode)


def function_keys(code: CodeType) -> set[tuple[str, int]]:
    """(qualname, first line) of every function compiled into `code`."""
    keys: set[tuple[str, int]] = set()
    pending = [const for const in code.co_consts if isinstance(const, CodeType)]
    while pending:
        current = pending.pop()
        keys.add((current.co_qualname, current.co_firstlineno))
        pending.extend(const for const in current.co_consts if isinstance(const, CodeType))
    return keys


def nested_compile_source() -> dict[str, int]:
    """A threshold source that compiles another program, as the copy-on-write calibration does
    the first time a compile needs a threshold (the compile the original bug numbered wrongly)."""
    module_code("fn unrelated() { return [1].map(x => x) }\nunrelated2 = y => y", "other.gd", "exec")
    return {}


@pytest.fixture
def nested_compiles(monkeypatch):
    monkeypatch.setattr(compiler, "_THRESHOLD_SOURCE", [nested_compile_source])


@pytest.mark.parametrize("shape", SHAPES)
def test_function_names_depend_on_the_source_only(shape, nested_compiles):
    source = SHAPES[shape][0] + "\nxs = [1]\nxs[0] = 2"  # element assignment reads a threshold
    driver = module_code(source, "prog.gd", "repl")
    module_code("fn f() { return x => x }", "other.gd", "exec")  # compiles in between
    worker = module_code(source, "prog.gd", "exec")
    again = module_code(source, "prog.gd", "repl")
    assert function_keys(driver) == function_keys(worker) == function_keys(again)
    assert function_keys(driver)
    assert function_keys(module_code(source, "renamed.gd", "exec")).isdisjoint(function_keys(driver))


def ship(driver: Interpreter, value):
    """Encode on the driver, decode through a FunctionTable on another interpreter in this process."""
    exporter = FunctionExporter(driver)
    table = FunctionTable(Interpreter(stdout=io.StringIO()))
    table.load(exporter.bundle, exporter.bundle.hash)
    return decode(encode(value, functions=exporter), functions=table)


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_ships_and_behaves_the_same(shape, nested_compiles):
    source, expression, args, expected = SHAPES[shape]
    driver = Interpreter(stdout=io.StringIO())
    driver.run(source, "prog.gd")
    driver.run(source, "prog.gd")  # the same file compiled twice in one process
    original = driver.run_raw(expression, "<probe>")
    shipped = ship(driver, original)
    assert shipped.__code__ is not original.__code__
    assert display(shipped) == display(original)
    result = shipped(*args)
    assert equals(result, expected), display(result)
    assert equals(original(*args), result)


def test_python_errors_still_name_the_graphoid_function():
    """pyerrors maps generated names back to Graphoid ones (now the same in every compile of a source)."""
    source = "fn divide(a, b) { return a / b }\nf = x => divide(x, 0, 3)\nf(1)"
    for _ in range(2):
        with pytest.raises(GraphoidError) as info:
            Interpreter(stdout=io.StringIO()).run(source, "arity.gd")
        assert info.value.message == "divide() takes 2 arguments but 3 were given"
