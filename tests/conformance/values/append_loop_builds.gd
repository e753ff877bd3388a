xs = []
i = 0
while i < 1000 {
    xs.append!(i)
    i = i + 1
}
print(xs.length())   # expect: 1000
print(xs[999])       # expect: 999
snapshot = xs
xs.append!(-1)
print(snapshot.length())  # expect: 1000
