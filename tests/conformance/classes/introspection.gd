graph Shape {
    fn area() { return 0 }
}
graph Square from Shape {
    side: 2
    fn area() { return side * side }
}
s = Square { side: 3 }
print(s.area())                  # expect: 9
print(s.type_of())               # expect: Square
print(s.responds_to("area"))     # expect: true
print(s.responds_to("volume"))   # expect: false
print(s.ancestors().contains("Shape"))  # expect: true
