print((0).to_bool())      # expect: false
print((2).to_bool())      # expect: true
print((5).to_string() + "!")   # expect: 5!
print((2.5).to_string())  # expect: 2.5
print((7).type())         # expect: num
