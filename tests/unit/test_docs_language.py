"""Runs every ```graphoid example of docs/language.md (the language tour) and checks its output.

Conventions of the tour (documented at its top):
- an example followed by a ```text block must print exactly that text;
- otherwise its `# => ...` comments, in order, are the lines it must print;
- an example with neither must run without error and print nothing;
- an example whose first line is `# file: NAME` is also saved as NAME in a scratch folder
  shared by every example, so other examples can `import`/`load` it.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "language.md"

# A graphoid fence, optionally followed (after blank lines only) by a text fence.
_EXAMPLE = re.compile(r"```graphoid\n(.*?)```[ \t]*\n(?:\s*```text\n(.*?)```)?", re.S)
_FILE_HEADER = re.compile(r"#\s*file:\s*(\S+)\s*$")
_MARKER = "# =>"


@attrs.frozen
class Example:
    """One runnable example: where it is, its source and the output it must print."""

    line: int
    source: str
    expected: str
    file_name: str | None
    has_text_block: bool


def expected_from_markers(source: str) -> str:
    """The `# => text` comments of `source`, in order, as the printed lines they stand for."""
    lines = []
    for text in source.splitlines():
        at = text.find(_MARKER)
        if at >= 0:
            lines.append(text[at + len(_MARKER):].strip())
    return "".join(line + "\n" for line in lines)


def parse_examples(doc: str) -> list[Example]:
    """Every ```graphoid block of `doc` with the output it promises."""
    found = []
    for match in _EXAMPLE.finditer(doc):
        source, text_block = match.group(1), match.group(2)
        line = doc.count("\n", 0, match.start()) + 1
        if text_block is not None and _MARKER in source:
            raise ValueError(f"docs/language.md:{line}: use `# =>` comments or a text block, not both")
        expected = text_block if text_block is not None else expected_from_markers(source)
        first = source.splitlines()[0] if source.strip() else ""
        header = _FILE_HEADER.match(first)
        name = header.group(1) if header else None
        found.append(Example(line, source, expected, name, text_block is not None))
    return found


EXAMPLES = parse_examples(DOC.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding every `# file:` example, where all examples run."""
    folder = tmp_path_factory.mktemp("tour")
    for example in EXAMPLES:
        if example.file_name is not None:
            (folder / example.file_name).write_text(example.source, encoding="utf-8")
    return folder


def run_example(source: str, folder: Path) -> str:
    """Run `source` in a fresh interpreter as if it were a file in `folder`; its printed text."""
    from graphoid import Interpreter
    from graphoid.values.ops import reset_config

    # `configure` settings are process-wide today; start every example from the defaults so a
    # body-less `configure` elsewhere in the test session cannot change what an example prints
    reset_config()
    out: list[str] = []
    Interpreter(stdout=out.append).run(source, str(folder / "tour_example.gd"))
    return "".join(out)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"line{e.line}")
def test_example_prints_what_the_tour_shows(example: Example, scratch: Path) -> None:
    assert run_example(example.source, scratch) == example.expected


def test_every_graphoid_fence_is_an_example() -> None:
    doc = DOC.read_text(encoding="utf-8")
    assert doc.count("```graphoid\n") == len(EXAMPLES)
    # a text block that follows no example would be shown but never checked
    assert doc.count("```text\n") == sum(e.has_text_block for e in EXAMPLES)


def test_the_tour_shows_plenty_of_checked_output() -> None:
    assert len(EXAMPLES) >= 40
    shown = [e for e in EXAMPLES if e.expected]
    assert len(shown) >= 0.8 * len(EXAMPLES)


def test_markers_become_expected_lines() -> None:
    source = 'print(1)  # => 1\nx = 2\nprint("a", x)   # => a 2\n'
    assert expected_from_markers(source) == "1\na 2\n"


def test_a_text_block_is_taken_verbatim() -> None:
    doc = "```graphoid\nprint(1)\nprint(2)\n```\n\n```text\n1\n2\n```\n"
    (only,) = parse_examples(doc)
    assert only.expected == "1\n2\n" and only.file_name is None


def test_a_file_header_names_the_example() -> None:
    doc = "```graphoid\n# file: util.gd\nx = 1\n```\n"
    (only,) = parse_examples(doc)
    assert only.file_name == "util.gd" and only.expected == ""


def test_markers_and_text_block_together_are_rejected() -> None:
    with pytest.raises(ValueError):
        parse_examples("```graphoid\nprint(1)  # => 1\n```\n```text\n1\n```\n")


def test_a_wrong_promise_is_caught(tmp_path: Path) -> None:
    # the harness itself must be able to fail: a wrong marker does not match the real output
    source = "print(7 // 2)  # => 3.5\n"
    assert run_example(source, tmp_path) != expected_from_markers(source)
