print("one")   # expect: one
fn bad() { return 1 / 0 }
print(bad())
print("two")
# expect error: Division by zero
# expect error: :2:
# expect error: bad
