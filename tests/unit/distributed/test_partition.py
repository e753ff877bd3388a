"""Partitioning strategies and the partition graphs cut from a local graph (pure, no sockets)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphoid.distributed.partition import Partitioning, join, ship_plan, split
from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Edge, Graph, entry_type, entry_weight


def make_graph(edges, directed=True, isolated=()) -> Graph:
    g = Graph("directed" if directed else "undirected")
    for node in isolated:
        g.add_node(node, f"v{node}")
    for src, dst in edges:
        for node in (src, dst):
            if not g.has_node(node):
                g.add_node(node, f"v{node}")
        g.add_edge(src, dst, "link", 1.5)
    return g


def test_hash_owner_is_stable_and_in_range() -> None:
    part = Partitioning.by_hash(4)
    owners = [part.owner(f"n{i}") for i in range(200)]
    assert all(0 <= o < 4 for o in owners) and len(set(owners)) == 4
    # pinned: a stable hash must give the same owners in every process and every release
    assert [part.owner(x) for x in ("a", "b", "c", "node-17")] == [
        Partitioning.by_hash(4).owner(x) for x in ("a", "b", "c", "node-17")
    ]


def test_range_owner_gives_contiguous_balanced_ranges() -> None:
    ids = [f"n{i:03d}" for i in range(10)]
    part = Partitioning.by_range(3, ids)
    owners = [part.owner(i) for i in sorted(ids)]
    assert owners == sorted(owners) and [owners.count(k) for k in range(3)] == [3, 3, 4]
    assert part.owner("zzz") == 2 and part.owner("") == 0  # ids added later fall in a range


def test_function_owner_is_checked() -> None:
    assert Partitioning.by_function(2, lambda node_id: 1.0).owner("x") == 1
    with pytest.raises(GraphoidError, match="gave 2 for node 'x'"):
        Partitioning.by_function(2, lambda node_id: 2).owner("x")
    with pytest.raises(GraphoidError, match="gave 'a'"):
        Partitioning.by_function(2, lambda node_id: "a").owner("x")
    with pytest.raises(GraphoidError, match="positive whole number"):
        Partitioning.by_hash(0)


def test_split_keeps_cut_edges_on_both_sides_with_ghosts() -> None:
    g = make_graph([("a", "b"), ("b", "c"), ("c", "a"), ("a", "c")], isolated=["z"])
    owners = {"a": 0, "b": 1, "c": 1, "z": 0}
    parts = split(g, Partitioning.by_function(2, owners.__getitem__))
    p0, p1 = parts
    assert p0.owned_ids() == ["a", "z"] and p0.ghosts == {"b", "c"}
    assert p1.owned_ids() == ["b", "c"] and p1.ghosts == {"a"}
    assert p0.graph.successors("a") == ["b", "c"]  # per-source edge order kept
    assert p0.graph.get_node("a") == "va" and p0.graph.get_node("b") is None
    assert p1.graph.has_edge("c", "a") and p1.graph.has_edge("a", "c") and p1.graph.has_edge("b", "c")
    plan0, plan1 = ship_plan(p0, Partitioning.by_function(2, owners.__getitem__)), ship_plan(
        p1, Partitioning.by_function(2, owners.__getitem__)
    )
    assert plan0.to_peer == {1: ("a",)} and plan1.from_peer == {0: ("a",)}
    assert plan1.to_peer == {0: ("c",)} and plan0.from_peer == {1: ("c",)}


node_ids = st.sampled_from([f"n{i}" for i in range(12)])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(node_ids, node_ids), max_size=40),
    st.booleans(),
    st.integers(1, 5),
    st.sampled_from(["hash", "range"]),
)
def test_split_is_a_faithful_cut(edges, directed, count, strategy) -> None:
    g = make_graph(edges, directed, isolated=["n0"])
    ids = g.node_ids()
    part = Partitioning.by_hash(count) if strategy == "hash" else Partitioning.by_range(count, ids)
    parts = split(g, part)
    owned = [p.owned_ids() for p in parts]
    assert sorted(sum(owned, [])) == sorted(ids)  # every node owned exactly once
    for p in parts:
        for node_id in p.owned_ids():
            assert part.owner(node_id) == p.index
            assert p.graph.get_node(node_id) == g.get_node(node_id)
            # an owned node's neighbourhood is whole: degrees and edge order as in g
            assert p.graph.successors(node_id) == g.successors(node_id)
            assert p.graph.predecessors(node_id) == g.predecessors(node_id)
            assert p.graph.degree(node_id) == g.degree(node_id)
        assert all(part.owner(ghost) != p.index for ghost in p.ghosts)
        touching = [e for e in g.iter_edges() if p.owns(e.src) or p.owns(e.dst)]
        assert p.graph.edge_count() == len(touching)
        assert all(p.graph.has_edge(e.src, e.dst, e.type) for e in touching)
    plans = [ship_plan(p, part) for p in parts]
    for p in parts:
        for q in parts:
            assert plans[p.index].to_peer.get(q.index, ()) == plans[q.index].from_peer.get(p.index, ())


def adjacency_shape(g: Graph) -> tuple:
    """Nodes with values and types in ascending id order, and each node's adjacency in order,
    both directions."""
    ids = sorted(g._nodes)
    sides = (g._out, g.in_map()) if g.directed else (g._out,)
    return (
        [(node_id, g._nodes[node_id]) for node_id in ids], dict(g._node_types),
        [[(node_id, [(other, entry_type(e), entry_weight(e)) for other, e in side[node_id].items()]) for node_id in ids] for side in sides],
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(node_ids, node_ids), max_size=40),
    st.booleans(),
    st.integers(1, 5),
    st.sampled_from(["hash", "range"]),
)
def test_join_gives_back_the_graph_split_cut(edges, directed, count, strategy) -> None:
    g = make_graph(edges, directed, isolated=["n0", "n11"])
    g.add_node("n11", "typed")
    g._node_types["n11"] = "Kind"
    ids = g.node_ids()
    part = Partitioning.by_hash(count) if strategy == "hash" else Partitioning.by_range(count, ids)
    joined = join(split(g, part), directed)
    assert list(joined._nodes) == sorted(ids)
    assert adjacency_shape(joined) == adjacency_shape(g)
    assert joined.edge_count() == g.edge_count() and joined.node_count() == g.node_count()
    # one Edge per edge again: both directions' views share it, as Graph keeps them
    for src, succ in joined._out.items():
        for dst, edge in succ.items():
            back = joined.in_map()[dst][src] if directed else joined._out[dst][src]
            assert back is edge if isinstance(edge, Edge) else back == edge
