def run(n):
    xs = [(i * 7919) % 1000003 for i in range(1, n + 1)]
    xs.sort()
    return xs[0] + xs[n // 2] + xs[n - 1]
