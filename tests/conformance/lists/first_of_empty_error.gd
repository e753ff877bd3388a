xs = []
print(xs.first())
# expect error: empty list
