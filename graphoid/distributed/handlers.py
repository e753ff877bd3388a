"""What the per-partition call handlers of a WorkerCore share (supersteps.py, matching.py):
the partitions the worker holds, the state of each call by (graph, call, partition), and the
partition -> worker table a call's first message carries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Generic, TypeVar

import msgpack

from graphoid.errors import GraphoidError

if TYPE_CHECKING:
    from graphoid.distributed.core import WorkerCore
    from graphoid.distributed.shipping import LoadedPartition

State = TypeVar("State")


class PartitionCalls(Generic[State]):
    """Calls in progress on this worker's partitions; `make_state(graph, call, part)` starts one
    (a call's messages may arrive before its first step, so states are made on first sight)."""

    def __init__(self, core: "WorkerCore", make_state: Callable[[str, int, int], State],
                 handlers: dict[str, Callable[[Any], None]]) -> None:
        self.core = core
        self.calls: dict[tuple[str, int, int], State] = {}
        self._make_state = make_state
        core.handlers.update(handlers)

    def _loaded(self, graph: str, part: int) -> "LoadedPartition":
        loaded = self.core.partitions.get((graph, part))
        if loaded is None:
            raise GraphoidError(
                "ObjectLostError", f"partition {part} of graph '{graph}' is not on worker {self.core.worker_id}"
            )
        return loaded

    def _state(self, graph: str, call: int, part: int) -> State:
        key = (graph, call, part)
        state = self.calls.get(key)
        if state is None:
            state = self.calls[key] = self._make_state(graph, call, part)
        return state


def owners_of(data: bytes, count: int | None, message_type: str) -> tuple[str, ...]:
    """The partition -> worker table of a call's first message (a msgpack list of worker ids;
    `count` of them, when given)."""
    try:
        owners = msgpack.unpackb(data, raw=False)
    except Exception:  # noqa: BLE001 - hostile or broken bytes
        owners = None
    if type(owners) is not list or (count is not None and len(owners) != count) or not all(
            type(owner) is str for owner in owners):
        raise GraphoidError("ProtocolError", f"{message_type} carries a malformed owner list")
    return tuple(owners)
