a = {"k": 1}
b = a
b["k"] = 2
b["new"] = 3
print(a)   # expect: {"k": 1}
print(b)   # expect: {"k": 2, "new": 3}
