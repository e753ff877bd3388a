"""The Python twin of actors_channels.gd: the same structures with queue.Queue and threads.

An actor is a thread reading its inbox queue; a request carries the queue its answer goes to
(one per asking thread, as an actor's caller would keep one). A channel is a queue.Queue: with
a capacity it is bounded; unbuffered it is a rendezvous (the sender waits in `join` until the
receiver marked the value done). Closing a channel or an actor sends STOP.
"""

from __future__ import annotations

import queue
import threading
from typing import Any, Callable

STOP = object()
TOTAL = object()


def _start(body: Callable[[], None]) -> threading.Thread:
    thread = threading.Thread(target=body, daemon=True)
    thread.start()
    return thread


def ping_pong(n: int) -> int:
    """Request/reply between two threads: the pinger asks the ponger n times, one at a time."""
    ponger_inbox: queue.Queue[Any] = queue.Queue()
    pinger_inbox: queue.Queue[Any] = queue.Queue()

    def ponger() -> None:
        while (item := ponger_inbox.get()) is not STOP:
            message, reply = item
            reply.put(message + 1)

    def pinger() -> None:
        answers: queue.Queue[int] = queue.Queue()
        while (item := pinger_inbox.get()) is not STOP:
            count, reply = item
            total = 0
            for i in range(count):
                ponger_inbox.put((i, answers))
                total += answers.get()
            reply.put(total)

    threads = [_start(ponger), _start(pinger)]
    answer: queue.Queue[int] = queue.Queue()
    pinger_inbox.put((n, answer))
    total = answer.get()
    pinger_inbox.put(STOP)
    ponger_inbox.put(STOP)
    for thread in threads:
        thread.join()
    return total


def send_then_request(n: int) -> int:
    """n sends into one thread's inbox, then one request that waits for all of them."""
    inbox: queue.Queue[Any] = queue.Queue()

    def accumulator() -> None:
        total = 0
        while (item := inbox.get()) is not STOP:
            if type(item) is tuple:
                item[1].put(total)
            else:
                total += item

    thread = _start(accumulator)
    for i in range(n):
        inbox.put(i)
    answer: queue.Queue[int] = queue.Queue()
    inbox.put((TOTAL, answer))
    total = answer.get()
    inbox.put(STOP)
    thread.join()
    return total


def _sender(channel: queue.Queue[Any], capacity: int) -> Callable[[Any], None]:
    """`send` on a channel of `capacity`: a rendezvous when it is 0."""
    if capacity:
        return channel.put

    def rendezvous(value: Any) -> None:
        channel.put(value)
        channel.join()

    return rendezvous


def _receiver(channel: queue.Queue[Any], capacity: int) -> Callable[[], Any]:
    if capacity:
        return channel.get

    def take() -> Any:
        value = channel.get()
        channel.task_done()
        return value

    return take


def pipeline(n: int, capacity: int) -> int:
    """producer thread -> queue -> transformer thread -> queue -> consumer (this thread)."""
    numbers: queue.Queue[Any] = queue.Queue(capacity)
    transformed: queue.Queue[Any] = queue.Queue(capacity)
    send_number, receive_number = _sender(numbers, capacity), _receiver(numbers, capacity)
    send_transformed, receive_transformed = _sender(transformed, capacity), _receiver(transformed, capacity)

    def producer() -> None:
        for i in range(n):
            send_number(i)
        send_number(STOP)

    def transformer() -> None:
        while (x := receive_number()) is not STOP:
            send_transformed(x * 2 + 1)
        send_transformed(STOP)

    threads = [_start(producer), _start(transformer)]
    total = 0
    while (y := receive_transformed()) is not STOP:
        total += y
    for thread in threads:
        thread.join()
    return total
