d = graph { type: :directed }
d.add_node("a", 0)
d.add_node("b", 0)
d.add_node("c", 0)
d.add_edge("a", "b")
d.add_edge("b", "c")
print(d.has_path("a", "c"))   # expect: true
print(d.has_path("c", "a"))   # expect: false
u = graph { type: :undirected }
u.add_node("a", 0)
u.add_node("b", 0)
u.add_edge("a", "b")
print(u.has_path("b", "a"))   # expect: true
print(u.has_edge("b", "a"))   # expect: true
