graph Network {
    fn connect(a, b) {
        if not self.has_node(a) { self.add_node(a, 0) }
        if not self.has_node(b) { self.add_node(b, 0) }
        self.add_edge(a, b)
        return self
    }
}
n = Network.clone()
n.connect("x", "y").connect("y", "z")
print(n.node_count())        # expect: 3
print(n.has_path("x", "z"))  # expect: true
