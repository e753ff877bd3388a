# Triangle counting with a pattern query on a distributed graph: the partial bindings of
# `x - y, y - z, z - x` are extended at the owner of each next node and shipped across the
# edge cut worker to worker. The bindings equal local g.match on the same graph.

import "distributed"

g = graph { type: :undirected }
for pair in [["alice", "bob"], ["bob", "carol"], ["carol", "alice"], ["carol", "dave"],
             ["dave", "erin"], ["erin", "carol"], ["alice", "dave"], ["erin", "frank"]] {
    g.add_edge(pair[0], pair[1])
}

web = distributed.distribute(g, partitions: 3)
triangle = pattern { x - y, y - z, z - x }

# Each triangle is found once per ordering of its corners: keep x < y < z.
found = distributed.find_pattern(web, triangle).where(b => b["x"] < b["y"] and b["y"] < b["z"])
print("triangles: " + found.len().to_string())
for t in found {
    print("  " + t["x"] + " " + t["y"] + " " + t["z"])
}
print("same as local: " + (found.bindings() == g.match(triangle).where(b => b["x"] < b["y"] and b["y"] < b["z"]).bindings()).to_string())
