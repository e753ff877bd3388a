g = graph {}
g.add_rule(:max_degree, 1)
print(g.rule(:max_degree))   # expect: 1
g.add_node("hub", 0)
g.add_node("x", 0)
g.add_node("y", 0)
g.add_edge("hub", "x")
g.add_edge("hub", "y")
# expect error: max_degree
