"""Golden-file conformance suite: every `tests/conformance/**/*.gd` program is one test.

Expectations live in the program as comments, in file order:

* `# expect: <text>`       - the next line of stdout (stdout must equal these lines exactly);
* `# expect error: <text>` - stderr contains <text> (several may be given);
* `# expect exit: N`       - the exit status (default 0, or 70 when an error is expected).

Files under any folder named `lib` are helper modules imported by other programs, not tests.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import re
import signal
import sys
import threading
import traceback
from pathlib import Path

import attrs
import pytest

CONFORMANCE_DIR = Path(__file__).resolve().parent / "conformance"
REPO_ROOT = CONFORMANCE_DIR.parent.parent
TIMEOUT_SECONDS = 10

_EXPECT = re.compile(r"#\s*expect(?P<kind> error| exit)?:(?P<text>.*)$")


@attrs.frozen
class Expectation:
    """What one conformance program must produce."""

    stdout_lines: tuple[str, ...]
    stderr_fragments: tuple[str, ...]
    exit_code: int


def parse_expectations(source: str) -> Expectation:
    """Read the `# expect...` comments of a program, in file order."""
    lines: list[str] = []
    errors: list[str] = []
    exit_code: int | None = None
    for raw in source.splitlines():
        found = _EXPECT.search(raw)
        if found is None:
            continue
        text = found.group("text")
        # One separating space belongs to the comment syntax, the rest is expected output.
        if text.startswith(" "):
            text = text[1:]
        kind = found.group("kind")
        if kind is None:
            lines.append(text)
        elif kind == " error":
            errors.append(text.strip())
        else:
            exit_code = int(text.strip())
    if exit_code is None:
        exit_code = 70 if errors else 0
    return Expectation(tuple(lines), tuple(errors), exit_code)


def discover() -> list[Path]:
    """All conformance programs, skipping helper modules kept in `lib` folders."""
    programs = []
    for path in sorted(CONFORMANCE_DIR.rglob("*.gd")):
        if "lib" in path.relative_to(CONFORMANCE_DIR).parts[:-1]:
            continue
        programs.append(path)
    return programs


class ProgramTimeout(BaseException):
    """Raised inside a runaway program; a BaseException so Graphoid `catch` cannot swallow it."""


@attrs.frozen
class RunResult:
    stdout: str
    stderr: str
    exit_code: int
    timed_out: bool


CRASHED = -1


def _invoke(path: Path) -> int:
    """Call the CLI; an exception escaping it is reported as a crash, not a test error."""
    try:
        from graphoid.cli import main

        code = main(["run", str(path)])
    except SystemExit as stop:
        status = stop.code
        code = status if isinstance(status, int) else (0 if status is None else 1)
    except Exception:  # the CLI must never let one escape: show it as the failure
        sys.stderr.write("CLI crashed:\n" + traceback.format_exc())
        return CRASHED
    return 0 if code is None else int(code)


def run_program(path: Path, timeout: float = TIMEOUT_SECONDS) -> RunResult:
    """Run one program in-process with captured output and a timeout guard."""
    out, err = io.StringIO(), io.StringIO()
    timed_out = False
    code = -1
    use_alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGALRM")
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        if use_alarm:
            fired = False

            def on_alarm(signum, frame):  # noqa: ARG001 - signal handler signature
                nonlocal fired
                fired = True
                raise ProgramTimeout()

            previous = signal.signal(signal.SIGALRM, on_alarm)
            # Re-fire every second in case the program (or the CLI) swallows the first one.
            signal.setitimer(signal.ITIMER_REAL, timeout, 1.0)
            try:
                code = _invoke(path)
            except ProgramTimeout:
                pass
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
            timed_out = fired
        else:
            # Off the main thread no signal can interrupt the program: run it in a daemon thread.
            box: dict[str, object] = {}

            def target() -> None:
                try:
                    box["code"] = _invoke(path)
                except BaseException as exc:  # reported below as a failure
                    box["exc"] = exc

            worker = threading.Thread(target=target, daemon=True)
            worker.start()
            worker.join(timeout)
            if worker.is_alive():
                timed_out = True
            elif "exc" in box:
                raise box["exc"]  # type: ignore[misc]
            else:
                code = int(box["code"])  # type: ignore[arg-type]
    return RunResult(out.getvalue(), err.getvalue(), code, timed_out)


def _diff(expected: list[str], actual: list[str]) -> str:
    return "\n".join(
        difflib.unified_diff(expected, actual, "expected stdout", "actual stdout", lineterm="")
    )


PROGRAMS = discover()


@pytest.mark.parametrize(
    "program", PROGRAMS, ids=[p.relative_to(CONFORMANCE_DIR).as_posix() for p in PROGRAMS]
)
def test_conformance(program: Path) -> None:
    expectation = parse_expectations(program.read_text(encoding="utf-8", errors="replace"))
    result = run_program(program)
    problems: list[str] = []
    if result.timed_out:
        problems.append(f"program did not finish within {TIMEOUT_SECONDS}s")
    actual_lines = result.stdout.splitlines()
    if not result.timed_out and actual_lines != list(expectation.stdout_lines):
        problems.append("stdout differs:\n" + _diff(list(expectation.stdout_lines), actual_lines))
    for fragment in expectation.stderr_fragments:
        if fragment not in result.stderr:
            problems.append(f"stderr lacks {fragment!r}")
    if not result.timed_out and result.exit_code != expectation.exit_code:
        problems.append(f"exit status {result.exit_code}, expected {expectation.exit_code}")
    if result.exit_code == CRASHED:
        problems.append("the CLI let a Python exception escape (see stderr)")
    elif "Traceback (most recent call last)" in result.stderr:
        problems.append("a Python traceback reached the user")
    if problems:
        report = "\n".join(problems)
        pytest.fail(
            f"{program.relative_to(REPO_ROOT)}:\n{report}\n--- stderr ---\n{result.stderr}",
            pytrace=False,
        )


def test_expectation_parser() -> None:
    """The comment syntax itself: order, inline comments, empty lines, defaults."""
    source = 'print("a")  # expect: a\n# expect:\n# expect error: boom\nx = 1 # expect:  two spaces\n'
    parsed = parse_expectations(source)
    assert parsed.stdout_lines == ("a", "", " two spaces")
    assert parsed.stderr_fragments == ("boom",)
    assert parsed.exit_code == 70
    assert parse_expectations("# expect exit: 65\n# expect error: x").exit_code == 65
    assert parse_expectations('print(1) # expect: 1').exit_code == 0


def test_suite_size_and_lib_skipping() -> None:
    """The suite is large enough and helper modules are not collected as programs."""
    assert len(PROGRAMS) >= 170
    assert all("lib" not in p.relative_to(CONFORMANCE_DIR).parts[:-1] for p in PROGRAMS)
    assert any((CONFORMANCE_DIR / "modules" / "lib").glob("*.gd"))


def test_timeout_guard(tmp_path: Path) -> None:
    """A program that never ends is stopped and reported, not left to block the suite."""
    program = tmp_path / "forever.gd"
    program.write_text("i = 0\nwhile true {\n    i = i + 1\n}\n", encoding="utf-8")
    result = run_program(program, timeout=1)
    assert result.timed_out
