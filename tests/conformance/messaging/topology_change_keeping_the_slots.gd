# A barrier whose changes leave the nodes and edges as they were (a node's value replaced, a
# missing edge removed) still delivers every message sent in that superstep.
graph Node {
    seen = 0
    fn on_message(msg) {
        match msg {
            :go => {
                seen = seen + 1
                if self.id == "a" {
                    self.graph.add_node("a", {seen: 50})
                    self.graph.remove_edge("b", "a")
                }
                self.graph.send(:hi, from: self.id, via: "*")
            }
            :hi => { seen = seen + 10 }
            :get => seen
        }
    }
}
g = graph {}
g.add_node("a", {})
g.add_node("b", {})
g.add_edge("a", "b")
g.set_behavior(Node)
g.broadcast(:go)
print(g.request(:get, to: "b"))    # expect: 11
print(g.request(:get, to: "a"))    # expect: 50
