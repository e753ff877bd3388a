"""The driver side both built-in executors share: operations as messages, replies as state.

`MessageDriver` implements the whole Executor interface by sending protocol messages to
workers and reacting to theirs; a subclass supplies only the transport:

    _deliver(messages)       send [(worker id, Message)] to workers
    _wait_until(ready)       process incoming messages until ready() is true; raise when a
                             worker is lost meanwhile or nothing can ever arrive

and calls `receive(worker_id, message)` for each message from a worker (on any thread: the
state is guarded by `self._state`, a Condition that `receive` notifies).

It keeps the DataLocationRegistry and PartitionRegistry (metadata only: values stay on
workers), answers LOCATE, tracks tasks by id, and turns FAILED into the worker's error with
`hint: raised on worker N`. A lost worker fails the operation in progress with a
WorkerLostError that names it and the objects and partitions lost with it.
"""

from __future__ import annotations

import abc

import itertools
import math
import threading
import time
from collections import deque
from typing import Any, Callable, Iterable, Mapping, Sequence

import attrs
import msgpack

from graphoid.distributed.codec import CodecError, NeedsFunctionTable, decode, encode, encode_each
from graphoid.distributed.core import COORDINATOR
from graphoid.distributed.executor.matching import PatternQueries
from graphoid.distributed.executor.messaging import GraphMessaging
from graphoid.distributed.executor.loading import GraphLoadingDriver
from graphoid.distributed.executor.actors import ActorDriver
from graphoid.distributed.executor.base import (
    PARALLEL, Executor, MapChunk, MapResult, Parallelism, PartitionResults, RunContext, ShuffleResult, StoredValues,
)
from graphoid.distributed.entries import ITEMS, key_order
from graphoid.distributed.ids import new_run_id
from graphoid.distributed.partition import Partitioning
from graphoid.distributed.placing import ABORT, PlacementStream
from graphoid.distributed.program import FunctionExporter, FunctionTable
from graphoid.distributed.protocol import Message
from graphoid.distributed.registry import (
    OBJECT_LOST, DataLocationRegistry, GraphPlacement, ObjectMeta, PartitionRegistry,
)
from graphoid.distributed.shipping import pack_bundle
from graphoid.distributed.tasks import (
    CALL, FIRST_VALUE_FRAME, FOLD, FOLD_VALUES, MAP_CHUNK, MAP_VALUES, PARTITION_MAP, PARTITION_QUERY,
    PARTITION_REDUCE, SHUFFLE_MAP, SHUFFLE_REDUCE, Inline, Ref, Slot, TaskSpec, pack_spec, with_output,
)
from graphoid.errors import GraphoidError
from graphoid.messaging.local import pause_gc, resume_gc
from graphoid.graphs.graph import Graph
from graphoid.runtime.interpreter import Interpreter
from graphoid.values.types import GList, GMap

WORKER_LOST = "WorkerLostError"
# Tasks in flight per worker: enough to keep a worker busy while replies travel, far below the
# sockets' 10,000-message queues (a full queue would count as a lost worker).
MAX_IN_FLIGHT = 512
# Chunks per worker a map is cut into when no chunk size is given (load balance vs overhead).
CHUNKS_PER_WORKER = 8
# Tasks per SUBMIT_MANY message: one socket wake-up per batch instead of per task.
TASKS_PER_MESSAGE = 64
# Frames up to this size travel packed into one frame of their SUBMIT_MANY (each zmq frame costs
# a send and a receive call, more than copying a small frame); bigger ones travel as they are.
SMALL_FRAME_BYTES = 4096

Outbound = tuple[str, Message]


@attrs.define(eq=False)
class Operation:
    """The tasks of one operation that finished since the operation last looked."""

    completed: list["TaskRecord"] = attrs.field(factory=list)
    failures: int = 0
    # Wake the waiting caller once this many tasks completed (or at a failure): one wake-up per
    # batch, not per DONE, keeps a cluster's driver thread from ping-ponging with its loop thread.
    wake_at: int = 1

    def wants_caller(self) -> bool:
        return len(self.completed) >= self.wake_at


@attrs.define(eq=False)
class TaskRecord:
    """A submitted task until its DONE or FAILED."""

    task_id: str
    run_id: str
    worker: str | None  # known once sent
    order: int  # submission order within its operation: the first failure in this order wins
    operation: Operation
    sent: bool = False
    done: bool = False
    objects: list[ObjectMeta] = attrs.field(factory=list)
    error: GraphoidError | None = None
    out: str = ""  # the result's object id (known before the task runs)


@attrs.define(eq=False)
class Planned:
    """A task ready to send, to `worker`, or to whichever live worker has room (None)."""

    worker: str | None
    run_id: str
    spec: TaskSpec  # shared by the tasks of one map (then `out` names each task's output)
    frames: list[bytes]  # the encoded function, then inline values
    task_id: str = ""
    out: str | None = None  # this task's output id in place of spec.out (a shared spec)


@attrs.define(eq=False)
class Reply:
    """What a request (FETCH, LOAD_PROGRAM, LOAD_PARTITION, STATS) got back."""

    worker: str
    value: Any = None
    error: GraphoidError | None = None
    arrived: bool = False


class MessageDriver(GraphMessaging, PatternQueries, GraphLoadingDriver, ActorDriver, Executor):
    """The executor logic over an abstract transport (see the module docstring)."""

    def __init__(self, worker_ids: Sequence[str], parallelism: Parallelism = Parallelism()) -> None:
        self._all_workers = tuple(worker_ids)
        self._lost: dict[str, str] = {}  # worker id -> why
        self._loss_reports: list[str] = []
        self.parallelism = parallelism
        self.registry = DataLocationRegistry()
        self.partitions = PartitionRegistry()
        self.received_bytes = 0  # payload bytes that reached the driver (results only when fetched)
        self.fetched_bytes = 0
        self._state = threading.Condition(threading.RLock())
        self._exporter: FunctionExporter | None = None
        self._table: FunctionTable | None = None  # decodes functions in values workers send
        self._programs: dict[tuple[str, str], Reply] = {}  # (worker, bundle hash)
        self._tasks: dict[str, TaskRecord] = {}
        self._requests: dict[tuple, Reply] = {}
        self._ids = itertools.count(1)
        self._next_worker = 0
        self._default_run: RunContext | None = None
        self._submitted: set[str] = set()  # ids of tasks submit() sent without waiting
        self._closed = False
        self._messaging_init()
        self._actors_init()

    # ------------------------------------------------------------------------- transport hooks

    @abc.abstractmethod
    def _deliver(self, messages: list[Outbound]) -> None:
        """Send [(worker id, Message)] to the workers (the transport's part)."""

    @abc.abstractmethod
    def _wait_until(self, ready: Callable[[], bool], losses: int) -> None:
        """Handle incoming messages until ready(); raise when a worker was lost meanwhile."""

    def _flush_deliveries(self) -> None:
        """Let messages already sent take effect (a transport that delivers at once has nothing to do)."""

    def _message(self, type: str, *, run: str | None = None, payload: Sequence[bytes] = (), **fields: Any) -> Message:
        return Message.new(type, src=COORDINATOR, id=next(self._ids), run=run, payload=tuple(payload), **fields)

    # ------------------------------------------------------------------------- workers

    @property
    def worker_ids(self) -> tuple[str, ...]:
        with self._state:
            return tuple(worker for worker in self._all_workers if worker not in self._lost)

    def worker_lost(self, worker_id: str, reason: str) -> None:
        """A worker died: forget what it held; the operation in progress fails."""
        with self._state:
            if worker_id in self._lost:
                return
            self._lost[worker_id] = reason
            objects = self.registry.drop_worker(worker_id)
            parts = self.partitions.partitions_on(worker_id)
            self._loss_reports.append(_describe_loss(worker_id, reason, objects, parts))
            self._fail_submitted_on(worker_id, self._loss_reports[-1])
            self.partitions_lost(worker_id)
            self._actors_lost(worker_id, reason)
            self._state.notify_all()

    def _losses(self) -> int:
        return len(self._loss_reports)

    def _raise_if_lost_since(self, losses: int) -> None:
        if len(self._loss_reports) > losses:
            raise GraphoidError(WORKER_LOST, "; ".join(self._loss_reports[losses:]))

    def _live(self, limit: int | None = None) -> list[str]:
        live = [worker for worker in self._all_workers if worker not in self._lost]
        if not live:
            raise GraphoidError(WORKER_LOST, "no worker is left: " + "; ".join(self._loss_reports))
        return live[:limit] if limit else live

    # ------------------------------------------------------------------------- receiving

    def receive(self, worker_id: str, message: Message) -> None:
        """A message from a worker (any thread). A handler returns False when no waiting
        caller needs to look yet."""
        with self._state:
            for frame in message.payload:
                self.received_bytes += len(frame)
            handler = _RECEIVERS.get(message.type)
            if handler is not None and handler(self, worker_id, message) is not False:
                self._state.notify_all()

    def _on_done(self, worker_id: str, message: Message) -> bool:
        try:
            entries = msgpack.unpackb(message.payload[0], raw=False) if message.payload else []
        except (ValueError, TypeError, msgpack.UnpackException):
            entries = None
        return self._finish(worker_id, message["task"], entries)

    def _on_done_many(self, worker_id: str, message: Message) -> bool:
        try:
            batch = msgpack.unpackb(message.payload[0], raw=False) if message.payload else None
        except (ValueError, TypeError, msgpack.UnpackException):
            batch = None
        if type(batch) is not list:
            return False
        wake = False
        for entry in batch:
            if type(entry) is list and len(entry) == 2 and type(entry[0]) is str:
                wake = self._finish(worker_id, entry[0], entry[1]) or wake
        return wake

    def _finish(self, worker_id: str, task_id: str, entries: Any) -> bool:
        """A task's objects ([[oid, size, type tag]]) are on `worker_id`: register them."""
        record = self._tasks.get(task_id)
        if record is None or record.done:
            return False
        try:
            record.objects = [ObjectMeta(record.run_id, oid, worker_id, size, tag) for oid, size, tag in entries]
        except (ValueError, TypeError):
            record.error = GraphoidError("ProtocolError", f"worker {worker_id} sent a malformed DONE")
        if record.error is None and self.registry.is_open(record.run_id):
            for meta in record.objects:
                self.registry.register(meta)
        self._release_submitted(record.task_id)
        return self._settle(record)

    def _release_submitted(self, task_id: str) -> None:
        """A submitted task has its outcome: its ref holds the record, the driver is done with it."""
        if task_id in self._submitted:
            self._submitted.discard(task_id)
            del self._tasks[task_id]

    @staticmethod
    def _settle(record: TaskRecord) -> bool:
        """Mark a task finished; True when its operation's caller should wake."""
        record.done = True
        operation = record.operation
        operation.completed.append(record)
        if record.error is not None:
            operation.failures += 1
            return True
        return operation.wants_caller()

    def _on_failed(self, worker_id: str, message: Message) -> bool:
        record = self._tasks.get(message["task"])
        if record is None or record.done:
            return False
        record.error = _remote_error(worker_id, message)
        self._release_submitted(record.task_id)
        return self._settle(record)

    def _on_locate(self, worker_id: str, message: Message) -> None:
        run_id, oid = message["run"], message["oid"]
        meta = self.registry.find(run_id, oid) if run_id is not None else None
        sized = {"size": meta.size} if meta is not None else {}
        owner = meta.owner if meta is not None else None
        self._deliver([(worker_id, self._message("LOCATION", run=run_id, oid=oid, owner=owner, re=message["id"], **sized))])

    def _on_reply(self, worker_id: str, message: Message) -> None:
        header = message.header
        key: tuple
        if message.type in ("OBJECT", "NOT_FOUND"):
            key = ("fetch", worker_id, header["run"], header["oid"], header.get("item"), header.get("key"),
                   header.get("keys"))
        elif message.type in ("PROGRAM_READY", "NEED_SOURCE", "PROGRAM_FAILED"):
            self._on_program(worker_id, message)
            return
        elif message.type in ("PARTITION_READY", "PARTITION_FAILED"):
            key = ("partition", worker_id, header["graph"], header["part"], header["epoch"])
        else:
            key = ("stats", worker_id)
        reply = self._requests.get(key)
        if reply is None or reply.arrived:
            return
        reply.arrived = True
        if message.type == "NOT_FOUND":
            reply.error = GraphoidError(OBJECT_LOST, f"object '{header['oid']}' is not on worker {worker_id}")
        elif message.type == "PARTITION_FAILED":
            reply.error = _remote_error(worker_id, message)
        else:
            reply.value = message.payload

    def _on_program(self, worker_id: str, message: Message) -> None:
        bundle = message["bundle"]
        reply = self._programs.get((worker_id, bundle))
        if reply is None or reply.arrived:
            return
        if message.type == "NEED_SOURCE":
            if self._exporter is not None and self._exporter.bundle.hash == bundle:
                self._deliver([(worker_id, self._message("SOURCES", bundle=bundle,
                                                         payload=[pack_bundle(self._exporter.bundle)]))])
            return
        reply.arrived = True
        if message.type == "PROGRAM_FAILED":
            reply.error = _remote_error(worker_id, message)

    # ------------------------------------------------------------------------- programs and runs

    def load_program(self, interp: Interpreter) -> None:
        with self._state:
            exporter = FunctionExporter(interp)
            bundle = exporter.bundle.hash
            if self._exporter is not None and self._exporter.bundle.hash == bundle:
                return
            self._exporter = exporter
            exporter.actors = self.actor_wire
            self._table = None  # the new bundle's, made on first need (_decode)
            losses = self._losses()
            waiting = []
            for worker in self._live():
                reply = self._programs.get((worker, bundle))
                if reply is not None and reply.arrived and reply.error is None:
                    continue
                reply = self._programs[(worker, bundle)] = Reply(worker)
                waiting.append(reply)
                self._deliver([(worker, self._message("LOAD_PROGRAM", bundle=bundle))])
            self._wait_until(lambda: all(reply.arrived for reply in waiting), losses)
            for reply in waiting:
                if reply.error is not None:
                    self._programs.pop((reply.worker, bundle), None)
                    raise reply.error

    def _decode(self, data: bytes) -> Any:
        """A value from a worker; functions in it (a node's class-like value, say) are rebuilt
        from the program's own sources, as a worker builds them."""
        try:
            return decode(data)
        except NeedsFunctionTable:
            if self._exporter is None:
                raise
        if self._table is None:
            table = FunctionTable(Interpreter())
            table.load(self._exporter.bundle, self._exporter.bundle.hash)
            table.actors = self.actor_wire
            self._table = table
        return decode(data, functions=self._table)

    def _require_program(self) -> FunctionExporter:
        if self._exporter is None:
            raise GraphoidError("RuntimeError", "no program is loaded on the workers (load_program first)")
        return self._exporter

    def new_run(self, run_id: str | None = None) -> RunContext:
        if run_id is not None and (type(run_id) is not str or not run_id or len(run_id) > 128):
            raise GraphoidError("ValueError", "a run id is a non-empty string of at most 128 characters")
        with self._state:
            chosen = run_id if run_id is not None else new_run_id()
            self.registry.open_run(chosen)
            return RunContext(chosen)

    def end_run(self, _ctx: RunContext) -> None:
        with self._state:
            self.registry.end_run(_ctx.run_id)
            self._deliver([(worker, self._message("END_RUN", run=_ctx.run_id)) for worker in self._live()])

    def objects(self, _ctx: RunContext) -> list[ObjectMeta]:
        with self._state:
            return self.registry.objects(_ctx.run_id)

    def _context(self, ctx: RunContext | None) -> RunContext:
        if ctx is not None:
            if not self.registry.is_open(ctx.run_id):
                self.registry.objects(ctx.run_id)  # raises the RunError that names it
            return ctx
        if self._default_run is None:
            self._default_run = self.new_run()
        return self._default_run

    def _output(self, ctx: RunContext, output_name: str | None, prefix: str) -> str:
        if output_name is not None:
            if type(output_name) is not str or not output_name:
                raise GraphoidError("ValueError", "an output name is a non-empty string")
            return output_name
        return f"{prefix}{next(self._ids)}"

    # ------------------------------------------------------------------------- arguments

    def _argument(self, ctx: RunContext, value: Any, frames: list[bytes], exporter: FunctionExporter) -> Inline | Ref:
        """A value as a task argument: an ObjectMeta by reference, anything else encoded inline."""
        if isinstance(value, ObjectMeta):
            if value.run_id != ctx.run_id:
                raise GraphoidError("RunError", f"object '{value.oid}' belongs to run '{value.run_id}', not '{ctx.run_id}'")
            current = self.registry.locate(value.run_id, value.oid)
            return Ref(current.oid, current.owner)
        frames.append(encode(value, functions=exporter))
        return Inline(FIRST_VALUE_FRAME + len(frames) - 2)

    def _pick_worker(self, ctx: RunContext, args: Iterable[Inline | Ref], live: list[str]) -> str:
        """The worker holding the most argument bytes (seed 000-8), else the next in turn."""
        held: dict[str, int] = {}
        for arg in args:
            if type(arg) is Ref and arg.owner in live:
                meta = self.registry.find(ctx.run_id, arg.oid)
                held[arg.owner] = held.get(arg.owner, 0) + (meta.size if meta is not None else 0)  # type: ignore[index]
        if held:
            return max(live, key=lambda worker: held.get(worker, -1))
        worker = live[self._next_worker % len(live)]
        self._next_worker += 1
        return worker

    # ------------------------------------------------------------------------- executing tasks

    def _execute(self, planned: list[Planned], window: int, abandon_on_failure: Sequence[Planned] = ()) -> list[TaskRecord]:
        """Send the tasks (at most `window` in flight per worker; a task without a worker goes
        to the least busy one when it has room, so a faster worker takes more) and wait for
        them. After a failure nothing more is sent; once the tasks in flight settle (except
        those in `abandon_on_failure`, which cannot finish without the others) the failure
        first in submission order is raised: the one a sequential run would have met first."""
        losses = self._losses()
        operation = Operation()
        queues: dict[str | None, deque[tuple[Planned, TaskRecord]]] = {}
        records: list[TaskRecord] = []
        for order, task in enumerate(planned):
            task.task_id = f"t{next(self._ids)}"
            record = TaskRecord(task.task_id, task.run_id, task.worker, order, operation)
            self._tasks[task.task_id] = record
            records.append(record)
            queues.setdefault(task.worker, deque()).append((task, record))
        abandoned = {task.task_id for task in abandon_on_failure}
        in_flight = dict.fromkeys(self._live(self.parallelism.max_workers), 0)
        for worker in queues:
            if worker is not None:
                in_flight.setdefault(worker, 0)
        finished = 0
        try:
            while True:
                for record in operation.completed:
                    in_flight[record.worker] -= 1  # type: ignore[index]
                finished += len(operation.completed)
                operation.completed.clear()
                if operation.failures:
                    if all(record.done or not record.sent or record.task_id in abandoned for record in records):
                        break
                else:
                    if finished == len(records):
                        break
                    self._send_some(queues, in_flight, window)
                # Half the tasks in flight: the other half keeps the workers busy meanwhile; in
                # the tail (held back by _send_some) the first worker to free up takes the next.
                tail = len(in_flight) > 1 and 0 < len(queues.get(None, ())) <= len(in_flight)
                operation.wake_at = 1 if operation.failures or tail else max(1, sum(in_flight.values()) // 2)
                self._wait_until(operation.wants_caller, losses)
        finally:
            for record in records:
                self._tasks.pop(record.task_id, None)
        if operation.failures:
            failed = [record for record in records if record.error is not None]
            raise min(failed, key=lambda record: record.order).error  # type: ignore[misc]
        return records

    def _send_some(self, queues: dict[str | None, deque[tuple[Planned, TaskRecord]]], in_flight: dict[str, int],
                   window: int) -> None:
        chosen: dict[str, list[Planned]] = {}

        def take(worker: str, queue: deque[tuple[Planned, TaskRecord]]) -> None:
            task, record = queue.popleft()
            task.worker = record.worker = worker
            record.sent = True
            in_flight[worker] += 1
            chosen.setdefault(worker, []).append(task)

        for worker, queue in queues.items():
            if worker is not None:
                while queue and in_flight[worker] < window:
                    take(worker, queue)
        anywhere = queues.get(None)
        live = [worker for worker in in_flight if worker not in self._lost]
        while anywhere and live:  # none live: the wait that follows reports the loss
            worker = min(live, key=in_flight.__getitem__)
            if in_flight[worker] >= window:
                break
            if in_flight[worker] and 1 < len(live) and len(anywhere) <= len(live):
                # The tail: queued behind a busy worker's task, the last chunks could wait there
                # while another worker idles; they go to whichever worker frees up first.
                break
            take(worker, anywhere)
        batch: list[Outbound] = []
        for worker, tasks in chosen.items():
            for start in range(0, len(tasks), TASKS_PER_MESSAGE):
                batch.append((worker, self._submit_message(tasks[start:start + TASKS_PER_MESSAGE])))
        if batch:
            self._deliver(batch)

    def _submit_message(self, tasks: list[Planned]) -> Message:
        """One task's SUBMIT, or a SUBMIT_MANY (the tasks of an operation share one run)."""
        if len(tasks) == 1:
            (task,) = tasks
            spec = task.spec if task.out is None else with_output(task.spec, task.out)
            return self._message("SUBMIT", run=task.run_id, task=task.task_id, payload=[pack_spec(spec), *task.frames])
        frames: list[bytes] = []  # big frames, one zmq frame each
        small: list[bytes] = []  # packed into one frame (they follow `frames` in the numbering)
        # id(spec or frame) -> its number (small ones: -1 - position): a spec or frame shared by
        # tasks (a map's spec, its function) is packed and sent once
        numbers: dict[int, int] = {}
        index = []
        for task in tasks:
            spec_number = numbers.get(id(task.spec))
            if spec_number is None:
                spec_number = numbers[id(task.spec)] = _place(pack_spec(task.spec), frames, small)
            own = [spec_number]
            for frame in task.frames:
                number = numbers.get(id(frame))
                if number is None:
                    number = numbers[id(frame)] = _place(frame, frames, small)
                own.append(number)
            index.append([task.task_id, own] if task.out is None else [task.task_id, own, task.out])
        if not small:
            return self._message("SUBMIT_MANY", run=tasks[0].run_id, payload=[msgpack.packb(index), *frames])
        big = len(frames)
        for entry in index:
            entry[1] = [number if number >= 0 else big - 1 - number for number in entry[1]]
        return self._message("SUBMIT_MANY", run=tasks[0].run_id, packed=len(small),
                             payload=[msgpack.packb(index), *frames, msgpack.packb(small, use_bin_type=True)])

    def _window(self, level: str, tasks: int = MAX_IN_FLIGHT, workers: int = 1) -> int:
        """Tasks in flight per worker: one when `sequential`; else enough to hide the round
        trip, yet few enough that an operation of a few big tasks is balanced at run time."""
        if level != PARALLEL:
            return 1
        return max(2, min(MAX_IN_FLIGHT, tasks // (workers * CHUNKS_PER_WORKER)))

    # ------------------------------------------------------------------------- run and map

    def run(self, fn: Any, inputs: Mapping[int | str, Any], output_name: str | None = None,
            _ctx: RunContext | None = None) -> ObjectMeta:
        with self._state:
            (record,) = self._execute([self._plan_call(fn, inputs, output_name, _ctx)], 1)
            return record.objects[0]

    def _plan_call(self, fn: Any, inputs: Mapping[int | str, Any], output_name: str | None,
                   ctx: RunContext | None) -> Planned:
        """A CALL task on the worker holding the most argument bytes; refs nested in lists and
        maps become extra arguments the worker puts in their places (tasks.py `fills`)."""
        ctx = self._context(ctx)
        exporter = self._require_program()
        out = self._output(ctx, output_name, "call-")
        slots, values = _slots(inputs)
        frames = [encode(fn, functions=exporter)]
        nested: list[list[tuple[tuple[int, ...], ObjectMeta]]] = [[] for _ in values]
        templates = [_without_refs(value, (), found) for value, found in zip(values, nested)]
        args = [self._argument(ctx, value, frames, exporter) for value in templates]
        fills = []
        for index, found in enumerate(nested):
            for path, meta in found:
                fills.append((index, path, len(args)))
                args.append(self._argument(ctx, meta, frames, exporter))
        worker = self._pick_worker(ctx, args, self._live(self.parallelism.max_workers))
        spec = TaskSpec(CALL, exporter.bundle.hash, out, tuple(args), slots, fills=tuple(fills))
        return Planned(worker, ctx.run_id, spec, frames)

    # ------------------------------------------------------------------------- submitted tasks (non-blocking)

    def submit(self, fn: Any, inputs: Mapping[int | str, Any], output_name: str | None = None,
               _ctx: RunContext | None = None) -> TaskRecord:
        with self._state:
            task = self._plan_call(fn, inputs, output_name, _ctx)
            task.task_id = f"t{next(self._ids)}"
            record = TaskRecord(task.task_id, task.run_id, task.worker, 0, Operation(), sent=True, out=task.spec.out)
            self._tasks[task.task_id] = record
            self._submitted.add(task.task_id)
            assert task.worker is not None
            self._deliver([(task.worker, self._submit_message([task]))])
            return record

    def wait_tasks(self, tasks: Sequence[TaskRecord], count: int, timeout: float | None) -> None:
        with self._state:
            deadline = None if timeout is None else time.monotonic() + timeout

            def ready() -> bool:
                if sum(1 for record in tasks if record.done) >= count:
                    return True
                return deadline is not None and time.monotonic() >= deadline

            self._wait_until(ready, self._losses())

    def _fail_submitted_on(self, worker_id: str, why: str) -> None:
        """Tasks submitted to a worker that is gone fail with its loss (their waiters wake)."""
        for task_id in list(self._submitted):
            record = self._tasks.get(task_id)
            if record is not None and not record.done and record.worker == worker_id:
                record.error = GraphoidError(WORKER_LOST, why)
                self._release_submitted(task_id)
                self._settle(record)

    def map(self, fn: Any, inputs: Mapping[int | str, Any], map_over: str | int | Sequence[str | int],
            output_name: str | None = None, _ctx: RunContext | None = None,
            chunk_size: int | None = None) -> MapResult:
        # An unchunked map keeps a record, an object's metadata and a chunk per item alive until
        # it returns: no collector passes meanwhile (each full one walks the program's whole heap).
        paused = pause_gc()
        try:
            return self._map(fn, inputs, map_over, output_name, _ctx, chunk_size)
        finally:
            resume_gc(paused)

    def _map(self, fn: Any, inputs: Mapping[int | str, Any], map_over: str | int | Sequence[str | int],
             output_name: str | None, _ctx: RunContext | None, chunk_size: int | None) -> MapResult:
        with self._state:
            ctx = self._context(_ctx)
            exporter = self._require_program()
            base = self._output(ctx, output_name, "map-")
            mapped = [map_over] if isinstance(map_over, (str, int)) else list(map_over)
            rows = _rows(inputs, mapped)
            constants = {key: value for key, value in inputs.items() if key not in mapped}
            const_slots, const_values = _slots(constants, check=False)
            _check_positions([*mapped, *const_slots])
            live = self._live(self.parallelism.max_workers)
            size = _chunk_size(chunk_size, len(rows), len(live))
            fn_frame = encode(fn, functions=exporter)
            const_frames: list[bytes] = [fn_frame]
            const_args = tuple(self._argument(ctx, value, const_frames, exporter) for value in const_values)
            # One spec for every chunk (the items are the frame after the constants), each
            # chunk's output id beside it: the spec is packed once per SUBMIT_MANY, not per chunk.
            items = Inline(FIRST_VALUE_FRAME + len(const_frames) - 1)
            spec = TaskSpec(MAP_CHUNK, exporter.bundle.hash, "", (items, *const_args), const_slots, tuple(mapped))
            # a chunk as a plain list slice: it encodes as a new GList does (no rules, not frozen)
            item_frames = encode_each((rows[start:start + size] for start in range(0, len(rows), size)),
                                      functions=exporter)
            planned = [Planned(None, ctx.run_id, spec, [*const_frames, frame], out=f"{base}-{number}")
                       for number, frame in enumerate(item_frames)]
            records = self._execute(planned, self._window(self.parallelism.maps, len(planned), len(live)))
            chunks = tuple(
                MapChunk(record.objects[0], start, min(size, len(rows) - start))
                for record, start in zip(records, range(0, len(rows), size))
            )
            return MapResult(ctx.run_id, chunks)

    # ------------------------------------------------------------------------- distributed graphs

    def place_graph(self, name: str, graph: Graph, partitioning: Partitioning) -> GraphPlacement:
        with self._state:
            exporter = self._require_program()
            live = self._live()
            try:
                current = self.partitions.get(name)
            except GraphoidError:
                current = None
            epoch = current.epoch + 1 if current is not None else 0
            owners = tuple(live[index % len(live)] for index in range(partitioning.count))
            losses = self._losses()
            keys = [("partition", owner, name, index, epoch) for index, owner in enumerate(owners)]
            replies = [self._reply_for(key, key[1]) for key in keys]
            try:
                self._stream_partitions(name, epoch, owners, graph, partitioning, exporter)
                self._wait_until(lambda: all(reply.arrived for reply in replies), losses)
            finally:
                for key in keys:
                    self._requests.pop(key, None)
            for reply in replies:
                if reply.error is not None:
                    raise reply.error
            placement = GraphPlacement(name, partitioning, owners, epoch)
            self.partitions.place(placement)
            return placement

    def _stream_partitions(self, name: str, epoch: int, owners: tuple[str, ...], graph: Graph,
                           partitioning: Partitioning, exporter: FunctionExporter) -> None:
        """LOAD_PARTITION to every owner, then the partitions' chunks round-robin (so every
        worker builds while the next chunks are encoded); on an encoding error the workers
        are told to drop what they received."""
        # reading a big graph makes millions of short-lived objects: no collector passes
        # meanwhile (each would hold the interpreter lock for seconds)
        paused = pause_gc()
        try:
            stream = PlacementStream(graph, partitioning, exporter)
            header = stream.header()
            self._deliver([(owner, self._message("LOAD_PARTITION", graph=name, part=index, epoch=epoch, payload=header))
                           for index, owner in enumerate(owners)])
            streams = [(index, owner, enumerate(stream.chunks(index))) for index, owner in enumerate(owners)]
            try:
                while streams:
                    batch: list[Outbound] = []
                    for entry in list(streams):
                        index, owner, chunks = entry
                        number, (kind, frames) = next(chunks, (None, (None, None)))
                        if number is None:
                            streams.remove(entry)
                            continue
                        batch.append((owner, self._message("PARTITION_CHUNK", graph=name, part=index, epoch=epoch,
                                                           chunk=number, kind=kind, payload=frames)))
                    self._deliver(batch)
            except BaseException:
                self._deliver([(owner, self._message("PARTITION_CHUNK", graph=name, part=index, epoch=epoch, chunk=0,
                                                     kind=ABORT)) for index, owner, _ in streams])
                raise
        finally:
            resume_gc(paused)

    def drop_graph(self, name: str) -> None:
        with self._state:
            placement = self.partitions.drop(name)
            self._deliver([(worker, self._message("DROP_GRAPH", graph=name))
                           for worker in sorted(set(placement.owners)) if worker not in self._lost])

    def placement(self, name: str) -> GraphPlacement:
        with self._state:
            return self.partitions.get(name)

    def _partition_tasks(self, kind: str, name: str, fn: Any, ctx: RunContext, base: str,
                         args: Sequence[Any] = ()) -> list[Planned]:
        exporter = self._require_program()
        placement = self.partitions.get(name)
        fn_frame = encode(fn, functions=exporter)
        planned = []
        for index, owner in enumerate(placement.owners):
            if owner in self._lost:
                raise GraphoidError(WORKER_LOST, f"partition {index} of graph '{name}' was lost with worker {owner}")
            frames = [fn_frame]
            refs = tuple(self._argument(ctx, value, frames, exporter) for value in args)
            spec = TaskSpec(kind, exporter.bundle.hash, f"{base}-p{index}", refs, graph=name, part=index)
            planned.append(Planned(owner, ctx.run_id, spec, frames))
        return planned

    def partition_map(self, name: str, fn: Any, output_name: str | None = None,
                      _ctx: RunContext | None = None) -> PartitionResults:
        with self._state:
            ctx = self._context(_ctx)
            base = self._output(ctx, output_name, "pmap-")
            records = self._execute(self._partition_tasks(PARTITION_MAP, name, fn, ctx, base),
                                    self._window(self.parallelism.nodes))
            return PartitionResults(ctx.run_id, name, tuple(record.objects[0] for record in records))

    def partition_query(self, name: str, fn: Any, _ctx: RunContext | None = None) -> PartitionResults:
        with self._state:
            ctx = self._context(_ctx)
            base = self._output(ctx, None, "query-")
            records = self._execute(self._partition_tasks(PARTITION_QUERY, name, fn, ctx, base),
                                    self._window(self.parallelism.nodes))
            return PartitionResults(ctx.run_id, name, tuple(record.objects[0] for record in records))

    def partition_reduce(self, name: str, init: Any, fn: Any, combine: Any = None,
                         _ctx: RunContext | None = None) -> ObjectMeta:
        with self._state:
            ctx = self._context(_ctx)
            base = self._output(ctx, None, "reduce-")
            if combine is not None:
                planned = self._partition_tasks(PARTITION_REDUCE, name, fn, ctx, base, [init])
                partials = [record.objects[0] for record in
                            self._execute(planned, self._window(self.parallelism.nodes))]
                return self.run_fold(ctx, combine, partials, f"{base}-combined")
            # the fold visits the nodes in ascending id order: the accumulator goes to each run
            # of consecutive ids that one partition owns (one run per partition for :range)
            acc: Any = init
            tasks = self._partition_tasks(PARTITION_REDUCE, name, fn, ctx, base, [init])
            for step, (part, first, last) in enumerate(self._id_runs(name)):
                task = tasks[part]
                exporter = self._require_program()
                frames = task.frames[:1]
                args = tuple(self._argument(ctx, value, frames, exporter) for value in (acc, first, last))
                spec = attrs.evolve(task.spec, args=args, out=f"{task.spec.out}-{step}")
                (record,) = self._execute([Planned(task.worker, ctx.run_id, spec, frames)], 1)
                acc = record.objects[0]
            if not isinstance(acc, ObjectMeta):  # a graph without nodes: partition 0 folds nothing
                (record,) = self._execute(tasks[:1], 1)
                acc = record.objects[0]
            return acc

    def _id_runs(self, name: str) -> list[tuple[int, str, str]]:
        """(partition, first id, last id) for each maximal run of consecutive ids (in ascending
        order) that one partition owns."""
        placement = self.partitions.get(name)
        owned = self._read_parts(placement, range(placement.partitioning.count), "nodes", ())
        ids = sorted((node_id, part) for part, part_ids in enumerate(owned) for node_id in part_ids)
        runs: list[tuple[int, str, str]] = []
        for node_id, part in ids:
            if runs and runs[-1][0] == part:
                runs[-1] = (part, runs[-1][1], node_id)
            else:
                runs.append((part, node_id, node_id))
        return runs

    def run_fold(self, ctx: RunContext, fn: Any, partials: Sequence[ObjectMeta], out: str) -> ObjectMeta:
        """fn folded over objects in order, on the worker holding the first one."""
        exporter = self._require_program()
        frames = [encode(fn, functions=exporter)]
        args = tuple(self._argument(ctx, meta, frames, exporter) for meta in partials)
        spec = TaskSpec(FOLD, exporter.bundle.hash, out, args)
        (record,) = self._execute([Planned(partials[0].owner, ctx.run_id, spec, frames)], 1)
        return record.objects[0]

    def map_reduce(self, source: str | Sequence[Any] | StoredValues, map_fn: Any, reduce_fn: Any,
                   _ctx: RunContext | None = None) -> ShuffleResult:
        with self._state:
            ctx = self._context(_ctx)
            exporter = self._require_program()
            base = self._output(ctx, None, "shuffle-")
            reducers = tuple(self._live(self.parallelism.max_workers))
            map_frame = encode(map_fn, functions=exporter)
            sources: list[Planned] = []
            if isinstance(source, str):
                for task in self._partition_tasks(SHUFFLE_MAP, source, map_fn, ctx, base):
                    task.spec = attrs.evolve(task.spec, shuffle=base, source=task.spec.part, reducers=reducers)
                    sources.append(task)
            elif isinstance(source, StoredValues):
                for number, meta in enumerate(source.objects):
                    task = self._value_task(ctx, SHUFFLE_MAP, source.shape, map_frame, "", (meta,))
                    task.spec = attrs.evolve(task.spec, shuffle=base, source=number, reducers=reducers)
                    sources.append(task)
            else:
                items = list(source)
                size = _chunk_size(None, len(items), len(reducers))
                for number, start in enumerate(range(0, len(items), size)):
                    frames = [map_frame, encode(GList(items[start:start + size]), functions=exporter)]
                    spec = TaskSpec(SHUFFLE_MAP, exporter.bundle.hash, "", (Inline(FIRST_VALUE_FRAME),),
                                    shuffle=base, source=number, reducers=reducers)
                    sources.append(Planned(reducers[number % len(reducers)], ctx.run_id, spec, frames))
            reduce_frame = encode(reduce_fn, functions=exporter)
            reduces = [
                Planned(worker, ctx.run_id, TaskSpec(SHUFFLE_REDUCE, exporter.bundle.hash, f"{base}-r{index}",
                                                     shuffle=base, part=index, sources=len(sources)), [reduce_frame])
                for index, worker in enumerate(reducers)
            ]
            records = self._execute([*reduces, *sources], MAX_IN_FLIGHT, abandon_on_failure=reduces)
            return ShuffleResult(ctx.run_id, tuple(record.objects[0] for record in records[:len(reduces)]))

    # ------------------------------------------------------------------------- results used in place

    def _value_task(self, ctx: RunContext, kind: str, shape: str, fn_frame: bytes, out: str,
                    args: Sequence[Any]) -> Planned:
        """A task over the result object among `args`, sent to the worker holding it."""
        exporter = self._require_program()
        frames = [fn_frame]
        refs = tuple(self._argument(ctx, value, frames, exporter) for value in args)
        holder = next(ref.owner for ref in refs if type(ref) is Ref and ref.owner is not None)
        return Planned(holder, ctx.run_id, TaskSpec(kind, exporter.bundle.hash, out, refs, shape=shape), frames)

    def map_values(self, values: StoredValues, fn: Any, _ctx: RunContext | None = None) -> StoredValues:
        with self._state:
            ctx = self._context(_ctx)
            fn_frame = encode(fn, functions=self._require_program())
            base = self._output(ctx, None, "mapv-")
            planned = [self._value_task(ctx, MAP_VALUES, values.shape, fn_frame, f"{base}-{number}", (meta,))
                       for number, meta in enumerate(values.objects)]
            window = self._window(self.parallelism.maps, len(planned), len(self._live()))
            return StoredValues(values.shape, tuple(record.objects[0] for record in self._execute(planned, window)))

    def fold_values(self, values: StoredValues, init: Any, fn: Any, combine: Any = None,
                    _ctx: RunContext | None = None) -> ObjectMeta | None:
        with self._state:
            ctx = self._context(_ctx)
            fn_frame = encode(fn, functions=self._require_program())
            base = self._output(ctx, None, "foldv-")
            if combine is not None:
                planned = [self._value_task(ctx, FOLD_VALUES, values.shape, fn_frame, f"{base}-{number}", (init, meta))
                           for number, meta in enumerate(values.objects)]
                partials = [record.objects[0] for record in
                            self._execute(planned, self._window(self.parallelism.nodes))]
                return self.run_fold(ctx, combine, partials, f"{base}-combined") if partials else None
            acc: Any = init
            for step, (index, bounds) in enumerate(self._key_runs(values)):
                args = (acc, values.objects[index], *bounds)
                (record,) = self._execute([self._value_task(ctx, FOLD_VALUES, values.shape, fn_frame,
                                                            f"{base}-{step}", args)], 1)
                acc = record.objects[0]
            return acc if isinstance(acc, ObjectMeta) else None

    def _key_runs(self, values: StoredValues) -> list[tuple[int, tuple[int, int] | tuple[()]]]:
        """(object index, (start, stop) positions in its key order, or () for all of it) for each
        maximal run of consecutive keys, in key order, that one object holds. Item chunks are in
        order already; otherwise the keys (never the values) come to the driver."""
        if values.shape == ITEMS:
            return [(index, ()) for index in range(len(values.objects))]
        keyed = sorted(
            (key_order(key), index, position)
            for index, meta in enumerate(values.objects)
            for position, key in enumerate(self.fetch(meta, keys=values.shape))
        )
        runs: list[tuple[int, tuple[int, int] | tuple[()]]] = []
        for _, index, position in keyed:
            if runs and runs[-1][0] == index:
                runs[-1] = (index, (runs[-1][1][0], position + 1))  # type: ignore[misc]
            else:
                runs.append((index, (position, position + 1)))
        return runs

    # ------------------------------------------------------------------------- data

    def fetch(self, meta: ObjectMeta, item: int | None = None, key: str | None = None,
              keys: str | None = None) -> Any:
        with self._state:
            current = self.registry.locate(meta.run_id, meta.oid)
            request = ("fetch", current.owner, meta.run_id, meta.oid, item, key, keys)
            losses = self._losses()
            reply = self._requests.get(request)
            mine = reply is None
            if reply is None:  # else the same fetch is on its way for another thread: share it
                reply = self._requests[request] = Reply(current.owner)
                selection = {name: value for name, value in (("item", item), ("key", key), ("keys", keys))
                             if value is not None}
                self._deliver([(current.owner, self._message("FETCH", run=meta.run_id, oid=meta.oid, **selection))])
            try:
                self._wait_until(lambda: reply.arrived, losses)
            finally:
                if mine:
                    self._requests.pop(request, None)
            if reply.error is not None:
                raise reply.error
            data = reply.value[0] if reply.value else b""
            self.fetched_bytes += len(data)
            try:
                return self._decode(data)
            except CodecError as error:
                raise GraphoidError(error.kind, f"cannot bring object '{meta.oid}' to the driver: {error.message}") from None

    def free(self, metas: Sequence[ObjectMeta]) -> None:
        with self._state:
            by_owner: dict[tuple[str, str], list[str]] = {}
            for meta in metas:
                for gone in self.registry.free(meta.run_id, [meta.oid]):
                    by_owner.setdefault((gone.owner, gone.run_id), []).append(gone.oid)
            self._deliver([
                (owner, self._message("FREE", run=run_id, oids=oids))
                for (owner, run_id), oids in by_owner.items() if owner not in self._lost
            ])

    def stats(self) -> dict[str, dict[str, int]]:
        with self._state:
            losses = self._losses()
            live = self._live()
            replies = {worker: Reply(worker) for worker in live}
            for worker, reply in replies.items():
                self._requests[("stats", worker)] = reply
            try:
                self._deliver([(worker, self._message("STATS")) for worker in live])
                self._wait_until(lambda: all(reply.arrived for reply in replies.values()), losses)
            finally:
                for worker in live:
                    self._requests.pop(("stats", worker), None)
            return {worker: _counters(reply.value) for worker, reply in replies.items()}


# ----------------------------------------------------------------------------- helpers


_RECEIVERS: dict[str, Callable[[MessageDriver, str, Message], None]] = {
    "DONE": MessageDriver._on_done,
    "DONE_MANY": MessageDriver._on_done_many,
    "FAILED": MessageDriver._on_failed,
    "LOCATE": MessageDriver._on_locate,
    "OBJECT": MessageDriver._on_reply,
    "NOT_FOUND": MessageDriver._on_reply,
    "PROGRAM_READY": MessageDriver._on_reply,
    "NEED_SOURCE": MessageDriver._on_reply,
    "PROGRAM_FAILED": MessageDriver._on_reply,
    "PARTITION_READY": MessageDriver._on_reply,
    "PARTITION_FAILED": MessageDriver._on_reply,
    "STATS_REPLY": MessageDriver._on_reply,
    "STEP_DONE": MessageDriver._on_step_done,
    # topology changes inside on_message (executor/messaging.py)
    "RESHAPED": MessageDriver._on_reshaped,
    "READ_REPLY": MessageDriver._on_read_reply,
    "BEHAVIOR_READY": MessageDriver._on_read_reply,
    # load_edges and the graph store (executor/loading.py)
    "SAVED": MessageDriver._on_saved,
    # actors on workers (executor/actors.py): answers matched by question number
    "ACTOR_READY": MessageDriver._on_read_reply,
}
# What the driver accepts from workers (the cluster registers a coordinator handler for each).
DRIVER_MESSAGE_TYPES = tuple(_RECEIVERS)


def _place(frame: bytes, frames: list[bytes], small: list[bytes]) -> int:
    """A SUBMIT_MANY frame's provisional number: its position among the big frames, or
    -1 - its position among the small ones packed together."""
    if len(frame) <= SMALL_FRAME_BYTES:
        small.append(frame)
        return -len(small)
    frames.append(frame)
    return len(frames) - 1


def _remote_error(worker_id: str, message: Message) -> GraphoidError:
    """The error a worker reported, as the driver raises it; `raised_on` names the worker, so a
    caller can tell an error in user code on a worker from its own (refs.py defers those to await)."""
    try:
        error = decode(message.payload[0]) if message.payload else None
    except CodecError:
        error = None
    if not isinstance(error, GraphoidError):
        error = GraphoidError("RemoteError", f"worker {worker_id} failed without a readable error")
    else:
        error.hint = f"raised on worker {worker_id}" + (f"; {error.hint}" if error.hint else "")
    error.raised_on = worker_id  # type: ignore[attr-defined]
    return error


def _describe_loss(worker_id: str, reason: str, objects: list[ObjectMeta], parts: list[tuple[str, int]]) -> str:
    lost = []
    if objects:
        shown = ", ".join(meta.oid for meta in objects[:5]) + (", ..." if len(objects) > 5 else "")
        lost.append(f"{len(objects)} object{'s' if len(objects) != 1 else ''} ({shown})")
    for name in sorted({name for name, _ in parts}):
        indexes = ", ".join(str(index) for graph, index in parts if graph == name)
        lost.append(f"partition{'s' if ',' in indexes else ''} {indexes} of graph '{name}'")
    return f"worker {worker_id} {reason}" + (f"; lost {' and '.join(lost)}" if lost else "")


def _slots(inputs: Mapping[int | str, Any], check: bool = True) -> tuple[tuple[Slot, ...], list[Any]]:
    slots: list[Slot] = []
    values: list[Any] = []
    for key, value in inputs.items():
        if type(key) is not int and type(key) is not str:
            raise GraphoidError("TypeError", f"an input is named by a position or a string, not {key!r}")
        slots.append(key)
        values.append(value)
    if check:
        _check_positions(slots)
    return tuple(slots), values


def _check_positions(slots: Iterable[Slot]) -> None:
    positions = sorted(slot for slot in slots if type(slot) is int)
    if positions != list(range(len(positions))):
        raise GraphoidError("ValueError", f"positional inputs must be 0..n-1, got {positions}")


def _rows(inputs: Mapping[int | str, Any], mapped: list[int | str]) -> list[Any]:
    """The map's items: the value of the one mapped input, or lists zipping several."""
    if not mapped:
        raise GraphoidError("ValueError", "map_over names no input")
    columns = []
    for name in mapped:
        if name not in inputs:
            raise GraphoidError("KeyError", f"map_over names '{name}', which is not an input")
        column = inputs[name]
        if not isinstance(column, (list, tuple)):
            raise GraphoidError("TypeError", f"input '{name}' is mapped over, so it must be a list")
        columns.append(column)
    if len({len(column) for column in columns}) > 1:
        raise GraphoidError("ValueError", "inputs mapped together must have the same length")
    if len(columns) == 1:
        return list(columns[0])
    return [GList(row) for row in zip(*columns)]


def _without_refs(value: Any, path: tuple[int, ...], found: list[tuple[tuple[int, ...], ObjectMeta]]) -> Any:
    """`value` with each ObjectMeta nested in its lists and maps replaced by none (reported with
    its path: list index or map entry position per level); `value` itself when it holds none."""
    if isinstance(value, list):
        items: Iterable[Any] = value
    elif isinstance(value, dict):
        items = value.values()
    else:
        return value
    if not any(issubclass(kind, _NESTED) for kind in set(map(type, items))):
        return value  # plain values only (the common case), told apart at C speed
    changed: dict[int, Any] = {}
    for index, item in enumerate(items):
        if isinstance(item, _NESTED):
            if isinstance(item, ObjectMeta):
                found.append(((*path, index), item))
                changed[index] = None
            else:
                new = _without_refs(item, (*path, index), found)
                if new is not item:
                    changed[index] = new
    return _replaced(value, changed) if changed else value


_NESTED = (list, dict, ObjectMeta)


def _replaced(container: Any, changed: dict[int, Any]) -> Any:
    """A copy of a list or map with the items at these positions replaced."""
    if isinstance(container, list):
        copy = GList(container)
        for index, new in changed.items():
            copy[index] = new
        return copy
    keys = list(container)
    entries = GMap(container)
    for index, new in changed.items():
        entries[keys[index]] = new
    return entries


def _chunk_size(requested: int | None, items: int, workers: int) -> int:
    if requested is None:
        return max(1, math.ceil(items / (workers * CHUNKS_PER_WORKER)))
    if type(requested) is not int or requested < 1:
        raise GraphoidError("ValueError", "chunk size must be a positive whole number")
    return requested


def _counters(payload: Any) -> dict[str, int]:
    try:
        counters = msgpack.unpackb(payload[0], raw=False)
    except Exception:  # a malformed reply: report nothing rather than fail the caller
        return {}
    return {key: value for key, value in counters.items() if type(key) is str and type(value) is int}
