# Anonymous `fn(...) { ... }` expressions (extension) behave like named functions.
sq = fn(x) { return x * x }
print(sq(6))                         # expect: 36
print([1, 2].map(fn(v) { return v + 1 }))   # expect: [2, 3]
noret = fn() { 5 }
print(noret())                       # expect: none
d = fn(a, b = 10, ...more) { return a + b + more.length() }
print(d(1))                          # expect: 11
print(d(1, 2, 3, 4))                 # expect: 5
