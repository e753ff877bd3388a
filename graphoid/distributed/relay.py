"""A standing cluster's coordinator: workers join it, several drivers share it.

`StandingCoordinator` is the Coordinator (coordinator.py) plus three things:

* workers that join by themselves (`graphoid worker --connect ADDR`, from any machine): one
  without an id says JOIN from a temporary identity and gets the next free id in JOINED, then
  reconnects under it and says HELLO like a local worker;
* drivers (`graphoid run --cluster ADDR`, client.py): a driver's DEALER identity is its tag
  `driver-<hex>`; ATTACH registers it (ATTACHED: heartbeat settings and the live workers'
  data addresses). Each driver message names its worker in `wkr`; the coordinator relays it
  with `drv` = the driver's tag, and relays the worker's answers (they carry `drv`) back with
  `wkr` = the worker. Workers keep one WorkerCore per driver tag, so two drivers never see each
  other's runs, objects or graphs. Data moves worker to worker, never through here;
* driver liveness: drivers are pinged like workers; a driver that says DETACH or stays silent
  for the liveness timeout is gone, and every worker gets DRIVER_GONE to free its state. A lost
  worker is reported to every driver (WORKER_LOST).

`on_change` is called (on the loop thread) whenever workers or drivers come or go, with
`(workers, drivers)`: the standing cluster rewrites its state file from it (standing.py).
"""

from __future__ import annotations

import itertools
from typing import Any, Callable, Sequence

import attrs
import msgpack

from graphoid.distributed.coordinator import Coordinator, WorkerInfo, WorkerLost
from graphoid.distributed.membership import LivenessConfig, Membership
from graphoid.distributed.processes import LineSink, print_line
from graphoid.distributed.transport import LOGGER, CurveServer, Envelope, PeerUnreachable

DRIVER_PREFIX = "driver-"
# Header fields a relay rewrites: the sender's own numbering and the routing fields.
_NOT_RELAYED = frozenset({"src", "id", "drv", "wkr"})


@attrs.frozen(slots=True)
class DriverInfo:
    """A driver using the cluster: its tag (its socket identity) and its process id."""

    driver_id: str
    pid: int


ChangeListener = Callable[[list[WorkerInfo], list[DriverInfo]], None]


class StandingCoordinator(Coordinator):
    """A Coordinator that accepts joining workers and relays for attached drivers."""

    MIN_WORKERS = 0

    def __init__(
        self,
        worker_count: int,
        *,
        bind: str,
        curve: CurveServer | None = None,
        worker_args: Sequence[str] = (),
        liveness: LivenessConfig = LivenessConfig(),
        sink: LineSink = print_line,
        on_change: ChangeListener | None = None,
    ) -> None:
        super().__init__(worker_count, bind=bind, curve=curve, worker_args=worker_args, liveness=liveness,
                         sink=sink, on_lost=self._tell_drivers_lost)
        self._on_change = on_change
        self._drivers: dict[str, DriverInfo] = {}
        self._driver_membership = Membership(liveness)
        self._joined_ids = (str(number) for number in itertools.count(worker_count))

    @property
    def drivers(self) -> list[DriverInfo]:
        with self._state:
            return list(self._drivers.values())

    # ------------------------------------------------------------------------- loop thread

    def _handle(self, envelope: Envelope) -> None:
        message = envelope.message
        peer = (envelope.peer or b"").decode("utf-8", "replace")
        if message.type == "JOIN":
            self._join(envelope)
        elif message.type == "ATTACH":
            self._attach(peer, envelope)
        elif peer in self._drivers:
            self._from_driver(peer, envelope)
        else:
            super()._handle(envelope)

    def _join(self, envelope: Envelope) -> None:
        assert self._router is not None
        worker_id = next(id_ for id_ in self._joined_ids if id_ not in self.worker_ids)
        self.worker_ids.append(worker_id)
        try:
            self._router.reply(envelope, "JOINED", worker=worker_id)
        except PeerUnreachable as error:
            LOGGER.warning("coordinator: could not answer a JOIN: %s", error)

    def _hello(self, worker_id: str, envelope: Envelope) -> None:
        # A worker started by hand with its own --id is welcome too (unless it is a driver's tag).
        if worker_id not in self.worker_ids and not worker_id.startswith(DRIVER_PREFIX):
            self.worker_ids.append(worker_id)
        super()._hello(worker_id, envelope)
        if self._membership.is_alive(worker_id):
            self._changed()

    def _attach(self, driver_id: str, envelope: Envelope) -> None:
        assert self._router is not None
        if not driver_id.startswith(DRIVER_PREFIX) or self._stopping:
            LOGGER.warning("coordinator dropped ATTACH from %r", driver_id[:40])
            return
        self._driver_membership.register(driver_id, self._clock())
        with self._state:
            self._drivers[driver_id] = DriverInfo(driver_id, envelope.message["pid"])
            addresses = {worker: self._workers[worker].data_address
                         for worker in self._membership.alive() if worker in self._workers}
        try:
            self._router.reply(envelope, "ATTACHED", driver=driver_id, interval=self.liveness.interval,
                               misses=self.liveness.misses, payload=[msgpack.packb(addresses)])
        except PeerUnreachable as error:
            self._driver_gone(driver_id, str(error))
            return
        self._changed()

    def _from_driver(self, driver_id: str, envelope: Envelope) -> None:
        message = envelope.message
        self._driver_membership.heard_from(driver_id, self._clock())
        if message.type == "HEARTBEAT":
            return
        if message.type == "DETACH":
            self._driver_gone(driver_id, "detached")
            return
        worker_id = message.header.get("wkr")
        if worker_id is None or not self._membership.is_alive(worker_id):
            self._to_driver(driver_id, "WORKER_LOST", worker=str(worker_id),
                            reason=self._membership.death_reason(str(worker_id)) or "is not in the cluster")
            return
        self._relay(worker_id, message, drv=driver_id)

    def _dispatch(self, worker_id: str, envelope: Envelope) -> None:
        driver_id = envelope.message.header.get("drv")
        if driver_id in self._drivers:
            self._relay(driver_id, envelope.message, wkr=worker_id)
        elif driver_id is None:
            super()._dispatch(worker_id, envelope)
        # else: an answer for a driver that has gone; nobody waits for it

    def _relay(self, to: str, message: Any, **routing: str) -> None:
        fields = {name: value for name, value in message.header.items() if name not in _NOT_RELAYED}
        if to in self._drivers:
            self._to_driver(to, message.type, payload=message.payload, **fields, **routing)
        else:
            self._send(to, message.type, payload=message.payload, **fields, **routing)

    def _to_driver(self, driver_id: str, message_type: str, **kwargs: Any) -> None:
        assert self._router is not None
        try:
            self._router.send(message_type, to=driver_id.encode(), **kwargs)
        except PeerUnreachable as error:
            self._driver_gone(driver_id, f"is unreachable ({error})")

    def _driver_gone(self, driver_id: str, reason: str) -> None:
        with self._state:
            if self._drivers.pop(driver_id, None) is None:
                return
        self._driver_membership.lost(driver_id, reason)
        log = LOGGER.info if reason == "detached" else LOGGER.warning
        log("driver %s %s: freeing its state on the workers", driver_id, reason)
        for worker_id in self._membership.alive():
            self._send(worker_id, "DRIVER_GONE", driver=driver_id)
        self._changed()

    def _tell_drivers_lost(self, lost: WorkerLost) -> None:
        for driver_id in list(self._drivers):
            self._to_driver(driver_id, "WORKER_LOST", worker=lost.worker_id, reason=lost.reason)
        self._changed()

    def _check(self, now: float, start_deadline: float) -> None:
        super()._check(now, start_deadline)
        if self._stopping:
            return
        if self._driver_membership.ping_due(now):
            for driver_id in self._driver_membership.alive():
                self._to_driver(driver_id, "HEARTBEAT")
        for driver_id in self._driver_membership.tick(now):
            self._driver_gone(driver_id, self._driver_membership.death_reason(driver_id) or "went silent")

    def _begin_shutdown(self, grace: float) -> None:
        for driver_id in list(self._drivers):
            self._to_driver(driver_id, "SHUTDOWN", reason="the cluster is stopping")
        super()._begin_shutdown(grace)

    def _with_pid(self, worker_id: str, reason: str) -> str:
        info = self._workers.get(worker_id)  # joined workers too, not only the ones started here
        return f"(pid {info.pid}) {reason}" if info is not None else reason

    def _changed(self) -> None:
        if self._on_change is None or not self._started:
            return
        with self._state:
            alive = set(self._membership.alive())
            workers = sorted((info for worker, info in self._workers.items() if worker in alive),
                             key=lambda info: (len(info.worker_id), info.worker_id))
            drivers = list(self._drivers.values())
        try:
            self._on_change(workers, drivers)
        except Exception:  # the host's callback must not take the loop down with it
            LOGGER.exception("the on_change callback failed")
