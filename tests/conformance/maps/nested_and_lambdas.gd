ops = {"add": (a, b) => a + b, "mul": (a, b) => a * b}
print(ops["add"](2, 3))    # expect: 5
print(ops["mul"](2, 3))    # expect: 6
cfg = {"db": {"port": 5432}}
print(cfg["db"]["port"])   # expect: 5432
