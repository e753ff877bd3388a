m = {"a": 1, "b": 2}
n = m.remove("a")
print(n)   # expect: {"b": 2}
print(m)   # expect: {"a": 1, "b": 2}
m.remove!("b")
print(m)   # expect: {"a": 1}
