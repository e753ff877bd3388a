# `/` after an operand divides; after `(`, `,` or `=` it opens a regex.
a = 12
b = 3
c = 2
print(a / b / c)       # expect: 2
x = a /b
print(x)               # expect: 4
pat = /b/
print("abc".split(pat))  # expect: [a, c]
