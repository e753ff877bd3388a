# Messages are handled in superstep order; within a superstep by destination id.
graph Logger {
    fn on_message(msg) {
        print(self.id + " got " + msg)
    }
}
g = graph {}
for id in ["c", "a", "b"] { g.add_node(id, {}) }
g.set_behavior(Logger)
g.broadcast(:hello)
# expect: a got :hello
# expect: b got :hello
# expect: c got :hello
