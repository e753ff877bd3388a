"""A closable first-in first-out queue between threads: an actor's mailbox.

It is the channel the rest of the concurrency package builds on: `put` raises once the
mailbox is closed, `get` drains what was put before the close and then answers CLOSED.

Lean on purpose (every actor message passes here twice): writers append under a plain lock;
the one reader pops without it while items are there (deque.popleft is atomic) and takes
the lock only to go to sleep, on a lock of its own that the next put releases.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Any

CLOSED = object()  # what `get` answers once the mailbox is closed and empty


class MailboxClosed(Exception):
    """`put` on a closed mailbox."""


class Mailbox:
    """Unbounded FIFO; any number of writers, one reader."""

    __slots__ = ("_items", "_lock", "_wakeup", "_reader_asleep", "closed")

    def __init__(self) -> None:
        self._items: deque[Any] = deque()
        self._lock = threading.Lock()
        self._wakeup = threading.Lock()  # held while nobody is to wake the reader; released to wake it
        self._wakeup.acquire()
        self._reader_asleep = False
        self.closed = False

    def put(self, item: Any) -> None:
        with self._lock:
            if self.closed:
                raise MailboxClosed
            self._items.append(item)
            if self._reader_asleep:
                self._wake_reader()

    def get(self) -> Any:
        """The oldest item, waiting for one; CLOSED once closed and drained."""
        try:
            return self._items.popleft()
        except IndexError:
            return self._get_waiting()

    def _get_waiting(self) -> Any:
        while True:
            with self._lock:
                if self._items:
                    return self._items.popleft()
                if self.closed:
                    return CLOSED
                self._reader_asleep = True
            self._wakeup.acquire()

    def close(self) -> None:
        """Refuse further puts; items already in stay to be drained. Idempotent."""
        with self._lock:
            self.closed = True
            if self._reader_asleep:
                self._wake_reader()

    def discard(self) -> list[Any]:
        """Close and take every item still waiting (the reader is gone)."""
        with self._lock:
            self.closed = True
            items = []
            pop = self._items.popleft
            while self._items:  # one by one: the reader may pop one meanwhile, never both
                try:
                    items.append(pop())
                except IndexError:
                    break
            if self._reader_asleep:
                self._wake_reader()
            return items

    def _wake_reader(self) -> None:
        """(lock held) Let the sleeping reader go on; it wakes once per sleep."""
        self._reader_asleep = False
        self._wakeup.release()
