graph Thing {
    size: 3
    fn grow() { size = size + 1 }
}
t = Thing.clone()
print(t.nodes())            # expect: []
print(t.node_count())       # expect: 0
print(t.edges())            # expect: []
print(t.nodes(:all).length() > 0)   # expect: true
t.add_node("data", 1)
print(t.nodes())            # expect: [data]
