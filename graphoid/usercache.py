"""The per-user cache directory: compiled modules and parser tables, kept between runs.

Where: `$GRAPHOID_CACHE_DIR` if set, else `$XDG_CACHE_HOME/graphoid` (default `~/.cache/graphoid`),
else a per-user folder in the temp directory. `GRAPHOID_NO_CACHE=1` turns the cache off.
A directory is used only when it is ours and no other user can write to it, because entries
hold code objects that we run. Entries are written to a temp file and renamed into place, so
concurrent writers never leave half a file; a bad entry (wrong header, wrong checksum,
truncated) reads as a miss, and any failure to write is silent: the cache only saves time.

Entry layout: MAGIC, the 16-byte key the caller derived from everything the payload depends
on, the payload's CRC-32, then the payload.
"""

from __future__ import annotations

import os
import stat
import zlib

ENV_DIR = "GRAPHOID_CACHE_DIR"
ENV_OFF = "GRAPHOID_NO_CACHE"
MAGIC = b"GDC\x01"
KEY_SIZE = 16
_HEADER_SIZE = len(MAGIC) + KEY_SIZE + 4


def cache_dir() -> str | None:
    """The cache directory to use now, created if missing; None when the cache is off or no
    candidate is safe."""
    if os.environ.get(ENV_OFF, "") not in ("", "0"):
        return None
    for candidate in _candidates():
        if _is_private_dir(candidate):
            return candidate
    return None


def _candidates() -> list[str]:
    configured = os.environ.get(ENV_DIR)
    if configured:
        return [configured]
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    # The XDG spec says to ignore a relative path.
    base = xdg if os.path.isabs(xdg) else os.path.join(os.path.expanduser("~"), ".cache")
    temp = os.environ.get("TMPDIR") or "/tmp"
    user = getattr(os, "getuid", lambda: "user")()
    return [os.path.join(base, "graphoid"), os.path.join(temp, f"graphoid-cache-{user}")]


def _is_private_dir(path: str) -> bool:
    """True when `path` is (now) a directory owned by this user that others cannot write."""
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        info = os.stat(path)
    except (OSError, ValueError):
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # no POSIX ownership (Windows): per-user folders are private already
        return True
    return info.st_uid == getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read_entry(name: str, key: bytes) -> bytes | None:
    """The payload stored under `name` for `key`, or None (missing, stale, corrupt, cache off)."""
    directory = cache_dir()
    if directory is None:
        return None
    try:
        with open(os.path.join(directory, name), "rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        return None
    if len(data) < _HEADER_SIZE or not data.startswith(MAGIC) or data[len(MAGIC):len(MAGIC) + KEY_SIZE] != key:
        return None
    payload = data[_HEADER_SIZE:]
    if zlib.crc32(payload).to_bytes(4, "big") != data[_HEADER_SIZE - 4:_HEADER_SIZE]:
        return None
    return payload


def write_entry(name: str, key: bytes, payload: bytes) -> bool:
    """Store `payload` under `name` for `key` (atomically); False when it could not be written."""
    directory = cache_dir()
    if directory is None:
        return False
    final = os.path.join(directory, name)
    temp = f"{final}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    data = MAGIC + key + zlib.crc32(payload).to_bytes(4, "big") + payload
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, final)
    except (OSError, ValueError):
        try:
            os.unlink(temp)
        except OSError:
            pass
        return False
    return True
