"""One interpreter's actors and tasks: `spawn Expr`, `spawn { ... }`, and their end.

Every actor and task runs on a daemon thread; `close()` (the interpreter's close, or the
process's exit) closes each mailbox, lets the actors handle what is already queued, and joins
every thread, so a program ends with its actors and leaves no thread behind. Generated code
reaches this through the interpreter's `_rt_spawn` / `_rt_spawn_task` helpers.
"""

from __future__ import annotations

import atexit
import itertools
import threading
from typing import Any, Callable

from graphoid.concurrency.actors import LOCAL, Actor, ActorAddress, LocalEndpoint, check_template, copy_message
from graphoid.errors import GraphoidError
from graphoid.values.pyerrors import to_graphoid_error

# Threads one interpreter may run at once (actors plus tasks): a runaway spawn loop stops here.
MAX_THREADS = 2000
_PASS_THROUGH = (KeyboardInterrupt, SystemExit, GeneratorExit)


class ActorSystem:
    """The actors and tasks of one interpreter; `log(line)` writes to its stderr."""

    def __init__(self, log: Callable[[str], None], format_error: Callable[[GraphoidError], str]) -> None:
        self._log = log
        self._format_error = format_error
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._endpoints: list[LocalEndpoint] = []
        self._threads: list[threading.Thread] = []
        self._at_exit = False

    def new_id(self) -> int:
        """An actor id unique in this interpreter, whatever the actor's location."""
        return next(self._ids)

    def spawn(self, template: Any) -> Actor:
        """`spawn Expr`: an actor on its own thread over a deep copy of the graph `template`."""
        graph = check_template(template, "spawn").clone()
        address = ActorAddress(self.new_id(), LOCAL, graph.type_of())
        endpoint = LocalEndpoint(address, graph, self.report)
        self._start(endpoint.thread)
        with self._lock:
            self._endpoints.append(endpoint)
        return Actor(address, endpoint)

    def spawn_task(self, body: Callable[..., Any], values: tuple) -> None:
        """`spawn { ... }`: body(copies of the variables it reads) on its own thread."""
        copies = tuple(copy_message(value) for value in values)
        self._start(threading.Thread(target=self._run_task, args=(body, copies), name="spawn", daemon=True))

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

    def _start(self, thread: threading.Thread) -> None:
        with self._lock:
            self._threads = [known for known in self._threads if known.is_alive()]
            if len(self._threads) >= MAX_THREADS:
                raise GraphoidError("LimitError", f"too many actors and tasks running at once (limit {MAX_THREADS})")
            self._threads.append(thread)
            if not self._at_exit:
                atexit.register(self.close)
                self._at_exit = True
        thread.start()

    def close(self) -> None:
        """Close every actor (queued messages are still handled) and wait for every thread."""
        current = threading.current_thread()
        while True:
            with self._lock:
                endpoints, self._endpoints = self._endpoints, []
                threads = [thread for thread in self._threads if thread is not current and thread.is_alive()]
                if not endpoints and not threads:
                    self._threads = []
                    if self._at_exit:
                        atexit.unregister(self.close)
                        self._at_exit = False
                    return
            for endpoint in endpoints:
                endpoint.close()
            for thread in threads:
                thread.join()
