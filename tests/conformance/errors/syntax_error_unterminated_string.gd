s = "never ends
# expect error: SyntaxError
# expect exit: 65
