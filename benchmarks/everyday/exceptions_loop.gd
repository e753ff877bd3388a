fn parse_positive(k) {
    if k % 5 == 0 { raise ValueError("bad value " + k) }
    return k * 2
}

fn run(n) {
    total = 0
    failures = 0
    i = 0
    while i < n {
        try {
            total = total + parse_positive(i)
        } catch ValueError as e {
            failures = failures + 1
        }
        i = i + 1
    }
    return total + failures
}
