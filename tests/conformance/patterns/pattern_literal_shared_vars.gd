g = graph { type: :directed }
for id in ["alice", "bob", "charlie"] { g.add_node(id, 0) }
g.add_edge("alice", "bob", "FRIEND")
g.add_edge("bob", "alice", "FRIEND")
g.add_edge("bob", "charlie", "FRIEND")
g.add_edge("charlie", "bob", "FRIEND")
fof = pattern {
    a -> b [FRIEND]
    b -> c [FRIEND]
}
found = g.match(fof)
print(found.len())   # expect: 2
first = found[0]
second = found[1]
print(first["a"] + " > " + first["b"] + " > " + first["c"])
# expect: alice > bob > charlie
print(second["a"] + " > " + second["b"] + " > " + second["c"])
# expect: charlie > bob > alice
