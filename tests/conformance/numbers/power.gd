print(2 ** 10)       # expect: 1024
print(2 ** 3 ** 2)   # expect: 512
print(-2 ** 2)       # expect: 4
print(2 ** -1)       # expect: 0.5
print(4 ** 0.5)      # expect: 2
