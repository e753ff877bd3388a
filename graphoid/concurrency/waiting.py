"""Blocking waits that end: at the interpreter's time limit, and when the program ends.

Every blocking channel operation waits here on an Event (its thread's reusable one, set by
whatever might let it go on). The wait never outlasts the running budget's deadline (LimitError), and a
thread an ActorSystem runs is woken and stopped with ProgramEnded when that system closes,
so a task blocked on a channel nobody will ever use again cannot keep the process alive.
"""

from __future__ import annotations

import threading
import time
from typing import Callable

from graphoid.values import limits


class ProgramEnded(BaseException):
    """The program ended while this actor or task waited (not an Exception: `catch` cannot
    keep a thread alive past the end)."""


class Cancellation:
    """The end of one ActorSystem's threads. `end_when_stuck` waits until every thread still
    running waits with no deadline (nothing left can wake it), then wakes them all with
    ProgramEnded; a thread that can still make progress is left to finish."""

    __slots__ = ("_changed", "_waiting", "_stuck", "_closers", "running", "cancelled")

    def __init__(self) -> None:
        self._changed = threading.Condition(threading.Lock())
        self._waiting: set[threading.Event] = set()
        self._stuck: set[threading.Event] = set()  # waits among _waiting with no deadline
        self._closers = 0  # calls of end_when_stuck waiting for changes (none: enter/leave need not notify)
        self.running = 0  # threads of the system that have started and not ended
        self.cancelled = False

    def thread_started(self) -> None:
        with self._changed:
            self.running += 1

    def thread_ended(self) -> None:
        with self._changed:
            self.running -= 1
            self._changed.notify_all()

    def enter(self, event: threading.Event, stuck: bool) -> None:
        with self._changed:
            if self.cancelled:
                raise ProgramEnded
            self._waiting.add(event)
            if stuck:
                self._stuck.add(event)
            if self._closers:
                self._changed.notify_all()

    def leave(self, event: threading.Event) -> None:
        with self._changed:
            self._waiting.discard(event)
            self._stuck.discard(event)
            if self._closers:
                self._changed.notify_all()

    def end_when_stuck(self) -> None:
        """Wait until no running thread can make progress, then stop the waiting ones (the
        calling thread, when it is one of them, counts as stuck: it waits for the others)."""
        caller = 1 if getattr(_thread, "cancellation", None) is self else 0
        with self._changed:
            self._closers += 1
            try:
                # A stuck wait whose event is already set is about to go on: not stuck after all.
                while self.running > caller + sum(not event.is_set() for event in self._stuck):
                    self._changed.wait()
            finally:
                self._closers -= 1
            self.cancelled = True
            for event in self._waiting:
                event.set()

    def reset(self) -> None:
        """Let threads wait again (the system was closed and may be used again)."""
        with self._changed:
            self.cancelled = False


_thread = threading.local()  # .cancellation: the Cancellation of the system running this thread; .event: thread_event()


def run_cancellable(cancellation: Cancellation, body: Callable[[], None]) -> None:
    """Run `body` on this thread (an actor's or a task's) under `cancellation`."""
    _thread.cancellation = cancellation
    try:
        body()
    except ProgramEnded:
        pass  # the program ended while this thread waited: nothing left to report
    finally:
        cancellation.thread_ended()


def thread_event() -> threading.Event:
    """This thread's wake-up event, reused by each of its waits instead of a new one per wait
    (a thread waits for one thing at a time). A wait that ends clears it on its next use, and
    every caller re-checks its condition after waking, so a late `set` is harmless."""
    try:
        return _thread.event
    except AttributeError:
        event = _thread.event = threading.Event()
        return event


def deadline_after(seconds: float | None) -> float | None:
    """The monotonic time `seconds` from now (None: no timeout)."""
    return None if seconds is None else time.monotonic() + seconds


def wait(event: threading.Event, deadline: float | None = None, *, budgeted: bool = True) -> bool:
    """Wait until `event` is set (True) or `deadline` passes (False). A LimitError once the
    running budget's time is spent (unless not `budgeted`: helper threads of the runtime);
    ProgramEnded once this thread's system is closing."""
    if event.is_set():  # nothing to wait for: the caller goes on as a thread that never waited
        return True
    timeout, limited = _timeout(deadline) if budgeted else (_seconds_until(deadline), False)
    cancellation = getattr(_thread, "cancellation", None)
    stuck = timeout is None
    if cancellation is not None:
        cancellation.enter(event, stuck)
    try:
        woken = event.wait(timeout)
        if cancellation is not None and cancellation.cancelled:
            raise ProgramEnded
        if not woken and limited:
            budget = limits.active()
            if budget is not None:
                raise budget.time_error()
        return woken
    finally:
        if cancellation is not None:
            cancellation.leave(event)


def _timeout(deadline: float | None) -> tuple[float | None, bool]:
    """Seconds to wait and whether the budget's deadline (not the caller's) bounds them."""
    budget = limits.active()
    left = budget.remaining_time() if budget is not None else None
    own = _seconds_until(deadline)
    if left is None:
        return own, False
    left = max(0.0, left)
    if own is None or left < own:
        return left, True
    return own, False


def _seconds_until(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.0, deadline - time.monotonic())
