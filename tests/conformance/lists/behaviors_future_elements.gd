xs = [].add_rule(:none_to_zero)
xs.append!(none)
xs.append!(5)
print(xs)                  # expect: [0, 5]
ys = xs.remove_rule(:none_to_zero)
ys.append!(none)
print(ys)                  # expect: [0, 5, none]
