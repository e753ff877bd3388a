# note: recursion a few thousand levels deep is ordinary in a real language and must work.
fn depth(n) {
    if n == 0 { return 0 }
    return 1 + depth(n - 1)
}
print(depth(3000))   # expect: 3000
