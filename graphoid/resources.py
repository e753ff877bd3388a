"""Locate the shipped grammar and standard library, installed or in a source tree."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def _package_dir(package: str, fallback: str) -> Path:
    try:
        from importlib.resources import files

        path = Path(str(files(package)))
        if path.is_dir():
            return path
    except (ImportError, ModuleNotFoundError, TypeError):
        pass
    # Running from a source checkout without an install: the folders sit at the top level.
    return Path(__file__).resolve().parent.parent / fallback


def grammar_dir() -> Path:
    return _package_dir("graphoid.grammar", "grammar")


def stdlib_dir() -> Path:
    return _package_dir("graphoid.stdlib", "stdlib")
