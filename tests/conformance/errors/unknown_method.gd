xs = [1, 2]
xs.lenght()
# expect error: lenght
# expect error: did you mean 'length'
