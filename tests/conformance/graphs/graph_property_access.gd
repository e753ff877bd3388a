g = graph {}
g.add_node("alice", {"age": 30})
g.label = "people"
print(g.label)            # expect: people
print(g.alice["age"])     # expect: 30
print(g.missing)          # expect: none
print(g.nodes())          # expect: [alice]
