# Optional type annotations on declarations are accepted; the value is unchanged.
num n = 5
string s = "txt"
list<num> xs = [1, 2]
print(n, s, xs)          # expect: 5 txt [1, 2]
m = hash<num>{"a": 1}
print(m)                 # expect: {"a": 1}
print(m.type())          # expect: map
