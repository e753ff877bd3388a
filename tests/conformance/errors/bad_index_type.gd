xs = [1, 2]
print(xs["a"])
# expect error: Error
