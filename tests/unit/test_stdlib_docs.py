"""Runs every ```graphoid example of docs/stdlib.md and checks what it prints (the `# =>`
convention of docs/language.md), and checks that the page documents every module member."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from test_docs_language import Example, parse_examples

from graphoid.library import MODULES as REGISTERED

DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "stdlib.md"
DOC = DOC_PATH.read_text(encoding="utf-8")
EXAMPLES = parse_examples(DOC)
MODULES = (
    "fs", "io", "os", "json", "csv", "time", "random", "constants", "math", "statistics",
    "collections", "regex", "string", "pp", "optparse",
)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"line{e.line}")
def test_example_prints_what_the_page_shows(example: Example, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from graphoid import Interpreter

    monkeypatch.chdir(tmp_path)  # the examples write files
    out: list[str] = []
    Interpreter(stdout=out.append).run(example.source, str(tmp_path / "doc_example.gd"))
    assert "".join(out) == example.expected


def test_every_example_promises_output() -> None:
    assert len(EXAMPLES) >= len(MODULES)
    assert all(example.expected for example in EXAMPLES)


def _section(module: str) -> str:
    found = re.search(rf"^## {module}\n(.*?)(?=^## |\Z)", DOC, re.S | re.M)
    assert found, f"docs/stdlib.md has no section for {module}"
    return found.group(1)


@pytest.mark.parametrize("module", MODULES)
def test_every_member_is_documented_and_shown(module: str) -> None:
    from graphoid import Interpreter

    section = _section(module)
    names = Interpreter().run(f'import "{module}" as m\nm.exports()')
    assert names
    for name in names:
        assert re.search(rf"\b{re.escape(name)}\b", section), f"{module}.{name} is not documented"
    unused = [name for name in names if not re.search(rf"\.{re.escape(name)}\b", section)]
    assert not unused, f"{module}: no example uses {unused}"


def test_every_native_stdlib_module_has_a_section() -> None:
    assert set(REGISTERED) == set(MODULES)
