print("before")   # expect: before
x = 1 / 0
print("after")
# expect error: RuntimeError
# expect error: Division by zero
