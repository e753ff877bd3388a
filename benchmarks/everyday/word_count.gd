fn run(n) {
    vocabulary = "the quick brown fox jumps over a lazy dog while graphs count every word".split(" ")
    size = vocabulary.length()
    words = []
    i = 0
    while i < n {
        words.append!(vocabulary[(i * 7 + i // 5) % size])
        i = i + 1
    }
    counts = {}
    for w in words {
        counts[w] = counts.get(w, 0) + 1
    }
    lines = []
    for w in counts.keys().sort() {
        lines.append!(w + "=" + counts[w])
    }
    return lines.join(" ")
}
