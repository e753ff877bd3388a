"""ids: hashes that agree across processes, run ids, object ids."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from graphoid.distributed.ids import ObjectId, content_digest, new_run_id, stable_hash


def test_stable_hash_is_blake2b_little_endian_64_bit():
    import hashlib

    expected = int.from_bytes(hashlib.blake2b(b"node-1", digest_size=8).digest(), "little")
    assert stable_hash("node-1") == expected == stable_hash(b"node-1")
    assert 0 <= stable_hash("x") < 2**64
    assert stable_hash("a") != stable_hash("b")


def test_stable_hash_ignores_pythonhashseed():
    code = "from graphoid.distributed.ids import stable_hash; print(stable_hash('home'), hash('home'))"
    seen = set()
    python_hashes = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        ours, theirs = out.stdout.split()
        seen.add(int(ours))
        python_hashes.add(theirs)
    assert seen == {stable_hash("home")}
    assert len(python_hashes) == 2  # the seed did change Python's own hash


def test_content_digest_separates_parts():
    assert content_digest("ab", "c") != content_digest("a", "bc")
    assert content_digest("x") == content_digest(b"x")


def test_run_ids_are_fresh_hex():
    first, second = new_run_id(), new_run_id()
    assert first != second
    assert len(first) == 32 and int(first, 16) >= 0


def test_object_id_round_trips_through_text():
    oid = ObjectId("run1", "result/7")
    assert ObjectId.parse(str(oid)) == oid
    assert {oid: 1}[ObjectId("run1", "result/7")] == 1
    for bad in ("", "run", "/key", "run/"):
        with pytest.raises(ValueError):
            ObjectId.parse(bad)
