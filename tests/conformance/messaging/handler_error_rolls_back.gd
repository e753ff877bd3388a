graph Fragile {
    n = 0
    fn on_message(msg) {
        return match msg {
            :go => {
                n = n + 1
                if self.id == "beta" { raise ValueError("broken node") }
            }
            :get => n
        }
    }
}
g = graph {}
g.add_node("alpha", {})
g.add_node("beta", {})
g.set_behavior(Fragile)
try {
    g.broadcast(:go)
} catch as e {
    print(e.message().contains("broken node"))   # expect: true
    print(e.message().contains("beta"))          # expect: true
}
print(g.request(:get, where: n => true))          # expect: [0, 0]
