"""`xs.map(x => e)`, filter, select and reject with the lambda inlined as a generator
(CodeGen.comprehended_call, issue 9): for exact lists without a budget only; every other case,
and every error, must behave as the method tables do."""

from __future__ import annotations

import io
import math
import textwrap

import pytest

from graphoid.compiler import dump
from graphoid.errors import GraphoidError, format_error
from graphoid.runtime.interpreter import Interpreter
from graphoid.syntax import parse
from graphoid.values import limits
from graphoid.values.types import GList


def run(source: str, **options: object) -> tuple[list[str], GraphoidError | None]:
    """Printed lines of `source`, and the error that escaped (if any)."""
    out = io.StringIO()
    escaped = None
    try:
        Interpreter(stdout=out, **options).run(textwrap.dedent(source), filename="comp.gd")
    except GraphoidError as error:
        escaped = error
    return out.getvalue().splitlines(), escaped


def test_the_lambda_runs_inline_for_a_literal_one_parameter_lambda() -> None:
    python = dump(parse("xs = [1]\nys = xs.map(x => x * 2)\nzs = xs.filter((a, b) => a)\n"))
    assert "(x * 2 for x in xs)" in python
    assert "for a in" not in python  # two parameters: the method as before


def test_results_match_the_method_tables() -> None:
    lines, escaped = run("""\
        k = 3
        fn scale(ys) { return ys.map(y => y * k) }
        print(scale([1, 2, 3]), [1, 2, 3, 4].filter(v => v % 2 == 0), [1, 2, 3, 4].reject(v => v % 2 == 0))
        print([1, 2, 3].select(v => v > 1), [1, "a", none, [], {}, 0, ""].filter(v => v))
        print(["a", "b"].map(s => s + "!"), "abc".map(c => c + c), [[1, 2], [3]].map(p => p.length()))
        x = 100
        print([1, 2].map(x => x + 1), x, [1, 2].map(x => none))
        frozen = [1, 2, 3].freeze()
        copy = frozen.map(v => v + 1)
        copy.append!(5)
        print(copy, frozen, frozen.is_frozen(), copy.is_frozen())
        g = graph {}
        fn g.map(f) { return "graph map " + f(2) }
        print(g.map(v => v * 10))
        """)
    assert escaped is None
    assert lines == [
        "[3, 6, 9] [2, 4] [1, 3]",
        "[2, 3] [1, a]",
        "[a!, b!] [aa, bb, cc] [2, 1]",
        "[2, 3] 100 [none, none]",
        "[2, 3, 4, 5] [1, 2, 3] true false",
        "graph map 20",
    ]


def test_other_receivers_keep_their_errors() -> None:
    _, escaped = run("n = 5\nn.map(x => x)\n")
    assert escaped is not None and escaped.kind == "RuntimeError" and "map" in escaped.message
    assert (escaped.span.line, escaped.span.col) == (2, 3)


def test_an_error_in_the_lambda_keeps_its_location_and_stack() -> None:
    source = """\
        xs = [1, 2, 0]
        try { xs.map(x => 10 / x) } catch as e { print(e.line(), e.column(), e.stack().map(f => f["function"])) }
        zs = xs.filter(
          x => 10 / x > 1)
        """
    lines, escaped = run(source)
    assert lines == ["2 19 [<lambda at comp.gd:2>, <main>]"]
    assert escaped is not None
    assert format_error(escaped, textwrap.dedent(source)).splitlines() == [
        "comp.gd:4:8: RuntimeError: Division by zero",
        "      x => 10 / x > 1)",
        "           ^^^^^^",
        "Graphoid stack (most recent call last):",
        "  comp.gd:3:9 in <main>",
        "  comp.gd:4:8 in <lambda at comp.gd:4>",
    ]


@pytest.mark.timeout(120)
@pytest.mark.parametrize("method", ["map", "filter", "reject"])
def test_a_step_limit_stops_a_long_map_or_filter(method: str) -> None:
    # Unchecked, 10**9 elements would take minutes and run out of memory.
    _, escaped = run(f"xs = list.upto(1000)\nfn grow(ys) {{ return ys.{method}(x => x + 1) }}\n"
                     f"i = 0\nwhile i < 1000000 {{ grow(xs)\n i = i + 1 }}\n", max_steps=200_000)
    assert escaped is not None and escaped.kind == "LimitError"


@pytest.mark.timeout(120)
def test_a_budget_running_when_code_compiled_without_limits_is_called_is_charged() -> None:
    # A function value of an interpreter without limits, called where a budget runs.
    interp = Interpreter(stdout=io.StringIO())
    interp.run("fn grow(ys) { return ys.map(x => x * 2) }", filename="comp.gd")
    grow = interp.lookup("grow")
    big = GList(range(100001))
    previous = limits.install(limits.Budget([0, math.inf], 1000, None))
    try:
        with pytest.raises(GraphoidError) as caught:
            grow(big)
    finally:
        limits.install(previous)
    assert caught.value.kind == "LimitError"
    assert len(grow(big)) == 100001
