g = graph { type: :directed }
for id in ["ann", "bob", "cy"] { g.add_node(id, 0) }
g.add_edge("bob", "cy", "FRIEND")
g.add_edge("ann", "bob", "FRIEND")
g.add_edge("ann", "cy", "WORKS_WITH")
p = pattern { a -> b [FRIEND] }
print(p.type())        # expect: pattern
r = g.match(p)
print(r.len())         # expect: 2
print(r[0])            # expect: {"a": ann, "b": bob}
print(r[1])            # expect: {"a": bob, "b": cy}
