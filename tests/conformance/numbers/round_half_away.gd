print((2.5).round())    # expect: 3
print((-2.5).round())   # expect: -3
print((0.5).round())    # expect: 1
print((1.5).round())    # expect: 2
print((-3.5).round())   # expect: -4
print((2.4).round())    # expect: 2
print((3.14159).round(2))  # expect: 3.14
