base = 10
f = x => x + base
base = 20
print(f(1))    # expect: 21
