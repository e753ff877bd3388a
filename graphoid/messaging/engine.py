"""Bulk-synchronous bookkeeping for graph messaging: pure superstep engines.

`SuperstepEngine` (string node ids) and `SlotEngine` (integer slots, what the local runtime
uses) hold the inbox of the current superstep, the outbox that becomes the next inbox at the
barrier, and the superstep budget; `Routes` is a topology as slot lists for routed sends. No
graph, no handlers, no I/O: graphoid.messaging.local drives them over a local graph, and a
distributed runtime can drive the same protocol per partition.
"""

from __future__ import annotations

from array import array
from collections import deque
from functools import partial
from itertools import repeat
from operator import is_not, itemgetter
from typing import Any, Iterable, Iterator, Sequence

from graphoid.errors import GraphoidError
from graphoid.values.types import GList, Symbol

DEFAULT_MAX_SUPERSTEPS = 10_000


class SuperstepEngine:
    """BSP bookkeeping: seed, emit, take the current inbox, barrier. Pure and reusable."""

    __slots__ = ("superstep", "max_supersteps", "_inbox", "_outbox", "_inbox_sorted", "delivered")

    def __init__(self, max_supersteps: int = DEFAULT_MAX_SUPERSTEPS) -> None:
        self.superstep = 0
        self.max_supersteps = max_supersteps
        self._inbox: dict[str, list[Any]] = {}
        self._outbox: dict[str, list[Any]] = {}
        self._inbox_sorted = False
        self.delivered = 0

    def seed(self, dests: Iterable[str], msg: Any, *, already_sorted: bool = False) -> None:
        """Initial deliveries from the driver (superstep 0)."""
        inbox = self._inbox
        for dest in dests:
            box = inbox.get(dest)
            if box is None:
                inbox[dest] = [msg]
            else:
                box.append(msg)
        self._inbox_sorted = already_sorted

    def emit(self, dest: str, msg: Any) -> None:
        """A message sent during this superstep; delivered in the next one (G3)."""
        box = self._outbox.get(dest)
        if box is None:
            self._outbox[dest] = [msg]
        else:
            box.append(msg)

    def emit_many(self, dests: Iterable[str], msg: Any) -> None:
        """The same message to several destinations (one send or broadcast)."""
        outbox = self._outbox
        for dest in dests:
            box = outbox.get(dest)
            if box is None:
                outbox[dest] = [msg]
            else:
                box.append(msg)

    def has_work(self) -> bool:
        return bool(self._inbox)

    def take_inbox(self) -> list[tuple[str, list[Any]]]:
        """This superstep's deliveries, by ascending destination id."""
        inbox = self._inbox
        self._inbox = {}
        if self._inbox_sorted:
            items = list(inbox.items())
        else:
            items = [(dest, inbox[dest]) for dest in sorted(inbox)]
        self.delivered += sum(map(len, inbox.values()))
        return items

    def barrier(self) -> None:
        """End the superstep: the outbox becomes the next inbox; enforce the budget."""
        self._inbox, self._outbox = self._outbox, {}
        self._inbox_sorted = False
        if self._inbox:
            self.superstep += 1
            if self.superstep >= self.max_supersteps:
                raise GraphoidError(
                    "LimitError",
                    f"Graph messaging did not settle within {self.max_supersteps} supersteps "
                    f"({sum(len(b) for b in self._inbox.values())} messages still pending)",
                )


MIXED = object()  # SlotEngine.inbox_head when the inbox's messages have no common head
UNDECIDED = object()  # SlotEngine.lane_head before the first send into an open lane
# no routed message from this slot in this superstep; a pair, so that reading every slot's
# payload at once (`map(itemgetter(1), routed)`) needs no test per slot
UNSENT = (MIXED, MIXED)


def as_messages(payloads: list[Any], head: Any) -> list[Any]:
    """A routed table of `[head, x]` payloads as one message object per sending slot."""
    return [UNSENT if x is UNSENT else GList((head, x)) for x in payloads]


class Routes:
    """A topology as slots for SlotEngine: `out[s]` (edge order), `into[d]` (the slots with an
    edge to d, by ascending origin), `receivers` (ascending slots with any in-edge), `sources`
    (the `into` list of each receiver), `senders` (how many slots have an out-edge), `sinks`
    (the slots without one), `edges` (how many out-edges in all) and `incoming` (how many
    in-edges the receivers have, ghost sources included); `pickers()` the same sources as
    C-level getters, for whole-graph folds.

    A partition of a distributed graph numbers its own nodes 0..owned-1 and its ghosts (the
    other end of a cut edge, owned elsewhere) after them. Only owned slots send or receive
    here; a ghost source's message arrives from its partition and is written into the routed
    table at the ghost's slot, so `into[d]` lists ghost slots too, ordered by origin id
    (`keys[s]`, the node ids) across owned and ghost slots: a receiver folds in the same
    origin order as on a local graph."""

    __slots__ = ("out", "into", "receivers", "senders", "sources", "sinks", "edges", "incoming", "owned", "_pickers")

    def __init__(self, out: Sequence[Sequence[int]], owned: int | None = None, keys: Sequence[str] = ()) -> None:
        self.out = out
        size = len(out)
        owned = size if owned is None else owned
        self.owned = owned
        into: list[list[int]] = [[] for _ in out]
        for src, dests in enumerate(out):  # ascending sources, so every `into` list is sorted
            for dst in dests:
                into[dst].append(src)
        if owned < size:
            # ghost slots follow the owned ones: merge both by origin id
            key = keys.__getitem__
            into = [sorted(sources, key=key) if dst < owned and sources and sources[-1] >= owned else sources
                    for dst, sources in enumerate(into)]
        # as machine-integer arrays: reading a slot costs no visit to an int object elsewhere
        # in memory, which halves a whole-graph fold
        self.into = [array("l", sources) for sources in into]
        self.receivers = [dst for dst in range(owned) if into[dst]]
        self.senders = sum(1 for dests in out[:owned] if dests)
        self.sinks = [src for src in range(owned) if not out[src]]
        self.edges = sum(map(len, out[:owned]))
        self.sources = [self.into[dst] for dst in self.receivers]  # parallel to `receivers`
        self.incoming = sum(map(len, self.sources))
        self._pickers: list[itemgetter] | None = None

    def pickers(self) -> list[itemgetter]:
        """Per receiver (parallel to `receivers`), a getter reading its sources' entries from a
        slot-indexed table in `sources` order, as one sequence: a whole-graph fold calls one
        per receiver, in C, and sums what it returns. Made on first use (folds only) with one
        shared int object per slot."""
        if self._pickers is None:
            number = list(range(len(self.out))).__getitem__
            self._pickers = [
                itemgetter(*map(number, sources)) if len(sources) > 1
                # (an itemgetter of one index gives the entry itself, not a sequence)
                else itemgetter(slice(sources[0], sources[0] + 1))
                for sources in self.sources
            ]
        return self._pickers


class SlotEngine:
    """SuperstepEngine's protocol over integer destinations 0..size-1 (the local runtime's).

    Two preallocated box arrays alternate as inbox and outbox, so sending is a list append
    and taking the inbox is a scan in slot order (slots are assigned in ascending node-id
    order, so no sort). A superstep seeded with one message for many slots (a broadcast) keeps
    no per-slot lists at all.

    Routed sends (`emit_route(s, m)`: m along every out-edge of s) cost O(1): the engine
    notes m as s's message. If every slot with an out-edge routed exactly one message and
    nothing else was sent, the next inbox of d is read straight off `into[d]` (ascending
    origin, so the (origin, seq) order of G3); otherwise the routed messages are spread into
    the boxes, in order, as soon as the pattern breaks. Pure: integers and lists only.

    `inbox_head` says what the current inbox holds: when every message sent in the previous
    superstep was a two-item list `[h, x]` with the same head object h, it is h (so the
    receiver can fold a whole box at once, see MessageRun.execute); otherwise MIXED. Tracking
    it costs one test per send, not per destination.
    """

    __slots__ = (
        "superstep", "max_supersteps", "delivered", "inbox", "outbox", "inbox_head", "routes",
        "_head", "_uniform", "_sent", "_routed", "_route_count", "_inbox_routed", "lane", "lane_head",
        "_pairs", "_inbox_pairs", "_fill", "inbox_typed",
    )

    def __init__(
        self, buffers: tuple[list[list[Any]], list[list[Any]]], max_supersteps: int, routes: Routes | None = None
    ) -> None:
        self.superstep = 0
        self.max_supersteps = max_supersteps
        self.delivered = 0
        self.inbox, self.outbox = buffers
        self.routes = routes
        self._uniform: tuple[list[int], tuple[Any]] | None = None
        self._sent = 0  # messages in the outbox (or seeded into the inbox)
        self.inbox_head: Any = MIXED
        self._head: Any = None  # the outbox's common head so far (None: nothing sent yet)
        self._routed: list[Any] | None = None  # slot -> routed message (UNSENT: none) this step
        self._route_count = 0
        self._inbox_routed: list[Any] | None = None
        # while open (see open_lane): `_routed` itself, written directly by senders
        self.lane: list[Any] | None = None
        # what the open lane holds: UNDECIDED (nothing yet), None (messages) or a symbol h
        # (the payloads x of messages `[h, x]`, see self_route_pair)
        self.lane_head: Any = UNDECIDED
        self._pairs: Any = None  # h when `_routed` holds payloads of `[h, x]`, else None
        self._inbox_pairs: Any = None  # the same for `_inbox_routed`
        # (`_routed`, x) when fill_lane stored one exact int or float x for every sender
        self._fill: tuple[list[Any], Any] | None = None
        # what is known of `_inbox_routed`'s payloads as numbers (vector_fold.TypedPayloads:
        # the fill's constant; a partition adds its peers' packed columns, written into the
        # table only when it is read as Python values: take_inbox, settle_typed)
        self.inbox_typed: Any = None

    def _note(self, msg: Any) -> None:
        head = msg[0] if msg.__class__ is GList and len(msg) == 2 else MIXED
        if head is not self._head:
            self._head = head if self._head is None else MIXED

    def seed_all(self, slots: list[int], msg: Any) -> None:
        """Superstep 0: the same message for each of `slots` (ascending)."""
        self._uniform = (slots, (msg,))

    def seed(self, slots: Iterable[int], msg: Any) -> None:
        """Superstep 0: initial deliveries from the driver, any order."""
        inbox = self.inbox
        for slot in slots:
            inbox[slot].append(msg)
            self._sent += 1

    def emit(self, slot: int, msg: Any) -> None:
        """A message sent during this superstep; delivered in the next one (G3)."""
        if self.lane is not None:
            self.close_lane()
        if self._routed is not None:
            self._spread()
        self.outbox[slot].append(msg)
        self._sent += 1
        if self._head is not MIXED:
            self._note(msg)

    def emit_many(self, slots: list[int], msg: Any) -> None:
        if self.lane is not None:
            self.close_lane()
        if self._routed is not None:
            self._spread()
        outbox = self.outbox
        for slot in slots:
            outbox[slot].append(msg)
        self._sent += len(slots)
        if self._head is not MIXED:
            self._note(msg)

    def emit_route(self, src: int, msg: Any) -> None:
        """`msg` along every out-edge of `src` (needs `routes`)."""
        lane = self.lane
        if lane is not None:
            if lane[src] is UNSENT:  # src's first routed send while the lane is open
                self.lane_put(src, msg)
                return
            self.close_lane()
        if self._pairs is not None:  # this step's routed table holds payloads: make messages
            self._routed = as_messages(self._routed, self._pairs)  # type: ignore[arg-type]
            self._pairs = None
        routes = self.routes
        assert routes is not None
        dests = routes.out[src]
        if not dests:
            return
        routed = self._routed
        if routed is None:
            if self._sent:  # boxes already hold messages of this step: keep to them
                self.emit_many(dests, msg)
                return
            routed = self._routed = [UNSENT] * len(routes.out)
        if routed[src] is not UNSENT:  # a second routed send from src: boxes from here on
            self._spread()
            self.emit_many(dests, msg)
            return
        routed[src] = msg
        self._route_count += 1
        self._sent += len(dests)
        head = self._head
        if head is not MIXED:  # _note, inlined: one call per sending node adds up
            now = msg[0] if msg.__class__ is GList and len(msg) == 2 else MIXED
            if now is not head:
                self._head = now if head is None else MIXED

    def open_lane(self) -> bool:
        """Let senders store their first routed message straight into `lane[slot]` (when it
        is still UNSENT) for the rest of this superstep, with no bookkeeping per send: the
        counts and the common head are worked out in bulk when the lane closes (at the end
        of the step, or before any other send). Only at the start of a step (nothing sent)."""
        if self.routes is None or self._sent or self._routed is not None or self._uniform is not None:
            return False
        self.lane = self._routed = [UNSENT] * len(self.routes.out)
        self.lane_head = UNDECIDED
        return True

    def fill_lane(self, head: Symbol, payload: Any) -> bool:
        """Every owned slot routes `[head, payload]`, as first sends through `self_route_pair`
        into a freshly opened, still empty lane would store them (one C-level store), and the
        lane closes. The count is known without a scan: every sender sent. False, with
        nothing stored, when the lane is not open and empty."""
        lane = self.lane
        if lane is None or self.lane_head is not UNDECIDED or head.__class__ is not Symbol:
            return False
        routes = self.routes
        assert routes is not None
        lane[: routes.owned] = repeat(payload, routes.owned)
        self.lane = None
        kind = payload.__class__
        self._fill = (lane, payload) if kind is int or kind is float else None
        for slot in routes.sinks:  # a node without out-edges routes nothing
            lane[slot] = UNSENT
        self._account_lane(lane, routes.senders, head)
        return True

    def lane_put(self, slot: int, msg: Any) -> None:
        """Store `msg` as the open lane's entry for `slot` (still UNSENT): as a payload when
        it is a `[h, x]` list with the lane's head (or the first one), else as a message."""
        head = self.lane_head
        # (a list carrying rules or frozen is kept whole: rebuilding it would drop them)
        if msg.__class__ is GList and len(msg) == 2 and head is not None and msg.rules is None and not msg.frozen:
            first = msg[0]
            if first is head or (head is UNDECIDED and first.__class__ is Symbol):
                self.lane_head = first
                self.lane[slot] = msg[1]  # type: ignore[index]
                return
        if head is not None:
            self.lane_messages()
        self.lane[slot] = msg  # type: ignore[index]

    def lane_messages(self) -> None:
        """Make the open lane hold whole messages (a payload lane's `[h, x]` built now)."""
        head = self.lane_head
        self.lane_head = None
        lane = self.lane
        if head is not None and head is not UNDECIDED and lane is not None:
            for slot, payload in enumerate(lane):
                if payload is not UNSENT:
                    lane[slot] = GList((head, payload))

    def close_lane(self) -> None:
        """Account for the messages written into the lane (as emit_route would have)."""
        lane = self.lane
        if lane is None:
            return
        self.lane = None
        pairs = self.lane_head
        self.lane_head = UNDECIDED
        routes = self.routes
        assert routes is not None
        for slot in routes.sinks:  # a node without out-edges routes nothing
            lane[slot] = UNSENT
        self._account_lane(lane, len(lane) - lane.count(UNSENT), pairs)

    def _account_lane(self, lane: list[Any], count: int, pairs: Any) -> None:
        """The bookkeeping of a closed lane holding `count` routed sends (`pairs`: its
        lane_head when it closed)."""
        routes = self.routes
        assert routes is not None
        if not count:
            self._routed = None
            return
        self._route_count = count
        if count == routes.senders:
            self._sent += routes.edges
        else:
            out = routes.out
            self._sent += sum(len(out[slot]) for slot, msg in enumerate(lane) if msg is not UNSENT)
        if pairs is not None and pairs is not UNDECIDED:
            # payloads of `[h, x]`: the head is known without looking at them
            self._pairs = pairs
            if self._head is None or pairs is not self._head:
                self._head = pairs if self._head is None else MIXED
            return
        # the common head, as _note would have found it message by message
        if self._head is not MIXED:
            msgs = list(filter(_IS_SENT, lane))
            head = MIXED
            if set(map(type, msgs)) == {GList} and set(map(len, msgs)) == {2}:
                firsts = list(map(_FIRST, msgs))
                if set(map(type, firsts)) == {Symbol}:  # (other heads may not even hash)
                    heads = set(firsts)
                    if len(heads) == 1:
                        head = heads.pop()
            if self._head is None or head is not self._head:
                self._head = head if self._head is None else MIXED

    def _spread(self) -> None:
        """Move the routed messages of this step into the outbox boxes (origin order)."""
        routed = self._routed
        assert routed is not None and self.routes is not None
        if self._pairs is not None:
            routed = as_messages(routed, self._pairs)
            self._pairs = None
        self._routed = None
        self._route_count = 0
        outbox = self.outbox
        out = self.routes.out
        for src, msg in enumerate(routed):
            if msg is not UNSENT:
                for slot in out[src]:
                    outbox[slot].append(msg)

    def has_work(self) -> bool:
        return self._uniform is not None or self._sent > 0

    def take_inbox(self) -> Iterator[tuple[int, Any]]:
        """This superstep's (slot, messages) by ascending slot; each box empties once handled."""
        uniform = self._uniform
        if uniform is not None:
            self._uniform = None
            slots, msgs = uniform
            self.delivered += len(slots)
            # C-level iterators for the two fixed-topology forms: no generator frame per slot
            return zip(slots, repeat(msgs))
        self.delivered += self._sent
        self._sent = 0
        routed = self._inbox_routed
        if routed is not None:
            self.settle_typed()
            self._inbox_routed = None
            if self._inbox_pairs is not None:
                routed = as_messages(routed, self._inbox_pairs)
                self._inbox_pairs = None
            assert self.routes is not None
            receivers = self.routes.receivers
            # the box of d: its origins' messages, ascending origin, built as d comes up
            boxes = map(list, map(map, repeat(routed.__getitem__), map(self.routes.into.__getitem__, receivers)))
            return zip(receivers, boxes)
        return self._drain()

    def seeded_for(self, slots: list[int]) -> bool:
        """Whether this superstep's inbox is one message seeded for exactly `slots`."""
        uniform = self._uniform
        return uniform is not None and uniform[0] is slots

    def peek_uniform(self) -> Any:
        """The message of a uniform (seed_all) inbox, not taken."""
        assert self._uniform is not None
        return self._uniform[1][0]

    def take_uniform(self, slots: list[int]) -> Any:
        """The one message seeded for exactly `slots` (the same list object) this superstep,
        or UNSENT when the inbox has any other form (then nothing is taken)."""
        uniform = self._uniform
        if uniform is None or uniform[0] is not slots:
            return UNSENT
        self._uniform = None
        self.delivered += len(slots)
        return uniform[1][0]

    def take_routed(self) -> tuple[list[Any], Any, Any] | None:
        """This superstep's inbox when it is one routed message per sending slot: (routed,
        h, typed) with routed[s] the message of slot s (UNSENT for slots without out-edges;
        receiver d gets routed[s] for each s in `routes.into[d]`), or, when h is not None,
        the payload x of s's message `[h, x]`. `typed` is `inbox_typed` (or None): when it
        holds columns, their slots are not written into `routed` yet (its `write` does
        that). None otherwise (then nothing is taken)."""
        routed = self._inbox_routed
        if routed is None:
            return None
        pairs, typed = self._inbox_pairs, self.inbox_typed
        self._inbox_routed = self._inbox_pairs = self.inbox_typed = None
        self.delivered += self._sent
        self._sent = 0
        return routed, pairs, typed

    def settle_typed(self) -> None:
        """Write what `inbox_typed` holds into the routed inbox table and forget it (before
        the table is read as Python values)."""
        typed = self.inbox_typed
        if typed is not None:
            self.inbox_typed = None
            if self._inbox_routed is not None:
                typed.write(self._inbox_routed)

    def _drain(self) -> Iterator[tuple[int, Any]]:
        slot = 0
        for msgs in self.inbox:
            if msgs:
                yield slot, msgs
                msgs.clear()
            slot += 1

    def barrier(self) -> None:
        """End the superstep: the outbox becomes the next inbox; enforce the budget."""
        if self.lane is not None:
            self.close_lane()
        routed = self._routed
        fill, self._fill = self._fill, None
        if routed is not None:
            assert self.routes is not None
            if self._route_count == self.routes.senders:
                self._inbox_routed = routed
                self._inbox_pairs = self._pairs
                # (a send after the fill replaced or dropped the filled table)
                known = fill is not None and fill[0] is routed and self._pairs is not None
                self.inbox_typed = _typed_payloads(fill[1]) if known else None  # type: ignore[index]
                self._routed = self._pairs = None
                self._route_count = 0
            else:
                self._spread()
        self.inbox, self.outbox = self.outbox, self.inbox
        # fold tables are keyed by symbols; any other head (maybe unhashable) folds nothing
        head = self._head
        self.inbox_head = head if head.__class__ is Symbol else MIXED
        self._head = None
        if self._sent:
            self.superstep += 1
            if self.superstep >= self.max_supersteps:
                raise GraphoidError(
                    "LimitError",
                    f"Graph messaging did not settle within {self.max_supersteps} supersteps "
                    f"({self._sent} messages still pending)",
                )

    def flush(self) -> None:
        """Put this step's routed messages into the outbox boxes (before re-slotting them)."""
        if self.lane is not None:
            self.close_lane()
        if self._routed is not None:
            self._spread()

    def clear(self) -> None:
        """Drop whatever is still queued (after an error), so the buffers can be reused."""
        for box in self.inbox:
            box.clear()
        for box in self.outbox:
            box.clear()
        self._uniform = None
        self._sent = 0
        self._head = None
        self.inbox_head = MIXED
        self._routed = None
        self._route_count = 0
        self._inbox_routed = None
        self.lane = None
        self.lane_head = UNDECIDED
        self._pairs = self._inbox_pairs = None
        self._fill = self.inbox_typed = None


def write_slots(table: list[Any], slots: Sequence[int], runs: list[tuple[int, int]] | None,
                values: Sequence[Any]) -> None:
    """table[slots[k]] = values[k] for every k: one slice store per run of consecutive slots
    when `runs` (the slots as (start, stop) runs) are given, else slot by slot in C."""
    if runs is None:
        deque(map(table.__setitem__, slots, values), maxlen=0)
        return
    taken = 0
    for start, stop in runs:
        end = taken + stop - start
        table[start:stop] = values[taken:end]
        taken = end


def _typed_payloads(constant: Any) -> Any:
    """vector_fold.TypedPayloads(constant) (imported on use: vector_fold imports this module)."""
    from graphoid.messaging.vector_fold import TypedPayloads

    return TypedPayloads(constant)


_FIRST = itemgetter(0)
_IS_SENT = partial(is_not, UNSENT)
