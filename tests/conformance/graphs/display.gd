g = graph {}
print(g)                 # expect: <graph: 0 nodes, 0 edges>
g.add_node("a", 1)
print(g)                 # expect: <graph: 1 nodes, 0 edges>
print(g.to_bool())       # expect: true
print(graph {}.to_bool())  # expect: false
