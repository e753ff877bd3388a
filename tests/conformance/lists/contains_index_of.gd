xs = [1, "two", [3]]
print(xs.contains("two"))   # expect: true
print(xs.contains([3]))     # expect: true
print(xs.contains(2))       # expect: false
print(xs.index_of("two"))   # expect: 1
print(xs.index_of(42))      # expect: -1
print([1, 2].contains("1")) # expect: false
