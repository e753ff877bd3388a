"""The coordinator's side of find_pattern and of graph mutations on a distributed graph.

`find_pattern` begins every partition (MATCH_BEGIN of step 0 with the pattern and the partition
-> worker table), then runs the steps with the superstep barrier: partial bindings travel worker
to worker (graphoid.distributed.matching), the coordinator only counts and collects the complete
bindings each STEP_DONE reports. When no work item is in flight the bindings are deduplicated and
sorted as the local matcher sorts them. `mutate` sends one MUTATE per partition concerned and
sums the count changes the partitions report.
"""

from __future__ import annotations

from typing import Any, Sequence

import msgpack

from graphoid.distributed.barrier import Abort, Commit, Continue, Rollback, SuperstepBarrier
from graphoid.distributed.codec import encode
from graphoid.distributed.executor.messaging import WORKER_LOST, CallTracker
from graphoid.distributed.matching import CompiledPattern, with_path_bounds
from graphoid.errors import GraphoidError
from graphoid.graphs.patterns import Pattern
from graphoid.values.types import GList, GMap


class PatternQueries:
    """Mixed into MessageDriver next to GraphMessaging (whose call table and STEP_DONE receiver
    it shares)."""

    def find_pattern(self, name: str, pattern: Pattern) -> list[GMap]:
        """Every binding of `pattern` on graph `name`, as local `g.match` gives them."""
        if not pattern.variables:
            return []
        with self._state:  # type: ignore[attr-defined]
            placement = self.placement(name)  # type: ignore[attr-defined]
            self._require_program()  # type: ignore[attr-defined]
            count = placement.partitioning.count
            pattern = self._bound_paths(placement, pattern)
            compiled = CompiledPattern(pattern)
            self._call_ids += 1  # type: ignore[attr-defined]
            barrier = SuperstepBarrier.over(range(count), compiled.max_steps)
            tracker = CallTracker(name, self._call_ids, barrier)  # type: ignore[attr-defined]
            self._calls[(name, tracker.call)] = tracker  # type: ignore[attr-defined]
            frames = [encode(pattern), msgpack.packb(list(placement.owners))]
            losses = self._losses()  # type: ignore[attr-defined]
            try:
                self._deliver([  # type: ignore[attr-defined]
                    (worker, self._message(  # type: ignore[attr-defined]
                        "MATCH_BEGIN", graph=name, call=tracker.call, step=0, part=part, payload=frames))
                    for part, worker in enumerate(placement.owners)
                ])
                while True:
                    self._wait_until(lambda: tracker.decision is not None, losses)  # type: ignore[attr-defined]
                    decision, tracker.decision = tracker.decision, None
                    if not isinstance(decision, Continue):
                        break
                    self._to_partitions(  # type: ignore[attr-defined]
                        placement, "MATCH_BEGIN", graph=name, call=tracker.call, step=decision.step)
            finally:
                del self._calls[(name, tracker.call)]  # type: ignore[attr-defined]
                self._to_partitions(placement, "MATCH_END", graph=name, call=tracker.call,  # type: ignore[attr-defined]
                                    live_only=True)
        if isinstance(decision, Abort):
            lost = ", ".join(str(part) for part in decision.lost)
            raise GraphoidError(WORKER_LOST, f"find_pattern on '{name}' lost partitions {lost}")
        if isinstance(decision, Rollback):
            error = tracker.errors.get(decision.partition) if decision.partition is not None else None
            raise error or GraphoidError(decision.failure.kind, decision.failure.message)
        assert isinstance(decision, Commit)
        return _sorted_bindings(tracker.found, [compiled.variables[index] for index in compiled.visible])

    def _bound_paths(self, placement: Any, pattern: Pattern) -> Pattern:
        """`pattern` with the graph's node count as the max of its path clauses without one
        (asked of the partitions only when there is such a clause)."""
        if not any(clause.is_path and clause.max is None for clause in pattern.clauses):
            return pattern
        parts = range(placement.partitioning.count)
        node_count = sum(self._read_parts(placement, parts, "node_count", ()))  # type: ignore[attr-defined]
        return with_path_bounds(pattern, node_count)

    def mutate(self, name: str, op: str, parts: Sequence[int], args: Sequence[Any]) -> list[Any]:
        """Apply `op` at each of `parts` (ascending, so every partition sees the same order);
        each partition's answer, in that order."""
        with self._state:  # type: ignore[attr-defined]
            placement = self.placement(name)  # type: ignore[attr-defined]
            ordered = sorted(set(parts))
            return self._read_parts(placement, ordered, op, args, type="MUTATE")  # type: ignore[attr-defined]


def _sorted_bindings(found: list[Any], variables: list[str]) -> list[GMap]:
    """One map per distinct binding, sorted by the node ids in variable order (find_matches)."""
    keys = sorted({tuple(row) for row in found if isinstance(row, GList) and len(row) == len(variables)})
    return [GMap(zip(variables, key)) for key in keys]
