graph Shape {
    sides: 0
    fn name() when sides == 3 { return "triangle" }
    fn name() when sides == 4 { return "square" }
    fn name() { return "polygon" }
}
for n in [3, 4, 7] {
    s = Shape { sides: n }
    print(s.name())
}
# expect: triangle
# expect: square
# expect: polygon
