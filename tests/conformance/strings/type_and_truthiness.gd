print("x".type())       # expect: string
print("".to_bool())     # expect: false
print("0".to_bool())    # expect: true
print("abc".to_string())  # expect: abc
