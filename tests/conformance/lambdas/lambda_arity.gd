f = (a, b) => [a, b]
print(f(1))       # expect: [1, none]
f(1, 2, 3)
# expect error: argument
