ok = true
print("yes" if ok else "no")          # expect: yes
print("yes" if not ok else "no")      # expect: no
n = 0
sign = "neg" if n < 0 else ("zero" if n == 0 else "pos")
print(sign)                           # expect: zero
v = 1 + 2 if n == 0 else 10
print(v)                              # expect: 3
