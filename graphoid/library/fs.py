"""`import "fs"`: files, directories and paths (docs/stdlib.md#fs).

Text is UTF-8. Every failure is an IOError naming the path; in a sandbox every access needs the
`fs` capability and a path under the host's allowed roots (runtime/sandbox.py).
"""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING, Any, Callable

from graphoid.errors import GraphoidError
from graphoid.library.common import expect, expect_list_of, io_error, members
from graphoid.values.format import display
from graphoid.values.types import GList

if TYPE_CHECKING:
    from graphoid.runtime.interpreter import Interpreter
    from graphoid.runtime.sandbox import Sandbox


class Files:
    """File access checked against one interpreter's sandbox; `module` names the functions in errors."""

    def __init__(self, sandbox: "Sandbox", module: str) -> None:
        self._sandbox = sandbox
        self._module = module

    def path(self, value: Any, function: str, action: str) -> str:
        """`value` as a path the program may `action` (TypeError, SandboxError otherwise)."""
        path = expect(value, "string", f"{self._module}.{function}", "path")
        self._sandbox.check_data_file(path, None, action)
        return path

    def read(self, path: Any) -> str:
        """The whole file as text."""
        path = self.path(path, "read", "read")
        return _attempt(lambda: _read_text(path), "read", path)

    def read_lines(self, path: Any) -> GList:
        """The file's lines without their line endings."""
        return GList(self.read(path).splitlines())

    def write(self, path: Any, text: Any) -> None:
        """Replace the file's content with `text` (created when missing)."""
        path = self.path(path, "write", "write")
        content = expect(text, "string", f"{self._module}.write", "text")
        _attempt(lambda: _write_text(path, content, "w"), "write", path)

    def append(self, path: Any, text: Any) -> None:
        """Add `text` at the end of the file (created when missing)."""
        path = self.path(path, "append", "append to")
        content = expect(text, "string", f"{self._module}.append", "text")
        _attempt(lambda: _write_text(path, content, "a"), "append to", path)

    def write_lines(self, path: Any, lines: Any) -> None:
        """Write each element's display form followed by a newline."""
        self.write(path, _joined_lines(lines, f"{self._module}.write_lines"))

    def append_lines(self, path: Any, lines: Any) -> None:
        """Append each element's display form followed by a newline."""
        self.append(path, _joined_lines(lines, f"{self._module}.append_lines"))

    def exists(self, path: Any) -> bool:
        path = self.path(path, "exists", "look up")
        return os.path.exists(path)

    def is_file(self, path: Any) -> bool:
        path = self.path(path, "is_file", "look up")
        return os.path.isfile(path)

    def is_dir(self, path: Any) -> bool:
        path = self.path(path, "is_dir", "look up")
        return os.path.isdir(path)

    def size(self, path: Any) -> int:
        """The file's size in bytes."""
        path = self.path(path, "size", "look up")
        return _attempt(lambda: os.stat(path).st_size, "look up", path)

    def list_dir(self, path: Any = ".") -> GList:
        """The names in a directory, sorted."""
        path = self.path(path, "list_dir", "list")
        return GList(sorted(_attempt(lambda: os.listdir(path), "list", path)))

    def mkdir(self, path: Any, parents: Any = False) -> None:
        """Create a directory; with `parents: true` also its missing parents (and no error when it exists)."""
        path = self.path(path, "mkdir", "create")
        if expect(parents, "bool", f"{self._module}.mkdir", "parents"):
            _attempt(lambda: os.makedirs(path, exist_ok=True), "create", path)
        else:
            _attempt(lambda: os.mkdir(path), "create", path)

    def remove(self, path: Any, recursive: Any = False) -> None:
        """Delete a file or an empty directory; `recursive: true` deletes a directory and its content."""
        path = self.path(path, "remove", "remove")
        if os.path.isdir(path) and not os.path.islink(path):
            if expect(recursive, "bool", f"{self._module}.remove", "recursive"):
                _attempt(lambda: shutil.rmtree(path), "remove", path)
            else:
                _attempt(lambda: os.rmdir(path), "remove", path)
        else:
            _attempt(lambda: os.remove(path), "remove", path)

    def rename(self, source: Any, target: Any) -> None:
        """Move a file or directory to a new path (replacing a file there)."""
        source = self.path(source, "rename", "rename")
        target = self.path(target, "rename", "rename to")
        _attempt(lambda: os.replace(source, target), "rename", source)


def _read_text(path: str) -> str:
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def _write_text(path: str, text: str, mode: str) -> None:
    with open(path, mode, encoding="utf-8", newline="") as handle:
        handle.write(text)


def _attempt(operation: Callable[[], Any], action: str, path: str) -> Any:
    """`operation()`, with an OSError (or a NUL byte in the path) as a Graphoid IOError."""
    try:
        return operation()
    except (OSError, ValueError) as exc:
        raise io_error(exc, action, path) from None


def _joined_lines(lines: Any, where: str) -> str:
    expect(lines, "list", where, "lines")
    return "".join(display(line) + "\n" for line in lines)


# ---------------------------------------------------------------------------------- paths


def join(*parts: Any) -> str:
    """The parts joined with the platform's separator (an absolute part restarts the path)."""
    if not parts:
        raise GraphoidError("TypeError", "fs.join() needs at least one path part")
    return os.path.join(*expect_list_of(GList(parts), "string", "fs.join", "parts"))


def basename(path: Any) -> str:
    """The last component: `fs.basename("a/b.txt")` is "b.txt"."""
    return os.path.basename(expect(path, "string", "fs.basename", "path"))


def dirname(path: Any) -> str:
    """Everything before the last component: `fs.dirname("a/b.txt")` is "a"."""
    return os.path.dirname(expect(path, "string", "fs.dirname", "path"))


def extension(path: Any) -> str:
    """The extension with its dot (".txt"), or "" when there is none."""
    return os.path.splitext(expect(path, "string", "fs.extension", "path"))[1]


def stem(path: Any) -> str:
    """The last component without its extension: `fs.stem("a/b.txt")` is "b"."""
    return os.path.splitext(basename(path))[0]


def absolute(path: Any) -> str:
    """The absolute, normalised form of `path` (relative to the working directory)."""
    return _attempt(lambda: os.path.abspath(expect(path, "string", "fs.absolute", "path")), "resolve", str(path))


PATH_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "join": join,
    "basename": basename,
    "dirname": dirname,
    "extension": extension,
    "stem": stem,
    "absolute": absolute,
}


def file_functions(files: Files) -> dict[str, Callable[..., Any]]:
    return {
        "read": files.read,
        "write": files.write,
        "append": files.append,
        "read_lines": files.read_lines,
        "write_lines": files.write_lines,
        "append_lines": files.append_lines,
        "exists": files.exists,
        "is_file": files.is_file,
        "is_dir": files.is_dir,
        "size": files.size,
        "list_dir": files.list_dir,
        "mkdir": files.mkdir,
        "remove": files.remove,
        "rename": files.rename,
    }


def module_members(interp: "Interpreter") -> dict[str, Any]:
    """The members of `import "fs"`."""
    return members("fs", {**file_functions(Files(interp.sandbox, "fs")), **PATH_FUNCTIONS})
