# Trailing commas are rejected in list literals.
xs = [1, 2, ]
# expect error: SyntaxError
# expect exit: 65
