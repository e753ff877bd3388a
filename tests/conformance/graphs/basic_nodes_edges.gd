g = graph { type: :directed }
g.add_node("a", 1)
g.add_node("b", 2)
g.add_node("c", 3)
g.add_edge("a", "b")
g.add_edge("b", "c", "next")
print(g.node_count())      # expect: 3
print(g.edge_count())      # expect: 2
print(g.nodes())           # expect: [a, b, c]
print(g.edges())           # expect: [[a, b, edge], [b, c, next]]
print(g.get_node("b"))     # expect: 2
print(g.get_node("zz"))    # expect: none
print(g.has_node("c"))     # expect: true
print(g.has_node("d"))     # expect: false
print(g.type())            # expect: graph
