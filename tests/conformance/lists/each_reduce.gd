xs = [1, 2, 3]
r = xs.each(x => print(x * 2))
# expect: 2
# expect: 4
# expect: 6
print(r)                                   # expect: [1, 2, 3]
print(xs.reduce(0, (acc, x) => acc + x))   # expect: 6
print(xs.reduce("", (acc, x) => acc + x))  # expect: 123
print([].reduce(7, (a, b) => a + b))       # expect: 7
