"""Futures and runs of the `distributed` module: submit/await, run(run_id:), results, status, end_run.

Semantics on the in-process executor; on a 2-worker cluster (one per module): refs fetched
worker to worker, runs isolated and sharing workers, errors that name the run or the worker.
"""

from __future__ import annotations

import io

import pytest
from cluster_support import kill_leftovers

import graphoid.distributed  # noqa: F401  (registers the module)
from graphoid.distributed import refs
from graphoid.distributed.api import session_of
from graphoid.errors import GraphoidError, is_subkind
from graphoid.runtime.interpreter import Interpreter

pytestmark = pytest.mark.timeout(120)

INPROCESS = """
import "distributed"
distributed.configure({executor: :inprocess, workers: 2})
fn square(x) { return x * x }
"""


def inprocess(source: str) -> Interpreter:
    interp = Interpreter(stdout=io.StringIO())
    interp.run(INPROCESS + source, "refs_prog.gd")
    return interp


def error_of(interp: Interpreter, source: str) -> GraphoidError:
    # a file name of its own: compiling the program's file again would retire its functions
    with pytest.raises(GraphoidError) as caught:
        interp.run(source, "refs_call.gd")
    return caught.value


# ---------------------------------------------------------------------------- in-process: semantics


def test_submit_returns_a_ref_that_await_and_get_resolve() -> None:
    interp = inprocess("""
a = distributed.submit(square, 7)
b = distributed.submit((x, y) => x + y, a, y: 1)
""")
    assert interp.eval("a.type_name()") == "object_ref"
    assert interp.eval("a.to_string()").startswith("<object_ref call-") and " on worker " in interp.eval("a.to_string()")
    assert interp.eval("a.ready()") is True
    assert interp.eval("await a") == 49 and interp.eval("a.get()") == 49
    assert interp.eval("await b") == 50  # the ref argument was resolved where the task ran
    assert interp.eval("await 5") == 5  # await of a plain value is the value


def test_run_returns_the_run_id_and_a_ref_and_reuses_an_open_run() -> None:
    interp = inprocess("""
first = distributed.run(square, [5], run_id: "one", output: "out")
named = distributed.run((x, y) => x - y, {y: 1, x: 10}, run_id: "one", output: "diff")
fresh = distributed.run(() => "no inputs")
""")
    assert interp.eval('first["run_id"]') == "one" and interp.eval('await first["results"]') == 25
    assert interp.eval('await named["results"]') == 9
    assert interp.eval('await fresh["results"]') == "no inputs"
    generated = interp.eval('fresh["run_id"]')
    assert isinstance(generated, str) and generated != "one"
    objects = interp.eval('distributed.results("one")')
    assert [entry["oid"] for entry in objects] == ["out", "diff"]
    assert all(entry["type"] == "num" and entry["size"] > 0 and entry["worker"] in ("0", "1") for entry in objects)
    assert dict(interp.eval('distributed.status("one")')) == {"run_id": "one", "open": True, "objects": 2}


def test_same_output_name_in_two_runs_stays_apart() -> None:
    interp = inprocess("""
a = distributed.run(square, [3], run_id: "a", output: "out")
b = distributed.run(square, [4], run_id: "b", output: "out")
""")
    assert interp.eval('await a["results"]') == 9 and interp.eval('await b["results"]') == 16
    interp.run('distributed.end_run("a")')
    assert interp.eval('await b["results"]') == 16  # ending one run leaves the other's object


def test_an_ended_run_is_closed_everywhere() -> None:
    interp = inprocess("""
r = distributed.run(square, [3], run_id: "gone", output: "out")
distributed.end_run("gone")
""")
    assert dict(interp.eval('distributed.status("gone")')) == {"run_id": "gone", "open": False, "objects": 0}
    assert interp.eval('r["results"].ready()') is False
    for source, words in [
        ('x = await r["results"]', "run 'gone' has ended"),
        ('distributed.results("gone")', "run 'gone' has ended"),
        ('distributed.end_run("gone")', "run 'gone' has ended"),
        ('distributed.run(square, [1], run_id: "gone")', "run id 'gone' was used by a run that has ended"),
    ]:
        error = error_of(interp, source)
        assert error.kind == "RunError" and words in error.message, source


@pytest.mark.parametrize("call", ['distributed.results("nope")', 'distributed.status("nope")',
                                  'distributed.end_run("nope")'])
def test_a_wrong_run_id_is_a_run_error_naming_it(call: str) -> None:
    error = error_of(inprocess(""), call)
    assert error.kind == "RunError" and "'nope'" in error.message and error.span is not None


def test_distributed_failures_share_one_catchable_kind() -> None:
    interp = inprocess("""
caught = none
try { distributed.results("nope") } catch DistributedError as e { caught = e.type() }
""")
    assert interp.eval("caught") == "RunError"
    for kind in ("RunError", "ObjectLostError", "RemoteError", "WorkerLostError"):
        assert is_subkind(kind, "DistributedError") and is_subkind(kind, "RuntimeError")


@pytest.mark.parametrize("call, kind, words", [
    ("distributed.submit(5)", "TypeError", "expects a function, got num"),
    ("distributed.run(square, 5)", "TypeError", "inputs as a map or a list, got num"),
    ("distributed.run(square, [1], run_id: 3)", "TypeError", "run_id: must be a string"),
    ('distributed.run(square, [1], run_id: "")', "ValueError", "non-empty string"),
    ("distributed.run(square, [1], output: 4)", "TypeError", "output: must be a non-empty string"),
    ("distributed.results(4)", "TypeError", "a run id is a string"),
    ('distributed.submit(x => x, [{r: distributed.run(square, [2])["results"]}])', "RunError", "a ref of another run"),
    ("distributed.submit(square, 2).wait()", "RuntimeError", "object_ref has no method 'wait'"),
    ("distributed.submit(square, 2).get(1)", "TypeError", "takes no arguments"),
])
def test_bad_calls_are_clear_errors(call: str, kind: str, words: str) -> None:
    error = error_of(inprocess(""), call)
    assert error.kind == kind and words in error.message


def test_inputs_from_embedding_code_are_named_by_strings() -> None:
    interp = inprocess("")
    with pytest.raises(GraphoidError, match="named by strings"):
        refs.run(session_of(interp), interp.eval("square"), {1: 2})


def test_a_ref_of_another_run_is_refused_as_an_argument() -> None:
    interp = inprocess('r = distributed.run(square, [2], run_id: "other")')
    error = error_of(interp, 'distributed.submit(x => x, r["results"])')
    assert error.kind == "RunError" and "another run" in error.message and "await it" in error.message


def test_a_task_error_is_kept_in_the_ref_and_raised_by_await() -> None:
    interp = inprocess("""
bad = distributed.submit(x => x / 0, 3)
""")
    assert interp.eval("bad.ready()") is True and "(failed) on worker" in interp.eval("bad.to_string()")
    for source in ("x = await bad", "x = bad.get()", "distributed.submit(x => x, bad)"):
        error = error_of(interp, source)
        assert error.message == "Division by zero" and error.hint.startswith("raised on worker ")


# ---------------------------------------------------------------------------- a 2-worker cluster


@pytest.fixture(scope="module")
def cluster():
    interp = Interpreter(stdout=io.StringIO())
    interp.run('import "distributed"\ndistributed.configure({executor: :cluster, workers: 2})\n'
               "fn square(x) { return x * x }\n", "refs_cluster.gd")
    session = session_of(interp)
    executor = session.executor()
    pids = list(executor.pids)
    try:
        yield interp, executor
    finally:
        session.close()
        kill_leftovers(pids)


def fetches_served(interp: Interpreter) -> dict[str, int]:
    return {entry["worker"]: entry["fetches_served"] for entry in interp.eval("distributed.stats()")}


def test_a_ref_argument_moves_worker_to_worker_not_through_the_driver(cluster) -> None:
    interp, executor = cluster
    # two big lists on different workers; the task runs where the bigger one is and fetches the other
    interp.run("a = distributed.submit(n => range(n), 20000)")
    interp.run("b = distributed.submit(n => range(n), 20001)")
    if interp.eval("a.to_string()").split()[-1] == interp.eval("b.to_string()").split()[-1]:
        interp.run("b = distributed.submit(n => range(n), 20001)")  # round robin: the other worker now
    interp.run("distributed.wait([a, b])")  # submit returns at once: their objects exist once done
    a_worker = interp.eval("a.to_string()").split()[-1].rstrip(">")
    assert a_worker != interp.eval("b.to_string()").split()[-1].rstrip(">")
    a_size = next(meta.size for meta in executor.objects(session_of(interp).context())
                  if meta.oid == interp.eval("a.to_string()").split()[1])
    served = fetches_served(interp)
    received = executor.received_bytes
    interp.run("c = distributed.submit((xs, ys) => xs.length() + ys.length(), a, b)\ndistributed.wait([c])")
    moved_to_driver = executor.received_bytes - received
    assert moved_to_driver < a_size // 10  # a DONE, not the list
    assert interp.eval("c.to_string()").split()[-1] != a_worker
    assert fetches_served(interp)[a_worker] == served[a_worker] + 1
    received = executor.received_bytes
    assert interp.eval("await c") == 40001
    assert interp.eval("await a").__len__() == 20000
    assert executor.received_bytes - received >= a_size  # awaiting moves the value


def test_runs_on_shared_workers_stay_isolated(cluster) -> None:
    interp, _ = cluster
    interp.run("""
r1 = [distributed.run(square, [2], run_id: "c1", output: "out"),
      distributed.run(square, [3], run_id: "c1", output: "more")]
never_awaited = distributed.run(square, [4], run_id: "c1", output: "late")
r2 = [distributed.run(x => x + 100, [2], run_id: "c2", output: "out"),
      distributed.run(x => x + 100, [3], run_id: "c2", output: "more")]
""")
    assert [interp.eval(f'await r1[{i}]["results"]') for i in (0, 1)] == [4, 9]
    assert [interp.eval(f'await r2[{i}]["results"]') for i in (0, 1)] == [102, 103]
    workers = {run: {entry["worker"] for entry in interp.eval(f'distributed.results("{run}")')} for run in ("c1", "c2")}
    assert workers == {"c1": {"0", "1"}, "c2": {"0", "1"}}  # tasks of both runs on each worker
    interp.run('distributed.end_run("c1")')
    assert [interp.eval(f'await r2[{i}]["results"]') for i in (0, 1)] == [102, 103]
    assert interp.eval('await r1[1]["results"]') == 9  # an awaited ref keeps its value
    error = error_of(interp, 'x = await never_awaited["results"]')
    assert error.kind == "RunError" and "'c1' has ended" in error.message
    error = error_of(interp, 'distributed.status("c3")')
    assert error.kind == "RunError" and "'c3'" in error.message


def test_await_re_raises_a_remote_error_with_its_worker(cluster) -> None:
    interp, _ = cluster
    interp.run('bad = distributed.submit(x => x.missing_method(), "text")')
    error = error_of(interp, "x = await bad")
    assert error.kind == "RuntimeError" and "missing_method" in error.message
    assert error.hint.startswith("raised on worker ") and error.hint.split()[3] in ("0", "1")
