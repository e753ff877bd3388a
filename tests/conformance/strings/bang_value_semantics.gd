a = "abc"
b = a
b.upper!()
print(a)   # expect: abc
print(b)   # expect: ABC
