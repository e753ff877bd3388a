g = graph { type: :directed }
for id in ["A", "B", "C", "D"] { g.add_node(id, 0) }
g.add_edge("A", "B", "LINK")
g.add_edge("B", "C", "LINK")
g.add_edge("C", "D", "LINK")
one_or_two = g.match(node("s"), path(type: "LINK", min: 1, max: 2), node("e"))
print(one_or_two.len())   # expect: 5
exactly_three = g.match(node("s"), path(type: "LINK", min: 3, max: 3), node("e"))
print(exactly_three.len())   # expect: 1
