"""Where a worker keeps values: the objects it computed and the arguments it fetched.

Both are keyed by (run id, object id), so runs never see each other's data (seed 001), and
both drop a whole run at END_RUN. Pure: no sockets, no clock.

- `ObjectStore`: values this worker computed, with their encoded bytes (what a FETCH serves,
  encoded once when the task finished; the length is the size the coordinator registers) and
  a type tag. Results stay here until the run ends or the driver frees them (seed 000-4).
- `ArgCache`: values fetched from peers, decoded, unbounded within a run (seed 000-3): a task
  that needs the same remote argument again finds it here without moving it a second time.
  Its memory is bounded only by the run: END_RUN (or FREE) releases it.
"""

from __future__ import annotations

from typing import Any, Iterable

import attrs

ObjectKey = tuple[str, str]  # (run id, object id)


@attrs.frozen(slots=True)
class StoredObject:
    """A computed value, its wire bytes and its type tag (`num`, `list`, `map`, ...)."""

    value: Any
    data: bytes
    type_tag: str

    @property
    def size(self) -> int:
        return len(self.data)


@attrs.define(slots=True)
class StoreCounters:
    """What tests and `stats()` read."""

    fetches_served: int = 0
    cache_hits: int = 0
    cache_misses: int = 0


class ObjectStore:
    """Values computed on this worker, per run."""

    def __init__(self) -> None:
        self._runs: dict[str, dict[str, StoredObject]] = {}
        self._bytes = 0

    def put(self, run_id: str, oid: str, value: Any, data: bytes, type_tag: str) -> StoredObject:
        """Keep a result (replacing an object of the same id, as a retried task does)."""
        stored = StoredObject(value, data, type_tag)
        objects = self._runs.setdefault(run_id, {})
        previous = objects.get(oid)
        if previous is not None:
            self._bytes -= previous.size
        objects[oid] = stored
        self._bytes += stored.size
        return stored

    def get(self, run_id: str, oid: str) -> StoredObject | None:
        objects = self._runs.get(run_id)
        return objects.get(oid) if objects is not None else None

    def free(self, run_id: str, oids: Iterable[str]) -> int:
        """Drop objects of a run; returns how many were held."""
        objects = self._runs.get(run_id)
        if objects is None:
            return 0
        dropped = 0
        for oid in oids:
            stored = objects.pop(oid, None)
            if stored is not None:
                self._bytes -= stored.size
                dropped += 1
        if not objects:
            del self._runs[run_id]
        return dropped

    def end_run(self, run_id: str) -> None:
        """Drop everything the run computed here."""
        objects = self._runs.pop(run_id, {})
        self._bytes -= sum(stored.size for stored in objects.values())

    def runs(self) -> list[str]:
        return sorted(self._runs)

    @property
    def object_count(self) -> int:
        return sum(len(objects) for objects in self._runs.values())

    @property
    def byte_count(self) -> int:
        return self._bytes


class ArgCache:
    """Arguments fetched from peers, per run, decoded; counts hits and misses."""

    def __init__(self, counters: StoreCounters) -> None:
        self._runs: dict[str, dict[str, tuple[Any, int]]] = {}
        self._counters = counters

    def get(self, run_id: str, oid: str) -> tuple[bool, Any]:
        """(True, value) on a hit, (False, None) on a miss; both are counted."""
        entries = self._runs.get(run_id)
        if entries is not None:
            entry = entries.get(oid)
            if entry is not None:
                self._counters.cache_hits += 1
                return True, entry[0]
        self._counters.cache_misses += 1
        return False, None

    def put(self, run_id: str, oid: str, value: Any, size: int) -> None:
        self._runs.setdefault(run_id, {})[oid] = (value, size)

    def free(self, run_id: str, oids: Iterable[str]) -> None:
        entries = self._runs.get(run_id)
        if entries is None:
            return
        for oid in oids:
            entries.pop(oid, None)
        if not entries:
            del self._runs[run_id]

    def end_run(self, run_id: str) -> None:
        self._runs.pop(run_id, None)

    @property
    def entry_count(self) -> int:
        return sum(len(entries) for entries in self._runs.values())

    @property
    def byte_count(self) -> int:
        return sum(size for entries in self._runs.values() for _, size in entries.values())
