# Extension: `list + list` concatenates (a type error in the reference) and leaves both operands alone.
a = [1, 2]
b = [3]
c = a + b
print(c)      # expect: [1, 2, 3]
print(a, b)   # expect: [1, 2] [3]
print([] + [])   # expect: []
