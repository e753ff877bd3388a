"""What the coordinator knows about data it does not hold: where objects and partitions live.

`DataLocationRegistry` maps (run id, object id) to the worker that computed the object, its
encoded size and type tag, registered when the task reports DONE (metadata only: the value
stays on the worker, seed 000-1/000-4). Lookups are scoped by run: an unknown or finished run
id is a clear error naming it (seed 001). `PartitionRegistry` maps a distributed graph's name
to its partitioning and the worker holding each partition, with an epoch that a later
failover bumps when it moves partitions. Pure: no sockets, no clock.
"""

from __future__ import annotations

from typing import Iterable

import attrs

from graphoid.distributed.partition import Partitioning
from graphoid.errors import GraphoidError

# The error kinds this module raises (user-visible; they descend from Error).
RUN_ERROR = "RunError"
OBJECT_LOST = "ObjectLostError"


@attrs.frozen(slots=True)
class ObjectMeta:
    """Where a value of a run lives and what it is, without the value."""

    run_id: str
    oid: str
    owner: str
    size: int
    type_tag: str


class DataLocationRegistry:
    """(run id, object id) -> ObjectMeta, for the runs that are open."""

    def __init__(self) -> None:
        self._runs: dict[str, dict[str, ObjectMeta]] = {}
        self._ended: set[str] = set()

    def open_run(self, run_id: str) -> None:
        """Start a run (a user-supplied id must not be in use or finished: seed 001-1)."""
        if run_id in self._runs:
            raise GraphoidError(RUN_ERROR, f"run id '{run_id}' is already in use")
        if run_id in self._ended:
            raise GraphoidError(RUN_ERROR, f"run id '{run_id}' was used by a run that has ended")
        self._runs[run_id] = {}

    def end_run(self, run_id: str) -> list[ObjectMeta]:
        """Close a run; returns its objects (the workers drop them on END_RUN)."""
        objects = self._objects(run_id)
        del self._runs[run_id]
        self._ended.add(run_id)
        return list(objects.values())

    def is_open(self, run_id: str) -> bool:
        return run_id in self._runs

    def register(self, meta: ObjectMeta) -> None:
        """A task finished: its output lives on `meta.owner` (re-registering replaces)."""
        self._objects(meta.run_id)[meta.oid] = meta

    def locate(self, run_id: str, oid: str) -> ObjectMeta:
        """The object's metadata; RunError for a wrong run, ObjectLostError for no such object."""
        meta = self._objects(run_id).get(oid)
        if meta is None:
            raise GraphoidError(OBJECT_LOST, f"run '{run_id}' has no object '{oid}'")
        return meta

    def find(self, run_id: str, oid: str) -> ObjectMeta | None:
        """Like `locate`, but None instead of an error (a worker's LOCATE)."""
        objects = self._runs.get(run_id)
        return objects.get(oid) if objects is not None else None

    def objects(self, run_id: str) -> list[ObjectMeta]:
        """Everything a run has registered, in registration order (seed 001-4)."""
        return list(self._objects(run_id).values())

    def free(self, run_id: str, oids: Iterable[str]) -> list[ObjectMeta]:
        """Forget objects; returns those that were registered."""
        objects = self._objects(run_id)
        return [meta for oid in oids if (meta := objects.pop(oid, None)) is not None]

    def drop_worker(self, worker_id: str) -> list[ObjectMeta]:
        """A worker died: forget (and return) every object it held, in every run."""
        lost: list[ObjectMeta] = []
        for objects in self._runs.values():
            gone = [oid for oid, meta in objects.items() if meta.owner == worker_id]
            lost.extend(objects.pop(oid) for oid in gone)
        return lost

    def _objects(self, run_id: str) -> dict[str, ObjectMeta]:
        objects = self._runs.get(run_id)
        if objects is None:
            if run_id in self._ended:
                raise GraphoidError(RUN_ERROR, f"run '{run_id}' has ended; its objects are gone")
            raise GraphoidError(RUN_ERROR, f"no run with id '{run_id}'")
        return objects


@attrs.frozen
class GraphPlacement:
    """A distributed graph: how ids map to partitions, which worker holds each partition."""

    name: str
    partitioning: Partitioning
    owners: tuple[str, ...]  # owners[i] holds partition i
    epoch: int = 0

    def worker_of(self, node_id: str) -> str:
        return self.owners[self.partitioning.owner(node_id)]


class PartitionRegistry:
    """Distributed graph name -> GraphPlacement."""

    def __init__(self) -> None:
        self._graphs: dict[str, GraphPlacement] = {}

    def place(self, placement: GraphPlacement) -> None:
        """Record a placement (a new graph, or the same name again with a higher epoch)."""
        current = self._graphs.get(placement.name)
        if current is not None and placement.epoch <= current.epoch:
            raise GraphoidError(
                "ValueError", f"a distributed graph named '{placement.name}' already exists (epoch {current.epoch})"
            )
        self._graphs[placement.name] = placement

    def get(self, name: str) -> GraphPlacement:
        placement = self._graphs.get(name)
        if placement is None:
            raise GraphoidError("KeyError", f"no distributed graph named '{name}'")
        return placement

    def names(self) -> list[str]:
        return sorted(self._graphs)

    def drop(self, name: str) -> GraphPlacement:
        placement = self.get(name)
        del self._graphs[name]
        return placement

    def partitions_on(self, worker_id: str) -> list[tuple[str, int]]:
        """(graph name, partition index) of every partition `worker_id` holds."""
        return [
            (name, index)
            for name, placement in sorted(self._graphs.items())
            for index, owner in enumerate(placement.owners)
            if owner == worker_id
        ]
