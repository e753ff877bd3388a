g = graph { type: :directed }
g.add_rule(:no_cycles)
g.add_node("a", 1)
g.add_node("b", 2)
g.add_edge("a", "b")
print(g.has_rule(:no_cycles))     # expect: true
try {
    g.add_edge("b", "a")
} catch as e {
    print("rejected")             # expect: rejected
}
print(g.edge_count())             # expect: 1
g.remove_rule(:no_cycles)
g.add_edge("b", "a")
print(g.edge_count())             # expect: 2
