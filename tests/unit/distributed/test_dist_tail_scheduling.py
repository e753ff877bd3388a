"""The driver's task window: unplaced tasks go to the least busy worker, and in the tail of an
operation (no more tasks left than workers) a busy worker takes no second task, so the last
chunks of a map go to whichever worker frees up first instead of waiting behind a busy one."""

from __future__ import annotations

from collections import deque
from types import SimpleNamespace

from graphoid.distributed.executor.driver import MessageDriver, Operation, Planned, TaskRecord


def queue_of(count: int) -> deque:
    items = deque()
    for order in range(count):
        task = Planned(None, "run", spec=None, frames=[])  # type: ignore[arg-type]
        items.append((task, TaskRecord(f"t{order}", "run", None, order, Operation())))
    return items


def send_some(queue: deque, in_flight: dict[str, int], window: int) -> dict[str, int]:
    """What one round of _send_some hands each worker."""
    sent: dict[str, int] = {}
    driver = SimpleNamespace(
        _lost=set(),
        _submit_message=lambda tasks: tasks,
        _deliver=lambda batch: [sent.__setitem__(worker, sent.get(worker, 0) + len(tasks)) for worker, tasks in batch],
    )
    MessageDriver._send_some(driver, {None: queue}, in_flight, window)  # type: ignore[arg-type]
    return sent


def test_a_long_queue_fills_every_window() -> None:
    in_flight = {"0": 0, "1": 0}
    assert send_some(queue_of(16), in_flight, window=2) == {"0": 2, "1": 2}
    assert in_flight == {"0": 2, "1": 2}


def test_the_tail_waits_for_an_idle_worker() -> None:
    queue = queue_of(2)
    in_flight = {"0": 1, "1": 1}
    assert send_some(queue, in_flight, window=2) == {}
    assert len(queue) == 2
    in_flight["1"] = 0  # worker 1 finished its chunk
    assert send_some(queue, in_flight, window=2) == {"1": 1}
    assert len(queue) == 1


def test_idle_workers_take_the_tail_at_once() -> None:
    in_flight = {"0": 0, "1": 0}
    assert send_some(queue_of(2), in_flight, window=4) == {"0": 1, "1": 1}


def test_a_single_worker_still_gets_every_task_in_turn() -> None:
    queue = queue_of(3)
    in_flight = {"0": 0}
    assert send_some(queue, in_flight, window=8) == {"0": 3}
