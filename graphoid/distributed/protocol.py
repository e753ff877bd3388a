"""The wire protocol between coordinator and workers: message types, header schema, validation.

A message is a ZeroMQ multipart `[b"GDW1"] [header] [payload...]` (a ROUTER adds the peer identity
in front; transport.py strips it). The header is a msgpack map holding the common fields
`t` (type), `run`, `ep`, `src`, `id`, `re` and the type's own small fields. Payload frames are
opaque bytes here (codec-encoded values or packed arrays). Everything is pure: no sockets.

    >>> msg = Message.new("HEARTBEAT", src="0", id=7)
    >>> unpack(pack(msg)) == msg
    True
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import attrs
import msgpack

MAGIC = b"GDW1"


class ProtocolError(Exception):
    """Frames that are not a valid protocol message (always the peer's fault or a sender bug)."""


@attrs.frozen(slots=True)
class Limits:
    """Bounds a receiver enforces before it looks at anything (a hostile peer cannot exhaust memory)."""

    max_header_bytes: int = 64 * 1024
    max_payload_frames: int = 1024
    max_frame_bytes: int = 256 * 1024 * 1024


DEFAULT_LIMITS = Limits()


@attrs.frozen(slots=True)
class FieldType:
    """A header field's type: exact Python types (bool is not int), and the item type of a list."""

    name: str
    types: frozenset[type]
    item: type | None = None

    def check(self, value: Any) -> bool:
        if type(value) not in self.types:
            return False
        return self.item is None or all(type(item) is self.item for item in value)


STR = FieldType("str", frozenset({str}))
INT = FieldType("int", frozenset({int}))
FLOAT = FieldType("float", frozenset({float}))
BOOL = FieldType("bool", frozenset({bool}))
OPT_STR = FieldType("str or nil", frozenset({str, type(None)}))
OPT_INT = FieldType("int or nil", frozenset({int, type(None)}))
STR_LIST = FieldType("list of str", frozenset({list}), item=str)

# Fields every header carries: sender, per-sender message id, the reply-to id, run and epoch.
COMMON_FIELDS: dict[str, FieldType] = {"run": OPT_STR, "ep": INT, "src": STR, "id": INT, "re": OPT_INT}

# Optional on every message type, for relaying on a standing cluster: `drv` names the driver a
# message belongs to (coordinator <-> worker, worker <-> worker); `wkr` names the worker a
# driver's message is for, or the worker a relayed reply comes from (driver <-> coordinator).
ROUTING_FIELDS: dict[str, FieldType] = {"drv": STR, "wkr": STR}


@attrs.frozen(slots=True)
class MessageType:
    """One entry of the type table: required and optional type-specific header fields."""

    name: str
    required: Mapping[str, FieldType] = attrs.field(factory=dict)
    optional: Mapping[str, FieldType] = attrs.field(factory=dict)
    # Common fields then required ones, flattened once for the receive path.
    always: tuple[tuple[str, FieldType], ...] = attrs.field(init=False)
    # Every field a header of this type may hold -> the exact types of a scalar value (None:
    # the field needs the full check, e.g. a list); `validate`'s one-pass fast path reads it.
    allowed: Mapping[str, frozenset[type] | None] = attrs.field(init=False)
    required_names: frozenset[str] = attrs.field(init=False)

    @always.default
    def _flatten(self) -> tuple[tuple[str, FieldType], ...]:
        return (*COMMON_FIELDS.items(), *self.required.items())

    @allowed.default
    def _allowed(self) -> Mapping[str, frozenset[type] | None]:
        fields = {**ROUTING_FIELDS, **self.optional, **COMMON_FIELDS, **self.required}
        return {name: None if field.item is not None else field.types for name, field in fields.items()}

    @required_names.default
    def _required_names(self) -> frozenset[str]:
        return frozenset(name for name, _ in self.always)


def _table(*types: MessageType) -> dict[str, MessageType]:
    return {message_type.name: message_type for message_type in types}


# The registry. Later pieces add rows here (REPL_APPEND/REPL_ACK, STREAM_*, LOCK_*/ELECT_*, CRDT_MERGE);
# a receiver drops any type that is not in it.
MESSAGE_TYPES: dict[str, MessageType] = _table(
    # Membership. HELLO: a worker announces itself and its data address; WELCOME tells it the
    # coordinator's heartbeat settings; HEARTBEAT is both ping and (with `re`) pong.
    MessageType("HELLO", {"worker": STR, "data": STR, "pid": INT}),
    MessageType("WELCOME", {"interval": FLOAT, "misses": INT}),
    MessageType("HEARTBEAT"),
    MessageType("SHUTDOWN", optional={"reason": STR}),
    MessageType("BYE", optional={"reason": STR}),
    # Code: ship a program bundle once per hash (payload of SOURCES: the encoded {path: text}).
    MessageType("LOAD_PROGRAM", {"bundle": STR}),
    MessageType("NEED_SOURCE", {"bundle": STR}),
    MessageType("SOURCES", {"bundle": STR}),
    MessageType("PROGRAM_READY", {"bundle": STR}),
    # The bundle could not be loaded (payload: the encoded error, e.g. BundleMismatch).
    MessageType("PROGRAM_FAILED", {"bundle": STR}),
    # Peers' data addresses (payload: msgpack map worker id -> address), sent once the cluster is up.
    MessageType("PEERS"),
    # Tasks (tasks.py): SUBMIT's payload is the msgpack spec then codec-encoded values; DONE's is
    # one msgpack list of [oid, size, type tag] (metadata only); FAILED's is the encoded error.
    MessageType("SUBMIT", {"task": STR}),
    MessageType("DONE", {"task": STR}),
    # Many independent tasks of one run in one message (fewer socket wake-ups per task): payload
    # [index, frame...], index = msgpack [[task id, [frame numbers]]] (numbers count from the
    # first frame after the index; a frame shared by tasks, like the function, is sent once).
    # An entry [task id, [frame numbers], out] gives the task's output id in place of its spec's
    # `out`: a map's chunks share one spec frame. With `packed` = k, the last payload frame is a
    # msgpack array of k bins, the batch's small frames: they follow the other frames in the
    # numbering (one zmq frame for a batch's items instead of one each).
    # A worker reports the tasks one message handled in one DONE_MANY: [[task id, objects]].
    MessageType("SUBMIT_MANY", optional={"packed": INT}),
    MessageType("DONE_MANY"),
    MessageType("FAILED", {"task": STR, "retry": BOOL}),
    MessageType("CANCEL", {"task": STR}),
    # Objects (run-scoped through the header's `run`). FETCH may select one element of a list
    # object (`item`) or one entry of a map object (`key`), so one value moves, not the object,
    # or only the keys of a result object of shape `keys` (entries.py: the order of a fold over
    # a result, values staying put); the reply repeats the selection.
    MessageType("LOCATE", {"oid": STR}),
    MessageType("LOCATION", {"oid": STR, "owner": OPT_STR}, {"size": INT}),
    MessageType("FETCH", {"oid": STR}, {"item": INT, "key": STR, "keys": STR}),
    MessageType("OBJECT", {"oid": STR}, {"item": INT, "key": STR, "keys": STR}),
    MessageType("NOT_FOUND", {"oid": STR}, {"item": INT, "key": STR, "keys": STR}),
    MessageType("FREE", {"oids": STR_LIST}),
    MessageType("END_RUN"),
    # Partitions (placing.py): LOAD_PARTITION's payload is the msgpack placement spec (and, for a
    # :function strategy, the encoded function); the partition follows in PARTITION_CHUNKs numbered
    # `chunk` 0, 1, ... of `kind` nodes, ghosts, out, in (columnar frames), then end (or abort).
    MessageType("LOAD_PARTITION", {"graph": STR, "part": INT, "epoch": INT}),
    MessageType("PARTITION_CHUNK", {"graph": STR, "part": INT, "epoch": INT, "chunk": INT, "kind": STR}),
    MessageType("PARTITION_READY", {"graph": STR, "part": INT, "epoch": INT}),
    MessageType("PARTITION_FAILED", {"graph": STR, "part": INT, "epoch": INT}),  # payload: the encoded error
    MessageType("DROP_GRAPH", {"graph": STR}),
    # map_reduce: a map task's [k, v] pairs for one reducer, sent worker to worker (payload: the
    # encoded list of pairs in emit order); `source` orders the sources, `reducer` is the bucket.
    MessageType("SHUFFLE_PUSH", {"shuffle": STR, "source": INT, "reducer": INT}),
    # Counters of one worker (STATS_REPLY payload: msgpack map name -> int).
    MessageType("STATS"),
    MessageType("STATS_REPLY"),
    # BSP supersteps of messaging call `call` on graph `graph` (supersteps.py): `part` is the
    # partition addressed. STEP_BEGIN of step 0 carries the encoded seed and the msgpack list of
    # each partition's worker; STEP_MSGS one batch from partition `source` (worker to worker);
    # STEP_DONE reports what `part` sent (`failed`: the node whose handler failed, "" for none,
    # with the encoded error; at step 0 of a request, the encoded replies).
    # Partitions that run on (issue 8 §8, lane prank): STEP_BEGIN of step 0 with `limit` (the
    # superstep limit) lets the partitions begin each next step themselves; each STEP_MSGS then
    # carries the messages its sender `sent` in the step and whether it `halt`s there (a failed
    # handler: an empty batch; topology changes). A STEP_MSGS with `column` ("i8" or "f8")
    # carries its routed payloads as a second frame, packed little-endian int64 or float64
    # (vector_fold.pack_column), its batch's routed entry being nil. The coordinator sends STEP_BEGIN of a later
    # step only after a RESHAPE. A STEP_DONE of a step its partition sent messages in may come
    # late, with the partition's next STEP_DONE (supersteps.py: reports in step order).
    MessageType("STEP_BEGIN", {"graph": STR, "call": INT, "step": INT, "part": INT},
                {"collect": BOOL, "atomic": BOOL, "nodes": INT, "edges": INT, "bundle": STR, "limit": INT}),
    MessageType("STEP_MSGS", {"graph": STR, "call": INT, "step": INT, "part": INT, "source": INT},
                {"sent": INT, "halt": BOOL, "column": STR}),
    MessageType("STEP_DONE", {"graph": STR, "call": INT, "step": INT, "part": INT, "sent": INT},
                {"failed": STR, "changes": BOOL}),
    MessageType("COMMIT", {"graph": STR, "call": INT, "part": INT}),
    MessageType("ROLLBACK", {"graph": STR, "call": INT, "part": INT}),
    # Topology changes inside on_message (topology.py): a STEP_DONE with `changes` carries, as
    # its last frame, the encoded [node id, sequence, name, args, kwargs] the step's handlers
    # buffered. RESHAPE (payload: the encoded [op, args] list, in (node id, sequence) order)
    # has every partition apply them after merging that step's batches; RESHAPED answers with
    # the messages still `pending` there and the `nodes` and `edges` it added (with `failed`,
    # the encoded error instead).
    MessageType("RESHAPE", {"graph": STR, "call": INT, "step": INT, "part": INT}, {"bundle": STR}),
    MessageType("RESHAPED", {"graph": STR, "call": INT, "step": INT, "part": INT, "pending": INT, "nodes": INT,
                             "edges": INT}, {"failed": STR}),
    # A node question to one partition (payload: the encoded argument list) and its answer
    # (the encoded value, or with `failed` the encoded error); BEHAVIOR sets the partition's
    # behaviour template (payload: the encoded template or none).
    # `ask` numbers the question; the answer repeats it. `bundle` (here and in STEP_BEGIN): the
    # program whose functions the payload holds, when newer than the partition's.
    MessageType("READ", {"graph": STR, "part": INT, "op": STR, "ask": INT}, {"bundle": STR}),
    MessageType("READ_REPLY", {"graph": STR, "part": INT, "ask": INT}, {"failed": BOOL}),
    MessageType("BEHAVIOR", {"graph": STR, "part": INT, "ask": INT}, {"bundle": STR}),
    MessageType("BEHAVIOR_READY", {"graph": STR, "part": INT, "ask": INT}, {"failed": BOOL}),
    # find_pattern (matching.py): steps of pattern call `call` run with the superstep barrier.
    # MATCH_BEGIN of step 0 carries the encoded pattern and the msgpack list of each partition's
    # worker; MATCH_MSGS one batch of work items from partition `source` (worker to worker,
    # msgpack [[kind, [bound ids], candidate or nil, walk or nil]], a walk being [path clause,
    # end node, depth] (variable-length path clauses)); each step ends with STEP_DONE whose
    # payload is the encoded list of complete bindings found; MATCH_END forgets the call.
    # MUTATE changes one partition (`op`: add_node, add_edge, remove_node, remove_edge; payload:
    # the encoded argument list); the answer is a READ_REPLY with the encoded count changes.
    MessageType("MATCH_BEGIN", {"graph": STR, "call": INT, "step": INT, "part": INT}),
    MessageType("MATCH_MSGS", {"graph": STR, "call": INT, "step": INT, "part": INT, "source": INT}),
    MessageType("MATCH_END", {"graph": STR, "call": INT, "part": INT}),
    MessageType("MUTATE", {"graph": STR, "part": INT, "op": STR, "ask": INT}, {"bundle": STR}),
    # load_edges and the graph store (loading.py). EDGES_READ: parse byte range `range` of `ranges`
    # ([start, end) of `path`); payload: msgpack list partition index -> owner worker. EDGES_PUSH:
    # that range's edges touching partition `part`, worker to worker (payload: msgpack [sources,
    # targets, weights or nil]; with `failed`, the encoded error of the range instead). The owner
    # answers PARTITION_READY (payload: msgpack [owned nodes, edges]) or PARTITION_FAILED.
    # GRAPH_SAVE: write partition `part` to `path`; SAVED's payload is msgpack [bytes, digest]
    # (with `failed`, the encoded error). GRAPH_READ: load partition `part` from `path` (checked
    # against `bytes` and `digest`) for program `bundle`; answered like LOAD_PARTITION.
    MessageType("EDGES_READ", {"graph": STR, "epoch": INT, "bundle": STR, "path": STR, "start": INT, "end": INT,
                               "range": INT, "ranges": INT, "directed": BOOL}),
    MessageType("EDGES_PUSH", {"graph": STR, "epoch": INT, "range": INT, "part": INT}, {"failed": BOOL}),
    MessageType("GRAPH_SAVE", {"graph": STR, "part": INT, "path": STR}),
    MessageType("SAVED", {"graph": STR, "part": INT}, {"failed": BOOL}),
    MessageType("GRAPH_READ", {"graph": STR, "part": INT, "epoch": INT, "bundle": STR, "path": STR, "bytes": INT,
                               "digest": STR}),
    # Actors (distributed.spawn and actor handles on the wire; distributed/actors.py). ACTOR_SPAWN
    # places actor `actor` of the header's run on the worker (payload: the encoded template graph of
    # program `bundle`; handled by the core), answered by ACTOR_READY (with `failed`, the encoded
    # error). The others are handled where they arrive (a worker's socket thread, the driver's
    # coordinator thread), never on a core, and go between any two sides: worker to worker on
    # the data channels, worker to driver on the control channel. ACTOR_SEND and ACTOR_REQUEST
    # carry one encoded message for actor (`run`, `actor`) of the receiving side (run none: an
    # actor of the driver); a request is answered by ACTOR_REPLY to its sender with the same
    # `ask` (the encoded answer, or with `failed` the encoded error). ACTOR_CLOSE closes the
    # actor after what came before it. PEER_LOST (driver to workers): requests waiting for
    # worker `worker` fail with a WorkerLostError.
    MessageType("ACTOR_SPAWN", {"actor": INT, "ask": INT, "bundle": STR}),
    MessageType("ACTOR_READY", {"actor": INT, "ask": INT}, {"failed": BOOL}),
    MessageType("ACTOR_SEND", {"actor": INT}),
    MessageType("ACTOR_REQUEST", {"actor": INT, "ask": INT}),
    MessageType("ACTOR_REPLY", {"actor": INT, "ask": INT}, {"failed": BOOL}),
    MessageType("ACTOR_CLOSE", {"actor": INT}),
    # Standing clusters shared by drivers (relay.py, client.py). JOIN: a worker started without an
    # id asks for one (from a temporary identity); JOINED gives it. ATTACH: a driver (identity
    # `driver-...`, its tag) asks to use the cluster; ATTACHED tells it the heartbeat settings and
    # the live workers (payload: msgpack map worker id -> data address). DETACH: the driver
    # leaves. DRIVER_GONE (to workers): free everything of driver `driver`. WORKER_LOST (to
    # drivers): a worker died. Every other message between a driver and a worker is relayed by
    # the coordinator with a routing field (ROUTING_FIELDS below).
    MessageType("JOIN"),
    MessageType("JOINED", {"worker": STR}),
    MessageType("ATTACH", {"pid": INT}),
    MessageType("ATTACHED", {"driver": STR, "interval": FLOAT, "misses": INT}),
    MessageType("DETACH"),
    MessageType("DRIVER_GONE", {"driver": STR}),
    MessageType("WORKER_LOST", {"worker": STR, "reason": STR}),
    MessageType("PEER_LOST", {"worker": STR}, {"reason": STR}),
)


@attrs.frozen(slots=True)
class Message:
    """A validated message: its type, its header fields (without `t`) and its payload frames."""

    type: str
    header: Mapping[str, Any]
    payload: tuple[bytes, ...] = ()

    @classmethod
    def new(
        cls,
        type: str,
        *,
        src: str,
        id: int,
        run: str | None = None,
        ep: int = 0,
        re: int | None = None,
        payload: Sequence[bytes] = (),
        **fields: Any,
    ) -> "Message":
        """Build a message with the common fields filled in (not validated until packed)."""
        header = {"run": run, "ep": ep, "src": src, "id": id, "re": re, **fields}
        return cls(type, header, tuple(payload))

    def __getitem__(self, field: str) -> Any:
        return self.header[field]


def validate(message_type: str, header: Mapping[str, Any]) -> MessageType:
    """Check a header against the table; returns the type's row or raises ProtocolError."""
    row = MESSAGE_TYPES.get(message_type)
    if row is None:
        raise ProtocolError(f"unknown message type {message_type!r}")
    # The fast path (every message on the hot path): one pass over the header, each field
    # allowed and of a scalar type it may have, and every required field there. Anything
    # else (a list field, a bad or missing field) takes the full check below, which finds
    # the same verdict and names the problem.
    allowed = row.allowed
    for name, value in header.items():
        types = allowed.get(name)
        if types is None or type(value) not in types:
            break
    else:
        if header.keys() >= row.required_names:
            return row
    return _validate_fully(row, message_type, header)


def _validate_fully(row: MessageType, message_type: str, header: Mapping[str, Any]) -> MessageType:
    """`validate` field by field in a fixed order: the first problem is the one reported."""
    for name, field_type in row.always:
        if name not in header:
            raise ProtocolError(f"{message_type} header lacks {name!r}")
        value = header[name]
        # The common case inline (no call): a scalar field of the right type.
        if type(value) not in field_type.types or (field_type.item is not None and not field_type.check(value)):
            raise ProtocolError(f"{message_type} field {name!r} must be {field_type.name}")
    if len(header) == len(row.always):  # nothing optional, nothing unknown
        return row
    for name, value in header.items():
        if name in COMMON_FIELDS or name in row.required:
            continue
        field_type = row.optional.get(name) or ROUTING_FIELDS.get(name)
        if field_type is None:
            raise ProtocolError(f"{message_type} header has unknown field {name!r}")
        if not field_type.check(value):
            raise ProtocolError(f"{message_type} field {name!r} must be {field_type.name}")
    return row


def pack(message: Message) -> list[bytes]:
    """The frames of a message (after the ROUTER identity, if any); raises ProtocolError if invalid."""
    validate(message.type, message.header)
    try:
        header = msgpack.packb({"t": message.type, **message.header})
    except (OverflowError, ValueError, TypeError) as error:  # an int beyond 64 bits, a string too long
        raise ProtocolError(f"{message.type} header cannot be packed: {error}") from None
    return [MAGIC, header, *message.payload]


def unpack(frames: Sequence[bytes], limits: Limits = DEFAULT_LIMITS) -> Message:
    """Parse and validate received frames; raises ProtocolError for anything wrong, never another error."""
    if len(frames) < 2:
        raise ProtocolError(f"expected at least 2 frames (magic, header), got {len(frames)}")
    if frames[0] != MAGIC:
        raise ProtocolError(f"bad magic {bytes(frames[0][:8])!r}")
    payload = tuple(frames[2:])
    if len(payload) > limits.max_payload_frames:
        raise ProtocolError(f"{len(payload)} payload frames exceed the limit of {limits.max_payload_frames}")
    for frame in payload:
        if len(frame) > limits.max_frame_bytes:
            raise ProtocolError(f"a payload frame of {len(frame)} bytes exceeds {limits.max_frame_bytes}")
    header = _decode_header(frames[1], limits)
    message_type = header.pop("t", None)
    if type(message_type) is not str:
        raise ProtocolError("header lacks a string type 't'")
    validate(message_type, header)
    return Message(message_type, header, payload)


def _decode_header(raw: bytes, limits: Limits) -> dict[str, Any]:
    if len(raw) > limits.max_header_bytes:
        raise ProtocolError(f"header of {len(raw)} bytes exceeds {limits.max_header_bytes}")
    try:
        header = msgpack.unpackb(raw, raw=False, strict_map_key=True)
    except Exception as error:  # the decoder's failure modes are many (format, depth, utf-8, extra data)
        raise ProtocolError(f"header is not msgpack: {type(error).__name__}: {error}") from None
    if type(header) is not dict:
        raise ProtocolError(f"header must be a map, not {type(header).__name__}")
    return header
