x = 1
y = (2 +* 3)
# expect error: SyntaxError
# expect error: :2:
# expect exit: 65
