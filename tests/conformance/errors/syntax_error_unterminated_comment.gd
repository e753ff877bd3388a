x = 1
/* no end
# expect error: SyntaxError
# expect exit: 65
