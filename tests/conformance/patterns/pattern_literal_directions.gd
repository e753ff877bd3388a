g = graph { type: :directed }
for id in ["x", "y", "z"] { g.add_node(id, 0) }
g.add_edge("x", "y", "KNOWS")
g.add_edge("z", "y", "LIKES")
back = g.match(pattern { a <- b })
print(back.len())                # expect: 2
print(back[0])                   # expect: {"a": y, "b": x}
either = g.match(pattern { a - b [KNOWS] })
print(either.len())              # expect: 2
any_type = g.match(pattern { a -> b, b <- c })
print(any_type.len())            # expect: 2
