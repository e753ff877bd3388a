fn area(w, h) { return w * h }
print(area)            # expect: <function area>
sq = x => x * x
print(sq)              # expect: <lambda(x)>
print(area.type())     # expect: function
print(sq.type())       # expect: function
