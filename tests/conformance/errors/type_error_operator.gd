x = [1] - 1
# expect error: TypeError
