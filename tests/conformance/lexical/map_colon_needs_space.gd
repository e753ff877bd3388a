# note: `key: value` with a space is the documented form; `{a:1}` lexes as symbol `:1`.
m = {a: 1, "b": 2}
print(m["a"] + m["b"])  # expect: 3
