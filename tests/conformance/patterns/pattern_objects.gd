n = node("person", type: "User")
print(n.variable)     # expect: person
e = edge(type: "KNOWS", direction: :both)
print(e.edge_type)    # expect: KNOWS
print(e.direction)    # expect: :both
p = path(type: "LINK", min: 1, max: 3)
print(p.min, p.max)   # expect: 1 3
