# Graph messaging to nodes whose values are actors: the actor gets the message in its mailbox
# (asynchronously, in delivery order); behaviour nodes still run as BSP supersteps.
graph Log {
    seen: []
    fn on_message(msg) {
        if msg == :seen { return seen }
        seen = seen + [msg]
        return "got " + string(msg)
    }
}
graph Relay {
    fn on_message(msg) {
        self.graph.send([:relayed, msg], from: self.id, via: "*")   # along the edge to the actor
        self.graph.send(:direct, to: "log")                         # by id
    }
}

g = graph{}
g.add_node("log", spawn Log{})
g.add_node("count", 42)                # neither actor nor behaviour: skipped
print(g.request("hello", to: "log"))   # expect: got hello
g.broadcast(:ping)
print(g.request(:seen, to: "log"))     # expect: [hello, :ping]

g.add_node("a", Relay{})
g.add_edge("a", "log")
g.send(:go, to: "a")
print(g.request(:seen, to: "log"))     # expect: [hello, :ping, [:relayed, :go], :direct]
print(g.request(:seen, to: ["log", "count"]).length())   # expect: 1

g.get_node("log").close()
g.send(:late, to: "log")
# expect error: ActorError: actor Log#1 is closed (in on_message of node 'log' at superstep 0)
