# A syntax error anywhere stops the program before it runs.
print("must not print")
x = = 2
# expect error: SyntaxError
# expect error: :3:
# expect exit: 65
