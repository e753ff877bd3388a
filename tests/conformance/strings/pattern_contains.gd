s = "abc123"
print(s.contains(:any, :digits))            # expect: true
print(s.contains(:all, :letters, :digits))  # expect: true
print(s.contains(:only, :letters))          # expect: false
print("abc".contains(:only, :letters))      # expect: true
print("ABC".contains(:any, :lowercase))     # expect: false
print("a b".contains(:any, :whitespace))    # expect: true
print("hi!".contains(:any, :punctuation))   # expect: true
