print([1, 2, 3].zip(["a", "b", "c"]))   # expect: [[1, a], [2, b], [3, c]]
print([1, 2].zip([9]))                  # expect: [[1, 9]]
print([[1, 2], [3], []].flatten())      # expect: [1, 2, 3]
