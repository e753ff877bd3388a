print(1 < "a")
# expect error: TypeError
