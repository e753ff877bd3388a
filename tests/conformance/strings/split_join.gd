parts = "a,b,c".split(",")
print(parts)              # expect: [a, b, c]
print(parts.length())     # expect: 3
print(parts.join("-"))    # expect: a-b-c
print("one".split(","))   # expect: [one]
print("a,,b".split(",").length())  # expect: 3
