"""`import "os"`: the program's arguments, environment variables, exit status, working
directory and platform (docs/stdlib.md#os). Needs the `os` capability in a sandbox."""

from __future__ import annotations

import os
import time
import platform as host_platform
import sys
from typing import TYPE_CHECKING, Any

from graphoid.errors import GraphoidError
from graphoid.library.common import expect, expect_int, members
from graphoid.values.types import GList, GMap

if TYPE_CHECKING:
    from graphoid.runtime.interpreter import Interpreter


def env(name: Any, default: Any = None) -> Any:
    """The environment variable `name`, or `default` when it is not set."""
    return os.environ.get(_variable_name(name, "os.env"), default)


def set_env(name: Any, value: Any) -> None:
    """Set an environment variable for this process and the processes it starts."""
    key = _variable_name(name, "os.set_env")
    text = expect(value, "string", "os.set_env", "value")
    if "\0" in text:
        raise GraphoidError("ValueError", "os.set_env() value must not contain a NUL character")
    os.environ[key] = text


def unset_env(name: Any) -> None:
    """Remove an environment variable (nothing happens when it is not set)."""
    os.environ.pop(_variable_name(name, "os.unset_env"), None)


def env_all() -> GMap:
    """Every environment variable as a map."""
    return GMap(os.environ)


def _variable_name(name: Any, where: str) -> str:
    key = expect(name, "string", where, "name")
    if not key or "=" in key or "\0" in key:
        raise GraphoidError("ValueError", f"{where}() got an invalid variable name '{key}'")
    return key


def exit(code: Any = 0) -> None:  # noqa: A001  (the Graphoid name)
    """End the program with exit status `code` (0-255); the host sees SystemExit."""
    status = expect_int(code, "os.exit", "code", minimum=0)
    if status > 255:
        raise GraphoidError("ValueError", f"os.exit() code must be between 0 and 255, got {status}")
    raise SystemExit(status)


def cwd() -> str:
    """The working directory."""
    try:
        return os.getcwd()
    except OSError as exc:  # it was deleted under us
        raise GraphoidError("IOError", f"Cannot read the working directory: {exc.strerror}") from None


def platform() -> str:
    """"linux", "darwin", "windows", ... (lowercase)."""
    return "windows" if sys.platform.startswith("win") else sys.platform.rstrip("0123456789")


def arch() -> str:
    """The machine architecture ("x86_64", "arm64", ...)."""
    return host_platform.machine() or "unknown"


def system_timestamp() -> float:
    """Seconds since the Unix epoch (the reference's primitive under its `time` module)."""
    return time.time()


def module_members(interp: "Interpreter") -> dict[str, Any]:
    """The members of `import "os"`."""
    return members(
        "os",
        {
            "args": lambda: GList(interp.argv),
            "env": env,
            "set_env": set_env,
            "unset_env": unset_env,
            "env_all": env_all,
            "exit": exit,
            "cwd": cwd,
            "platform": platform,
            "arch": arch,
            "pid": os.getpid,
            "system_timestamp": system_timestamp,
        },
    )
