g = graph { type: :directed }
for id in ["n1", "n2", "n3", "n4"] { g.add_node(id, 0) }
g.add_edge("n1", "n2", "LINK")
g.add_edge("n2", "n3", "LINK")
g.add_edge("n3", "n4", "LINK")
r = g.match(pattern { s -> e [LINK*2..3] })
print(r.len())   # expect: 3
print(r[0]["s"] + ".." + r[0]["e"])
print(r[1]["s"] + ".." + r[1]["e"])
print(r[2]["s"] + ".." + r[2]["e"])
# expect: n1..n3
# expect: n1..n4
# expect: n2..n4
