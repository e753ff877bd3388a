print(1 < 2)        # expect: true
print(2 <= 2)       # expect: true
print(3 > 4)        # expect: false
print(4 >= 5)       # expect: false
print(1 == 1.0)     # expect: true
print(1 != 2)       # expect: true
print("apple" < "banana")  # expect: true
print("b" > "a")    # expect: true
