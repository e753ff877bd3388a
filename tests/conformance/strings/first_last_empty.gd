print("abc".first())     # expect: a
print("abc".last())      # expect: c
print("".first())        # expect: none
print("".last())         # expect: none
print("".is_empty())     # expect: true
print("a".is_empty())    # expect: false
