xs = [10, 20, 30]
print(xs[0])     # expect: 10
print(xs[2])     # expect: 30
print(xs[-1])    # expect: 30
print(xs[-3])    # expect: 10
xs[1] = 99
print(xs)        # expect: [10, 99, 30]
