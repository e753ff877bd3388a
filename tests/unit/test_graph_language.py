"""Graphs driven from Graphoid source through the Interpreter (compiler + graph runtime)."""

from pathlib import Path

import pytest

import graphoid.graphs.graph  # noqa: F401  (registers graph methods and node/edge/path builtins)
from graphoid.errors import GraphoidError

ROOT = Path(__file__).resolve().parents[2]


def run(source: str) -> str:
    from graphoid import Interpreter

    out: list[str] = []
    Interpreter(stdout=out.append).run(source)
    return "".join(out)


def test_graph_basics():
    out = run(
        """
g = graph { type: :directed }
g.add_node("A", 1)
g.add_node("B", 2)
print(g.add_edge("A", "B", "connects"))
print(g.nodes(), g.edges(), g.node_count(), g.edge_count(), g.get_node("Z"))
print(g, g.type(), g["A"])
"""
    )
    assert out.splitlines() == ["none", "[A, B] [[A, B, connects]] 2 1 none", "<graph: 2 nodes, 1 edges> graph 1"]


def test_graphs_are_shared_references():
    out = run(
        """
g = graph {}
h = g
h.add_node("x", 1)
fn grow(target) { target.add_node("y", 2) }
grow(g)
print(g.node_count(), h.node_count())
"""
    )
    assert out == "2 2\n"


def test_class_like_graph_features():
    out = run(
        """
graph Animal {
    name: "unnamed"
    sound = "..."
    fn speak() { return name + " says " + sound }
    fn rename(n) {
        name = n
        return self
    }
}
graph Dog from Animal {
    sound: "woof"
    fn speak() { return "Dog: " + super.speak() }
    static fn create(n) {
        d = Dog.clone()
        d.name = n
        return d
    }
    fn describe() when name == "Rex" { return "the famous Rex" }
    fn describe() { return "a dog" }
    priv fn helper() { return 41 }
    fn use_helper() { return _helper() + 1 }
    configure { readable: [:name], writable: :sound }
    rule :no_cycles
}
rex = Dog { name: "Rex" }
fido = Dog.create("Fido")
print(rex.speak(), "|", fido.speak())
print(rex.describe(), "|", fido.describe())
print(rex.use_helper(), rex.name(), Dog.has_rule(:no_cycles))
fido.set_sound("yip")
print(fido.speak(), Dog.speak())
print(rex.is_a("Animal"), rex.is_a(Dog), rex.type_of(), Dog.ancestors(), rex.responds_to("speak"))
print(Animal.rename("Generic").speak())
"""
    )
    assert out.splitlines() == [
        "Dog: Rex says woof | Dog: Fido says woof",
        "the famous Rex | a dog",
        "42 Rex true",
        "Dog: Fido says yip Dog: unnamed says woof",
        "true true Dog [Animal] true",
        "Generic says ...",
    ]


def test_private_method_from_outside_is_an_error():
    with pytest.raises(GraphoidError) as info:
        run(
            """
graph Vault {
    priv fn secret() { return 1 }
}
Vault._secret()
"""
        )
    assert "private" in info.value.message


def test_rule_violation_is_catchable_and_leaves_graph_unchanged():
    out = run(
        """
dag = graph { type: :dag }
dag.add_edge("a", "b")
dag.add_edge("b", "c")
try {
    dag.add_edge("c", "a")
} catch as e {
    print(e.type(), e.message())
}
print(dag.edges())
"""
    )
    assert out.splitlines() == [
        "RuleError Rule 'no_cycles' violated: edge c -> a would create a cycle",
        "[[a, b, edge], [b, c, edge]]",
    ]


def test_layer_visibility_from_graphoid():
    out = run(
        """
graph WithMethods {
    data: 10
    fn method() { return data }
}
print(WithMethods.nodes(), WithMethods.nodes(:all), WithMethods.edges(:all))
g1 = graph { type: :directed, ruleset: :dag }
g1.add_node("a", 1)
g2 = graph { type: :directed }
g2.add_node("a", 1)
print(g1 == g2, g1.equals(g2, { include: :rulesets }), g1.equals(g2, only: :data))
"""
    )
    assert out.splitlines() == [
        "[] [__properties__/data, __methods__, __methods__/method] [[__methods__, __methods__/method, has_method]]",
        "true false true",
    ]


def test_patterns_from_graphoid():
    out = run(
        """
g = graph { type: :directed }
g.add_node("alice", {"age": 30})
g.add_node("bob", {"age": 25})
g.add_node("carol", {"age": 35})
g.add_edge("alice", "bob", "FRIEND")
g.add_edge("bob", "carol", "FRIEND")
m = g.match(node("a"), edge(type: "FRIEND"), node("b"))
print(m.len(), m.count(), m.size())
print(m.where(r => g.get_node(r["b"])["age"] > 30).return(["a", "b.age"]))
print(g.match(node("s"), path(type: "FRIEND", min: 1, max: 2), node("t")).len())
p = pattern {
    x -> y [FRIEND]
    y -> z [FRIEND]
}
print(g.match(p), p.type())
for row in m { print(row["a"], m[0]["b"]) }
"""
    )
    assert out.splitlines() == [
        "2 2 2",
        '[{"a": bob, "b.age": 35}]',
        "3",
        '[{"x": alice, "y": bob, "z": carol}] pattern',
        "alice bob",
        "bob bob",
    ]


def test_messaging_from_graphoid_rolls_back_on_error():
    out = run(
        """
graph Acc {
    total = 0
    fn on_message(msg) {
        match msg {
            [:add, n] => {
                total = total + n
                if self.id == "b" and total > 5 { raise ValueError("too much") }
            }
            :get => total
        }
    }
}
g = graph {}
g.add_node("a", {})
g.add_node("b", {})
g.set_behavior(Acc)
g.broadcast(:add, 3)
try { g.broadcast(:add, 4) } catch as e { print(e.message()) }
print(g.request(:get, where: n => true), g.request(:get, to: "a"))
"""
    )
    assert out.splitlines() == [
        "too much (in on_message of node 'b' at superstep 0)",
        "[3, 3] 3",
    ]


@pytest.mark.parametrize(
    "example, expected",
    [
        ("pagerank.gd", ["home 0.31", "contact 0.157", "about 0.1559"]),
        ("wordcount.gd", ["[[the, 3], [quick, 2], [fox, 2], [dog, 2]]"]),
    ],
)
def test_seed_examples_run_on_a_local_graph(example, expected):
    path = ROOT / "examples" / example
    assert run(path.read_text()).splitlines() == expected


def test_tree_literal_and_handler_graph_reads():
    out = run(
        """
t = tree {}
t.add_node("root", 1)
t.add_edge("root", "kid")
print(t.has_ruleset(:tree), t.edges())
graph Reader {
    fn on_message(msg) { return self.graph.label + ":" + self.id + ":" + self.graph.node_count().to_string() }
}
g = graph {}
g.label = "G"
g.add_node("n1", {})
g.set_behavior(Reader)
print(g.request(:q, to: "n1"))
"""
    )
    assert out.splitlines() == ["true [[root, kid, edge]]", "G:n1:1"]


def test_pattern_object_fields_from_graphoid():
    out = run(
        """
n = node("who", type: "Person")
e = edge(type: "KNOWS", direction: :both)
p = path(type: "LINK", min: 1, max: 3)
print(n.variable, n.type, e.edge_type, e.direction, p.min, p.max, n.bind("x").variable, n.type())
"""
    )
    assert out == "who Person KNOWS :both 1 3 x pattern_node\n"
