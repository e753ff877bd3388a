"""One interpreter's actors and tasks: `spawn Expr`, `spawn { ... }`, and their end.

Every actor and task runs on a daemon thread; `close()` (the interpreter's close, or the
process's exit) closes each mailbox and cancels every timer, lets the actors handle what is
already queued, stops the threads left waiting on something nothing can bring any more
(graphoid.concurrency.waiting), and joins every thread, so a program ends with its actors
and leaves no thread behind. Generated code reaches this through the interpreter's
`_rt_spawn` / `_rt_spawn_task` helpers.
"""

from __future__ import annotations

import atexit
import itertools
import threading
from typing import Any, Callable

from graphoid.concurrency.actors import LOCAL, Actor, ActorAddress, LocalEndpoint, check_template, copy_message
from graphoid.concurrency.channels import Channel
from graphoid.concurrency.supervision import Supervisor, is_supervisor
from graphoid.concurrency.waiting import Cancellation, ProgramEnded, run_cancellable
from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Graph
from graphoid.values.pyerrors import to_graphoid_error

# Threads one interpreter may run at once (actors plus tasks): a runaway spawn loop stops here.
MAX_THREADS = 2000
_PASS_THROUGH = (KeyboardInterrupt, SystemExit, GeneratorExit, ProgramEnded)


class ActorSystem:
    """The actors and tasks of one interpreter; `log(line)` writes to its stderr."""

    def __init__(self, log: Callable[[str], None], format_error: Callable[[GraphoidError], str]) -> None:
        self._log = log
        self._format_error = format_error
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._endpoints: list[LocalEndpoint] = []
        self._timers: list[Channel] = []
        self._threads: list[threading.Thread] = []
        self._at_exit = False
        self._closing = False
        self._cancellation = Cancellation()

    def new_id(self) -> int:
        """An actor id unique in this interpreter, whatever the actor's location."""
        return next(self._ids)

    def spawn(self, template: Any) -> Actor:
        """`spawn Expr`: an actor on its own thread over a deep copy of the graph `template`."""
        graph = check_template(template, "spawn").clone()
        return self.spawn_at(graph, ActorAddress(self.new_id(), LOCAL, graph.type_of()))

    def spawn_at(self, graph: Graph, address: ActorAddress, where: str = "") -> Actor:
        """An actor over `graph` (its own copy already) at an address given elsewhere: the
        distributed runtime places actors on workers this way (`where`: " on worker 1")."""
        if self._closing:
            raise GraphoidError("ActorError", "the program is ending: no new actors")
        endpoint = LocalEndpoint(address, graph, self.report, where)
        if is_supervisor(graph):
            endpoint.supervisor = Supervisor(endpoint, self._log)
        self._start(endpoint.loop, f"actor {address.label}")
        with self._lock:
            self._endpoints.append(endpoint)
        return Actor(address, endpoint)

    def spawn_task(self, body: Callable[..., Any], values: tuple) -> None:
        """`spawn { ... }`: body(copies of the variables it reads) on its own thread."""
        copies = tuple(copy_message(value) for value in values)
        self._start(lambda: self._run_task(body, copies), "spawn")

    def start_timer(self, channel: Channel, body: Callable[[], None], name: str) -> None:
        """A helper thread that feeds `channel` until it is closed (closed at the end)."""
        with self._lock:
            self._timers.append(channel)
        thread = threading.Thread(target=body, name=name, daemon=True)
        with self._lock:
            self._threads.append(thread)
        thread.start()

    def report(self, who: str, error: GraphoidError) -> None:
        """An error nobody waits for: `[actor Counter#1] file:line:col: Kind: message` on stderr."""
        self._log(f"[{who}] {self._format_error(error)}")

    def _run_task(self, body: Callable[..., Any], values: tuple) -> None:
        try:
            body(*values)
        except _PASS_THROUGH:
            raise
        except BaseException as exc:  # the user's code: every failure is reported, none escapes
            self.report("spawn", to_graphoid_error(exc))

    def _start(self, body: Callable[[], None], name: str) -> None:
        cancellation = self._cancellation
        thread = threading.Thread(target=run_cancellable, args=(cancellation, body), name=name, daemon=True)
        with self._lock:
            self._threads = [known for known in self._threads if known.is_alive()]
            self._timers = [timer for timer in self._timers if not timer.closed]
            if len(self._threads) >= MAX_THREADS:
                raise GraphoidError("LimitError", f"too many actors, tasks and timers running at once (limit {MAX_THREADS})")
            self._threads.append(thread)
            if not self._at_exit:
                atexit.register(self.close)
                self._at_exit = True
        cancellation.thread_started()
        thread.start()

    def close(self) -> None:
        """Close every actor (queued messages are still handled) and timer, stop the threads
        that wait for what can no longer come, and wait for every thread."""
        current = threading.current_thread()
        self._closing = True
        while True:
            with self._lock:
                endpoints, self._endpoints = self._endpoints, []
                timers, self._timers = self._timers, []
                threads = [thread for thread in self._threads if thread is not current and thread.is_alive()]
                if not endpoints and not threads:
                    self._finish_close()
                    return
            for endpoint in endpoints:
                endpoint.close()
            for timer in timers:
                timer.close()
            self._cancellation.end_when_stuck()
            for thread in threads:
                thread.join()

    def _finish_close(self) -> None:
        self._threads = []
        self._closing = False
        self._cancellation.reset()
        if self._at_exit:
            atexit.unregister(self.close)
            self._at_exit = False
