# Pattern-literal clauses may share a line without a comma (EXTENSIONS.md 9).
g = graph { type: :directed }
g.add_edge("x", "y", "FRIEND")
g.add_edge("y", "z", "FRIEND")
g.add_edge("z", "w", "WORKS_WITH")
for m in g.match(pattern { a -> b [FRIEND]  b -> c [FRIEND] }) {
    print(m["a"], m["b"], m["c"])   # expect: x y z
}
print(g.match(pattern { a -> b [FRIEND] b -> c }).len())   # expect: 2
