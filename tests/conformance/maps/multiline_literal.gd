m = {
    "a": 1,
    "b": 2
}
print(m["b"])  # expect: 2
