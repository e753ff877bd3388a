g = graph {}
h = g
h.add_node("a", 1)
print(g.node_count())   # expect: 1
print(g == h)           # expect: true
