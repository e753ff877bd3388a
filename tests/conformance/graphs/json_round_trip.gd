# note: node-link JSON export/import (issue 3); names as documented in docs/graphs.md.
g = graph { type: :directed }
g.add_node("a", {"n": 1})
g.add_node("b", [1, 2])
g.add_edge("a", "b", "link")
text = g.to_json()
print(text.contains("\"nodes\""))   # expect: true
print(text.contains("\"links\""))   # expect: true
h = graph_from_json(text)
print(h == g)                      # expect: true
print(h.get_node("a")["n"])        # expect: 1
print(h.edges())                   # expect: [[a, b, link]]
