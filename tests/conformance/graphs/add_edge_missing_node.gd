# Deviation (docs/deviations.md): an edge to a missing node creates the node with value none;
# the reference silently drops the edge, which loses data without a word.
g = graph {}
g.add_node("a", 1)
g.add_edge("a", "ghost")
print(g.edge_count())          # expect: 1
print(g.has_node("ghost"))     # expect: true
print(g.get_node("ghost"))     # expect: none
