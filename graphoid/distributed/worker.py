"""A worker process: a control DEALER to the coordinator, a data ROUTER for peers, one loop.

    python -m graphoid.distributed.worker --connect tcp://127.0.0.1:PORT --id 0 [--parent-pid PID]
    graphoid worker --connect tcp://HOST:PORT --keys DIR --data-bind tcp://0.0.0.0:* --advertise THIS_HOST

The worker says HELLO (id, data address, pid), answers heartbeats on both sockets, and stops on
SHUTDOWN, on SIGTERM/SIGINT, or when the coordinator has been silent too long. Every other message
type goes to a handler table (`CONTROL_HANDLERS` for the coordinator's messages, `DATA_HANDLERS` for
peers'), filled with `@on_control(type)` and `@on_data(type)`; a type without one there goes to
the worker's `WorkerCore` (core.py: tasks, objects, partitions) when the core handles it, and is
otherwise logged and dropped, like any invalid message.

The core runs on its own thread (`CoreThread`: seed 004's interpreter thread), so this loop keeps
answering heartbeats and reading sockets while user code runs for seconds; the core itself stays
single-threaded: only that thread calls `handle`. Its outgoing messages are routed here: to the coordinator on the control socket; to a
peer, requests (FETCH, SHUFFLE_PUSH) on a DEALER link to its data socket (`PeerLinks`, connected
on first use from the PEERS table) and replies (OBJECT, NOT_FOUND) back through this worker's
data ROUTER. Links are polled like the other sockets: a peer's reply arrives on them. Superstep
batches (STEP_MSGS, which need no answer) skip this loop: the core thread sends them on links of
its own (`DirectLinks`) the moment it makes them, while it goes on with its next step.

On a standing cluster (relay.py) several drivers share the worker: a message carrying a driver
tag (`drv`) goes to that driver's own WorkerCore (made on its first message, on a thread of its
own), whose answers carry the tag back; DRIVER_GONE drops the core with all it holds. Messages
without a tag go to the default core, as in a cluster a driver started for itself.
"""

from __future__ import annotations

import argparse
import logging
import os
import queue
import re
import secrets
import signal
import sys
import threading
import time
from typing import Callable, NoReturn, Sequence

import zmq

from graphoid.distributed.actors import ACTOR_MESSAGE_TYPES
from graphoid.distributed.core import COORDINATOR, Outgoing, WorkerCore
from graphoid.distributed.keys import ClusterKeys
from graphoid.distributed.membership import CoordinatorWatch, LivenessConfig
from graphoid.distributed.processes import die_with_parent
from graphoid.distributed.protocol import Message
from graphoid.distributed.transport import (
    LOGGER, CurveClient, DirectLinks, Endpoint, Envelope, PeerLinks, PeerUnreachable, TransportError, bind_router,
    check_bind_address, connect_dealer,
)
from graphoid.errors import EXIT_OK, EXIT_RUNTIME, EXIT_USAGE, GraphoidError
from graphoid.runtime.interpreter import Interpreter

# (the worker, the endpoint the message came on, the message)
Handler = Callable[["Worker", Endpoint, Envelope], None]

CONTROL_HANDLERS: dict[str, Handler] = {}
DATA_HANDLERS: dict[str, Handler] = {}

# A loop handles at most this many messages per socket before it looks at its timers again.
MAX_MESSAGES_PER_DRAIN = 1000
WORKER_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
# A folder: each core thread runs under cProfile and writes worker-ID-PID.prof there when it stops.
PROFILE_ENV = "GRAPHOID_WORKER_PROFILE"
# how long deferred work waits for the loop to send a core's results (a safety net: the loop
# wakes on the core's poke within microseconds)
_ROUTE_WAIT = 0.002


def on_control(message_type: str) -> Callable[[Handler], Handler]:
    """Register the handler of a message type the coordinator sends."""
    def register(handler: Handler) -> Handler:
        CONTROL_HANDLERS[message_type] = handler
        return handler
    return register


def on_data(message_type: str) -> Callable[[Handler], Handler]:
    """Register the handler of a message type peers send to the data ROUTER."""
    def register(handler: Handler) -> Handler:
        DATA_HANDLERS[message_type] = handler
        return handler
    return register


class CoreThread:
    """Runs a WorkerCore on a thread of its own: messages in through a queue, what the core
    sends out through another, and a byte on a pipe the loop polls as a wake-up. A pipe, not a
    zmq socket: a task still running at exit then holds no socket that would block the
    context's termination (its `direct` links, the superstep batches' sockets, are closed by
    `close` under their lock even then)."""

    def __init__(self, core: WorkerCore, direct: DirectLinks | None = None, driver: str | None = None) -> None:
        self.core = core
        # this thread's own links to peers: a superstep batch leaves while the core goes on
        # (through the loop it would wait for the GIL, which the core's next step holds)
        self.direct = direct
        self._tag = {"drv": driver} if driver is not None else {}
        if direct is not None:
            core.direct = self._send_direct
        # set when the core raised something it should never raise (a bug): the worker then
        # stops, so the coordinator reports it lost instead of waiting for it forever
        self.failure: str | None = None
        self._inbox: queue.SimpleQueue[list[Message] | None] = queue.SimpleQueue()
        self._pending: list[Message] = []  # queued by the loop, handed over before it polls again
        self._outbox: queue.SimpleQueue[list[Outgoing]] = queue.SimpleQueue()
        # set by the loop once it has sent what `results` gave it: deferred work waits for it
        self._routed = threading.Event()
        core.can_defer = True
        self.wake, self._poke = os.pipe()
        os.set_blocking(self.wake, False)
        os.set_blocking(self._poke, False)
        self._thread = threading.Thread(target=self._serve, name="graphoid-core", daemon=True)
        self._thread.start()

    def submit(self, message: Message) -> None:
        """Hand `message` to the core now (after what `queue` holds: the core sees them in order)."""
        self._pending.append(message)
        self.hand_over()

    def queue(self, message: Message) -> None:
        """Hand `message` to the core at the next `hand_over` (the loop's, before it polls):
        the core thread then wakes once per poll, not once per message, and while the loop is
        about to wait instead of while it still holds the GIL."""
        self._pending.append(message)

    def hand_over(self) -> None:
        if self._pending:
            self._inbox.put(self._pending)
            self._pending = []

    def post(self, to: str, message: Message) -> None:
        """Send a message now, from any thread (actor messages: a task or an actor of this
        worker that waits for an answer must not wait for the core to finish first)."""
        self._outbox.put([Outgoing(to, message)])
        self._poke_loop()

    def routed(self) -> None:
        """The loop sent what `results` gave it (deferred work may run now)."""
        self._routed.set()

    def results(self) -> list[Outgoing]:
        """Everything the core has sent since the last call (the loop calls this when woken)."""
        try:
            while os.read(self.wake, 4096):
                pass
        except BlockingIOError:
            pass
        out: list[Outgoing] = []
        while True:
            try:
                out.extend(self._outbox.get_nowait())
            except queue.Empty:
                return out

    def close(self, timeout: float = 1.0) -> None:
        """Stop the thread after its current task (a task still running ends with the process)."""
        self._inbox.put(None)
        # a profiled thread writes its profile as it stops: give it time to
        self._thread.join(timeout if not os.environ.get(PROFILE_ENV) else max(timeout, 10.0))
        if self.direct is not None:
            # even under a task still running: an open socket would block the context's term()
            self.direct.close()
        if not self._thread.is_alive():
            os.close(self._poke)
            os.close(self.wake)

    def _send_direct(self, peer: str, message: Message) -> bool:
        """WorkerCore.direct: send to `peer` on this thread's own link (False: not possible)."""
        address = self.core.peers.get(peer)
        return address is not None and self.direct is not None and self.direct.send(peer, address, message, **self._tag)

    def _serve(self) -> None:
        profile_dir = os.environ.get(PROFILE_ENV)
        if not profile_dir:
            self._serve_messages()
            return
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
        try:
            self._serve_messages()
        finally:
            profiler.disable()
            profiler.dump_stats(os.path.join(profile_dir, f"worker-{self.core.worker_id}-{os.getpid()}.prof"))

    def _serve_messages(self) -> None:
        while True:
            messages = self._inbox.get()
            if messages is None:
                return
            poked = False
            for message in messages:
                try:
                    out = self.core.handle(message)
                except Exception as exc:  # noqa: BLE001 - a bug in the core: fail-stop, never hang the cluster
                    LOGGER.exception("worker %s: internal error handling %s", self.core.worker_id, message.type)
                    self.failure = f"internal error in the worker core: {type(exc).__name__}: {exc}"
                    out = []
                if self.failure is not None:
                    self._poke_loop()
                    return
                if out:  # sent before the next message is handled (a batch for a peer waits for nothing)
                    self._routed.clear()
                    self._outbox.put(out)
                    self._poke_loop()
                    poked = True
            if self.core.deferred:
                self._run_deferred(poked)
                if self.failure is not None:
                    return

    def _run_deferred(self, poked: bool) -> None:
        """The core's deferred work (a fold's stores), once the loop has sent what this batch
        of messages made: the report travels while the stores are done. Waiting on an event
        lets the loop take the GIL at once (a thread that only wants it waits for the switch
        interval, 5 ms, while this one works in long C calls)."""
        if poked:
            self._routed.wait(_ROUTE_WAIT)
        try:
            self.core.run_deferred()
        except Exception as exc:  # noqa: BLE001 - a bug in the core: fail-stop, as in handle
            LOGGER.exception("worker %s: internal error in deferred work", self.core.worker_id)
            self.failure = f"internal error in the worker core: {type(exc).__name__}: {exc}"
            self._poke_loop()

    def _poke_loop(self) -> None:
        try:
            os.write(self._poke, b"\0")
        except BlockingIOError:
            pass  # the pipe is full of wake-ups the loop has not read yet: one is enough


class Worker:
    """The worker's sockets, its view of the coordinator's liveness, and its loop."""

    def __init__(
        self,
        worker_id: str,
        control: Endpoint,
        data: Endpoint,
        *,
        clock: Callable[[], float] = time.monotonic,
        first_contact: float = 10.0,
        core: CoreThread | None = None,
        links: PeerLinks | None = None,
        make_core: Callable[[str | None], CoreThread] | None = None,
    ) -> None:
        self.worker_id = worker_id
        self.control = control
        self.data = data
        self.core = core
        self.links = links
        self.make_core = make_core
        self.driver_cores: dict[str, CoreThread] = {}
        self._gone_drivers: set[str] = set()  # a late message for one of them is dropped
        self._poller = zmq.Poller()
        self.clock = clock
        self.watch = CoordinatorWatch(started=clock(), first_contact=first_contact)
        self.stop_reason: str | None = None
        self.exit_code = EXIT_OK

    def stop(self, reason: str, exit_code: int = EXIT_OK) -> None:
        """End the loop after the current message."""
        if self.stop_reason is None:
            self.stop_reason = reason
            self.exit_code = exit_code

    def run(self) -> int:
        """Say HELLO, then serve both sockets until stopped; returns the process exit code."""
        self.control.send("HELLO", worker=self.worker_id, data=self.data.address, pid=os.getpid())
        poller = self._poller
        poller.register(self.control.socket, zmq.POLLIN)
        poller.register(self.data.socket, zmq.POLLIN)
        if self.core is not None:
            poller.register(self.core.wake, zmq.POLLIN)
        polled_links: set[Endpoint] = set()
        while self.stop_reason is None:
            # Short enough to notice a lost coordinator or a stop signal promptly.
            timeout_ms = int(min(self.watch.config.interval / 2, 0.25) * 1000)
            ready = dict(poller.poll(timeout_ms))
            if self.control.socket in ready:
                self._drain(self.control, CONTROL_HANDLERS, from_coordinator=True)
            if self.data.socket in ready:
                self._drain(self.data, DATA_HANDLERS, from_coordinator=False)
            for link in list(polled_links):
                if link.socket in ready:
                    self._drain(link, DATA_HANDLERS, from_coordinator=False)
            if self.core is not None and self.core.wake in ready:
                self._route_core(self.core, None)
            for driver, core in list(self.driver_cores.items()):
                if core.wake in ready:
                    self._route_core(core, driver)
            for link in self.links.endpoints() if self.links is not None else ():
                if link not in polled_links:  # connected while handling: poll it from now on
                    polled_links.add(link)
                    poller.register(link.socket, zmq.POLLIN)
            if self.watch.lost(self.clock()):
                self.stop("the coordinator stopped answering", EXIT_RUNTIME)
            self._hand_over()
        if self.exit_code == EXIT_OK or self._core_failed:
            self._say_bye()  # (a core failure: the coordinator learns why at once)
        return self.exit_code

    def _hand_over(self) -> None:
        """Give each core what the loop queued for it since it last polled."""
        if self.core is not None:
            self.core.hand_over()
        for core in self.driver_cores.values():
            core.hand_over()

    def close(self) -> None:
        for core in (self.core, *self.driver_cores.values()):
            if core is not None:
                core.close()
        if self.links is not None:
            self.links.close()
        self.control.close()
        self.data.close()

    def _drain(self, endpoint: Endpoint, handlers: dict[str, Handler], *, from_coordinator: bool) -> None:
        for _ in range(MAX_MESSAGES_PER_DRAIN):
            envelope = endpoint.recv_nowait()
            if envelope is None:
                return
            if from_coordinator:
                self.watch.heard(self.clock())
            self._dispatch(endpoint, handlers, envelope)
            if self.stop_reason is not None:
                return

    def _dispatch(self, endpoint: Endpoint, handlers: dict[str, Handler], envelope: Envelope) -> None:
        handler = handlers.get(envelope.message.type)
        if handler is None and self.core is not None and envelope.message.type in self.core.core.handlers:
            handler = _to_core
        if handler is None:
            LOGGER.warning("worker %s: no handler for %s; dropped", self.worker_id, envelope.message.type)
            return
        try:
            handler(self, endpoint, envelope)
        except (GraphoidError, TransportError) as error:
            LOGGER.warning("worker %s: %s failed: %s", self.worker_id, envelope.message.type, error)

    def core_for(self, driver: str | None) -> CoreThread | None:
        """The core serving `driver` (None: the default core), made on first use; None for a gone driver."""
        if driver is None:
            return self.core
        core = self.driver_cores.get(driver)
        if core is None and self.make_core is not None and driver not in self._gone_drivers:
            core = self.driver_cores[driver] = self.make_core(driver)
            self._poller.register(core.wake, zmq.POLLIN)
        return core

    def drop_driver(self, driver: str) -> bool:
        """Forget a driver's core and everything it holds; True if there was one."""
        self._gone_drivers.add(driver)
        core = self.driver_cores.pop(driver, None)
        if core is None:
            return False
        self._poller.unregister(core.wake)
        core.close()
        return True

    @property
    def _core_failed(self) -> bool:
        return any(core is not None and core.failure is not None for core in (self.core, *self.driver_cores.values()))

    def _route_core(self, core: CoreThread, driver: str | None) -> None:
        self.route(core.results(), driver)
        core.routed()
        if core.failure is not None:
            self.stop(core.failure, EXIT_RUNTIME)

    def route(self, outgoing: list[Outgoing], driver: str | None = None) -> None:
        """Send what a core produced (see the module docstring for which socket), tagged with
        the driver it serves, if any."""
        tag = {"drv": driver} if driver is not None else {}
        for item in outgoing:
            message = item.message
            try:
                if item.to == COORDINATOR:
                    self.control.forward(message, **tag)
                elif message["re"] is not None:
                    self.data.forward(message, to=item.to.encode(), **tag)
                else:
                    self._peer_link(item.to, driver).forward(message, **tag)
            except PeerUnreachable as error:
                LOGGER.warning("worker %s: cannot send %s to %s: %s", self.worker_id, message.type, item.to, error)
                self._undeliverable(item.to, message, driver)

    def _peer_link(self, peer: str, driver: str | None) -> Endpoint:
        core = self.core_for(driver)
        assert core is not None and self.links is not None
        address = core.core.peers.get(peer)  # written by the core thread: a dict read is atomic
        if address is None:
            raise PeerUnreachable(f"no data address for worker {peer!r} (PEERS has not named it)")
        return self.links.link(peer, address)

    def _undeliverable(self, peer: str, message: Message, driver: str | None) -> None:
        """A FETCH that cannot reach its peer fails the tasks waiting for it, as NOT_FOUND would."""
        core = self.core_for(driver)
        if message.type == "FETCH" and core is not None:
            core.submit(Message.new("NOT_FOUND", src=peer, id=0, run=message["run"], oid=message["oid"]))

    def _say_bye(self) -> None:
        try:
            self.control.send("BYE", reason=self.stop_reason or "")
        except TransportError:
            pass  # the coordinator is gone already; nobody to tell


@on_control("HEARTBEAT")
@on_data("HEARTBEAT")
def _answer_heartbeat(worker: Worker, endpoint: Endpoint, envelope: Envelope) -> None:
    if envelope.message["re"] is None:  # a ping, not an answer to ours
        endpoint.reply(envelope, "HEARTBEAT")


def _to_core(worker: Worker, endpoint: Endpoint, envelope: Envelope) -> None:
    core = worker.core_for(envelope.message.header.get("drv"))
    if core is not None:
        core.queue(envelope.message)


def _to_actors(worker: Worker, endpoint: Endpoint, envelope: Envelope) -> None:
    """Actor messages are taken here, on the socket thread (distributed/actors.py), by the actor
    host of the core serving the message's driver."""
    core = worker.core_for(envelope.message.header.get("drv"))
    if core is not None:
        core.core.actors.host.accept(envelope.message)


for _type in ACTOR_MESSAGE_TYPES:
    on_control(_type)(_to_actors)
    on_data(_type)(_to_actors)


@on_control("WELCOME")
def _welcome(worker: Worker, endpoint: Endpoint, envelope: Envelope) -> None:
    interval, misses = envelope.message["interval"], envelope.message["misses"]
    if interval > 0 and misses > 0:
        worker.watch.configure(LivenessConfig(interval, misses))
    else:
        LOGGER.warning("worker %s: ignored WELCOME with interval %r, misses %r", worker.worker_id, interval, misses)


@on_control("DRIVER_GONE")
def _driver_gone(worker: Worker, endpoint: Endpoint, envelope: Envelope) -> None:
    driver = envelope.message["driver"]
    if worker.drop_driver(driver):
        print(f"worker {worker.worker_id}: freed the objects and partitions of {driver}", file=sys.stderr, flush=True)


@on_control("SHUTDOWN")
def _shutdown(worker: Worker, endpoint: Endpoint, envelope: Envelope) -> None:
    worker.stop(envelope.message.header.get("reason", "shutdown"))


# ----------------------------------------------------------------------------- process entry


class _ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _worker_id(text: str) -> str:
    if not WORKER_ID.fullmatch(text):
        raise argparse.ArgumentTypeError(f"invalid worker id {text!r} (letters, digits, _ and -, at most 64)")
    return text


def _host(text: str) -> str:
    if not text or any(char in text for char in "/:* \t"):
        raise argparse.ArgumentTypeError(f"invalid host {text!r} (a host name or an IPv4 address)")
    return text


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = _ArgumentParser(prog="python -m graphoid.distributed.worker", description="A Graphoid worker.")
    parser.add_argument("--connect", required=True, help="the coordinator's control address")
    parser.add_argument("--id", type=_worker_id, help="this worker's id (default: the coordinator assigns one)")
    parser.add_argument("--parent-pid", type=int, help="exit when this process (the driver) exits")
    parser.add_argument("--data-bind", "--bind", default="tcp://127.0.0.1:*", help="where peers reach this worker")
    parser.add_argument("--advertise", type=_host, help="the host other machines reach the data socket at")
    parser.add_argument("--keys", help="CURVE key directory (docs/cluster.md); needed off loopback")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.parent_pid is not None and not die_with_parent(args.parent_pid):
        print(f"the driver (pid {args.parent_pid}) exited before this worker started", file=sys.stderr)
        return EXIT_RUNTIME
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    context = zmq.Context()
    try:
        return _serve(context, args)
    except GraphoidError as error:
        print(error.display(), file=sys.stderr)
        return EXIT_RUNTIME
    finally:
        context.term()


def _serve(context: zmq.Context, args: argparse.Namespace) -> int:
    keys = ClusterKeys.load(args.keys) if args.keys is not None else None
    check_bind_address(args.data_bind, keys.data_server() if keys else None)  # before asking for an id
    worker_id = args.id if args.id is not None else _ask_for_id(context, args.connect, keys)
    control = connect_dealer(context, args.connect, worker_id, curve=keys.client() if keys else None)
    try:
        data = bind_router(context, args.data_bind, worker_id, curve=keys.data_server() if keys else None)
        if args.advertise is not None:
            data.address = advertised(data.address, args.advertise)
    except BaseException:
        control.close()
        raise

    def make_core(driver: str | None) -> CoreThread:
        return serving_core(context, worker_id, keys.data_client() if keys else None, driver)

    worker = Worker(
        worker_id, control, data, core=make_core(None), make_core=make_core,
        links=PeerLinks(context, worker_id, curve=keys.data_client() if keys else None),
    )

    def stop_on_signal(signum: int, frame: object) -> None:
        worker.stop(signal.Signals(signum).name)

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stop_on_signal)
    try:
        code = worker.run()
        if worker.exit_code != EXIT_OK:
            print(f"stopping: {worker.stop_reason}", file=sys.stderr)
        return code
    finally:
        worker.close()


def serving_core(context: zmq.Context, worker_id: str, curve: CurveClient | None, driver: str | None) -> CoreThread:
    """A core thread for the default core (`driver` None) or a driver's, with links of its own
    to the peers (under an identity of their own: see DirectLinks)."""
    direct = DirectLinks(context, worker_id, f"{worker_id}~{secrets.token_hex(4)}", curve=curve)
    core = CoreThread(WorkerCore(worker_id, Interpreter), direct, driver)
    core.core.actors.host.post = core.post  # actor messages leave at once, not after the core's task
    return core


def _ask_for_id(context: zmq.Context, address: str, keys: ClusterKeys | None, timeout: float = 10.0) -> str:
    """JOIN from a temporary identity; the coordinator answers with this worker's id."""
    probe = connect_dealer(context, address, f"join-{secrets.token_hex(8)}", curve=keys.client() if keys else None)
    try:
        probe.send("JOIN")
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            envelope = probe.recv(remaining)
            if envelope is not None and envelope.message.type == "JOINED":
                return envelope.message["worker"]
    finally:
        probe.close()
    raise GraphoidError("NetworkError", f"no standing cluster answered at {address} within {timeout:g} s "
                                        "(is 'graphoid cluster start' running there, and are the keys right?)")


def advertised(address: str, host: str) -> str:
    """`address` with its host replaced by `host` (tcp://0.0.0.0:5601 -> tcp://HOST:5601)."""
    scheme, _, rest = address.partition("://")
    if scheme != "tcp":
        raise GraphoidError("ValueError", f"--advertise needs a tcp:// data address, not {address}")
    return f"tcp://{host}:{rest.rpartition(':')[2]}"


if __name__ == "__main__":
    # Run the module under its real name: handlers that other modules register with
    # `graphoid.distributed.worker.on_control` must land in the tables this loop reads.
    from graphoid.distributed import worker as _named_module

    sys.exit(_named_module.main())
