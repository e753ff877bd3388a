# A property or element assignment whose chain starts at a call stores into the call's
# result: in place for a graph, on a temporary (so without visible effect) for a list.
graph Counter { total: 0 }
g = graph {}
g.add_node("c", Counter.clone())
g.get_node("c").total = 9
print(g.get_node("c").total)          # expect: 9
fn pick(graph_value) { return graph_value.get_node("c") }
pick(g).total = pick(g).total + 1
print(g.get_node("c").total)          # expect: 10
items = [Counter.clone()]
fn first(xs) { return xs[0] }
first(items).total = 5
print(items[0].total)                 # expect: 5
fn pair() { return [1, 2] }
pair()[0] = 7
print(pair())                         # expect: [1, 2]
