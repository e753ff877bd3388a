x = 5
x(1)
# expect error: Error
# expect error: :2:
