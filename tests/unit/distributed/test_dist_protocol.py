"""The wire protocol: the type table, pack/unpack round trips, and rejection of anything malformed."""

from __future__ import annotations

import msgpack
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphoid.distributed.protocol import (
    BOOL, COMMON_FIELDS, FLOAT, INT, MAGIC, MESSAGE_TYPES, OPT_INT, OPT_STR, STR, STR_LIST, FieldType, Limits,
    ROUTING_FIELDS, Message, ProtocolError, _validate_fully, pack, unpack, validate,
)

REQUIRED_TYPES = (
    "HELLO WELCOME HEARTBEAT SHUTDOWN BYE LOAD_PROGRAM NEED_SOURCE SOURCES PROGRAM_READY SUBMIT DONE FAILED "
    "CANCEL LOCATE LOCATION FETCH OBJECT NOT_FOUND FREE END_RUN STEP_BEGIN STEP_MSGS STEP_DONE COMMIT "
    "ROLLBACK READ READ_REPLY BEHAVIOR BEHAVIOR_READY"
).split()

VALUES_OF: dict[FieldType, st.SearchStrategy] = {
    STR: st.text(max_size=20),
    INT: st.integers(-(2**63), 2**64 - 1),
    FLOAT: st.floats(allow_nan=False),
    BOOL: st.booleans(),
    OPT_STR: st.none() | st.text(max_size=20),
    OPT_INT: st.none() | st.integers(0, 2**63),
    STR_LIST: st.lists(st.text(max_size=8), max_size=5),
}


def header_bytes(header: dict) -> bytes:
    return msgpack.packb(header)


def valid_header(message_type: str = "HEARTBEAT", **fields) -> dict:
    return {"t": message_type, "run": None, "ep": 0, "src": "0", "id": 1, "re": None, **fields}


@st.composite
def messages(draw) -> Message:
    row = MESSAGE_TYPES[draw(st.sampled_from(sorted(MESSAGE_TYPES)))]
    header = {name: draw(VALUES_OF[kind]) for name, kind in COMMON_FIELDS.items()}
    header.update({name: draw(VALUES_OF[kind]) for name, kind in row.required.items()})
    for name, kind in row.optional.items():
        if draw(st.booleans()):
            header[name] = draw(VALUES_OF[kind])
    payload = tuple(draw(st.lists(st.binary(max_size=64), max_size=3)))
    return Message(row.name, header, payload)


def test_every_type_the_design_names_is_registered():
    assert set(REQUIRED_TYPES) <= set(MESSAGE_TYPES)


@settings(max_examples=300)
@given(messages())
def test_pack_unpack_round_trip(message):
    frames = pack(message)
    assert frames[0] == MAGIC
    assert unpack(frames) == message


@settings(max_examples=500)
@given(st.lists(st.binary(max_size=80), max_size=6))
def test_random_frames_are_rejected_cleanly(frames):
    try:
        unpack(frames)
    except ProtocolError:
        pass


@settings(max_examples=300)
@given(messages(), st.data())
def test_corrupted_headers_never_escape_as_other_errors(message, data):
    header = bytearray(pack(message)[1])
    cut = data.draw(st.integers(0, len(header)))
    flips = data.draw(st.lists(st.tuples(st.integers(0, max(0, len(header) - 1)), st.integers(0, 255)), max_size=4))
    for position, value in flips:
        if position < len(header):
            header[position] = value
    try:
        unpack([MAGIC, bytes(header[:cut])])
    except ProtocolError:
        pass


@settings(max_examples=300)
@given(st.dictionaries(st.text(max_size=6),
                       st.none() | st.integers(-(2**63), 2**63) | st.text(max_size=6) | st.booleans(),
                       max_size=8), st.sampled_from(sorted(MESSAGE_TYPES)))
def test_random_header_maps_are_validated(fields, message_type):
    try:
        message = unpack([MAGIC, header_bytes({**fields, "t": message_type})])
    except ProtocolError:
        return
    assert message.type == message_type  # accepted only when every field checks out


def verdict(check, message_type: str, header: dict) -> object:
    """What a validation function answers: the row, or the message of its ProtocolError."""
    try:
        return check(message_type, header)
    except ProtocolError as error:
        return str(error)


@st.composite
def nearly_valid_headers(draw) -> tuple[str, dict]:
    """A valid header of a random type, then maybe a field dropped, retyped or added."""
    message = draw(messages())
    header = dict(message.header)
    row = MESSAGE_TYPES[message.type]
    known = {**COMMON_FIELDS, **row.required, **row.optional, **ROUTING_FIELDS}
    change = draw(st.sampled_from(["none", "drop", "retype", "add", "route"]))
    if change == "drop" and header:
        del header[draw(st.sampled_from(sorted(header)))]
    elif change == "retype" and header:
        name = draw(st.sampled_from(sorted(header)))
        header[name] = draw(st.one_of(*VALUES_OF.values()))  # sometimes of its own type again
    elif change == "add":
        header[draw(st.sampled_from(sorted(known)) | st.text(max_size=5))] = draw(
            st.none() | st.integers(-5, 5) | st.text(max_size=4) | st.booleans() | st.lists(st.integers(0, 3)))
    elif change == "route":
        header[draw(st.sampled_from(sorted(ROUTING_FIELDS)))] = draw(st.text(max_size=4) | st.integers(0, 3))
    return message.type, header


@settings(max_examples=600)
@given(nearly_valid_headers())
def test_the_fast_validation_agrees_with_the_field_by_field_one(case):
    """`validate`'s one-pass fast path accepts exactly what the full check accepts, and a header
    it does not accept gets the full check's error (the same message)."""
    message_type, header = case
    row = MESSAGE_TYPES[message_type]
    assert verdict(validate, message_type, header) == verdict(
        lambda kind, fields: _validate_fully(row, kind, fields), message_type, header)


@pytest.mark.parametrize("header, accepted", [
    ({"run": None, "ep": 0, "src": "0", "id": 1, "re": None, "oids": ["a"]}, True),  # a list field
    ({"run": None, "ep": 0, "src": "0", "id": 1, "re": None, "oids": ["a", 2]}, False),
    ({"run": None, "ep": 0, "src": "0", "id": 1, "re": None, "oids": ["a"], "drv": "d-1"}, True),  # routing
    ({"run": None, "ep": 0, "src": "0", "id": 1, "re": None, "drv": "d-1", "wkr": "0"}, False),  # oids missing
    ({"run": None, "ep": 0, "src": "0", "id": 1, "oids": [], "x": 1}, False),  # re missing, x unknown
])
def test_headers_the_fast_path_leaves_to_the_full_check(header, accepted):
    got = verdict(validate, "FREE", header)
    assert got == verdict(lambda kind, fields: _validate_fully(MESSAGE_TYPES["FREE"], kind, fields), "FREE", header)
    assert (got is MESSAGE_TYPES["FREE"]) is accepted


@pytest.mark.parametrize(
    "frames, reason",
    [
        ([], "at least 2 frames"),
        ([MAGIC], "at least 2 frames"),
        ([b"GDW0", header_bytes(valid_header())], "bad magic"),
        ([MAGIC, b"\xc1"], "not msgpack"),
        ([MAGIC, header_bytes(valid_header())[:-3]], "not msgpack"),
        ([MAGIC, header_bytes(valid_header()) + b"\x00"], "not msgpack"),
        ([MAGIC, header_bytes([1, 2])], "must be a map"),
        ([MAGIC, header_bytes({"run": None})], "type 't'"),
        ([MAGIC, header_bytes(valid_header("NO_SUCH_TYPE"))], "unknown message type 'NO_SUCH_TYPE'"),
        ([MAGIC, header_bytes({**valid_header(), "id": "1"})], "'id' must be int"),
        ([MAGIC, header_bytes({**valid_header(), "ep": True})], "'ep' must be int"),
        ([MAGIC, header_bytes(valid_header("HELLO", worker="0", data="tcp://x"))], "lacks 'pid'"),
        ([MAGIC, header_bytes(valid_header("FAILED", task="t", retry=1))], "'retry' must be bool"),
        ([MAGIC, header_bytes(valid_header("FREE", oids=["a", 1]))], "'oids' must be list of str"),
        ([MAGIC, header_bytes(valid_header(extra=1))], "unknown field 'extra'"),
        ([MAGIC, header_bytes(valid_header("SHUTDOWN", reason=5))], "'reason' must be str"),
        ([MAGIC, header_bytes(valid_header("SUBMIT_MANY", packed="3"))], "'packed' must be int"),
        ([MAGIC, msgpack.packb(msgpack.ExtType(5, b"x"))], "must be a map"),
    ],
)
def test_malformed_messages_name_the_problem(frames, reason):
    with pytest.raises(ProtocolError, match=reason.replace("(", r"\(")):
        unpack(frames)


def test_size_limits_are_enforced_before_decoding():
    limits = Limits(max_header_bytes=100, max_payload_frames=2, max_frame_bytes=10)
    header = header_bytes(valid_header())
    with pytest.raises(ProtocolError, match="header of 2000 bytes exceeds 100"):
        unpack([MAGIC, b"\x00" * 2000], limits)
    with pytest.raises(ProtocolError, match="3 payload frames exceed the limit of 2"):
        unpack([MAGIC, header, b"", b"", b""], limits)
    with pytest.raises(ProtocolError, match="payload frame of 11 bytes exceeds 10"):
        unpack([MAGIC, header, b"x" * 11], limits)
    assert unpack([MAGIC, header, b"x" * 10, b""], limits).payload == (b"x" * 10, b"")


def test_deeply_nested_header_is_rejected():
    nested = b"\x91" * 5000 + b"\xc0"  # 5000 nested one-element arrays
    with pytest.raises(ProtocolError):
        unpack([MAGIC, b"\x81\xa1t" + nested])


def test_pack_refuses_invalid_messages():
    with pytest.raises(ProtocolError, match="lacks 'oid'"):
        pack(Message.new("FETCH", src="0", id=1))
    with pytest.raises(ProtocolError, match="cannot be packed"):
        pack(Message.new("HEARTBEAT", src="0", id=2**64))
    with pytest.raises(ProtocolError, match="unknown message type"):
        pack(Message.new("NOPE", src="0", id=1))


def test_message_new_fills_the_common_fields():
    message = Message.new("STEP_DONE", src="1", id=9, run="r1", ep=2, graph="g", call=4, step=3, part=1, sent=0)
    assert message.header == {"run": "r1", "ep": 2, "src": "1", "id": 9, "re": None,
                              "graph": "g", "call": 4, "step": 3, "part": 1, "sent": 0}
    assert message["step"] == 3
    assert unpack(pack(message)) == message
