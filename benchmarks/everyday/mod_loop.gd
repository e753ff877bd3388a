fn run(n) {
    i = 0
    total = 0
    while i < n {
        total = total + i % 7 + i // 3 % 5
        i = i + 1
    }
    return total
}
