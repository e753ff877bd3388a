"""Locate the shipped grammar and standard library, installed or in a source tree."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def _data_dir(name: str) -> Path:
    # Installed, the data packages graphoid.grammar and graphoid.stdlib sit inside graphoid/
    # (pyproject's package-dir); in a source checkout they are top-level folders. Looking at
    # the disk avoids importlib.resources, whose import costs more than the rest of start-up.
    here = Path(__file__).resolve().parent
    installed = here / name
    if (installed / "__init__.py").is_file():
        return installed
    return here.parent / name


def grammar_dir() -> Path:
    return _data_dir("grammar")


def stdlib_dir() -> Path:
    return _data_dir("stdlib")
