fn compose(f, g) {
    h = x => g(f(x))
    return h
}
inc = x => x + 1
dbl = x => x * 2
both = compose(inc, dbl)
print(both(5))                                   # expect: 12
print([1, 2, 3].map(both).sum())                 # expect: 18
pipeline = [inc, dbl, inc]
print(pipeline.reduce(10, (acc, f) => f(acc)))   # expect: 23
