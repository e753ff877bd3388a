graph Bag { items: [] }
a = Bag.clone()
b = a.clone()
a.items = [1]
print(b.items)    # expect: []
print(a.items)    # expect: [1]
