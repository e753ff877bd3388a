"""Pattern objects, pattern literals and the matcher: bindings, order, distinctness, paths."""

import pytest

from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Graph
from graphoid.graphs.registration import graph_builtins
from graphoid.graphs.patterns import MatchResults, Pattern, edge, make_pattern, node, path
from graphoid.values.types import GList, GMap, Symbol


def call(g, name, *args, **kwargs):
    return g.call(name, args, kwargs or None)


def social() -> Graph:
    g = Graph()
    for person, age in (("alice", 30), ("bob", 25), ("carol", 35), ("dave", 40)):
        g.add_node(person, GMap({"name": person.title(), "age": age}))
    g.add_edge("alice", "bob", "FRIEND")
    g.add_edge("bob", "carol", "FRIEND")
    g.add_edge("carol", "dave", "FRIEND")
    g.add_edge("alice", "carol", "KNOWS")
    return g


def test_builtins_are_exposed():
    table = graph_builtins()
    assert {"node", "edge", "path", "graph_from_json"} <= set(table)
    assert table["node"]("a").variable == "a"


def test_pattern_objects_fields():
    n = node("p", type="Person")
    assert (n.variable, n.type) == ("p", "Person")
    assert n.call("bind", ("q",)).variable == "q"
    e = edge(type="T", direction=Symbol("both"))
    assert e.call("direction") is Symbol("both") and e.get_property("edge_type") == "T"
    assert e.arrow == "-" and e.display() == "edge(type: T, direction: :both)"
    p = path(type="LINK", min=1, max=3)
    assert (p.min, p.max, p.edge_type) == (1, 3, "LINK")
    with pytest.raises(GraphoidError):
        path(min=3, max=1)
    with pytest.raises(GraphoidError):
        edge(direction=Symbol("sideways"))



def test_pattern_object_fields_as_graphoid_sees_them():
    # LANGUAGE_STUDY 2.8: .variable .type .edge_type .direction .min .max .bind(name)
    assert edge().direction is Symbol("outgoing")
    assert edge(direction=Symbol("in")).direction is Symbol("incoming")
    assert edge(direction=Symbol("either")).get_member("direction") is Symbol("both")
    e = edge(type="KNOWS")
    assert (e.get_member("type"), e.get_member("edge_type")) == ("KNOWS", "KNOWS")
    p = path(type="L", min=2, max=4, direction=Symbol("incoming"))
    assert [p.get_member(f) for f in ("edge_type", "type", "min", "max", "direction")] == [
        "L", "L", 2, 4, Symbol("incoming")]
    assert p.display() == "path(type: L, min: 2, max: 4, direction: :incoming)"
    n = node("who", type="User")
    assert (n.get_member("variable"), n.get_member("type")) == ("who", "User")
    assert n.display() == 'node("who", type: User)'
    with pytest.raises(GraphoidError):
        n.get_member("direction")


def test_graph_builtins_exist_in_a_fresh_process():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    cases = {
        "import sys; from graphoid.cli import main; sys.exit(main(['-c', 'print(node(\"a\"), edge().direction)']))":
            'node("a") :outgoing\n',
        "from graphoid.runtime.builtins import make_builtins; t = make_builtins(print); "
        "print(sorted(k for k in ('node', 'edge', 'path', 'graph_from_json') if k in t))":
            "['edge', 'graph_from_json', 'node', 'path']\n",
    }
    for code, expected in cases.items():
        done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert done.stdout == expected


def test_match_edge_form_counts_and_order():
    g = social()
    res = call(g, "match", node("a"), edge(type="FRIEND"), node("b"))
    assert isinstance(res, MatchResults)
    assert res.call("len") == 3 and res.call("count") == 3 and res.call("size") == 3
    assert list(res) == [
        {"a": "alice", "b": "bob"},
        {"a": "bob", "b": "carol"},
        {"a": "carol", "b": "dave"},
    ]


def test_match_any_edge_and_direction():
    g = social()
    assert len(call(g, "match", node("x"), edge(), node("y"))) == 4
    incoming = call(g, "match", node("x"), edge(type="FRIEND", direction=Symbol("incoming")), node("y"))
    assert incoming[0] == {"x": "bob", "y": "alice"}
    both = call(g, "match", node("x"), edge(type="KNOWS", direction=Symbol("both")), node("y"))
    assert list(both) == [{"x": "alice", "y": "carol"}, {"x": "carol", "y": "alice"}]


def test_match_node_type_filter():
    g = social()
    g.set_node_type("bob", "Admin")
    res = call(g, "match", node("a"), edge(), node("b", type="Admin"))
    assert list(res) == [{"a": "alice", "b": "bob"}]


def test_anonymous_nodes_are_not_reported():
    g = social()
    res = call(g, "match", node("a"), edge(type="FRIEND"), node(), edge(type="FRIEND"), node("c"))
    assert list(res) == [{"a": "alice", "c": "carol"}, {"a": "bob", "c": "dave"}]


def test_variable_length_paths():
    g = social()
    res = call(g, "match", node("s"), path(type="FRIEND", min=2, max=3), node("t"))
    assert list(res) == [
        {"s": "alice", "t": "carol"},
        {"s": "alice", "t": "dave"},
        {"s": "bob", "t": "dave"},
    ]
    one = call(g, "match", node("s"), path(min=1, max=1), node("t"))
    assert len(one) == 4


def test_where_and_projection():
    g = social()
    res = call(g, "match", node("a"), edge(type="FRIEND"), node("b"))
    older = res.call("where", (lambda b: g.get_node(b["b"])["age"] > 30,))
    assert list(older) == [{"a": "bob", "b": "carol"}, {"a": "carol", "b": "dave"}]
    rows = res.call("return", (GList(["a", "b.name"]),))
    assert rows[0] == {"a": "alice", "b.name": "Bob"}
    assert res.call("select", ("a",)) == [{"a": "alice"}, {"a": "bob"}, {"a": "carol"}]
    with pytest.raises(GraphoidError):
        res.call("return", (GList(["zzz"]),))


def test_pattern_literal_shared_variables_and_distinctness():
    g = Graph()
    for a, b in (("a", "b"), ("b", "c"), ("c", "a"), ("a", "d")):
        g.add_edge(a, b, "F")
    tri = make_pattern([("x", "y", "->", "F", None, None), ("y", "z", "->", "F", None, None), ("z", "x", "->", "F", None, None)])
    assert isinstance(tri, Pattern) and tri.variables == ["x", "y", "z"]
    found = list(call(g, "match", tri))
    assert found == [
        {"x": "a", "y": "b", "z": "c"},
        {"x": "b", "y": "c", "z": "a"},
        {"x": "c", "y": "a", "z": "b"},
    ]
    two_hop = make_pattern([("p", "q", "->", None, None, None), ("q", "r", "->", None, None, None)])
    for row in call(g, "match", two_hop):
        assert len({row["p"], row["q"], row["r"]}) == 3


def test_pattern_literal_directions_and_paths():
    g = Graph()
    g.add_edge("a", "b", "LINK")
    g.add_edge("b", "c", "LINK")
    g.add_edge("d", "b", "OTHER")
    back = make_pattern([("x", "y", "<-", None, None, None)])
    assert {"x": "b", "y": "a"} in list(call(g, "match", back))
    either = make_pattern([("x", "y", "-", "OTHER", None, None)])
    assert list(call(g, "match", either)) == [{"x": "b", "y": "d"}, {"x": "d", "y": "b"}]
    reach = make_pattern([("s", "t", "->", "LINK", 1, 3)])
    assert list(call(g, "match", reach)) == [{"s": "a", "t": "b"}, {"s": "a", "t": "c"}, {"s": "b", "t": "c"}]
    lone = make_pattern([("only", None, "->", None, None, None)])
    assert len(call(g, "match", lone)) == 4


def test_pattern_display_and_equality():
    p = make_pattern([("a", "b", "->", "FRIEND", None, None), ("b", "c", "-", "L", 1, 3)])
    assert p.display() == "pattern { a -> b [FRIEND], b - c [L*1..3] }"
    assert p == make_pattern([("a", "b", "->", "FRIEND", None, None), ("b", "c", "-", "L", 1, 3)])


def test_bad_match_arguments():
    g = social()
    with pytest.raises(GraphoidError):
        call(g, "match", node("a"), edge())
    with pytest.raises(GraphoidError):
        call(g, "match", edge(), node("a"), edge())
    with pytest.raises(GraphoidError):
        make_pattern([("a", "b", "=>", None, None, None)])


def test_match_ignores_internal_nodes():
    g = social()
    g.add_edge("alice", "__hidden", "FRIEND")
    assert len(call(g, "match", node("a"), edge(type="FRIEND"), node("b"))) == 3
