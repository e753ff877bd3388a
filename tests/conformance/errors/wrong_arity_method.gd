"abc".upper(1)
# expect error: upper
