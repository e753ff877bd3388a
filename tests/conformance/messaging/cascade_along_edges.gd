graph Relay {
    seen = 0
    fn on_message(msg) {
        return match msg {
            :token => {
                seen = seen + 1
                self.graph.send(:token, from: self.id, via: "next")
            }
            :seen => seen
        }
    }
}
g = graph { type: :directed }
for id in ["a", "b", "c", "d"] { g.add_node(id, {}) }
g.add_edge("a", "b", "next")
g.add_edge("b", "c", "next")
g.add_edge("a", "d", "other")
g.set_behavior(Relay)
g.send(:token, to: "a")
print(g.request(:seen, where: n => true))   # expect: [1, 1, 1, 0]
