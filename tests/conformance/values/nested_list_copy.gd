inner = [1]
outer = [inner, inner]
inner.append!(2)
print(outer)   # expect: [[1], [1]]
print(inner)   # expect: [1, 2]
