g = graph { type: :undirected }
for id in ["a", "b", "c", "d", "e"] { g.add_node(id, 0) }
g.add_edge("a", "b")
g.add_edge("a", "c")
g.add_edge("c", "d")
levels = {"a": 0}
queue = ["a"]
while not queue.is_empty() {
    cur = queue.first()
    queue = queue.slice(1, queue.length())
    for nb in g.neighbors(cur) {
        unless levels.has_key(nb) {
            levels[nb] = levels[cur] + 1
            queue.append!(nb)
        }
    }
}
print(levels)                # expect: {"a": 0, "b": 1, "c": 1, "d": 2}
print(levels.has_key("e"))   # expect: false
