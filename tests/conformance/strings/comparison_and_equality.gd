print("abc" == "abc")   # expect: true
print("abc" == "ABC")   # expect: false
print("a" < "b")        # expect: true
print("Zebra" < "apple")  # expect: true
print("abc" != "abd")   # expect: true
