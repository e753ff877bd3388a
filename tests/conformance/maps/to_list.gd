m = {"a": 1, "b": 2}
print(m.to_list())    # expect: [[a, 1], [b, 2]]
for pair in m.to_list() {
    print(pair[0] + "=" + pair[1])
}
# expect: a=1
# expect: b=2
