g = graph {}
g.add_node("x", 1)
g.add_node("x", 5)
print(g.get_node("x"))    # expect: 5
print(g.node_count())     # expect: 1
g.add_node("y", 2)
g.add_edge("x", "y")
g.remove_edge("x", "y")
print(g.edge_count())     # expect: 0
g.remove_node("x")
print(g.nodes())          # expect: [y]
