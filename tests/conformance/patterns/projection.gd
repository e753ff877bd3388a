g = graph { type: :directed }
g.add_node("u1", {"age": 30})
g.add_node("u2", {"age": 25})
g.add_node("u3", {"age": 41})
g.add_edge("u1", "u2", "FOLLOWS")
g.add_edge("u3", "u2", "FOLLOWS")
m = g.match(node("follower"), edge(type: "FOLLOWS"), node("followed"))
proj = m.return(["follower"])
print(proj.length())     # expect: 2
sel = m.select(["followed"])
print(sel.length())      # expect: 2
