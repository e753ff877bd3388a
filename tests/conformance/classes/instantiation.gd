graph Point {
    x: 0
    y: 0
    fn sum() { return x + y }
}
p = Point { x: 3, y: 4 }
print(p.sum())     # expect: 7
q = Point {}
print(q.sum())     # expect: 0
r = Point { y: 10 }
print(r.x, r.y)    # expect: 0 10
