print([1, 2] == [1, 2])       # expect: true
print([1, 2] == [2, 1])       # expect: false
print([1, [2]] == [1, [2]])   # expect: true
print([] == [])               # expect: true
print([1] != [1, 1])          # expect: true
