print(5)            # expect: 5
print(10 / 4)       # expect: 2.5
print(6 / 2)        # expect: 3
print(0.1 + 0.2)    # expect: 0.30000000000000004
print(1 / 3)        # expect: 0.3333333333333333
print(-7)           # expect: -7
print(2.0 * 3)      # expect: 6
