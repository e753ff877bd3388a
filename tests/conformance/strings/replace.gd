print("a-b-c".replace("-", "+"))      # expect: a+b+c
print("aaa".replace("a", "bb"))       # expect: bbbbbb
print("none here".replace("x", "y"))  # expect: none here
