"""codec: every Graphoid value kind round-trips; hostile bytes only ever give a CodecError."""

from __future__ import annotations

import math

import msgpack
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphoid.distributed.codec import (
    EXT_FUNCTION,
    EXT_GRAPH,
    EXT_REF,
    CodecError,
    Limits,
    decode,
    encode,
    encode_each,
)
from graphoid.distributed.program import FunctionExporter, FunctionTable
from graphoid.errors import GraphoidError, TraceEntry
from graphoid.values.format import display, equals, type_name
from graphoid.graphs.graph import Graph
from graphoid.runtime.interpreter import Interpreter
from graphoid.graphs.patterns import EdgePattern, NodePattern, PathPattern, make_pattern
from graphoid.values.types import BigNum, GList, GMap, Regex, Symbol
from graphoid.syntax.ast import Span


def round_trip(value, **kwargs):
    return decode(encode(value), **kwargs)


def assert_same(value, back):
    assert type_name(back) == type_name(value)
    assert equals(back, value)
    assert display(back) == display(value)


# ----------------------------------------------------------------------------- scalars and collections


@pytest.mark.parametrize("value", [
    None, True, False, 0, -1, 2**63 - 1, -(2**63), 2**64 - 1, 2**64, -(2**63) - 1, 10**400, -(10**4000),
    0.5, -0.0, math.inf, -math.inf, 1e308, "", "héllo ✓", "a" * 100_000,
])
def test_scalars_round_trip(value):
    back = round_trip(value)
    assert type(back) is type(value) and back == value
    if isinstance(value, float):
        assert math.copysign(1, back) == math.copysign(1, value)


def test_nan_round_trips():
    assert math.isnan(round_trip(math.nan))


def test_bignum_keeps_its_type():
    back = round_trip(BigNum(12))
    assert type(back) is BigNum and back == 12 and type_name(back) == "bignum"
    assert type(round_trip(BigNum(10**30))) is BigNum


def test_symbols_stay_interned():
    assert round_trip(Symbol("ready")) is Symbol("ready")


def test_lists_and_maps_decode_as_graphoid_collections():
    value = GList([1, "x", GList([Symbol("a"), None]), GMap({"k": GList([1.5]), "m": GMap()})])
    back = round_trip(value)
    assert type(back) is GList and type(back[2]) is GList and type(back[3]) is GMap
    assert type(back[3]["k"]) is GList
    assert_same(value, back)
    assert type(round_trip((1, 2))) is GList  # tuples are lists in Graphoid


def test_map_order_is_kept():
    value = GMap((key, index) for index, key in enumerate(["z", "a", "m"]))
    assert list(round_trip(value)) == ["z", "a", "m"]


def test_frozen_and_rules_survive_on_lists_and_maps():
    interp = Interpreter()
    frozen = interp.run_raw("[1, 2].freeze()")
    ruled = interp.run_raw("[none, -3].add_rule(:none_to_zero).add_rule(:positive)")
    ranged = interp.run_raw('{"a": 5}.add_rule(:validate_range, 0, 10)')
    back = round_trip(frozen)
    assert back.frozen and back == [1, 2]
    back = round_trip(ruled)
    assert [rule.name for rule in back.rules] == ["none_to_zero", "positive"]
    interp.namespace["decoded"] = back
    assert interp.run_raw("decoded.append!(none)\ndecoded.append!(-7)\ndecoded") == [0, 3, 0, 7]
    back = round_trip(ranged)
    assert back.rules[0].params == (0, 10)


def test_regex_round_trips_and_still_matches():
    back = round_trip(Regex(r"a+b", "i"))
    assert back == Regex(r"a+b", "i") and back.compiled.match("AAB")


def test_errors_round_trip_with_span_trace_hint_and_cause():
    span = Span("prog.gd", 3, 5, 3, 9)
    cause = GraphoidError("IOError", "disk")
    error = GraphoidError("ValueError", "bad", span, cause=cause, trace=[TraceEntry("f", span)], hint="try x")
    back = round_trip(error)
    assert (back.kind, back.message, back.span, back.hint) == ("ValueError", "bad", span, "try x")
    assert back.trace == [TraceEntry("f", span)]
    assert back.cause.kind == "IOError" and back.cause.message == "disk"
    assert display(back) == display(error)


def test_patterns_round_trip():
    assert display(round_trip(NodePattern("a", "Person"))) == 'node("a", type: Person)'
    assert display(round_trip(EdgePattern(type="knows", direction=Symbol("incoming")))) == \
        "edge(type: knows, direction: :incoming)"
    path = round_trip(PathPattern(type="T", min=1, max=3))
    assert (path.min, path.max, path.edge_type) == (1, 3, "T")
    pattern = make_pattern([("a", "b", "->", "T", None, None), ("b", "c", "-", None, 1, 2)])
    assert round_trip(pattern) == pattern


# ----------------------------------------------------------------------------- graphs


def graph_of(source: str) -> Graph:
    return Interpreter().run_raw(source)


def test_graph_data_layer_round_trips():
    g = graph_of("""
        g = graph { type: :undirected }
        g.add_node("a", 1)
        g.add_node("b", [1, {"x": :y}])
        g.add_edge("a", "b", "road", 2.5)
        g.add_edge("b", "c")
        g.set_node_type("a", :city)
        g
    """)
    back = round_trip(g)
    assert back == g and back.graph_type == "undirected" and not back.directed
    assert back.node_ids() == ["a", "b", "c"]
    edge = back.get_edge("b", "a")
    assert (edge.type, edge.weight) == ("road", 2.5)
    assert back.node_type("a") == "city"
    assert back.edge_count() == g.edge_count() == 2


def adjacency(graph: Graph) -> list:
    """Every node's neighbour lists, both directions, in the graph's own order."""
    return [(node_id, graph.successors(node_id), graph.predecessors(node_id)) for node_id in graph.node_ids()]


EDITS = st.lists(st.tuples(st.sampled_from(["add", "add", "add", "remove"]), st.sampled_from("abcde"),
                           st.sampled_from("abcde"), st.sampled_from(["T", "U"])), max_size=30)


@settings(max_examples=150, deadline=None)
@given(st.booleans(), st.permutations("abcde"), EDITS)
def test_neighbour_order_survives_the_codec_and_clone(directed, node_order, edits):
    """Self-loops, edges added from either end, removed and added again: a decoded graph and a
    clone list every node's neighbours in the same order as the original, both directions."""
    g = Graph("directed" if directed else "undirected")
    for node_id in node_order:
        g.add_node(node_id, None)
    for action, src, dst, edge_type in edits:
        if action == "add":
            g.add_edge(src, dst, edge_type)
        else:
            g.remove_edge(src, dst)
    for copy in (round_trip(g), g.clone()):
        assert adjacency(copy) == adjacency(g)
        assert copy.edge_count() == g.edge_count()
        assert sorted(e.key() for e in copy.iter_edges()) == sorted(e.key() for e in g.iter_edges())


def test_adjacency_no_history_gives_still_round_trips_every_edge():
    """Orders no sequence of add_edge calls makes (set by hand) lose no edge on the wire."""
    g = Graph("undirected")
    for src, dst in [("a", "b"), ("a", "c"), ("b", "c")]:
        g.add_edge(src, dst, "T")
    out = g._out  # a: [b, c], b: [c, a], c: [a, b]: each edge before the next, round the circle
    out["b"] = {"c": out["b"]["c"], "a": out["b"]["a"]}
    out["c"] = {"a": out["c"]["a"], "b": out["c"]["b"]}
    back = round_trip(g)
    assert back.edge_count() == 3 and sorted(back.successors("b")) == ["a", "c"]


def test_graph_rules_rulesets_and_frozen_are_enforced_after_decoding():
    g = graph_of("""
        t = tree {}
        t.add_edge("root", "a")
        t.add_rule(:max_degree, 3)
        t
    """)
    back = round_trip(g)
    assert back.graph_type == "tree" and list(back.control.rulesets) == ["tree"]
    with pytest.raises(GraphoidError, match="cycle|parent"):
        back.add_edge("a", "root")
    frozen = graph_of('f = graph {}\nf.add_node("x", 1)\nf.freeze()\nf')
    back = round_trip(frozen)
    with pytest.raises(GraphoidError, match="frozen"):
        back.add_node("y", 2)


def test_shared_graphs_are_encoded_once_and_stay_shared():
    inner = Graph()
    inner.add_node("n", 1)
    outer = GList([inner, inner, GMap({"again": inner})])
    back = round_trip(outer)
    assert back[0] is back[1] is back[2]["again"]


def test_a_graph_containing_itself_terminates():
    g = Graph()
    g.add_node("self", g)
    back = round_trip(g)
    assert back.get_node("self") is back


def test_class_like_graph_without_functions_needs_no_table():
    template = graph_of("graph Point { x = 1\n y = 2 }\np = Point { x: 5 }\np")
    back = round_trip(template)
    assert back.type_of() == "Point" and back.get_property("x") == 5
    assert back.metadata.template.get_property("y") == 2


def test_encode_each_gives_the_frames_encode_gives_one_by_one():
    interp = Interpreter()
    interp.run("fn f(x) { return x }\ng = graph {}\ng.add_node(\"n\", 1)\nfrozen = [1, 2].freeze()", "each.gd")
    exporter = FunctionExporter(interp)
    shared = interp.lookup("g")
    values = [
        1, 2**70, -0.0, "s", None, [1, [2]], GList([3]), GMap({"k": GList([1])}), interp.lookup("frozen"),
        GList([shared, shared]), shared, interp.lookup("f"), GList([interp.lookup("f")]), Symbol("a"), [5],
    ]
    frames = encode_each(values, functions=exporter)
    assert frames == [encode(value, functions=exporter) for value in values]
    # every frame decodes alone: no reference into an earlier frame's memo
    table = FunctionTable(interp)
    table.load(exporter.bundle, exporter.bundle.hash)
    assert decode(frames[10], functions=table).get_node("n") == 1
    assert encode_each(iter([]), functions=exporter) == []


@pytest.mark.parametrize("bad, message", [
    (object(), "cannot send"), (Interpreter().run_raw("x => x"), "FunctionExporter"),
])
def test_encode_each_fails_as_encode_does(bad, message):
    with pytest.raises(CodecError, match=message) as info:
        encode_each([1, GList([bad])])
    with pytest.raises(CodecError) as alone:
        encode(GList([bad]))
    assert (info.value.kind, info.value.message) == (alone.value.kind, alone.value.message)


# ----------------------------------------------------------------------------- what cannot be sent


class HostThing:
    pass


@pytest.mark.parametrize("value", [HostThing(), {1, 2}, object(), range(3)])
def test_host_objects_raise_serialization_error(value):
    with pytest.raises(CodecError) as info:
        encode(value)
    assert info.value.kind == "SerializationError"
    assert "cannot send" in info.value.message


def test_functions_without_an_exporter_are_refused():
    fn = Interpreter().run_raw("x => x")
    with pytest.raises(CodecError, match="FunctionExporter"):
        encode(GList([fn]))


def test_host_functions_are_refused():
    interp = Interpreter()
    interp.globals["host"] = lambda: 1
    interp.run("fn f() { return 1 }", "prog.gd")
    with pytest.raises(CodecError) as info:
        encode(interp.lookup("host"), functions=FunctionExporter(interp))
    assert info.value.kind == "SerializationError"
    assert "cannot send <function" in info.value.message and "not compiled" in info.value.message


def test_values_nested_too_deeply_to_send():
    value = GList()
    for _ in range(2000):
        value = GList([value])
    with pytest.raises(CodecError, match="nested too deeply"):
        encode(value)


def test_functions_in_a_message_need_a_table_to_decode():
    interp = Interpreter()
    interp.run("fn f() { return 1 }", "prog.gd")
    data = encode(interp.lookup("f"), functions=FunctionExporter(interp))
    with pytest.raises(CodecError, match="no function table"):
        decode(data)


# ----------------------------------------------------------------------------- hostile input


def ext(code: int, body: bytes) -> bytes:
    return msgpack.packb(msgpack.ExtType(code, body))


@pytest.mark.parametrize("data, message", [
    (b"\xc1", "malformed"),                                   # never-used msgpack byte
    (b"\x92\x01", "malformed"),                               # truncated array
    (b"\x01\x02", "malformed"),                               # trailing data
    (ext(99, b""), "unknown ext type 99"),
    (ext(EXT_REF, msgpack.packb(0)), "unknown object"),
    (ext(EXT_GRAPH, msgpack.packb("circle")), "unknown graph type"),
    (ext(EXT_GRAPH, msgpack.packb("directed")), "truncated"),
    (ext(EXT_GRAPH, msgpack.packb("directed") + msgpack.packb([1, 2])), "expected 8 fields"),
    (ext(4, msgpack.packb([[1], "yes", []])), "frozen flag"),
    (ext(4, msgpack.packb([[1], False, [["explode", [], None]]])), "Unknown rule"),
    (ext(6, msgpack.packb(["(", ""])), "invalid regex"),
    (ext(6, msgpack.packb(["a", "q"])), "unknown regex flags"),
    (ext(EXT_FUNCTION, msgpack.packb([1, 2])), "no function table"),
    (msgpack.packb([b"raw"], use_bin_type=True), "malformed"),
    (msgpack.packb({1: 2}), "malformed"),
    (b"\xa2\xff\xfe", "malformed"),                           # invalid UTF-8 string
])
def test_malformed_messages_are_protocol_errors(data, message):
    with pytest.raises(CodecError) as info:
        decode(data)
    assert info.value.kind == "ProtocolError"
    assert message in info.value.message


def graph_with_edges(graph_type: str, nodes: list, edges: list) -> bytes:
    """A GRAPH ext whose adjacency columns are `edges` (the rest empty and well formed)."""
    body = [[[node_id, None] for node_id in nodes], edges, {}, {}, [[], [], False, []], [None, None, None, {}],
            [[], {}, {}, None], {}]
    return ext(EXT_GRAPH, msgpack.packb(graph_type) + msgpack.packb(body))


@pytest.mark.parametrize("graph_type, edges, message", [
    ("directed", [[1], ["b"], ["T"], [None], [None], [[0, 1], ["a"]]], "one count per node"),
    ("directed", [[1, 0], ["zz"], ["T"], [None], [None], [[0, 1], ["a"]]], "unknown or repeated end"),
    ("directed", [[2, 0], ["b", "b"], ["T", "T"], [None] * 2, [None] * 2, [[0, 2], ["a", "a"]]], "repeated end"),
    ("directed", [[1, 0], ["b"], [], [], [], [[0, 1], ["a"]]], "attribute columns"),
    ("directed", [[1, 0], ["b"], ["T"], [None], [None], [[1, 0], ["b"]]], "without its out-edge"),
    ("directed", [[1, 0], ["b"], ["T"], [None], [None], [[0, 0], []]], "do not match"),
    ("directed", [[1, 0], ["b"], [7], [None], [None], [[0, 1], ["a"]]], "edge type"),
    ("undirected", [[1, 0], ["b"], ["T"], [None], [None], [True]], "listed only one way"),
    ("undirected", [[0, 1], ["a"], [], [], [], [None]], "listed only one way"),
    ("undirected", [[1, 1], ["b", "a"], ["T"], [None], [None], [True]], "edge orientations"),
    ("undirected", [[1, 1], ["b", "a"], ["T"], [None], [None], ["yes", None]], "edge orientation"),
    ("undirected", [[1, 0], [["b"]], ["T"], [None], [None], [True]], "unknown or repeated end"),
])
def test_malformed_graph_adjacency_is_a_protocol_error(graph_type, edges, message):
    with pytest.raises(CodecError) as info:
        decode(graph_with_edges(graph_type, ["a", "b"], edges))
    assert info.value.kind == "ProtocolError" and message in info.value.message


def test_depth_and_size_limits():
    nested = msgpack.packb(1)
    for _ in range(30):
        nested = ext(4, b"\x93\x91" + nested + b"\xc2\x90")  # a frozen-flag list of one item
    assert decode(nested, limits=Limits(max_depth=40)) is not None
    with pytest.raises(CodecError, match="nested deeper than 10"):
        decode(nested, limits=Limits(max_depth=10))
    with pytest.raises(CodecError, match="exceeds the limit"):
        decode(encode("x" * 1000), limits=Limits(max_bytes=100))
    with pytest.raises(CodecError, match="malformed"):
        decode(b"\x91" * 100_000)  # msgpack's own nesting limit


def test_non_bytes_input_is_refused():
    with pytest.raises(CodecError, match="expected bytes"):
        decode("text")  # type: ignore[arg-type]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_random_bytes_never_raise_anything_but_codec_error(data):
    try:
        decode(data)
    except CodecError:
        pass


SAMPLE = GList([1, 2**70, -0.0, "s", Symbol("a"), GMap({"k": GList([None, True])}), Regex("x", "")])


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_truncated_and_flipped_frames_only_give_codec_errors(data):
    g = Graph()
    g.add_edge("a", "b", "t", 1.0)
    g.add_node("c", SAMPLE)
    frame = bytearray(encode(GList([SAMPLE, g])))
    cut = data.draw(st.integers(0, len(frame) - 1))
    flips = data.draw(st.lists(st.tuples(st.integers(0, len(frame) - 1), st.integers(0, 255)), max_size=4))
    for position, byte in flips:
        frame[position] = byte
    for candidate in (bytes(frame[:cut]), bytes(frame)):
        try:
            decode(candidate)
        except CodecError:
            pass


# ----------------------------------------------------------------------------- round-trip properties

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**200), max_value=2**200),
    st.floats(allow_nan=False), st.text(max_size=20), st.sampled_from(["a", "b", "c"]).map(Symbol),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5).map(GList),
        st.dictionaries(st.text(max_size=5), inner, max_size=5).map(GMap),
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_round_trip_law_for_generated_values(value):
    assert_same(value, round_trip(value))


@st.composite
def small_graphs(draw):
    kind = draw(st.sampled_from(["directed", "undirected"]))
    g = Graph(kind)
    ids = draw(st.lists(st.text(alphabet="abcdef", min_size=1, max_size=3), unique=True, max_size=6))
    for node_id in ids:
        g.add_node(node_id, draw(values))
    if ids:
        for _ in range(draw(st.integers(0, 8))):
            src, dst = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
            g.add_edge(src, dst, draw(st.sampled_from(["edge", "road"])), draw(st.none() | st.floats(0, 10)))
    return g


@settings(max_examples=150, deadline=None)
@given(small_graphs())
def test_round_trip_law_for_generated_graphs(g):
    back = round_trip(g)
    assert_same(g, back)
    assert back.node_ids() == g.node_ids()
    assert [e.key() for e in back.iter_edges()] == [e.key() for e in g.iter_edges()]


def test_unknown_bundle_is_function_not_found():
    driver = Interpreter()
    driver.run("fn f() { return 1 }", "prog.gd")
    data = encode(driver.lookup("f"), functions=FunctionExporter(driver))
    with pytest.raises(CodecError) as info:
        decode(data, functions=FunctionTable(Interpreter()))
    assert info.value.kind == "FunctionNotFound"
    assert "unknown program bundle" in info.value.message


def test_a_decoded_graph_holding_graph_or_id_ends_the_context_keys_epoch():
    """The codec installs a decoded graph's property dict itself: one holding a `graph` or
    `id` key ends the epoch that messaging's route fill trusts (graphs.classes)."""
    from graphoid.graphs.classes import context_keys_epoch

    plain = Graph("directed")
    plain.set_property("count", 1)
    before = context_keys_epoch()
    assert decode(encode(plain)).get_property("count") == 1
    assert context_keys_epoch() == before
    for key in ("graph", "id"):
        holding = Graph("directed")
        holding.set_property(key, 1)
        before = context_keys_epoch()
        assert decode(encode(holding)).get_property(key) == 1
        assert context_keys_epoch() != before
