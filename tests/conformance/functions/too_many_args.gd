fn one(a) { return a }
print("start")   # expect: start
one(1, 2)
# expect error: argument
