"""The distributed runtime: partitions, codec, program bundles, protocol, transport, worker core,
executors, and the Graphoid module `distributed` (docs/distributed.md, docs/design.md).

Importing this package registers `import "distributed"` with the runtime's module system (the
runtime sits below this package and never imports it); the module's code loads on first import.
"""

from __future__ import annotations

from typing import Any

import graphoid.library  # noqa: F401  (workers and every front end get the standard library)
from graphoid.runtime.modules import register_native_module


def _module_members(interp: Any) -> dict[str, Any]:
    from graphoid.distributed.api import module_members

    return module_members(interp)


register_native_module("distributed", _module_members, capability="net")
