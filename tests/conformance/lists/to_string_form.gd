print(["a", 1].to_string())        # expect: ["a", 1]
print([[1], [2]].to_string())      # expect: [list, list]
print([1, 2].to_string() + "!")    # expect: [1, 2]!
print([].to_string())              # expect: []
