s = "first
second"
print(s)
# expect: first
# expect: second
print(s.length())  # expect: 12
