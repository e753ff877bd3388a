m = {"name": "Ada", "age": 36}
print(m)                  # expect: {"name": Ada, "age": 36}
print({})                 # expect: {}
n = {x: 1, y: [1, 2]}
print(n)                  # expect: {"x": 1, "y": [1, 2]}
print(m.type())           # expect: map
