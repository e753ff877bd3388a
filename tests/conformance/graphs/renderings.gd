g = graph { type: :directed }
g.add_node("a", 1)
g.add_node("b", 2)
g.add_edge("a", "b")
print(g.to_dot().contains("digraph"))   # expect: true
print(g.to_dot().contains("a"))         # expect: true
print(g.visualize().length() > 0)       # expect: true
print(g.to_ascii().length() > 0)        # expect: true
