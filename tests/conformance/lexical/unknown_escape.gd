# Any other escaped character stands for itself.
print("\d\w")   # expect: dw
print("\d".length())  # expect: 1
