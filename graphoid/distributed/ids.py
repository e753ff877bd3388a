"""Identifiers that mean the same thing in every process: stable hashes, run ids, object ids.

Python's `hash()` of a string changes with PYTHONHASHSEED, so nothing that crosses a process
boundary (partition owners, function ids, content hashes) may use it; `stable_hash` is blake2b.
"""

from __future__ import annotations

import hashlib
import secrets

import attrs

_HASH_BYTES = 8


def stable_hash(data: str | bytes) -> int:
    """A 64-bit unsigned hash of `data` (strings as UTF-8), identical in every process."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return int.from_bytes(hashlib.blake2b(raw, digest_size=_HASH_BYTES).digest(), "little")


def content_digest(*parts: str | bytes) -> str:
    """A hex blake2b digest over `parts`, each length-prefixed so no two part lists collide."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        raw = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(raw).to_bytes(8, "little"))
        digest.update(raw)
    return digest.hexdigest()


def new_run_id() -> str:
    """A fresh run id: 128 random bits as hex (unique across drivers without coordination)."""
    return secrets.token_hex(16)


@attrs.frozen(slots=True)
class ObjectId:
    """A value kept where it was computed: the run that owns it and its key within that run."""

    run_id: str
    key: str

    def __str__(self) -> str:
        return f"{self.run_id}/{self.key}"

    @classmethod
    def parse(cls, text: str) -> "ObjectId":
        """The inverse of `str()`; ValueError for text that is not `run/key`."""
        run_id, sep, key = text.partition("/")
        if not sep or not run_id or not key:
            raise ValueError(f"not an object id: {text!r}")
        return cls(run_id, key)
