graph G {
    fn one(a) { return a }
}
g = G.clone()
print(g.one(1))   # expect: 1
g.one()
# expect error: one
