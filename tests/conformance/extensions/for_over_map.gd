# Extension: `for k in map` iterates over the keys in insertion order (an error in the reference).
m = {"b": 2, "a": 1}
for k in m {
    print(k, m[k])
}
# expect: b 2
# expect: a 1
