"""Identifiers that mean the same in every process."""

from __future__ import annotations

from hashlib import blake2b


def stable_hash(data: str | bytes) -> int:
    """A 64-bit hash of `data` that is the same in every process (unlike Python's `hash`)."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    return int.from_bytes(blake2b(raw, digest_size=8).digest(), "little")
