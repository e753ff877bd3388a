g = graph {}
d = g.with_ruleset(:dag)
print(d.has_ruleset(:dag))      # expect: true
print(d.has_rule(:no_cycles))   # expect: true
print(g.has_ruleset(:dag))      # expect: false
