print(100ms)        # expect: 100
print(2s)           # expect: 2000
print(1.5s)         # expect: 1500
print(2s + 250ms)   # expect: 2250
