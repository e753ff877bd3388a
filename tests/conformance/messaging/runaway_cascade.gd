graph PingPong {
    fn on_message(msg) {
        self.graph.send(:ping, from: self.id, via: "*")
    }
}
g = graph { type: :directed }
g.add_node("a", {})
g.add_node("b", {})
g.add_edge("a", "b", "e")
g.add_edge("b", "a", "e")
g.set_behavior(PingPong)
g.send(:ping, to: "a")
# expect error: superstep
