xs = [1, 2]
ys = xs.append(3)
print(xs)    # expect: [1, 2]
print(ys)    # expect: [1, 2, 3]
xs.append!(9)
print(xs)    # expect: [1, 2, 9]
