"""A bug in the worker core stops the worker (fail-stop) instead of leaving the cluster waiting."""

from __future__ import annotations

import select

import pytest

from graphoid.distributed.protocol import Message
from graphoid.distributed.worker import CoreThread


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
