print(none.to_string() == "")    # expect: true
print(true.to_string())          # expect: true
print([1, "a"].to_string())      # expect: [1, "a"]
print([[1], {"a": 1}].to_string())  # expect: [list, map]
print((3.5).to_string())         # expect: 3.5
