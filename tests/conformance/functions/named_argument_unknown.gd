fn f(a) { return a }
f(b: 1)
# expect error: b
