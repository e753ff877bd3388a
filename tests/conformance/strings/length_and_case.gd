s = "Hello"
print(s.length())   # expect: 5
print(s.len())      # expect: 5
print(s.size())     # expect: 5
print(s.upper())    # expect: HELLO
print(s.lower())    # expect: hello
print(s)            # expect: Hello
print("".length())  # expect: 0
