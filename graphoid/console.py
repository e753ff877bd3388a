"""Terminal conventions shared by the front ends (cli.py and repl/): debug mode and colour."""

from __future__ import annotations

import os
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
