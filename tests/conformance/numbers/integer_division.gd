print(7 // 2)      # expect: 3
print(-7 // 2)     # expect: -3
print(7 // -2)     # expect: -3
print(7.5 // 2)    # expect: 3
print(8 // 2)      # expect: 4
