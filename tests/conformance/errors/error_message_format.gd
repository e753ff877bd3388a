x = 1
y = x / 0
# expect error: error_message_format.gd:2:
# expect error: RuntimeError: Division by zero
# expect error: y = x / 0
