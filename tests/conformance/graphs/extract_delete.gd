g = graph {}
g.add_node("tiny", 2)
g.add_node("huge", 500)
g.add_node("mid", 40)
g.add_edge("tiny", "mid", "near")
g.add_edge("mid", "huge", "far")
small = g.extract(v => v < 100, none, true)
print(small.nodes())             # expect: [tiny, mid]
near_only = g.extract(none, (a, b, t) => t == "near", false)
print(near_only.edge_count())    # expect: 1
print(near_only.nodes())         # expect: [tiny, mid]
trimmed = g.delete(v => v > 100, none)
print(trimmed.node_count())      # expect: 2
print(g.node_count())            # expect: 3
