memo = {}
fn fib(n) {
    key = n.to_string()
    if memo.has_key(key) { return memo[key] }
    result = n if n < 2 else fib(n - 1) + fib(n - 2)
    memo[key] = result
    return result
}
print(fib(80))   # expect: 23416728348467685
