"""The superstep barrier on the coordinator side: a pure state machine, no sockets, no clock.

One messaging call on a distributed graph runs as supersteps over every partition. Each
partition handles its inbox for step k, ships what it sent to its peers and reports
`(partition, step, sent, error)`. Once every partition has reported step k the barrier
decides, the same way a local graph's engine does:

- some partition failed: roll the whole call back and raise the error of the smallest node id
  (the error a local graph raises first, since it handles nodes in ascending id order);
- messages are pending: begin step k+1, unless that would reach `max_supersteps`;
- handlers changed the topology (add_node, add_edge, remove_* inside on_message): every
  partition applies the changes first (Reshape); the barrier then decides, as below, from
  what is still pending (messages for removed nodes are dropped), through `reshaped`;
- nothing is pending: commit. The commit point is where replication and checkpoints will
  hook in (a partition's changes of the call are final only after COMMIT).

A partition lost mid-call aborts the call at once, naming the partitions. Late or duplicate
reports (another call, an earlier step, a partition already counted) are ignored, so a report
can be resent safely.

Partitions that run on (`runs_on`: each begins step k+1 itself once it holds every peer's
batch of step k, whose counts tell it what this barrier would decide) may report step k+1
before the last report of step k has arrived here: such early reports wait for their step.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import attrs


@attrs.frozen
class StepFailure:
    """A handler error in one partition: the node and the error, as plain data."""

    node_id: str  # "" when the error is not a node's (e.g. a topology change at the barrier)
    kind: str
    message: str
    details: dict = attrs.field(factory=dict)  # span, Graphoid stack: opaque to the barrier


@attrs.frozen
class Continue:
    """Every partition begins superstep `step`."""

    step: int


@attrs.frozen
class Commit:
    """The call settled after `steps` supersteps: every partition keeps its changes."""

    steps: int
    messages: int


@attrs.frozen
class Reshape:
    """Handlers of superstep `step` changed the topology: every partition applies the changes
    before the barrier decides (SuperstepBarrier.reshaped)."""

    step: int


@attrs.frozen
class Rollback:
    """Every partition restores its state from before the call; the driver raises `failure`."""

    step: int
    failure: StepFailure
    partition: int | None  # the partition that failed, None for a limit


@attrs.frozen
class Abort:
    """Partitions were lost: the call cannot finish (nor be rolled back where they lived)."""

    step: int
    lost: tuple[int, ...]


Decision = Continue | Commit | Reshape | Rollback | Abort


@attrs.define
class SuperstepBarrier:
    """The barrier of one messaging call over `partitions`."""

    partitions: frozenset[int]
    max_supersteps: int
    step: int = 0
    messages: int = 0  # sent by handlers so far (seeds excluded), for stats and the commit
    decided: Decision | None = None
    runs_on: bool = False  # the partitions begin each next step themselves (module docstring)
    _reported: dict[int, tuple[int, StepFailure | None]] = attrs.field(factory=dict)
    _reshaping: bool = False  # a partition of this step reported topology changes
    # step -> partition -> (sent, failure, reshape) reported before the step began here
    _early: dict[int, dict[int, tuple[int, StepFailure | None, bool]]] = attrs.field(factory=dict)

    @classmethod
    def over(cls, partitions: Iterable[int], max_supersteps: int, runs_on: bool = False) -> "SuperstepBarrier":
        members = frozenset(partitions)
        if not members:
            raise ValueError("a superstep barrier needs at least one partition")
        if max_supersteps <= 0:
            raise ValueError("max_supersteps must be positive")
        return cls(members, max_supersteps, runs_on=runs_on)

    @property
    def waiting_for(self) -> frozenset[int]:
        """Partitions that have not reported the current step."""
        return self.partitions - self._reported.keys()

    def report(self, partition: int, step: int, sent: int, failure: StepFailure | None = None,
               reshape: bool = False) -> Decision | None:
        """Partition `partition` finished `step`, having sent `sent` messages (and made
        topology changes, `reshape`); the decision once the last partition of the step has
        reported, else None. When the partitions run on, the early reports of the step a
        Continue begins are counted at once, so the decision returned may be a later step's."""
        if self.decided is not None or partition not in self.partitions:
            return None
        if step != self.step:
            if self.runs_on and self.step < step < self.max_supersteps:
                self._early.setdefault(step, {}).setdefault(partition, (sent, failure, reshape))
            return None
        decision = self._count(partition, sent, failure, reshape)
        while self.runs_on and type(decision) is Continue and self.step in self._early:
            for early, (early_sent, early_failure, early_reshape) in self._early.pop(self.step).items():
                decision = self._count(early, early_sent, early_failure, early_reshape) or decision
        return decision

    def _count(self, partition: int, sent: int, failure: StepFailure | None, reshape: bool) -> Decision | None:
        if partition in self._reported:
            return None
        self._reported[partition] = (sent, failure)
        self._reshaping = self._reshaping or reshape
        if self._reported.keys() != self.partitions:
            return None
        return self._decide()

    def lost(self, partitions: Sequence[int]) -> Decision | None:
        """Some of this call's partitions are gone (their worker died)."""
        gone = tuple(sorted(set(partitions) & self.partitions))
        if self.decided is not None or not gone:
            return None
        self.decided = Abort(self.step, gone)
        return self.decided

    def _decide(self) -> Decision:
        reports = self._reported
        failures = [(failure.node_id, partition, failure) for partition, (_, failure) in reports.items() if failure]
        if failures:
            node_id, partition, failure = min(failures, key=lambda item: (item[0], item[1]))
            self.decided = Rollback(self.step, failure, partition)
            return self.decided
        pending = sum(sent for sent, _ in reports.values())
        self._reported = {}
        self.messages += pending
        if self._reshaping:
            self._reshaping = False
            return Reshape(self.step)
        return self._settle(pending)

    def reshaped(self, pending: int) -> Decision | None:
        """Every partition applied the topology changes of the current step; `pending`
        messages are left for the next. None when the call was decided meanwhile (lost)."""
        if self.decided is not None:
            return None
        return self._settle(pending)

    def reshape_failed(self, failure: StepFailure, partition: int | None) -> Decision | None:
        """Applying the topology changes of the current step failed: roll the call back."""
        if self.decided is not None:
            return None
        self.decided = Rollback(self.step, failure, partition)
        return self.decided

    def _settle(self, pending: int) -> Decision:
        if not pending:
            self.decided = Commit(self.step + 1, self.messages)
            return self.decided
        if self.step + 1 >= self.max_supersteps:
            limit = StepFailure(
                "",
                "LimitError",
                f"Graph messaging did not settle within {self.max_supersteps} supersteps "
                f"({pending} messages still pending)",
            )
            self.decided = Rollback(self.step, limit, None)
            return self.decided
        self.step += 1
        return Continue(self.step)
