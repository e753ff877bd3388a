"""Where a Graphoid block was written, read from its compiled code object.

Compiled Graphoid functions keep the Graphoid file name and line in co_filename and
co_firstlineno, so a failing example can be reported as `file:line` with no help from the
Graphoid side.
"""

from __future__ import annotations

from types import CodeType
from typing import Any


def code_of(function: Any) -> CodeType | None:
    """The code object behind a Graphoid callable, looking through wrappers."""
    seen = 0
    current = function
    while current is not None and seen < 8:
        code = getattr(current, "__code__", None)
        if isinstance(code, CodeType):
            return code
        current = getattr(current, "__wrapped__", None) or getattr(current, "__func__", None)
        seen += 1
    return None


def block_location(function: Any, default: str) -> str:
    """`file:line` of the block's first line, or `default` when it cannot be known."""
    code = code_of(function)
    if code is None or code.co_filename.startswith("<"):
        return default
    return f"{code.co_filename}:{code.co_firstlineno}"
