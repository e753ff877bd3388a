# Pattern bindings are visible after the match (blocks do not open scopes).
match [10, 20] {
    [first, second] => "bound"
}
print(first + second)   # expect: 30
