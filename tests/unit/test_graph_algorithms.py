"""Traversals, paths, ordering, components, subgraph operations, renderings and JSON."""

import json

import pytest

from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Graph
from graphoid.values.types import GList, GMap, Symbol


def call(g, name, *args, **kwargs):
    return g.call(name, args, kwargs or None)


def diamond() -> Graph:
    g = Graph()
    for node in "ABCD":
        g.add_node(node, ord(node))
    g.add_edge("A", "B")
    g.add_edge("A", "C")
    g.add_edge("B", "D")
    g.add_edge("C", "D")
    return g


def test_bfs_dfs_orders():
    g = diamond()
    assert call(g, "bfs", "A") == ["A", "B", "C", "D"]
    assert call(g, "dfs", "A") == ["A", "B", "D", "C"]
    with pytest.raises(GraphoidError):
        call(g, "bfs", "Z")


def test_has_path_and_topological_sort():
    g = diamond()
    assert call(g, "has_path", "A", "D") and not call(g, "has_path", "D", "A")
    assert call(g, "topological_sort") == ["A", "B", "C", "D"]
    g.add_edge("D", "A")
    with pytest.raises(GraphoidError) as info:
        call(g, "topological_sort")
    assert "cycle" in info.value.message
    assert call(g, "has_cycle")


def test_shortest_path_counts_hops_unless_weighted():
    g = Graph()
    g.add_edge("Boston", "NYC", "road", 215)
    g.add_edge("NYC", "Philly", "road", 95)
    g.add_edge("Philly", "DC", "road", 140)
    g.add_edge("Boston", "DC", "road", 460)
    # Unweighted (the reference's default): fewest edges, distance in hops.
    assert call(g, "shortest_path", "Boston", "DC") == ["Boston", "DC"]
    assert call(g, "distance", "Boston", "DC") == 1
    assert call(g, "shortest_path", "Boston", "DC", Symbol("unweighted")) == ["Boston", "DC"]
    # `:weighted`: Dijkstra over the edge weights.
    assert call(g, "shortest_path", "Boston", "DC", Symbol("weighted")) == ["Boston", "NYC", "Philly", "DC"]
    assert call(g, "distance", "Boston", "DC", Symbol("weighted")) == 450
    assert call(g, "path_distance", GList(["Boston", "NYC"])) == 215
    # Unreachable: none, both ways.
    assert call(g, "shortest_path", "DC", "Boston") is None
    assert call(g, "shortest_path", "DC", "Boston", Symbol("weighted")) is None
    assert call(g, "distance", "DC", "Boston") is None
    assert call(g, "distance", "DC", "Boston", Symbol("weighted")) is None
    assert call(g, "shortest_path", "NYC", "NYC") == ["NYC"]
    assert call(g, "distance", "NYC", "NYC") == 0


def test_unweighted_path_is_breadth_first_in_insertion_order():
    g = diamond()
    g.add_edge("D", "E")
    assert call(g, "shortest_path", "A", "E") == ["A", "B", "D", "E"]
    assert call(g, "distance", "A", "E") == 3
    with pytest.raises(GraphoidError):
        call(g, "shortest_path", "A", "Z")


def test_shortest_path_by_edge_type():
    g = Graph()
    g.add_edge("a", "b", "rail")
    g.add_edge("b", "c", "rail")
    g.add_edge("a", "c", "road")
    assert call(g, "shortest_path", "a", "c") == ["a", "c"]
    assert call(g, "shortest_path", "a", "c", "rail") == ["a", "b", "c"]
    assert call(g, "shortest_path", "a", "c", "rail", Symbol("weighted")) == ["a", "b", "c"]
    assert call(g, "shortest_path", "a", "c", type="road") == ["a", "c"]
    assert call(g, "shortest_path", "c", "a", "rail") is None


def test_negative_weight_rejected_when_weighted():
    g = Graph()
    g.add_edge("a", "b", "x", -1)
    assert call(g, "shortest_path", "a", "b") == ["a", "b"]
    with pytest.raises(GraphoidError):
        call(g, "shortest_path", "a", "b", Symbol("weighted"))


def test_all_paths_with_limit():
    g = diamond()
    g.add_edge("A", "D")
    assert call(g, "all_paths", "A", "D") == [["A", "B", "D"], ["A", "C", "D"], ["A", "D"]]
    assert call(g, "all_paths", "A", "D", 1) == [["A", "D"]]


def test_components_and_subgraph():
    g = Graph("undirected")
    g.add_edge("a", "b")
    g.add_node("c", 1)
    g.add_edge("d", "e")
    assert call(g, "connected_components") == [["a", "b"], ["c"], ["d", "e"]]
    assert not call(g, "is_connected")
    sub = call(diamond(), "subgraph", GList(["A", "B", "D"]))
    assert sub.node_ids() == ["A", "B", "D"] and sub.edge_count() == 2


def test_deep_graph_traversal_has_no_recursion_limit():
    g = Graph()
    ids = [f"n{i}" for i in range(20000)]
    for a, b in zip(ids, ids[1:]):
        g.add_edge(a, b)
    assert len(call(g, "dfs", "n0")) == 20000
    assert not call(g, "has_cycle")
    assert len(call(g, "topological_sort")) == 20000


def test_extract_delete_add_subgraph_leave_receiver_alone():
    g = Graph()
    g.add_node("small", 1)
    g.add_node("large", 100)
    sub = call(g, "extract", lambda v: v < 50, None, True)
    assert sub.node_ids() == ["small"] and g.node_count() == 2
    h = Graph()
    for n in "ABC":
        h.add_node(n, 1)
    h.add_edge("A", "B", "friend")
    h.add_edge("B", "C", "colleague")
    friends = call(h, "extract", None, lambda s, d, t: t == "friend", False)
    assert friends.edge_count() == 1 and friends.node_ids() == ["A", "B"]
    mapped = call(h, "extract", GMap({"edges": lambda s, d, t: t == "colleague", "include_orphans": False}))
    assert mapped.node_ids() == ["B", "C"]
    kept = call(g, "delete", lambda v: v >= 100, None)
    assert kept.node_ids() == ["small"] and g.node_count() == 2
    g2 = Graph()
    g2.add_node("small", 999)
    g2.add_node("new", 5)
    assert call(g, "add_subgraph", g2, None).get_node("small") == 1
    merged = call(g, "add_subgraph", g2, "overwrite")
    assert merged.get_node("small") == 999 and merged.node_count() == 3
    assert g.get_node("small") == 1
    with pytest.raises(GraphoidError):
        call(g, "add_subgraph", g2, "merge_somehow")


def test_renderings():
    g = diamond()
    dot = call(g, "to_dot")
    assert dot.startswith('digraph "G" {') and '"A" -> "B"' in dot
    u = Graph("undirected")
    u.add_edge("a", "b")
    assert '"a" -- "b"' in call(u, "to_dot") and call(u, "to_dot").startswith("graph")
    ascii_art = call(g, "to_ascii")
    assert ascii_art.splitlines()[0] == "A (65)"
    assert "├── B (66)" in ascii_art and "D (68) ↺" in ascii_art
    assert "4 nodes, 4 edges" in call(g, "visualize")
    assert call(Graph(), "to_ascii") == "(empty graph)"
    tree = Graph("undirected")
    tree.add_edge("a", "b")
    tree.add_edge("b", "c")
    tree.add_edge("a", "d")
    assert call(tree, "to_ascii").splitlines() == [
        "a (none)",
        "├── b (none)",
        "│   └── c (none)",
        "└── d (none)",
    ]


def test_json_round_trip():
    g = Graph()
    g.add_node("a", GMap({"x": GList([1, 2.5, None]), "s": Symbol("k")}))
    g.add_node("b", "text")
    g.add_edge("a", "b", "link", 3, GMap({"since": 2020}))
    g.set_node_type("b", "Doc")
    text = call(g, "to_json")
    data = json.loads(text)
    assert data["links"] == [{"source": "a", "target": "b", "type": "link", "weight": 3, "properties": {"since": 2020}}]
    back = call(g, "from_json", text)
    assert back.get_node("a") == {"x": [1, 2.5, None], "s": ":k"}
    assert back.get_edge("a", "b").weight == 3 and back.node_type("b") == "Doc"
    assert back.edge_count() == 1 and back.node_ids() == ["a", "b"]
    with pytest.raises(GraphoidError) as info:
        call(g, "from_json", "{not json")
    assert info.value.kind == "ParseError"


def test_json_of_undirected_dag_keeps_type():
    g = Graph("dag")
    g.add_edge("a", "b")
    back = call(g, "from_json", call(g, "to_json"))
    assert back.graph_type == "dag" and call(back, "has_rule", Symbol("no_cycles"))


@pytest.mark.parametrize(
    "name, args",
    [
        ("path_distance", (5,)),
        ("subgraph", ("A",)),
        ("all_paths", ("A", "D", "x")),
        ("extract", (5, None, True)),
        ("delete", (None, "x")),
        ("find_nodes", (None,)),
        ("neighbors", (3,)),
    ],
)
def test_bad_arguments_are_graphoid_type_errors(name, args):
    with pytest.raises(GraphoidError) as info:
        call(diamond(), name, *args)
    assert info.value.kind == "TypeError"
