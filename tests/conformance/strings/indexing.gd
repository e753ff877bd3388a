s = "graph"
print(s[0])     # expect: g
print(s[4])     # expect: h
print(s[-1])    # expect: h
print(s[-2])    # expect: p
