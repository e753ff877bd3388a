total = 0
add = fn(n) {
    total = total + n
}
add(4)
add(6)
print(total)          # expect: 10
print(fn(a, b) { return a * b }(3, 4))   # expect: 12
