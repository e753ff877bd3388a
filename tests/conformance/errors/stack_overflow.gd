fn forever(n) {
    return forever(n + 1)
}
forever(0)
# expect error: recursion
# expect error: forever
