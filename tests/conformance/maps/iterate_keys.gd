m = {"b": 2, "a": 1, "c": 3}
total = 0
for k in m.keys() {
    total = total + m[k]
}
print(total)   # expect: 6
print(m.keys().length())  # expect: 3
