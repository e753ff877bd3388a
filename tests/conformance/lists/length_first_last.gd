xs = [4, 5, 6]
print(xs.length())   # expect: 3
print(xs.len())      # expect: 3
print(xs.size())     # expect: 3
print(xs.first())    # expect: 4
print(xs.last())     # expect: 6
print([].is_empty()) # expect: true
print(xs.is_empty()) # expect: false
