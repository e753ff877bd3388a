xs = [1, none, 3]
ys = xs.add_rule(:none_to_zero)
print(ys.to_string())      # expect: [1, 0, 3]
zs = [1.4, 2.6].add_rule(:round_to_int)
print(zs)                  # expect: [1, 3]
up = ["a", "b"].add_rule(:uppercase)
print(up)                  # expect: [A, B]
d = [1, 2, 2, 3].add_rule(:no_duplicates)
print(d)                   # expect: [1, 2, 3]
