fn describe(xs) {
    return match xs {
        [] => "empty"
        [a] => "one: " + a
        [a, b] => "two: " + a + "," + b
        _ => "many"
    }
}
print(describe([]))         # expect: empty
print(describe([7]))        # expect: one: 7
print(describe([1, 2]))     # expect: two: 1,2
print(describe([1, 2, 3]))  # expect: many
