m = {"a": 1}
print(m["a"])     # expect: 1
m["b"] = 2
m["a"] = 10
print(m)          # expect: {"a": 10, "b": 2}
print(m.size())   # expect: 2
print(m.length()) # expect: 2
print(m.len())    # expect: 2
