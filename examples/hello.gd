# The first Graphoid program: values, a function and a graph.
greeting = "Hello"
fn greet(name) {
    return greeting + ", " + name + "!"
}
print(greet("Graphoid"))

g = graph { type: :directed }
g.add_node("a", 1)
g.add_node("b", 2)
g.add_edge("a", "b", "knows")
print("a graph with", g.node_count(), "nodes and", g.edge_count(), "edge")
