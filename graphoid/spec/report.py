"""Results of a spec run and the text reported for them."""

from __future__ import annotations

import attrs


@attrs.frozen
class Failure:
    """One failed example (or a spec file that stopped with an error)."""

    name: str
    where: str  # `file:line` of the example's block, or the file when unknown
    message: str


@attrs.frozen
class FileResult:
    """What running one spec file produced."""

    path: str
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    failures: tuple[Failure, ...] = ()


@attrs.frozen
class RunResult:
    """The whole run: per-file results in run order."""

    files: tuple[FileResult, ...] = ()
    seconds: float = 0.0

    @property
    def passed(self) -> int:
        return sum(f.passed for f in self.files)

    @property
    def failed(self) -> int:
        return sum(f.failed for f in self.files)

    @property
    def skipped(self) -> int:
        return sum(f.skipped for f in self.files)

    @property
    def failures(self) -> list[Failure]:
        return [failure for f in self.files for failure in f.failures]

    @property
    def ok(self) -> bool:
        return self.failed == 0 and bool(self.files)


def summary_line(result: RunResult) -> str:
    """The run's last line, `N passed, M failed, K skipped`."""
    return f"{result.passed} passed, {result.failed} failed, {result.skipped} skipped"


def indent_block(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line else line for line in text.splitlines())


def failure_list(failures: list[Failure]) -> str:
    """The numbered list of failures printed before the summary line."""
    out = ["Failures:", ""]
    for number, failure in enumerate(failures, start=1):
        head = f"  {number}) "
        out.append(head + failure.name)
        pad = " " * len(head)
        out.append(pad + failure.where)
        out.append(indent_block(failure.message, pad))
        out.append("")
    return "\n".join(out)
