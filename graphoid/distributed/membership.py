"""Worker liveness as pure state machines: the clock is passed in, nothing here sleeps or does I/O.

The coordinator pings every live worker each `interval` seconds (HEARTBEAT) and a worker answers
at once; any message from a worker counts as a sign of life. `Membership` declares a worker dead
after `misses` intervals of silence or on explicit evidence (a failed send, its process exited).
`CoordinatorWatch` is the worker's side: the coordinator is lost after `misses` intervals without
hearing from it.

    >>> members = Membership(LivenessConfig(interval=0.5, misses=3))
    >>> members.register("0", now=0.0)
    >>> members.tick(now=1.0), members.tick(now=1.6)
    ([], ['0'])
"""

from __future__ import annotations

import attrs


@attrs.frozen(slots=True)
class LivenessConfig:
    """Heartbeat period and how many periods of silence mean a peer is gone."""

    interval: float = 0.5
    # 10 s of silence: long enough for a driver or worker busy for seconds in C code that holds
    # the interpreter lock (msgpack packing or unpacking a partition of a million edges); a
    # worker that dies is seen at once from its process exit, not from its silence
    misses: int = 20

    @property
    def timeout(self) -> float:
        return self.interval * self.misses


@attrs.define
class Membership:
    """Coordinator side: which workers are alive, and when to ping them."""

    config: LivenessConfig = attrs.field(factory=LivenessConfig)
    _last_heard: dict[str, float] = attrs.field(factory=dict, init=False)
    _dead: dict[str, str] = attrs.field(factory=dict, init=False)
    _next_ping: float = attrs.field(default=float("-inf"), init=False)

    def register(self, worker_id: str, now: float) -> None:
        """A worker said HELLO (again, after a restart: it is alive from now on)."""
        self._dead.pop(worker_id, None)
        self._last_heard[worker_id] = now

    def heard_from(self, worker_id: str, now: float) -> bool:
        """Any message from a worker; False when it is not a live member (ignore the message)."""
        if worker_id not in self._last_heard:
            return False
        self._last_heard[worker_id] = now
        return True

    def lost(self, worker_id: str, reason: str) -> bool:
        """Explicit evidence of death (send failed, process exited); True if it was alive until now."""
        if self._last_heard.pop(worker_id, None) is None:
            return False
        self._dead[worker_id] = reason
        return True

    def left(self, worker_id: str) -> None:
        """A worker said BYE: gone, but not a failure."""
        self._last_heard.pop(worker_id, None)

    def tick(self, now: float) -> list[str]:
        """Workers silent for longer than the timeout, newly declared dead (sorted)."""
        limit = now - self.config.timeout
        silent = sorted(worker for worker, heard in self._last_heard.items() if heard < limit)
        for worker in silent:
            self.lost(worker, f"no heartbeat for {now - self._last_heard[worker]:.1f} s")
        return silent

    def ping_due(self, now: float) -> bool:
        """True once per interval: time to send HEARTBEAT to every live worker."""
        if now < self._next_ping:
            return False
        self._next_ping = now + self.config.interval
        return True

    def alive(self) -> list[str]:
        return sorted(self._last_heard)

    def is_alive(self, worker_id: str) -> bool:
        return worker_id in self._last_heard

    def death_reason(self, worker_id: str) -> str | None:
        return self._dead.get(worker_id)


# A worker waits this many liveness timeouts before it gives its coordinator up: a dead driver is
# seen at once through the parent-death signal (processes.py), so this fallback can be patient
# with a driver that is only busy.
COORDINATOR_PATIENCE = 4


@attrs.define
class CoordinatorWatch:
    """Worker side: is the coordinator still there? Until its first message, `first_contact` applies."""

    started: float
    first_contact: float = 10.0
    config: LivenessConfig = attrs.field(factory=LivenessConfig)
    _last_heard: float | None = attrs.field(default=None, init=False)

    def heard(self, now: float) -> None:
        self._last_heard = now

    def configure(self, config: LivenessConfig) -> None:
        """Adopt the coordinator's settings (from WELCOME)."""
        self.config = config

    def lost(self, now: float) -> bool:
        if self._last_heard is None:
            return now - self.started > self.first_contact
        return now - self._last_heard > self.config.timeout * COORDINATOR_PATIENCE
