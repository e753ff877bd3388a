inc = { |x| x + 1 }
print(inc(1))               # expect: 2
pair = { |a, b| [b, a] }
print(pair(1, 2))           # expect: [2, 1]
constant = { || "k" }
print(constant())           # expect: k
