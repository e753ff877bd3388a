fn twice(f, x) { return f(f(x)) }
fn inc(n) { return n + 1 }
print(twice(inc, 5))        # expect: 7
g = inc
print(g(1))                 # expect: 2
triple = x => x * 3
fns = [inc, triple]
print(fns[1](4))            # expect: 12
