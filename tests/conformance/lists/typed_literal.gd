# The element type of a typed list literal is accepted and ignored.
xs = list<num>[1, 2]
print(xs)           # expect: [1, 2]
print(xs.type())    # expect: list
