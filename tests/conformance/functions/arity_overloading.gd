fn area(s) { return s * s }
fn area(w, h) { return w * h }
fn area(a, b, c) { return a + b + c }
print(area(3))        # expect: 9
print(area(2, 5))     # expect: 10
print(area(1, 2, 3))  # expect: 6
fn area(x) { return -x }
print(area(3))        # expect: -3
