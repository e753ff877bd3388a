print("ABC".char_code(0))   # expect: 65
print("ABC".char_code(2))   # expect: 67
print("hi".to_bytes())      # expect: [104, 105]
print((97).to_char())       # expect: a
