print(12 & 10)      # expect: 8
print(12 | 10)      # expect: 14
print(12 ^ 10)      # expect: 6
print(~5)           # expect: -6
print(~0)           # expect: -1
print(1 << 4)       # expect: 16
print(-16 >> 2)     # expect: -4
print(0xF0 >> 4)    # expect: 15
