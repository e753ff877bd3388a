fn run(n) {
    xs = list.generate(0, n - 1, i => (i * 31) % 97)
    best = 0
    i = 0
    while i + 8 <= n {
        window = xs.slice(i, i + 8)
        s = window[0] + window[3] + window[7] - xs[i + 1]
        if s > best { best = s }
        i = i + 4
    }
    head = xs.take(10)
    tail = xs.skip(n - 10)
    return best + head[9] + tail[0] + xs[-1]
}
