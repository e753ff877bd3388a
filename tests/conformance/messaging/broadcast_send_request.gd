graph Counter {
    hits = 0
    fn on_message(msg) {
        return match msg {
            :hit => { hits = hits + 1 }
            [:add, n] => { hits = hits + n }
            :get => hits
        }
    }
}
g = graph { type: :directed }
g.add_node("a", {"hits": 10})
g.add_node("b", {})
g.set_behavior(Counter)
g.broadcast(:hit)
g.send(:add, 5, to: "a")
print(g.request(:get, to: "a"))            # expect: 16
print(g.request(:get, to: "b"))            # expect: 1
print(g.request(:get, where: n => true))   # expect: [16, 1]
