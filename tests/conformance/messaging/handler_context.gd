graph Probe {
    fn on_message(msg) {
        return match msg {
            :info => [self.id, self.out_degree(), self.in_degree(), self.neighbors()]
        }
    }
}
g = graph { type: :directed }
for id in ["hub", "x", "y"] { g.add_node(id, {}) }
g.add_edge("hub", "x", "link")
g.add_edge("hub", "y", "link")
g.add_edge("y", "hub", "back")
g.set_behavior(Probe)
print(g.request(:info, to: "hub"))   # expect: [hub, 2, 1, [x, y]]
print(g.request(:info, to: "x"))     # expect: [x, 0, 1, []]
