g = graph { type: :directed }
for id in ["a", "b", "c", "d", "e"] { g.add_node(id, 0) }
g.add_edge("a", "b")
g.add_edge("a", "c")
g.add_edge("b", "d")
g.add_edge("c", "e")
print(g.bfs("a"))   # expect: [a, b, c, d, e]
print(g.dfs("a"))   # expect: [a, b, d, c, e]
print(g.bfs("c"))   # expect: [c, e]
