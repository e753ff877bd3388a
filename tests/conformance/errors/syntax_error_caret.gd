print("ok")
total = 1 + ) 2
# expect error: total = 1 + ) 2
# expect error: ^
# expect exit: 65
