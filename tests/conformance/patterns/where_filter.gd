# note: `where` takes a predicate over one result (a map from variable to node id).
g = graph { type: :directed }
g.add_node("a", 1)
g.add_node("b", 2)
g.add_node("c", 3)
g.add_edge("a", "b", "LINK")
g.add_edge("a", "c", "LINK")
m = g.match(node("s"), edge(type: "LINK"), node("t"))
only_c = m.where(r => r["t"] == "c")
print(only_c.len())     # expect: 1
