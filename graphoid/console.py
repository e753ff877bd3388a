"""Terminal conventions shared by the front ends (cli.py and repl/): debug mode, colour, and
diagnostics that survive a closed stderr."""

from __future__ import annotations

import os
import sys
from typing import Any


def debug_enabled() -> bool:
    return os.environ.get("GRAPHOID_DEBUG", "") not in ("", "0")


def use_color(stream: Any) -> bool:
    """Colour only on a terminal, and never with NO_COLOR or TERM=dumb."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:
        return False


def write_stderr(text: str) -> None:
    """Write a diagnostic; a stderr that cannot be written is replaced by the null device, so
    neither this write nor Python's flush at exit turns the exit status into another one."""
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.stderr = open(os.devnull, "w", encoding="utf-8")
