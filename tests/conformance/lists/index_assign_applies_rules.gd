# A value assigned by index passes through the list's (and map's) behaviour rules.
xs = [1, 2].add_rule(:none_to_zero)
xs[0] = none
print(xs)          # expect: [0, 2]
m = {"a": "x"}.add_rule(:uppercase)
m["b"] = "hello"
print(m["b"])      # expect: HELLO
