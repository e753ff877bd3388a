fn adder(n) {
    f = x => x + n
    return f
}
add5 = adder(5)
add7 = adder(7)
print(add5(1))   # expect: 6
print(add7(1))   # expect: 8
print([1, 2].map(adder(100)))  # expect: [101, 102]
