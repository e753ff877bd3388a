print({"a": {"b": 1}})          # expect: {"a": {"b": 1}}
print([{"k": "v"}, [none]])     # expect: [{"k": v}, [none]]
print({"s": :sym, "l": ["x"]})  # expect: {"s": :sym, "l": [x]}
print((1).type_name())          # expect: num
