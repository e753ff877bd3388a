g = graph { type: :directed, ruleset: :dag }
g.add_node("a", 1)
g.add_node("b", 2)
g.add_edge("a", "b")
print(g.has_ruleset(:dag))   # expect: true
g.add_edge("b", "a")
# expect error: cycle
