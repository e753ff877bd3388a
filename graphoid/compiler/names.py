"""How Graphoid identifiers become Python names: the compiler emits `mangle(name)`.

Mangling keeps the runtime's keys out of reach: every Python name the runtime owns starts with
one of RESERVED_PREFIXES, and every Graphoid identifier that would start with one is emitted
as `_u_` + identifier, so no Graphoid identifier can ever name a runtime key
(graphoid.runtime.namespace holds the namespaces these names live in).
"""

from __future__ import annotations

import keyword

# `_rt*`: runtime helpers and compiler temporaries; `_u_`: mangled user names; `__*`: every
# name Python treats specially in a module dict or a frame (`__builtins__`, `__file__`,
# `__name__`, `__debug__`, ...) and the runtime's own `__gd_*` bookkeeping.
RESERVED_PREFIXES = ("_rt", "_u_", "__")
USER_PREFIX = "_u_"


def mangle(name: str) -> str:
    """The Python identifier the compiler emits for Graphoid identifier `name`."""
    if name.startswith(RESERVED_PREFIXES) or keyword.iskeyword(name):
        return USER_PREFIX + name
    return name


def unmangle(key: str) -> str | None:
    """The Graphoid name behind a namespace key, or None for runtime-internal keys."""
    if key.startswith(USER_PREFIX):
        return key[len(USER_PREFIX):]
    if key.startswith(RESERVED_PREFIXES):
        return None
    return key


def error_constructor_key(kind: str) -> str:
    """The runtime key that also holds the builtin constructor of error `kind` (`ValueError`):
    a `raise ValueError(...)` site tests its callee against it by identity."""
    return "_rt_ctor_" + kind
