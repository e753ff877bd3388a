g = graph { type: :directed }
for id in ["a", "b", "c", "d"] { g.add_node(id, 0) }
g.add_edge("a", "b", "follows")
g.add_edge("a", "c", "likes")
g.add_edge("d", "a", "follows")
print(g.neighbors("a"))              # expect: [b, c]
print(g.neighbors("a", "likes"))     # expect: [c]
print(g.out_degree("a"))             # expect: 2
print(g.in_degree("a"))              # expect: 1
print(g.degree("a"))                 # expect: 3
print(g.has_edge("a", "b"))          # expect: true
print(g.has_edge("b", "a"))          # expect: false
