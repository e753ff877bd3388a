print((1).log())        # expect: 0
print((100).log(10))    # expect: 2
print((8).log(2))       # expect: 3
