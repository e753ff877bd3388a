xs = [3, 1, 4, 1, 5]
print(xs.sum())                    # expect: 14
print(xs.min())                    # expect: 1
print(xs.max())                    # expect: 5
print(xs.count(x => x == 1))       # expect: 2
print([].sum())                    # expect: 0
print([0.5, 0.25].sum())           # expect: 0.75
