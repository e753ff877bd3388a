xs = [1]
xs[5] = 2
# expect error: 5
