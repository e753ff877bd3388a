text = "the cat and the hat and the bat"
counts = {}
for w in text.split(" ") {
    if counts.has_key(w) {
        counts[w] = counts[w] + 1
    } else {
        counts[w] = 1
    }
}
print(counts["the"])    # expect: 3
print(counts["and"])    # expect: 2
print(counts["cat"])    # expect: 1
top = counts.to_list().sort_by(p => p[1], :desc).take(2)
print(top)              # expect: [[the, 3], [and, 2]]
