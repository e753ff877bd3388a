left = graph {}
left.add_node("k", 1)
left.add_node("only_left", 0)
right = graph {}
right.add_node("k", 2)
right.add_node("only_right", 0)
kept = left.add_subgraph(right, "keep_original")
print(kept.get_node("k"))          # expect: 1
print(kept.node_count())           # expect: 3
over = left.add_subgraph(right, "overwrite")
print(over.get_node("k"))          # expect: 2
