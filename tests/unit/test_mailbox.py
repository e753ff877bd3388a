"""The actor mailbox (graphoid/concurrency/mailbox.py): FIFO per writer, exactly-once delivery
(also when discard races the reader), close wakes a sleeping reader."""

from __future__ import annotations

import sys
import threading

import pytest

from graphoid.concurrency.mailbox import CLOSED, Mailbox, MailboxClosed

pytestmark = pytest.mark.timeout(60)


def _start(body, *args) -> threading.Thread:
    thread = threading.Thread(target=body, args=args, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def frequent_thread_switches():
    """Switch threads as often as CPython can, so that races show up."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(previous)


def _read_all(mailbox: Mailbox, into: list) -> None:
    while (item := mailbox.get()) is not CLOSED:
        into.append(item)


def test_every_item_arrives_once_in_each_writers_order(frequent_thread_switches) -> None:
    mailbox, received = Mailbox(), []
    reader = _start(_read_all, mailbox, received)
    writers = [_start(lambda w=w: [mailbox.put((w, i)) for i in range(2000)]) for w in range(4)]
    for writer in writers:
        writer.join()
    mailbox.close()
    reader.join()
    assert sorted(received) == [(w, i) for w in range(4) for i in range(2000)]
    for w in range(4):
        assert [i for who, i in received if who == w] == list(range(2000))


def test_close_wakes_a_sleeping_reader_after_the_items_put_before() -> None:
    mailbox, received = Mailbox(), []
    reader = _start(_read_all, mailbox, received)
    mailbox.put(1)
    mailbox.put(2)
    mailbox.close()
    reader.join(30)
    assert not reader.is_alive() and received == [1, 2]
    with pytest.raises(MailboxClosed):
        mailbox.put(3)
    assert mailbox.get() is CLOSED


def test_discard_racing_the_reader_hands_each_item_to_exactly_one_of_them(frequent_thread_switches) -> None:
    for _ in range(50):
        mailbox, received = Mailbox(), []
        for i in range(5000):
            mailbox.put(i)
        reader = _start(_read_all, mailbox, received)
        discarded = mailbox.discard()
        reader.join(30)
        assert not reader.is_alive()
        assert sorted(received + discarded) == list(range(5000))
        assert received == sorted(received) and discarded == sorted(discarded)
