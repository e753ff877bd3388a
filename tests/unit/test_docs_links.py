"""Every relative link in README.md and docs/*.md names a file of the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```.*?^```", re.S | re.M)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"\[[^\]\n]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def links(doc: Path) -> list[str]:
    """Link targets outside code blocks and code spans."""
    prose = INLINE_CODE.sub("", FENCE.sub("", doc.read_text(encoding="utf-8")))
    return [target for target in LINK.findall(prose) if not EXTERNAL.match(target)]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_relative_links_resolve_inside_the_repository(doc: Path) -> None:
    broken = []
    for target in links(doc):
        path = target.split("#", 1)[0]
        if not path:
            continue  # an anchor in the same file
        resolved = (doc.parent / path).resolve()
        if not resolved.is_relative_to(ROOT) or not resolved.exists():
            broken.append(target)
    assert broken == []


def test_the_link_finder_sees_links_and_skips_code(tmp_path: Path) -> None:
    doc = tmp_path / "d.md"
    doc.write_text("[a](x.md) `[b](y.md)` [c](https://e.org)\n```\n[d](z.md)\n```\n[e](/abs/f.md#s)\n")
    assert links(doc) == ["x.md", "/abs/f.md#s"]
