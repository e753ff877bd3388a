print([1, 2, 3])          # expect: [1, 2, 3]
print([])                 # expect: []
print(["a", 1, true, none])  # expect: [a, 1, true, none]
print([[1, 2], [3]])      # expect: [[1, 2], [3]]
print([1.5, :s])          # expect: [1.5, :s]
xs = [
    1,
    2
]
print(xs)                 # expect: [1, 2]
