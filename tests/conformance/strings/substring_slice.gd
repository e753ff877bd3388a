s = "graphoid"
print(s.substring(0, 5))    # expect: graph
print(s.substring(5, 100))  # expect: oid
print(s.substring(4, 2) == "")  # expect: true
print(s.slice(1, 3))        # expect: ra
