"""Unchunked maps sent in SUBMIT_MANY batches: one spec per batch, each task's output id beside
it. The batched path (parallel maps) must give what one SUBMIT per task gives (sequential maps):
the same values, one object per item, and the same error for the first failing item."""

from __future__ import annotations

import io

import msgpack
import pytest

from graphoid.distributed.executor.base import PARALLEL, SEQUENTIAL, Parallelism
from graphoid.distributed.codec import decode
from graphoid.distributed.executor.driver import SMALL_FRAME_BYTES, TASKS_PER_MESSAGE
from graphoid.distributed.executor.inprocess import InProcessExecutor
from graphoid.distributed.tasks import unpack_spec
from graphoid.errors import GraphoidError
from graphoid.runtime.interpreter import Interpreter
from graphoid.values.types import GList

PROGRAM = """
fn inc(x) { return x + 1 }
fn scaled(x, factor) { return x * factor }
fn joined(a, b, sep) { return a + sep + b }
fn fails_at(x) {
    if x == 7 { return x - "seven" }
    return x
}
"""

BATCHED = Parallelism(PARALLEL, PARALLEL)
ONE_BY_ONE = Parallelism(SEQUENTIAL, SEQUENTIAL)


@pytest.fixture(scope="module")
def program() -> Interpreter:
    interp = Interpreter(stdout=io.StringIO())
    interp.run(PROGRAM, "batches_prog.gd")
    return interp


def executor_for(program: Interpreter, parallelism: Parallelism) -> InProcessExecutor:
    executor = InProcessExecutor(2, parallelism=parallelism)
    executor.load_program(program)
    return executor


def mapped(executor: InProcessExecutor, fn: object, inputs: dict, over) -> tuple[list, list[str]]:
    """The values of an unchunked map, and the output id of each item's object."""
    result = executor.map(fn, inputs, over, chunk_size=1)
    assert all(chunk.count == 1 for chunk in result.chunks)
    return [value for chunk in result.chunks for value in executor.fetch(chunk.meta)], \
        [chunk.meta.oid for chunk in result.chunks]


@pytest.mark.parametrize("name, inputs, over", [
    ("inc", {0: GList(range(150))}, 0),
    ("scaled", {"x": GList(range(100)), "factor": 3}, "x"),
    ("joined", {0: GList(list("abcdefghij") * 10), 1: GList(list("0123456789") * 10), "sep": "-"}, [0, 1]),
    # a constant and some items bigger than SMALL_FRAME_BYTES travel as frames of their own
    ("joined", {0: GList(["a", "b" * 5000, "c"] * 30), "b": GList(["x", "y", "z" * 9000] * 30), "sep": "-" * 6000},
     [0, "b"]),
])
def test_batched_unchunked_maps_equal_one_submit_per_item(program, name, inputs, over):
    fn = program.lookup(name)
    batched, one_by_one = executor_for(program, BATCHED), executor_for(program, ONE_BY_ONE)
    values, oids = mapped(batched, fn, inputs, over)
    assert (values, oids[0].split("-")[0]) == (mapped(one_by_one, fn, inputs, over)[0], "map")
    assert len(set(oids)) == len(oids)  # one object per item, each under its own id


def test_a_batch_packs_the_shared_spec_once(program):
    executor = executor_for(program, BATCHED)
    sent = []
    deliver = executor._deliver
    executor._deliver = lambda messages: (sent.extend(messages), deliver(messages))
    executor.map(program.lookup("scaled"), {"x": GList(range(200)), "factor": 2}, "x", chunk_size=1)
    batches = [message for _, message in sent if message.type == "SUBMIT_MANY"]
    assert batches
    for batch in batches:
        index = msgpack.unpackb(batch.payload[0])
        assert 1 < len(index) <= TASKS_PER_MESSAGE
        assert {tuple(numbers[:3]) for _, numbers, _ in index} == {(0, 1, 2)}  # spec, function, constant
        # every frame is small: all travel packed in one zmq frame after the index
        assert len(batch.payload) == 2 and batch["packed"] == 3 + len(index)  # and each task's items frame
        frames = msgpack.unpackb(batch.payload[1])
        assert unpack_spec(frames[:4]).out == ""
    outs = [out for batch in batches for _, _, out in msgpack.unpackb(batch.payload[0])]
    outs += [unpack_spec(message.payload).out for _, message in sent if message.type == "SUBMIT"]  # the tail
    base = outs[0].rsplit("-", 1)[0]
    assert sorted(outs) == sorted(f"{base}-{number}" for number in range(200))


def test_big_frames_travel_apart_and_keep_their_numbers(program):
    executor = executor_for(program, BATCHED)
    sent = []
    deliver = executor._deliver
    executor._deliver = lambda messages: (sent.extend(messages), deliver(messages))
    big = "k" * (SMALL_FRAME_BYTES + 1)
    values, _ = mapped(executor, program.lookup("scaled"), {"x": GList(range(100)), "factor": big}, "x")
    assert values[:2] == ["", big]
    batches = [message for _, message in sent if message.type == "SUBMIT_MANY"]
    assert batches
    for batch in batches:
        index = msgpack.unpackb(batch.payload[0])
        assert len(batch.payload) == 3 and batch["packed"] == 2 + len(index)  # index, the constant, the packed
        assert decode(batch.payload[1]) == big
        assert {tuple(numbers[:3]) for _, numbers, _ in index} == {(1, 2, 0)}  # spec, function, constant


def test_a_single_submit_carries_the_output_id_in_its_spec(program):
    executor = executor_for(program, ONE_BY_ONE)
    sent = []
    deliver = executor._deliver
    executor._deliver = lambda messages: (sent.extend(messages), deliver(messages))
    result = executor.map(program.lookup("inc"), {0: GList([1, 2])}, 0, chunk_size=1)
    submits = [message for _, message in sent if message.type == "SUBMIT"]
    assert [unpack_spec(message.payload).out for message in submits] == [chunk.meta.oid for chunk in result.chunks]


@pytest.mark.parametrize("parallelism", [BATCHED, ONE_BY_ONE])
def test_the_first_failing_item_is_reported_either_way(program, parallelism):
    executor = executor_for(program, parallelism)
    with pytest.raises(GraphoidError) as info:
        executor.map(program.lookup("fails_at"), {0: GList(range(40))}, 0, chunk_size=1)
    assert info.value.kind == "TypeError" and info.value.span.line == 6
    assert info.value.hint.startswith("raised on worker ")
