g = graph { type: :directed }
g.add_node("a", 1)
g.add_node("b", 2)
g.add_node("c", 3)
g.add_edge("a", "b")
g.add_edge("b", "c")
g.remove_node("b")
print(g.edge_count())     # expect: 0
print(g.has_path("a", "c"))  # expect: false
