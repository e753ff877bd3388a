"""Plain adjacency entries (type names, graphs/graph.py) on the wire and across partitions:
the same columns and partitions as the Edge form, and the plain form back after decoding."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphoid.distributed.codec import CodecError, _adjacency, decode, encode
from graphoid.distributed.partition import Partitioning, join, split
from graphoid.graphs.graph import Edge, Graph
from graphoid.values.types import GMap


def as_edge_objects(g: Graph) -> Graph:
    """A clone of g whose plain entries are Edge objects (shared by both maps)."""
    twin = g.clone()
    for src, succ in twin._out.items():
        for dst, entry in list(succ.items()):
            if entry.__class__ is not Edge:
                succ[dst] = twin.in_map()[dst][src] = Edge(src, dst, entry)
    return twin


def forms(g: Graph) -> list:
    """Each map's entries in order: a plain entry as itself, an Edge by its fields."""
    def shown(entry):
        return entry if entry.__class__ is not Edge else (entry.src, entry.dst, entry.type, entry.weight, entry.props)
    sides = (g._out, g.in_map()) if g.directed else (g._out,)
    return [[(node_id, [(other, shown(e)) for other, e in side[node_id].items()]) for node_id in side] for side in sides]


EDGES = st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7), st.sampled_from(["edge", "road"]),
                           st.sampled_from([None, None, 2, 0.5]), st.booleans()), max_size=25)


def make_graph(edges: list) -> Graph:
    g = Graph()
    for node in range(8):
        g.add_node(f"n{node}", node)
    for src, dst, edge_type, weight, with_props in edges:
        g.add_edge(f"n{src}", f"n{dst}", edge_type, weight, GMap({"k": src}) if with_props else None)
    return g


@settings(max_examples=60, deadline=None)
@given(EDGES)
def test_the_wire_columns_do_not_depend_on_the_form(edges) -> None:
    g = make_graph(edges)
    assert _adjacency(g) == _adjacency(as_edge_objects(g))


@settings(max_examples=60, deadline=None)
@given(EDGES)
def test_a_decoded_graph_has_the_same_entries_in_the_same_forms(edges) -> None:
    g = make_graph(edges)
    back = decode(encode(g))
    assert forms(back) == forms(g)
    assert back == g and back.edge_count() == g.edge_count()
    assert decode(encode(as_edge_objects(g))) == g


@settings(max_examples=40, deadline=None)
@given(EDGES, st.integers(1, 4))
def test_split_and_join_keep_plain_entries_plain_and_count_them_once(edges, count) -> None:
    g = make_graph(edges)
    parts = split(g, Partitioning.by_hash(count))
    twin_parts = split(as_edge_objects(g), Partitioning.by_hash(count))
    for part, twin in zip(parts, twin_parts):
        assert part.graph.edge_count() == twin.graph.edge_count()
        assert [sorted(side) for side in (part.graph._out, part.graph.in_map())] == [
            sorted(side) for side in (twin.graph._out, twin.graph.in_map())]
    joined = join(parts, True)
    assert forms(joined) == forms(g)  # g's ids are in ascending order, as join gives them
    assert joined == g and joined.edge_count() == g.edge_count()
    for src, succ in joined._out.items():
        for dst, entry in succ.items():
            back = joined.in_map()[dst][src]
            assert back is entry if entry.__class__ is Edge else back == entry


def test_a_hostile_edge_type_is_still_refused() -> None:
    g = make_graph([(0, 1, "edge", None, False)])
    blob = encode(g)
    assert decode(blob) == g
    assert blob.count(b"\xa4edge") == 1  # msgpack's "edge": the edge's type, once
    bad = blob.replace(b"\xa4edge", b"\xd2\x00\x00\x00\x05")  # the type name made an int32
    with pytest.raises(CodecError, match="edge type"):
        decode(bad)
