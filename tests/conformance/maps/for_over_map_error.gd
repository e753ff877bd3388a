m = {"a": 1}
for k in m {
    print(k)
}
# expect error: TypeError
