def run(n):
    vocabulary = "the quick brown fox jumps over a lazy dog while graphs count every word".split(" ")
    size = len(vocabulary)
    words = []
    i = 0
    while i < n:
        words.append(vocabulary[(i * 7 + i // 5) % size])
        i = i + 1
    counts = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    lines = []
    for w in sorted(counts.keys()):
        lines.append(w + "=" + str(counts[w]))
    return " ".join(lines)
