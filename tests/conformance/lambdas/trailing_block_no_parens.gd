xs = [1, 2, 3]
print(xs.map { |x| x * 10 })          # expect: [10, 20, 30]
print(xs.filter { |x| x != 2 })       # expect: [1, 3]
total = xs.reduce(0) { |acc, x| acc + x }
print(total)                          # expect: 6
