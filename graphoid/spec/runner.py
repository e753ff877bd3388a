"""`graphoid spec [PATH ...]`: run spec files and report.

Each spec file runs in a fresh Interpreter, so nothing a file defines (variables, functions,
class-like graphs, imported modules) is visible to the next one. The gspec module
(stdlib/gspec.gd) is imported into that interpreter and its DSL functions are bound in the
file's namespace before the file runs. The module's tally counts the DSL runner's examples and
those of every runner the spec built itself and reported with print_summary().
"""

from __future__ import annotations

import math
import os
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from graphoid.errors import GraphoidError
import graphoid.distributed  # noqa: F401  (registers `import "distributed"`)
from graphoid.runtime.interpreter import Interpreter
from graphoid.runtime.modules import read_source_file
from graphoid.runtime.namespace import mangle, new_namespace
from graphoid.spec.discovery import discover
from graphoid.spec.location import block_location
from graphoid.spec.report import Failure, FileResult, RunResult, failure_list, indent_block, summary_line

# Seconds a spec file may run when `--timeout` is not given: a runaway file fails, the run goes on.
DEFAULT_TIMEOUT = 60.0

# The names a spec file can use without importing anything.
DSL_NAMES = ("describe", "context", "it", "xit", "pending", "before_each", "after_each", "expect", "assert")


def gspec_path() -> Path:
    from graphoid.resources import stdlib_dir

    return Path(stdlib_dir()) / "gspec.gd"


def _error_where(error: GraphoidError, default: str) -> str:
    span = error.span
    if span is None or span.line <= 0:
        return default
    return f"{span.file}:{span.line}"


def _collect_failures(entries: Any, path: str) -> list[Failure]:
    failures = []
    for entry in entries:
        failures.append(
            Failure(
                name=str(entry.get("name", "?")),
                where=block_location(entry.get("block"), path),
                message=str(entry.get("message", "")),
            )
        )
    return failures


def run_file(path: str, out: TextIO, timeout: float | None = DEFAULT_TIMEOUT) -> FileResult:
    """Run one spec file, printing its report lines to `out`; the counts and failures.

    With `timeout` (seconds) a file that runs longer stops with a LimitError, reported as a
    failure of that file, and the run goes on with the next file.
    """
    out.write(path + "\n")
    interp = Interpreter(stdout=out, time_limit=timeout)
    real = os.path.realpath(path)
    namespace = new_namespace(interp, real)
    interp.main_file = real
    try:
        gspec = interp.modules.import_module(str(gspec_path()), namespace)
        if gspec is None:
            raise GraphoidError("ImportError", "the gspec module could not be loaded")
        for name in DSL_NAMES:
            namespace[mangle(name)] = gspec.get_member(name)
        spec_runner = gspec.get_member("spec_runner")
        spec_runner.set_property("indent", 1)
        tally = gspec.get_member("GspecTally")
    except GraphoidError as error:
        text = interp.format_error(error)
        out.write("  ERROR: gspec could not be loaded:\n" + indent_block(text, "    ") + "\n")
        return FileResult(path, failed=1, failures=(Failure(path, path, text),))

    stopped: GraphoidError | None = None
    try:
        source = read_source_file(path, shown=path)
        with interp.running():
            interp.execute(source, path, namespace)
    except GraphoidError as error:
        stopped = error
    try:
        spec_runner.call("report_to_tally", (), None)
    except GraphoidError as error:  # only if the spec broke the runner itself
        stopped = stopped or error

    failures = _collect_failures(tally.get_property("failures", ()), path)
    failed = int(tally.get_property("failed", 0))
    if stopped is not None:
        text = interp.format_error(stopped)
        out.write("  ERROR: the spec file stopped with an error:\n" + indent_block(text, "    ") + "\n")
        failures.append(Failure(f"{path}: error at the top level", _error_where(stopped, path), text))
        failed += 1
    return FileResult(
        path,
        passed=int(tally.get_property("passed", 0)),
        failed=failed,
        skipped=int(tally.get_property("skipped", 0)),
        failures=tuple(failures),
    )


def run(paths: list[str], out: TextIO, timeout: float | None = DEFAULT_TIMEOUT) -> RunResult:
    """Discover and run the spec files under `paths`, writing the full report to `out`."""
    found = discover(paths)
    started = time.perf_counter()
    results: list[FileResult] = []
    for missing in found.missing:
        message = f"no such file or directory: {missing}"
        out.write(f"ERROR: {message}\n")
        results.append(FileResult(missing, failed=1, failures=(Failure(missing, missing, message),)))
    if not found.files:
        shown = ", ".join(paths or ["."])
        out.write(f"No spec files found in: {shown} (spec files end with _spec.gd or _spec.gr)\n")
    for path in found.files:
        results.append(run_file(path, out, timeout))
        out.write("\n")
    result = RunResult(tuple(results), time.perf_counter() - started)
    if result.failures:
        out.write(failure_list(result.failures) + "\n")
    count = len(found.files)
    out.write(f"Finished in {result.seconds:.2f}s ({count} spec file{'s' if count != 1 else ''})\n")
    out.write(summary_line(result) + "\n")
    return result


def main(paths: list[str]) -> int:
    """Entry point of `graphoid spec [--timeout SECONDS] [PATH...]`: 0 when every example
    passed, 1 on any failure or when no spec file was found, 64 on bad options."""
    try:
        paths, timeout = _options(list(paths))
    except ValueError as exc:
        sys.stderr.write(f"graphoid spec: {exc}\n")
        return 64
    try:
        result = run(paths or ["."], sys.stdout, timeout)
    except KeyboardInterrupt:
        sys.stdout.write("\ninterrupted\n")
        return 130
    finally:
        sys.stdout.flush()
    return 0 if result.ok else 1


def _options(args: list[str]) -> tuple[list[str], float]:
    """Split `--timeout SECONDS` (or `--timeout=SECONDS`) from the paths."""
    paths: list[str] = []
    timeout = DEFAULT_TIMEOUT
    items = iter(args)
    for arg in items:
        if arg == "--timeout" or arg.startswith("--timeout="):
            text = arg.partition("=")[2] if "=" in arg else next(items, "")
            try:
                timeout = float(text)
            except ValueError:
                raise ValueError(f"--timeout needs a number of seconds, got {text!r}") from None
            if not (0 < timeout < math.inf):  # also refuses NaN, which compares false
                raise ValueError(f"--timeout must be a positive number of seconds, got {text!r}")
        elif arg.startswith("-") and arg != "-":
            raise ValueError(f"unknown option '{arg}'")
        else:
            paths.append(arg)
    return paths, timeout
