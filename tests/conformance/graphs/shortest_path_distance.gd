g = graph { type: :directed }
for id in ["a", "b", "c", "d"] { g.add_node(id, 0) }
g.add_edge("a", "b")
g.add_edge("b", "c")
g.add_edge("c", "d")
g.add_edge("a", "c")
print(g.shortest_path("a", "d"))   # expect: [a, c, d]
print(g.distance("a", "d"))        # expect: 2
print(g.shortest_path("d", "a"))   # expect: none
print(g.all_paths("a", "d", 5))    # expect: [[a, b, c, d], [a, c, d]]
