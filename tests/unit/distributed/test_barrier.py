"""The superstep barrier as a pure state machine: no sockets, no clock."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphoid.distributed.barrier import Abort, Commit, Continue, Rollback, StepFailure, SuperstepBarrier


def test_steps_continue_while_messages_are_pending_then_commit() -> None:
    barrier = SuperstepBarrier.over([0, 1], max_supersteps=100)
    assert barrier.report(0, 0, sent=3) is None
    assert barrier.waiting_for == {1}
    assert barrier.report(1, 0, sent=2) == Continue(1)
    assert barrier.report(1, 1, sent=0) is None
    assert barrier.report(0, 1, sent=0) == Commit(steps=2, messages=5)


def test_reports_for_another_step_or_partition_or_twice_are_ignored() -> None:
    barrier = SuperstepBarrier.over([0, 1], max_supersteps=100)
    assert barrier.report(0, 1, sent=5) is None  # a step that has not begun
    assert barrier.report(7, 0, sent=5) is None  # not a partition of this call
    assert barrier.report(0, 0, sent=1) is None
    assert barrier.report(0, 0, sent=9) is None  # resent: counted once
    assert barrier.report(1, 0, sent=0) == Continue(1)
    assert barrier.report(0, 0, sent=1) is None  # late report of a finished step


def test_the_failure_of_the_smallest_node_id_wins_whatever_the_partition() -> None:
    barrier = SuperstepBarrier.over([0, 1, 2], max_supersteps=100)
    barrier.report(0, 0, sent=4, failure=StepFailure("n7", "RuntimeError", "seven"))
    barrier.report(1, 0, sent=0)
    decision = barrier.report(2, 0, sent=0, failure=StepFailure("n3", "ValueError", "three"))
    assert decision == Rollback(0, StepFailure("n3", "ValueError", "three"), 2)
    assert barrier.report(0, 1, sent=0) is None  # decided: nothing more happens


def test_a_cascade_that_never_settles_stops_at_the_limit_like_a_local_graph() -> None:
    barrier = SuperstepBarrier.over([0], max_supersteps=3)
    assert barrier.report(0, 0, sent=1) == Continue(1)
    assert barrier.report(0, 1, sent=1) == Continue(2)
    decision = barrier.report(0, 2, sent=4)
    assert isinstance(decision, Rollback) and decision.partition is None
    assert decision.failure.kind == "LimitError"
    assert decision.failure.message == "Graph messaging did not settle within 3 supersteps (4 messages still pending)"


def test_a_lost_partition_aborts_the_call_at_once() -> None:
    barrier = SuperstepBarrier.over([0, 1, 2], max_supersteps=10)
    barrier.report(0, 0, sent=1)
    assert barrier.lost([5]) is None  # not ours
    assert barrier.lost([2, 1]) == Abort(0, (1, 2))
    assert barrier.report(1, 0, sent=0) is None
    assert barrier.lost([0]) is None  # already decided


def test_bad_construction_is_refused() -> None:
    with pytest.raises(ValueError):
        SuperstepBarrier.over([], max_supersteps=10)
    with pytest.raises(ValueError):
        SuperstepBarrier.over([0], max_supersteps=0)


@given(
    st.lists(st.lists(st.integers(0, 5), min_size=3, max_size=3), min_size=1, max_size=6),
    st.randoms(use_true_random=False),
)
def test_the_decision_does_not_depend_on_the_order_reports_arrive_in(steps: list[list[int]], rng) -> None:
    """Whatever order the partitions report in (duplicates included), the decisions are the
    ones the per-step totals dictate."""
    barrier = SuperstepBarrier.over([0, 1, 2], max_supersteps=1000)
    decisions = []
    for step, sent in enumerate(steps):
        order = [0, 1, 2, rng.randrange(3)]
        rng.shuffle(order)
        outcome = [barrier.report(p, step, sent[p]) for p in order]
        decided = [d for d in outcome if d is not None]
        assert len(decided) == 1
        decisions.append(decided[0])
        if isinstance(decided[0], Commit):
            break
    expected = []
    total = 0
    for step, sent in enumerate(steps):
        if sum(sent) == 0:
            expected.append(Commit(step + 1, total))
            break
        total += sum(sent)
        expected.append(Continue(step + 1))
    assert decisions == expected


# ---- partitions that run on (each begins the next step itself once it holds its peers' batches)


def test_early_reports_of_partitions_that_run_on_wait_for_their_step() -> None:
    barrier = SuperstepBarrier.over([0, 1], max_supersteps=100, runs_on=True)
    assert barrier.report(0, 0, sent=3) is None
    assert barrier.report(0, 1, sent=0) is None  # partition 0 finished step 1 before 1's report of step 0 came
    assert barrier.report(0, 2, sent=0) is None  # (a step that will never run: never counted)
    assert barrier.report(1, 0, sent=2) == Continue(1)  # no early report of step 1 completes it
    assert barrier.report(1, 1, sent=0) == Commit(steps=2, messages=5)


def test_a_continue_that_early_reports_complete_gives_the_next_decision() -> None:
    barrier = SuperstepBarrier.over([0, 1], max_supersteps=100, runs_on=True)
    barrier.report(0, 0, sent=1)
    barrier.report(0, 1, sent=4)
    barrier.report(1, 1, sent=0, failure=StepFailure("b", "KeyError", "no b"))
    barrier.report(0, 2, sent=0)
    decision = barrier.report(1, 0, sent=1)  # completes step 0, then step 1 at once
    assert decision == Rollback(1, StepFailure("b", "KeyError", "no b"), 1)
    assert barrier.report(1, 2, sent=0) is None


def test_early_reports_at_or_past_the_limit_or_from_lockstep_partitions_are_ignored() -> None:
    runs_on = SuperstepBarrier.over([0, 1], max_supersteps=2, runs_on=True)
    runs_on.report(0, 2, sent=0)  # past the limit: no partition runs that step
    runs_on.report(0, 0, sent=1)
    assert runs_on.report(1, 0, sent=0) == Continue(1)
    runs_on.report(0, 1, sent=1)
    decision = runs_on.report(1, 1, sent=0)
    assert isinstance(decision, Rollback) and decision.failure.kind == "LimitError"
    lockstep = SuperstepBarrier.over([0, 1], max_supersteps=10)
    lockstep.report(0, 1, sent=0)
    lockstep.report(0, 0, sent=1)
    assert lockstep.report(1, 0, sent=0) == Continue(1)
    assert lockstep.report(1, 1, sent=0) is None  # partition 0's report of step 1 came too early: not kept


@given(
    st.lists(st.lists(st.integers(0, 5), min_size=3, max_size=3), min_size=1, max_size=6),
    st.randoms(use_true_random=False),
)
def test_run_on_decisions_do_not_depend_on_how_far_ahead_reports_arrive(steps: list[list[int]], rng) -> None:
    """Every report of every step the partitions run, shuffled across steps (a partition's
    reports in its own order): the last decision is the lockstep barrier's."""
    lockstep = SuperstepBarrier.over([0, 1, 2], max_supersteps=1000)
    final = None
    ran = 0
    for step, sent in enumerate(steps):
        final = [lockstep.report(p, step, sent[p]) for p in (0, 1, 2)][-1]
        ran = step + 1
        if isinstance(final, Commit):
            break
    runs_on = SuperstepBarrier.over([0, 1, 2], max_supersteps=1000, runs_on=True)
    queues = [[(p, step, steps[step][p]) for step in range(ran)] for p in (0, 1, 2)]
    decisions = []
    while any(queues):
        queue = rng.choice([q for q in queues if q])
        decisions.append(runs_on.report(*queue.pop(0)))
    assert [d for d in decisions if d is not None and not isinstance(d, Continue)] == (
        [final] if not isinstance(final, Continue) else [])
