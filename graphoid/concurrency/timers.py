"""`timer` and `signal`: channels fed by the runtime.

`timer.after(ms)` and `timer.every(ms)` return a one-slot channel a helper thread feeds
(closing the channel cancels the timer; a tick nobody took yet is not doubled). `signal.on(:sigint)`
returns a channel that receives the signal's symbol each time the process gets it: the
Python handler (main thread) only puts the signal number on a reentrant queue, and a
dispatcher thread hands it to every open listening channel. While nobody listens (every such
channel closed), the signal does what it did before `signal.on`.
"""

from __future__ import annotations

import math
import os
import queue
import signal as os_signal
import threading
import time
from typing import Any, Callable

from graphoid.concurrency.channels import Channel
from graphoid.concurrency.waiting import deadline_after, wait
from graphoid.errors import GraphoidError
from graphoid.values.format import display
from graphoid.values.types import Symbol

TICK = Symbol("tick")
# Starts a daemon helper thread that feeds `channel`: (channel, body, name) -> None.
StartHelper = Callable[[Channel, Callable[[], None], str], None]


def _milliseconds(value: Any, operation: str, *, positive: bool = False) -> float:
    if type(value) not in (int, float) or not math.isfinite(value):
        raise GraphoidError("TypeError", f"{operation} expects milliseconds (a number), got {display(value)}")
    if value < 0 or (positive and value == 0):
        bound = "> 0" if positive else ">= 0"
        raise GraphoidError("ValueError", f"{operation} expects milliseconds {bound}, got {display(value)}")
    return value / 1000


def timer_functions(start_helper: StartHelper, clock: Callable[[], float] = time.monotonic) -> dict[str, Callable[..., Any]]:
    """The members of `timer`; helper threads are started by `start_helper`."""

    def sleep(ms: Any) -> None:
        """Block the calling actor or task for `ms` milliseconds."""
        seconds = _milliseconds(ms, "timer.sleep")
        if seconds:
            wait(threading.Event(), deadline_after(seconds))

    def after(ms: Any, value: Any = TICK) -> Channel:
        """A channel that receives `value` (:tick) once, after `ms` milliseconds, then closes."""
        seconds = _milliseconds(ms, "timer.after")
        channel = Channel(1)
        due = clock() + seconds

        def fire() -> None:
            if not channel.wait_closed(due):
                channel.offer(value)
                channel.close()

        start_helper(channel, fire, "timer.after")
        return channel

    def every(ms: Any) -> Channel:
        """A channel that receives :tick every `ms` milliseconds until it is closed."""
        period = _milliseconds(ms, "timer.every", positive=True)
        channel = Channel(1)

        def tick() -> None:
            due = clock() + period
            while not channel.wait_closed(due):
                channel.offer(TICK)  # a slow receiver misses ticks instead of queueing them
                due = max(due + period, clock())

        start_helper(channel, tick, "timer.every")
        return channel

    return {"sleep": sleep, "after": after, "every": every}


# ---------------------------------------------------------------------------- signals

SIGNALS = {name: getattr(os_signal, name.upper()) for name in ("sigint", "sigterm", "sighup") if hasattr(os_signal, name.upper())}
SIGNAL_QUEUE_SLOTS = 16  # signals a listener may have unread before further ones are dropped


class SignalRouter:
    """The process's signal listeners: signal number -> open channels."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: dict[int, list[Channel]] = {}
        self._previous: dict[int, Any] = {}
        self._arrived: queue.SimpleQueue[int] = queue.SimpleQueue()  # put() is reentrant
        self._dispatcher: threading.Thread | None = None

    def listen(self, name: Any) -> Channel:
        """`signal.on(:sigint)`: a new channel that receives :sigint each time it arrives."""
        number = self._number(name)
        channel = Channel(SIGNAL_QUEUE_SLOTS)
        with self._lock:
            if number not in self._previous:
                self._install(number, name)
            self._listeners.setdefault(number, []).append(channel)
            if self._dispatcher is None:
                self._dispatcher = threading.Thread(target=self._dispatch, name="signal dispatcher", daemon=True)
                self._dispatcher.start()
        return channel

    def _number(self, name: Any) -> int:
        if not isinstance(name, Symbol):
            raise GraphoidError("TypeError", f"signal.on expects a signal symbol ({self._names()}), got {display(name)}")
        number = SIGNALS.get(name.name)
        if number is None:
            raise GraphoidError("ValueError", f"unknown signal :{name.name} (known: {self._names()})")
        return number

    def _names(self) -> str:
        return ", ".join(f":{name}" for name in SIGNALS)

    def _install(self, number: int, name: Symbol) -> None:
        if threading.current_thread() is not threading.main_thread():
            raise GraphoidError(
                "RuntimeError", f"signal.on(:{name.name}) must first be called on the program's main thread"
            )
        self._previous[number] = os_signal.signal(number, self._handle)

    def _handle(self, number: int, frame: Any) -> None:
        """The Python signal handler (main thread): hand off, or act as before when unheard."""
        if any(not channel.closed for channel in self._listeners.get(number, ())):
            self._arrived.put(number)
            return
        previous = self._previous.get(number)
        if callable(previous):
            previous(number, frame)
        elif previous == os_signal.SIG_DFL:
            del self._previous[number]  # a later signal.on installs the handler again
            os_signal.signal(number, os_signal.SIG_DFL)
            os.kill(os.getpid(), number)

    def _dispatch(self) -> None:
        names = {number: Symbol(name) for name, number in SIGNALS.items()}
        while True:
            number = self._arrived.get()
            with self._lock:
                listeners = [channel for channel in self._listeners.get(number, []) if not channel.closed]
                self._listeners[number] = listeners
            for channel in listeners:
                channel.offer(names[number])


ROUTER = SignalRouter()


def signal_functions() -> dict[str, Callable[..., Any]]:
    """The members of `signal`."""
    return {"on": ROUTER.listen}
