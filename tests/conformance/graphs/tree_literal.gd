t = tree {}
t.add_node("root", 1)
t.add_node("kid", 2)
t.add_edge("root", "kid")
print(t.has_ruleset(:tree))   # expect: true
print(t.node_count())         # expect: 2
