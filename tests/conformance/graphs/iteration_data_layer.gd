g = graph {}
g.add_node("a", 1)
g.add_node("b", 2)
total = 0
for id in g.nodes() {
    total = total + g.get_node(id)
}
print(total)     # expect: 3
print(g.nodes().length() == g.node_count())   # expect: true
