g = graph {}
g.add_rule(:no_node_removals)
g.add_node("a", 1)
g.add_node("b", 2)
print(g.node_count())    # expect: 2
try {
    g.remove_node("a")
} catch as e {
    print("refused")     # expect: refused
}
print(g.has_node("a"))   # expect: true
