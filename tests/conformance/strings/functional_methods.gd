s = "abc"
print(s.map(c => c.upper()))            # expect: [A, B, C]
print("a1b2".filter(c => c != "1"))     # expect: ab2
print("a1b2".reject(c => c == "a"))     # expect: 1b2
r = "xy".each(c => print(c))
# expect: x
# expect: y
print(r)                                # expect: none
