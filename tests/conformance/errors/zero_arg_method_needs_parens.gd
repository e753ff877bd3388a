# Zero-argument list methods need parentheses; `xs.length` is not a call.
xs = [1, 2]
n = xs.length
# expect error: length
