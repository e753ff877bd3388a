"""Compiled modules kept in the user cache (graphoid/usercache.py) between runs.

An entry is found by the file name and compile options, and is valid only for the same
source text, the same Python build and the same Graphoid sources (every .py file of the
package and the grammar, by size and modification time, as Python's own .pyc files check
theirs): anything else is a miss, and the fresh compile overwrites the entry.
"""

from __future__ import annotations

import marshal
import os
import sys
from types import CodeType
from typing import Any, Callable

from graphoid import usercache
from graphoid.compiler import CompileRecord, blake2b, install_record

# Bump when the payload's layout changes.
FORMAT = 1

_fingerprint: bytes | None = None


def compile_cached(source: str, filename: str, options: dict[str, Any],
                   compile_fresh: Callable[[CompileRecord], CodeType]) -> CodeType:
    """The code for `source`: from the cache, else `compile_fresh(record)` (then stored).

    options are the compile options compile_fresh uses; they are part of the entry's identity.
    """
    identity = repr((FORMAT, filename, os.path.abspath(filename), sorted(options.items()))).encode()
    name = f"module-{blake2b(identity, digest_size=12).hexdigest()}.marshal"
    key = _key(identity, source)
    payload = usercache.read_entry(name, key)
    if payload is not None:
        code = _installed(payload, filename)
        if code is not None:
            return code
    record = CompileRecord()
    code = compile_fresh(record)
    usercache.write_entry(name, key, marshal.dumps((code, record.labels, record.symbols, record.thresholds)))
    return code


def _key(identity: bytes, source: str) -> bytes:
    digest = blake2b(identity, digest_size=usercache.KEY_SIZE)
    digest.update(sys.version.encode())
    digest.update(_graphoid_fingerprint())
    digest.update(source.encode("utf-8", "surrogatepass"))
    return digest.digest()


def _installed(payload: bytes, filename: str) -> CodeType | None:
    """The cached code, ready to run; None for an entry that is damaged or no longer fits."""
    try:
        code, labels, symbols, thresholds = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    if not (isinstance(code, CodeType) and code.co_filename == filename and isinstance(labels, dict)
            and isinstance(symbols, tuple) and isinstance(thresholds, dict)):
        return None
    record = CompileRecord(labels, symbols, thresholds)
    if not record.is_current():
        return None
    install_record(code, filename, record)
    return code


def _graphoid_fingerprint() -> bytes:
    """Size and modification time of every source file the compiled code depends on."""
    global _fingerprint
    if _fingerprint is None:
        from graphoid.resources import grammar_dir

        package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        paths = [os.path.join(grammar_dir(), "graphoid.lark")]
        for folder, subfolders, files in os.walk(package):
            subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
            paths.extend(os.path.join(folder, f) for f in sorted(files) if f.endswith(".py"))
        stamps = []
        for path in paths:
            try:
                info = os.stat(path)
                stamps.append(f"{path}\0{info.st_size}\0{info.st_mtime_ns}")
            except OSError:
                stamps.append(f"{path}\0missing")
        _fingerprint = "\n".join(stamps).encode("utf-8", "surrogatepass")
    return _fingerprint
