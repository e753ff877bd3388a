fn run(n) {
    xs = list.generate(1, n, i => (i * 7919) % 1000003)
    xs.sort!()
    return xs[0] + xs[n // 2] + xs[n - 1]
}
