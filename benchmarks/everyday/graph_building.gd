fn run(n) {
    g = graph { type: :directed }
    i = 0
    while i < n {
        g.add_node("n" + i, i % 13)
        i = i + 1
    }
    i = 0
    while i < n {
        source = "n" + i
        if g.get_node(source) % 2 == 0 {
            g.add_edge(source, "n" + (i * 3 + 1) % n)
        }
        g.add_edge(source, "n" + (i + 1) % n)
        i = i + 1
    }
    weight = 0
    for id in g.nodes() {
        for other in g.neighbors(id) {
            weight = weight + g.get_node(other)
        }
    }
    return weight * 10 + g.out_degree("n0")
}
