"abc".uper()
# expect error: uper
# expect error: did you mean 'upper'
