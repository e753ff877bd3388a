"""gspec: discovery, reporting, and running spec files end to end through the runner."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from graphoid.spec.discovery import discover
from graphoid.spec.location import block_location
from graphoid.spec.report import Failure, FileResult, RunResult, failure_list, summary_line

REPO = Path(__file__).resolve().parents[2]
SPEC_DIR = REPO / "tests" / "spec"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "gspec"
SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed, (\d+) skipped$")


def run_specs(*paths: str | os.PathLike[str]) -> tuple[int, str]:
    from graphoid.spec.runner import run

    out = io.StringIO()
    result = run([os.fspath(p) for p in paths], out)
    return (0 if result.ok else 1), out.getvalue()


def last_line_counts(text: str) -> tuple[int, int, int]:
    last = text.rstrip("\n").splitlines()[-1]
    match = SUMMARY.match(last)
    assert match, f"last line is not a summary: {last!r}"
    return int(match[1]), int(match[2]), int(match[3])


# ---------------------------------------------------------------- discovery


def _touch(root: Path, relative: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# spec\n")


def test_discovery_finds_gd_and_gr_specs_recursively_in_order(tmp_path: Path) -> None:
    for name in ["b_spec.gd", "a_spec.gr", "helper.gd", "notes_spec.txt", "sub/c_spec.gd",
                 "sub/deeper/d_spec.gr", ".hidden/e_spec.gd", "node_modules/f_spec.gd",
                 "__pycache__/g_spec.gd", "sub/.h_spec.gd"]:
        _touch(tmp_path, name)
    found = discover([str(tmp_path)])
    relative = [os.path.relpath(f, tmp_path) for f in found.files]
    assert relative == ["a_spec.gr", "b_spec.gd", os.path.join("sub", "c_spec.gd"),
                        os.path.join("sub", "deeper", "d_spec.gr")]
    assert found.missing == ()


def test_discovery_runs_explicit_files_whatever_their_name_and_reports_missing(tmp_path: Path) -> None:
    _touch(tmp_path, "plain.gd")
    _touch(tmp_path, "x_spec.gd")
    found = discover([str(tmp_path / "plain.gd"), str(tmp_path), str(tmp_path / "x_spec.gd"), "no/such/place"])
    assert [os.path.basename(f) for f in found.files] == ["plain.gd", "x_spec.gd"]
    assert found.missing == ("no/such/place",)


def test_discovery_defaults_to_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _touch(tmp_path, "only_spec.gd")
    monkeypatch.chdir(tmp_path)
    assert discover([]).files == ("only_spec.gd",)


# ---------------------------------------------------------------- reporting


def test_summary_line_and_failure_list_format() -> None:
    failure = Failure("Math adds", "m_spec.gd:3", "Expected 3 to equal 4\nsecond line")
    result = RunResult((FileResult("m_spec.gd", passed=2, failed=1, skipped=1, failures=(failure,)),
                        FileResult("n_spec.gd", passed=1)))
    assert summary_line(result) == "3 passed, 1 failed, 1 skipped"
    assert not result.ok
    assert failure_list(result.failures).splitlines() == [
        "Failures:", "", "  1) Math adds", "     m_spec.gd:3", "     Expected 3 to equal 4", "     second line",
    ]


def test_a_run_without_files_is_not_ok() -> None:
    assert not RunResult(()).ok
    assert RunResult((FileResult("a_spec.gd", passed=1),)).ok


def test_block_location_reads_the_code_object() -> None:
    def block() -> None:
        return None

    line = block.__code__.co_firstlineno
    assert block_location(block, "fallback") == f"{__file__}:{line}"
    assert block_location(None, "fallback") == "fallback"
    assert block_location(print, "fallback") == "fallback"


# ---------------------------------------------------------------- running specs


def test_our_spec_suite_passes() -> None:
    code, out = run_specs(SPEC_DIR)
    passed, failed, skipped = last_line_counts(out)
    assert (failed, code) == (0, 0), out
    assert passed >= 150
    assert skipped == 2  # one xit and one pending in gspec_structure_spec.gd


def test_failures_are_listed_with_file_line_and_message() -> None:
    path = FIXTURES / "failing_example.gd"
    code, out = run_specs(path)
    assert code == 1
    assert last_line_counts(out) == (1, 2, 1)
    shown = os.path.normpath(str(path))
    assert "PASS: adds" in out
    assert "FAIL: multiplies wrongly" in out
    assert "SKIP: is skipped" in out
    assert "  1) arithmetic multiplies wrongly" in out
    assert f"{shown}:7" in out
    assert "Expected 6 to equal 7" in out
    assert "  2) arithmetic with errors divides by zero" in out
    assert f"{shown}:12" in out
    assert "RuntimeError: Division by zero" in out


def test_nesting_is_shown_by_indentation() -> None:
    _, out = run_specs(FIXTURES / "failing_example.gd")
    lines = out.splitlines()
    assert "  arithmetic" in lines
    assert "    PASS: adds" in lines
    assert "    with errors" in lines
    assert "      FAIL: divides by zero" in lines


def test_a_top_level_error_fails_that_file_and_the_run_continues() -> None:
    error_file = FIXTURES / "toplevel_error_example.gd"
    code, out = run_specs(error_file, FIXTURES / "passing_example.gd")
    assert code == 1
    assert last_line_counts(out) == (2, 1, 1)
    shown = os.path.normpath(str(error_file))
    assert f"{shown}:7:" in out  # file:line:col of the undefined name
    assert "missing_name" in out
    assert "^" in out  # the caret under the source line
    assert "never runs" not in out
    assert "PASS: passes" in out


def test_a_syntax_error_is_reported_as_a_failure_of_its_file() -> None:
    code, out = run_specs(FIXTURES / "syntax_error_example.gd")
    assert code == 1
    assert last_line_counts(out) == (0, 1, 0)
    assert "SyntaxError" in out


def test_files_do_not_share_definitions() -> None:
    code, out = run_specs(FIXTURES / "passing_example.gd", FIXTURES / "isolation_example.gd")
    assert code == 0, out
    assert last_line_counts(out) == (2, 0, 1)


def test_specs_that_drive_their_own_runner_are_counted() -> None:
    code, out = run_specs(FIXTURES / "own_runner_example.gd")
    assert code == 1
    assert last_line_counts(out) == (1, 1, 0)
    assert "Expected 3 to be less than 2" in out


def test_no_spec_files_is_a_failure(tmp_path: Path) -> None:
    code, out = run_specs(tmp_path)
    assert code == 1
    assert "No spec files found" in out
    assert last_line_counts(out) == (0, 0, 0)


def test_a_missing_path_is_a_failure() -> None:
    code, out = run_specs(FIXTURES / "passing_example.gd", "does/not/exist")
    assert code == 1
    assert "no such file or directory: does/not/exist" in out


def test_main_returns_the_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    from graphoid.spec.runner import main

    assert main([str(FIXTURES / "passing_example.gd")]) == 0
    assert main([str(FIXTURES / "failing_example.gd")]) == 1
    assert capsys.readouterr().out.rstrip().endswith("1 passed, 2 failed, 1 skipped")


def test_the_cli_runs_specs_with_the_exit_status() -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "graphoid", "spec", *args], capture_output=True,
                              text=True, cwd=REPO, timeout=120)

    failing = cli(str(FIXTURES / "failing_example.gd"))
    assert failing.returncode == 1
    assert failing.stdout.rstrip().splitlines()[-1] == "1 passed, 2 failed, 1 skipped"
    passing = cli(str(FIXTURES / "passing_example.gd"), str(SPEC_DIR / "reference_style_spec.gr"))
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert passing.stdout.rstrip().splitlines()[-1] == "6 passed, 0 failed, 1 skipped"


def test_an_error_in_a_group_body_fails_the_group_and_the_run_goes_on() -> None:
    path = FIXTURES / "group_error_example.gd"
    code, out = run_specs(path)
    assert code == 1
    assert last_line_counts(out) == (3, 1, 0)
    assert "ERROR: error in group: NameError: Undefined variable 'nope'" in out
    assert "  1) outer broken (group body)" in out
    assert f"{os.path.normpath(str(path))}:3" in out
    assert "PASS: after the broken group" in out


def test_runners_only_inspected_through_summary_are_not_counted() -> None:
    code, out = run_specs(FIXTURES / "inspected_runner_example.gd")
    assert code == 0, out
    assert last_line_counts(out) == (1, 0, 0)
    assert "FAIL: fails on purpose" in out  # it still printed its own line


def _fenced_block(text: str, after: str, fence: str) -> str:
    start = text.index(fence, text.index(after)) + len(fence)
    return text[start:text.index("```", start)]


def test_the_documented_example_prints_the_documented_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = (REPO / "docs" / "gspec.md").read_text()
    example = _fenced_block(doc, "## Writing specs", "```graphoid\n")
    expected = _fenced_block(doc, "## Output", "```\n")
    (tmp_path / "tests" / "spec").mkdir(parents=True)
    (tmp_path / "tests" / "spec" / "stack_spec.gd").write_text(example)
    monkeypatch.chdir(tmp_path)
    code, out = run_specs("tests/spec")
    assert code == 1

    def stable(text: str) -> list[str]:
        return [line for line in text.splitlines() if not line.startswith("Finished in")]

    assert stable(out) == stable(expected)


def test_timeout_stops_a_hanging_file_and_the_run_continues(tmp_path: Path) -> None:
    from graphoid.spec.runner import run

    (tmp_path / "hang_spec.gd").write_text('describe "loops" {\n  it "never ends" {\n    while true { }\n  }\n}\n')
    (tmp_path / "ok_spec.gd").write_text('describe "ok" {\n  it "adds" {\n    expect(1 + 1).to_equal(2)\n  }\n}\n')
    out = io.StringIO()
    result = run([os.fspath(tmp_path)], out, timeout=0.5)
    text = out.getvalue()
    assert not result.ok
    assert "LimitError: time limit of 0.5 s exceeded" in text
    assert last_line_counts(text) == (1, 1, 0)


def test_timeout_option_is_validated() -> None:
    from graphoid.spec.runner import DEFAULT_TIMEOUT, _options

    assert _options(["--timeout", "2", "a", "--timeout=3"]) == (["a"], 3.0)
    assert _options(["a"]) == (["a"], DEFAULT_TIMEOUT)
    for bad in (["--timeout", "soon"], ["--timeout=0"], ["--timeout=nan"], ["--timeout=inf"], ["--timeout"]):
        with pytest.raises(ValueError):
            _options(bad)


@pytest.mark.parametrize("value", ["nan", "inf", "-1", ""])
def test_timeout_must_be_a_finite_positive_number(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    from graphoid.spec.runner import main

    assert main(["--timeout", value, "."]) == 64
    err = capsys.readouterr().err
    assert "--timeout" in err and "Traceback" not in err


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    from graphoid.spec.runner import main

    assert main(["--bogus"]) == 64
    out, err = capsys.readouterr()
    assert "unknown option '--bogus'" in err and out == ""
