x = 5 % 0
# expect error: Modulo by zero
