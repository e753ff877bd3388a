# An edge whose endpoint does not exist is not added (RUNTIME_STUDY 1.3: the reference
# silently does nothing); the data layer stays consistent.
g = graph {}
g.add_node("a", 1)
g.add_edge("a", "ghost")
print(g.edge_count())      # expect: 0
print(g.has_node("ghost")) # expect: false
