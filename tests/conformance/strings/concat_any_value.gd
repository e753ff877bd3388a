print("n=" + 3)         # expect: n=3
print(3 + "x")          # expect: 3x
print("x" + 1.5)        # expect: x1.5
print("a" + true)       # expect: atrue
print("v" + none)       # expect: vnone
print("s" + :sym)       # expect: s:sym
print("ab" + "cd")      # expect: abcd
