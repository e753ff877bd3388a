"""Step and time limits hold inside builtins (graphoid.values.limits, docs/embedding.md "Limits").

Every program here would run for minutes (or forever) unchecked; each must stop with the right
LimitError. Elapsed-time bounds are generous (2x the limit + 1.5 s): they check that a run
stopped at all on a slow shared machine, not how fast.
"""

from __future__ import annotations

import io
import math
import os
import random
import sys
import time
from pathlib import Path

import pytest

from graphoid import GraphoidError, Interpreter
from graphoid.values import limits

pytestmark = pytest.mark.timeout(300)

COMPLETE_GRAPH = """
g = graph {}
for i in range(12) { g.add_node("n" + string(i), i) }
for i in range(12) { for j in range(12) { if i != j { g.add_edge("n" + string(i), "n" + string(j)) } } }
"""

# The reproducers of issue 7 (B1): each ran past 20 s under time_limit=1, max_steps=1000.
REPRODUCERS = {
    "builtin calling back a builtin": "1000000000.times(typeof)",
    "catastrophic backtracking": '"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" =~ /^(a|aa)+$/',
    "huge power": "x = 7 ** 100000000",
    "all paths of a complete graph": COMPLETE_GRAPH + 'g.all_paths("n0", "n1").length()',
    "map over a huge range": "range(100000000).map(typeof)",
}


def stop_error(source: str, **options: object) -> tuple[GraphoidError, float]:
    """Run `source` under the given limits; the error it stopped with and the CPU seconds it took.

    CPU time, not wall time: the `regex` module's timeout counts the CPU time of the match, so on
    a loaded machine a regex stop comes late on the wall clock while its CPU time stays within the
    bound (docs/embedding.md). For every other stop the CPU time is at most the wall time.
    """
    interp = Interpreter(**options)  # type: ignore[arg-type]
    started = time.process_time()
    with pytest.raises(GraphoidError) as caught:
        interp.run(source)
    return caught.value, time.process_time() - started


def generous_bound(time_limit: float) -> float:
    return 2 * time_limit + 1.5


@pytest.mark.parametrize("source", REPRODUCERS.values(), ids=REPRODUCERS.keys())
def test_reproducers_stop_under_sandbox_limits(source: str) -> None:
    error, elapsed = stop_error(source, sandbox=True, time_limit=1, max_steps=1000)
    assert error.kind == "LimitError", error
    assert elapsed < generous_bound(1)


@pytest.mark.parametrize("source", REPRODUCERS.values(), ids=REPRODUCERS.keys())
def test_reproducers_stop_under_a_time_limit_alone(source: str) -> None:
    error, elapsed = stop_error(source, time_limit=0.5)
    assert error.kind == "LimitError", error
    assert elapsed < generous_bound(0.5)


@pytest.mark.parametrize(
    "source",
    [
        "1000000000.times(x => x)",
        "range(100000000)",
        "list.upto(100000000)",
        "list.generate(0, 100000000, 1)",
        "list.generate(0, 100000000, 0.5)",
        "range(100000000).filter(typeof)",
        "{a: 1}.map((k, v) => range(100000000))",
        '"ab".repeat(100).map(c => range(100000000))',
        "range(100000).uniq()",
        's = "a" * 1000000\ns.extract(:words)',
        's = "a b" * 1000000\ns.count(:letters)',
        "xs = [1]\nfor i in range(22) { xs = xs + xs }\nxs.sum()",
        "xs = [1]\nfor i in range(22) { xs = xs + xs }\nxs.contains(2)",
        COMPLETE_GRAPH + 'g.match(node("a"), edge(), node("b"), edge(), node("c"), edge(), node("d"), edge(), '
        'node("e"), edge(), node("f"), edge(), node("h"), edge(), node("k")).length()',
    ],
)
def test_steps_are_counted_inside_builtins(source: str) -> None:
    error, _ = stop_error(source, max_steps=2000)
    assert (error.kind, error.message) == ("LimitError", "step limit of 2000 exceeded")


def test_a_spent_budget_cannot_be_caught_and_retried() -> None:
    source = "try { 1000000000.times(typeof) } catch as e { 1000000000.times(typeof) }"
    error, _ = stop_error(source, max_steps=500)
    assert error.message == "step limit of 500 exceeded"


def test_regex_timeout_reports_the_time_limit() -> None:
    error, elapsed = stop_error('"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!".replace(/^(a|aa)+$/, "x")', time_limit=0.3)
    assert (error.kind, error.message) == ("LimitError", "time limit of 0.3 s exceeded")
    assert elapsed < generous_bound(0.3)


@pytest.mark.parametrize(
    "source, message",
    [
        ("x = 3 ** 1000000", "Number too large: 3 ** 1000000 would have more than 524288 bits"),
        ("x = 2 ** 300000\ny = x * x", "Number too large: the product would have more than 524288 bits"),
        ('s = "ab" * 10000000', "String too long: repetition would exceed 16777216 characters"),
        ('s = 10000000 * "ab"', "String too long: repetition would exceed 16777216 characters"),
        ('s = "ab".repeat(10000000)', "String too long: repetition would exceed 16777216 characters"),
        ('s = string.generate("ab", 10000000)', "String too long: repetition would exceed 16777216 characters"),
        ('s = "a".pad_left(100000000)', "String too long: repetition would exceed 16777216 characters"),
    ],
)
def test_size_caps_under_limits(source: str, message: str) -> None:
    error, _ = stop_error(source, time_limit=5)
    assert (error.kind, error.message) == ("LimitError", message)


def test_size_caps_leave_ordinary_work_alone() -> None:
    interp = Interpreter(max_steps=100_000, time_limit=5)
    assert interp.run('"ab" * 3 + "c".repeat(2) + string.generate("x", 2)') == "abababccxx"
    assert interp.run("2 ** 100 * 3") == 3 * 2**100
    assert interp.run("x = 7\nx * 6") == 42
    assert interp.run("(2 ** 500000).to_string().length()") == int(500000 * math.log10(2)) + 1
    assert interp.run("[1, 1, 2].uniq()") == [1, 2]
    assert interp.run("list.generate(0, 1, 0.25)") == [0, 0.25, 0.5, 0.75, 1]
    assert interp.run("range(3, 0, -1)") == [3, 2, 1]
    assert interp.run('"a1b22".find_all(/[0-9]+/)') == ["1", "22"]


def test_integer_powers_are_capped_without_limits_too() -> None:
    error, _ = stop_error("x = 7 ** 100000000")
    assert (error.kind, error.message) == (
        "ValueError",
        "Number too large: 7 ** 100000000 would have more than 16777216 bits",
    )
    assert Interpreter().run("1 ** 100000000 + (-1) ** 100000001") == 0


def test_huge_integers_print_in_subquadratic_time() -> None:
    lines: list[str] = []
    Interpreter(stdout=lines.append).run("print(10 ** 1000000)")
    assert lines == ["1" + "0" * 1_000_000 + "\n"]


def test_huge_integer_text_matches_python() -> None:
    from graphoid.values.format import format_number

    rng = random.Random(7)
    previous = sys.get_int_max_str_digits()
    for bits in (1, 64, 14_000, 30_000, 123_457):
        for sign in (1, -1):
            n = sign * rng.getrandbits(bits)
            sys.set_int_max_str_digits(0)
            try:
                expected = str(n)
            finally:
                sys.set_int_max_str_digits(previous)
            assert format_number(n) == expected


def test_to_ascii_grows_linearly_with_a_chain() -> None:
    interp = Interpreter()
    text = interp.run(
        'g = graph { type: :directed }\nfor k in range(4000) { g.add_node("n" + string(k), k) }\n'
        'for k in range(3999) { g.add_edge("n" + string(k), "n" + string(k + 1)) }\ng.to_ascii()'
    )
    lines = text.splitlines()
    assert len(lines) == 4000
    assert max(len(line) for line in lines) < 200
    assert lines[1] == "└── n1 (1)"
    assert lines[33] == " " * 4 * 32 + "└── n33 (33)"
    assert lines[3999] == "[depth 3999] " + " " * 4 * 32 + "└── n3999 (3999)"


def test_budget_is_installed_only_while_a_limited_interpreter_runs() -> None:
    inner = Interpreter(max_steps=50)
    outer = Interpreter()
    seen: list[object] = []

    def run_inner() -> str:
        try:
            inner.run("1000000.times(typeof)")
        except GraphoidError as error:
            seen.append(limits.active())
            return error.message
        return "not stopped"

    outer.define("run_inner", run_inner)
    assert outer.run("[run_inner(), range(5000).length()]") == ["step limit of 50 exceeded", 5000]
    assert seen == [None]  # the outer, unlimited interpreter's state is back in force
    assert limits.active() is None


def test_spec_timeout_stops_long_builtins(tmp_path: Path) -> None:
    from graphoid.spec.runner import run

    (tmp_path / "slow_spec.gd").write_text(
        'describe "slow" {\n  it "calls back forever" {\n    1000000000.times(typeof)\n  }\n'
        '  it "backtracks" {\n    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" =~ /^(a|aa)+$/\n  }\n}\n'
    )
    out = io.StringIO()
    started = time.monotonic()
    result = run([os.fspath(tmp_path)], out, timeout=0.5)
    assert not result.ok
    assert "time limit of 0.5 s exceeded" in out.getvalue()
    assert time.monotonic() - started < 10


# ---------------------------------------------------------------- B3: random runaway programs

# Kernels: each would run for minutes unchecked. `{K}` marks where a wrapper puts a kernel.
KERNELS = [
    "1000000000.times(typeof)",
    "1000000000.times(x => x)",
    "range(100000000).map(typeof)",
    "range(100000000).filter(x => true)",
    "range(100000000).reduce(0, (a, b) => a)",
    "list.upto(100000000).each(typeof)",
    "list.generate(0, 1000000000, 0.5)",
    "range(200000).uniq()",
    '"{A}!" =~ /^(a|aa)+$/',
    '"{A}!".matches(/^(a|aa)+$/)',
    '"{A}!".replace(/^(a|aa)+$/, "b")',
    "x = 3\nwhile true {{ x = x * x }}",
    "x = 7 ** 100000000",
    "x = 2 ** 400000\nwhile true {{ y = x * x % (x - 1) }}",
    '"ab" * 1000000000',
    COMPLETE_GRAPH.replace("{", "{{").replace("}", "}}") + 'g.all_paths("n0", "n1")',
    "s = 0\nfor i in range(1000000000) {{ s = s + i }}",
]
WRAPPERS = [
    "{K}",
    "fn work() {{\n{K}\n}}\nwork()",
    "try {{\n{K}\n}} catch as e {{\n{K}\n}}",
    "[1, 2, 3].map(n => {{\n{K}\n}})",
    '{{"k": 1}}.each((k, v) => {{\n{K}\n}})',
]


def random_program(rng: random.Random) -> str:
    kernel = rng.choice(KERNELS).replace("{A}", "a" * rng.randint(30, 40))
    wrapper = rng.choice(WRAPPERS)
    return wrapper.format(K=kernel.format())


def test_random_runaway_programs_stop_within_twice_the_time_limit() -> None:
    rng = random.Random(20240607)
    for _ in range(40):
        source = random_program(rng)
        time_limit = rng.choice([0.3, 0.4, 0.5])
        max_steps = rng.choice([None, 1_000, 100_000, 10_000_000])
        interp = Interpreter(sandbox=True, time_limit=time_limit, max_steps=max_steps)
        started = time.process_time()  # CPU time: see stop_error
        try:
            interp.run(source)
        except GraphoidError as error:
            elapsed = time.process_time() - started
            assert error.kind == "LimitError", (source, error)
            assert elapsed < generous_bound(time_limit), (source, elapsed)
        else:
            pytest.fail(f"ran to completion: {source}")


def test_running_blocks_share_a_budget_and_undo_themselves_on_errors() -> None:
    interp = Interpreter(max_steps=5000)
    interp.run("fn spin(n) { s = 0\n for i in range(n) { s = s + i }\n return s }")
    spin = interp.lookup("spin")  # about 2 steps per iteration
    with interp.running() as entered:
        assert entered is interp and interp.is_running and limits.active() is not None
        with interp.running():  # nested: the same run
            spin(1000)
        with pytest.raises(GraphoidError, match="step limit"):
            spin(1500)  # fits a budget of its own, not what is left of this one
    assert not interp.is_running and limits.active() is None
    with interp.running():  # a new block: a fresh budget
        assert spin(1500) == 1124250
    with pytest.raises(ZeroDivisionError):
        with interp.running():
            raise ZeroDivisionError
    assert not interp.is_running and limits.active() is None
