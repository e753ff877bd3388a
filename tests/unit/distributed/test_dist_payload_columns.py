"""Routed payloads as packed numeric columns (messaging/vector_fold.py: pack_column,
TypedPayloads; distributed/supersteps.py: STEP_MSGS with `column`).

A peer's batch of exact ints or exact floats travels as int64 or float64 bytes and is folded
from there; whatever else reads the routed table gets the same Python values msgpack would
have given. Results must be the local graph's, bit for bit, on every executor; a malformed
column is a ProtocolError of the call, never a crash."""

from __future__ import annotations

import io
import math
import random
from functools import reduce
from operator import add

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import graphoid.distributed  # noqa: F401  (registers the module)
from graphoid.distributed.api import session_of
from graphoid.distributed.codec import CodecError
from graphoid.distributed.protocol import Message
from graphoid.distributed.supersteps import _pack_batch, _unpack_batch
from graphoid.messaging import vector_fold
from graphoid.messaging.engine import UNSENT, Routes, SlotEngine
from graphoid.messaging.partition import Batch
from graphoid.messaging.vector_fold import FoldIndex, GhostColumn, TypedPayloads, pack_column, unpack_column
from graphoid.runtime.interpreter import Interpreter
from graphoid.values.types import GList, Symbol

from test_dist_vector_fold import bits, run_everywhere

pytestmark = pytest.mark.timeout(240)


class Program:
    """Encodes like a worker's program (no functions in these batches)."""

    @staticmethod
    def encode(value):
        from graphoid.distributed.codec import encode

        return encode(value)


# ----------------------------------------------------------------------------- pack / unpack


@pytest.mark.parametrize("values, code", [
    ([1, -2, 2**63 - 1, -(2**63)], "i8"),
    ([0.5, -0.0, math.inf, -math.inf, 5e-324, float("nan")], "f8"),
])
def test_a_column_round_trips_to_the_same_python_values(values, code):
    packed = pack_column(values)
    assert packed is not None and packed[0] == code and len(packed[1]) == 8 * len(values)
    back = unpack_column(*packed).tolist()
    assert list(map(bits, back)) == list(map(bits, values))


@pytest.mark.parametrize("values", [
    [1, 2.0],  # mixed: a float column would turn the int into a float
    [True, False],  # bools are not ints here (their sums are ints)
    [1, 2**63],  # beyond int64
    ["a", "b"],
    [1, None],
])
def test_values_that_are_not_all_exact_ints_or_all_exact_floats_make_no_column(values):
    assert pack_column(values) is None


def test_a_known_constant_fills_the_column_without_looking_at_the_values():
    assert unpack_column(*pack_column([7] * 5, constant=7)).tolist() == [7] * 5
    assert unpack_column(*pack_column([0.25] * 3, constant=0.25)).tolist() == [0.25] * 3
    assert pack_column([2**70] * 3, constant=2**70) is None  # beyond int64
    assert pack_column([True] * 3, constant=True) is None


@pytest.mark.parametrize("code, data", [("i4", b"\0" * 8), ("f8", b"\0" * 7), (3, b"\0" * 8), ("i8", "text")])
def test_a_malformed_column_is_refused(code, data):
    with pytest.raises(ValueError):
        unpack_column(code, data)


# ----------------------------------------------------------------------------- batches on the wire


def test_a_numeric_routed_batch_travels_as_a_column_and_comes_back_as_one():
    head = Symbol("add")
    routed = [float(i) / 3 for i in range(vector_fold.MIN_COLUMN)]
    frames, code = _pack_batch(Batch(routed, head), Program)
    assert code == "f8" and len(frames) == 2
    batch = _unpack_batch(frames, None, code)
    assert batch.routed is None and batch.head is head and batch.routes()
    assert list(map(bits, batch.column.tolist())) == list(map(bits, routed))


@pytest.mark.parametrize("routed, head", [
    ([1] * 3, Symbol("add")),  # too few to be worth a column
    ([True] * vector_fold.MIN_COLUMN, Symbol("add")),
    ([1] * vector_fold.MIN_COLUMN, None),  # whole messages, not payloads
])
def test_other_batches_travel_as_lists(routed, head):
    frames, code = _pack_batch(Batch(routed, head), Program)
    assert code is None and len(frames) == 1
    batch = _unpack_batch(frames, None, None)
    assert batch.column is None and list(map(bits, batch.routed)) == list(map(bits, routed))


def _column_frames():
    return _pack_batch(Batch([1] * vector_fold.MIN_COLUMN, Symbol("add"), constant=1), Program)


@pytest.mark.parametrize("spoil", ["code", "size", "missing frame", "routed too", "no head"])
def test_a_hostile_column_is_a_protocol_error(spoil):
    (packed, column), code = _column_frames()
    frames = [packed, column]
    if spoil == "code":
        code = "u8"
    elif spoil == "size":
        frames[1] = column[:-3]
    elif spoil == "missing frame":
        frames = [packed]
    elif spoil == "routed too":
        frames[0] = Program.encode(GList((GList([1]), Symbol("add"), GList(), GList())))
    else:
        frames[0] = Program.encode(GList((None, None, GList(), GList())))
    with pytest.raises(CodecError) as caught:
        _unpack_batch(frames, None, code)
    assert caught.value.kind == "ProtocolError"


# ----------------------------------------------------------------------------- the fold from typed payloads


def python_fold(routes, table, olds):
    return [reduce(add, (table[src] for src in sources), old) for old, sources in zip(olds, routes.sources)]


def split_routes(rng, owned, ghosts):
    """Owned slots 0..owned-1 send and receive; ghosts (owned..) only send."""
    size = owned + ghosts
    out = [sorted(rng.sample(range(owned), rng.randint(1, min(owned, 4)))) for _ in range(size)]
    for slot in range(owned):
        if rng.random() < 0.2:
            out[slot] = []  # a sink
    return Routes(out, owned, [f"n{rng.random():.12f}"[:14] + f"{slot:04d}" for slot in range(size)])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), kind=st.sampled_from(["int", "float"]), constant=st.booleans(),
       peers=st.integers(1, 3))
def test_the_fold_from_typed_payloads_is_the_python_fold_bit_for_bit(seed, kind, constant, peers):
    rng = random.Random(seed)
    owned, ghosts = rng.randint(2, 30), rng.randint(1, 30)
    routes = split_routes(rng, owned, ghosts)
    if not routes.sources:
        return
    number = (lambda: rng.randint(-(2**40), 2**40)) if kind == "int" else (lambda: rng.uniform(-1, 1) * 10.0 ** rng.randint(-8, 8))
    fill = number()
    table = [UNSENT] * (owned + ghosts)
    for slot in range(owned):
        if routes.out[slot]:
            table[slot] = fill if constant else number()
    ghost_values = {slot: number() for slot in range(owned, owned + ghosts)}
    expected_table = list(table)
    for slot, value in ghost_values.items():
        expected_table[slot] = value
    olds = [number() for _ in routes.receivers]
    expected = python_fold(routes, expected_table, olds)
    # the ghosts split among `peers` columns, as the peers' batches would bring them
    slots = list(range(owned, owned + ghosts))
    cuts = sorted(rng.sample(range(1, ghosts), min(peers - 1, ghosts - 1))) if ghosts > 1 else []
    typed = TypedPayloads(fill if constant else None)
    for part in (slots[a:b] for a, b in zip([0, *cuts], [*cuts, ghosts])):
        values = unpack_column(*pack_column([ghost_values[slot] for slot in part]))
        typed.columns.append(GhostColumn(part, None, values))
    got = FoldIndex(routes.sources, owned).fold(table, olds, typed)
    assert got is not None and list(map(bits, got)) == list(map(bits, expected))
    assert all(table[slot] is UNSENT for slot in slots)  # the fold did not need them written
    typed.write(table)
    assert list(map(bits, table[owned:])) == list(map(bits, expected_table[owned:]))


def test_typed_payloads_that_do_not_cover_the_ghosts_are_written_and_read_from_the_table():
    routes = Routes([[0, 1], [0], [1], [0]], 2, ["a", "b", "c", "d"])  # ghosts c, d
    table = [1, 2, UNSENT, UNSENT]
    typed = TypedPayloads()
    typed.columns.append(GhostColumn([2], None, unpack_column(*pack_column([3]))))
    table[3] = 4  # d's payload came as a list
    got = FoldIndex(routes.sources, 2).fold(table, [0, 0], typed)
    assert got == python_fold(routes, [1, 2, 3, 4], [0, 0])
    assert table == [1, 2, 3, 4] and typed.columns == []


def test_typed_payloads_of_two_kinds_fold_from_the_table_by_the_python_rules():
    routes = Routes([[0], [1], [0], [1]], 2, ["a", "b", "c", "d"])
    table = [1, 2, UNSENT, UNSENT]
    typed = TypedPayloads(None)
    typed.columns.append(GhostColumn([2, 3], None, unpack_column(*pack_column([0.5, 1.5]))))
    # ints owned, floats from the peer: not one type, so the payloads are read back and the
    # fold declines (the Python fold then adds int + float as Python does)
    assert FoldIndex(routes.sources, 2).fold(table, [0, 0], typed) is None
    assert table == [1, 2, 0.5, 1.5]


def test_a_send_after_a_route_fill_forgets_the_constant():
    routes = Routes([[1], [0], []], owned=3)
    engine = SlotEngine(([[] for _ in range(3)], [[] for _ in range(3)]), 10, routes)
    assert engine.open_lane() and engine.fill_lane(Symbol("add"), 1)
    engine.emit_route(0, GList((Symbol("add"), 2)))  # a second routed send: boxes from here on
    engine.barrier()
    assert engine.inbox_typed is None


# ----------------------------------------------------------------------------- whole programs


PROGRAM = """
import "distributed"
graph Acc {
    total = 0
    out = 0
    fn on_message(msg) {
        match msg {
            :go => { self.graph.send([:add, out], from: self.id, via: "*") }
            :one => { self.graph.send([:add, 1], from: self.id, via: "*") }
            [:add, x] => { total = total + x }
            [:twice, x] => { total = total + 2 * x }
            :get => total
        }
    }
}

graph Twice {
    total = 0
    out = 0
    fn on_message(msg) {
        match msg {
            :go => { self.graph.send([:add, out], from: self.id, via: "*") }
            :one => { self.graph.send([:add, 1], from: self.id, via: "*") }
            [:add, x] => { total = total + 2 * x }
            :get => total
        }
    }
}

fn build(starts, outs, targets) {
    g = graph { type: :directed }
    for i in range(starts.length()) { g.add_node("n" + (1000 + i).to_string(), {total: starts[i], out: outs[i]}) }
    for i in range(starts.length()) {
        for t in targets[i] { g.add_edge("n" + (1000 + i).to_string(), "n" + (1000 + t).to_string()) }
    }
    return g
}

fn run(g, behavior, message, calls) {
    g.set_behavior(behavior)
    for i in range(calls) { g.broadcast(message) }
    return g.request(:get, where: v => true)
}
"""

NODES = 600  # 4 out-edges each: a peer's batch holds far more than MIN_COLUMN payloads


def inputs(kind: str):
    rng = random.Random(23)
    if kind == "floats":
        starts = [rng.uniform(-1, 1) * 10.0 ** rng.randint(-8, 8) for _ in range(NODES)]
        outs = [rng.uniform(-1, 1) * 10.0 ** rng.randint(-8, 8) for _ in range(NODES)]
    elif kind == "ints":
        starts = [rng.randint(-(2**40), 2**40) for _ in range(NODES)]
        outs = [rng.randint(-(2**40), 2**40) for _ in range(NODES)]
    else:  # int totals, float payloads
        starts = [rng.randint(-100, 100) for _ in range(NODES)]
        outs = [rng.uniform(-1, 1) for _ in range(NODES)]
    targets = [rng.sample(range(NODES), 4) for _ in range(NODES)]
    return GList(starts), GList(outs), GList(GList(t) for t in targets)


def results(executor: str, kind: str, behavior: str, message: str) -> list:
    return run_everywhere(executor, PROGRAM, inputs(kind), f"run({{graph}}, {behavior}, {message}, 3)")


class Columns:
    """Counts the payload columns packed in this process (the in-process executor's)."""

    def __init__(self, monkeypatch):
        self.codes: list[str | None] = []
        original = vector_fold.pack_column

        def counted(values, constant=None):
            packed = original(values, constant)
            self.codes.append(None if packed is None else packed[0])
            return packed

        monkeypatch.setattr(vector_fold, "pack_column", counted)


@pytest.mark.parametrize("kind, behavior, message", [
    ("floats", "Acc", ":go"),  # columns folded in numpy
    ("ints", "Acc", ":one"),  # a route fill's constant, shipped as a full column
    ("mixed", "Acc", ":go"),  # int totals, float payloads
    ("floats", "Twice", ":go"),  # no fold: the columns are written into the table for the handlers
])
def test_programs_over_payload_columns_match_the_local_graph_bit_for_bit(kind, behavior, message, monkeypatch):
    columns = Columns(monkeypatch)
    local = results("local", kind, behavior, message)
    assert results("inprocess", kind, behavior, message) == local
    assert columns.codes and all(code is not None for code in columns.codes)  # every batch went as a column
    assert results("cluster", kind, behavior, message) == local


def test_a_malformed_column_fails_the_call_it_names_and_nothing_else(monkeypatch):
    interp = Interpreter(stdout=io.StringIO())
    interp.run(PROGRAM, "payload_columns_test.gd")
    try:
        interp.globals["g"] = interp.call("build", *inputs("ints"))
        interp.run("distributed.configure({executor: :inprocess, workers: 2})\n"
                   "d = distributed.distribute(g, partitions: 2)\nfirst = run(d, Acc, :one, 1)", "distributed_run.gd")
        executor = session_of(interp).executor()
        name = interp.lookup("d").name
        (packed, column), code = _column_frames()
        core = next(iter(executor.cores.values()))
        call = executor._call_ids + 100
        out = core.handle(Message.new("STEP_MSGS", src="x", id=1, graph=name, call=call, step=0, part=0, source=1,
                                      sent=1, halt=False, column="i8", payload=[packed, column[:-1]]))
        (report,) = [item.message for item in out if item.message.type == "STEP_DONE"]
        assert report["call"] == call and "failed" in report.header
        core.supersteps.calls.clear()  # (the coordinator never began that call)
        interp.run("second = run(d, Acc, :one, 1)", "distributed_run.gd")  # the graph takes the next call
        assert interp.eval("second.length()") == NODES
    finally:
        session_of(interp).close()
