# `list + list` is a type error; build lists with append or flatten.
xs = [1] + [2]
# expect error: TypeError
