"""Property tests: adjacency invariants under random mutations, with and without rules."""

from hypothesis import given, settings
from hypothesis import strategies as st

from graphoid.graphs import algorithms as algo
from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Edge, Graph
from graphoid.values.types import Symbol

IDS = st.sampled_from(["a", "b", "c", "d", "e", "__x"])
OPS = st.lists(
    st.one_of(
        st.tuples(st.just("add_node"), IDS, st.integers(0, 3)),
        st.tuples(st.just("add_edge"), IDS, IDS),
        st.tuples(st.just("remove_node"), IDS, st.none()),
        st.tuples(st.just("remove_edge"), IDS, IDS),
    ),
    max_size=40,
)


def check_invariants(g: Graph) -> None:
    edges = list(g.iter_edges())
    assert g.edge_count() == len(edges)
    assert g.node_count() == len(g.node_ids()) == len(g)
    for src, succ in g._out.items():
        for dst, edge in succ.items():
            back = g.in_map()[dst][src]
            assert back is edge if isinstance(edge, Edge) else back == edge
            assert src in g._nodes and dst in g._nodes
    for edge in edges:
        assert not edge.src.startswith("__") and not edge.dst.startswith("__")


def apply(g: Graph, op: tuple) -> None:
    name, a, b = op
    try:
        if name == "add_node":
            g.add_node(a, b)
        elif name == "add_edge":
            g.add_edge(a, b)
        elif name == "remove_node":
            g.remove_node(a)
        else:
            g.remove_edge(a, b)
    except GraphoidError as exc:
        assert exc.kind == "RuleError"


@settings(max_examples=150, deadline=None)
@given(OPS, st.sampled_from(["directed", "undirected"]))
def test_adjacency_invariants(ops, kind):
    g = Graph(kind)
    for op in ops:
        apply(g, op)
        check_invariants(g)
    assert g.clone() == g


@settings(max_examples=150, deadline=None)
@given(OPS)
def test_no_cycles_rule_holds_and_rejections_change_nothing(ops):
    g = Graph()
    g.add_rule(Symbol("no_cycles"))
    for op in ops:
        state = (dict(g._nodes), sorted(e.key() for e in g.iter_edges(include_internal=True)))
        closes_cycle = op[0] == "add_edge" and algo.has_path(g, op[2], op[1]) and not g.has_edge(op[1], op[2])
        apply(g, op)
        if closes_cycle or (op[0] == "add_edge" and op[1] == op[2]):
            assert state == (dict(g._nodes), sorted(e.key() for e in g.iter_edges(include_internal=True)))
        assert not algo.has_cycle(g)
        check_invariants(g)
