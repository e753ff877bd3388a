"""Partitions run on between the supersteps of a call (issue 8 §8): the coordinator starts and
ends a messaging call, and the batches the workers exchange are the barrier between its steps.
Checked on the driver's traffic, on the in-process executor and on 2 worker processes: results
and errors are the local graph's, STEP_BEGIN goes out for step 0 (and after a RESHAPE) only,
and every step is still reported."""

from __future__ import annotations

import collections
import io
import itertools

import pytest

import graphoid.distributed  # noqa: F401  (registers the module)
from graphoid.distributed.api import session_of
from graphoid.distributed.codec import encode
from graphoid.distributed.protocol import Message
from graphoid.distributed.tracing import observe
from graphoid.errors import GraphoidError
from graphoid.runtime.interpreter import Interpreter
from graphoid.values.types import GList
from graphoid.values.format import display

pytestmark = pytest.mark.timeout(180)

EXECUTORS = ("inprocess", "cluster")

RELAY = """
graph Relay {
    handled = 0
    fn on_message(msg) {
        match msg {
            [:hop, k] => {
                handled = handled + 1
                if k > 0 { self.graph.send([:hop, k - 1], from: self.id, via: "*") }
            }
            [:fail_at, k] => {
                handled = handled + 1
                if k == 0 { return self.missing_method() }
                self.graph.send([:fail_at, k - 1], from: self.id, via: "*")
            }
            [:grow_at, k] => {
                handled = handled + 1
                if k == 0 { self.graph.add_node("grown-" + self.id, 0) }
                if k > -2 { self.graph.send([:grow_at, k - 1], from: self.id, via: "*") }
            }
            :count => { return handled }
        }
    }
}
fn ring() {
    g = graph { type: :directed }
    for i in range(8) { g.add_edge("n" + i.to_string(), "n" + ((i + 1) % 8).to_string()) }
    return g
}
fn counts(g) { return range(8).map(i => g.request(:count, to: "n" + i.to_string())) }
"""


class Traffic:
    """Counts the message types the driver sends and receives (tracing.Observer)."""

    def __init__(self) -> None:
        self.out: collections.Counter[str] = collections.Counter()
        self.came: collections.Counter[str] = collections.Counter()

    def sent(self, worker_id, message, now) -> None:
        self.out[message.type] += 1

    def received(self, worker_id, message, now) -> None:
        self.came[message.type] += 1

    def waiting(self, active, now) -> None:
        pass


@pytest.fixture(scope="module")
def sessions(tmp_path_factory):
    started: dict[str, tuple[Interpreter, Traffic]] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GRAPHOID_HOME", str(tmp_path_factory.mktemp("home")))  # before any worker starts
        try:
            for executor in EXECUTORS:
                interp = Interpreter(stdout=io.StringIO())
                interp.run(f'import "distributed"\ndistributed.configure({{executor: :{executor}, workers: 2}})\n'
                           + RELAY, "run_on_test.gd")
                traffic = Traffic()
                started[executor] = (interp, traffic)
                interp.run("distributed.map([1], fn(x) { return x })\n", "run_on_start.gd")
                observe(session_of(interp).executor(), [traffic])
            yield started
        finally:
            for interp, _ in started.values():
                session_of(interp).close()


_RUNS = itertools.count()


def run(interp: Interpreter, program: str) -> None:
    """Run `program` as a file of its own: the functions of earlier ones stay sendable."""
    interp.run(program, f"run_on_{next(_RUNS)}.gd")


def place(interp: Interpreter, traffic: Traffic) -> None:
    run(interp, "d = distributed.distribute(ring(), partitions: 2)\nd.set_behavior(Relay)\n"
                "g = ring()\ng.set_behavior(Relay)\n")
    traffic.out.clear()
    traffic.came.clear()


@pytest.mark.parametrize("executor", EXECUTORS)
def test_a_call_of_many_supersteps_is_begun_once_and_every_step_reported(sessions, executor):
    interp, traffic = sessions[executor]
    place(interp, traffic)
    run(interp, 'd.send([:hop, 6], to: ["n0"])\n')
    # 7 supersteps, the message crossing the cut on the way: begun once per partition
    assert traffic.out["STEP_BEGIN"] == 2 and traffic.out["COMMIT"] == 2
    assert traffic.came["STEP_DONE"] == 7 * 2
    run(interp, 'g.send([:hop, 6], to: ["n0"])\n')
    assert display(interp.eval("counts(d)")) == display(interp.eval("counts(g)")) == "[1, 1, 1, 1, 1, 1, 1, 0]"


@pytest.mark.parametrize("executor", EXECUTORS)
def test_a_handler_error_steps_into_the_call_halts_every_partition_and_rolls_back(sessions, executor):
    interp, traffic = sessions[executor]
    place(interp, traffic)
    with pytest.raises(GraphoidError) as local:
        run(interp, 'g.send([:fail_at, 4], to: ["n0"])\n')
    with pytest.raises(GraphoidError) as distributed:
        run(interp, 'd.send([:fail_at, 4], to: ["n0"])\n')
    assert (distributed.value.kind, distributed.value.message) == (local.value.kind, local.value.message)
    assert traffic.out["STEP_BEGIN"] == 2 and traffic.out["ROLLBACK"] == 2 and traffic.out["COMMIT"] == 0
    assert traffic.came["STEP_DONE"] == 5 * 2  # every partition stopped at the failing step
    assert display(interp.eval("counts(d)")) == "[0, 0, 0, 0, 0, 0, 0, 0]"  # rolled back
    run(interp, 'd.send([:hop, 2], to: ["n0"])\n')  # and the graph takes the next call
    assert display(interp.eval("counts(d)")) == "[1, 1, 1, 0, 0, 0, 0, 0]"


@pytest.mark.parametrize("executor", EXECUTORS)
def test_topology_changes_halt_the_partitions_and_the_coordinator_begins_the_next_step(sessions, executor):
    interp, traffic = sessions[executor]
    place(interp, traffic)
    run(interp, 'd.send([:grow_at, 2], to: ["n0"])\ng.send([:grow_at, 2], to: ["n0"])\n')
    # steps 0-2 run on, the reshape after step 2, then steps 3-4 begun by the coordinator
    assert traffic.out["RESHAPE"] == 2 and traffic.out["STEP_BEGIN"] == 2 * 2
    assert traffic.came["STEP_DONE"] == 5 * 2
    assert display(interp.eval("[d.node_count(), counts(d)]")) == display(interp.eval("[g.node_count(), counts(g)]"))
    assert display(interp.eval('d.has_node("grown-n2")')) == "true"


def test_a_batch_that_arrives_after_its_call_ended_is_dropped(sessions):
    """A peer's batch of the last step can reach a worker after the COMMIT (it travels worker
    to worker, the COMMIT from the driver): it must not start the finished call again."""
    interp, traffic = sessions["inprocess"]
    place(interp, traffic)
    run(interp, 'd.send([:hop, 3], to: ["n0"])\n')
    executor = session_of(interp).executor()
    name = interp.lookup("d").name
    late = encode(GList((None, None, GList(), GList())))
    for core in executor.cores.values():
        for part in range(2):
            core.handle(Message.new("STEP_MSGS", src="x", id=1, graph=name, call=executor._call_ids, step=3,
                                    part=part, source=1 - part, sent=0, halt=False, payload=[late]))
        assert core.supersteps.calls == {}


class ReportBursts:
    """The STEP_DONE reports each handle() call of the in-process cores sent, per call that
    sent any: [(part, step, sent, failed)]."""

    def __init__(self, executor) -> None:
        self.bursts: list[list[tuple[int, int, int, bool]]] = []
        for core in executor.cores.values():
            handle = core.handle

            def recording(message, handle=handle):
                out = handle(message)
                burst = [(item.message["part"], item.message["step"], item.message["sent"],
                          "failed" in item.message.header) for item in out if item.message.type == "STEP_DONE"]
                if burst:
                    self.bursts.append(burst)
                return out
            core.handle = recording

    def of(self, part: int) -> list[list[tuple[int, int, bool]]]:
        """Partition `part`'s bursts: [(step, sent, failed)]."""
        found = [[(step, sent, failed) for p, step, sent, failed in burst if p == part] for burst in self.bursts]
        return [burst for burst in found if burst]


@pytest.fixture
def bursts(sessions):
    executor = session_of(sessions["inprocess"][0]).executor()
    recorder = ReportBursts(executor)
    yield recorder
    for core in executor.cores.values():
        del core.handle  # the class's handle again


def steps_of(bursts: list[list[tuple[int, int, bool]]]) -> list[int]:
    return [step for burst in bursts for step, _, _ in burst]


def test_a_partition_holds_the_report_of_a_step_it_sent_messages_in(sessions, bursts):
    """The report of a step in which the partition sent messages goes with the partition's
    next report: every step is reported, in step order, and only a report without messages
    (the call may end there) leaves at once."""
    interp, traffic = sessions["inprocess"]
    place(interp, traffic)
    bursts.bursts.clear()
    run(interp, 'd.broadcast([:hop, 3])\n')
    for part in (0, 1):
        reports = bursts.of(part)
        assert steps_of(reports) == [0, 1, 2, 3]  # hop 3, 2, 1, 0
        for burst in reports:
            assert all(sent > 0 for _, sent, _ in burst[:-1]) and burst[-1][1] == 0
        assert len(reports[0]) > 1  # held: step 0 (every node sent) went with a later report
    assert traffic.came["STEP_DONE"] == 4 * 2
    run(interp, 'g.broadcast([:hop, 3])\n')
    assert display(interp.eval("counts(d)")) == display(interp.eval("counts(g)"))


def test_a_failing_step_releases_the_held_reports_before_its_failure(sessions, bursts):
    interp, traffic = sessions["inprocess"]
    place(interp, traffic)
    bursts.bursts.clear()
    with pytest.raises(GraphoidError) as distributed:
        run(interp, 'd.broadcast([:fail_at, 2])\n')
    with pytest.raises(GraphoidError) as local:
        run(interp, 'g.broadcast([:fail_at, 2])\n')
    assert (distributed.value.kind, distributed.value.message) == (local.value.kind, local.value.message)
    for part in (0, 1):
        reports = bursts.of(part)
        assert steps_of(reports) == [0, 1, 2]
        assert len(reports) == 1  # steps 0 and 1 sent messages: held until step 2 ended the call here
        assert all(not failed for _, _, failed in reports[0][:-1])
    assert sum(reports[0][-1][2] for reports in map(bursts.of, (0, 1))) == 2  # every node fails at step 2
    assert display(interp.eval("counts(d)")) == "[0, 0, 0, 0, 0, 0, 0, 0]"  # rolled back


def test_the_superstep_limit_releases_the_held_reports(sessions, bursts):
    """At the last step the limit allows, a partition cannot run on: it reports at once."""
    interp, traffic = sessions["inprocess"]
    place(interp, traffic)
    bursts.bursts.clear()
    with pytest.raises(GraphoidError) as distributed:
        run(interp, 'd.broadcast([:hop, 6], max_supersteps: 3)\n')
    with pytest.raises(GraphoidError) as local:
        run(interp, 'g.broadcast([:hop, 6], max_supersteps: 3)\n')
    assert (distributed.value.kind, distributed.value.message) == (local.value.kind, local.value.message)
    for part in (0, 1):
        reports = bursts.of(part)
        assert len(reports) == 1 and [step for step, _, _ in reports[0]] == [0, 1, 2]
        assert all(sent > 0 and not failed for _, sent, failed in reports[0])  # the last one too


def test_a_peer_that_halts_releases_the_held_reports(sessions, bursts):
    """Topology changes halt the partition that made them; its peers, holding the report of a
    step they sent messages in, learn it from its batch and report at once."""
    interp, traffic = sessions["inprocess"]
    place(interp, traffic)
    bursts.bursts.clear()
    run(interp, 'd.send([:grow_at, 2], to: ["n0"])\n')
    for part in (0, 1):
        assert steps_of(bursts.of(part)) == [0, 1, 2, 3, 4]
    run(interp, 'g.send([:grow_at, 2], to: ["n0"])\n')
    assert display(interp.eval("[d.node_count(), counts(d)]")) == display(interp.eval("[g.node_count(), counts(g)]"))
