g = graph { type: :directed }
g.add_node("alice", {"name": "Alice"})
g.add_node("bob", {"name": "Bob"})
g.add_node("carol", {"name": "Carol"})
g.add_edge("alice", "bob", "FRIEND")
g.add_edge("bob", "carol", "FRIEND")
g.add_edge("alice", "carol", "BOSS")
all = g.match(node("x"), edge(), node("y"))
print(all.len())        # expect: 3
friends = g.match(node("a"), edge(type: "FRIEND"), node("b"))
print(friends.len())    # expect: 2
print(friends.count())  # expect: 2
print(friends.size())   # expect: 2
bosses = g.match(node("a"), edge(type: "BOSS"), node("b"))
print(bosses.len())     # expect: 1
