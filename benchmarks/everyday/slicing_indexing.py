def run(n):
    xs = [(i * 31) % 97 for i in range(0, n)]
    best = 0
    i = 0
    while i + 8 <= n:
        window = xs[i:i + 8]
        s = window[0] + window[3] + window[7] - xs[i + 1]
        if s > best:
            best = s
        i = i + 4
    head = xs[:10]
    tail = xs[n - 10:]
    return best + head[9] + tail[0] + xs[-1]
