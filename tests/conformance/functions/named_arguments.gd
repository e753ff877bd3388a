fn box(width, height = 1, label = "box") {
    return label + ":" + width + "x" + height
}
print(box(2, label: "door"))          # expect: door:2x1
print(box(height: 3, width: 4))       # expect: box:4x3
print(box(1, 2, "a"))                 # expect: a:1x2
