# Prefix minus applies to the whole postfix chain.
print(-5.abs())     # expect: -5
print((-5).abs())   # expect: 5
x = 4
print(-x)           # expect: -4
print(- -x)         # expect: 4
