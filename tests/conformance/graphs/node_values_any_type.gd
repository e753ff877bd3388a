g = graph {}
g.add_node("list", [1, 2])
g.add_node("map", {"k": "v"})
g.add_node("none", none)
print(g.get_node("list"))   # expect: [1, 2]
print(g.get_node("map")["k"])  # expect: v
print(g.has_node("none"))   # expect: true
print(g["list"])            # expect: [1, 2]
