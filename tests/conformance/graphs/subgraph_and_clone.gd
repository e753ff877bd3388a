g = graph { type: :directed }
for id in ["a", "b", "c"] { g.add_node(id, id.upper()) }
g.add_edge("a", "b")
g.add_edge("b", "c")
s = g.subgraph(["a", "b"])
print(s.nodes())          # expect: [a, b]
print(s.edge_count())     # expect: 1
c = g.clone()
c.add_node("z", 0)
print(g.node_count())     # expect: 3
print(c.node_count())     # expect: 4
