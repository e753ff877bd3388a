"""WorkerCore driven message by message, no sockets: programs, tasks, argument resolution
(store, cache, LOCATE, FETCH), object serving, run isolation, errors and hostile input."""

from __future__ import annotations

import io
import itertools

import msgpack
import pytest

from graphoid.distributed.codec import decode, encode
from graphoid.distributed.coordinator import COORDINATOR_ID
from graphoid.distributed.core import COORDINATOR, WorkerCore
from graphoid.distributed.partition import Partitioning
from graphoid.distributed.placing import PlacementStream
from graphoid.distributed.program import FunctionExporter
from graphoid.distributed.protocol import Message, pack, unpack
from graphoid.distributed.shipping import pack_bundle
from graphoid.distributed.tasks import (
    CALL, FIRST_VALUE_FRAME, MAP_CHUNK, PARTITION_MAP, PARTITION_QUERY, SHUFFLE_MAP, SHUFFLE_REDUCE, Inline, Ref,
    TaskSpec, pack_spec,
)
from graphoid.errors import GraphoidError
from graphoid.runtime.interpreter import Interpreter
from graphoid.values.types import GList

PROGRAM = """
fn add(a, b) { return a + b }
fn total(xs) { return xs.reduce(0, (a, b) => a + b) }
fn fails(x) { return x + missing_name }
fn degree_of(n) { return n.degree() }
fn owned(p) { return p.nodes() }
fn words(s) { return s.split(" ").map(w => [w, 1]) }
fn count(k, vs) { return vs.reduce(0, (a, b) => a + b) }
fn scaled(x, factor) { return x * factor }
fn doubled(xs) { return xs + xs }
g = graph { type: :directed }
g.add_edge("a", "b")
g.add_edge("b", "c")
g.add_edge("c", "a")
"""

_ids = itertools.count(1)


class Driver:
    """The coordinator's side of the conversation, by hand."""

    def __init__(self) -> None:
        self.interp = Interpreter(stdout=io.StringIO())
        self.interp.run(PROGRAM, "core_prog.gd")
        self.exporter = FunctionExporter(self.interp)
        self.bundle = self.exporter.bundle.hash

    def message(self, type: str, *, src: str = COORDINATOR, run: str | None = "r1", payload=(), **fields) -> Message:
        # through bytes, as every message travels
        return unpack(pack(Message.new(type, src=src, id=next(_ids), run=run, payload=payload, **fields)))

    def submit(self, name: str, args, *, kind: str = CALL, slots=None, task: str = "t1", run: str = "r1",
               out: str = "out", **spec_fields) -> Message:
        frames = [encode(self.interp.lookup(name), functions=self.exporter)]
        refs = []
        for arg in args:
            if isinstance(arg, Ref):
                refs.append(arg)
            else:
                frames.append(encode(arg, functions=self.exporter))
                refs.append(Inline(FIRST_VALUE_FRAME + len(frames) - 2))
        if slots is None:
            slots = tuple(range(len(args))) if kind == CALL else ()
        spec = TaskSpec(kind, self.bundle, out, tuple(refs), slots, **spec_fields)
        return self.message("SUBMIT", run=run, task=task, payload=[pack_spec(spec), *frames])


@pytest.fixture
def driver() -> Driver:
    return Driver()


def loaded_core(driver: Driver, worker_id: str = "0") -> WorkerCore:
    core = WorkerCore(worker_id, lambda: Interpreter(stdout=io.StringIO()))
    (ready,) = core.handle(driver.message("SOURCES", bundle=driver.bundle, payload=[pack_bundle(driver.exporter.bundle)]))
    assert ready.message.type == "PROGRAM_READY"
    return core


def only(outgoing):
    (item,) = outgoing
    return item


def test_core_and_coordinator_agree_on_the_coordinator_id():
    assert COORDINATOR == COORDINATOR_ID


# ----------------------------------------------------------------------------- programs


def test_load_program_asks_for_sources_once(driver):
    core = WorkerCore("0", Interpreter)
    need = only(core.handle(driver.message("LOAD_PROGRAM", bundle=driver.bundle)))
    assert (need.to, need.message.type) == (COORDINATOR, "NEED_SOURCE")
    sources = driver.message("SOURCES", bundle=driver.bundle, payload=[pack_bundle(driver.exporter.bundle)])
    assert only(core.handle(sources)).message.type == "PROGRAM_READY"
    assert only(core.handle(driver.message("LOAD_PROGRAM", bundle=driver.bundle))).message.type == "PROGRAM_READY"


def test_a_bundle_that_is_not_what_its_hash_says_is_refused(driver):
    core = WorkerCore("0", Interpreter)
    failed = only(core.handle(driver.message("SOURCES", bundle="0" * 32, payload=[pack_bundle(driver.exporter.bundle)])))
    assert failed.message.type == "PROGRAM_FAILED"
    error = decode(failed.message.payload[0])
    assert error.kind == "BundleMismatch" and "hash mismatch" in error.message
    garbage = only(core.handle(driver.message("SOURCES", bundle=driver.bundle, payload=[b"\xc1"])))
    assert garbage.message.type == "PROGRAM_FAILED" and decode(garbage.message.payload[0]).kind == "ProtocolError"


def test_a_task_of_an_unloaded_bundle_fails_clearly(driver):
    core = WorkerCore("7", Interpreter)
    failed = only(core.handle(driver.submit("add", [1, 2])))
    assert failed.message.type == "FAILED"
    error = decode(failed.message.payload[0])
    assert error.kind == "FunctionNotFound" and "not loaded on worker 7" in error.message


# ----------------------------------------------------------------------------- tasks and objects


def test_done_reports_metadata_only_and_the_value_stays(driver):
    core = loaded_core(driver)
    big = GList(range(1000))
    done = only(core.handle(driver.submit("total", [big], out="sum")))
    assert (done.to, done.message.type) == (COORDINATOR, "DONE")
    [[oid, size, tag]] = msgpack.unpackb(done.message.payload[0])
    assert (oid, tag) == ("sum", "num") and size == len(encode(499500))
    assert sum(len(frame) for frame in done.message.payload) < 32  # the value did not travel
    assert core.store.get("r1", "sum").value == 499500


def test_fetch_serves_objects_and_selected_items(driver):
    core = loaded_core(driver)
    core.handle(driver.submit("doubled", [GList([1, 2, 3])], out="xs"))
    whole = only(core.handle(driver.message("FETCH", src="1", oid="xs")))
    assert (whole.to, whole.message.type) == ("1", "OBJECT") and decode(whole.message.payload[0]) == [1, 2, 3, 1, 2, 3]
    item = only(core.handle(driver.message("FETCH", oid="xs", item=4)))
    assert item.message["item"] == 4 and decode(item.message.payload[0]) == 2
    assert only(core.handle(driver.message("FETCH", oid="xs", item=99))).message.type == "NOT_FOUND"
    assert only(core.handle(driver.message("FETCH", oid="xs", run="r2"))).message.type == "NOT_FOUND"
    assert core.counters.fetches_served == 2


def test_a_remote_argument_is_fetched_from_its_owner_then_cached(driver):
    core = loaded_core(driver, "1")
    fetch = only(core.handle(driver.submit("total", [Ref("xs", "0")], task="t1")))
    assert (fetch.to, fetch.message.type, fetch.message["oid"]) == ("0", "FETCH", "xs")
    # a second task needing the same object waits for the same FETCH: no second request
    assert core.handle(driver.submit("total", [Ref("xs", "0")], task="t2", out="again")) == []
    answer = driver.message("OBJECT", src="0", oid="xs", payload=[encode(GList([1, 2, 3]))])
    done = only(core.handle(answer))
    assert done.message.type == "DONE_MANY"
    assert [entry[0] for entry in msgpack.unpackb(done.message.payload[0])] == ["t1", "t2"]
    # a third task finds it in the cache
    third = only(core.handle(driver.submit("total", [Ref("xs", "0")], task="t3", out="third")))
    assert third.message.type == "DONE" and core.counters.cache_hits == 1


def test_an_argument_without_an_owner_is_located_first(driver):
    core = loaded_core(driver, "1")
    locate = only(core.handle(driver.submit("total", [Ref("xs")])))
    assert (locate.to, locate.message.type) == (COORDINATOR, "LOCATE")
    fetch = only(core.handle(driver.message("LOCATION", oid="xs", owner="0")))
    assert (fetch.to, fetch.message.type) == ("0", "FETCH")
    done = only(core.handle(driver.message("OBJECT", src="0", oid="xs", payload=[encode(GList([4]))])))
    assert done.message.type == "DONE" and core.store.get("r1", "out").value == 4


@pytest.mark.parametrize("answer", [
    lambda d: d.message("NOT_FOUND", src="0", oid="xs"),
    lambda d: d.message("LOCATION", oid="xs", owner=None),
])
def test_a_missing_argument_fails_the_task_as_retryable(driver, answer):
    core = loaded_core(driver, "1")
    core.handle(driver.submit("total", [Ref("xs", "0")]))
    failed = only(core.handle(answer(driver)))
    assert failed.message.type == "FAILED" and failed.message["retry"] is True
    assert decode(failed.message.payload[0]).kind == "ObjectLostError"


def test_a_local_argument_is_used_in_place(driver):
    core = loaded_core(driver)
    core.handle(driver.submit("doubled", [GList([1, 2])], out="xs"))
    done = only(core.handle(driver.submit("total", [Ref("xs", "0")], task="t2")))
    assert done.message.type == "DONE" and core.counters.cache_misses == 0


def test_user_errors_carry_the_graphoid_stack_and_are_not_retryable(driver):
    core = loaded_core(driver)
    failed = only(core.handle(driver.submit("fails", [1])))
    assert failed.message["retry"] is False
    error = decode(failed.message.payload[0])
    assert error.kind == "NameError" and "missing_name" in error.message
    assert error.span.file == "core_prog.gd" and error.span.line == 4
    assert [entry.function for entry in error.trace] == ["fails"]


def test_map_chunk_calls_with_positions_and_names(driver):
    core = loaded_core(driver)
    by_name = driver.submit("scaled", [GList([1, 2, 3]), 10], kind=MAP_CHUNK, columns=("x",), slots=("factor",))
    assert only(core.handle(by_name)).message.type == "DONE"
    assert core.store.get("r1", "out").value == [10, 20, 30]
    swapped = driver.submit("add", [GList(["a", "b"]), "!"], kind=MAP_CHUNK, columns=(1,), slots=(0,), out="o2")
    core.handle(swapped)
    assert core.store.get("r1", "o2").value == ["!a", "!b"]
    bad = driver.submit("add", [GList([1]), 2], kind=MAP_CHUNK, columns=(2,), slots=(0,), out="o3")
    assert decode(only(core.handle(bad)).message.payload[0]).kind == "ProtocolError"


def _shared_spec_batch(driver: Driver, items: list, spec: bytes | None = None, run: str = "r1") -> Message:
    """A SUBMIT_MANY as a map sends it: one spec (out "") and one function frame for all tasks,
    each task its own items frame and output id."""
    spec = spec if spec is not None else pack_spec(
        TaskSpec(MAP_CHUNK, driver.bundle, "", (Inline(FIRST_VALUE_FRAME),), (), (0,)))
    frames = [spec, encode(driver.interp.lookup("doubled"), functions=driver.exporter)]
    index = []
    for number, item in enumerate(items):
        frames.append(encode(GList([item])))
        index.append([f"t{number}", [0, 1, len(frames) - 1], f"m-{number}"])
    return driver.message("SUBMIT_MANY", run=run, payload=[msgpack.packb(index), *frames])


def test_a_batch_with_a_shared_spec_stores_each_task_under_its_own_output_id(driver):
    core = loaded_core(driver)
    done = only(core.handle(_shared_spec_batch(driver, [GList([1]), "ab", GList([])])))
    assert done.message.type == "DONE_MANY"
    entries = msgpack.unpackb(done.message.payload[0])
    assert [(task, objects[0][0]) for task, objects in entries] == [("t0", "m-0"), ("t1", "m-1"), ("t2", "m-2")]
    assert [core.store.get("r1", f"m-{n}").value for n in range(3)] == [[[1, 1]], ["abab"], [[]]]
    # the same tasks one SUBMIT each, the spec carrying the output id: the same objects
    single = loaded_core(driver)
    for number, item in enumerate([GList([1]), "ab", GList([])]):
        single.handle(driver.submit("doubled", [GList([item])], kind=MAP_CHUNK, columns=(0,), task=f"t{number}",
                                    out=f"m-{number}"))
    assert [single.store.get("r1", f"m-{n}").value for n in range(3)] == [[[1, 1]], ["abab"], [[]]]
    assert all(core.store.get("r1", f"m-{n}").data == single.store.get("r1", f"m-{n}").data for n in range(3))


def test_a_failing_item_of_a_shared_spec_batch_fails_only_its_task(driver):
    core = loaded_core(driver)
    out = core.handle(_shared_spec_batch(driver, [GList([1]), None, GList([2])]))
    failed = [item.message for item in out if item.message.type == "FAILED"]
    assert [message["task"] for message in failed] == ["t1"]
    assert decode(failed[0].payload[0]).kind == "TypeError"
    assert core.store.get("r1", "m-1") is None and core.store.get("r1", "m-2").value == [[2, 2]]


def test_a_malformed_shared_spec_fails_every_task_that_uses_it(driver):
    core = loaded_core(driver)
    out = core.handle(_shared_spec_batch(driver, [1, 2], spec=b"\xc1"))
    assert [(item.message.type, item.message["task"]) for item in out] == [("FAILED", "t0"), ("FAILED", "t1")]
    assert all(decode(item.message.payload[0]).kind == "ProtocolError" for item in out)


def test_a_shared_spec_batch_of_an_ended_run_fails_each_task(driver):
    core = loaded_core(driver)
    core.handle(driver.message("END_RUN", run="r1"))
    out = core.handle(_shared_spec_batch(driver, [1, 2]))
    assert [(item.message.type, item.message["task"]) for item in out] == [("FAILED", "t0"), ("FAILED", "t1")]
    assert all("has ended" in decode(item.message.payload[0]).message for item in out)


def test_runs_are_isolated_and_end_run_clears_one(driver):
    core = loaded_core(driver)
    core.handle(driver.submit("add", [1, 1], run="a", out="out"))
    core.handle(driver.submit("add", [2, 2], run="b", out="out"))
    core.cache.put("a", "cached", 1, 1)
    assert core.store.get("a", "out").value == 2 and core.store.get("b", "out").value == 4
    assert core.handle(driver.message("END_RUN", run="a")) == []
    assert core.store.get("a", "out") is None and core.cache.entry_count == 0
    assert core.store.get("b", "out").value == 4
    failed = only(core.handle(driver.submit("add", [1, 1], run="a")))
    error = decode(failed.message.payload[0])
    assert error.kind == "RunError" and "run 'a' has ended" in error.message


def test_free_drops_objects(driver):
    core = loaded_core(driver)
    core.handle(driver.submit("add", [1, 1], out="x"))
    core.handle(driver.message("FREE", oids=["x"]))
    assert core.store.object_count == 0


# ----------------------------------------------------------------------------- partitions and shuffles


def load_partitions(driver: Driver, cores: list[WorkerCore]) -> None:
    graph = driver.interp.lookup("g")
    partitioning = Partitioning.by_range(2, ["a", "b", "c"])
    stream = PlacementStream(graph, partitioning, driver.exporter)
    for index, core in enumerate(cores):
        assert core.handle(driver.message("LOAD_PARTITION", graph="g", part=index, epoch=0, payload=stream.header())) == []
        replies = [core.handle(driver.message("PARTITION_CHUNK", graph="g", part=index, epoch=0, chunk=number,
                                              kind=kind, payload=frames))
                   for number, (kind, frames) in enumerate(stream.chunks(index))]
        assert only(replies[-1]).message.type == "PARTITION_READY"


def test_partition_tasks_see_owned_nodes_in_ascending_order(driver):
    cores = [loaded_core(driver, "0"), loaded_core(driver, "1")]
    load_partitions(driver, cores)
    core = cores[0]
    core.handle(driver.submit("degree_of", [], kind=PARTITION_MAP, graph="g", part=0, out="deg"))
    assert dict(core.store.get("r1", "deg").value) == {"a": 2}
    core.handle(driver.submit("owned", [], kind=PARTITION_QUERY, graph="g", part=0, out="ids"))
    assert core.store.get("r1", "ids").value == ["a"]  # node views travel as their ids
    missing = only(core.handle(driver.submit("owned", [], kind=PARTITION_QUERY, graph="g", part=1, out="x")))
    assert "partition 1 of graph 'g' is not on worker 0" in decode(missing.message.payload[0]).message


def test_a_malformed_partition_is_refused(driver):
    core = loaded_core(driver)
    failed = only(core.handle(driver.message("LOAD_PARTITION", graph="g", part=0, epoch=0, payload=[b"\x90", b"\x90"])))
    assert failed.message.type == "PARTITION_FAILED" and decode(failed.message.payload[0]).kind == "ProtocolError"
    assert core.partitions == {}


def test_shuffle_reduces_once_every_source_pushed(driver):
    cores = {worker: loaded_core(driver, worker) for worker in ("0", "1")}
    reducers = ("0", "1")
    for index, worker in enumerate(reducers):
        waiting = driver.submit("count", [], kind=SHUFFLE_REDUCE, shuffle="s", part=index, sources=2,
                                out=f"r{index}", task=f"reduce{index}")
        assert cores[worker].handle(waiting) == []
    outgoing = []
    for source, (worker, text) in enumerate([("0", "a b a"), ("1", "b c")]):
        task = driver.submit("words", [GList([text])], kind=SHUFFLE_MAP, shuffle="s", source=source,
                             reducers=reducers, task=f"map{source}")
        outgoing += [(worker, item) for item in cores[worker].handle(task)]
    pushes = [item for _, item in outgoing if item.message.type == "SHUFFLE_PUSH"]
    assert all(item.to in reducers for item in pushes)
    for item in pushes:
        outgoing += [(item.to, out) for out in cores[item.to].handle(unpack(pack(item.message)))]
    results = {}
    for worker in reducers:
        for oid in ("r0", "r1"):
            stored = cores[worker].store.get("r1", oid)
            if stored is not None:
                results.update({key: value for key, value in stored.value})
    assert results == {"a": 2, "b": 2, "c": 1}


# ----------------------------------------------------------------------------- hostile input


@pytest.mark.parametrize("message", [
    Message.new("SUBMIT", src="x", id=1, run="r1", task="t", payload=[b"\xc1", b""]),
    Message.new("SUBMIT", src="x", id=1, run=None, task="t", payload=[]),
])
def test_malformed_submits_fail_the_task_without_raising(driver, message):
    core = loaded_core(driver)
    failed = only(core.handle(unpack(pack(message))))
    assert failed.message.type == "FAILED" and failed.message["task"] == "t"


@pytest.mark.parametrize("payload", [
    [], [b"\xc1"], [msgpack.packb([["t", [5]]])], [msgpack.packb([[1, []]])],
    [msgpack.packb([["t", [0], 5]]), b"spec"],  # an output id that is not a string
    [msgpack.packb([["t", [], "out"]]), b"spec"],  # an output id without a spec frame
    [msgpack.packb([["t", [0], "out", "more"]]), b"spec"],
])
def test_malformed_batches_are_dropped(driver, payload, caplog):
    core = loaded_core(driver)
    assert core.handle(driver.message("SUBMIT_MANY", payload=payload)) == []
    assert "malformed SUBMIT_MANY" in caplog.text


@pytest.mark.parametrize("packed, frames", [
    (2, [msgpack.packb([b"a"], use_bin_type=True)]),  # fewer packed frames than the header says
    (1, [b"\xc1"]),  # not msgpack
    (1, [msgpack.packb(["text"])]),  # strings, not bins
    (1, [msgpack.packb({"a": b"b"}, use_bin_type=True)]),
    (0, []),  # no frame to hold them
])
def test_malformed_packed_frames_drop_the_batch(driver, packed, frames, caplog):
    core = loaded_core(driver)
    payload = [msgpack.packb([["t", [0]]]), *frames]
    assert core.handle(driver.message("SUBMIT_MANY", packed=packed, payload=payload)) == []
    assert "malformed SUBMIT_MANY" in caplog.text


def test_packed_frames_follow_the_others_in_the_numbering(driver):
    core = loaded_core(driver)
    spec = pack_spec(TaskSpec(MAP_CHUNK, driver.bundle, "", (Inline(FIRST_VALUE_FRAME), Inline(FIRST_VALUE_FRAME + 1)),
                              ("factor",), ("x",)))
    function = encode(driver.interp.lookup("scaled"), functions=driver.exporter)
    small = [spec, function, encode(GList([1, 2])), encode(GList([3]))]
    index = [["t0", [1, 2, 3, 0], "m-0"], ["t1", [1, 2, 4, 0], "m-1"]]  # frame 0: the big constant
    payload = [msgpack.packb(index), encode(10), msgpack.packb(small, use_bin_type=True)]
    done = only(core.handle(driver.message("SUBMIT_MANY", packed=4, payload=payload)))
    assert done.message.type == "DONE_MANY"
    assert [core.store.get("r1", oid).value for oid in ("m-0", "m-1")] == [[10, 20], [30]]


def test_unknown_and_unexpected_messages_are_dropped(driver, caplog):
    core = loaded_core(driver)
    assert core.handle(driver.message("HEARTBEAT")) == []
    assert core.handle(driver.message("OBJECT", oid="nobody-asked", payload=[b"\x01"])) == []
    assert core.handle(driver.message("PEERS", payload=[b"\xc1"])) == []
    assert "no handler for HEARTBEAT" in caplog.text


def test_the_handler_table_is_open_for_new_message_types(driver):
    core = loaded_core(driver)
    for message_type in ("STEP_BEGIN", "STEP_MSGS", "COMMIT", "ROLLBACK", "READ", "BEHAVIOR"):
        assert message_type in core.handlers  # installed by graphoid.distributed.supersteps
    seen = []
    core.handlers["END_RUN"] = lambda message: (seen.append(message["run"]),
                                                core.send(COORDINATOR, "STATS_REPLY"))
    (reply,) = core.handle(driver.message("END_RUN", run="r1"))
    assert seen == ["r1"] and reply.message.type == "STATS_REPLY"


def test_stats_report_counters(driver):
    core = loaded_core(driver)
    core.handle(driver.submit("add", [1, 2]))
    reply = only(core.handle(driver.message("STATS")))
    counters = msgpack.unpackb(reply.message.payload[0])
    assert counters["tasks_run"] == 1 and counters["objects_held"] == 1 and counters["messages_sent"] >= 2


def test_deferred_work_runs_at_once_unless_the_core_may_defer_and_before_the_next_message(driver):
    core = loaded_core(driver)
    done: list[str] = []
    core.defer(lambda: done.append("now"))  # nobody runs deferred work: it runs at once
    assert done == ["now"] and core.deferred == []
    core.can_defer = True
    core.defer(lambda: done.append("later"))
    assert done == ["now"]
    seen_before: list[list[str]] = []
    core.handlers["END_RUN"] = lambda message: seen_before.append(list(done))
    core.handle(driver.message("END_RUN", run="r1"))
    assert seen_before == [["now", "later"]]  # the handler already saw the deferred work done
    core.defer(lambda: done.append("again"))
    core.run_deferred()
    assert done == ["now", "later", "again"] and core.deferred == []
