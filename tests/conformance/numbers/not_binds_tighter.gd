# `not` binds tighter than ==, so `not 1 == 2` is `(not 1) == 2`.
print(not 1 == 2)        # expect: false
print(not true == false) # expect: true
print(not (1 == 2))      # expect: true
print(not false)         # expect: true
print(not 0)             # expect: true
print(not "x")           # expect: false
