xs = [1, 2, 3]
print(xs[3])
# expect error: 3
# expect error: :2:
