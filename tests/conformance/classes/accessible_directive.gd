graph Cell {
    configure { accessible: :value }
    value: 0
}
c = Cell.clone()
c.set_value(42)
print(c.value())     # expect: 42
graph Pair {
    configure { readable: [:left, :right] }
    left: 1
    right: 2
}
print(Pair.left() + Pair.right())   # expect: 3
