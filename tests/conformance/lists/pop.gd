xs = [1, 2, 3]
print(xs.pop())    # expect: 3
print(xs)          # expect: [1, 2, 3]
v = xs.pop!()
print(v)           # expect: 3
print(xs)          # expect: [1, 2]
