m = {"a": 1}
print(m["zzz"])
# expect error: zzz
