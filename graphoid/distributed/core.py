"""The worker's logic as a state machine: messages in, messages out; no sockets, no threads.

`WorkerCore(worker_id, make_interpreter).handle(message) -> [Outgoing(to, message)]`, where
`to` is COORDINATOR or a peer's worker id. worker.py moves these messages over ZeroMQ; the
in-process executor moves the same bytes through queues; tests call `handle` directly.

What it holds: a compiled program per bundle hash (each in its own Interpreter: a worker is a
whole interpreter; the bundle's top-level statements never run), the ObjectStore (results, kept
here) and the ArgCache (arguments fetched from peers), the partitions placed on it, and tasks
waiting for remote arguments. A Ref argument is resolved in this order (seed 000-2): the local
store, the cache, then FETCH from the owner named in the ref (or LOCATE at the coordinator when
the ref names none), then the cache is filled. A waiting task does not block anything: other
messages (a peer's FETCH, another run's task) are handled meanwhile.

The handler table is per instance and open: `core.handlers["STEP_BEGIN"] = fn(message)`; a
handler appends to `core.out` through `core.send(to, type, ...)`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
import itertools

import logging
from typing import Any, Callable, Iterable, Sequence

import attrs
import msgpack

from graphoid.compiler.names import mangle
from graphoid.distributed.actors import ActorHost, ActorWire, WorkerActors
from graphoid.distributed.codec import CodecError, decode, encode
from graphoid.distributed.entries import check_shape, map_values, ordered_keys, ordered_values
from graphoid.distributed.ids import stable_hash
from graphoid.distributed.matching import PatternSteps
from graphoid.distributed.mutations import Mutations
from graphoid.distributed.partition import Partition
from graphoid.distributed.program import FunctionExporter, FunctionTable, ProgramBundle
from graphoid.distributed.protocol import Message
from graphoid.distributed.registry import OBJECT_LOST, RUN_ERROR
from graphoid.distributed.shipping import LoadedPartition, unpack_bundle
from graphoid.distributed.store import ArgCache, ObjectStore, StoreCounters
from graphoid.distributed.tasks import (
    CALL, FIRST_VALUE_FRAME, FOLD, FOLD_VALUES, FUNCTION_FRAME, MAP_CHUNK, MAP_VALUES, PARTITION_MAP, PARTITION_QUERY,
    PARTITION_REDUCE, SHUFFLE_MAP, SHUFFLE_REDUCE, Inline, Ref, Slot, TaskSpec, TaskSpecError, unpack_spec,
    with_output,
)
from graphoid.distributed.supersteps import Supersteps
from graphoid.distributed.loading import GraphLoading
from graphoid.distributed.placing import PartitionPlacing
from graphoid.distributed.views import NodeView, PartitionView, plain_result
from graphoid.errors import GraphoidError
from graphoid.runtime.interpreter import Interpreter
from graphoid.values.format import equals, type_name
from graphoid.values.pyerrors import to_graphoid_error
from graphoid.values.types import GList, GMap

LOGGER = logging.getLogger("graphoid.distributed")

# The coordinator's node id (coordinator.COORDINATOR_ID; this module stays free of sockets).
COORDINATOR = "coordinator"
_PASS_THROUGH = (KeyboardInterrupt, SystemExit, GeneratorExit)

CoreHandler = Callable[[Message], None]


@attrs.frozen(slots=True)
class Outgoing:
    """A message for the coordinator (`to` == COORDINATOR) or for peer worker `to`."""

    to: str
    message: Message


@attrs.define(slots=True)
class CoreStats:
    """Counters a worker reports in STATS_REPLY (the partition engine adds its supersteps)."""

    tasks_run: int = 0
    tasks_failed: int = 0
    messages_sent: int = 0
    bytes_sent: int = 0
    supersteps: int = 0


class Program:
    """One bundle, compiled in its own interpreter, and the functions decoded for each run."""

    def __init__(self, bundle: ProgramBundle, interp: Interpreter, actors: ActorHost) -> None:
        self.bundle = bundle
        self.interp = interp
        self.table = FunctionTable(interp)
        self.table.load(bundle, bundle.hash)
        # actor handles in this program's values send through the worker's ActorHost
        self.wire = ActorWire(actors, self.encode, self.decode)
        self.table.actors = self.wire
        self._exporter: FunctionExporter | None = None
        # run id -> {encoded function: function}: a map's chunks share one materialised function.
        self.functions: dict[str, dict[bytes, Any]] = {}

    @property
    def exporter(self) -> FunctionExporter:
        """Encodes results that hold functions (made on first need: it indexes the builtins)."""
        if self._exporter is None:
            self._exporter = FunctionExporter(self.interp, self.bundle)
            self._exporter.actors = self.wire
        return self._exporter

    def function(self, run_id: str, data: bytes) -> Any:
        per_run = self.functions.setdefault(run_id, {})
        fn = per_run.get(data)
        if fn is None:
            fn = per_run[data] = decode(data, functions=self.table)
            if not callable(fn):
                raise GraphoidError("TypeError", f"a task needs a function, got {type_name(fn)}")
        return fn

    def encode(self, value: Any) -> bytes:
        return encode(value, functions=self.exporter)

    def decode(self, data: bytes) -> Any:
        return decode(data, functions=self.table)


@attrs.define(eq=False)
class Task:
    """A task whose spec is read; `missing` are Ref arguments still on their way."""

    run_id: str
    task_id: str
    spec: TaskSpec
    payload: tuple[bytes, ...]
    program: Program
    missing: set[str] = attrs.field(factory=set)
    fetched: dict[str, Any] = attrs.field(factory=dict)


@attrs.define(eq=False)
class ShuffleBucket:
    """One reducer's share of a map_reduce: pushes by source, and its reduce task once sent."""

    pushes: dict[int, bytes] = attrs.field(factory=dict)
    task: Task | None = None


class TaskFailure(Exception):
    """Ends a task with FAILED (`retry`: the cause was data movement, not the user's code)."""

    def __init__(self, error: GraphoidError, retry: bool = False) -> None:
        super().__init__(error.message)
        self.error = error
        self.retry = retry


def _lost(run_id: str, oid: str, why: str) -> TaskFailure:
    return TaskFailure(GraphoidError(OBJECT_LOST, f"object '{oid}' of run '{run_id}' {why}"), retry=True)


class WorkerCore:
    """A worker's state and its message handlers (see the module docstring)."""

    def __init__(self, worker_id: str, make_interpreter: Callable[[], Interpreter]) -> None:
        self.worker_id = worker_id
        self.make_interpreter = make_interpreter
        self.counters = StoreCounters()
        self.store = ObjectStore()
        self.cache = ArgCache(self.counters)
        self.stats = CoreStats()
        self.programs: dict[str, Program] = {}
        self.partitions: dict[tuple[str, int], LoadedPartition] = {}
        self.peers: dict[str, str] = {}  # worker id -> data address (PEERS)
        self.out: list[Outgoing] = []
        # sends a message to a peer at once, from the thread that runs `handle` (worker.py
        # installs its core thread's own links); None, or False from it: the message goes out
        # with what `handle` returns
        self.direct: Callable[[str, Message], bool] | None = None
        # Work that may wait until what `handle` returned has been sent (a whole-graph fold's
        # stores: MessageRun.settle). Only a thread that calls `run_deferred` once its
        # results are on their way sets `can_defer` (worker.py's core thread); `handle` runs
        # whatever is left before anything else, so no message sees the state without it.
        self.can_defer = False
        self.deferred: list[Callable[[], None]] = []
        self._origins: dict[tuple[str, str], str] = {}  # (run, oid) -> bundle of the task that made it
        self._waiting: dict[tuple[str, str], list[Task]] = {}
        self._buckets: dict[tuple[str, str, int], ShuffleBucket] = {}
        self._ended: set[str] = set()
        self._done: list[tuple[str, str, list]] = []  # (run, task, objects) finished in this handle()
        self._last_id = 0
        self.handlers: dict[str, CoreHandler] = {
            "LOAD_PROGRAM": self._load_program,
            "SOURCES": self._sources,
            "PEERS": self._peers,
            "SUBMIT": self._submit,
            "SUBMIT_MANY": self._submit_many,
            "LOCATION": self._location,
            "OBJECT": self._object,
            "NOT_FOUND": self._not_found,
            "FETCH": self._fetch,
            "FREE": self._free,
            "END_RUN": self._end_run,
            "DROP_GRAPH": self._drop_graph,
            "SHUFFLE_PUSH": self._shuffle_push,
            "STATS": self._stats,
        }
        self.supersteps = Supersteps(self)  # graph messaging: adds its handlers
        self.patterns = PatternSteps(self)  # find_pattern: adds its handlers
        self.mutations = Mutations(self)  # add_node/add_edge/remove_*: adds its handler
        self.loading = GraphLoading(self)  # load_edges and the graph store: adds their handlers
        self.actors = WorkerActors(self, COORDINATOR)  # distributed.spawn: adds its handlers
        self.placing = PartitionPlacing(self)  # a driver's graph placed in chunks: adds its handlers

    # ------------------------------------------------------------------------- the interface

    def handle(self, message: Message) -> list[Outgoing]:
        """Act on one message; returns what to send. Never raises for bad input (logs it)."""
        if self.deferred:
            self.run_deferred()
        handler = self.handlers.get(message.type)
        if handler is None:
            LOGGER.warning("worker %s: no handler for %s; dropped", self.worker_id, message.type)
        else:
            try:
                handler(message)
            except GraphoidError as error:
                LOGGER.warning("worker %s: %s failed: %s", self.worker_id, message.type, error.display())
        if self._done:
            self._report_done()
        out, self.out = self.out, []
        stats = self.stats
        stats.messages_sent += len(out)
        for outgoing in out:
            for frame in outgoing.message.payload:
                stats.bytes_sent += len(frame)
        return out

    def defer(self, work: Callable[[], None]) -> None:
        """Run `work` after this `handle` has returned and its messages went out (or at the
        start of the next `handle`, whichever comes first); at once when nobody defers."""
        if self.can_defer:
            self.deferred.append(work)
        else:
            work()

    def run_deferred(self) -> None:
        """Run the deferred work, in the order it was deferred."""
        while self.deferred:
            work, self.deferred = self.deferred, []
            for item in work:
                item()

    def send(
        self, to: str, type: str, *, run: str | None = None, re: int | None = None,
        payload: Iterable[bytes] = (), **fields: Any,
    ) -> None:
        self._last_id += 1
        self.out.append(Outgoing(to, Message.new(
            type, src=self.worker_id, id=self._last_id, run=run, re=re, payload=tuple(payload), **fields,
        )))

    def send_now(self, to: str, type: str, *, payload: Iterable[bytes] = (), **fields: Any) -> None:
        """`send` to peer worker `to` of a message that needs no answer (a superstep batch):
        it leaves now through `direct` when it can, not after the rest of this `handle`."""
        direct = self.direct
        if direct is None:
            self.send(to, type, payload=payload, **fields)
            return
        self._last_id += 1
        message = Message.new(type, src=self.worker_id, id=self._last_id, run=None, re=None,
                              payload=tuple(payload), **fields)
        if not direct(to, message):
            self.out.append(Outgoing(to, message))
            return
        stats = self.stats
        stats.messages_sent += 1
        for frame in message.payload:
            stats.bytes_sent += len(frame)

    def reply(self, request: Message, type: str, *, payload: Iterable[bytes] = (), **fields: Any) -> None:
        self.send(request["src"], type, run=request["run"], re=request["id"], payload=payload, **fields)

    # ------------------------------------------------------------------------- programs and peers

    def _load_program(self, message: Message) -> None:
        bundle = message["bundle"]
        self.reply(message, "PROGRAM_READY" if bundle in self.programs else "NEED_SOURCE", bundle=bundle)

    def _sources(self, message: Message) -> None:
        expected = message["bundle"]
        try:
            if len(message.payload) != 1:
                raise CodecError("ProtocolError", "SOURCES carries one frame")
            bundle = unpack_bundle(message.payload[0])
            if bundle.hash != expected:
                raise GraphoidError("BundleMismatch", f"program bundle hash mismatch: expected {expected}, got {bundle.hash}")
            if expected not in self.programs:
                self.programs[expected] = Program(bundle, self.make_interpreter(), self.actors.host)
        except GraphoidError as error:
            self.reply(message, "PROGRAM_FAILED", bundle=expected, payload=[encode(error)])
            return
        self.reply(message, "PROGRAM_READY", bundle=expected)

    def _peers(self, message: Message) -> None:
        try:
            table = msgpack.unpackb(message.payload[0], raw=False) if message.payload else None
        except Exception:  # hostile bytes: keep the table we have
            table = None
        if type(table) is not dict or not all(type(k) is str and type(v) is str for k, v in table.items()):
            LOGGER.warning("worker %s: ignored a malformed PEERS table", self.worker_id)
            return
        self.peers = table

    # ------------------------------------------------------------------------- tasks

    def _submit(self, message: Message) -> None:
        self._start_task(message["run"], message["task"], message.payload)

    def _submit_many(self, message: Message) -> None:
        """Each task of the batch as if it came in its own SUBMIT; an entry's third element is
        the task's output id, in place of the `out` of a spec the batch's tasks share."""
        payload = message.payload
        try:
            index = msgpack.unpackb(payload[0], raw=False) if payload else None
        except Exception:  # hostile bytes: nothing in the batch can be trusted
            index = None
        frames = _unpacked_frames(payload[1:], message.header.get("packed"))
        if frames is None or type(index) is not list or not all(_batch_entry(entry, len(frames)) for entry in index):
            LOGGER.warning("worker %s: dropped a malformed SUBMIT_MANY", self.worker_id)
            return
        run_id = message["run"]
        shared: dict[tuple[int, int], TaskSpec | TaskSpecError] = {}  # (spec frame, frame count) -> spec
        for entry in index:
            task_id, numbers = entry[0], entry[1]
            task_frames = tuple(frames[number] for number in numbers)
            if len(entry) == 2:
                self._start_task(run_id, task_id, task_frames)
                continue
            key = (numbers[0], len(numbers))
            spec = shared.get(key)
            if spec is None:
                spec = shared[key] = _unpacked_or_error(task_frames)
            self._start_task(run_id, task_id, task_frames, spec, entry[2])

    def _start_task(self, run_id: str | None, task_id: str, payload: tuple[bytes, ...],
                    spec: TaskSpec | TaskSpecError | None = None, out: str | None = None) -> None:
        """Run a task, or ask for the Ref arguments it still misses. `spec`: already unpacked
        (None: unpack it from the payload), with output id `out` in place of its own."""
        try:
            task = self._read_task(run_id, task_id, payload, spec, out)
        except TaskFailure as failure:
            self._fail(run_id or "", task_id, failure)
            return
        for arg in task.spec.args:
            if type(arg) is Ref and not self._have(task, arg.oid):
                task.missing.add(arg.oid)
        if not task.missing:
            self._run(task)
            return
        for arg in task.spec.args:
            if type(arg) is Ref and arg.oid in task.missing:
                self._request(task, arg)

    def _report_done(self) -> None:
        """DONE for one finished task, DONE_MANY (per run) for several."""
        done, self._done = self._done, []
        if len(done) == 1:
            run_id, task_id, objects = done[0]
            self.send(COORDINATOR, "DONE", run=run_id, task=task_id, payload=[msgpack.packb(objects)])
            return
        by_run: dict[str, list] = {}
        for run_id, task_id, objects in done:
            by_run.setdefault(run_id, []).append([task_id, objects])
        for run_id, entries in by_run.items():
            self.send(COORDINATOR, "DONE_MANY", run=run_id, payload=[msgpack.packb(entries)])

    def _read_task(self, run_id: str | None, task_id: str, payload: tuple[bytes, ...],
                   spec: TaskSpec | TaskSpecError | None, out: str | None) -> Task:
        if run_id is None:
            raise TaskFailure(GraphoidError(RUN_ERROR, "a task needs a run id"))
        if run_id in self._ended:
            raise TaskFailure(GraphoidError(RUN_ERROR, f"run '{run_id}' has ended"))
        if spec is None:
            spec = _unpacked_or_error(payload)
        if type(spec) is TaskSpecError:
            raise TaskFailure(spec)
        if out is not None:
            spec = with_output(spec, out)
        program = self.programs.get(spec.bundle)
        if program is None:
            raise TaskFailure(GraphoidError(
                "FunctionNotFound", f"program bundle {spec.bundle} is not loaded on worker {self.worker_id}"
            ))
        return Task(run_id, task_id, spec, payload, program)

    def _have(self, task: Task, oid: str) -> bool:
        """Is the object here (store or cache)? If so, it is noted in `task.fetched`."""
        stored = self.store.get(task.run_id, oid)
        if stored is not None:
            task.fetched[oid] = stored.value
            return True
        hit, value = self.cache.get(task.run_id, oid)
        if hit:
            task.fetched[oid] = value
        return hit

    def _request(self, task: Task, ref: Ref) -> None:
        key = (task.run_id, ref.oid)
        waiting = self._waiting.get(key)
        if waiting is not None:  # already on its way for another task
            waiting.append(task)
            return
        self._waiting[key] = [task]
        if ref.owner is None:
            self.send(COORDINATOR, "LOCATE", run=task.run_id, oid=ref.oid)
        else:
            self._fetch_from(ref.owner, task.run_id, ref.oid)

    def _fetch_from(self, owner: str, run_id: str, oid: str) -> None:
        if owner == self.worker_id:  # it should be here and is not: freed, or the run ended
            self._fail_waiting(run_id, oid, _lost(run_id, oid, f"is not on worker {owner}"))
        else:
            self.send(owner, "FETCH", run=run_id, oid=oid)

    def _location(self, message: Message) -> None:
        run_id, oid, owner = message["run"], message["oid"], message["owner"]
        if (run_id, oid) not in self._waiting:
            return
        if owner is None:
            self._fail_waiting(run_id, oid, _lost(run_id, oid, "is not registered (it was never computed, or was freed)"))
        else:
            self._fetch_from(owner, run_id, oid)

    def _object(self, message: Message) -> None:
        run_id, oid = message["run"], message["oid"]
        waiting = self._waiting.pop((run_id, oid), None)
        if not waiting:
            return
        try:
            if len(message.payload) != 1:
                raise CodecError("ProtocolError", f"OBJECT {oid} must carry one frame")
            value = decode(message.payload[0], functions=waiting[0].program.table)
        except GraphoidError as error:
            for task in waiting:
                self._fail(task.run_id, task.task_id, TaskFailure(error, retry=True))
            return
        self.cache.put(run_id, oid, value, len(message.payload[0]))
        for task in waiting:
            task.fetched[oid] = value
            task.missing.discard(oid)
            if not task.missing:
                self._run(task)

    def _not_found(self, message: Message) -> None:
        run_id, oid = message["run"], message["oid"]
        self._fail_waiting(run_id, oid, _lost(run_id, oid, f"is not on worker {message['src']}"))

    def _fail_waiting(self, run_id: str, oid: str, failure: TaskFailure) -> None:
        for task in self._waiting.pop((run_id, oid), ()):
            if task.missing:  # not failed already for another argument
                task.missing.clear()
                self._fail(task.run_id, task.task_id, failure)

    # ------------------------------------------------------------------------- running

    def _run(self, task: Task) -> None:
        runner = _RUNNERS[task.spec.kind]
        program = task.program
        try:
            fn = program.function(task.run_id, task.payload[FUNCTION_FRAME])
            args = [self._arg_value(task, arg) for arg in task.spec.args]
            with program.interp.running():
                results = runner(self, task, fn, args)
            objects = [self._keep(task, oid, value) for oid, value in results]
        except TaskFailure as failure:
            self._fail(task.run_id, task.task_id, failure)
            return
        except GraphoidError as error:
            self._fail(task.run_id, task.task_id, TaskFailure(error))
            return
        if results is _WAITING:
            return
        self.stats.tasks_run += 1
        self._done.append((task.run_id, task.task_id, objects))

    def _arg_value(self, task: Task, arg: Inline | Ref) -> Any:
        if type(arg) is Ref:
            return task.fetched[arg.oid]
        return decode(task.payload[arg.frame], functions=task.program.table)

    def _keep(self, task: Task, oid: str, value: Any) -> list:
        data = task.program.encode(value)
        tag = type_name(value)
        self.store.put(task.run_id, oid, value, data, tag)
        self._origins[(task.run_id, oid)] = task.program.bundle.hash
        return [oid, len(data), tag]

    def _fail(self, run_id: str, task_id: str, failure: TaskFailure) -> None:
        self.stats.tasks_failed += 1
        error = failure.error
        try:
            data = encode(error)
        except CodecError:  # a cause or trace that cannot travel: the essentials can
            data = encode(GraphoidError(error.kind, error.message, error.span))
        self.send(COORDINATOR, "FAILED", run=run_id or None, task=task_id, retry=failure.retry, payload=[data])

    def _partition(self, spec: TaskSpec) -> LoadedPartition:
        loaded = self.partitions.get((spec.graph, spec.part))
        if loaded is None:
            raise TaskFailure(GraphoidError(
                OBJECT_LOST, f"partition {spec.part} of graph '{spec.graph}' is not on worker {self.worker_id}"
            ), retry=True)
        return loaded

    # ------------------------------------------------------------------------- objects

    def _fetch(self, message: Message) -> None:
        run_id, oid = message["run"], message["oid"]
        header = message.header
        selection = {name: header[name] for name in ("item", "key", "keys") if name in header}
        stored = self.store.get(run_id, oid) if run_id is not None else None
        if stored is None:
            self.reply(message, "NOT_FOUND", oid=oid, **selection)
            return
        data = stored.data
        if selection:
            try:
                data = self._element(run_id, oid, stored.value, header.get("item"), header.get("key"),
                                     header.get("keys"))
            except GraphoidError as error:
                LOGGER.warning("worker %s: FETCH %s: %s", self.worker_id, oid, error.display())
                self.reply(message, "NOT_FOUND", oid=oid, **selection)
                return
        self.counters.fetches_served += 1
        self.reply(message, "OBJECT", oid=oid, payload=[data], **selection)

    def _element(self, run_id: str, oid: str, value: Any, item: int | None, key: str | None,
                 keys: str | None = None) -> bytes:
        if keys is not None:
            element = ordered_keys(check_shape(keys), value)
        elif item is not None:
            if not isinstance(value, list) or not 0 <= item < len(value):
                raise GraphoidError("IndexError", f"object '{oid}' has no item {item}")
            element = value[item]
        else:
            if not isinstance(value, dict) or key not in value:
                raise GraphoidError("KeyError", f"object '{oid}' has no key '{key}'")
            element = value[key]
        program = self.programs.get(self._origins.get((run_id, oid), ""))
        return encode(element, functions=program.exporter if program is not None else None)

    def _free(self, message: Message) -> None:
        run_id, oids = message["run"], message["oids"]
        if run_id is None:
            return
        self.store.free(run_id, oids)
        self.cache.free(run_id, oids)
        for oid in oids:
            self._origins.pop((run_id, oid), None)

    def _end_run(self, message: Message) -> None:
        run_id = message["run"]
        if run_id is None:
            return
        self._ended.add(run_id)
        self.store.end_run(run_id)
        self.cache.end_run(run_id)
        for program in self.programs.values():
            program.functions.pop(run_id, None)
        for table in (self._origins, self._waiting, self._buckets):
            for key in [key for key in table if key[0] == run_id]:
                del table[key]

    def _stats(self, message: Message) -> None:
        counters = {
            **attrs.asdict(self.stats),
            **attrs.asdict(self.counters),
            "objects_held": self.store.object_count,
            "bytes_held": self.store.byte_count,
            "cache_entries": self.cache.entry_count,
            "cache_bytes": self.cache.byte_count,
            "partitions": len(self.partitions),
        }
        self.reply(message, "STATS_REPLY", payload=[msgpack.packb(counters)])

    # ------------------------------------------------------------------------- partitions

    def table_of(self, bundle: str) -> FunctionTable | None:
        program = self.programs.get(bundle)
        return program.table if program is not None else None

    def _drop_graph(self, message: Message) -> None:
        for key in [key for key in self.partitions if key[0] == message["graph"]]:
            del self.partitions[key]

    # ------------------------------------------------------------------------- shuffles

    def _shuffle_push(self, message: Message) -> None:
        run_id = message["run"]
        if run_id is None or run_id in self._ended or len(message.payload) != 1:
            return
        bucket = self._bucket(run_id, message["shuffle"], message["reducer"])
        bucket.pushes[message["source"]] = message.payload[0]
        if bucket.task is not None and len(bucket.pushes) >= bucket.task.spec.sources:
            self._run(bucket.task)

    def _bucket(self, run_id: str, shuffle: str, reducer: int) -> ShuffleBucket:
        key = (run_id, shuffle, reducer)
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = ShuffleBucket()
        return bucket

    def push(self, task: Task, reducer: int, pairs: GList) -> None:
        """Send one reducer its share of a map task's pairs (to itself without a message)."""
        spec = task.spec
        data = task.program.encode(pairs)
        worker = spec.reducers[reducer]
        if worker == self.worker_id:
            self._bucket(task.run_id, spec.shuffle, reducer).pushes[spec.source] = data
            bucket = self._buckets[(task.run_id, spec.shuffle, reducer)]
            if bucket.task is not None and len(bucket.pushes) >= bucket.task.spec.sources:
                self._run(bucket.task)
        else:
            self.send(worker, "SHUFFLE_PUSH", run=task.run_id, shuffle=spec.shuffle, source=spec.source,
                      reducer=reducer, payload=[data])


def _batch_entry(entry: Any, frame_count: int) -> bool:
    """A SUBMIT_MANY index entry: [task id, [frame numbers within the batch]] or
    [task id, [frame numbers], output id]."""
    return (
        type(entry) is list and (len(entry) == 2 or len(entry) == 3 and type(entry[2]) is str and entry[1])
        and type(entry[0]) is str and type(entry[1]) is list
        and all(type(n) is int and 0 <= n < frame_count for n in entry[1])
    )


def _unpacked_frames(frames: tuple[bytes, ...], packed: int | None) -> tuple[bytes, ...] | None:
    """A SUBMIT_MANY's frames with its packed small frames (`packed` of them, in the last
    frame) in their place at the end; None when they are not what the header says."""
    if packed is None:
        return frames
    if not frames:
        return None
    try:
        small = msgpack.unpackb(frames[-1], raw=False)
    except Exception:  # hostile bytes: the batch cannot be trusted
        return None
    if type(small) is not list or len(small) != packed or not all(type(frame) is bytes for frame in small):
        return None
    return (*frames[:-1], *small)


def _unpacked_or_error(payload: Sequence[bytes]) -> TaskSpec | TaskSpecError:
    """The payload's spec, or the error that fails the task (kept: a batch's tasks share it)."""
    try:
        return unpack_spec(payload)
    except TaskSpecError as error:
        return error


# ----------------------------------------------------------------------------- task kinds

# A runner returns [(oid, value)] to keep, or _WAITING when the task must wait (a reducer
# whose pushes have not all arrived); user code runs inside the program's interpreter.
_WAITING: list = []


def _user_call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call user code; any Python exception becomes the GraphoidError it stands for."""
    try:
        return fn(*args, **kwargs)
    except _PASS_THROUGH:
        raise
    except BaseException as exc:
        raise to_graphoid_error(exc) from None


class CallShape:
    """Where each value goes in a call: positional indexes and keyword names (mangled)."""

    def __init__(self, slots: Iterable[Slot]) -> None:
        self.slots = tuple(slots)
        self.positional = sum(1 for slot in self.slots if type(slot) is int)
        self.names = {slot: mangle(slot) for slot in self.slots if type(slot) is str}

    def build(self, values: Iterable[Any], args: list[Any], kwargs: dict[str, Any]) -> None:
        for slot, value in zip(self.slots, values):
            if type(slot) is int:
                args[slot] = value
            else:
                kwargs[self.names[slot]] = value


_SHAPES: dict[tuple[Slot, ...], CallShape] = {}


def _shape(slots: tuple[Slot, ...]) -> CallShape:
    """The CallShape of `slots` (made once: a map sends the same slots with every chunk)."""
    shape = _SHAPES.get(slots)
    if shape is None:
        if len(_SHAPES) > 1024:  # hostile or unusual variety: keep the table small
            _SHAPES.clear()
        shape = _SHAPES[slots] = CallShape(slots)
    return shape


def _check_positions(*shapes: CallShape) -> int:
    """The number of positional arguments; they must be exactly 0..n-1 over all shapes."""
    positions = sorted(slot for shape in shapes for slot in shape.slots if type(slot) is int)
    if positions != list(range(len(positions))):
        raise TaskFailure(GraphoidError("ProtocolError", f"positional slots {positions} are not 0..n-1"))
    return len(positions)


def _run_call(core: WorkerCore, task: Task, fn: Any, args: list[Any]) -> list[tuple[str, Any]]:
    for target, path, extra in task.spec.fills:
        _fill_in(args[target], path, args[extra])
    shape = _shape(task.spec.slots)
    positional: list[Any] = [None] * _check_positions(shape)
    named: dict[str, Any] = {}
    shape.build(args, positional, named)
    return [(task.spec.out, _user_call(fn, *positional, **named))]


def _fill_in(container: Any, path: tuple[int, ...], value: Any) -> None:
    """Put a nested ref's value in its place: each step is a list index or a map entry's position."""
    try:
        for step in path[:-1]:
            container = container[_step_key(container, step)]
        container[_step_key(container, path[-1])] = value
    except (IndexError, TypeError, StopIteration):
        raise TaskFailure(GraphoidError("ProtocolError", "a nested ref's path does not fit its argument")) from None


def _step_key(container: Any, step: int) -> Any:
    if isinstance(container, list):
        return step
    if isinstance(container, dict):
        return next(itertools.islice(container, step, None))
    raise TypeError(type(container).__name__)


def _run_map_chunk(core: WorkerCore, task: Task, fn: Any, args: list[Any]) -> list[tuple[str, Any]]:
    spec = task.spec
    if not args or not isinstance(args[0], list):
        raise TaskFailure(GraphoidError("TypeError", "a map chunk needs a list of items"))
    items, constants = args[0], args[1:]
    results = GList()
    append = results.append
    if spec.columns == (0,) and not spec.slots:  # fn(item): the common case
        for item in items:
            append(fn(item))
        return [(spec.out, results)]
    columns = _shape(spec.columns)
    consts = _shape(spec.slots)
    base: list[Any] = [None] * _check_positions(columns, consts)
    base_named: dict[str, Any] = {}
    consts.build(constants, base, base_named)
    single = len(spec.columns) == 1
    for item in items:
        positional, named = list(base), dict(base_named)
        columns.build((item,) if single else item, positional, named)
        append(fn(*positional, **named))
    return [(spec.out, results)]


def _run_partition_map(core: WorkerCore, task: Task, fn: Any, args: list[Any]) -> list[tuple[str, Any]]:
    loaded = core._partition(task.spec)
    return [(task.spec.out, map_nodes(loaded.partition.graph, loaded.owned, fn))]


def map_nodes(graph: Any, owned: Iterable[str], fn: Any) -> GMap:
    """fn(node view) per owned node, keyed by id (also the :local executor's map)."""
    results = GMap()
    for node_id in owned:
        results[node_id] = plain_result(fn(NodeView(graph, node_id)))
    return results


def _run_partition_reduce(core: WorkerCore, task: Task, fn: Any, args: list[Any]) -> list[tuple[str, Any]]:
    loaded = core._partition(task.spec)
    graph = loaded.partition.graph
    acc = args[0] if args else None
    owned = loaded.owned
    if len(args) == 3:  # a run of consecutive ids of the whole graph: [first, last]
        first, last = args[1], args[2]
        if not (isinstance(first, str) and isinstance(last, str)):
            raise TaskFailure(GraphoidError("ProtocolError", "a reduce run is bounded by two node ids"))
        owned = owned[bisect_left(owned, first):bisect_right(owned, last)]
    return [(task.spec.out, fold_nodes(graph, owned, acc, fn))]


def fold_nodes(graph: Any, owned: Iterable[str], acc: Any, fn: Any) -> Any:
    """fn(acc, node view) over the owned nodes in order (also the :local executor's reduce)."""
    for node_id in owned:
        acc = fn(acc, NodeView(graph, node_id))
    return plain_result(acc)


def _run_partition_query(core: WorkerCore, task: Task, fn: Any, args: list[Any]) -> list[tuple[str, Any]]:
    loaded = core._partition(task.spec)
    return [(task.spec.out, query_partition(loaded.partition, loaded.owned, fn))]


def query_partition(partition: Partition, owned: list[str], fn: Any) -> Any:
    """fn(partition view) (also the :local executor's query, over one partition)."""
    return plain_result(fn(PartitionView(partition, owned)))


def _run_fold(core: WorkerCore, task: Task, fn: Any, args: list[Any]) -> list[tuple[str, Any]]:
    if not args:
        raise TaskFailure(GraphoidError("ProtocolError", "a fold needs at least its initial value"))
    acc = args[0]
    for value in args[1:]:
        acc = fn(acc, value)
    return [(task.spec.out, plain_result(acc))]


def _run_shuffle_map(core: WorkerCore, task: Task, fn: Any, args: list[Any]) -> list[tuple[str, Any]]:
    spec = task.spec
    if not spec.reducers:
        raise TaskFailure(GraphoidError("ProtocolError", "a shuffle needs reducers"))
    if spec.graph:
        loaded = core._partition(spec)
        graph = loaded.partition.graph
        sources: Iterable[Any] = (NodeView(graph, node_id) for node_id in loaded.owned)
    elif spec.shape and args:
        sources = ordered_values(check_shape(spec.shape), args[0])
    elif args and isinstance(args[0], list):
        sources = args[0]
    else:
        raise TaskFailure(GraphoidError("TypeError", "map_reduce needs a distributed graph or a list"))
    buckets = [GList() for _ in spec.reducers]
    count = len(spec.reducers)
    encode_key = task.program.encode
    for source in sources:
        for pair in emitted_pairs(fn(source)):
            buckets[stable_hash(encode_key(pair[0])) % count].append(GList(pair))
    for reducer, pairs in enumerate(buckets):
        core.push(task, reducer, pairs)
    return []


def _run_shuffle_reduce(core: WorkerCore, task: Task, fn: Any, args: list[Any]) -> list[tuple[str, Any]]:
    spec = task.spec
    bucket = core._bucket(task.run_id, spec.shuffle, spec.part)
    if len(bucket.pushes) < spec.sources:
        bucket.task = task
        return _WAITING
    del core._buckets[(task.run_id, spec.shuffle, spec.part)]
    table = task.program.table
    pushed = (decode(bucket.pushes[source], functions=table) for source in sorted(bucket.pushes))
    return [(spec.out, reduce_groups(pushed, fn, task.program.encode))]


def _run_map_values(core: WorkerCore, task: Task, fn: Any, args: list[Any]) -> list[tuple[str, Any]]:
    if len(args) != 1:
        raise TaskFailure(GraphoidError("ProtocolError", "a map over a result takes one result object"))
    return [(task.spec.out, map_values(check_shape(task.spec.shape), args[0], fn))]


def _run_fold_values(core: WorkerCore, task: Task, fn: Any, args: list[Any]) -> list[tuple[str, Any]]:
    if len(args) not in (2, 4):
        raise TaskFailure(GraphoidError("ProtocolError", "a fold over a result takes acc, object[, start, stop]"))
    acc, values = args[0], ordered_values(check_shape(task.spec.shape), args[1])
    if len(args) == 4:  # a run of consecutive keys of the whole result: positions start..stop-1
        start, stop = args[2], args[3]
        if type(start) is not int or type(stop) is not int:
            raise TaskFailure(GraphoidError("ProtocolError", "a fold run is bounded by two positions"))
        values = values[start:stop]
    for value in values:
        acc = fn(acc, value)
    return [(task.spec.out, acc)]


def emitted_pairs(pairs: Any) -> list:
    """What a map_reduce map returned, checked: a list of [key, value] pairs."""
    if not isinstance(pairs, list):
        raise GraphoidError("TypeError", f"map must return a list of [key, value] pairs, got {type_name(pairs)}")
    for pair in pairs:
        if not isinstance(pair, list) or len(pair) != 2:
            raise GraphoidError("TypeError", "map must return a list of [key, value] pairs")
    return pairs


def reduce_groups(pair_lists: Iterable[Iterable[Any]], fn: Any, encode_key: Callable[[Any], bytes]) -> GList:
    """[key, fn(key, values)] per key in first-emitted order, values in emit order (keys are
    equal when their encodings are); a reply [key, result] gives result."""
    groups: dict[bytes, tuple[Any, GList]] = {}
    for pairs in pair_lists:
        for key, value in pairs:
            group = groups.setdefault(encode_key(key), (key, GList()))
            group[1].append(value)
    results = GList()
    for key, values in groups.values():
        reduced = fn(key, values)
        if isinstance(reduced, list) and len(reduced) == 2 and equals(reduced[0], key):
            reduced = reduced[1]
        results.append(GList([key, reduced]))
    return results


def _guarded(runner: Callable[..., Any]) -> Callable[..., Any]:
    """The runner with user exceptions turned into GraphoidErrors (one try per task, not per item)."""
    def run(core: WorkerCore, task: Task, fn: Any, args: list[Any]) -> Any:
        try:
            return runner(core, task, fn, args)
        except (TaskFailure, *_PASS_THROUGH):
            raise
        except BaseException as exc:  # a GraphoidError too: this fills in its Graphoid stack
            raise to_graphoid_error(exc) from None
    return run


_RUNNERS: dict[str, Callable[[WorkerCore, Task, Any, list[Any]], Any]] = {
    CALL: _run_call,
    MAP_CHUNK: _guarded(_run_map_chunk),
    PARTITION_MAP: _guarded(_run_partition_map),
    PARTITION_REDUCE: _guarded(_run_partition_reduce),
    PARTITION_QUERY: _guarded(_run_partition_query),
    FOLD: _guarded(_run_fold),
    SHUFFLE_MAP: _guarded(_run_shuffle_map),
    SHUFFLE_REDUCE: _guarded(_run_shuffle_reduce),
    MAP_VALUES: _guarded(_run_map_values),
    FOLD_VALUES: _guarded(_run_fold_values),
}

__all__ = [
    "COORDINATOR", "CoreStats", "Outgoing", "WorkerCore", "FIRST_VALUE_FRAME", "emitted_pairs", "fold_nodes",
    "map_nodes", "query_partition", "reduce_groups",
]
