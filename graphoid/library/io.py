"""`import "io"`: whole-file reading and writing under the reference's names (docs/stdlib.md#io).

The same operations as `fs` (graphoid/library/fs.py) with the same errors and sandbox checks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphoid.library.common import members
from graphoid.library.fs import Files

if TYPE_CHECKING:
    from graphoid.runtime.interpreter import Interpreter


def module_members(interp: "Interpreter") -> dict[str, Any]:
    """The members of `import "io"`."""
    files = Files(interp.sandbox, "io")
    return members(
        "io",
        {
            "read_file": files.read,
            "write_file": files.write,
            "append_file": files.append,
            "read_lines": files.read_lines,
            "write_lines": files.write_lines,
            "append_lines": files.append_lines,
            "exists": files.exists,
        },
    )
