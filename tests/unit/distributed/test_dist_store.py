"""store and registry: run-scoped keys, sizes, counters, END_RUN, and clear errors for wrong runs."""

from __future__ import annotations

import attrs
import pytest

from graphoid.distributed.partition import Partitioning
from graphoid.distributed.registry import DataLocationRegistry, GraphPlacement, ObjectMeta, PartitionRegistry
from graphoid.distributed.store import ArgCache, ObjectStore, StoreCounters
from graphoid.distributed.tasks import (
    CALL, FIRST_VALUE_FRAME, SHUFFLE_MAP, Inline, Ref, TaskSpec, TaskSpecError, pack_spec, unpack_spec,
    with_output,
)
from graphoid.errors import GraphoidError


# ----------------------------------------------------------------------------- ObjectStore


def test_store_keys_objects_by_run_and_counts_bytes():
    store = ObjectStore()
    store.put("r1", "x", 1, b"\x01", "num")
    store.put("r2", "x", 2, b"\x02\x02", "num")
    assert store.get("r1", "x").value == 1 and store.get("r2", "x").value == 2
    assert store.get("r1", "y") is None and store.get("r3", "x") is None
    assert store.object_count == 2 and store.byte_count == 3
    store.put("r1", "x", 3, b"\x03\x03\x03", "num")  # a retried task replaces its output
    assert store.get("r1", "x").size == 3 and store.byte_count == 5


def test_store_free_and_end_run_drop_only_that_run():
    store = ObjectStore()
    for oid in ("a", "b"):
        store.put("r1", oid, oid, oid.encode(), "string")
    store.put("r2", "a", "other", b"other", "string")
    assert store.free("r1", ["a", "zz"]) == 1
    assert store.get("r1", "a") is None and store.get("r2", "a").value == "other"
    store.end_run("r1")
    assert store.runs() == ["r2"] and store.byte_count == 5
    store.end_run("never-started")  # nothing to drop is not an error
    assert store.object_count == 1


def test_arg_cache_counts_hits_and_misses_per_run():
    counters = StoreCounters()
    cache = ArgCache(counters)
    assert cache.get("r1", "x") == (False, None)
    cache.put("r1", "x", [1, 2], 10)
    assert cache.get("r1", "x") == (True, [1, 2])
    assert cache.get("r2", "x") == (False, None)  # runs never see each other's arguments
    assert (counters.cache_hits, counters.cache_misses) == (1, 2)
    assert cache.entry_count == 1 and cache.byte_count == 10
    cache.end_run("r1")
    assert cache.get("r1", "x") == (False, None) and cache.entry_count == 0


# ----------------------------------------------------------------------------- registries


def meta(run: str, oid: str, owner: str = "0", size: int = 4) -> ObjectMeta:
    return ObjectMeta(run, oid, owner, size, "num")


def test_registry_is_scoped_by_run():
    registry = DataLocationRegistry()
    registry.open_run("a")
    registry.open_run("b")
    registry.register(meta("a", "out", "0"))
    registry.register(meta("b", "out", "1"))
    assert registry.locate("a", "out").owner == "0" and registry.locate("b", "out").owner == "1"
    assert [m.oid for m in registry.objects("a")] == ["out"]
    with pytest.raises(GraphoidError) as info:
        registry.locate("a", "missing")
    assert info.value.kind == "ObjectLostError" and "'missing'" in info.value.message


def test_wrong_and_finished_run_ids_are_errors_naming_them():
    registry = DataLocationRegistry()
    with pytest.raises(GraphoidError) as info:
        registry.locate("nope", "x")
    assert info.value.kind == "RunError" and "no run with id 'nope'" in info.value.message
    registry.open_run("done")
    registry.register(meta("done", "x"))
    assert [m.oid for m in registry.end_run("done")] == ["x"]
    with pytest.raises(GraphoidError, match="run 'done' has ended"):
        registry.objects("done")
    with pytest.raises(GraphoidError, match="already in use|has ended"):
        registry.open_run("done")
    assert registry.find("done", "x") is None  # a worker's LOCATE gets "nobody", not an error


def test_registry_drops_a_lost_workers_objects():
    registry = DataLocationRegistry()
    registry.open_run("a")
    registry.register(meta("a", "x", "0"))
    registry.register(meta("a", "y", "1"))
    assert [m.oid for m in registry.drop_worker("1")] == ["y"]
    assert registry.find("a", "y") is None and registry.find("a", "x") is not None


def test_partition_registry_placements_and_epochs():
    registry = PartitionRegistry()
    first = GraphPlacement("web", Partitioning.by_hash(3), ("0", "1", "0"))
    registry.place(first)
    assert registry.get("web").worker_of("a") in ("0", "1")
    assert registry.partitions_on("0") == [("web", 0), ("web", 2)]
    with pytest.raises(GraphoidError, match="already exists"):
        registry.place(first)
    registry.place(GraphPlacement("web", Partitioning.by_hash(3), ("1", "1", "1"), epoch=1))
    assert registry.partitions_on("0") == []
    registry.drop("web")
    with pytest.raises(GraphoidError, match="no distributed graph named 'web'"):
        registry.get("web")


# ----------------------------------------------------------------------------- task specs


def test_with_output_changes_only_the_output_id():
    spec = TaskSpec(SHUFFLE_MAP, "b", "o", (Inline(FIRST_VALUE_FRAME), Ref("r", "1")), (0, "k"), ("c",), "g", 3, "s", 4,
                    ("0", "1"), 5, "items", ((0, (1, 2), 1),))
    bare = TaskSpec("", "", "")
    assert all(getattr(spec, field.name) != getattr(bare, field.name) for field in attrs.fields(TaskSpec))
    assert with_output(spec, "m-7") == attrs.evolve(spec, out="m-7") and spec.out == "o"


def test_task_spec_round_trip():
    spec = TaskSpec(CALL, "bundle", "out", (Inline(FIRST_VALUE_FRAME), Ref("x", "1"), Ref("y")), (0, "name"))
    frames = [pack_spec(spec), b"fn", b"value"]
    assert unpack_spec(frames) == spec


@pytest.mark.parametrize("spec_frame", [
    b"\xc1", b"\x90", b"\x80",
    pack_spec(TaskSpec(CALL, "b", "o"))[:-1],
])
def test_malformed_specs_are_task_spec_errors(spec_frame):
    with pytest.raises(TaskSpecError):
        unpack_spec([spec_frame, b"fn"])


def test_spec_fields_are_checked():
    def with_args(args, slots=()):
        import msgpack
        return [msgpack.packb(["CALL", "b", "o", args, list(slots), [], "", -1, "", -1, [], 0, "", []]), b"fn"]

    with pytest.raises(TaskSpecError, match="frame 5 does not exist"):
        unpack_spec(with_args([[0, 5]]))
    with pytest.raises(TaskSpecError, match="must be"):
        unpack_spec(with_args([[2, "x"]]))
    with pytest.raises(TaskSpecError, match="slot"):
        unpack_spec(with_args([], [-1]))
    with pytest.raises(TaskSpecError, match="expected a spec and a function"):
        unpack_spec([b"x"])
