"""Every `graphoid` example in docs/graphs.md that is followed by an `output` block runs as shown."""

import re
from pathlib import Path

import pytest

import graphoid.graphs.graph  # noqa: F401  (registers graph methods and node/edge/path builtins)

DOC = Path(__file__).resolve().parents[2] / "docs" / "graphs.md"
EXAMPLE = re.compile(r"```graphoid\n(.*?)```\n```output\n(.*?)```", re.S)


def examples() -> list[tuple[str, str]]:
    return EXAMPLE.findall(DOC.read_text())


def test_the_doc_has_examples():
    assert len(examples()) >= 8


@pytest.mark.parametrize("source, expected", examples(), ids=lambda text: text.splitlines()[0][:40])
def test_doc_example(source: str, expected: str):
    from graphoid import Interpreter

    out: list[str] = []
    Interpreter(stdout=out.append).run(source)
    assert "".join(out) == expected
