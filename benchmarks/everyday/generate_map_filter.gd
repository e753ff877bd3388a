fn run(n) {
    xs = list.generate(1, n, i => i * 3)
    squares = xs.map(x => x * x)
    kept = squares.filter(x => x % 4 == 1)
    return kept.length() + kept.sum() % 1000
}
