g = graph { type: :directed }
g.add_node("a", 1)
g.add_node("b", 2)
g.add_edge("a", "b")
print(g)       # expect: <graph: 2 nodes, 1 edges>
e = ValueError("bad input")
print(e)       # expect: ValueError: bad input
