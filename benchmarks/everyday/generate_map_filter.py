def run(n):
    xs = [i * 3 for i in range(1, n + 1)]
    squares = [x * x for x in xs]
    kept = [x for x in squares if x % 4 == 1]
    return len(kept) + sum(kept) % 1000
