fn apply(f, v) { return f(v) }
print(apply(x => x + 1, 1))            # expect: 2
print(apply({ |s| s + s }, "ab"))      # expect: abab
print([3, 1, 2].map((x) => x * x))     # expect: [9, 1, 4]
