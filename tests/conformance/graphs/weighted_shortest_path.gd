# note: edge weights are given with the named argument `weight:` (EXTENSIONS.md item 7).
g = graph { type: :directed }
for id in ["a", "b", "c"] { g.add_node(id, 0) }
g.add_edge("a", "b", "road", weight: 1)
g.add_edge("b", "c", "road", weight: 1)
g.add_edge("a", "c", "road", weight: 5)
print(g.shortest_path("a", "c"))               # expect: [a, c]
print(g.shortest_path("a", "c", :weighted))    # expect: [a, b, c]
