print("start")   # expect: start
raise ValueError("fatal problem")
print("never")
# expect error: ValueError: fatal problem
# expect exit: 70
