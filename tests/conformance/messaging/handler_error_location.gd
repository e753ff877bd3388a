graph Fragile {
    n = 0
    fn on_message(msg) {
        n = n + 1
        if self.id == "beta" {
            raise ValueError("broken node")
        }
    }
}
fn kick(g) {
    g.broadcast(:go)
}
g = graph {}
g.add_node("alpha", {})
g.add_node("beta", {})
g.set_behavior(Fragile)
kick(g)
# The error points at the raise inside the handler; the stack shows the call site, then the handler.
# expect error: handler_error_location.gd:6:13: ValueError: broken node (in on_message of node 'beta' at superstep 0)
# expect error: raise ValueError("broken node")
# expect error: handler_error_location.gd:17:1 in <main>
# expect error: handler_error_location.gd:11:7 in kick
# expect error: handler_error_location.gd:6:13 in on_message (node 'beta', superstep 0)
