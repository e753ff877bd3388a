fn head(xs) { return match xs { [] => none, [h, ...t] => h } }
fn tail(xs) { return match xs { [] => [], [h, ...t] => t } }
print(head([5, 6, 7]))   # expect: 5
print(tail([5, 6, 7]))   # expect: [6, 7]
print(tail([5]))         # expect: []
print(head([]))          # expect: none
all = match [1, 2] { [...everything] => everything }
print(all)               # expect: [1, 2]
