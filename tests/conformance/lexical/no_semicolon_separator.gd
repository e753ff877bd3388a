# Statements need no separator when they are on separate lines or after a block.
a = 1
b = 2
if a < b { print("lt") }  # expect: lt
print(a + b)  # expect: 3
