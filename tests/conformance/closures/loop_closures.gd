fs = []
for i in [1, 2, 3] {
    f = x => x * 2
    fs.append!(f)
}
print(fs.map(f => f(5)))   # expect: [10, 10, 10]
shared = 0
bumpers = []
bumpers.append!(() => { shared = shared + 1 })
bumpers.append!(() => { shared = shared + 10 })
for b in bumpers { b() }
print(shared)              # expect: 11
