g = graph { type: :directed }
g.add_rule(:no_cycles)
for id in ["a", "b", "c"] { g.add_node(id, 0) }
g.add_edge("a", "b")
g.add_edge("b", "c")
try {
    g.add_edge("c", "a")
} catch as e {
    print(e.message().contains("no_cycles"))   # expect: true
}
print(g.edges())   # expect: [[a, b, edge], [b, c, edge]]
