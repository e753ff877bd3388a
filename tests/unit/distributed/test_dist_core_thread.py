"""A bug in the worker core stops the worker (fail-stop) instead of leaving the cluster waiting."""

from __future__ import annotations

import pstats
import select

import pytest

from graphoid.distributed.protocol import Message
from graphoid.distributed.worker import PROFILE_ENV, CoreThread


class BrokenCore:
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


class QuietCore:
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
