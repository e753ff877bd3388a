# & binds tighter than ^, which binds tighter than |; all bind tighter than comparisons.
print(1 | 2 ^ 3 & 4)   # expect: 3
print(5 & 3 == 1)      # expect: true
print(1 | 2 < 4)       # expect: true
print(6 ^ 3 | 8)       # expect: 13
