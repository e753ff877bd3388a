counter = 1
print(countr)
# expect error: countr
# expect error: did you mean 'counter'
# expect error: :2:
