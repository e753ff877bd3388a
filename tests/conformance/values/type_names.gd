print((1).type())         # expect: num
print("s".type())         # expect: string
print(true.type())        # expect: bool
print(none.type())        # expect: none
print(:s.type())          # expect: symbol
print([].type())          # expect: list
print({}.type())          # expect: map
print(graph {}.type())    # expect: graph
print(ValueError("x").type())  # expect: ValueError
