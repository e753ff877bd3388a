a = [1, 2]
b = a
b.append!(3)
print(a)   # expect: [1, 2]
print(b)   # expect: [1, 2, 3]
