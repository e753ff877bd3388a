"""Cross-check the graph algorithms against networkx on random graphs (hypothesis)."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

import pytest

from graphoid.graphs import algorithms as algo
from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Graph

NODE_IDS = [f"n{i}" for i in range(8)]

edge_lists = st.lists(
    st.tuples(st.sampled_from(NODE_IDS), st.sampled_from(NODE_IDS), st.integers(1, 9)),
    max_size=20,
)


def build(edges: list[tuple[str, str, int]]) -> tuple[Graph, nx.DiGraph]:
    ours, theirs = Graph(), nx.DiGraph()
    for node in NODE_IDS:
        ours.add_node(node, None)
        theirs.add_node(node)
    for src, dst, weight in edges:
        ours.add_edge(src, dst, "edge", weight)
        theirs.add_edge(src, dst, weight=weight)  # a repeated pair replaces, as ours does
    return ours, theirs


@settings(max_examples=200, deadline=None)
@given(edge_lists, st.sampled_from(NODE_IDS), st.sampled_from(NODE_IDS))
def test_reachability_and_distances_agree(edges, src, dst):
    ours, theirs = build(edges)
    reachable = nx.has_path(theirs, src, dst)
    assert algo.has_path(ours, src, dst) == reachable
    if not reachable:
        assert algo.shortest_path(ours, src, dst) is None
        assert algo.distance(ours, src, dst) is None
        return
    assert algo.distance(ours, src, dst) == nx.shortest_path_length(theirs, src, dst)
    assert algo.distance(ours, src, dst, weighted=True) == nx.shortest_path_length(theirs, src, dst, weight="weight")
    path = list(algo.shortest_path(ours, src, dst))
    assert path[0] == src and path[-1] == dst
    assert all(theirs.has_edge(a, b) for a, b in zip(path, path[1:]))
    assert len(path) - 1 == nx.shortest_path_length(theirs, src, dst)


@settings(max_examples=200, deadline=None)
@given(edge_lists, st.sampled_from(NODE_IDS))
def test_bfs_visits_exactly_the_reachable_nodes(edges, start):
    ours, theirs = build(edges)
    visited = list(algo.bfs(ours, start))
    assert sorted(visited) == sorted(nx.descendants(theirs, start) | {start})
    assert len(visited) == len(set(visited))
    assert visited[0] == start


@settings(max_examples=200, deadline=None)
@given(edge_lists)
def test_topological_sort_orders_every_edge_or_reports_a_cycle(edges):
    ours, theirs = build(edges)
    if nx.is_directed_acyclic_graph(theirs):
        order = list(algo.topological_sort(ours))
        position = {node: i for i, node in enumerate(order)}
        assert sorted(order) == sorted(NODE_IDS)
        assert all(position[a] < position[b] for a, b in theirs.edges)
    else:
        assert algo.has_cycle(ours)
        with pytest.raises(GraphoidError, match="cycle"):
            algo.topological_sort(ours)
