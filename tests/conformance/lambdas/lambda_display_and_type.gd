f = (a, b) => a
print(f.type())   # expect: function
print(f)          # expect: <lambda(a, b)>
