"""Futures and runs in the `distributed` module: `submit`, `run`, `results`, `status`, `end_run`.

An ObjectRef is a handle to a task's result, which stays on the worker that computed it:
nothing moves until the ref is awaited (`await ref`, `ref.get()`). `submit` returns at once
(the executor's `submit`); the task runs while the program goes on, and `await`, `ready()`
or `distributed.wait` handle its reply. `run` waits until its task has finished. A ref passed
to `submit` or `run`, directly or inside lists and maps, is sent as a reference: the worker
running the task fetches the value from its holder, never through the driver.

An error in the task's code on a worker is kept in the ref and raised by `await`, with its
worker hint; errors in the call itself (a bad argument, a wrong run id) raise at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

from graphoid.distributed.executor.base import Executor, RunContext
from graphoid.distributed.registry import RUN_ERROR, ObjectMeta
from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Graph
from graphoid.values.format import display, register_display, register_type_name, type_name
from graphoid.values.methods.registry import find_method
from graphoid.values.types import GList, GMap

if TYPE_CHECKING:
    from graphoid.distributed.session import Session

_UNFETCHED = object()


class ObjectRef:
    """A task's result on a worker (`meta`), or the error the task raised there (`error`)."""

    gd_type_name = "object_ref"
    __slots__ = ("executor", "meta", "error", "worker", "_value", "_task", "_oid")

    def __init__(self, executor: Executor, meta: ObjectMeta | None, error: GraphoidError | None = None,
                 worker: str = "", task: Any = None, oid: str = "") -> None:
        self.executor = executor
        self.meta = meta
        self.error = error
        self.worker = meta.owner if meta is not None else worker
        self._value: Any = _UNFETCHED
        self._task = task  # a submitted task not yet settled here (executor.submit's handle)
        self._oid = meta.oid if meta is not None else oid

    @classmethod
    def submitted(cls, executor: Executor, task: Any) -> "ObjectRef":
        """The ref of a task `executor.submit` sent: pending until its reply is handled."""
        return cls(executor, None, worker=task.worker or "", task=task, oid=task.out)

    @property
    def pending(self) -> bool:
        """Not finished yet, as far as the replies handled so far tell."""
        return self._task is not None and not self._settle()

    def _settle(self) -> bool:
        """Take the task's outcome once its reply arrived; False while it has not."""
        task = self._task
        if not task.done:
            return False
        self._task = None
        if task.error is not None:
            self.error = task.error
        else:
            self.meta = task.objects[0]
            self.worker = self.meta.owner
        return True

    def wait(self) -> None:
        """Block until the task finished (its value or error is then here to be had)."""
        if self._task is not None and not self._settle():
            self.executor.wait_tasks([self._task], 1, None)
            self._settle()

    def gd_await(self) -> Any:
        """The value, fetched from its worker once; a task's error is raised here."""
        self.wait()
        if self.error is not None:
            raise self.error
        if self._value is _UNFETCHED:
            assert self.meta is not None
            self._value = self.executor.fetch(self.meta)
        return self._value

    def ready(self) -> bool:
        """Would await answer now: fetched already, failed, or finished and still held."""
        if self._task is not None:
            self.executor.wait_tasks([self._task], 1, 0)  # handle the replies that arrived
            if not self._settle():
                return False
        if self.error is not None or self._value is not _UNFETCHED:
            return True
        assert self.meta is not None
        try:
            held = self.executor.objects(RunContext(self.meta.run_id))
        except GraphoidError:
            return False  # its run has ended
        return any(meta.oid == self.meta.oid for meta in held)

    def call(self, name: str, args: tuple = (), kwargs: dict | None = None) -> Any:
        method = _METHODS.get(name)
        if method is None:
            universal = find_method(self, name)  # to_string(), type_name(), ... like every value
            if universal is not None:
                return universal(self, *args, **(kwargs or {}))
            raise GraphoidError("RuntimeError", f"object_ref has no method '{name}' (get, ready)")
        if args or kwargs:
            raise GraphoidError("TypeError", f"object_ref method '{name}' takes no arguments")
        return method(self)

    def display(self) -> str:
        if self.error is not None:
            return f"<object_ref (failed) on worker {self.worker}>"
        return f"<object_ref {self._oid} on worker {self.worker}>"


_METHODS = {"get": ObjectRef.gd_await, "ready": ObjectRef.ready}
register_type_name(ObjectRef, ObjectRef.gd_type_name)
register_display(ObjectRef, ObjectRef.display)


class RunBook:
    """The runs a session opened for `distributed.run` (its own run is not among them)."""

    def __init__(self) -> None:
        self.open: dict[str, RunContext] = {}
        self.ended: set[str] = set()


# ---------------------------------------------------------------------------- members


def submit(session: Session, fn: Any, *args: Any, **kwargs: Any) -> ObjectRef:
    """fn(args...) on a worker, in the session's run: a ref to its result, returned at once."""
    _want_function(fn, "submit")
    inputs: dict[int | str, Any] = dict(enumerate(args))
    inputs.update(kwargs)
    executor, ctx = session.executor(), session.context()
    by_reference = {key: _reference(value, ctx) for key, value in inputs.items()}
    return ObjectRef.submitted(executor, executor.submit(fn, by_reference, None, _ctx=ctx))


def wait(session: Session, refs: Any, timeout: Any = None, count: Any = None) -> GMap:
    """Block until `count` of `refs` (default: all) finished or `timeout` seconds passed:
    `{done: [...], pending: [...]}`, each in the order of `refs`."""
    if not isinstance(refs, (GList, list)) or not all(type(ref) is ObjectRef for ref in refs):
        raise GraphoidError("TypeError", f"distributed.wait expects a list of object_refs, got {display(refs)}")
    wanted = len(refs) if count is None else count
    if type(wanted) is not int or not 0 <= wanted <= len(refs):
        raise GraphoidError("ValueError", f"count: must be a whole number from 0 to {len(refs)}, not {display(count)}")
    if timeout is not None and (type(timeout) not in (int, float) or not timeout >= 0):
        raise GraphoidError("ValueError", f"timeout: must be a number of seconds >= 0, not {display(timeout)}")
    pending = [ref for ref in refs if ref.pending]
    finished = len(refs) - len(pending)
    if pending and finished < wanted:
        session.executor().wait_tasks([ref._task for ref in pending], wanted - finished, timeout)
    return GMap({"done": GList(ref for ref in refs if not ref.pending),
                 "pending": GList(ref for ref in refs if ref.pending)})


def run(session: Session, fn: Any, inputs: Any = None, run_id: Any = None, output: Any = None) -> GMap:
    """fn(inputs) in run `run_id` (opened if new): `{run_id:, results: ref}`."""
    _want_function(fn, "run")
    if output is not None and (not isinstance(output, str) or not output):
        raise GraphoidError("TypeError", f"output: must be a non-empty string, not {display(output)}")
    arguments = _inputs(inputs)
    executor = session.executor()
    ctx = _open_run(session, executor, run_id)
    ref = _call(executor, fn, arguments, output, ctx)
    return GMap({"run_id": ctx.run_id, "results": ref})


def results(session: Session, run_id: Any) -> GList:
    """The objects of an open run, metadata only: `{oid:, worker:, size:, type:}`."""
    ctx = _known_run(session, run_id)
    return GList(
        GMap({"oid": meta.oid, "worker": meta.owner, "size": meta.size, "type": meta.type_tag})
        for meta in session.executor().objects(ctx)
    )


def status(session: Session, run_id: Any) -> GMap:
    """`{run_id:, open:, objects:}`; an ended run answers `open: false`."""
    if isinstance(run_id, str) and run_id in session.runs.ended:
        return GMap({"run_id": run_id, "open": False, "objects": 0})
    ctx = _known_run(session, run_id)
    return GMap({"run_id": run_id, "open": True, "objects": len(session.executor().objects(ctx))})


def end_run(session: Session, run_id: Any) -> None:
    """Close a run opened by `distributed.run`: every worker drops its objects."""
    ctx = _known_run(session, run_id)
    session.executor().end_run(ctx)
    del session.runs.open[ctx.run_id]
    session.runs.ended.add(ctx.run_id)


# ---------------------------------------------------------------------------- helpers


def _call(executor: Executor, fn: Any, inputs: Mapping[int | str, Any], output: str | None,
          ctx: RunContext) -> ObjectRef:
    """Run the task; an error raised by its code on a worker goes into the ref."""
    by_reference = {key: _reference(value, ctx) for key, value in inputs.items()}
    try:
        meta = executor.run(fn, by_reference, output, _ctx=ctx)
    except GraphoidError as error:
        worker = getattr(error, "raised_on", None)
        if worker is None:
            raise
        return ObjectRef(executor, None, error, worker)
    return ObjectRef(executor, meta)


def _reference(value: Any, ctx: RunContext) -> Any:
    """A ref argument, direct or inside lists and maps, goes as its object's metadata (fetched
    worker to worker) once its task finished; a failed one raises its error now, as awaiting
    it would."""
    if isinstance(value, (list, dict)):
        return _nested_references(value, ctx)
    if type(value) is not ObjectRef:
        return value
    value.wait()
    if value.meta is None:
        assert value.error is not None
        raise value.error
    if value.meta.run_id != ctx.run_id:
        raise GraphoidError(
            RUN_ERROR, f"a ref of another run cannot be an argument here ({value.display()}); await it and pass the value"
        )
    return value.meta


def _nested_references(container: list | dict, ctx: RunContext) -> Any:
    """The list or map with the refs inside it (at any depth) as their metadata; itself when it
    holds none."""
    keyed = isinstance(container, dict)
    if not any(issubclass(kind, _HOLDS_REFS) for kind in set(map(type, container.values() if keyed else container))):
        return container  # plain values only (the common case), told apart at C speed
    changed: dict[Any, Any] = {}
    for key, item in (container.items() if keyed else enumerate(container)):  # type: ignore[union-attr]
        if isinstance(item, _HOLDS_REFS):
            new = _reference(item, ctx)
            if new is not item:
                changed[key] = new
    if not changed:
        return container
    copy = GMap(container) if keyed else GList(container)
    for key, new in changed.items():
        copy[key] = new
    return copy


_HOLDS_REFS = (list, dict, ObjectRef)


def _inputs(inputs: Any) -> dict[int | str, Any]:
    """`run`'s inputs: a map of parameter name -> value, or a list of positional values."""
    if inputs is None:
        return {}
    if isinstance(inputs, (GList, list)):
        return dict(enumerate(inputs))
    if isinstance(inputs, (GMap, dict)):
        named: dict[int | str, Any] = {}
        for key, value in inputs.items():
            if not isinstance(key, str):
                raise GraphoidError("TypeError", f"distributed.run inputs are named by strings, not {display(key)}")
            named[key] = value
        return named
    raise GraphoidError("TypeError", f"distributed.run expects inputs as a map or a list, got {type_name(inputs)}")


def _open_run(session: Session, executor: Executor, run_id: Any) -> RunContext:
    """The run `run_id` names (opened now if new; a fresh id when none is given)."""
    if run_id is not None and not isinstance(run_id, str):
        raise GraphoidError("TypeError", f"run_id: must be a string, not {display(run_id)}")
    ctx = session.runs.open.get(run_id) if run_id is not None else None
    if ctx is None:
        ctx = executor.new_run(run_id)  # RunError for an ended or foreign id
        session.runs.open[ctx.run_id] = ctx
    return ctx


def _known_run(session: Session, run_id: Any) -> RunContext:
    if not isinstance(run_id, str):
        raise GraphoidError("TypeError", f"a run id is a string, not {display(run_id)}")
    if run_id in session.runs.ended:
        raise GraphoidError(RUN_ERROR, f"run '{run_id}' has ended; its objects are gone")
    ctx = session.runs.open.get(run_id)
    if ctx is None:
        raise GraphoidError(RUN_ERROR, f"no run with id '{run_id}' (runs come from distributed.run)")
    return ctx


def _want_function(fn: Any, operation: str) -> None:
    if not callable(fn) or isinstance(fn, Graph):
        raise GraphoidError("TypeError", f"distributed.{operation} expects a function, got {type_name(fn)}")
