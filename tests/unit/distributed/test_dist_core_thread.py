"""A bug in the worker core stops the worker (fail-stop) instead of leaving the cluster waiting."""

from __future__ import annotations

import pstats
import select

import pytest

from graphoid.distributed.protocol import Message
from graphoid.distributed.worker import PROFILE_ENV, CoreThread


class FakeCore:
    """What CoreThread needs of a core besides `handle`: no deferred work."""

    worker_id = "0"
    can_defer = False

    def __init__(self) -> None:
        self.deferred: list = []

    def run_deferred(self) -> None:
        work, self.deferred = self.deferred, []
        for item in work:
            item()


class BrokenCore(FakeCore):
    worker_id = "7"

    def handle(self, message: Message) -> list:
        raise KeyError(0)


@pytest.mark.timeout(20)
def test_an_exception_in_the_core_is_reported_and_wakes_the_loop() -> None:
    thread = CoreThread(BrokenCore())  # type: ignore[arg-type]
    thread.submit(Message.new("STATS", src="coordinator", id=1))
    ready, _, _ = select.select([thread.wake], [], [], 10)
    assert ready, "the loop was never woken"
    assert thread.results() == []
    assert thread.failure == "internal error in the worker core: KeyError: 0"


class QuietCore(FakeCore):
    worker_id = "3"

    def handle(self, message: Message) -> list:
        return []


@pytest.mark.timeout(30)
def test_the_profile_variable_makes_the_core_thread_write_a_profile(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(PROFILE_ENV, str(tmp_path))
    thread = CoreThread(QuietCore())  # type: ignore[arg-type]
    thread.submit(Message.new("STATS", src="coordinator", id=1))
    thread.close()
    (written,) = tmp_path.glob("worker-3-*.prof")
    assert "handle" in {name for _, _, name in pstats.Stats(str(written)).stats}


@pytest.mark.timeout(30)
def test_without_the_profile_variable_nothing_is_written(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv(PROFILE_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    thread = CoreThread(QuietCore())  # type: ignore[arg-type]
    thread.close()
    assert list(tmp_path.iterdir()) == []


class RecordingCore(FakeCore):
    """Records what it handles, one list per inbox batch, and answers nothing."""
    worker_id = "5"

    def __init__(self) -> None:
        super().__init__()
        self.handled: list[str] = []
        import threading
        self.done = threading.Event()

    def handle(self, message: Message) -> list:
        self.handled.append(message.type)
        if message.type == "END_RUN":
            self.done.set()
        return []


@pytest.mark.timeout(20)
def test_queued_messages_wait_for_the_hand_over_and_keep_their_order() -> None:
    core = RecordingCore()
    thread = CoreThread(core)  # type: ignore[arg-type]
    try:
        thread.queue(Message.new("STATS", src="coordinator", id=1))
        thread.queue(Message.new("HEARTBEAT", src="coordinator", id=2))
        assert not core.done.wait(0.2) and core.handled == []  # not handed over yet
        thread.submit(Message.new("END_RUN", src="coordinator", id=3))  # goes after the queued ones
        assert core.done.wait(10)
        assert core.handled == ["STATS", "HEARTBEAT", "END_RUN"]
        core.done.clear()
        thread.queue(Message.new("END_RUN", src="coordinator", id=4))
        thread.hand_over()
        thread.hand_over()  # nothing more to hand over: no empty batch
        assert core.done.wait(10)
        assert core.handled == ["STATS", "HEARTBEAT", "END_RUN", "END_RUN"]
    finally:
        thread.close()


class AnsweringCore(FakeCore):
    """Answers every message with one outgoing message, except a failure on FAILED."""
    worker_id = "6"

    def handle(self, message: Message) -> list:
        if message.type == "CANCEL":
            raise KeyError("boom")
        from graphoid.distributed.core import Outgoing
        return [Outgoing("coordinator", Message.new("STATS_REPLY", src="6", id=message["id"]))]


@pytest.mark.timeout(20)
def test_each_message_of_a_batch_sends_its_answer_and_a_failure_stops_the_batch() -> None:
    thread = CoreThread(AnsweringCore())  # type: ignore[arg-type]
    for number in (1, 2):
        thread.queue(Message.new("STATS", src="coordinator", id=number))
    thread.queue(Message.new("CANCEL", src="coordinator", id=3, task="t"))
    thread.queue(Message.new("STATS", src="coordinator", id=4))  # after the failure: never handled
    thread.hand_over()
    answers: list[int] = []
    while thread.failure is None or len(answers) < 2:
        select.select([thread.wake], [], [], 10)
        answers.extend(item.message["id"] for item in thread.results())
    assert answers == [1, 2]
    assert thread.failure == "internal error in the worker core: KeyError: 'boom'"


class DeferringCore(FakeCore):
    """Answers each message and defers work that records what the loop had taken by then."""

    worker_id = "4"

    def __init__(self, thread_events: list) -> None:
        super().__init__()
        self.events = thread_events
        import threading
        self.ran = threading.Event()

    def handle(self, message: Message) -> list:
        from graphoid.distributed.core import Outgoing

        self.deferred.append(lambda: (self.events.append("deferred work"), self.ran.set()))
        return [Outgoing("coordinator", Message.new("STEP_DONE", src="4", id=message["id"], graph="g", call=1,
                                                    step=1, part=0, sent=0))]


@pytest.mark.timeout(20)
def test_deferred_work_runs_once_the_loop_has_sent_what_the_core_made() -> None:
    events: list[str] = []
    core = DeferringCore(events)
    thread = CoreThread(core)  # type: ignore[arg-type]
    try:
        assert core.can_defer  # the core thread runs deferred work: the core may defer
        thread.submit(Message.new("STATS", src="coordinator", id=1))
        select.select([thread.wake], [], [], 10)
        taken = thread.results()  # what the loop does when woken...
        events.append("sent " + taken[0].message.type)
        thread.routed()  # ... and then says so
        assert core.ran.wait(10)
        assert events == ["sent STEP_DONE", "deferred work"]
    finally:
        thread.close()


@pytest.mark.timeout(20)
def test_deferred_work_runs_even_when_the_loop_does_not_answer() -> None:
    events: list[str] = []
    core = DeferringCore(events)
    thread = CoreThread(core)  # type: ignore[arg-type]
    try:
        thread.submit(Message.new("STATS", src="coordinator", id=1))
        assert core.ran.wait(10)  # after the short wait for the loop, not never
        assert events == ["deferred work"]
    finally:
        thread.close()


class FailingLater(FakeCore):
    worker_id = "8"

    def handle(self, message: Message) -> list:
        self.deferred.append(lambda: {}["missing"])
        return []


@pytest.mark.timeout(20)
def test_an_exception_in_deferred_work_stops_the_core_like_one_in_handle() -> None:
    thread = CoreThread(FailingLater())  # type: ignore[arg-type]
    thread.submit(Message.new("STATS", src="coordinator", id=1))
    ready, _, _ = select.select([thread.wake], [], [], 10)
    assert ready, "the loop was never woken"
    assert thread.failure == "internal error in the worker core: KeyError: 'missing'"
