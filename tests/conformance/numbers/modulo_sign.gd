# The remainder takes the sign of the dividend (C style).
print(7 % 3)       # expect: 1
print(-7 % 3)      # expect: -1
print(7 % -3)      # expect: 1
print(5.5 % 2)     # expect: 1.5
print(-8 % 4)      # expect: 0
