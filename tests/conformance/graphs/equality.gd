a = graph { type: :directed }
b = graph { type: :directed }
a.add_node("x", 1)
b.add_node("x", 1)
print(a == b)         # expect: true
b.add_node("y", 2)
print(a == b)         # expect: false
u = graph { type: :undirected }
u.add_node("x", 1)
print(a == u)         # expect: false
