print(string.generate("ab", 3))    # expect: ababab
print(string.generate("-", 5))     # expect: -----
print(string.generate("a", "e"))   # expect: abcde
print(string.generate("e", "a"))   # expect: edcba
print(string.generate("x", 0) == "")  # expect: true
