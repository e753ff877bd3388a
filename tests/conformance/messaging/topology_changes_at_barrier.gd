# Topology changes inside on_message are buffered and applied at the superstep barrier.
graph Cell {
    fn on_message(msg) {
        return match msg {
            :split => {
                child = self.id + "1"
                self.graph.add_edge(self.id, child)
                print(self.id + " sees " + self.graph.node_count().to_string() + " nodes")
                self.graph.send(:hello, from: self.id)
            }
            :hello => print(self.id + " got :hello")
            :ping => self.graph.send(:hello, from: self.id)
        }
    }
}
g = graph {}
g.add_node("a", {})
g.add_node("b", {})
g.set_behavior(Cell)
g.broadcast(:split)
# expect: a sees 2 nodes
# expect: b sees 2 nodes
print(g.node_count())          # expect: 4
g.send(:ping, to: "a")
# expect: a1 got :hello

# a rule violation while applying the changes rolls the whole call back
d = graph { type: :dag }
d.add_node("x", {})
d.add_node("y", {})
d.add_edge("x", "y")
graph Looper {
    fn on_message(msg) {
        self.graph.add_node("z", {})
        if self.id == "y" { self.graph.add_edge("y", "x") }
    }
}
d.set_behavior(Looper)
try {
    d.broadcast(:go)
} catch as e {
    print(e.message().contains("'y'"))          # expect: true
    print(e.message().contains("superstep 0"))  # expect: true
}
print(d.node_count())          # expect: 2
print(d.has_node("z"))         # expect: false
