"""A closable first-in first-out queue between threads: an actor's mailbox.

It is the channel the rest of the concurrency package builds on: `put` raises once the
mailbox is closed, `get` drains what was put before the close and then answers CLOSED.
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

    __slots__ = ("_items", "_ready", "closed")

    def __init__(self) -> None:
        self._items: deque[Any] = deque()
        self._ready = threading.Condition(threading.Lock())
        self.closed = False

    def put(self, item: Any) -> None:
        with self._ready:
            if self.closed:
                raise MailboxClosed
            self._items.append(item)
            self._ready.notify()

    def get(self) -> Any:
        """The oldest item, waiting for one; CLOSED once closed and drained."""
        with self._ready:
            while not self._items:
                if self.closed:
                    return CLOSED
                self._ready.wait()
            return self._items.popleft()

    def close(self) -> None:
        """Refuse further puts; items already in stay to be drained. Idempotent."""
        with self._ready:
            self.closed = True
            self._ready.notify_all()

    def discard(self) -> list[Any]:
        """Close and take every item still waiting (the reader is gone)."""
        with self._ready:
            self.closed = True
            items = list(self._items)
            self._items.clear()
            self._ready.notify_all()
            return items
