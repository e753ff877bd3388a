a = graph {}
b = graph {}
a.add_node("n", 1)
b.add_node("n", 1)
b.add_rule(:no_cycles)
print(a == b)                               # expect: true
print(a.equals(b))                          # expect: true
print(a.equals(b, {include: [:rules]}))     # expect: false
print(a.equals(b, {only: [:data]}))         # expect: true
