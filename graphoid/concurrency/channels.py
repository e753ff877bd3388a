"""Channels between threads: `channel()`, `channel(n)`, and `select` over several of them.

A channel with capacity n > 0 holds up to n unread values (`send` waits while it is full);
capacity 0 (`channel()`) is a rendezvous: `send` returns once a receiver has taken the value.
Values are copied on the way in (share-nothing). `close` refuses further sends; what was
sent before is still received, then `receive` answers none. Every blocking wait goes through
graphoid.concurrency.waiting (time limit, end of the program); nothing polls.
"""

from __future__ import annotations

import itertools
import math
import random
import threading
from collections import deque
from typing import Any, Callable, Iterator

from graphoid.concurrency.actors import SHARED_TYPES, copy_message
from graphoid.concurrency.waiting import deadline_after, thread_event, wait
from graphoid.errors import GraphoidError
from graphoid.values.format import display, register_display, register_type_name, type_name
from graphoid.values.methods.registry import find_method
from graphoid.values.types import GList, Symbol

CHANNEL_ERROR = "ChannelError"
_EMPTY = object()  # what `_take` answers when nothing is there to receive
_ids = itertools.count(1)


class Channel:
    """The Graphoid value of a channel; equality is identity."""

    gd_type_name = "channel"
    __slots__ = ("number", "capacity", "closed", "_lock", "_items", "_watchers", "_sent", "_taken")

    def __init__(self, capacity: int = 0) -> None:
        self.number = next(_ids)
        self.capacity = capacity
        self.closed = False
        self._lock = threading.Lock()
        self._items: deque[Any] = deque()
        self._watchers: list[threading.Event] = []  # waits that the next change here ends
        self._sent = 0  # values ever put in; a rendezvous sender's value is number _sent - 1
        self._taken = 0  # values ever taken out

    # ------------------------------------------------------------------ operations

    def send(self, value: Any) -> None:
        """Put a copy of `value` in; waits for room (or, unbuffered, for a receiver)."""
        value = copy_message(value)
        while True:
            with self._lock:
                if self.closed:
                    raise self._closed_error()
                if self.capacity == 0 or len(self._items) < self.capacity:
                    ticket = self._put(value)
                    break
                event = self._watch()
            self._wait(event)
        if self.capacity == 0:
            self._await_receiver(ticket)

    def offer(self, value: Any) -> bool:
        """Put `value` in if there is room now (timers, signals); False when full or closed."""
        with self._lock:
            if self.closed or len(self._items) >= self.capacity:
                return False
            self._put(value)
            return True

    def receive(self) -> Any:
        """The oldest value, waiting for one; none once closed and drained."""
        value = self._next()
        return None if value is _EMPTY else value

    def _next(self) -> Any:
        """The oldest value, waiting for one; _EMPTY once closed and drained."""
        while True:
            with self._lock:
                value = self._take()
                if value is not _EMPTY or self.closed:
                    return value
                event = self._watch()
            self._wait(event)

    def try_receive(self) -> Any:
        """The oldest value if one is there, else none (never waits)."""
        with self._lock:
            value = self._take()
        return None if value is _EMPTY else value

    def close(self) -> None:
        """Refuse further sends (idempotent). Buffered values stay to be received; an unbuffered
        sender still waiting for a receiver gets a ChannelError."""
        with self._lock:
            self.closed = True
            if self.capacity == 0:
                self._items.clear()
            self._notify()

    def is_closed(self) -> bool:
        return self.closed

    def wait_closed(self, deadline: float | None) -> bool:
        """Wait until the channel is closed (True) or `deadline` passes (False): a timer's sleep
        (a runtime helper's: the program's time limit does not apply)."""
        while True:
            with self._lock:
                if self.closed:
                    return True
                event = self._watch()
            if not self._wait(event, deadline, budgeted=False):
                return self.closed

    def __iter__(self) -> Iterator[Any]:
        """`for x in ch`: each value received until the channel is closed and drained."""
        while True:
            value = self._next()
            if value is _EMPTY:
                return
            yield value

    # ------------------------------------------------------------------ internals (lock held)

    def _put(self, value: Any) -> int:
        self._items.append(value)
        self._sent += 1
        self._notify()
        return self._sent - 1

    def _take(self) -> Any:
        if not self._items:
            return _EMPTY
        self._taken += 1
        self._notify()
        return self._items.popleft()

    def _notify(self) -> None:
        """Wake every wait watching this channel; each re-checks and watches again if it must."""
        watchers = self._watchers
        if watchers:
            for event in watchers:
                event.set()
            watchers.clear()

    def _watch(self) -> threading.Event:
        """This thread's event, cleared, for the next change here to set."""
        event = thread_event()
        event.clear()
        self._watchers.append(event)
        return event

    def unwatch(self, event: threading.Event) -> None:
        with self._lock:
            if event in self._watchers:
                self._watchers.remove(event)

    # ------------------------------------------------------------------ internals (no lock)

    def _wait(self, event: threading.Event, deadline: float | None = None, *, budgeted: bool = True) -> bool:
        try:
            return wait(event, deadline, budgeted=budgeted)
        finally:
            self.unwatch(event)

    def _await_receiver(self, ticket: int) -> None:
        """Unbuffered send: wait until value number `ticket` is taken (or the channel closes)."""
        while True:
            with self._lock:
                if self._taken > ticket:
                    return
                if self.closed:
                    raise self._closed_error()
                event = self._watch()
            self._wait(event)

    # ------------------------------------------------------------------ Graphoid value

    def _closed_error(self) -> GraphoidError:
        return GraphoidError(CHANNEL_ERROR, f"send on closed {self.display()}")

    def call(self, name: str, args: tuple = (), kwargs: dict | None = None) -> Any:
        method = _METHODS.get(name)
        if method is None:
            universal = find_method(self, name)  # to_string(), type(), ... like every value
            if universal is not None:
                return universal(self, *args, **(kwargs or {}))
            raise GraphoidError("RuntimeError", f"channel has no method '{name}' ({', '.join(_METHODS)})")
        arity = 1 if name == "send" else 0
        if kwargs or len(args) != arity:
            given = len(args) + len(kwargs or {})
            raise GraphoidError("TypeError", f"channel.{name}() takes {arity} argument{'s' * (arity != 1)}, got {given}")
        return method(self, *args)

    def gd_iter(self) -> Iterator[Any]:
        return iter(self)

    def display(self) -> str:
        return f"<channel#{self.number}>"


_METHODS: dict[str, Callable[..., Any]] = {
    "send": Channel.send, "receive": Channel.receive, "try_receive": Channel.try_receive,
    "close": Channel.close, "is_closed": Channel.is_closed, "capacity": lambda channel: channel.capacity,
}
register_type_name(Channel, Channel.gd_type_name)
SHARED_TYPES.add(Channel)
register_display(Channel, Channel.display)


def make_channel(*args: Any, capacity: Any = None) -> Channel:
    """`channel()`, `channel(n)`, `channel(capacity: n)`."""
    if len(args) > 1 or (args and capacity is not None):
        raise GraphoidError("TypeError", "channel() takes one capacity: channel(n) or channel(capacity: n)")
    size = args[0] if args else (0 if capacity is None else capacity)
    if type(size) is not int or size < 0:
        raise GraphoidError("TypeError", f"channel capacity must be a whole number >= 0, got {display(size)}")
    return Channel(size)


# ---------------------------------------------------------------------------- select

TIMEOUT = Symbol("timeout")
DEFAULT = Symbol("default")
CLOSED = Symbol("closed")


def select(*channels: Any, timeout: Any = None, default: Any = False) -> GList:
    """`select(ch..., timeout: ms | default: true)`: `[channel, value]` from a ready channel
    (a random one when several are), `[:timeout, none]`, `[:default, none]`, or
    `[:closed, none]` once every channel is closed and drained."""
    ready = _select_arguments(channels, timeout, default)
    start = random.randrange(len(ready))
    order = ready[start:] + ready[:start]  # fairness: no channel always wins
    deadline = deadline_after(None if timeout is None else timeout / 1000)
    event = thread_event()
    while True:
        event.clear()  # before it watches any channel: a set from now on is a change to look at
        try:
            found = _take_any(order, event)
            if found is not None:
                return found
            if default is True:
                return GList([DEFAULT, None])
            if not wait(event, deadline):
                return GList([TIMEOUT, None])
        finally:
            for channel in order:
                channel.unwatch(event)


def _take_any(order: list[Channel], event: threading.Event) -> GList | None:
    """The first value found in `order` as `[channel, value]`, `[:closed, none]` when all are
    closed and drained, else None with `event` watching every channel."""
    open_channels = 0
    for channel in order:
        with channel._lock:
            value = channel._take()
            if value is not _EMPTY:
                return GList([channel, value])
            if not channel.closed:
                open_channels += 1
                channel._watchers.append(event)
    return None if open_channels else GList([CLOSED, None])


def _select_arguments(channels: tuple, timeout: Any, default: Any) -> list[Channel]:
    if not channels:
        raise GraphoidError("TypeError", "select() needs at least one channel")
    for channel in channels:
        if not isinstance(channel, Channel):
            raise GraphoidError("TypeError", f"select() takes channels, got {type_name(channel)}")
    if type(default) is not bool:
        raise GraphoidError("TypeError", f"select() default: must be true or false, got {display(default)}")
    if timeout is not None:
        if default:
            raise GraphoidError("TypeError", "select() takes timeout: or default: true, not both")
        if type(timeout) not in (int, float) or not 0 <= timeout < math.inf:
            raise GraphoidError("TypeError", f"select() timeout: must be milliseconds >= 0, got {display(timeout)}")
    return list(channels)
