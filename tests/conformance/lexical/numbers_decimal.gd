print(123)     # expect: 123
print(1.5)     # expect: 1.5
print(.5)      # expect: 0.5
print(1.0)     # expect: 1
print(2.50)    # expect: 2.5
print(5.to_string())  # expect: 5
