g = graph { type: :dag }
for id in ["shirt", "tie", "jacket", "belt"] { g.add_node(id, 0) }
g.add_edge("shirt", "tie")
g.add_edge("tie", "jacket")
g.add_edge("belt", "jacket")
order = g.topological_sort()
print(order.length())                                   # expect: 4
print(order.index_of("shirt") < order.index_of("tie"))  # expect: true
print(order.index_of("tie") < order.index_of("jacket")) # expect: true
print(order.index_of("belt") < order.index_of("jacket"))  # expect: true
