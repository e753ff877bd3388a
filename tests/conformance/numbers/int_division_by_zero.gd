x = 5 // 0
# expect error: Division by zero
