graph Shape {
    sides: 3
    fn describe() { return "shape" }
}
s = Shape.clone()
print(s.edges())                          # expect: []
print(s.edge_count())                     # expect: 0
print(s.nodes(:all).length() > s.nodes().length())   # expect: true
plain = graph {}
plain.add_node("x", 1)
print(plain.nodes() == plain.nodes(:all))  # expect: true
